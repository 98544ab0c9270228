"""Each person, signed in on a phone (and on a desktop), sees on the home page what waits for them and reaches the
page where it is done in one step; the page fits a 390 px screen and passes axe."""

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, ViewportSize, expect

from rankfile.cases.actions import process
from tests.browser.helpers import sign_in
from tests.browser.test_reporting import can_sign_in, email_of, sign_in_with_totp
from tests.cases import casebuilders as cb
from tests.web.test_overdue import overdue_mandate

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


def _signed_in(new_page, a11y, live_server, who: cb.Member, size: ViewportSize) -> Page:
    page = new_page()
    page.set_viewport_size(size)
    if Authenticator.objects.filter(user=who.user).exists():
        sign_in_with_totp(page, a11y, base_url=live_server.url, who=who)
    else:
        sign_in(page, a11y, base_url=live_server.url, email=email_of(who))
    return page


def _fits(page: Page, size: ViewportSize) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_each_person_finds_what_waits_for_them_and_opens_it(live_server, new_page, a11y, size):
    org = cb.full_organization()
    noticed = cb.noticed(org)  # the respondent must respond
    drafted = cb.seated(org, cb.opened(org, cb.formal_report(org, reporter="rae", respondent="one")))
    process.notice_draft(case=drafted, allegations=cb.ALLEGATIONS, by=org["dana"].user)  # the reporter must agree
    mandate = overdue_mandate(org)  # the steering committee's: its members report progress

    # Each person: what the home page lists for them, and the heading of the page its link opens.
    walks = [
        ("ray", "Send your response to the notice", f"/cases/mine/{noticed.reference}/"),
        ("rae", "Read the draft notice and agree to it", f"/cases/mine/{drafted.reference}/"),
        ("lee", "Report progress on a mandate", f"/mandates/{mandate.reference}/"),
        ("dana", "Draft the notice, have the reporter agree, then give it", f"/cases/case/{drafted.reference}/"),
    ]
    for name, what, path in walks:
        page = _signed_in(new_page, a11y, live_server, can_sign_in(org[name]), size)
        link = page.get_by_role("link", name=what)
        expect(link).to_be_visible()
        _fits(page, size)
        link.click()
        page.wait_for_url(f"**{path}")
        a11y.check(page)

    # Someone with nothing to do is told so, in plain words.
    page = _signed_in(new_page, a11y, live_server, can_sign_in(org["two"]), size)
    expect(page.get_by_text("Nothing waits for you now.", exact=False)).to_be_visible()
    _fits(page, size)
