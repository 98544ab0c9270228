"""A member of the oversight body opens a process investigation on a phone: she types part of an official's name,
the page offers the members who have it to tick, and the ticked one is concerned."""

import pytest
from playwright.sync_api import expect

from rankfile.cases.models import Case, CaseKind
from rankfile.org.models import Person
from tests.browser.test_reporting import can_sign_in, sign_in_with_totp
from tests.cases import casebuilders as cb

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_the_oversight_body_names_an_official_by_part_of_the_name_and_ticks_them(live_server, new_page, a11y):
    org = cb.full_organization()
    north, _south = Person.objects.bulk_create([Person(name="Riley Northgate"), Person(name="Riley Southgate")])
    olu = can_sign_in(org["olu"])

    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in_with_totp(page, a11y, base_url=live_server.url, who=olu)
    page.goto(f"{live_server.url}/cases/investigations/new/")
    a11y.check(page)
    page.get_by_label("Officials concerned").fill("Riley")
    page.get_by_role("button", name="Open the investigation").click()
    expect(
        page.get_by_text("Several members have “Riley” in their name: tick the one you mean below.").first
    ).to_be_visible()
    a11y.check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("Riley Northgate").check()
    page.get_by_role("button", name="Open the investigation").click()
    expect(page.get_by_text("the officials concerned were taken out of it.")).to_be_visible()
    a11y.check(page)
    assert list(Case.objects.get(kind=CaseKind.PROCESS).subjects.all()) == [north]
