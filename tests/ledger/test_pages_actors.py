"""Who acted, on the Ledger page and the proof pages: the person, by name and linked to their page in the directory,
for those who may see the directory; "a member" or "an account" for anyone else; the system and the reporter in words,
never who reported. Entries recorded before entries named people (actor type "person" with the account's id) name
the right person too, and the ledger still verifies."""

import importlib
import re

import pytest
import rules
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rankfile.cases.actions import decisions
from rankfile.deadlines.actions import tick
from rankfile.errors import NotAllowed
from rankfile.ledger import actions as ledger
from rankfile.ledger import queries, verification
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org.models import LegacyLedgerActor, Person
from rankfile.policy import rule_set
from tests.cases import casebuilders as cb
from tests.cases.builders import member
from tests.cases.helpers import signed_in
from tests.ledger.helpers import TEST_ACTION, by_person, people_ids_ahead_of_account_ids, recorded_the_old_way

pytestmark = pytest.mark.django_db

legacy_migration = importlib.import_module("rankfile.org.migrations.0003_legacy_ledger_actors")


@pytest.fixture
def org() -> cb.Org:
    people_ids_ahead_of_account_ids()
    built = cb.full_organization()
    lee = built["lee"]
    assert lee.person.pk != lee.user.pk
    return built


def oversight(org: cb.Org) -> Client:
    oona = org["oona"]
    return signed_in(oona.user, oona.key)


def set_aside_attempted(org: cb.Org) -> Entry:
    """Lee, of the steering committee, asks for a final decision to be set aside: refused, and flagged."""
    decision = cb.decided(org)
    tick(now=cb.after(15))  # type: ignore[arg-type]
    with pytest.raises(NotAllowed):
        decisions.decision_set_aside(decision=decision, by=org["lee"].user)
    return Entry.objects.filter(action="cases.decision_change_refused").latest("seq")


def _items(html: str) -> list[str]:
    return re.findall(
        r'<li class="ledger-entry">(.*?)</li>\s*(?=<li class="ledger-entry">|</ol>)', html, flags=re.DOTALL
    )


def entry_rows(html: str) -> dict[int, str]:
    """The entries of the Entries list, by entry number."""
    listed = html.split('id="entries-heading"', 1)[1]
    rows = {}
    for item in _items(listed):
        seq = re.search(r"Technical details of entry (\d+)", item)
        assert seq is not None, item
        rows[int(seq.group(1))] = item
    return rows


def flagged_items(html: str) -> list[str]:
    return _items(html.split('id="flagged-heading"', 1)[1].split('id="entries-heading"', 1)[0])


def page_link(person: Person) -> str:
    return f'<a href="/org/people/{person.pk}/">{person.name}</a>'


def test_the_ledger_names_the_leader_who_tried_to_set_a_decision_aside_and_links_to_their_person_page(org):
    lee = org["lee"]
    entry = set_aside_attempted(org)
    assert (entry.actor_type, entry.actor_id) == ("org.person", lee.person.pk)

    client = oversight(org)
    html = client.get("/ledger/").content.decode()
    row = entry_rows(html)[entry.seq]
    assert page_link(lee.person) in row
    assert f"/org/people/{lee.user.pk}/" not in row
    assert any(page_link(lee.person) in item for item in flagged_items(html) if "decision_change_refused" in item)
    # The link leads to Lee.
    person_page = client.get(f"/org/people/{lee.person.pk}/").content.decode()
    assert "<h1>Lee Leader</h1>" in person_page


def test_the_filter_by_person_shows_that_persons_entries_only(org):
    lee = org["lee"]
    entry = set_aside_attempted(org)
    html = oversight(org).get("/ledger/", {"person": "lee leader"}).content.decode()
    assert '<label for="id_person">Person who acted:</label>' in html
    assert 'name="person" value="lee leader"' in html
    assert "Entries of Lee Leader." in html
    rows = entry_rows(html)
    expected = set(Entry.objects.filter(**by_person(lee.person)).values_list("seq", flat=True))
    assert entry.seq in rows
    assert set(rows) == expected
    assert all(page_link(lee.person) in row for row in rows.values())
    # Unfiltered, the page lists others too.
    assert set(entry_rows(oversight(org).get("/ledger/").content.decode())) - expected


