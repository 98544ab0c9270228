from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "rankfile.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.account.signals import password_reset

        from rankfile.accounts import policy, recovery, signals  # noqa: F401  (registers the rules and receivers)

        # After the receivers in signals, so that the person's new key pair exists when restoration is asked for.
        password_reset.connect(recovery.restore_access_after_password_reset, dispatch_uid="rankfile.access_restore")
