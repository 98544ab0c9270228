"""The three pages of a case on a phone (390 px) and on a desktop (1280 px): the panel's workspace, a party's page and
the appeals body's page each open with where the case stands and the one next step, before the case's material; the
other steps are folded away; nothing scrolls sideways, not even the panel's table or an unfolded form; axe passes."""

import pytest
from playwright.sync_api import Page, expect

from rankfile.cases.actions import decisions
from tests.browser.helpers import sign_in
from tests.browser.test_reporting import can_sign_in, email_of, sign_in_with_totp
from tests.cases import casebuilders as cb

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (390, 1280)
NEXT_BEFORE_MATERIAL = """() => {
    const next = document.getElementById('next-step');
    const material = document.getElementById('documents-heading');
    const following = next.compareDocumentPosition(material) & Node.DOCUMENT_POSITION_FOLLOWING;
    return Boolean(following) && next.getBoundingClientRect().bottom <= material.getBoundingClientRect().top;
}"""
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def check_layout(page: Page, a11y, url: str, *, width: int, next_button: str) -> None:
    """At ``width``: the next step, with its primary button, comes before the material; nothing scrolls sideways."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    next_step = page.locator("#next-step")
    expect(next_step.get_by_role("button", name=next_button)).to_be_visible()
    expect(next_step.get_by_role("button", name=next_button)).to_have_class("primary")
    assert page.evaluate(NEXT_BEFORE_MATERIAL), f"the next step is not above the material at {width} px"
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{url} scrolls sideways at {width} px"
    a11y.check(page)


def unfold(page: Page, a11y, summary: str, *, width: int) -> None:
    page.locator("summary", has_text=summary).click()
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"“{summary}” unfolded scrolls sideways at {width} px"
    a11y.check(page)


def test_the_panel_workspace_at_390_and_1280_px(live_server, new_page, a11y):
    org = cb.full_organization()
    case = cb.for_decision(org)
    dev = can_sign_in(org["dev"])
    page = new_page()
    sign_in_with_totp(page, a11y, base_url=live_server.url, who=dev)
    for width in WIDTHS:
        check_layout(
            page, a11y, f"{live_server.url}/cases/case/{case.reference}/", width=width, next_button="Check the decision"
        )
        expect(page.get_by_text("Waiting for the decision")).to_be_visible()
        expect(page.get_by_role("cell", name="Dora Discipline")).to_be_visible()  # the panel's table, readable
        expect(page.get_by_role("button", name="Impose the measure")).to_be_hidden()  # folded away
        unfold(page, a11y, "Impose an interim measure on the respondent", width=width)
        expect(page.get_by_role("button", name="Impose the measure")).to_be_visible()


def test_the_party_page_at_390_and_1280_px(live_server, new_page, a11y, settings):
    org = cb.full_organization()
    settings.QUICK_EXIT_URL = live_server.url + "/ledger/checkpoint/"  # a neutral page this test can reach
    case = cb.noticed(org)
    ray = can_sign_in(org["ray"])
    page = new_page()
    sign_in(page, a11y, base_url=live_server.url, email=email_of(ray))
    for width in WIDTHS:
        check_layout(
            page, a11y, f"{live_server.url}/cases/mine/{case.reference}/", width=width, next_button="Send my response"
        )
        expect(page.get_by_text("Waiting for your response — due")).to_be_visible()
        expect(page.get_by_text("Unwanted touching at the branch meeting of 3 March.")).to_be_visible()
        unfold(page, a11y, "Your adviser", width=width)
        expect(page.get_by_role("button", name="Ask them")).to_be_visible()
        expect(page.get_by_role("heading", name="Support, whatever happens in your case")).to_be_visible()
    # Leaving quickly replaces the party's page in the history: Back does not find it.
    before = page.evaluate("history.length")
    page.get_by_role("link", name="Leave this site quickly").click()
    page.wait_for_url(live_server.url + "/ledger/checkpoint/")
    a11y.check(page)
    assert page.evaluate("history.length") == before


def test_the_appeals_page_at_390_and_1280_px(live_server, new_page, a11y):
    org = cb.full_organization()
    decision = cb.decided(org, sanctions=("warning",))
    case = decision.case
    appeal = decisions.appeal_lodge(
        case=case,
        grounds=["disproportionate_sanction"],
        statement="A warning is out of proportion.",
        key=org["ray"].key,
        by=org["ray"].user,
    )
    decisions.appeal_record_send(appeal=appeal, by=org["dana"].user, key=org["dana"].key)
    abe = can_sign_in(org["abe"])
    page = new_page()
    sign_in_with_totp(page, a11y, base_url=live_server.url, who=abe)
    for width in WIDTHS:
        check_layout(
            page,
            a11y,
            f"{live_server.url}/cases/appeal/{case.reference}/",
            width=width,
            next_button="Decide the appeal",
        )
        expect(page.get_by_text("The appeal is before the appeals body")).to_be_visible()
        expect(page.get_by_text("A warning is out of proportion.")).to_be_visible()
