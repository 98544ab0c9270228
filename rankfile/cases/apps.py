from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "rankfile.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from rankfile.cases import holds, policy, reconcile, subjects  # noqa: F401  (rules, the ledger's hooks)
        from rankfile.cases.actions import (  # noqa: F401  (timers, jobs, ledger schemas)
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
