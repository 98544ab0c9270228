from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

# Where a password change leaves the names of the API tokens it revoked, for the email allauth sends next.
REVOKED_TOKENS = "rankfile_revoked_tokens"


def note_revoked_tokens(request: HttpRequest, names: tuple[str, ...]) -> None:
    setattr(request, REVOKED_TOKENS, names)


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join through an invitation link (rankfile.accounts.views)."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_notification_mail(
        self,
        template_prefix: str,
        user: AbstractBaseUser,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        """allauth's email about a change to the account; after a new password, it names the tokens revoked."""
        revoked = getattr(self.request, REVOKED_TOKENS, ()) if self.request is not None else ()
        super().send_notification_mail(template_prefix, user, {**(context or {}), "revoked_tokens": revoked}, email)
