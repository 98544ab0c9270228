from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "rankfile.org"
    label = "org"
    verbose_name = _("Organization")

    def ready(self) -> None:
        from rankfile.org import ledger_actors, policy  # noqa: F401  (registers the rules and the ledger's hooks)
