"""allauth's emails in the product's words: each template it can send is our own, with the organization's name where
allauth put the host ("Hello from 127.0.0.1:8821!"), and none offers a sign-up (people join by invitation only). An
address without an account gets no email at all."""

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import allauth
import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client

from rankfile.accounts.adapter import InvitationOnlyAccountAdapter

OURS = Path(__file__).resolve().parents[2] / "rankfile" / "accounts" / "templates"
ALLAUTHS = Path(allauth.__file__).resolve().parent / "templates"
FOLDERS = ("account/email", "mfa/email")

CONTEXT = {
    "email": "someone@example.org",
    "password_reset_url": "http://rankfile.example/accounts/password/reset/key/1-abc/",
    "activate_url": "http://rankfile.example/accounts/confirm-email/abc/",
    "signup_url": "http://rankfile.example/accounts/signup/",
    "code": "ABC123",
    "from_email": "old@example.org",
    "to_email": "new@example.org",
    "deleted_email": "old@example.org",
    "timestamp": datetime(2026, 12, 7, 9, 30, tzinfo=UTC),
    "ip": "203.0.113.9",
    "user_agent": "Browser",
}


def sent_by_allauth() -> list[str]:
    """Every email allauth can send: the prefix of each subject template it ships."""
    return sorted(
        f"{folder}/{path.name.removesuffix('_subject.txt')}"
        for folder in FOLDERS
        for path in (ALLAUTHS / folder).glob("*_subject.txt")
    )


def test_every_email_allauth_can_send_has_a_template_of_ours():
    for folder in FOLDERS:
        shipped = {path.name for path in (ALLAUTHS / folder).iterdir() if path.suffix in {".txt", ".html"}}
        assert shipped <= {path.name for path in (OURS / folder).iterdir()}, folder


@pytest.mark.parametrize("prefix", sent_by_allauth())
def test_each_email_is_in_our_words_with_the_organizations_name_and_no_sign_up(prefix):
    message = InvitationOnlyAccountAdapter().render_mail(prefix, "someone@example.org", dict(CONTEXT))
    host = urlsplit(settings.BASE_URL).netloc
    text = f"{message.subject}\n{message.body}"
    assert message.subject.startswith(f"[{settings.ORG_NAME}] ")
    assert settings.ORG_NAME in message.body
    for leak in ("Hello from", "Thank you for using", "signup", "sign up", f"{host}!", "using " + host, "{%"):
        assert leak not in text, (prefix, leak)
    assert not isinstance(message, EmailMultiAlternatives)  # plain text only: no HTML part of allauth's


def test_a_password_reset_email_says_what_it_does_in_our_words(member):
    Client().post("/accounts/password/reset/", {"email": member.email})
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert message.subject == f"[{settings.ORG_NAME}] Reset your password"
    assert "/accounts/password/reset/key/" in message.body
    assert "locks your reports and case files" in message.body
    assert "Hello from" not in message.body


def test_an_address_without_an_account_gets_no_email_and_the_same_answer(member):
    known = Client().post("/accounts/password/reset/", {"email": member.email}, follow=True)
    mail.outbox.clear()
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"}, follow=True)
    assert mail.outbox == []
    assert known.redirect_chain == unknown.redirect_chain
