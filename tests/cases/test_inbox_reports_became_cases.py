"""A report that became a case is followed as that case: the handlers' list no longer shows it as an open report;
the finished list says which case it became, with a link to it (its handlers run it), in queries that do not grow."""

import pytest

from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.cases.test_inbox_at_scale import more_reports_and_cases, queries_of_inbox

pytestmark = pytest.mark.django_db


def _inbox(org: cb.Org, name: str, url: str = "/cases/") -> str:
    response = signed_in(org[name].user, org[name].key).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _reports_table(page: str) -> str:
    start = page.index("<h2>Reports</h2>")
    return page[start : page.index("<h2>Cases</h2>", start)]


def test_a_report_that_became_a_case_is_not_an_open_report_and_its_row_links_to_the_case():
    org = cb.full_organization()
    waiting = cb.formal_report(org, reporter="rae", respondent="lee")  # acknowledged, no case yet
    case = cb.opened(org)
    report = case.reports.get()
    open_reports = _reports_table(_inbox(org, "dana"))
    assert f'href="/cases/{waiting.pk}/"' in open_reports
    assert f'href="/cases/{report.pk}/"' not in open_reports
    finished = _reports_table(_inbox(org, "dana", "/cases/?show=finished"))
    assert f'href="/cases/{report.pk}/"' in finished
    assert f'Became case <a href="/cases/case/{case.reference}/">{case.reference}</a>' in finished
    assert f'href="/cases/{waiting.pk}/"' not in finished


def test_the_finished_list_names_the_cases_reports_became_in_queries_that_do_not_grow():
    org = cb.full_organization()
    template = cb.formal_report(org)
    more_reports_and_cases(org, template, 3)
    dana = org["dana"]
    client = signed_in(dana.user, dana.key)
    client.get("/cases/?show=finished")  # the session and caches settle
    fewer = queries_of_inbox(client, "/cases/?show=finished")
    more_reports_and_cases(org, template, 30)
    assert queries_of_inbox(client, "/cases/?show=finished") == fewer
    assert client.get("/cases/?show=finished").content.decode().count("Became case <a href=") == 33