def test_the_filter_by_person_finds_everyone_whose_name_contains_the_words_and_says_who(org):
    client = oversight(org)
    for name in ("Rowan Ashby", "Ash Rowe", "Kim Other"):
        with transaction.atomic():
            ledger.record(actor=member(name).user, action=TEST_ACTION, subject=None, data={"n": 1})
    html = client.get("/ledger/", {"person": "ash"}).content.decode()
    assert "Entries of anyone whose name matches: Ash Rowe, Rowan Ashby." in html
    rows = entry_rows(html)
    assert len(rows) == 2
    assert all("Rowan Ashby" in row or "Ash Rowe" in row for row in rows.values())
    nobody = client.get("/ledger/", {"person": "Zebedee"}).content.decode()
    assert "Nobody whose name contains “Zebedee” is known here." in nobody
    # A refused filter lists nothing, rather than the whole ledger under its error.
    assert "No entries are listed until the filter above is corrected." in nobody
    assert not entry_rows(nobody)


def test_a_name_too_many_people_share_asks_for_more_of_it(org):
    for n in range(queries.PEOPLE_FOUND_AT_MOST + 1):
        member(f"Common{n} Name")
    html = oversight(org).get("/ledger/", {"person": "common"}).content.decode()
    assert f"More than {queries.PEOPLE_FOUND_AT_MOST} names contain “common”: write more of the name." in html
    assert "Entries of" not in html


def test_the_filter_by_person_finds_an_account_with_no_membership_record_by_name_and_shows_its_entries(org):
    ada = get_user_model().objects.create_user(
        email="ada.admin@example.org", password=None, name="Ada Admin", is_site_admin=True
    )
    with transaction.atomic():
        mine = ledger.record(actor=ada, action=TEST_ACTION, subject=None, data={"n": 1})
    with recorded_the_old_way(), transaction.atomic():
        old = ledger.record(actor=ada, action=TEST_ACTION, subject=None, data={"n": 2})
    legacy_migration.note_legacy_actors(apps, None)
    filtered = oversight(org).get("/ledger/", {"person": "Ada Admin"}).content.decode()
    assert "Entries of Ada Admin (an account, not on the membership list)." in filtered
    assert set(entry_rows(filtered)) == {mine.seq, old.seq}


def test_an_entry_recorded_before_entries_named_people_names_the_right_person(org):
    lee = org["lee"]
    decision = cb.decided(org)
    tick(now=cb.after(15))  # type: ignore[arg-type]
    with recorded_the_old_way(), pytest.raises(NotAllowed):
        decisions.decision_set_aside(decision=decision, by=lee.user)
    old = Entry.objects.filter(action="cases.decision_change_refused").latest("seq")
    assert (old.actor_type, old.actor_id) == ("person", lee.user.pk)
    with pytest.raises(NotAllowed):
        decisions.decision_set_aside(decision=decision, by=lee.user)
    new = Entry.objects.filter(action="cases.decision_change_refused").latest("seq")
    assert (new.actor_type, new.actor_id) == ("org.person", lee.person.pk)

    def shown() -> tuple[dict[int, str], dict[int, str]]:
        client = oversight(org)
        everything = entry_rows(client.get("/ledger/").content.decode())
        return everything, entry_rows(client.get("/ledger/", {"person": "Lee Leader"}).content.decode())

    # Before the migration has noted the accounts (an entry recorded the old way during an upgrade): the account's
    # person now.
    everything, leaders = shown()
    assert page_link(lee.person) in everything[old.seq]
    assert {old.seq, new.seq} <= set(leaders)
    # Once noted, the note says whom the account's entries mean.
    legacy_migration.note_legacy_actors(apps, None)
    assert LegacyLedgerActor.objects.get(account_id=lee.user.pk).person == lee.person
    everything, leaders = shown()
    assert page_link(lee.person) in everything[old.seq]
    assert {old.seq, new.seq} <= set(leaders)

    result, _ = verification.verify_all(verifier=queries.ledger_key()[0].verifier)
    assert result.ok, result.problems


