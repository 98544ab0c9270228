"""The Ledger page at scale: the whole ledger counted by its last entry's number and paged by entry numbers, a filtered
list paged without counting, the filter by person a search by name rather than a list of everyone who acted, each
entry's words prepared once for the list. The page asks the database the same number of times whatever the size of
the ledger, for every filter, page 2 and the last page."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rankfile.cases.models import Case, Stage
from rankfile.ledger import actions as ledger
from rankfile.ledger.models import Entry
from rankfile.ledger.views import ENTRIES_PER_PAGE
from rankfile.org.models import Body, Person
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.ledger.helpers import TEST_ACTION

pytestmark = pytest.mark.django_db


def more_of_everything(org: cb.Org, numbers: range) -> None:
    """An entry for each of ``numbers``, each by a different account (every other one a person's), about a different
    person, body or case: the records written straight to the database, the entries through the ledger."""
    accounts = get_user_model().objects.bulk_create(
        get_user_model()(email=f"acted{n}@example.org", name=f"Acted {n}") for n in numbers
    )
    Person.objects.bulk_create(Person(name=f"Acted {n}", user=accounts[i]) for i, n in enumerate(numbers) if n % 2)
    people = Person.objects.bulk_create(Person(name=f"Subject {n}") for n in numbers)
    bodies = Body.objects.bulk_create(Body(name=f"Branch {n}", slug=f"scale-branch-{n}") for n in numbers)
    cases = Case.objects.bulk_create(
        Case(reference=f"C-2026-{8000 + n}", body=org.disciplinary, stage=Stage.PANEL) for n in numbers
    )
    with transaction.atomic():
        for i, n in enumerate(numbers):
            subject = (people[i], bodies[i], cases[i])[n % 3]
            ledger.record(
                actor=get_user_model().objects.get(pk=accounts[i].pk),
                action=TEST_ACTION,
                subject=subject,
                data={"n": n},
            )


def queries_of(client: Client, query: dict[str, str | int]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/ledger/", query).status_code == 200
    return len(captured.captured_queries)


def last_page() -> int:
    return -(-Entry.objects.count() // ENTRIES_PER_PAGE)


FILTERS: list[dict[str, str | int]] = [
    {},
    {"page": 2},
    {"action": "test."},
    {"action": "test.step_taken", "page": 2},
    {"subject_type": "org.body"},
    {"person": "Acted"},
    {"since": "2000-01-01", "until": "2999-12-31"},
]


def test_the_ledger_page_asks_the_same_number_of_queries_however_large_the_ledger():
    org = cb.full_organization()
    oona = org["oona"]
    client = signed_in(oona.user, oona.key)
    more_of_everything(org, range(2 * ENTRIES_PER_PAGE + 6))  # pages 1 and 2, filtered or not, are of these
    client.get("/ledger/")  # the first request fills caches (the ledger key, the bylaws)
    few = [queries_of(client, query) for query in FILTERS] + [queries_of(client, {"page": last_page()})]
    more_of_everything(org, range(2 * ENTRIES_PER_PAGE + 6, 3 * ENTRIES_PER_PAGE + 20))
    many = [queries_of(client, query) for query in FILTERS] + [queries_of(client, {"page": last_page()})]
    assert many == few
    html = client.get("/ledger/", {"subject_type": "org.body"}).content.decode()
    assert f"Branch {3 * ENTRIES_PER_PAGE + 19}" in html  # the newest entry about a body
    assert "Matching entries 1 to 50, newest first." in html


def test_no_page_of_the_ledger_counts_or_skips_entries_by_reading_them():
    org = cb.full_organization()
    oona = org["oona"]
    watcher = signed_in(oona.user, oona.key)
    more_of_everything(org, range(2 * ENTRIES_PER_PAGE + 6))
    queries: list[dict[str, str | int]] = [{}, {"page": 2}, {"page": last_page()}, *FILTERS[2:]]
    for query in queries:
        with CaptureQueriesContext(connection) as captured:
            watcher.get("/ledger/", query)
        entries_sql = [q["sql"] for q in captured.captured_queries if '"ledger_entry"' in q["sql"]]
        assert not [sql for sql in entries_sql if "COUNT(" in sql.upper()], query
        if not set(query) - {"page"}:  # the whole ledger: its pages by entry numbers, never skipping entries
            assert not [sql for sql in entries_sql if "OFFSET" in sql.upper()], query


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the plan asked of SQLite")
@pytest.mark.parametrize(
    ("query", "index"),
    [
        ({"action": "test.step_taken"}, "ledger_entry_action_seq"),
        ({"subject_type": "org.body"}, "ledger_entry_subject_seq"),
        ({"until": "2026-01-05"}, "ledger_entry_recorded_at"),
    ],
)
def test_a_filtered_page_reads_the_newest_matching_entries_from_an_index_without_sorting_them(query, index):
    org = cb.full_organization()
    oona = org["oona"]
    more_of_everything(org, range(6))
    with connection.cursor() as cursor:
        # Statistics of a ledger of a million entries, as ANALYZE leaves them on a large database in use.
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'ledger_entry'")
        for name, columns in (
            (name, constraint["columns"])
            for name, constraint in connection.introspection.get_constraints(cursor, "ledger_entry").items()
            if constraint["index"] or constraint["unique"]
        ):
            per_value = {"action": "12000", "actor_type": "250000 250", "subject_type": "4000", "actor_id": "250"}
            stat = f"1000000 {per_value.get(columns[0], '1')}"
            cursor.execute("INSERT INTO sqlite_stat1 VALUES ('ledger_entry', %s, %s)", [name, stat])
        cursor.execute("ANALYZE sqlite_schema")
    with CaptureQueriesContext(connection) as captured:
        signed_in(oona.user, oona.key).get("/ledger/", query)
    [sql] = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "ledger_entry" WHERE' in q["sql"] and "LIMIT 51" in q["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert f"USING INDEX {index}" in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan  # at most the ties of one time are sorted
