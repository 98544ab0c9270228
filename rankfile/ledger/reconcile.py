"""Reconciling the live records with the ledger entries that made them (DESIGN.md invariant 8).

Verifying the entries proves the ledger; this proves that the rows the organization acts on (membership status,
seats, restrictions, decisions, findings, sanctions, overrides, mandates) still say what the entries that made
them say. Someone who owns the database can drop the triggers and rewrite a row, but not the entry: the row then
disagrees with it, and the reconciliation names the table, the row and the field.

The ledger imports no other part, so each part registers the check of its own tables when its app is ready
(``register``), built from the pieces here: ``Made`` (rows that one entry each made, through their ``ledger_seq``)
and ``SetLater`` (fields a later entry sets once, such as a seat's end). Every check reads a table and the entries
of its actions in bulk, a few queries per table, never a query per row.
"""

import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import QuerySet

from rankfile.ledger.models import Entry

_ENTRIES = Entry._meta.db_table
_FACT_COLUMNS = "seq, action, actor_type, actor_id, subject_type, subject_id, data"
_IN_CHUNK = 500  # seqs per IN (...) when naming the entries that rows point at
_FETCH = 10_000  # rows per fetch


class Fact(NamedTuple):
    """An entry as the checks read it, its data parsed."""

    seq: int
    action: str
    actor_type: str
    actor_id: int | None
    subject_type: str
    subject_id: int | None
    data: dict[str, Any]

    def described(self) -> str:
        """``org.person_seated about org.seat 12``"""
        return f"{self.action} about {self.subject_type} {self.subject_id}" if self.subject_type else self.action


@dataclass(frozen=True)
class Mismatch:
    """One way a table disagrees with the ledger, in plain words."""

    table: str
    row: int | None  # None: a row that is missing, or the table as a whole
    problem: str

    def __str__(self) -> str:
        return (
            f"{self.table} row {self.row}: {self.problem}" if self.row is not None else f"{self.table}: {self.problem}"
        )


@dataclass(frozen=True)
class Checked:
    """How many rows of a table a check compared with the ledger."""

    table: str
    rows: int


Check = Callable[[], Iterable[Mismatch | Checked]]
Progress = Callable[[str, int], None]

_checks: dict[str, Check] = {}


def register(name: str, check: Check) -> Check:
    """``check()`` yields a ``Checked`` for each table it read and a ``Mismatch`` for each disagreement it found."""
    _checks[name] = check
    return check


def registered() -> list[str]:
    return list(_checks)


@dataclass
class Reconciliation:
    mismatches: list[Mismatch] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # per table

    @property
    def ok(self) -> bool:
        return not self.mismatches


def reconcile(*, progress: Progress | None = None) -> Reconciliation:
    """Run every registered check, in one snapshot of the database so that an action committing meanwhile (its row
    and its entry together) is seen whole or not at all."""
    result = Reconciliation()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        for check in _checks.values():
            for found in check():
                if isinstance(found, Checked):
                    result.rows[found.table] = result.rows.get(found.table, 0) + found.rows
                    if progress is not None:
                        progress(found.table, found.rows)
                else:
                    result.mismatches.append(found)
    return result


# ---------------------------------------------------------------------------------------------------------------------
# Reading the ledger in bulk


def _facts(sql: str, params: list[Any]) -> dict[int, Fact]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Sorted here: ORDER BY in the query would have SQLite scan the whole ledger in order instead of the action's index.
    rows.sort(key=itemgetter(0))
    parsed = _parsed([row[6] for row in rows])
    return {
        seq: Fact(seq, action, actor_type, actor_id, subject_type, subject_id, data)
        for (seq, action, actor_type, actor_id, subject_type, subject_id, _text), data in zip(rows, parsed, strict=True)
    }


def _parsed(texts: list[str]) -> list[dict[str, Any]]:
    """Each entry's data as a dict ({} where it is not one: verification names such an entry).

    Data is one flat JSON object whose values hold no braces (schema: no text, no nested objects). When every text is
    that, the only braces are each text's first and last character, so the texts joined into one array parse to one
    object per text, in order: one call instead of one per entry, about twice as quick."""
    if all(text[:1] == "{" and text[-1:] == "}" and text.count("{") == 1 and text.count("}") == 1 for text in texts):
        try:
            joined = json.loads("[" + ",".join(texts) + "]")
        except ValueError:
            joined = None
        if isinstance(joined, list) and len(joined) == len(texts) and all(type(item) is dict for item in joined):
            return joined
    return [_one(text) for text in texts]


