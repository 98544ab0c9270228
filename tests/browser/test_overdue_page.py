"""The oversight body opens its list of what is overdue from the menu, on a phone: an overdue mandate and a case's
missed deadline, most overdue first, nothing to scroll sideways, and the mandate's page one tap away."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_reporting import can_sign_in, sign_in_with_totp
from tests.cases import casebuilders as cb
from tests.web.test_overdue import overdue_mandate, overdue_notice

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_the_oversight_body_reads_what_is_overdue_on_a_phone(live_server, new_page, a11y):
    org = cb.full_organization()
    mandate = overdue_mandate(org)
    overdue_notice(org)
    oona = can_sign_in(org["oona"])

    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in_with_totp(page, a11y, base_url=live_server.url, who=oona)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Overdue").click()
    expect(page.get_by_role("heading", name="Overdue", level=1)).to_be_visible()
    listed = page.locator(".overdue-item")
    expect(listed).to_have_count(2)
    expect(listed.first).to_contain_text(f"Mandate {mandate.reference}: Publish the accounts")
    expect(listed.nth(1)).to_contain_text("Giving notice to a respondent")
    expect(listed.nth(1)).to_contain_text("Whose: Disciplinary Committee")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    a11y.check(page)

    listed.first.get_by_role("link", name="Open the mandate").click()
    expect(page).to_have_url(f"{live_server.url}/mandates/{mandate.reference}/")
    a11y.check(page)
