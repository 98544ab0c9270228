from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "rankfile.org"
    label = "org"
    verbose_name = _("Organization")

    def ready(self) -> None:
        # The rules, the ledger's hooks (who acted), its reconciliation of the organization's records, and who an
        # invitation may name.
        from rankfile.org import invitations, ledger_actors, policy, reconcile  # noqa: F401
