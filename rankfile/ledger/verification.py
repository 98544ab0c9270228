"""Recomputing the ledger from its rows: every leaf, every stored node, every checkpoint.

Reads the rows through a raw, chunked cursor (no model objects), so a million entries take seconds.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from rankfile.ledger import merkle, signing
from rankfile.ledger.canonical import EntryEncoder
from rankfile.ledger.models import Checkpoint, Entry, Node

Progress = Callable[[int, int], None]
CHUNK = 20_000


@dataclass
class Verification:
    size: int = 0
    leaves: list[bytes] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    first_bad_seq: int | None = None
    checkpoints_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def flag(self, problem: str, *, seq: int | None = None) -> None:
        self.problems.append(problem)
        if seq is not None and (self.first_bad_seq is None or seq < self.first_bad_seq):
            self.first_bad_seq = seq


def _rows(table: str, columns: str, order: str) -> Iterator[tuple[Any, ...]]:
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {order}")  # noqa: S608 (fixed names)
        while rows := cursor.fetchmany(CHUNK):
            yield from rows


def verify_entries(*, progress: Progress | None = None) -> Verification:
    """Recompute each entry's leaf from its columns; find gaps, reordering and altered rows."""
    result = Verification()
    total = Entry.objects.count()
    encode = EntryEncoder().encode
    leaf_hash = merkle.leaf_hash
    leaves = result.leaves
    expected = 1
    columns = (
        "seq, recorded_at, actor_type, actor_id, action, subject_type, subject_id, data, schema_version, leaf_hash"
    )
    for row in _rows(Entry._meta.db_table, columns, "seq"):
        seq, recorded_at, actor_type, actor_id, action, subject_type, subject_id, data, version, stored = row
        if seq != expected:
            if seq > expected:
                result.flag(f"entries {expected} to {seq - 1} are missing (deleted)", seq=expected)
            else:
                result.flag(f"entry {seq} appears twice", seq=seq)
            expected = seq
        leaf = leaf_hash(
            encode(
                seq=seq,
                recorded_at=recorded_at,
                actor_type=actor_type,
                actor_id=actor_id,
                action=action,
                subject_type=subject_type,
                subject_id=subject_id,
                data=data,
                schema_version=version,
            )
        )
        if bytes(stored) != leaf:
            result.flag(f"entry {seq} does not match its leaf hash (its content was changed)", seq=seq)
        leaves.append(leaf)
        expected += 1
        if progress is not None and len(leaves) % 100_000 == 0:
            progress(len(leaves), total)
    result.size = len(leaves)
    if progress is not None:
        progress(result.size, total)
    return result


def verify_nodes(result: Verification, tree: merkle.MemoryNodes) -> None:
    """The stored subtree hashes must be exactly those recomputed from the entries."""
    expected_count = sum(result.size >> level for level in range(1, result.size.bit_length()))
    stored_count = 0
    # Rows that fail their own hash were named already; nodes above them then differ as a consequence.
    rows_named = result.first_bad_seq is not None
    for level, index, stored in _rows(Node._meta.db_table, "level, position, hash", "level, position"):
        stored_count += 1
        try:
            computed = tree.nodes([(level, index)])[(level, index)]
        except (KeyError, IndexError, LookupError):
            result.flag(f"the tree has a node ({level}, {index}) that no entries account for")
            continue
        if bytes(stored) != computed:
            first_seq = (index << level) + 1
            result.flag(
                f"the stored tree node over entries {first_seq} to {(index + 1) << level} does not match them",
                seq=None if rows_named else first_seq,
            )
    if stored_count != expected_count:
        result.flag(f"the tree should have {expected_count} stored nodes, it has {stored_count}")


def verify_checkpoints(result: Verification, tree: merkle.MemoryNodes, *, verifier: str) -> None:
    """Every stored checkpoint must carry a good signature and the root recomputed from the entries."""
    previous_size = 0
    for checkpoint in Checkpoint.objects.order_by("size"):
        result.checkpoints_checked += 1
        try:
            head = signing.open_note(checkpoint.note, verifier=verifier)
        except signing.CheckpointError as exc:
            result.flag(f"checkpoint {checkpoint.size}: {exc}")
            continue
        if head.size != checkpoint.size or head.root != bytes(checkpoint.root):
            result.flag(f"checkpoint {checkpoint.size}: the stored size or root differs from the signed note")
        if head.size > result.size:
            result.flag(
                f"checkpoint {head.size} signs {head.size} entries, but the ledger has {result.size}: entries were "
                "deleted",
                seq=result.size + 1,
            )
        elif merkle.tree_root(tree, head.size) != head.root:
            already_named = result.first_bad_seq is not None and result.first_bad_seq <= head.size
            result.flag(
                f"checkpoint {head.size} no longer matches entries 1 to {head.size}: an entry between "
                f"{previous_size + 1} and {head.size} was changed since it was signed",
                # A row whose own hash fails names the entry exactly; otherwise the hashes were recomputed,
                # and the checkpoints narrow it down to the entries since the last one that still matches.
                seq=None if already_named else previous_size + 1,
            )
        previous_size = head.size


def verify_all(*, verifier: str, progress: Progress | None = None) -> tuple[Verification, merkle.MemoryNodes]:
    result = verify_entries(progress=progress)
    tree = merkle.MemoryNodes(result.leaves)
    verify_nodes(result, tree)
    verify_checkpoints(result, tree, verifier=verifier)
    return result, tree


def verify_against(result: Verification, tree: merkle.MemoryNodes, *, note: str, verifier: str) -> tuple[bool, str]:
    """Is the ledger, as recomputed, an append-only extension of a checkpoint a witness kept? Say why not."""
    try:
        head = signing.open_note(note, verifier=verifier)
    except signing.CheckpointError as exc:
        return False, f"the witness's checkpoint cannot be used: {exc}"
    if head.size > result.size:
        return False, (
            f"the witness's checkpoint covers {head.size} entries but the ledger now has {result.size}: "
            "entries were deleted"
        )
    if head.size == 0:
        return True, "the witness's checkpoint is of the empty ledger; every ledger extends it"
    current_root = merkle.tree_root(tree, result.size)
    proof = merkle.tree_consistency_proof(tree, head.size, result.size)
    if merkle.verify_consistency(head.size, result.size, head.root, current_root, proof):
        return True, (
            f"the ledger ({result.size} entries) is an append-only extension of the witness's checkpoint at "
            f"{head.size}: consistency proof of {len(proof)} hashes verified"
        )
    return False, (
        f"the ledger is NOT an append-only extension of the witness's checkpoint: its first {head.size} entries "
        f"now hash to {merkle.tree_root(tree, head.size).hex()}, the witness holds {head.root.hex()}. "
        "History was rewritten."
    )
