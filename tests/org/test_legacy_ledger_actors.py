"""The migration that makes entries recorded before the ledger named people (actor type "person" with an account's
id) name the right person: it notes, once, whose each of those accounts was."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from rankfile.ledger import actions as ledger
from rankfile.ledger.models import Entry
from rankfile.org.models import LegacyLedgerActor
from tests.ledger.helpers import TEST_ACTION, people_ids_ahead_of_account_ids, recorded_the_old_way
from tests.org.builders import enrolled

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("org", "0002_bylaws")
AFTER = ("org", "0003_legacy_ledger_actors")


def migrate_to(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([target])


@pytest.fixture(autouse=True)
def _latest_schema_afterwards():
    """Going back to an earlier migration also unapplies the app's later ones; the tests after these need them all."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_migration_notes_the_person_of_each_account_that_old_entries_name(admin):
    people_ids_ahead_of_account_ids()
    account = get_user_model().objects.create_user(email="lee@example.org", password=None, name="Lee L.")
    lee = enrolled("Lee Leader", user=account)
    assert lee.pk != account.pk
    migrate_to(BEFORE)
    try:
        with recorded_the_old_way(), transaction.atomic():
            ledger.record(actor=account, action=TEST_ACTION, subject=None, data={"n": 1})
            ledger.record(actor=admin, action=TEST_ACTION, subject=None, data={"n": 2})
    finally:
        migrate_to(AFTER)
    assert set(Entry.objects.filter(actor_type="person").values_list("actor_id", flat=True)) == {account.pk, admin.pk}
    noted = dict(LegacyLedgerActor.objects.values_list("account_id", "person_id"))
    assert noted == {account.pk: lee.pk, admin.pk: None}
