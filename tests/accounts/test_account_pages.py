"""allauth's pages in the product's words: sentence case and plain words, what a password reset does to sealed
material said before it happens, and a trustee told that a reset loses their share of the recovery key instead of
being offered "Forgot your password?" as if it cost nothing."""

import re

import pytest
from django.core import mail
from django.test import Client

from rankfile.accounts import recovery
from rankfile.accounts.models import User
from tests.accounts.test_mfa import enable_totp
from tests.accounts.test_recovery import commission, new_login, seat  # noqa: F401  (commission: a fixture)
from tests.personas import PASSWORD
from tests.vault.helpers import key_for

pytestmark = pytest.mark.django_db

TITLE_CASE = (
    "Password Reset",
    "Reset My Password",
    "Change Password",
    "New Password",
    "Current Password",
    "Confirm Access",
    "Two-Factor Authentication",
    "Activate Authenticator App",
    "Authenticator Secret",
    "Recovery Codes",
    "Generate New Codes",
    "Sign In",
    "Bad Token",
)
TRUSTEE_WARNING = "You hold a share of the recovery key."
SEALED = "stays locked to you until the organization's trustees restore your access"


@pytest.fixture
def trustee(commission, admin) -> User:  # noqa: F811  (the fixture imported above)
    """Tove, one of two trustees holding a share of the recovery key."""
    tove, uri = new_login("Tove Trustee"), new_login("Uri Trustee")
    for person in (tove, uri):
        seat(person, commission)
        key_for(person)
    recovery.recovery_setup(trustees=[tove, uri], threshold=2, by=admin)
    return tove


def signed_in(user: User) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}).status_code == 302
    return client


def assert_in_our_words(page: str) -> None:
    found = [words for words in TITLE_CASE if words in page]
    assert not found, f"allauth's wording: {found}"


def reset_link(client: Client, email: str) -> str:
    client.post("/accounts/password/reset/", {"email": email})
    body = str(mail.outbox[-1].body)
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", body)
    assert link, body
    page = client.get(link.group(1))
    return page["Location"] if page.status_code == 302 else link.group(1)


def test_the_sign_in_page_says_what_a_reset_costs_beside_forgot_your_password(db):
    page = Client().get("/accounts/login/").content.decode()
    assert '<a href="/accounts/password/reset/">Forgot your password?</a>' in page
    assert "A reset locks your reports and case files until the trustees restore your access." in page
    assert_in_our_words(page)


def test_the_reset_page_warns_that_sealed_material_stays_locked_and_tells_trustees_what_they_lose(db):
    page = Client().get("/accounts/password/reset/").content.decode()
    assert "<h1>Reset your password</h1>" in page
    assert "Before you reset: your reports and case files stay locked for a while" in page
    assert SEALED in page
    assert "If you are a trustee of the recovery key" in page
    assert "A reset loses the share of the recovery key you hold" in page
    assert "Send me a reset link" in page
    assert_in_our_words(page)


def test_after_asking_for_a_reset_the_page_says_to_check_email_in_plain_words(member):
    response = Client().post("/accounts/password/reset/", {"email": member.email}, follow=True)
    page = response.content.decode()
    assert "<h1>Check your email</h1>" in page
    assert_in_our_words(page)


def test_a_trustee_choosing_a_new_password_from_a_reset_link_is_told_the_share_is_lost(trustee):
    client = Client()
    page = client.get(reset_link(client, trustee.email)).content.decode()
    assert "<h1>Choose a new password</h1>" in page
    assert "You hold a share of the recovery key" in page
    assert "sign in and change it instead, which keeps your share" in page
    assert_in_our_words(page)


def test_a_member_choosing_a_new_password_is_not_told_of_a_share_they_do_not_hold(member):
    client = Client()
    page = client.get(reset_link(client, member.email)).content.decode()
    assert "<h1>Choose a new password</h1>" in page
    assert "You hold a share of the recovery key" not in page
    assert "Your reports and case files stay locked to you until the organization" in page
    assert 'for="id_password1">New password' in page


def test_a_used_reset_link_says_so_and_offers_a_new_one(member):
    page = Client().get("/accounts/password/reset/key/1-not-a-key/").content.decode()
    assert "<h1>This link does not work any more</h1>" in page
    assert 'href="/accounts/password/reset/">Ask for a new one</a>' in page
    assert_in_our_words(page)


def test_the_change_password_page_offers_a_member_the_reset_with_its_cost(member):
    page = signed_in(member).get("/accounts/password/change/").content.decode()
    assert "<h1>Change your password</h1>" in page
    assert '<a href="/accounts/password/reset/">Forgot your password?</a>' in page
    assert TRUSTEE_WARNING not in page
    assert_in_our_words(page)


def test_a_trustee_is_not_offered_forgot_your_password_as_if_it_were_harmless(trustee):
    client = signed_in(trustee)
    for address in ("/accounts/password/change/", "/accounts/reauthenticate/"):
        page = client.get(address).content.decode()
        assert TRUSTEE_WARNING in page, address
        assert "Resetting your password by email would lose it" in page
        assert "change it here instead: a change keeps your share" in page
        assert "Forgot your password?" not in page, address


def test_the_reauthenticate_page_asks_to_confirm_it_is_you(member):
    page = signed_in(member).get("/accounts/reauthenticate/").content.decode()
    assert "<h1>Confirm it is you</h1>" in page
    assert 'for="id_password">Your password' in page
    assert_in_our_words(page)


def test_the_second_factor_pages_are_in_plain_words(member):
    client = Client()
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    setup = client.get("/accounts/2fa/totp/activate/").content.decode()
    assert "<h1>Set up an authenticator app</h1>" in setup
    assert "Turn it on" in setup
    assert_in_our_words(setup)

    enable_totp(Client(), member)
    client = Client()
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    second = client.get("/accounts/2fa/authenticate/").content.decode()
    assert "<h1>Two-factor authentication: enter your code</h1>" in second
    assert "Use a security key" in second
    assert_in_our_words(second)


def test_the_recovery_code_pages_are_in_plain_words(member):
    client = Client()
    enable_totp(client, member)
    codes = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert "<h1>Recovery codes</h1>" in codes
    assert "codes are still unused" in codes
    assert_in_our_words(codes)
    generate = client.get("/accounts/2fa/recovery-codes/generate/").content.decode()
    assert "<h1>Make new recovery codes</h1>" in generate
    assert "Your current codes stop working at once" in generate
    assert_in_our_words(generate)


def test_the_two_factor_overview_is_in_plain_words(member):
    client = Client()
    enable_totp(client, member)
    page = client.get("/accounts/2fa/").content.decode()
    assert "<h1>Two-factor authentication</h1>" in page
    assert "On: you sign in with a code from your app." in page
    assert 'href="/accounts/2fa/recovery-codes/generate/">Make new codes</a>' in page
    assert_in_our_words(page)


def test_signing_in_says_who_is_signed_in_once(member):
    client = Client()
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert "Signed in as" in page
    assert "Successfully signed in" not in page
