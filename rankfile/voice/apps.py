from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "rankfile.voice"
    label = "voice"
    verbose_name = _("Members' voice")

    def ready(self) -> None:
        # ledger actions, rules, deadline kinds, the bulletin, and the statements that fulfil a mandate
        from rankfile.voice import (  # noqa: F401
            actions,
            bulletin,
            members_meetings,
            policy,
            statement_queries,
            statements,
            timers,
        )
