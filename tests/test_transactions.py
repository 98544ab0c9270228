"""``@action`` and ``bulk()``: actions take a savepoint of the caller's transaction, except in bulk work."""

import contextlib

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from rankfile.errors import InvalidInput
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions
from rankfile.org.models import Person
from rankfile.transactions import bulk

pytestmark = pytest.mark.django_db(transaction=True)


def savepoints(queries: CaptureQueriesContext) -> int:
    return sum("SAVEPOINT" in q["sql"].upper() and "RELEASE" not in q["sql"].upper() for q in queries.captured_queries)


def test_a_refused_action_undoes_only_itself():
    with transaction.atomic():
        actions.person_create(name="Kept", by=OPERATOR)
        with pytest.raises(InvalidInput):
            actions.person_create(name="", by=OPERATOR)
        actions.person_create(name="Also kept", by=OPERATOR)
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Also kept", "Kept"]


def test_actions_in_bulk_take_no_savepoints():
    with transaction.atomic(), CaptureQueriesContext(connection) as plain:
        actions.person_create(name="One", by=OPERATOR)
    with transaction.atomic(), bulk(), CaptureQueriesContext(connection) as in_bulk:
        actions.person_create(name="Two", by=OPERATOR)
    assert savepoints(plain) >= 1
    assert savepoints(in_bulk) == 0


def test_a_refusal_in_bulk_ends_the_whole_transaction():
    def bulk_work() -> None:
        with transaction.atomic(), bulk():
            actions.person_create(name="Lost with the rest", by=OPERATOR)
            with contextlib.suppress(InvalidInput):
                actions.person_create(name="", by=OPERATOR)
            actions.person_create(name="Cannot run", by=OPERATOR)

    with pytest.raises(transaction.TransactionManagementError):
        bulk_work()
    assert Person.objects.count() == 0


def test_bulk_runs_only_inside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the caller's transaction"), bulk():
        pass  # pragma: no cover


def test_a_member_number_in_use_is_explained_in_bulk_too():
    actions.person_create(name="First", member_number="M-1", by=OPERATOR)

    def bulk_work() -> None:
        with transaction.atomic(), bulk():
            actions.person_create(name="Second", member_number="M-1", by=OPERATOR)

    with pytest.raises(InvalidInput) as refused:
        bulk_work()
    assert refused.value.code == "duplicate_member_number"
    with pytest.raises(InvalidInput) as refused_alone:
        actions.person_create(name="Second", member_number="M-1", by=OPERATOR)
    assert refused_alone.value.code == "duplicate_member_number"
    assert Person.objects.count() == 1
