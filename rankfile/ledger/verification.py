"""Recomputing the ledger from its rows: every leaf, every stored node, every checkpoint.

Reads the rows through raw cursors in ranges of seq (no model objects). A large ledger is split between
processes, one per CPU: each recomputes the leaves of one range of entries and the subtrees inside it and
compares them with the stored ones; this process then joins the pieces into the whole tree. A million entries
take a few seconds.
"""

import hashlib
import multiprocessing
import os
import re
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, cast

from django.db import connection, connections

from rankfile.ledger import merkle, signing
from rankfile.ledger.canonical import ENVELOPE, EntryEncoder
from rankfile.ledger.models import Checkpoint, Entry, Node

Progress = Callable[[int, int], None]
CHUNK = 50_000  # rows per query
PROGRESS_EVERY = 100_000  # entries between progress calls
PARALLEL_MIN = 50_000  # smaller ledgers are verified in this process: forking would cost more than it saves
MAX_PROCESSES = 8
# Ranges of entries start at multiples of 2**ALIGN_LEVEL, so the subtrees of up to that height inside a range
# are subtrees of the whole tree, and each process can check the stored ones itself.
ALIGN_LEVEL = 14

_ENTRIES = Entry._meta.db_table
_NODES = Node._meta.db_table
_ENTRY_COLUMNS = (
    "seq, recorded_at, actor_type, actor_id, action, subject_type, subject_id, data, schema_version, leaf_hash"
)
# The envelope of canonical.EntryEncoder split around its slots, which take, in order: action, actor id,
# actor type, time, data, seq, subject id, subject type, schema version.
_ENVELOPE_PARTS = re.split(r"(%[sd])", ENVELOPE)
_ACTION_SLOT, _ACTOR_TYPE_SLOT, _SUBJECT_TYPE_SLOT = 0, 2, 7


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


