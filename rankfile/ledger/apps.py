from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "rankfile.ledger"
    label = "ledger"
    verbose_name = _("Ledger")

    def ready(self) -> None:
        from rankfile.ledger import policy  # noqa: F401  (registers the rules)
