import json

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from rankfile.accounts import actions as account_actions
from rankfile.ledger import actions as ledger
from rankfile.ledger import merkle, schema
from rankfile.ledger.canonical import EntryEncoder
from rankfile.ledger.models import Entry, Node
from rankfile.org import actions as org_actions
from tests.ledger.helpers import TEST_ACTION, append, people_ids_ahead_of_account_ids

pytestmark = pytest.mark.django_db(transaction=True)


def test_entries_are_numbered_without_gaps_from_one():
    entries = append(5)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert list(Entry.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


def test_leaf_hash_covers_the_canonical_json_of_the_row():
    entry = append(1)[0]
    canonical = EntryEncoder().encode(
        seq=entry.seq,
        recorded_at=entry.recorded_at,
        actor_type=entry.actor_type,
        actor_id=entry.actor_id,
        action=entry.action,
        subject_type=entry.subject_type,
        subject_id=entry.subject_id,
        data=entry.data,
        schema_version=entry.schema_version,
    )
    as_json = json.loads(canonical)
    assert canonical == json.dumps(as_json, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert as_json == {
        "action": "test.step_taken",
        "actor": {"id": None, "type": "system"},
        "at": entry.recorded_at,
        "data": {"n": 0},
        "seq": 1,
        "subject": {"id": None, "type": ""},
        "v": 1,
    }
    assert bytes(entry.leaf_hash) == merkle.leaf_hash(canonical)


def test_stored_nodes_give_the_same_root_as_the_leaves():
    entries = append(13)
    leaves = [bytes(e.leaf_hash) for e in entries]
    from rankfile.ledger.queries import DatabaseNodes

    for size in range(1, 14):
        assert merkle.tree_root(DatabaseNodes(), size) == merkle.root(leaves[:size])
    # 13 leaves complete 6 + 3 + 1 subtrees of 2, 4 and 8 leaves.
    assert Node.objects.count() == 10


def test_invariant_1_entry_rolls_back_with_its_action():
    def action_that_fails_half_way() -> None:
        with transaction.atomic():
            ledger.record(actor=ledger.SYSTEM, action=TEST_ACTION, subject=None, data={"n": 1})
            raise RuntimeError("the action failed half-way")

    with pytest.raises(RuntimeError):
        action_that_fails_half_way()
    assert Entry.objects.count() == 0
    assert append(1)[0].seq == 1


def test_invariant_1_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(schema.LedgerSchemaError, match="inside the caller's transaction"):
        ledger.record(actor=ledger.SYSTEM, action=TEST_ACTION, subject=None, data={"n": 1})


def test_invariant_1_invitations_and_accounts_are_on_the_ledger(admin):
    issued = account_actions.invitation_create(email="new@example.org", by=admin)
    token = issued.url.rstrip("/").rsplit("/", 1)[-1]
    user = account_actions.invitation_accept(token=token, password="quiet orchard window 88")
    actions = list(Entry.objects.values_list("action", "actor_type", "actor_id", "subject_type", "subject_id"))
    assert actions == [
        ("accounts.account_created", "operator", None, "accounts.user", admin.pk),
        ("accounts.vault_key_created", "operator", None, "accounts.user", admin.pk),
        ("accounts.invitation_created", "accounts.user", admin.pk, "accounts.invitation", issued.invitation.pk),
        ("accounts.account_created", "accounts.user", user.pk, "accounts.user", user.pk),
        ("accounts.vault_key_created", "accounts.user", user.pk, "accounts.user", user.pk),
    ]


def test_invariant_3_ledger_holds_no_email_addresses_or_names(admin):
    account_actions.invitation_create(email="private.person@example.org", name="Private Person", by=admin)
    every_row = " ".join(str(row) for row in Entry.objects.values_list())
    assert "private" not in every_row.lower()
    assert "example.org" not in every_row


def test_invariant_3_undefined_action_is_refused():
    with pytest.raises(schema.LedgerSchemaError, match="not a defined ledger action"), transaction.atomic():
        ledger.record(actor=ledger.SYSTEM, action="test.undefined", subject=None, data={})


@pytest.mark.parametrize(
    "data",
    [
        {"narrative": "he said that"},
        {"n": "free text is not a count"},
        {"n": 1, "outcome": "Free Text With Spaces"},
        {"n": 1.5},
        {"n": True},
        {"n": -1},
    ],
)
def test_invariant_3_data_outside_the_action_schema_is_refused(data):
    with pytest.raises(schema.LedgerSchemaError), transaction.atomic():
        ledger.record(actor=ledger.SYSTEM, action=TEST_ACTION, subject=None, data=data)
    assert Entry.objects.count() == 0


def test_actor_must_be_a_person_or_the_system(anonymous):
    with pytest.raises(schema.LedgerSchemaError, match="actor"), transaction.atomic():
        ledger.record(actor=anonymous, action=TEST_ACTION, subject=None, data={"n": 1})


def test_a_signed_in_account_is_recorded_as_its_person_and_one_that_belongs_to_no_person_as_itself(admin):
    people_ids_ahead_of_account_ids()
    account = get_user_model().objects.create_user(email="pat@example.org", password=None, name="Pat")
    person = org_actions.person_create(name="Pat Person", user=account, by=ledger.OPERATOR)
    assert person.pk != account.pk
    with transaction.atomic():
        by_pat = ledger.record(actor=account, action=TEST_ACTION, subject=None, data={"n": 1})
        by_admin = ledger.record(actor=admin, action=TEST_ACTION, subject=None, data={"n": 2})
    assert (by_pat.actor_type, by_pat.actor_id) == ("org.person", person.pk)
    assert (by_admin.actor_type, by_admin.actor_id) == ("accounts.user", admin.pk)


def test_no_new_entry_says_person_with_an_account_id_as_old_entries_do():
    with pytest.raises(schema.LedgerSchemaError, match="not Actor"), transaction.atomic():
        ledger.record(actor=ledger.Actor("person", 5), action=TEST_ACTION, subject=None, data={"n": 1})
    assert not Entry.objects.exists()


def test_action_names_must_be_dotted_lower_case():
    with pytest.raises(schema.LedgerSchemaError):
        schema.define("Case Decided", fields={})


def test_a_promised_number_must_be_the_one_recorded():
    with transaction.atomic():
        promised = ledger.next_seq()
        entry = ledger.record(actor=ledger.SYSTEM, action=TEST_ACTION, subject=None, data={"n": 1}, seq=promised)
        assert entry.seq == promised
    with pytest.raises(schema.LedgerSchemaError, match="was promised"), transaction.atomic():
        ledger.record(actor=ledger.SYSTEM, action=TEST_ACTION, subject=None, data={"n": 2}, seq=promised)
    assert Entry.objects.count() == 1


def test_entries_rolled_back_with_a_savepoint_leave_no_gap():
    def record(n: int) -> Entry:
        return ledger.record(actor=ledger.SYSTEM, action=TEST_ACTION, subject=None, data={"n": n})

    def part_that_fails() -> None:
        with transaction.atomic():
            record(2)
            raise RuntimeError("this part of the action failed")

    with transaction.atomic():
        record(1)
        with pytest.raises(RuntimeError):
            part_that_fails()
        assert record(3).seq == 2
        assert ledger.next_seq() == 3
    assert list(Entry.objects.values_list("seq", flat=True)) == [1, 2]
    assert append(1)[0].seq == 3
