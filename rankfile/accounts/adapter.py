from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import EmailMessage
from django.http import HttpRequest

from rankfile import mail


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join through an invitation link (rankfile.accounts.views)."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

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
