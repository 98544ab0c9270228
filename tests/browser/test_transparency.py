"""A published transparency report on a phone 390 px wide, for a visitor who is not signed in: the list, the report
with each chart beside its table, nothing to scroll sideways, axe passes, and the spreadsheet downloads."""

import pytest
from playwright.sync_api import Page, expect

from rankfile.ledger.actions import OPERATOR
from rankfile.transparency import actions
from rankfile.transparency.models import Audience
from tests.transparency.world import PERIOD, oversight_vote, world

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing to scroll sideways
    # ... and nothing cut off: every table and chart ends inside the screen.
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('table, svg')].map(e => e.getBoundingClientRect().right))"
    )
    assert right <= PHONE["width"]


def test_anyone_reads_a_published_report_on_a_phone(live_server, new_page, a11y):
    w = world()
    report = actions.report_draft(period=PERIOD, by=OPERATOR)
    actions.report_publish(report=report, vote_reference=oversight_vote(w), audience=Audience.PUBLIC, by=w.chair.user)

    page = new_page()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    a11y.check(page)
    page.get_by_role("link", name="Transparency reports").click()
    expect(page.get_by_role("heading", name="Transparency reports")).to_be_visible()
    a11y.check(page)
    fits_the_phone(page)

    page.get_by_role("link", name="Report for July to December 2026").click()
    expect(page.get_by_role("heading", name="Transparency report, July to December 2026")).to_be_visible()
    received = page.get_by_role("region", name="Reports received")
    expect(
        received.get_by_role("img", name="Reports received: a bar for each row of the table beside it")
    ).to_be_visible()
    expect(received.get_by_role("row", name="Support only")).to_contain_text("fewer than 5")
    expect(received.get_by_role("row", name="Record only")).to_contain_text("8")
    expect(page.get_by_text("Decision set aside: case C-2026-7, by vote CONV-2026-M9")).to_be_visible()
    received.get_by_text("How this is counted").click()
    expect(received.get_by_text("Reports sent from 1 July 2026 to 31 December 2026")).to_be_visible()
    a11y.check(page)
    fits_the_phone(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="The figures as a spreadsheet (CSV)").click()
    assert download.value.suggested_filename == f"transparency-{PERIOD}.csv"
