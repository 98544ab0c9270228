from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "rankfile.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from rankfile.governance import (  # noqa: F401  (rules, ledger actions, timers, reconciliation, citing votes)
            actions,
            mandates,
            policy,
            queries,
            reconcile,
            subjects,
        )