class _Templates(dict[tuple[str, str, str], str]):
    """Per (action, actor type, subject type): "\\0" and the canonical envelope with those three filled in.

    Formatting the other six values into it gives exactly 0x00 || EntryEncoder.encode(...): the bytes a leaf
    hash covers. Each template is checked against EntryEncoder on the first row that uses it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._encoder = EntryEncoder()

    def for_row(self, row: tuple[Any, ...]) -> str:
        seq, recorded_at, actor_type, actor_id, action, subject_type, subject_id, data, version = row[:9]
        fixed = {_ACTION_SLOT: action, _ACTOR_TYPE_SLOT: actor_type, _SUBJECT_TYPE_SLOT: subject_type}
        parts = [
            self._encoder._string(fixed[i // 2]).replace("%", "%%") if i % 2 and i // 2 in fixed else part
            for i, part in enumerate(_ENVELOPE_PARTS)
        ]
        template = "\0" + "".join(parts)
        values = (_id_text(actor_id), recorded_at, data, seq, _id_text(subject_id), version)
        canonical = self._encoder.encode(
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
        if (template % values).encode("utf-8") != b"\0" + canonical:
            raise RuntimeError("verification's envelope is out of step with canonical.EntryEncoder")
        self[(action, actor_type, subject_type)] = template
        return template


def _id_text(value: Any) -> Any:
    return "null" if value is None else int(value)


@dataclass
class _Range:
    """What one pass over the entries with start <= seq < stop found (either bound may be open)."""

    start: int | None
    stop: int | None
    leaves: list[bytes]
    problems: list[tuple[str, int | None]]
    # Every row's seq was the one expected: start, start + 1, ... (or 1, 2, ... from an open start).
    contiguous: bool
    # Levels 1 to ALIGN_LEVEL of the subtrees inside the range, when asked for and the range is contiguous.
    levels: list[list[bytes]] = field(default_factory=list)
    nodes_checked: int = 0
    bad_nodes: list[tuple[int, int]] = field(default_factory=list)


def _verify_range(start: int | None, stop: int | None, *, nodes: bool, report: Callable[[int], None]) -> _Range:
    """Recompute the leaves of the entries in [start, stop), noting problems as the one pass over all would."""
    expected = 1
    if start is not None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(seq) FROM {_ENTRIES} WHERE seq < %s", [start])  # noqa: S608 (fixed names)
            expected = (cursor.fetchone()[0] or 0) + 1
    part = _Range(start=start, stop=stop, leaves=[], problems=[], contiguous=expected == (start or 1))
    leaves = part.leaves
    append = leaves.append
    problems = part.problems
    templates = _Templates()
    template_for = templates.get
    sha256 = hashlib.sha256
    contiguous = part.contiguous
    for rows in _entry_chunks(start, stop):
        for row in rows:
            seq, recorded_at, actor_type, actor_id, action, subject_type, subject_id, data, version, stored = row
            if seq != expected:
                contiguous = False
                if seq > expected:
                    problems.append((f"entries {expected} to {seq - 1} are missing (deleted)", expected))
                else:
                    problems.append((f"entry {seq} appears twice", seq))
            template = template_for((action, actor_type, subject_type)) or templates.for_row(row)
            leaf = sha256(
                (
                    template
                    % (
                        "null" if actor_id is None else int(actor_id),
                        recorded_at,
                        data,
                        seq,
                        "null" if subject_id is None else int(subject_id),
                        version,
                    )
                ).encode("utf-8")
            ).digest()
            if stored != leaf and bytes(stored) != leaf:
                problems.append((f"entry {seq} does not match its leaf hash (its content was changed)", seq))
            append(leaf)
            expected = seq + 1
        report(len(rows))
    part.contiguous = contiguous
    if nodes and contiguous:
        _check_range_nodes(part)
    return part


def _entry_chunks(start: int | None, stop: int | None) -> Iterator[list[tuple[Any, ...]]]:
    """The entries with start <= seq < stop in order of seq, CHUNK rows at a time (keyset pagination)."""
    after = None if start is None else start - 1
    with connection.cursor() as cursor:
        while True:
            conditions, params = [], []
            if after is not None:
                conditions.append("seq > %s")
                params.append(after)
            if stop is not None:
                conditions.append("seq < %s")
                params.append(stop)
            where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
            cursor.execute(
                f"SELECT {_ENTRY_COLUMNS} FROM {_ENTRIES} {where}ORDER BY seq LIMIT %s",  # noqa: S608 (fixed names)
                [*params, CHUNK],
            )
            rows = cursor.fetchall()
            if rows:
                yield rows
            if len(rows) < CHUNK:
                return
            after = rows[-1][0]


def _check_range_nodes(part: _Range) -> None:
    """Recompute the subtrees inside a contiguous range and compare the stored nodes that cover them."""
    offset = (part.start or 1) - 1
    part.levels = merkle.MemoryNodes(part.leaves).levels[1 : ALIGN_LEVEL + 1]
    with connection.cursor() as cursor:
        for level, computed in enumerate(part.levels, start=1):
            first = offset >> level
            cursor.execute(
                f"SELECT position, hash FROM {_NODES} WHERE level = %s AND position >= %s AND position < %s "  # noqa: S608
                "ORDER BY position",
                [level, first, first + len(computed)],
            )
            stored = cursor.fetchall()
            part.nodes_checked += len(stored)
            if [node for _, node in stored] == computed and [p for p, _ in stored] == list(
                range(first, first + len(computed))
            ):
                continue
            for position, node in stored:
                expected = computed[position - first]
                if node != expected and bytes(node) != expected:
                    part.bad_nodes.append((level, position))


class _Reporter:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def add(self, count: int) -> None:
        before = self.done
        self.done += count
        if self.progress is not None and self.done // PROGRESS_EVERY > before // PROGRESS_EVERY:
            self.progress(self.done, self.total)


def _processes() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return min(cpus, MAX_PROCESSES)


def _can_fork() -> bool:
    """Other processes see the same committed rows: no open transaction here, no private in-memory database."""
    if connection.in_atomic_block or "fork" not in multiprocessing.get_all_start_methods():
        return False
    in_memory = getattr(connection, "is_in_memory_db", None)
    return not (connection.vendor == "sqlite" and callable(in_memory) and in_memory())


def _ranges(last_seq: int, processes: int) -> list[tuple[int | None, int | None]]:
    """About equal ranges of seq, split at multiples of 2**ALIGN_LEVEL; the first and last are open-ended."""
    align = 1 << ALIGN_LEVEL
    step = -(-last_seq // processes)
    step = -(-step // align) * align
    starts = list(range(1 + step, last_seq + 1, step))
    return list(zip([None, *starts], [*starts, None], strict=True))


def _in_child(sender: Connection, start: int | None, stop: int | None, nodes: bool) -> None:
    try:
        part = _verify_range(start, stop, nodes=nodes, report=lambda count: sender.send(("progress", count)))
        # One bytes object per list of hashes: far quicker to send than a million small ones.
        leaves, levels = b"".join(part.leaves), [b"".join(level) for level in part.levels]
        part.leaves, part.levels = [], []
        sender.send(("done", (part, leaves, levels)))
    except BaseException:
        sender.send(("failed", traceback.format_exc()))
    finally:
        connections.close_all()
        sender.close()


def _hashes(packed: bytes) -> list[bytes]:
    size = merkle.HASH_SIZE
    return [packed[i : i + size] for i in range(0, len(packed), size)]


def _in_processes(ranges: list[tuple[int | None, int | None]], *, nodes: bool, reporter: _Reporter) -> list[_Range]:
    """The first range here, each other one in a forked process with its own database connection."""
    context = multiprocessing.get_context("fork")
    # A child must not share this process's database connection: it opens its own.
    connections.close_all()
    children: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    results: dict[Connection, _Range] = {}
    try:
        for start, stop in ranges[1:]:
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_in_child, args=(sender, start, stop, nodes), daemon=True)
            process.start()
            sender.close()
            children.append((process, receiver))

        def receive(*, block: bool) -> None:
            waiting = [receiver for _, receiver in children if receiver not in results]
            for ready in wait(waiting, timeout=None if block else 0):
                receiver = cast(Connection, ready)
                try:
                    kind, payload = receiver.recv()
                except EOFError:
                    raise RuntimeError("a verification process ended without a result") from None
                if kind == "progress":
                    reporter.add(payload)
                elif kind == "done":
                    part, leaves, levels = payload
                    part.leaves, part.levels = _hashes(leaves), [_hashes(level) for level in levels]
                    results[receiver] = part
                else:
                    raise RuntimeError(f"a verification process failed:\n{payload}")

        def report(count: int) -> None:
            reporter.add(count)
            receive(block=False)

        own = _verify_range(*ranges[0], nodes=nodes, report=report)
        while len(results) < len(children):
            receive(block=True)
        return [own, *(results[receiver] for _, receiver in children)]
    finally:
        for child, receiver in children:
            receiver.close()
            if child.is_alive() and receiver not in results:
                child.terminate()
            child.join()


def _verify_entry_ranges(progress: Progress | None, *, nodes: bool) -> tuple[Verification, list[_Range]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX(seq) FROM {_ENTRIES}")  # noqa: S608 (fixed names)
        total, last_seq = cursor.fetchone()
    reporter = _Reporter(progress, total)
    processes = _processes()
    if total >= PARALLEL_MIN and processes > 1 and _can_fork():
        parts = _in_processes(_ranges(last_seq, processes), nodes=nodes, reporter=reporter)
    else:
        parts = [_verify_range(None, None, nodes=False, report=reporter.add)]
    result = Verification()
    for part in parts:
        result.leaves.extend(part.leaves)
        for problem, seq in part.problems:
            result.flag(problem, seq=seq)
    result.size = len(result.leaves)
    if progress is not None:
        progress(result.size, total)
    return result, parts


def verify_entries(*, progress: Progress | None = None) -> Verification:
    """Recompute each entry's leaf from its columns; find gaps, reordering and altered rows."""
    result, _ = _verify_entry_ranges(progress, nodes=False)
    return result


