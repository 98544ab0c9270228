"""A security key in a real browser: Chromium's virtual authenticator stands in for the key. A member adds it on
allauth's page (its scripts run under the Content-Security-Policy), sees it listed, and signs in with it. WebAuthn
takes a host name, not an IP address, as the relying party: the browser uses http://localhost, a secure context."""

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_adds_a_security_key_and_signs_in_with_it(live_server, settings, new_page, a11y, member):
    base_url = live_server.url.replace("127.0.0.1", "localhost")
    settings.BASE_URL = base_url
    page = new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    sign_in(page, a11y, base_url=base_url, email=member.email)

    page.goto(base_url + "/accounts/2fa/webauthn/add/")
    a11y.check(page)
    page.get_by_label("Password").fill(PASSWORD)  # allauth asks for it again before a factor is added
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Add Security Key")).to_be_visible()
    a11y.check(page)
    page.get_by_label("Name").fill("Blue key")
    page.get_by_role("button", name="Add").click()
    # The first factor comes with recovery codes, shown once.
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    a11y.check(page)
    page.goto(base_url + "/accounts/2fa/webauthn/")
    expect(page.get_by_role("cell", name="Blue key")).to_be_visible()
    a11y.check(page)
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.WEBAUTHN).count() == 1

    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    a11y.check(page)
    page.goto(base_url + "/accounts/login/")
    a11y.check(page)
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    a11y.check(page)
    page.get_by_role("button", name="Use a security key").click()
    expect(page.get_by_text("Signed in as Mo Member.", exact=True)).to_be_visible()
    a11y.check(page)
