from datetime import date

import pytest
from playwright.sync_api import expect

from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions
from tests.org.builders import body, enrolled
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_browses_bodies_people_and_their_own_membership(live_server, new_page, a11y, member):
    enrolled("Mo Member", user=member)
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
    page.goto(live_server.url + "/accounts/login/")
    a11y.check(page)
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    a11y.check(page)

    page.get_by_role("link", name="Bodies").click()
    a11y.check(page)
    page.get_by_role("link", name="Steering Committee").click()
    expect(page.get_by_role("heading", name="Sitting today")).to_be_visible()
    a11y.check(page)
    page.get_by_label("On date").fill("2013-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Nobody sat on this body on that date.")).to_be_visible()
    a11y.check(page)

    page.get_by_role("link", name="Members").click()
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
