"""In a real browser: the key cookie arrives with sign-in, is out of reach of page scripts, and leaves with sign-out."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_key_cookie_is_strict_http_only_and_gone_after_sign_out(live_server, new_page, a11y, member):
    page = new_page()
    sign_in(page, a11y, base_url=live_server.url, email=member.email)
    expect(page.get_by_text("Signed in as Mo Member.", exact=True)).to_be_visible()

    cookies = {c["name"]: c for c in page.context.cookies()}
    key_cookie = cookies["rankfile_vault"]
    assert key_cookie["httpOnly"] is True
    assert key_cookie["secure"] is True
    assert key_cookie["sameSite"] == "Strict"
    assert key_cookie["expires"] == -1  # a session cookie: gone when the browser closes
    assert "rankfile_vault" not in page.evaluate("document.cookie")

    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    a11y.check(page)
    assert "rankfile_vault" not in {c["name"] for c in page.context.cookies()}
