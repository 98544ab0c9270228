from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "rankfile.voice"
    label = "voice"
    verbose_name = _("Members' voice")

    def ready(self) -> None:
        from rankfile.voice import actions, bulletin, policy, timers  # noqa: F401  (ledger actions, rules, deadline kinds)
