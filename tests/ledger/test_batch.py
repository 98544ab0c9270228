"""``ledger.batch()``: many entries written together, with the same numbers and hashes as one by one."""

import contextlib

import pytest
from django.db import transaction
from django.test.utils import CaptureQueriesContext

from rankfile.ledger import actions as ledger
from rankfile.ledger import merkle, queries, schema, verification
from rankfile.ledger.models import Entry, Node
from rankfile.ledger.queries import DatabaseNodes
from tests.ledger.helpers import TEST_ACTION, append

pytestmark = pytest.mark.django_db(transaction=True)


def record(n: int) -> Entry:
    return ledger.record(actor=ledger.SYSTEM, action=TEST_ACTION, subject=None, data={"n": n})


def test_a_batch_writes_the_entries_and_nodes_one_by_one_would():
    append(5)  # the batch starts in the middle of a subtree, so it needs a sibling from the database
    with transaction.atomic(), ledger.batch():
        batched = [record(n) for n in range(5, 1205)]  # more than one write of the buffer
        assert ledger.next_seq() == 1206
    assert [e.seq for e in batched] == list(range(6, 1206))
    stored = list(Entry.objects.order_by("seq").values_list("leaf_hash", flat=True))
    assert len(stored) == 1205
    assert [bytes(e.leaf_hash) for e in batched] == [bytes(h) for h in stored[5:]]
    assert merkle.tree_root(DatabaseNodes(), 1205) == merkle.root([bytes(h) for h in stored])
    assert Node.objects.count() == sum(1205 >> level for level in range(1, (1205).bit_length()))
    result, _ = verification.verify_all(verifier=queries.ledger_key()[0].verifier)
    assert result.ok, result.problems


def test_a_batch_takes_a_handful_of_queries_for_hundreds_of_entries():
    with CaptureQueriesContext(transaction.get_connection()) as queries_run, transaction.atomic(), ledger.batch():
        for n in range(300):
            record(n)
    # One by one would be 300 inserts or more. PostgreSQL takes the rows with COPY, which Django does not list;
    # SQLite takes them in a few INSERTs (fewer values per statement).
    assert len(queries_run.captured_queries) <= 16
    assert Entry.objects.count() == 300


def test_a_failure_inside_a_batch_keeps_nothing():
    def bulk_work_that_fails() -> None:
        with transaction.atomic(), ledger.batch():
            record(1)
            raise RuntimeError("the bulk work failed")

    with pytest.raises(RuntimeError):
        bulk_work_that_fails()
    assert Entry.objects.count() == 0
    assert append(1)[0].seq == 1


def test_a_savepoint_rolled_back_inside_a_batch_is_refused():
    def part_that_fails() -> None:
        with transaction.atomic():
            record(2)
            raise RuntimeError("this part failed, but its entry is still in the batch")

    def bulk_work() -> None:
        with transaction.atomic(), ledger.batch():
            record(1)
            with contextlib.suppress(RuntimeError):
                part_that_fails()
            record(3)

    with pytest.raises(schema.LedgerSchemaError, match="savepoint rolled back"):
        bulk_work()
    assert Entry.objects.count() == 0


def test_a_batch_runs_only_inside_a_transaction():
    with pytest.raises(schema.LedgerSchemaError, match="inside the caller's transaction"), ledger.batch():
        pass  # pragma: no cover


def test_after_a_batch_entries_are_recorded_one_by_one_again():
    with transaction.atomic():
        with ledger.batch():
            record(1)
        assert Entry.objects.count() == 1
        assert record(2).pk is not None
    assert list(Entry.objects.values_list("seq", flat=True)) == [1, 2]