def _stored_node_problem(
    tree: merkle.MemoryNodes, level: int, index: int, stored: Any, *, rows_named: bool
) -> tuple[str, int | None] | None:
    """What is wrong with the stored node (level, index), if anything."""
    levels = tree.levels
    # Explicit bounds, as in MemoryNodes.nodes(): a negative index must not wrap around.
    if not (0 <= level < len(levels) and 0 <= index < len(levels[level])):
        return f"the tree has a node ({level}, {index}) that no entries account for", None
    computed = levels[level][index]
    if stored == computed or bytes(stored) == computed:
        return None
    return _mismatched_node(level, index, rows_named=rows_named)


def _mismatched_node(level: int, index: int, *, rows_named: bool) -> tuple[str, int | None]:
    first_seq = (index << level) + 1
    return (
        f"the stored tree node over entries {first_seq} to {(index + 1) << level} does not match them",
        # Rows that fail their own hash were named already; nodes above them then differ as a consequence.
        None if rows_named else first_seq,
    )


def _expected_node_count(size: int) -> int:
    return sum(size >> level for level in range(1, size.bit_length()))


def verify_nodes(result: Verification, tree: merkle.MemoryNodes) -> None:
    """The stored subtree hashes must be exactly those recomputed from the entries."""
    stored_count = 0
    rows_named = result.first_bad_seq is not None
    for level, index, stored in _rows(Node._meta.db_table, "level, position, hash", "level, position"):
        stored_count += 1
        problem = _stored_node_problem(tree, level, index, stored, rows_named=rows_named)
        if problem is not None:
            result.flag(problem[0], seq=problem[1])
    expected_count = _expected_node_count(result.size)
    if stored_count != expected_count:
        result.flag(f"the tree should have {expected_count} stored nodes, it has {stored_count}")


