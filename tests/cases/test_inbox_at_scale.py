"""The handlers' inbox at scale: a page at a time, open items by default and the finished ones on request, in a
number of queries that does not grow with the number of reports and cases; and the one-query form of "runs the
case" agrees with the rule asked case by case."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rankfile import policy
from rankfile.cases import casefiles, queries
from rankfile.cases import policy as case_policy
from rankfile.cases.models import Case, Handler, NamedConflict, PanelRole, PanelStatus, Report, ReportStatus, Stage
from rankfile.cases.pages.reports import INBOX_PAGE_SIZE
from rankfile.cases.waiting import LISTED_AT_MOST
from rankfile.ledger import actions as ledger
from rankfile.ledger.actions import OPERATOR
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> cb.Org:
    return cb.full_organization()


def more_reports_and_cases(org: cb.Org, template: Report, count: int, *, status: str = ReportStatus.ACKNOWLEDGED):
    """``count`` reports handled by Dana (copies of ``template``, sealed content shared) each in a case of its own
    waiting for a panel on the disciplinary body: written straight to the database."""
    start = Report.objects.count()
    now = timezone.now()
    reports = Report.objects.bulk_create(
        Report(
            reporter_key_id=template.reporter_key_id,
            path=template.path,
            status=status,
            respondent_id=template.respondent_id,
            handling_body_id=template.handling_body_id,
            content_id=template.content_id,
            sent_at=now - timedelta(minutes=start + i),
        )
        for i in range(count)
    )
    dana = org["dana"].person
    Handler.objects.bulk_create(Handler(report=r, person=dana, body=org.disciplinary) for r in reports)
    cases = Case.objects.bulk_create(
        Case(reference=f"C-2026-{9000 + start + i}", body=org.disciplinary, stage=Stage.PANEL) for i in range(count)
    )
    Case.reports.through.objects.bulk_create(
        Case.reports.through(case_id=c.pk, report_id=r.pk) for c, r in zip(cases, reports, strict=True)
    )


def queries_of_inbox(client, url: str = "/cases/") -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_inbox_makes_as_many_queries_for_100_cases_as_for_10(org):
    template = cb.formal_report(org)
    more_reports_and_cases(org, template, 9)
    dana = org["dana"]
    client = signed_in(dana.user, dana.key)
    client.get("/cases/")  # the session and caches settle
    at_ten = queries_of_inbox(client)
    more_reports_and_cases(org, template, 90)
    at_a_hundred = queries_of_inbox(client)
    assert at_a_hundred == at_ten
    page = client.get("/cases/").content.decode()
    assert page.count('href="/cases/case/C-2026-') == INBOX_PAGE_SIZE
    assert "Page 1 of 2" in page


def test_the_inbox_shows_open_items_and_lists_the_finished_on_request(org):
    template = cb.formal_report(org)
    more_reports_and_cases(org, template, 1, status=ReportStatus.CLOSED)
    closed = Report.objects.filter(status=ReportStatus.CLOSED).get()
    finished_case = Case.objects.get(reports=closed)
    Case.objects.filter(pk=finished_case.pk).update(stage=Stage.CLOSED)
    dana = org["dana"]
    client = signed_in(dana.user, dana.key)
    open_page = client.get("/cases/").content.decode()
    assert f'href="/cases/{template.pk}/"' in open_page
    assert f'href="/cases/{closed.pk}/"' not in open_page
    assert finished_case.reference not in open_page
    assert 'href="/cases/?show=finished"' in open_page
    finished_page = client.get("/cases/?show=finished").content.decode()
    assert f'href="/cases/{closed.pk}/"' in finished_page
    assert f'href="/cases/{template.pk}/"' not in finished_page
    assert finished_case.reference in finished_page


def test_the_listing_form_of_running_a_case_agrees_with_the_rule_for_each_case_and_person(org):
    seated = cb.seated(org)  # Dana investigates, Dev and Dora decide; Dale sits on the body but not the panel
    waiting = cb.opened(org, cb.formal_report(org, reporter="dale", respondent="lee"))  # Dale a party: excluded
    named = cb.formal_report(org, reporter="rae", respondent="ray")
    NamedConflict.objects.create(report=named, person=org["dora"].person)
    named_case = cb.opened(org, named)
    recused = cb.opened(org, cb.formal_report(org, reporter="rae", respondent="lee"))
    recused.panel.create(
        person=org["dev"].person, body=org.disciplinary, role=PanelRole.DECISION_MAKER, status=PanelStatus.RECUSED
    )
    cases = [seated, waiting, named_case, recused]
    for name in ("dana", "dev", "dora", "dale", "olu", "rae", "ray", "lee", "abe"):
        user = org[name].user
        listed = set(Case.objects.filter(case_policy.runs_cases_q(user)).values_list("pk", flat=True))
        for case in cases:
            assert (case.pk in listed) == policy.allows(user, "cases.run_case", case), (name, case.reference)
    assert {c.pk for c in queries.cases_to_handle(user=org["dale"].user)} == {named_case.pk, recused.pk}


def test_the_home_page_lists_the_cases_due_first_and_links_the_rest_in_queries_that_do_not_grow(org):
    template = cb.formal_report(org)
    more_reports_and_cases(org, template, LISTED_AT_MOST + 2)
    dana = org["dana"]
    client = signed_in(dana.user, dana.key)
    client.get("/")
    fewer = queries_of_inbox(client, "/")
    more_reports_and_cases(org, template, 30)
    assert queries_of_inbox(client, "/") == fewer
    page = client.get("/").content.decode()
    assert "See every report and case you handle" in page
    assert page.count('href="/cases/case/C-2026-') <= LISTED_AT_MOST


def case_entries(count: int) -> None:
    """An entry about each of the last ``count`` cases (a read of a document, by the operator)."""
    with transaction.atomic():
        for case in Case.objects.order_by("-pk")[:count]:
            ledger.record(
                actor=OPERATOR,
                action=casefiles.CASE_READ,
                subject=case,
                data={"case": case.pk, "document": 1, "version": 1, "as": "panel"},
            )


def test_the_ledger_page_names_the_cases_of_its_entries_in_queries_that_do_not_grow(org):
    template = cb.formal_report(org)
    more_reports_and_cases(org, template, 12)
    oversight = org["olu"]
    client = signed_in(oversight.user, oversight.key)
    case_entries(2)
    client.get("/ledger/")
    fewer = queries_of_inbox(client, "/ledger/")
    case_entries(10)
    assert queries_of_inbox(client, "/ledger/") == fewer
    assert "case C-2026-9" in client.get("/ledger/").content.decode()
