import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_forgotten_password_is_reset_by_email(live_server, settings, new_page, a11y, member):
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
    page = new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Before you reset: your reports and case files stay")).to_be_visible()
    a11y.check(page)
    page.get_by_label("Your email address").fill(member.email)
    page.get_by_role("button", name="Send me a reset link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    a11y.check(page)

    found = re.search(r"https?://\S+/accounts/password/reset/key/\S+", str(mail.outbox[-1].body))
    assert found, mail.outbox[-1].body
    path = "/" + found.group(0).split("://", 1)[1].split("/", 1)[1]
    page.goto(live_server.url + path)
    a11y.check(page)
    new_password = "ember violet ledger 2026"
    page.get_by_label("New password:", exact=True).fill(new_password)
    page.get_by_label("New password again").fill(new_password)
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_text("Your password is now changed.")).to_be_visible()
    a11y.check(page)

    page.goto(live_server.url + "/accounts/login/")
    a11y.check(page)
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(new_password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Mo Member.", exact=True)).to_be_visible()
    a11y.check(page)
