from datetime import date

import pytest
from playwright.sync_api import expect

from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions, bylaws
from rankfile.org.models import Body
from tests.browser.helpers import sign_in
from tests.org.builders import body, enrolled

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_browses_bodies_people_and_their_own_membership(live_server, new_page, a11y, member):
    enrolled("Mo Member", user=member)
    actions.bylaws_adopt(
        document=bylaws.defaults(), effective_from=date(2020, 1, 1), adopted_by_vote="Convention 2019", by=OPERATOR
    )
    steering = body("steering-committee", max_size=9)
    actions.person_seat(
        person=enrolled("Ana Abara"),
        body=steering,
        basis="elected",
        starts_on=date(2014, 6, 1),
        role="chair",
        by=OPERATOR,
    )
    page = new_page()
    sign_in(page, a11y, base_url=live_server.url, email=member.email)

    page.get_by_role("link", name="Bodies").click()
    a11y.check(page)
    page.get_by_role("link", name="Steering Committee").click()
    expect(page.get_by_role("heading", name="Sitting today")).to_be_visible()
    a11y.check(page)
    page.get_by_label("On date").fill("2013-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Nobody sat on this body on 1 January 2013.")).to_be_visible()
    a11y.check(page)

    page.get_by_role("link", name="Members", exact=True).click()
    a11y.check(page)
    page.get_by_label("Name contains").fill("abara")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Ana Abara").click()
    expect(page.get_by_role("heading", name="Ana Abara")).to_be_visible()
    a11y.check(page)

    page.locator(".user-menu summary").click()
    page.get_by_role("link", name="My membership").click()
    expect(page.get_by_role("heading", name="Membership history")).to_be_visible()
    a11y.check(page)

    page.get_by_role("link", name="Bylaws").click()
    expect(page.get_by_text("Version 1 is in force")).to_be_visible()
    a11y.check(page)
    page.get_by_role("link", name="Version 1, in force from").click()
    expect(page.get_by_role("heading", name="Bylaws, version 1")).to_be_visible()
    a11y.check(page)


def test_site_admin_adopts_a_new_version_of_the_bylaws(live_server, new_page, a11y, admin):
    page = new_page()
    sign_in(page, a11y, base_url=live_server.url, email=admin.email)
    page.goto(live_server.url + "/org/bylaws/adopt/")
    a11y.check(page)
    text = page.get_by_label("Bylaws (TOML)").input_value()
    page.get_by_label("Bylaws (TOML)").fill(text.replace("appeal_window = 14", "appeal_window = 0"))
    page.get_by_label("In force from").fill("2026-01-01")
    page.get_by_label("Adopted by the vote").fill("Convention 2025, motion 9")
    page.get_by_role("button", name="Adopt this version").click()
    expect(page.get_by_text("deadlines.appeal_window: a number of days from 1 to 365").first).to_be_visible()
    a11y.check(page)
    page.get_by_label("Bylaws (TOML)").fill(text.replace("appeal_window = 14", "appeal_window = 21"))
    page.get_by_role("button", name="Adopt this version").click()
    expect(page.get_by_text("Version 1 adopted.")).to_be_visible()
    a11y.check(page)

    # On a phone, the bylaws as they stood on another day.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/org/bylaws/")
    page.get_by_label("On date").fill("2025-12-31")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("No bylaws had been adopted by")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    a11y.check(page)


