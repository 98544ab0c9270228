"""The handlers' list on a phone: what is open, fifty at a time, then the finished on request; it fits a 390 px
screen and passes axe."""

import pytest
from playwright.sync_api import expect

from rankfile.cases.models import Case, Report, ReportStatus, Stage
from tests.browser.test_home_pages import DESKTOP, PHONE, _fits, _signed_in
from tests.browser.test_reporting import can_sign_in
from tests.cases import casebuilders as cb
from tests.cases.test_inbox_at_scale import more_reports_and_cases

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_handler_pages_through_open_cases_and_then_sees_the_finished(live_server, new_page, a11y):
    org = cb.full_organization()
    template = cb.formal_report(org)
    more_reports_and_cases(org, template, 55)
    closed = Report.objects.filter(pk__gt=template.pk).order_by("pk").first()
    assert closed is not None
    Report.objects.filter(pk=closed.pk).update(status=ReportStatus.CLOSED)
    Case.objects.filter(reports=closed).update(stage=Stage.CLOSED)

    page = _signed_in(new_page, a11y, live_server, can_sign_in(org["dana"]), PHONE)
    page.goto(live_server.url + "/cases/")
    a11y.check(page)
    _fits(page, PHONE)
    expect(page.get_by_text("Page 1 of 2").first).to_be_visible()
    page.get_by_role("navigation", name="Pages of cases").get_by_role("link", name="Next").click()
    page.wait_for_url("**/cases/?cases_page=2")
    expect(page.get_by_role("navigation", name="Pages of cases").get_by_text("Page 2 of 2")).to_be_visible()
    a11y.check(page)

    page.get_by_role("link", name="See the finished reports and cases").click()
    page.wait_for_url("**/cases/?show=finished")
    expect(page.get_by_role("heading", name="Finished reports and cases")).to_be_visible()
    # The case, and the closed report that became it.
    expect(page.get_by_role("link", name=Case.objects.get(reports=closed).reference)).to_have_count(2)
    a11y.check(page)
    _fits(page, PHONE)


def test_on_a_phone_each_report_reads_as_a_card_without_sideways_scrolling(live_server, new_page, a11y):
    org = cb.full_organization()
    report = cb.formal_report(org)
    cb.formal_report(org, anonymous=True)
    case = cb.opened(org, cb.formal_report(org, reporter="rae", respondent="lee"))

    page = _signed_in(new_page, a11y, live_server, can_sign_in(org["dana"]), PHONE)
    page.goto(live_server.url + "/cases/")
    a11y.check(page)
    _fits(page, PHONE)
    table = page.locator("main table")
    # The table itself fits: no row to scroll sideways inside it, each cell under its column's name.
    assert table.evaluate("t => t.getBoundingClientRect().right") <= PHONE["width"]
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth")
    assert table.locator("tbody tr").first.evaluate("r => getComputedStyle(r).display") == "block"
    first_cell = table.locator("tbody td").first
    assert first_cell.evaluate("c => getComputedStyle(c, '::before').content") == '"Report"'
    expect(page.get_by_text("Anonymous: reply only through messages here")).to_be_visible()
    expect(page.locator(f'a[href="/cases/{report.pk}/"]')).to_be_visible()

    # The report that became a case is listed with the finished, and links to its case.
    page.get_by_role("link", name="See the finished reports and cases").click()
    page.wait_for_url("**/cases/?show=finished")
    a11y.check(page)
    _fits(page, PHONE)
    expect(page.locator("main table").get_by_role("link", name=case.reference)).to_be_visible()

    # On a wide screen, a real table with its header row.
    page.set_viewport_size({"width": DESKTOP["width"], "height": DESKTOP["height"]})
    page.goto(live_server.url + "/cases/")
    a11y.check(page)
    assert page.locator("main table tbody tr").first.evaluate("r => getComputedStyle(r).display") == ("table-row")
    expect(page.get_by_role("columnheader", name="Next deadline")).to_be_visible()
