from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "rankfile.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from rankfile.accounts import policy, signals  # noqa: F401  (registers the rules and receivers)
