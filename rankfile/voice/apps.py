from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "rankfile.voice"
    label = "voice"
    verbose_name = _("Members' voice")

    def ready(self) -> None:
        # Ledger actions, rules, deadline kinds, the bulletin, the statements that fulfil a mandate, and the caucuses
        # listed on the support card (org.hooks).
        from rankfile.voice import (  # noqa: F401
            actions,
            bulletin,
            caucus_files,
            caucus_invitations,
            caucus_meetings,
            caucus_support,
            members_meetings,
            policy,
            statement_queries,
            statements,
            timers,
        )
