"""Reporting in a real browser: an anonymous formal complaint and the way back with its receipt code, a private
record sent on later by a signed-in member, and a report filed on a phone with the keyboard alone."""

import re
from typing import Any

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from playwright.sync_api import Locator, Page, expect

from rankfile.cases.models import Report, ReportStatus
from tests.browser.helpers import sign_in
from tests.cases.builders import Member, organization
from tests.personas import PASSWORD
from tests.totp import code_to_enter

pytestmark = pytest.mark.django_db(transaction=True)

WHAT = "At the branch meeting on 3 May, R. followed me to the car park and would not let me leave."


def can_sign_in(who: Member) -> Member:
    """The builders' people have a key made with the test password; give them the password too."""
    user: Any = who.user
    user.set_password(PASSWORD)
    user.save()
    return who


def email_of(who: Member) -> str:
    user: Any = who.user
    return str(user.email)


def sign_in_with_totp(page: Page, a11y, *, base_url: str, who: Member) -> None:
    sign_in(page, a11y, base_url=base_url, email=email_of(who))
    authenticator = Authenticator.objects.get(user=who.user, type=Authenticator.Type.TOTP)
    page.get_by_label("Code").fill(code_to_enter(get_adapter().decrypt(authenticator.data["secret"])))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {who.person.name}.", exact=True)).to_be_visible()
    a11y.check(page)


