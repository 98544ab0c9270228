import pytest
from django.db import DatabaseError, transaction

from rankfile.ledger import actions as ledger
from rankfile.ledger.models import Checkpoint, Entry, Node
from tests.ledger.helpers import append, execute

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_entry SET data = '{\"n\":99}' WHERE seq = 2",
        "UPDATE ledger_entry SET seq = 100 WHERE seq = 3",
        "DELETE FROM ledger_entry WHERE seq = 4",
        "DELETE FROM ledger_entry",
        "UPDATE ledger_node SET level = 9",
        "DELETE FROM ledger_node",
        "UPDATE ledger_checkpoint SET size = 1",
        "DELETE FROM ledger_checkpoint",
    ],
)
def test_invariant_2_raw_update_and_delete_are_refused(sql):
    append(4)
    ledger.checkpoint_create()
    before = (list(Entry.objects.values_list()), Node.objects.count(), Checkpoint.objects.count())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute(sql)
    assert (list(Entry.objects.values_list()), Node.objects.count(), Checkpoint.objects.count()) == before


def test_invariant_2_orm_update_is_refused_too():
    entry = append(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(action="test.rewritten")
