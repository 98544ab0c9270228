from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "rankfile.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from rankfile.cases import (  # noqa: F401  (rules, timers, jobs, the ledger's reconciliation)
            actions,
            closing,
            decisions,
            holds,
            informal,
            interim,
            investigations,
            measures,
            panel,
            policy,
            process,
            readmission,
            reconcile,
            retention,
        )
