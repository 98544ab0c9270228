"""A party asks an adviser on a phone: suggestions come as she types, the page fits a 390 px screen; the adviser
answers from the home page, reads nothing before accepting and the case once they have."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.browser.test_reporting import can_sign_in, email_of, sign_in_with_totp
from tests.cases import casebuilders as cb

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_a_reporter_asks_an_adviser_on_a_phone_and_the_adviser_accepts_before_reading(live_server, new_page, a11y):
    org = cb.full_organization()
    case = cb.noticed(org)
    rae, one = can_sign_in(org["rae"]), can_sign_in(org["one"])
    party_page = f"{live_server.url}/cases/mine/{case.reference}/"

    reporter = new_page()
    reporter.set_viewport_size(PHONE)
    sign_in(reporter, a11y, base_url=live_server.url, email=email_of(rae))
    reporter.goto(party_page)
    a11y.check(reporter)
    reporter.locator("summary", has_text="Your adviser").click()  # folded among the other things she can do
    field = reporter.get_by_label("Your adviser")
    field.press_sequentially("Deleg")
    expect(reporter.locator("#adviser-matches option")).to_have_count(2)  # One and Two Delegate, nobody else
    assert reporter.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    field.fill("One Delegate")
    reporter.get_by_role("button", name="Ask them").click()
    expect(reporter.get_by_text("One Delegate was asked to be your adviser.")).to_be_visible()
    a11y.check(reporter)
    assert reporter.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    adviser = new_page()
    adviser.set_viewport_size(PHONE)
    sign_in_with_totp(adviser, a11y, base_url=live_server.url, who=one)  # the home page, once signed in
    adviser.get_by_role("link", name="Accept or decline being an adviser").click()
    expect(
        adviser.get_by_text("Rae Reporter, the reporter in this case, asked you to be their adviser.")
    ).to_be_visible()
    expect(adviser.get_by_text("Unwanted touching")).to_have_count(0)
    a11y.check(adviser)
    adviser.get_by_role("button", name="I accept").click()
    expect(adviser.get_by_text("Unwanted touching at the branch meeting of 3 March.")).to_be_visible()
    a11y.check(adviser)
    assert adviser.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
