import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.personas import PASSWORD
from tests.totp import fresh_code, totp_code

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "river stone quiet harbour 31"


def sign_in(page, a11y, *, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_invite_set_password_enable_totp_and_sign_in_with_it(live_server, settings, new_page, a11y, admin):
    settings.BASE_URL = live_server.url

    # The site administrator invites a new person from the Invitations page.
    admin_page = new_page()
    admin_page.goto(live_server.url + "/accounts/login/")
    a11y.check(admin_page)
    sign_in(admin_page, a11y, email=admin.email, password=PASSWORD)
    expect(admin_page.get_by_text("Signed in as Ada Admin.", exact=True)).to_be_visible()
    a11y.check(admin_page)
    admin_page.get_by_role("link", name="Invitations").click()
    a11y.check(admin_page)
    admin_page.get_by_label("Email address").fill("sam@example.org")
    admin_page.get_by_label("Name (optional)").fill("Sam Newcomer")
    admin_page.get_by_role("button", name="Send invitation").click()
    expect(admin_page.get_by_text("Invitation sent to sam@example.org.")).to_be_visible()
    a11y.check(admin_page)

    # The invitee opens the link from the email and chooses a password.
    found = re.search(r"http://\S+/invite/\S+/", str(mail.outbox[-1].body))
    assert found, mail.outbox[-1].body
    link = found.group(0)
    page = new_page()
    page.goto(link)
    a11y.check(page)
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    a11y.check(page)

    # Secure cookies are kept on http://127.0.0.1 (a secure context), so the session holds.
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["sessionid"]["secure"]
    assert cookies["sessionid"]["httpOnly"]

    # Two-factor setup: allauth asks for the password again, then shows the secret.
    page.get_by_role("link", name="Set up two-factor authentication").click()
    a11y.check(page)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    a11y.check(page)
    secret = page.locator("#authenticator_secret").input_value()
    activation_code = totp_code(secret)
    page.get_by_label("Authenticator code").fill(activation_code)
    page.get_by_role("button", name="Turn it on").click()
    expect(page.get_by_text("Authenticator app activated.")).to_be_visible()
    a11y.check(page)

    # Sign out from the account menu.
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    a11y.check(page)
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()

    # Sign in again: password, then a wrong code (refused clearly), then the right one.
    page.goto(live_server.url + "/accounts/login/")
    sign_in(page, a11y, email="sam@example.org", password=NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    a11y.check(page)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Code: Incorrect code.")
    a11y.check(page)
    page.get_by_label("Code").fill(fresh_code(secret, used=activation_code))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Sam Newcomer.", exact=True)).to_be_visible()
    a11y.check(page)