def test_an_old_entry_of_an_account_that_belonged_to_no_person_shows_the_account(org):
    admin = get_user_model().objects.create_user(
        email="sita@example.org", password=None, name="Sita Admin", is_site_admin=True
    )
    with recorded_the_old_way(), transaction.atomic():
        old = ledger.record(actor=admin, action=TEST_ACTION, subject=None, data={"n": 1})
    legacy_migration.note_legacy_actors(apps, None)
    assert LegacyLedgerActor.objects.get(account_id=admin.pk).person is None
    # Even if a person is linked to that account later, the old entry meant the account as it was.
    org_actions.person_create(name="Sita Later", user=admin, by=ledger.OPERATOR)
    row = entry_rows(oversight(org).get("/ledger/").content.decode())[old.seq]
    assert "Sita Admin" in row
    assert "/org/people/" not in row


def test_a_watcher_who_may_not_see_the_directory_sees_no_names(org, monkeypatch):
    entry = set_aside_attempted(org)
    admin = get_user_model().objects.create_user(
        email="sita@example.org", password=None, name="Sita Admin", is_site_admin=True
    )
    with transaction.atomic():
        by_admin = ledger.record(actor=admin, action=TEST_ACTION, subject=None, data={"n": 1})
    monkeypatch.setitem(rule_set, "org.view_directory", rules.always_deny)

    html = oversight(org).get("/ledger/", {"person": "Lee Leader"}).content.decode()
    rows = entry_rows(html)
    assert "a member" in rows[entry.seq]
    assert "an account" in rows[by_admin.seq]
    assert "Lee Leader" not in html
    assert "Sita Admin" not in html
    assert "/org/people/" not in html
    assert "Person who acted" not in html
    assert len(rows) > 2  # the filter by person is not offered, so not applied either


def test_the_proof_page_names_the_person_to_the_oversight_body_and_nothing_to_the_others(org):
    lee = org["lee"]
    entry = set_aside_attempted(org)
    ledger.checkpoint_create()
    url = f"/ledger/entries/{entry.seq}/proof/"
    watched = oversight(org).get(url).content.decode()
    assert "What the entry says" in watched
    assert page_link(lee.person) in watched

    sam = org["sam"]  # a member who may see the directory, but not the ledger's entries
    ray = org["ray"]  # expelled by the decision: no longer sees the directory
    for client in (signed_in(sam.user, sam.key), signed_in(ray.user, ray.key), Client()):
        page = client.get(url).content.decode()
        assert f"Entry {entry.seq} is part of the ledger" in page
        assert "What the entry says" not in page
        assert "Lee Leader" not in page
        assert "decision_change_refused" not in page


def test_site_administrators_still_see_no_entry_about_a_case_by_person_or_on_its_proof_page(org):
    entry = set_aside_attempted(org)
    ledger.checkpoint_create()
    admin = get_user_model().objects.create_user(
        email="sita@example.org", password=None, name="Sita Admin", is_site_admin=True
    )
    client = signed_in(admin)
    for query in ({}, {"person": "Lee Leader"}):
        html = client.get("/ledger/", query).content.decode()
        assert entry.seq not in entry_rows(html)
        assert not any("decision_change_refused" in item for item in flagged_items(html))
    proof = client.get(f"/ledger/entries/{entry.seq}/proof/").content.decode()
    assert f"Entry {entry.seq} is part of the ledger" in proof
    assert "What the entry says" not in proof


