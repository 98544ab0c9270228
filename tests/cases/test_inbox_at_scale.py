"""The handlers' inbox at scale: a page at a time, open items by default and the finished ones on request, in a
number of queries that does not grow with the number of reports and cases; and the one-query form of "runs the
case" agrees with the rule asked case by case."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from rankfile import policy
from rankfile.cases import casefiles, queries
from rankfile.cases import policy as case_policy
from rankfile.cases import waiting as case_waiting
from rankfile.cases.actions import investigations
from rankfile.cases.models import Case, Handler, NamedConflict, PanelRole, PanelStatus, Report, ReportStatus, Stage
from rankfile.cases.pages.reports import INBOX_PAGE_SIZE
from rankfile.cases.waiting import LISTED_AT_MOST
from rankfile.deadlines.models import Deadline
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


def more_open_reports(org: cb.Org, template: Report, count: int) -> None:
    """``count`` acknowledged reports handled by Dana in no case yet (copies of ``template``), straight to the
    database."""
    start = Report.objects.count()
    now = timezone.now()
    reports = Report.objects.bulk_create(
        Report(
            reporter_key_id=template.reporter_key_id,
            path=template.path,
            status=ReportStatus.ACKNOWLEDGED,
            respondent_id=template.respondent_id,
            handling_body_id=template.handling_body_id,
            content_id=template.content_id,
            sent_at=now - timedelta(days=1, minutes=start + i),
        )
        for i in range(count)
    )
    Handler.objects.bulk_create(Handler(report=r, person=org["dana"].person, body=org.disciplinary) for r in reports)


def queries_of_inbox(client, url: str = "/cases/") -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_inbox_makes_as_many_queries_for_100_cases_as_for_10(org):
    template = cb.formal_report(org)
    more_reports_and_cases(org, template, 9)
    more_open_reports(org, template, 9)
    dana = org["dana"]
    client = signed_in(dana.user, dana.key)
    client.get("/cases/")  # the session and caches settle
    at_ten = queries_of_inbox(client)
    at_ten_finished = queries_of_inbox(client, "/cases/?show=finished")
    more_reports_and_cases(org, template, 90)
    more_open_reports(org, template, 90)
    at_a_hundred = queries_of_inbox(client)
    assert at_a_hundred == at_ten
    assert queries_of_inbox(client, "/cases/?show=finished") == at_ten_finished
    # A hundred more, and the last pages of both lists.
    more_reports_and_cases(org, template, 100)
    more_open_reports(org, template, 100)
    assert queries_of_inbox(client) == at_ten
    assert queries_of_inbox(client, "/cases/?page=4&cases_page=4") == at_ten
    page = client.get("/cases/").content.decode()
    assert page.count('href="/cases/case/C-2026-') == INBOX_PAGE_SIZE
    assert page.count("Page 1 of 4") == 2


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


def test_each_list_pages_on_its_own_keeping_the_other_lists_page_and_the_filter(org):
    template = cb.formal_report(org)
    more_reports_and_cases(org, template, INBOX_PAGE_SIZE + 5)
    more_open_reports(org, template, INBOX_PAGE_SIZE + 5)
    dana = org["dana"]
    client = signed_in(dana.user, dana.key)
    page = client.get("/cases/?page=2").content.decode()
    assert 'href="?page=2&amp;cases_page=2">Next</a>' in page  # the cases' next page keeps the reports' page
    assert 'href="?page=1">Previous</a>' in page
    both = client.get("/cases/?page=2&cases_page=2").content.decode()
    assert 'href="?cases_page=2&amp;page=1">Previous</a>' in both
    assert 'href="?page=2&amp;cases_page=1">Previous</a>' in both
    assert both.count('href="/cases/case/C-2026-') == 5
    finished = client.get("/cases/?show=finished").content.decode()
    assert 'href="?show=finished&amp;page=2">Next</a>' in finished
    beyond = client.get("/cases/?cases_page=99").content.decode()  # past the end: the last page
    assert "Page 2 of 2" in beyond


def test_a_row_shows_its_reports_next_deadline_and_when_it_came_in_local_time(org, settings):
    settings.TIME_ZONE = "America/New_York"
    report = cb.formal_report(org)
    soon, later = timezone.now() + timedelta(days=3), timezone.now() + timedelta(days=9)
    for due_at in (later, soon):
        Deadline.objects.create(kind="cases.respond", subject_type="cases.report", subject_id=report.pk, due_at=due_at)
    page = client_of_dana(org).get("/cases/").content.decode()
    with timezone.override("America/New_York"):
        assert date_format(timezone.localtime(soon), "j F Y, H:i") in page
        assert date_format(timezone.localtime(later), "j F Y, H:i") not in page
        assert "Received " + date_format(timezone.localtime(report.sent_at), "j F Y, H:i") in page
    assert "Formal complaint" in page


def client_of_dana(org: cb.Org):
    return signed_in(org["dana"].user, org["dana"].key)


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
    examined = cb.opened(org, cb.formal_report(org, reporter="rae", respondent="ray"))
    # Dev is examined for how he handled one case; Dale is the subject of an investigation that examines none (the
    # lists the query reads must not hold its empty "examines", or Dale would run nothing).
    examining = investigations.investigation_open(by=org["olu"].user, officials=[org["dev"].person], examines=examined)
    about_dale = investigations.investigation_open(by=org["olu"].user, officials=[org["dale"].person])
    cases = [seated, waiting, named_case, recused, examined, examining, about_dale]
    for name in ("dana", "dev", "dora", "dale", "olu", "oren", "rae", "ray", "lee", "abe"):
        user = org[name].user
        listed = set(Case.objects.filter(case_policy.runs_cases_q(user)).values_list("pk", flat=True))
        for case in cases:
            assert (case.pk in listed) == policy.allows(user, "cases.run_case", case), (name, case.reference)
        # The menu's question, which spares the inbox its lists when it says no, covers both open lists.
        if queries.cases_to_handle(user=user).exists() or queries.reports_to_handle(user=user).exists():
            assert case_waiting.menu_for(user=user)["handles_cases"], name
    assert {c.pk for c in queries.cases_to_handle(user=org["dale"].user)} >= {named_case.pk, recused.pk}
    assert not policy.allows(org["dev"].user, "cases.run_case", examined)
    assert policy.allows(org["dale"].user, "cases.run_case", examined)


def test_the_listing_form_of_handling_a_report_agrees_with_the_rule_for_each_report_and_person(org):
    waiting = cb.formal_report(org, reporter="rae", respondent="lee")  # in no case: its handlers handle it
    in_seated = cb.seated(org).reports.get()  # run by its panel only
    excluded = cb.opened(org, cb.formal_report(org, reporter="dale", respondent="lee")).reports.get()  # not Dale's
    examined = cb.opened(org).reports.get()
    investigations.investigation_open(
        by=org["olu"].user, officials=[org["dev"].person], examines=examined.cases.get()
    )  # no longer Dev's
    removed = cb.formal_report(org, reporter="rae", respondent="ray")
    Handler.objects.filter(report=removed, person=org["dora"].person).update(removed_at=timezone.now())
    reports = [waiting, in_seated, excluded, examined, removed]
    for name in ("dana", "dev", "dora", "dale", "olu", "rae", "abe"):
        user = org[name].user
        listed = set(Report.objects.filter(case_policy.handled_reports_q(user)).values_list("pk", flat=True))
        for report in reports:
            assert (report.pk in listed) == policy.allows(user, "cases.handle_report", report), (name, report.pk)
    assert policy.allows(org["dora"].user, "cases.handle_report", waiting)
    assert not policy.allows(org["dora"].user, "cases.handle_report", removed)
    assert not policy.allows(org["dev"].user, "cases.handle_report", examined)
    assert not policy.allows(org["dale"].user, "cases.handle_report", in_seated)


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
