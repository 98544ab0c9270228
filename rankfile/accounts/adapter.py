from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMessage
from django.http import HttpRequest

from rankfile import mail

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

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        """allauth's emails as every other email of Rankfile: our own plain-text templates (account/email/,
        mfa/email/), with the organization's name and address, never the host as a site's name."""
        subject, body = mail.render(template_prefix, context)
        to = [email] if isinstance(email, str) else email
        return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to, headers=headers)
