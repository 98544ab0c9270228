from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "rankfile.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # rules, the ledger's reconciliation and hooks, every timer and job of the process
        from rankfile.cases import holds, policy, reconcile, subjects, timers  # noqa: F401
        from rankfile.cases.actions import (  # noqa: F401  (ledger schemas, hooks into org)
            closing,
            decisions,
            informal,
            intake,
            interim,
            investigations,
            measures,
            panel,
            process,
            readmission,
            retention,
        )
