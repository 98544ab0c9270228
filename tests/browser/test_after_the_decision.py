"""The expelled respondent, on a phone, after the final decision: his home page says where his membership stands and
his menu offers only what opens; his case page's support card is his. Each fits 390 px and passes axe."""

import pytest
from playwright.sync_api import expect

from rankfile.cases.actions import decisions
from tests.browser.test_home_pages import PHONE, _fits, _signed_in
from tests.browser.test_reporting import can_sign_in
from tests.cases import casebuilders as cb

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_expelled_respondent_reads_his_membership_and_his_support_on_a_phone(live_server, new_page, a11y):
    org = cb.full_organization()
    decision = cb.decided(org, sanctions=("expulsion", "bar_from_office"))
    decisions.appeal_waive(case=decision.case, key=org["ray"].key, by=org["ray"].user)
    decisions.appeal_waive(case=decision.case, key=org["rae"].key, by=org["rae"].user)
    page = _signed_in(new_page, a11y, live_server, can_sign_in(org["ray"]), PHONE)
    expect(page.get_by_role("heading", name="Your membership")).to_be_visible()
    expect(page.get_by_text("You were expelled on", exact=False)).to_be_visible()
    expect(page.get_by_text("You are barred from office until", exact=False)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Elections")).to_have_count(0)
    _fits(page, PHONE)
    a11y.check(page)

    page.goto(f"{live_server.url}/cases/mine/{decision.case.reference}/")
    expect(page.get_by_role("heading", name="Support, whatever happens in your case")).to_be_visible()
    expect(page.get_by_role("link", name="Make a complaint about the process")).to_be_visible()
    expect(page.get_by_text("Decided and final", exact=False)).to_be_visible()
    _fits(page, PHONE)
    a11y.check(page)