def test_site_admin_adds_a_person_and_is_told_why_a_seat_is_refused(live_server, new_page, a11y, admin):
    body("steering-committee", max_size=1)
    actions.person_seat(
        person=enrolled("Ana Abara"),
        body=Body.objects.get(slug="steering-committee"),
        basis="elected",
        starts_on=date(2020, 1, 1),
        by=OPERATOR,
    )
    page = new_page()
    sign_in(page, a11y, base_url=live_server.url, email=admin.email)
    page.get_by_role("link", name="Members", exact=True).click()
    a11y.check(page)
    page.get_by_role("link", name="Add a person").click()
    a11y.check(page)
    page.get_by_label("Name").fill("Nia New")
    page.get_by_label("Member since (leave empty for a non-member)").fill("2024-01-01")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Nia New was added.")).to_be_visible()
    a11y.check(page)
    page.get_by_role("link", name="Seat on a body").click()
    a11y.check(page)
    page.get_by_label("Body").select_option(label="Steering Committee")
    page.get_by_label("How").select_option("elected")
    page.get_by_label("From:", exact=True).fill("2025-01-01")
    page.get_by_role("button", name="Seat").click()
    expect(page.get_by_text("The body has no free seat on 1 January 2025.")).to_be_visible()
    a11y.check(page)


def test_a_member_leaves_an_old_caucus_from_its_page_on_a_phone(live_server, new_page, a11y, member):
    """A caucus of the older kind points to Members' voice, and its member leaves it there, on a phone's width."""
    mo = enrolled("Mo Member", user=member)
    caucus = body("disability-caucus", kind="caucus")
    actions.person_seat(person=mo, body=caucus, basis="appointed", starts_on=date(2016, 1, 31), by=OPERATOR)
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, a11y, base_url=live_server.url, email=member.email)

    page.goto(f"{live_server.url}/org/bodies/disability-caucus/")
    expect(page.locator("#main").get_by_role("link", name="Members' voice")).to_be_visible()
    # Who sits on it sees who does.
    expect(page.get_by_role("table").get_by_role("link", name="Mo Member")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing to scroll sideways
    a11y.check(page)
    page.get_by_role("button", name="Leave this caucus").click()
    expect(page.get_by_text("You have left Disability Caucus.")).to_be_visible()
    expect(page.get_by_role("button", name="Leave this caucus")).to_have_count(0)
    a11y.check(page)


def test_the_admins_page_of_a_person_fits_a_phone(live_server, new_page, a11y, admin):
    """The seats and the membership history stack on a phone's width: nothing to scroll sideways, no empty column;
    the link to end a seat sits by "still sitting", the proof by the reason."""
    ana = enrolled("Ana Abara-Okonkwo-Lindqvist")
    actions.membership_status_change(
        person=ana,
        status="on_leave",
        effective_from=date(2024, 3, 1),
        until=date(2024, 9, 1),
        reason_code="parental_leave",
        by=OPERATOR,
    )
    steering = body("steering-committee", max_size=9)
    actions.person_seat(person=ana, body=steering, basis="elected", starts_on=date(2014, 6, 1), by=OPERATOR)
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, a11y, base_url=live_server.url, email=admin.email)

    page.goto(f"{live_server.url}/org/people/{ana.pk}/")
    expect(page.get_by_role("heading", name="Membership history")).to_be_visible()
    a11y.check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing to scroll sideways
    headers = page.locator("main th").all_inner_texts()
    assert "Ledger" not in headers
    assert all(header.strip() for header in headers)  # no column without a name (an empty "Actions")
    expect(page.get_by_role("link", name="End this seat (Steering Committee)")).to_be_visible()
    expect(page.get_by_role("link", name="Proof on the ledger").first).to_be_visible()


def test_the_sent_invitations_fit_a_phone_and_name_the_member(live_server, new_page, a11y, admin):
    """After sending an invitation, the list of sent invitations stacks on a phone's width and names the member."""
    actions.person_create(name="Ana Abara-Okonkwo-Lindqvist", email="ana.abara-okonkwo@example.org", by=OPERATOR)
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, a11y, base_url=live_server.url, email=admin.email)

    page.goto(f"{live_server.url}/invitations/")
    a11y.check(page)
    page.get_by_label("Who (on the membership list)").select_option(
        label="Ana Abara-Okonkwo-Lindqvist (ana.abara-okonkwo@example.org)"
    )
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("heading", name="Sent invitations")).to_be_visible()
    expect(page.locator("main td", has_text="Ana Abara-Okonkwo-Lindqvist")).to_be_visible()
    a11y.check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing to scroll sideways
