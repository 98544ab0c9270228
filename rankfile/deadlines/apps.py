from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "rankfile.deadlines"
    label = "deadlines"
    verbose_name = _("Deadlines")

    def ready(self) -> None:
        from rankfile.deadlines import ledger_jobs, policy, subjects  # noqa: F401  (the rule, the ledger's hooks and job)