def tab_to(page: Page, target: Locator, *, limit: int = 80) -> None:
    """Press Tab until ``target`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_an_anonymous_reporter_files_a_formal_complaint_comes_back_with_the_code_and_replies(
    live_server, new_page, a11y
):
    org = organization()
    dev = can_sign_in(org.people["dev"])

    page = new_page()
    page.goto(live_server.url + "/")
    a11y.check(page)
    page.get_by_role("link", name="Make a report").click()
    expect(page.get_by_role("heading", name="Make a report")).to_be_visible()
    expect(page.get_by_text("the body may still go ahead where others are at risk")).to_be_visible()
    a11y.check(page)
    page.get_by_role("button", name="Start a report without an account").click()
    expect(page.get_by_role("heading", name="Your receipt code")).to_be_visible()
    a11y.check(page)
    code = page.locator(".receipt-code code").inner_text()
    assert re.fullmatch(r"\d{4}(-\d{4}){4}", code)

    page.get_by_role("link", name="I have kept my code: write my report").click()
    expect(page.get_by_role("heading", name="Your report")).to_be_visible()
    a11y.check(page)
    page.get_by_label("What happened").fill(WHAT)
    expect(page.get_by_role("status")).to_have_text(re.compile(r"Saved at \d\d:\d\d"), timeout=10_000)
    page.get_by_label("Who was involved (optional)").fill("R., a branch officer")
    page.get_by_role("button", name="Save and choose what happens next").click()
    expect(page.get_by_role("heading", name="Choose what happens next")).to_be_visible()
    a11y.check(page)
    page.get_by_label("Formal complaint").check()
    page.get_by_label("Dale Discipline").check()
    page.get_by_role("button", name="Confirm my choice").click()
    expect(page.get_by_text("Your report was sent to the Disciplinary Committee.")).to_be_visible()
    a11y.check(page)
    report = Report.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    page.context.close()  # the reporter closes the browser: only the code leads back

    # A handler reads it, acknowledges it and writes to the reporter.
    handler = new_page()
    sign_in_with_totp(handler, a11y, base_url=live_server.url, who=dev)
    handler.get_by_role("link", name="Acknowledge a report").click()  # what waits for them, on the home page
    expect(handler.get_by_text(WHAT)).to_be_visible()
    a11y.check(handler)
    handler.get_by_role("link", name="Cases to handle").click()  # the menu offers the list to handlers
    a11y.check(handler)
    handler.get_by_role("link", name=re.compile(r"^Received ")).click()
    expect(handler.get_by_role("heading", name="Formal complaint received")).to_be_visible()
    expect(handler.get_by_text("Anonymous: reply only through messages here").first).to_be_visible()
    expect(handler.get_by_text(WHAT)).to_be_visible()
    a11y.check(handler)
    handler.get_by_role("button", name="Acknowledge this report").click()
    expect(handler.get_by_text("Acknowledged.")).to_be_visible()
    a11y.check(handler)
    handler.get_by_label("Message to the reporter").fill("Thank you for telling us. Can we talk on Thursday?")
    handler.get_by_role("button", name="Send to the reporter").click()
    expect(handler.get_by_text("Your message was sent.")).to_be_visible()
    a11y.check(handler)

    # The reporter comes back with the code, in a new browser.
    back = new_page()
    back.goto(live_server.url + "/report/")
    a11y.check(back)
    back.get_by_role("link", name="I have a receipt code: go back to my report").click()
    a11y.check(back)
    back.get_by_label("Receipt code").fill("0000-0000-0000-0000-0000")
    back.get_by_role("button", name="Open my report").click()
    expect(back.locator("#id_code_error")).to_contain_text("This code does not open any report.")
    a11y.check(back)
    back.get_by_label("Receipt code").fill(code)
    back.get_by_role("button", name="Open my report").click()
    expect(back.get_by_text("The Disciplinary Committee acknowledged your report")).to_be_visible()
    expect(back.get_by_text("Can we talk on Thursday?")).to_be_visible()
    reads = back.locator("section", has=back.get_by_role("heading", name="Who has read your report"))
    expect(reads.get_by_role("cell", name="Dev Discipline").first).to_be_visible()
    handling = back.locator("section", has=back.get_by_role("heading", name="Who is handling it"))
    expect(handling).to_contain_text("Dev Discipline")
    expect(handling).not_to_contain_text("Dale Discipline")  # the reporter ruled Dale out
    a11y.check(back)
    back.get_by_label("Your message").fill("Thursday works. After six, please.")
    back.get_by_role("button", name="Send message").click()
    expect(back.get_by_text("Your message was sent.")).to_be_visible()
    expect(back.get_by_text("Thursday works. After six, please.")).to_be_visible()
    a11y.check(back)


def test_a_signed_in_member_records_privately_then_sends_it_as_a_formal_complaint(live_server, new_page, a11y):
    org = organization()
    rae = can_sign_in(org.people["rae"])
    page = new_page()
    sign_in(page, a11y, base_url=live_server.url, email=email_of(rae))
    page.get_by_role("link", name="Make a report").click()
    a11y.check(page)
    page.get_by_role("button", name="Start a report", exact=True).click()
    expect(page.get_by_role("heading", name="Your report")).to_be_visible()
    a11y.check(page)
    page.get_by_label("What happened").fill(WHAT)
    page.get_by_label("When it happened (optional)").fill("3 May, after the meeting")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile(r"Saved at \d\d:\d\d"))).to_be_visible()
    a11y.check(page)
    page.get_by_role("button", name="Save and choose what happens next").click()
    a11y.check(page)
    page.get_by_label("Record only").check()
    page.get_by_role("button", name="Confirm my choice").click()
    expect(page.get_by_text("Your report is recorded privately. Only you can read it.")).to_be_visible()
    a11y.check(page)
    assert Report.objects.get().status == ReportStatus.RECORDED

    page.get_by_role("link", name="Read what you wrote").click()
    expect(page.get_by_text("3 May, after the meeting")).to_be_visible()
    a11y.check(page)
    page.get_by_role("link", name="Back to where your report stands").click()
    a11y.check(page)
    page.get_by_role("link", name="Send it on").click()
    a11y.check(page)
    expect(page.get_by_label("Record only")).to_have_count(0)
    page.get_by_label("Formal complaint").check()
    page.get_by_label("Who it is about (optional)").select_option(label="Ray Respondent")
    page.get_by_role("button", name="Confirm my choice").click()
    expect(page.get_by_text("Your report was sent to the Disciplinary Committee.")).to_be_visible()
    expect(page.get_by_text("The Disciplinary Committee must acknowledge it by")).to_be_visible()
    a11y.check(page)
    report = Report.objects.get()
    assert (report.status, report.respondent) == (ReportStatus.SUBMITTED, org.people["ray"].person)

    page.get_by_role("link", name="Rule out Dale Discipline").click()
    expect(page.get_by_text("they can no longer open your report")).to_be_visible()
    a11y.check(page)
    page.get_by_role("button", name="Rule out Dale Discipline").click()
    expect(page.get_by_text("Dale Discipline no longer handles your report")).to_be_visible()
    a11y.check(page)

    page.get_by_role("link", name="Withdraw my report").click()
    expect(page.get_by_text("Where others may be at risk, the body may still go ahead")).to_be_visible()
    a11y.check(page)
    page.get_by_role("link", name="Keep my report").click()
    a11y.check(page)


def test_a_report_is_filed_on_a_phone_with_the_keyboard_alone(live_server, new_page, a11y):
    organization()
    page = new_page()
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/report/")
    a11y.check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing to scroll sideways

    tab_to(page, page.get_by_role("button", name="Start a report without an account"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your receipt code")).to_be_visible()
    a11y.check(page)
    tab_to(page, page.get_by_role("link", name="I have kept my code: write my report"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your report")).to_be_visible()
    a11y.check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    tab_to(page, page.get_by_label("What happened"))
    page.keyboard.type("Someone at the social kept touching me after I said no.")
    tab_to(page, page.get_by_role("button", name="Save and choose what happens next"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Choose what happens next")).to_be_visible()
    a11y.check(page)

    # A radio group takes one Tab stop; Space chooses the focused option.
    tab_to(page, page.get_by_label("Record only"))
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Formal complaint")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_label("Formal complaint")).to_be_checked()
    tab_to(page, page.get_by_label("It is about how officials or a body handled something"))
    tab_to(page, page.get_by_role("button", name="Confirm my choice"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your report was sent to the Disciplinary Committee.")).to_be_visible()
    a11y.check(page)
    assert Report.objects.get().status == ReportStatus.SUBMITTED


@pytest.mark.parametrize(
    ("path", "body"), [("Support only", "Support Team"), ("Informal resolution", "Disciplinary Committee")]
)
def test_a_signed_in_member_asks_for_support_or_an_informal_resolution(live_server, new_page, a11y, path, body):
    org = organization()
    rae = can_sign_in(org.people["rae"])
    page = new_page()
    sign_in(page, a11y, base_url=live_server.url, email=email_of(rae))
    page.get_by_role("link", name="Make a report").click()
    a11y.check(page)
    page.get_by_role("button", name="Start a report", exact=True).click()
    a11y.check(page)
    page.get_by_label("What happened").fill(WHAT)
    page.get_by_role("button", name="Save and choose what happens next").click()
    a11y.check(page)
    page.get_by_label(path).check()
    page.get_by_role("button", name="Confirm my choice").click()
    expect(page.get_by_text(f"Your report was sent to the {body}.")).to_be_visible()
    a11y.check(page)
    report = Report.objects.get()
    assert (report.status, report.path) == (
        ReportStatus.SUBMITTED,
        "support_only" if path == "Support only" else "informal",
    )
