"""Writing to the ledger: ``record`` (one entry, in the caller's transaction), ``batch``, ``checkpoint_create``."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from rankfile.ledger import hooks, merkle, queries, schema, signing
from rankfile.ledger.canonical import EntryEncoder, data_text, time_text
from rankfile.ledger.models import Checkpoint, Entry, Node

log = logging.getLogger(__name__)

# Any fixed number: the PostgreSQL advisory lock that serializes appends.
_APPEND_LOCK = 0x5241_4E4B


@dataclass(frozen=True)
class Actor:
    """Who acted, when it is not a signed-in account: the system, the operator, the reporter."""

    type: str
    id: int | None = None


SYSTEM = Actor("system")  # timers and automatic consequences
OPERATOR = Actor("operator")  # the command line, run by whoever operates the installation

_encoder = EntryEncoder()


def _actor_fields(actor: Any) -> tuple[str, int | None]:
    if isinstance(actor, Actor):
        if actor.type == hooks.LEGACY_ACCOUNT:
            # Old entries say "person" with an account's id; a new one saying it would be read the same way.
            raise schema.LedgerSchemaError("record a signed-in account by passing the account, not Actor('person')")
        return actor.type, actor.id
    if getattr(actor, "is_authenticated", False) and isinstance(getattr(actor, "pk", None), int):
        # The account's person when it has one, so that the entry names whom the directory knows.
        reference = hooks.account_actor(account=actor)
        return reference if reference is not None else (actor._meta.label_lower, actor.pk)
    raise schema.LedgerSchemaError(f"the actor must be a signed-in account, SYSTEM or OPERATOR, not {actor!r}")


def _subject_fields(subject: Model | None) -> tuple[str, int | None]:
    if subject is None:
        return "", None
    if not isinstance(subject.pk, int):
        raise schema.LedgerSchemaError(f"the subject must be a saved object with an integer id, not {subject!r}")
    return subject._meta.label_lower, subject.pk


def lock_for_append() -> None:
    """Serialize appends until the surrounding transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_APPEND_LOCK])
    elif connection.vendor == "sqlite":
        # BEGIN IMMEDIATE already holds SQLite's single write lock for the whole transaction.
        if connection.settings_dict.get("OPTIONS", {}).get("transaction_mode") != "IMMEDIATE":
            raise ImproperlyConfigured("the ledger needs SQLite transactions in IMMEDIATE mode")
    else:
        raise ImproperlyConfigured(f"the ledger does not support the {connection.vendor} database")


def _size_under_lock() -> int:
    """The ledger's size, holding the append lock until the transaction ends.

    The first append of a transaction takes the lock and reads the size; later ones in the same transaction reuse
    what it knows, since nobody else can append meanwhile. Django gives the connection a new ``run_on_commit``
    list whenever a transaction commits or rolls back and whenever a savepoint rolls back (which may have removed
    entries), so that list, by identity, marks how long the known size holds.
    """
    known = getattr(connection, "_rankfile_ledger_size", None)
    if known is not None and known[0] is connection.run_on_commit:
        return int(known[1])
    lock_for_append()
    size = queries.ledger_size()
    connection._rankfile_ledger_size = (connection.run_on_commit, size)  # type: ignore[attr-defined]
    return size


@dataclass
class _Batch:
    """Entries and nodes recorded inside ``batch()``, written when it ends."""

    marker: list[Any]  # the connection's ``run_on_commit`` list when the batch last appended (see _size_under_lock)
    entries: list[Entry] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    known: dict[tuple[int, int], bytes] = field(default_factory=dict)  # every leaf and node made in the batch

    def check_marker(self) -> None:
        if connection.run_on_commit is not self.marker:
            raise schema.LedgerSchemaError(
                "a savepoint rolled back inside ledger.batch(): its entries may describe changes that were undone. "
                "Let a failure inside a batch end the whole transaction."
            )

    def flush(self) -> None:
        if connection.vendor == "postgresql":
            # COPY: with many values per INSERT the driver's client-side quoting would take most of the time.
            _copy_rows(Entry, _ENTRY_COLUMNS, self.entries)
            _copy_rows(Node, _NODE_COLUMNS, self.nodes)
        else:
            Entry.objects.bulk_create(self.entries, batch_size=_BATCH_WRITE)
            Node.objects.bulk_create(self.nodes, batch_size=_BATCH_WRITE)
        self.entries.clear()
        self.nodes.clear()


_ENTRY_COLUMNS = [f.column for f in Entry._meta.concrete_fields]
_NODE_COLUMNS = ["level", "position", "hash"]


def _copy_rows(model: type[Entry] | type[Node], columns: list[str], rows: list[Any]) -> None:
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([getattr(row, column) for column in columns])


_BATCH_WRITE = 500


def _active_batch() -> _Batch | None:
    return getattr(connection, "_rankfile_ledger_batch", None)


@contextmanager
def batch() -> Iterator[None]:
    """Record many entries with few round trips: inside, ``record`` keeps entries in memory and they are written
    together as the batch ends (or every few hundred), in the same transaction.

    For bulk work such as an import, inside the caller's ``transaction.atomic()``. The rules: nothing inside may read
    the ledger, and a failure inside must end the whole transaction. An entry is final only once written, so a
    savepoint that rolls back inside the batch (undoing changes whose entries are kept in memory) is refused.
    """
    if not connection.in_atomic_block:
        raise schema.LedgerSchemaError("ledger.batch() runs inside the caller's transaction.atomic()")
    if _active_batch() is not None:
        yield
        return
    current = _Batch(marker=connection.run_on_commit)
    connection._rankfile_ledger_batch = current  # type: ignore[attr-defined]
    try:
        yield
        current.check_marker()
        current.flush()
    finally:
        connection._rankfile_ledger_batch = None  # type: ignore[attr-defined]


