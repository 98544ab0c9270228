"""The handlers' list on a phone: what is open, fifty at a time, then the finished on request; it fits a 390 px
screen and passes axe."""

import pytest
from playwright.sync_api import expect

from rankfile.cases.models import Case, Report, ReportStatus, Stage
from tests.browser.test_home_pages import PHONE, _fits, _signed_in
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
    expect(page.get_by_role("link", name=Case.objects.get(reports=closed).reference)).to_be_visible()
    a11y.check(page)
    _fits(page, PHONE)
