from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "rankfile.transparency"
    label = "transparency"
    verbose_name = _("Transparency reports")

    def ready(self) -> None:
        from rankfile.transparency import actions, policy, reconcile  # noqa: F401  (ledger actions, rules, verify)
