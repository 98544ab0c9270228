from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "rankfile.org"
    label = "org"
    verbose_name = _("Organization")

    def ready(self) -> None:
        # The rules, the ledger's hooks (who acted) and its reconciliation of the organization's records.
        from rankfile.org import ledger_actors, policy, reconcile  # noqa: F401
