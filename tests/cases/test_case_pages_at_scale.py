"""A case's workspace, a party's page and the handlers' inbox at scale: queries that do not grow with the cases a
panelist handles nor with a case's documents, a reload that writes nothing (invariant 6 records a read once per
sign-in), and lists counted and sliced in the database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rankfile.cases.actions import process
from rankfile.cases.models import Case, CaseDocumentKind
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.cases.test_inbox_at_scale import more_reports_and_cases

WRITES = ("INSERT", "UPDATE", "DELETE", "BEGIN IMMEDIATE")


def workspace_queries(client, case: Case) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/cases/case/{case.reference}/").status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.django_db
def test_the_workspace_asks_the_same_few_questions_however_many_cases_its_panelist_handles():
    org = cb.full_organization()
    case = cb.noticed(org)
    template = cb.formal_report(org)
    dana = org["dana"]
    client = signed_in(dana.user, dana.key)
    more_reports_and_cases(org, template, 10)
    workspace_queries(client, case)  # the session and caches settle
    few = workspace_queries(client, case)
    more_reports_and_cases(org, template, 90)
    many = workspace_queries(client, case)
    assert len(questions(many)) == len(questions(few))
    # 43 before the case's lists were read once each (the panel four times, the rule of who runs the case twice),
    # the forms of steps the page does not show made with their queries, and each document opened in four queries.
    assert len(questions(many)) <= 30


@pytest.mark.django_db
def test_the_workspace_opens_a_case_of_many_documents_in_the_same_questions_as_one_of_few():
    org = cb.full_organization()
    case = cb.investigating(org)
    dana = org["dana"]
    client = signed_in(dana.user, dana.key)
    workspace_queries(client, case)  # the session and caches settle
    few = questions(workspace_queries(client, case))
    for number in range(6):
        process.document_add(
            case=case, kind=CaseDocumentKind.STATEMENT, title=f"Statement {number}", text="Heard.", by=dana.user
        )
    many = workspace_queries(client, case)
    assert case.documents.count() >= 8
    # Each document was its latest version, whether this key reads it, its latest version again and its key: four
    # queries a document. Now one for all of them, whose keys come with them.
    assert len(questions(many)) == len(few)


@pytest.mark.django_db
def test_a_partys_page_asks_the_same_few_questions_however_many_cases_and_documents_there_are():
    org = cb.full_organization()
    case = cb.investigating(org)
    template = cb.formal_report(org)
    rae = org["rae"]
    client = signed_in(rae.user, rae.key)
    more_reports_and_cases(org, template, 10)
    party_queries(client, case)  # the session and caches settle
    few = questions(party_queries(client, case))
    more_reports_and_cases(org, template, 40)
    statements = [
        process.document_add(
            case=case, kind=CaseDocumentKind.STATEMENT, title=f"Statement {number}", text="Heard.", by=org["dana"].user
        )
        for number in range(4)
    ]
    process.evidence_review_open(case=case, items=statements, by=org["dana"].user, key=org["dana"].key)
    many = questions(party_queries(client, case))
    assert case.documents.filter(shared_at__isnull=False).count() >= 4
    assert len(many) == len(few)
    # 34 before: the case's documents were read three times (the redacted copies, the draft notice, the list), its
    # panel twice, its obligations twice; and each document the party reads opened in four queries.
    assert len(many) <= 26


def party_queries(client, case: Case) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/cases/mine/{case.reference}/").status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def questions(sqls: list[str]) -> list[str]:
    """What the page asks, without the read entries it records (each view here: the test's transaction never
    commits, so the sign-in never remembers them) and the ledger's tree that grows with them."""
    return [sql for sql in sqls if sql.startswith("SELECT") and "ledger_" not in sql]


# Committed as in production: the sign-in remembers a read once its entry is committed.
@pytest.mark.django_db(transaction=True)
def test_a_reloaded_workspace_writes_nothing_not_even_a_read_entry():
    org = cb.full_organization()
    case = cb.noticed(org)
    dora = org["dora"]
    client = signed_in(dora.user, dora.key)
    first = workspace_queries(client, case)
    assert any(sql.startswith("INSERT") for sql in first)  # the reads of this sign-in
    client.get("/")  # the session settles (marked active)
    again = workspace_queries(client, case)
    assert [sql for sql in again if sql.lstrip().upper().startswith(WRITES)] == []


@pytest.mark.django_db
def test_the_inbox_counts_and_slices_its_lists_in_the_database_never_reading_every_case():
    org = cb.full_organization()
    template = cb.formal_report(org)
    more_reports_and_cases(org, template, 60)
    dana = org["dana"]
    client = signed_in(dana.user, dana.key)
    client.get("/cases/")
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/cases/").content.decode()
    cases = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "cases_case"')]
    assert cases
    assert all(sql.endswith("LIMIT 50") for sql in cases)  # the page's rows only, not every id
    assert any(q["sql"].startswith("SELECT COUNT(") and 'FROM "cases_case"' in q["sql"] for q in captured)
    assert "Page 1 of 2" in page
    assert page.count('href="/cases/case/C-2026-') == 50
    second = client.get("/cases/?cases_page=2").content.decode()
    assert "Page 2 of 2" in second
    listed = {ref for ref in Case.objects.values_list("reference", flat=True) if f">{ref}</a>" in page + second}
    assert len(listed) == Case.objects.filter(reference__startswith="C-2026-9").count()