def _one(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def entries_of(*actions: str) -> dict[int, Fact]:
    """Every entry of these actions, by seq, in the order of seq: one query."""
    if not actions:
        return {}
    placeholders = ", ".join(["%s"] * len(actions))
    return _facts(
        f"SELECT {_FACT_COLUMNS} FROM {_ENTRIES} WHERE action IN ({placeholders})",  # noqa: S608 (fixed names)
        list(actions),
    )


def entries_at(seqs: Collection[int]) -> dict[int, Fact]:
    """The entries with these numbers (those that exist), a few hundred per query."""
    ordered = sorted(set(seqs))
    found: dict[int, Fact] = {}
    for start in range(0, len(ordered), _IN_CHUNK):
        chunk = ordered[start : start + _IN_CHUNK]
        placeholders = ", ".join(["%s"] * len(chunk))
        found |= _facts(
            f"SELECT {_FACT_COLUMNS} FROM {_ENTRIES} WHERE seq IN ({placeholders})",  # noqa: S608 (fixed names)
            chunk,
        )
    return found


# ---------------------------------------------------------------------------------------------------------------------
# The forms in which entries hold a row's values


def as_is(value: Any) -> Any:
    return value


def iso_date(value: date | str | None) -> str | None:
    """A date as the ledger writes it (rows read without Django's conversions may hold it as that text already)."""
    return value if value is None or isinstance(value, str) else value.isoformat()


def flag(value: Any) -> bool | None:
    """Yes or no (rows read without Django's conversions may hold it as 1 or 0)."""
    return None if value is None else bool(value)


def stored_json(value: Any) -> Any:
    """A JSON field's value; rows read without Django's conversions hold it as its text."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def or_none(value: Any) -> Any:
    """An empty text is what the ledger writes as null (an end reason not given)."""
    return value if value not in ("", None) else None


def lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


def text_sha256(*texts: str) -> str:
    """SHA-256 of texts joined by newlines: how entries hold a text, never the text itself."""
    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()


def json_sha256(value: Any) -> str:
    """SHA-256 of the canonical JSON of a value (sorted keys, compact, UTF-8)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_json_sha256(value: Any) -> str:
    """json_sha256 of a JSON field's value as a row holds it."""
    return json_sha256(stored_json(value))


def shown(value: Any) -> str:
    """A value as a mismatch names it: 'final', 2026-03-01 as '2026-03-01', None as empty."""
    if value is None:
        return "empty"
    if isinstance(value, date):
        return repr(value.isoformat())
    if isinstance(value, str):
        return repr(str(value))  # a member of TextChoices as its value
    return repr(value)


@dataclass(frozen=True)
class Column:
    """A field of the row (or several, for a hash of texts) and the key of the entry's data that holds it."""

    field: str | tuple[str, ...]
    key: str
    form: Callable[..., Any] = as_is  # the row's value(s) as the ledger writes them
    hashed: bool = False  # the entry holds a hash: say that the field differs, never what it holds

    @property
    def fields(self) -> tuple[str, ...]:
        return self.field if isinstance(self.field, tuple) else (self.field,)

    @property
    def named(self) -> str:
        names = self.fields
        return f"field {names[0]}" if len(names) == 1 else f"fields {', '.join(names[:-1])} and {names[-1]}"


MISSING = object()  # a key an entry of an earlier version of its action does not hold: nothing to compare


def differs(column: Column, value: Any, data: dict[str, Any], *, seq: int) -> str | None:
    """What is wrong with ``value`` (in the ledger's form) against the entry, or None if they agree."""
    expected = data.get(column.key, MISSING)
    if expected is MISSING or value == expected:
        return None
    if column.hashed:
        return f"{column.named} {'does' if len(column.fields) == 1 else 'do'} not match the ledger's hash (entry {seq})"
    return f"{column.named} is {shown(value)}, the ledger says {shown(expected)} (entry {seq})"


def _values(rows: QuerySet[Any], names: Iterable[str]) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """The named fields of every row, in order of id, as the database gives them: the query Django builds, run
    without its conversions of each value (the columns' forms accept both), which would take most of the time."""
    wanted = list(dict.fromkeys(names))
    sql, params = rows.order_by("pk").values_list(*wanted).query.sql_with_params()

    def fetched() -> Iterator[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while chunk := cursor.fetchmany(_FETCH):
                yield from chunk

    return wanted, fetched()


def _reader(wanted: list[str], column: Column) -> Callable[[tuple[Any, ...]], Any]:
    positions = [wanted.index(name) for name in column.fields]
    form = column.form
    if len(positions) == 1:
        (position,) = positions
        return lambda row: form(row[position])
    return lambda row: form(*(row[position] for position in positions))


def _tuple_getter(keys: list[Any]) -> Callable[[Any], tuple[Any, ...]]:
    if len(keys) == 1:
        (key,) = keys
        return lambda item: (item[key],)
    return itemgetter(*keys) if keys else (lambda _item: ())


class _Comparison:
    """A row's columns against an entry's data. The columns whose value the ledger holds as it is are compared all
    at once, the others one by one; only when something differs (or the entry holds fewer keys, being of an earlier
    version) is each column compared on its own, to say which."""

    def __init__(self, wanted: list[str], columns: tuple[Column, ...]) -> None:
        plain = [c for c in columns if c.form is as_is and len(c.fields) == 1]
        self.readers = [(column, _reader(wanted, column)) for column in columns]
        self.formed = [(column.key, read) for column, read in self.readers if column not in plain]
        self.plain_row = _tuple_getter([wanted.index(column.fields[0]) for column in plain])
        self.plain_data = _tuple_getter([column.key for column in plain])

    def problems(self, row: tuple[Any, ...], data: dict[str, Any], *, seq: int) -> list[str]:
        try:
            if self.plain_row(row) == self.plain_data(data):
                for key, read in self.formed:
                    if read(row) != data[key]:
                        break
                else:
                    return []
        except KeyError:
            pass
        return [
            problem
            for column, read in self.readers
            if (problem := differs(column, read(row), data, seq=seq)) is not None
        ]


# ---------------------------------------------------------------------------------------------------------------------
# Rows that an entry made


@dataclass(frozen=True)
class Made:
    """Rows that one entry each made: ``ledger_seq`` names it, and its action, subject and data must match the row.

    ``subject_field`` is the row's field that holds the entry's subject (``id`` when the subject is the row itself);
    ``names_row`` the key of the entry's data that holds the row's id, if any, to name a row that went missing."""

    table: str
    rows: QuerySet[Any]
    actions: tuple[str, ...]
    subject_type: str
    columns: tuple[Column, ...] = ()
    subject_field: str = "id"
    names_row: str | None = None


def check_made(spec: Made, *, entries: dict[int, Fact] | None = None) -> Iterator[Mismatch | Checked]:
    """Compare each row with the entry its ``ledger_seq`` names; name rows without one and entries without a row."""
    facts = entries_of(*spec.actions) if entries is None else entries
    table = spec.table
    subject_is_row = spec.subject_field in ("pk", "id")
    wanted, rows = _values(
        spec.rows, ["pk", "ledger_seq", spec.subject_field, *(f for c in spec.columns for f in c.fields)]
    )
    comparison = _Comparison(wanted, spec.columns)
    subject_at = wanted.index(spec.subject_field)
    claimed: dict[int, int] = {}
    elsewhere: dict[int, list[int]] = {}  # seq -> rows pointing at an entry not of these actions
    count = 0
    for row in rows:
        count += 1
        pk, seq = row[0], row[1]
        if seq is None:
            yield Mismatch(table, pk, "no ledger entry made it (its ledger_seq is empty)")
            continue
        fact = facts.get(seq)
        if fact is None:
            elsewhere.setdefault(seq, []).append(pk)
            continue
        if seq in claimed:
            yield Mismatch(table, pk, f"its ledger_seq {seq} is the entry that made row {claimed[seq]}")
            continue
        claimed[seq] = pk
        subject = row[subject_at]
        if fact.subject_id != subject or fact.subject_type != spec.subject_type:
            if subject_is_row:
                yield Mismatch(table, pk, f"its ledger_seq {seq} is the entry of another row ({fact.described()})")
                continue
            yield Mismatch(
                table,
                pk,
                f"field {spec.subject_field.split('__')[-1]} is {shown(subject)}, the ledger says "
                f"{shown(fact.subject_id)} (entry {seq})",
            )
        for problem in comparison.problems(row, fact.data, seq=seq):
            yield Mismatch(table, pk, problem)
    yield from _pointing_elsewhere(table, elsewhere, spec.actions)
    for seq, fact in facts.items():
        if seq in claimed or fact.action not in spec.actions:
            continue
        row_id = fact.subject_id if subject_is_row else fact.data.get(spec.names_row) if spec.names_row else None
        if row_id is not None:
            yield Mismatch(table, None, f"row {row_id}, made by entry {seq} ({fact.action}), is missing")
        else:
            yield Mismatch(table, None, f"no row carries entry {seq} ({fact.described()})")
    yield Checked(table, count)


def _pointing_elsewhere(table: str, rows_by_seq: dict[int, list[int]], actions: tuple[str, ...]) -> Iterator[Mismatch]:
    """Rows whose ledger_seq names no entry of the actions that make them: say what it names instead."""
    if not rows_by_seq:
        return
    found = entries_at(rows_by_seq)
    made_by = " or ".join(actions)
    for seq, pks in sorted(rows_by_seq.items()):
        fact = found.get(seq)
        for pk in pks:
            if fact is None:
                yield Mismatch(table, pk, f"its ledger_seq {seq} is not an entry of the ledger")
            else:
                yield Mismatch(table, pk, f"its ledger_seq {seq} is an entry of {fact.described()}, not of {made_by}")


def unclaimed_rows(
    table: str, pointers: Iterable[tuple[int, int | None]], *, actions: tuple[str, ...], entries: dict[int, Fact]
) -> Iterator[Mismatch]:
    """For checks of their own: ``(row id, ledger_seq)`` pairs whose seq is empty or names no entry of ``actions``."""
    elsewhere: dict[int, list[int]] = {}
    for pk, seq in pointers:
        if seq is None:
            yield Mismatch(table, pk, "no ledger entry made it (its ledger_seq is empty)")
        elif seq not in entries:
            elsewhere.setdefault(seq, []).append(pk)
    yield from _pointing_elsewhere(table, elsewhere, actions)


# ---------------------------------------------------------------------------------------------------------------------
# Fields that a later entry sets


@dataclass(frozen=True)
class SetLater:
    """Fields of a row that one later entry of ``action`` sets, its subject being the row (a seat's end, a
    restriction lifted). Until that entry exists, each field is empty (``form`` gives None)."""

    table: str
    rows: QuerySet[Any]
    action: str
    subject_type: str
    columns: tuple[Column, ...]


def check_set_later(spec: SetLater) -> Iterator[Mismatch]:
    by_row: dict[int, Fact] = {}
    for later in entries_of(spec.action).values():
        if later.subject_type == spec.subject_type and later.subject_id is not None:
            by_row[later.subject_id] = later  # in order of seq: the latest wins
    wanted, rows = _values(spec.rows, ["pk", *(f for c in spec.columns for f in c.fields)])
    comparison = _Comparison(wanted, spec.columns)
    seen: set[int] = set()
    for row in rows:
        pk = row[0]
        fact = by_row.get(pk)
        if fact is not None:
            seen.add(pk)
            for problem in comparison.problems(row, fact.data, seq=fact.seq):
                yield Mismatch(spec.table, pk, problem)
            continue
        if not any(row[1:]):
            continue  # nothing set, as nothing should be: the usual case, decided without a call per column
        for column, read in comparison.readers:
            value = read(row)
            if value is not None:
                yield Mismatch(spec.table, pk, f"{column.named} is {shown(value)}, but no ledger entry set it")
    for pk, fact in by_row.items():
        if pk not in seen:
            yield Mismatch(spec.table, None, f"row {pk}, named by entry {fact.seq} ({fact.action}), is missing")