def next_seq() -> int:
    """The number the next entry will get, for a row that records it as it is created (call within the transaction,
    then ``record`` with ``seq=``: appends are serialized from here until the transaction ends)."""
    if not connection.in_atomic_block:
        raise schema.LedgerSchemaError("ledger.next_seq() runs inside the caller's transaction.atomic()")
    return _size_under_lock() + 1


def record(
    *, actor: Any, action: str, subject: Model | None, data: dict[str, Any] | None = None, seq: int | None = None
) -> Entry:
    """Append one entry for ``action``. Call it inside the action's transaction: it commits or rolls back with it.

    ``seq``, when given, is the number ``next_seq`` promised; recording under another number is refused.
    """
    if not connection.in_atomic_block:
        raise schema.LedgerSchemaError("ledger.record() runs inside the caller's transaction.atomic()")
    action_schema = schema.schema_for(action)
    data = dict(data or {})
    action_schema.check(data)
    actor_type, actor_id = _actor_fields(actor)
    subject_type, subject_id = _subject_fields(subject)

    size = _size_under_lock()
    if seq is not None and seq != size + 1:
        raise schema.LedgerSchemaError(f"entry {seq} was promised, but the next entry is {size + 1}")
    fields: dict[str, Any] = {
        "seq": size + 1,
        "recorded_at": time_text(timezone.now()),
        "actor_type": actor_type,
        "actor_id": actor_id,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "data": data_text(data),
        "schema_version": action_schema.version,
    }
    leaf = merkle.leaf_hash(_encoder.encode(**fields))
    pending = _active_batch()
    if pending is None:
        entry = Entry.objects.create(**fields, leaf_hash=leaf)
        Node.objects.bulk_create(_complete_nodes(index=size, leaf=leaf, known={}))
    else:
        pending.check_marker()
        entry = Entry(**fields, leaf_hash=leaf)
        pending.entries.append(entry)
        pending.known[(0, size)] = leaf
        for node in _complete_nodes(index=size, leaf=leaf, known=pending.known):
            pending.nodes.append(node)
            pending.known[(node.level, node.position)] = bytes(node.hash)
        if len(pending.entries) >= 4 * _BATCH_WRITE:
            pending.flush()
        pending.marker = connection.run_on_commit
    connection._rankfile_ledger_size = (connection.run_on_commit, size + 1)  # type: ignore[attr-defined]
    if action_schema.checkpoint_after:
        transaction.on_commit(checkpoint_create, robust=True)
    return entry


def _complete_nodes(*, index: int, leaf: bytes, known: dict[tuple[int, int], bytes]) -> list[Node]:
    """Every subtree that appending leaf ``index`` completes, stored so that proofs never rebuild the tree.

    The left siblings come from ``known`` where it has them, otherwise from the database.
    """
    completed = []
    level = 1
    while (index + 1) % (1 << level) == 0:
        completed.append((level, (index + 1 >> level) - 1))
        level += 1
    if not completed:
        return []
    wanted = [(level - 1, 2 * position) for level, position in completed]
    left_siblings = {key: known[key] for key in wanted if key in known}
    if len(left_siblings) < len(wanted):
        left_siblings.update(queries.DatabaseNodes().nodes([key for key in wanted if key not in known]))
    right = leaf
    new_nodes = []
    for level, position in completed:
        right = merkle.node_hash(left_siblings[(level - 1, 2 * position)], right)
        new_nodes.append(Node(level=level, position=position, hash=right))
    return new_nodes


class LedgerInconsistent(Exception):
    """The stored tree does not extend the last checkpoint. Nothing is signed; run ``rankfile ledger verify``."""


@transaction.atomic
def checkpoint_create() -> Checkpoint:
    """Sign the current tree head, unless nothing was added since the last checkpoint; send it to the witnesses.

    Refuses to sign a head that is not an append-only extension of the latest checkpoint.
    """
    lock_for_append()
    size = queries.ledger_size()
    latest = Checkpoint.objects.order_by("-size").first()
    if latest is not None and latest.size == size:
        return latest
    source = queries.DatabaseNodes()
    root = merkle.tree_root(source, size)
    if latest is not None:
        proof = merkle.tree_consistency_proof(source, latest.size, size)
        if not merkle.verify_consistency(latest.size, size, bytes(latest.root), root, proof):
            raise LedgerInconsistent(
                f"the ledger's first {latest.size} entries no longer hash to the root of the checkpoint at "
                f"{latest.size}; refusing to sign. Run `rankfile ledger verify`."
            )
    key, _ = queries.ledger_key()
    note = signing.sign(signing.TreeHead(origin=key.name, size=size, root=root), key)
    checkpoint = Checkpoint.objects.create(size=size, root=root, note=note)
    transaction.on_commit(lambda: _send_to_witnesses(checkpoint))
    return checkpoint


def _send_to_witnesses(checkpoint: Checkpoint) -> None:
    witnesses = settings.LEDGER_WITNESSES
    if not witnesses:
        return
    send_mail(
        subject=f"[{settings.ORG_NAME}] ledger checkpoint {checkpoint.size}",
        message=(
            "Keep this signed checkpoint of the Rankfile ledger. It lets anyone prove later that the record was\n"
            "only ever appended to: `rankfile ledger verify --against FILE` with this text saved as FILE.\n\n"
            f"{checkpoint.note}\nVerifier key: {queries.ledger_key()[0].verifier}\n"
        ),
        from_email=None,
        recipient_list=witnesses,
    )
    log.info("ledger checkpoint %s sent to %d witnesses", checkpoint.size, len(witnesses))