def _joinable(parts: list[_Range]) -> bool:
    """Did the ranges hold exactly the entries 1, 2, ..., so that their subtrees are pieces of the whole tree?"""
    if len(parts) < 2 or not all(part.contiguous for part in parts):
        return False
    return all(len(part.leaves) == (part.stop or 1) - (part.start or 1) for part in parts[:-1])


def _joined_tree(leaves: list[bytes], parts: list[_Range]) -> merkle.MemoryNodes:
    """The same tree as MemoryNodes(leaves), from the levels the ranges computed."""
    levels = [list(leaves)]
    for height in range(max(len(part.levels) for part in parts)):
        level: list[bytes] = []
        for part in parts:
            if height < len(part.levels):
                level.extend(part.levels[height])
        levels.append(level)
    # MemoryNodes' levels end with the first level of at most one hash.
    for height, level in enumerate(levels):
        if len(level) <= 1:
            del levels[height + 1 :]
            break
    else:
        levels.extend(merkle.MemoryNodes(levels[-1]).levels[1:])
    tree = merkle.MemoryNodes()
    tree.levels = levels
    return tree


def _verify_joined_nodes(result: Verification, tree: merkle.MemoryNodes, parts: list[_Range]) -> None:
    """verify_nodes, given that the ranges checked the stored nodes inside them: check the rest, report all."""
    rows_named = result.first_bad_seq is not None
    levels = tree.levels
    problems: list[tuple[int, int, str, int | None]] = []
    for part in parts:
        for level, index in part.bad_nodes:
            problems.append((level, index, *_mismatched_node(level, index, rows_named=rows_named)))
    stored_count = sum(part.nodes_checked for part in parts)
    checked_levels = max(len(part.levels) for part in parts)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT level, position, hash FROM {_NODES} WHERE level < 1 OR level > %s",  # noqa: S608 (fixed names)
            [checked_levels],
        )
        rest = cursor.fetchall()
        for level in range(1, checked_levels + 1):
            # The ranges checked positions 0 to len - 1 of each of these levels; anything else is extra.
            cursor.execute(
                f"SELECT level, position, hash FROM {_NODES} WHERE level = %s AND (position < 0 OR position >= %s)",  # noqa: S608
                [level, len(levels[level]) if level < len(levels) else 0],
            )
            rest += cursor.fetchall()
    stored_count += len(rest)
    for level, index, stored in rest:
        problem = _stored_node_problem(tree, level, index, stored, rows_named=rows_named)
        if problem is not None:
            problems.append((level, index, *problem))
    for _, _, message, seq in sorted(problems, key=lambda found: (found[0], found[1])):
        result.flag(message, seq=seq)
    expected_count = _expected_node_count(result.size)
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
    result, parts = _verify_entry_ranges(progress, nodes=True)
    if _joinable(parts):
        tree = _joined_tree(result.leaves, parts)
        _verify_joined_nodes(result, tree, parts)
    else:
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
