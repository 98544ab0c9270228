from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "rankfile.elections"
    label = "elections"
    verbose_name = _("Elections")

    def ready(self) -> None:
        from rankfile.elections import actions, policy, timers  # noqa: F401  (ledger actions, rules, deadline kinds)