def test_entries_of_the_reporter_say_the_reporter_and_name_nobody(org):
    cb.formal_report(org, anonymous=True)
    cb.formal_report(org, reporter="rae", respondent="ray")
    by_reporters = list(Entry.objects.filter(actor_type="reporter"))
    assert len(by_reporters) >= 4
    assert {e.actor_id for e in by_reporters} == {None}

    client = oversight(org)
    rows = entry_rows(client.get("/ledger/").content.decode())
    for entry in by_reporters:
        assert "the reporter" in rows[entry.seq]
        assert "/org/people/" not in rows[entry.seq]
        assert "Rae Reporter" not in rows[entry.seq]
    ledger.checkpoint_create()
    proof = client.get(f"/ledger/entries/{by_reporters[0].seq}/proof/").content.decode()
    assert "the reporter" in proof
    assert "Rae Reporter" not in proof


def test_names_cost_the_same_few_queries_however_many_people_acted(org):
    client = oversight(org)

    def page_queries(query: dict[str, str]) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/ledger/", query).status_code == 200
        return len(captured.captured_queries)

    set_aside_attempted(org)
    first_admin = get_user_model().objects.create_user(
        email="admin.first@example.org", password=None, name="First Admin", is_site_admin=True
    )
    with transaction.atomic():  # an account that belongs to no person acted: named, and found by the filter
        ledger.record(actor=first_admin, action=TEST_ACTION, subject=None, data={"n": 0})
        ledger.record(actor=member("Earliest Member").user, action=TEST_ACTION, subject=None, data={"n": 0})
    page_queries({})  # the first request fills caches (the ledger key, the bylaws)
    few = page_queries({}), page_queries({"person": "Admin"}), page_queries({"person": "Member"})
    for n in range(6):
        newcomer = member(f"Newcomer{n} Member")
        administrator = get_user_model().objects.create_user(
            email=f"admin{n}@example.org", password=None, name=f"Admin{n} Account", is_site_admin=True
        )
        with transaction.atomic():
            ledger.record(actor=newcomer.user, action=TEST_ACTION, subject=None, data={"n": n})
            ledger.record(actor=administrator, action=TEST_ACTION, subject=None, data={"n": n})
    many = page_queries({}), page_queries({"person": "Admin"}), page_queries({"person": "Member"})
    assert many == few
    html = client.get("/ledger/", {"person": "admin5"}).content.decode()
    assert "Entries of Admin5 Account (an account, not on the membership list)." in html
    assert "Newcomer5 Member" in client.get("/ledger/").content.decode()


def test_the_ledger_page_renders_the_same_templates_however_many_people_acted(org):
    client = oversight(org)
    set_aside_attempted(org)
    client.get("/ledger/")
    few = len(client.get("/ledger/").templates)
    for n in range(6):
        with transaction.atomic():
            ledger.record(actor=member(f"Later{n} Member").user, action=TEST_ACTION, subject=None, data={"n": n})
    response = client.get("/ledger/")
    assert "Later5 Member" in response.content.decode()
    assert len(response.templates) == few  # each entry is not a template of its own


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the plan asked of SQLite")
def test_the_flagged_entries_are_found_through_the_index_of_actions_not_by_scanning_the_ledger(org):
    set_aside_attempted(org)
    with connection.cursor() as cursor:
        # Statistics of a ledger of a million entries, as ANALYZE leaves them on a large database in use.
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'ledger_entry'")
        for index, columns in (
            (name, constraint["columns"])
            for name, constraint in connection.introspection.get_constraints(cursor, "ledger_entry").items()
            if constraint["index"] or constraint["unique"]
        ):
            # rows, then rows per distinct value of its first column (and first two): about 80 kinds of action
            per_value = {"action": "12000", "actor_type": "250000 250", "subject_type": "4000 3", "actor_id": "250"}
            stat = f"1000000 {per_value.get(columns[0], '1')}"
            cursor.execute("INSERT INTO sqlite_stat1 VALUES ('ledger_entry', %s, %s)", [index, stat])
        cursor.execute("ANALYZE sqlite_schema")  # the planner reads them again
    with CaptureQueriesContext(connection) as captured:
        queries.flagged_entries(user=org["oona"].user)
    [sql] = [query["sql"] for query in captured.captured_queries if '"ledger_entry"."action" IN' in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "SEARCH ledger_entry USING INDEX ledger_entry_action" in plan, plan
