"""The menu's case pages: "My cases" to each login that is a party somewhere (in person, by the account its key
belongs to, or as an adviser who accepted) once the case has told that party of it; "Cases to handle" to handlers.
The menu asks in one query (``waiting.menu_for``) what the case's own rule (``party_of_login``, ``party_told``) says
case by case, and finds a login's parties through indexes, never by reading every party."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from rankfile.cases import policy as case_policy
from rankfile.cases import waiting
from rankfile.cases.actions import intake, panel
from rankfile.cases.models import Case, ReportPath
from rankfile.per_request import remember_for_reads
from tests.cases import casebuilders as cb
from tests.vault.helpers import key_for

pytestmark = pytest.mark.django_db

PARTIAL = ("cases_party_by_key", "cases_party_advised")  # the indexes of the parties with a key, or an adviser


@pytest.fixture
def org() -> cb.Org:
    return cb.full_organization()


def own_cases(user) -> bool:
    return waiting.menu_for(user=user)["has_own_cases"]


def told_somewhere(user) -> bool:
    """The case's own rule, case by case."""
    for case in Case.objects.all():
        party = case_policy.party_of_login(case, user)
        if party is not None and case_policy.party_told(case, party):
            return True
    return False


def ally_report(org: cb.Org):
    """A report by a login that is not on the member list: the case's reporter is the login's key."""
    ally = get_user_model().objects.create_user(email="ally@example.org", password=None, name="Alex Ally")
    key = key_for(ally)
    report, _code, _unlocked = intake.report_start(reporter=ally, path=ReportPath.FORMAL)
    intake.report_save(report=report, content=cb.WHAT, key=key)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=key, respondent=org["ray"].person)
    intake.report_acknowledge(report=report, by=org["dana"].user)
    return ally, cb.opened(org, report)


def test_my_cases_is_offered_to_each_way_of_being_a_party_once_told_as_the_case_rule_says(org):
    case = cb.seated(org)
    ally, ally_case = ally_report(org)
    assert ally_case.parties.get(role="reporter").keypair is not None
    reporter = case.parties.get(role="reporter")
    panel.adviser_name(case=case, adviser=org["lee"].person, key=org["rae"].key, by=org["rae"].user)
    users = {
        "rae": org["rae"].user,
        "ray": org["ray"].user,
        "lee": org["lee"].user,
        "ally": ally,
        "oona": org["oona"].user,
    }

    def offered() -> dict[str, bool]:
        found = {name: own_cases(user) for name, user in users.items()}
        assert found == {name: told_somewhere(user) for name, user in users.items()}
        return found

    # The respondent is not told before the notice; an adviser who has not accepted is nobody's adviser yet.
    assert offered() == {"rae": True, "ray": False, "lee": False, "ally": True, "oona": False}
    reporter.refresh_from_db()
    panel.adviser_accept(party=reporter, key=org["lee"].key, by=org["lee"].user)
    cb.give_notice(org, case)
    assert offered() == {"rae": True, "ray": True, "lee": True, "ally": True, "oona": False}
    assert waiting.menu_for(user=AnonymousUser()) == {"handles_cases": False, "has_own_cases": False}


def test_the_menu_is_one_query_asked_once_per_page_view(org):
    cb.opened(org)
    user = org["dora"].user
    case_policy.person_id_of(user)  # asked by the layout before the menu

    def page_view(request: HttpRequest) -> HttpResponse:
        waiting.menu_for(user=user)
        waiting.menu_for(user=user)
        return HttpResponse()

    with CaptureQueriesContext(connection) as captured:
        remember_for_reads(page_view)(RequestFactory().get("/"))
    assert len(captured) == 1
    assert waiting.menu_for(user=user) == {"handles_cases": True, "has_own_cases": False}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the plan asked of SQLite")
def test_a_logins_parties_are_found_through_indexes_whatever_the_statistics_say(org):
    cb.opened(org)
    with connection.cursor() as cursor:
        # Statistics of many parties, nearly none with a key of its own or an adviser, as ANALYZE leaves them: the
        # indexes of those two columns look useless (each value, NULL included, seems to match every party). The
        # other tables have none, which SQLite reads as large tables.
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1")
        mostly_empty = ("keypair_id", "adviser_id", "adviser_hold_id")
        for index, columns in (
            (name, constraint["columns"])
            for name, constraint in connection.introspection.get_constraints(cursor, "cases_party").items()
            if (constraint["index"] or constraint["unique"])
            and name not in ("cases_party_by_key", "cases_party_advised")
        ):
            stat = "70000 70000" if columns[0] in mostly_empty else "70000 2"
            cursor.execute("INSERT INTO sqlite_stat1 VALUES ('cases_party', %s, %s)", [index, stat])
        cursor.execute("ANALYZE sqlite_schema")  # the planner reads them again
    user = org["rae"].user
    with CaptureQueriesContext(connection) as captured:
        own_cases(user)
    [sql] = [q["sql"] for q in captured.captured_queries if "cases_party" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = [str(row[-1]) for row in cursor.fetchall()]
    assert not [step for step in plan if step.startswith("SCAN") and "CONSTANT ROW" not in step], plan
