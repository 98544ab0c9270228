"""Reporting without an account in a real browser, on a phone 390 px wide: the way in from the home page, the receipt
code copied, downloaded and guarded against a link that would lose it, the quick exit that leaves no page behind in
the history, and the end of an anonymous session."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.cases.builders import organization

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing to scroll sideways


def test_a_signed_out_visitor_finds_the_anonymous_path_on_the_home_page(live_server, new_page, a11y):
    organization()
    page = new_page()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    a11y.check(page)
    fits_the_phone(page)
    page.get_by_role("link", name="Report without signing in (anonymously)").click()
    expect(page.get_by_role("heading", name="Make a report")).to_be_visible()
    expect(page.get_by_role("link", name="Leave this site quickly")).to_be_visible()
    a11y.check(page)
    fits_the_phone(page)


def test_the_receipt_code_is_copied_downloaded_and_not_lost_to_a_link(live_server, new_page, a11y, tmp_path: Path):
    organization()
    page = new_page()
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + "/report/")
    a11y.check(page)
    page.get_by_role("button", name="Start a report without an account").click()
    expect(page.get_by_role("heading", name="Your receipt code")).to_be_visible()
    a11y.check(page)
    fits_the_phone(page)
    code = page.locator("#receipt-code").inner_text()
    assert re.fullmatch(r"\d{4}(-\d{4}){4}", code)

    page.get_by_role("button", name="Copy the code").click()
    expect(page.get_by_role("status")).to_have_text("Copied. Paste it somewhere only you can reach.")
    assert page.evaluate("navigator.clipboard.readText()") == code

    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download it as a text file").click()
    saved = tmp_path / "code.txt"
    downloading.value.save_as(saved)
    assert downloading.value.suggested_filename == "receipt code.txt"
    text = saved.read_text(encoding="utf-8")
    assert code in text
    assert f"{live_server.url}/report/receipt/" in text
    expect(page.get_by_role("heading", name="Your receipt code")).to_be_visible()  # the page stays

    # A link that leads away asks first; staying keeps the code on screen.
    asked: list[str] = []

    def stay(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", stay)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(page.locator("#receipt-code")).to_have_text(code)
    assert asked
    assert asked[0].startswith("Your receipt code is shown only this once.")

    page.get_by_role("link", name="I have kept my code: write my report").click()
    expect(page.get_by_role("heading", name="Your report of")).to_be_visible()
    a11y.check(page)
    fits_the_phone(page)


def test_the_quick_exit_leaves_no_reporting_page_in_the_history_and_the_session_can_end(
    live_server, new_page, a11y, settings
):
    organization()
    settings.QUICK_EXIT_URL = live_server.url + "/accounts/login/"  # a neutral page this test can reach
    page = new_page()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/report/")
    a11y.check(page)
    page.get_by_role("button", name="Start a report without an account").click()
    page.get_by_role("link", name="I have kept my code: write my report").click()
    expect(page.get_by_role("heading", name="Your report of")).to_be_visible()
    a11y.check(page)

    page.get_by_role("button", name="End this session").click()
    expect(page.get_by_text("This session has ended. Only your receipt code opens your report again.")).to_be_visible()
    expect(page.get_by_role("button", name="End this session")).to_have_count(0)
    a11y.check(page)
    fits_the_phone(page)

    page.get_by_role("link", name="I have a receipt code: go back to my report").click()
    expect(page.get_by_label("Receipt code")).to_have_attribute("inputmode", "numeric")
    a11y.check(page)
    fits_the_phone(page)
    before = page.evaluate("history.length")
    page.get_by_role("link", name="Leave this site quickly").click()
    page.wait_for_url(live_server.url + "/accounts/login/")
    a11y.check(page)
    assert page.evaluate("history.length") == before  # the reporting page was replaced, not left behind
