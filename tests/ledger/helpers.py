"""Building ledgers in tests, and tampering with them the way someone who owns the database would."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from rankfile.ledger import actions as ledger
from rankfile.ledger import hooks, merkle, schema, triggers
from rankfile.ledger.canonical import EntryEncoder
from rankfile.ledger.models import Entry, Node
from rankfile.org import actions as org_actions

TEST_ACTION = schema.define(
    "test.step_taken",
    label="A test step was taken",
    fields={"n": schema.COUNT, "outcome": schema.optional(schema.CODE)},
)


def append(count: int, *, start: int = 0) -> list[Entry]:
    entries = []
    for n in range(start, start + count):
        with transaction.atomic():
            entries.append(ledger.record(actor=ledger.SYSTEM, action=TEST_ACTION, subject=None, data={"n": n}))
    return entries


@contextmanager
def triggers_dropped() -> Iterator[None]:
    """What an attacker with the database does first."""
    triggers.drop(connection)
    try:
        yield
    finally:
        triggers.create(connection)


def execute(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def rehash_everything() -> None:
    """Recompute every leaf and node from the rows, as a careful attacker would after editing them."""
    encode = EntryEncoder().encode
    leaves = []
    for row in Entry.objects.order_by("seq").values(
        "seq", "recorded_at", "actor_type", "actor_id", "action", "subject_type", "subject_id", "data", "schema_version"
    ):
        leaf = merkle.leaf_hash(encode(**row))
        execute("UPDATE ledger_entry SET leaf_hash = %s WHERE seq = %s", [leaf, row["seq"]])
        leaves.append(leaf)
    execute("DELETE FROM ledger_node")
    tree = merkle.MemoryNodes(leaves)
    keys = [(level, i) for level in range(1, len(leaves).bit_length()) for i in range(len(leaves) >> level)]
    Node.objects.bulk_create(Node(level=lv, position=i, hash=h) for (lv, i), h in tree.nodes(keys).items())


def by_person(person: Any) -> dict[str, Any]:
    """The actor columns of an entry recorded for a signed-in account that belongs to ``person``."""
    return {"actor_type": "org.person", "actor_id": person.pk}


def by_account(account: Any) -> dict[str, Any]:
    """The actor columns of an entry recorded for a signed-in account that belongs to no person."""
    return {"actor_type": "accounts.user", "actor_id": account.pk}


@contextmanager
def recorded_the_old_way() -> Iterator[None]:
    """While it lasts, signed-in accounts are recorded as they were before entries named people: actor type
    "person" with the account's id."""
    finders = hooks._account_actor_finders
    saved = dict(finders)
    finders["org"] = lambda account: (hooks.LEGACY_ACCOUNT, account.pk)
    try:
        yield
    finally:
        finders.clear()
        finders.update(saved)


def people_ids_ahead_of_account_ids() -> None:
    """People without accounts first, so that from here on a member's person id is never their account id (the
    mix-up these tests guard against). Members are made an account and a person at a time, so the gap holds."""
    account = get_user_model().objects.create_user(email="probe@example.org", password=None)
    person = org_actions.person_create(name="Probe Person", by=ledger.OPERATOR)
    for n in range(max(0, account.pk - person.pk) + 3):
        org_actions.person_create(name=f"Early Person {n}", by=ledger.OPERATOR)
