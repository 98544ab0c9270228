"""A public apology in a real browser on a phone: the steering committee's chair publishes it through the form,
citing the vote that adopted it, and a visitor who is not signed in finds it on the public page of statements. Every
page fits a 390 px screen and passes axe."""

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from rankfile.voice.models import Statement
from tests.browser.helpers import sign_in
from tests.browser.test_reporting import can_sign_in, email_of, sign_in_with_totp
from tests.cases import casebuilders as cb
from tests.voice.statement_helpers import APOLOGY, carried, steering_meeting

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def on_phone(new_page, a11y, live_server, who: cb.Member) -> Page:
    page = new_page()
    page.set_viewport_size(PHONE)
    if Authenticator.objects.filter(user=who.user).exists():
        sign_in_with_totp(page, a11y, base_url=live_server.url, who=who)
    else:
        sign_in(page, a11y, base_url=live_server.url, email=email_of(who))
    return page


def fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def opened(page: Page, a11y, url: str) -> None:
    page.goto(url)
    a11y.check(page)
    fits(page)


def test_the_chair_publishes_an_apology_and_anyone_reads_it_signed_out_on_a_phone(live_server, new_page, a11y):
    org = cb.full_organization()
    vote = carried(org, steering_meeting(org))
    dale = on_phone(new_page, a11y, live_server, can_sign_in(org["dale"]))
    opened(dale, a11y, live_server.url + "/voice/statements/")
    dale.get_by_role("link", name="Publish a statement a body adopted").click()
    dale.wait_for_url("**/voice/statements/new/")
    a11y.check(dale)
    fits(dale)
    dale.get_by_label("The body that adopted it").select_option(label=org.steering.name)
    dale.get_by_label("apology").check()
    dale.get_by_label("public").check()
    dale.get_by_label("Title").fill("An apology to the members")
    dale.get_by_label("The statement").fill(APOLOGY)
    dale.get_by_label("The vote that adopted it").select_option(value=vote)
    dale.get_by_role("button", name="Publish").click()
    expect(dale.get_by_role("heading", name="An apology to the members", level=1)).to_be_visible()
    a11y.check(dale)
    fits(dale)
    statement = Statement.objects.get()

    visitor = new_page()
    visitor.set_viewport_size(PHONE)
    opened(visitor, a11y, live_server.url + "/voice/public/statements/")
    visitor.get_by_role("link", name="An apology to the members").click()
    visitor.wait_for_url(f"**/voice/public/statements/{statement.reference}/")
    a11y.check(visitor)
    fits(visitor)
    expect(visitor.get_by_text("An apology by the Steering Committee")).to_be_visible()
    expect(visitor.get_by_text(APOLOGY)).to_be_visible()
