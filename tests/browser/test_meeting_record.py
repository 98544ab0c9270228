"""A member reads a meeting's record on a phone: its kind, who attended, who voted how; the list of meetings by kind
with the plain filter form. Every page passes axe and fits a 390 px screen without sideways scrolling."""

import pytest
from playwright.sync_api import expect

from rankfile.governance import actions
from rankfile.ledger.actions import OPERATOR
from tests.browser.helpers import sign_in
from tests.governance.builders import login, meeting, organization, person_for

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_a_member_reads_who_attended_and_who_voted_how_on_a_phone(live_server, new_page, a11y, member):
    org = organization()
    person_for(member)
    guest = person_for(login("Gwendolyn Guest-Longname"))
    held = meeting([org.national, org.steering], present=[*org.nationals, *org.stewards], invited=[guest])
    roll_call = actions.motion_make(
        meeting=held, text="That the budget is published every quarter.", mover=org.nationals[0], by=OPERATOR
    )
    choices = ["for", "for", "against", "abstain", "for", "for"]
    actions.vote_record(
        motion=roll_call,
        method="roll_call",
        roll_call=list(zip([*org.nationals, *org.stewards], choices, strict=True)),
        by=OPERATOR,
    )
    unanimous = actions.motion_make(meeting=held, text="That we thank the hosts.", mover=org.stewards[0], by=OPERATOR)
    actions.vote_record(motion=unanimous, method="unanimous", by=OPERATOR)
    actions.motion_make(meeting=held, text="That we meet again.", mover=org.stewards[0], by=OPERATOR)
    actions.meeting_create(
        bodies=[org.steering], held_on=held.held_on, title="Steering, urgent", kind="emergency", by=OPERATOR
    )

    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, a11y, base_url=live_server.url, email=member.email)
    page.goto(f"{live_server.url}/meetings/")
    expect(page.get_by_text("Regular joint meeting")).to_be_visible()
    a11y.check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_label("Kind").select_option("emergency")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Steering, urgent")).to_be_visible()
    expect(page.get_by_role("link", name="Meeting", exact=True)).to_have_count(0)
    a11y.check(page)
    page.get_by_label("Kind").select_option("joint")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Steering, urgent")).to_have_count(0)
    page.get_by_role("link", name="Meeting", exact=True).click()

    expect(page.get_by_role("heading", name="Who attended")).to_be_visible()
    expect(page.get_by_text("Gwendolyn Guest-Longname")).to_be_visible()
    expect(page.get_by_text("Vote: carried, unanimous (6 present with a vote).")).to_be_visible()
    expect(page.get_by_text("not voted on; the meeting has passed")).to_be_visible()
    roll = page.locator("dl.roll-call")
    expect(roll).to_contain_text("Nat 1, Nat 2, Steward 2, Steward 3")
    expect(roll).to_contain_text("Steward 1")
    a11y.check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
