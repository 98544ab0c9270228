"""Decisions reconciled with the ledger entries that made and moved them, for `rankfile ledger verify` (DESIGN.md
invariant 8): each decision (and its status, issued, under appeal, final or replaced, as the entries that moved it
say), its findings, its sanctions, and the overrides that set final decisions aside.

Entries recorded before their actions' second version hold less: a decision's findings and sanctions are then
compared by count, and an appeal's decision is read from the appeal's row.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from rankfile.cases.actions import decisions, readmission
from rankfile.cases.models import (
    Appeal,
    AppealOutcome,
    Decision,
    DecisionStatus,
    Finding,
    FindingOutcome,
    Override,
    Readmission,
    Sanction,
)
from rankfile.governance.models import Vote
from rankfile.ledger import reconcile
from rankfile.ledger.reconcile import Checked, Column, Fact, Made, Mismatch, flag, shown
from rankfile.org.models import Person

_DECISIONS = Decision._meta.db_table
_FINDINGS = Finding._meta.db_table
_SANCTIONS = Sanction._meta.db_table
_OVERRIDES = Override._meta.db_table
_MOVES = (decisions.DECISION_ISSUED, decisions.APPEAL_LODGED, decisions.APPEAL_DECIDED, decisions.DECISION_FINAL)


def _made_decisions(issued: dict[int, Fact]) -> Iterator[Mismatch | Checked]:
    spec = Made(
        table=_DECISIONS,
        rows=Decision.objects.all(),
        actions=(decisions.DECISION_ISSUED,),
        subject_type="cases.case",
        subject_field="case",
        names_row="decision",
        columns=(
            Column("id", "decision"),
            Column("on_appeal", "on_appeal", flag),
            Column("standard_of_proof", "standard"),
            Column("letter", "letter"),
            Column("decided_by", "decided_by"),
        ),
    )
    return reconcile.check_made(spec, entries=issued)


def _status_by_decision(moves: dict[int, Fact]) -> tuple[dict[int, tuple[str, int]], dict[int, tuple[Any, int]]]:
    """Each decision's status as the entries that moved it say, with the entry that said it last; and the day each
    became final, with that entry."""
    appealed: dict[int, int] | None = None
    status: dict[int, tuple[str, int]] = {}
    final_on: dict[int, tuple[Any, int]] = {}
    for seq, fact in moves.items():
        data = fact.data
        decision = data.get("decision")
        if decision is None and "appeal" in data:  # an entry of the first version: the appeal's row knows
            if appealed is None:
                appealed = dict(Appeal.objects.values_list("pk", "decision"))
            decision = appealed.get(data["appeal"])
        if decision is None:
            continue
        if fact.action == decisions.DECISION_ISSUED:
            status[decision] = (DecisionStatus.ISSUED, seq)
        elif fact.action == decisions.APPEAL_LODGED:
            status[decision] = (DecisionStatus.UNDER_APPEAL, seq)
        elif fact.action == decisions.APPEAL_DECIDED:
            if data.get("outcome") == AppealOutcome.VARIED:
                status[decision] = (DecisionStatus.REPLACED, seq)
        else:
            status[decision] = (DecisionStatus.FINAL, seq)
            final_on[decision] = (data.get("on"), seq)
    return status, final_on


def _decision_statuses(moves: dict[int, Fact]) -> Iterator[Mismatch]:
    status, final_on = _status_by_decision(moves)
    for pk, current, final_at in Decision.objects.order_by("pk").values_list("pk", "status", "final_at").iterator():
        said = status.get(pk)
        if said is not None and current != said[0]:
            yield Mismatch(
                _DECISIONS, pk, f"field status is {shown(current)}, the ledger says {shown(said[0])} (entry {said[1]})"
            )
        day = timezone.localdate(final_at) if final_at is not None else None
        if pk in final_on:
            on, seq = final_on[pk]
            if day is None:
                yield Mismatch(
                    _DECISIONS, pk, f"field final_at is empty, the ledger made the decision final (entry {seq})"
                )
            elif on is not None and day.isoformat() != on:
                yield Mismatch(
                    _DECISIONS, pk, f"field final_at is {shown(day)}, the ledger says {shown(on)} (entry {seq})"
                )
        elif day is not None and said is not None:
            yield Mismatch(
                _DECISIONS, pk, f"field final_at is {shown(day)}, but no ledger entry made the decision final"
            )


@dataclass(frozen=True)
class _Listed:
    """Rows of a decision of which its entry lists one item each, by a key (a finding by its allegation's number, a
    sanction by its code). Entries of the first version only counted them, by ``category``."""

    table: str
    noun: str
    key: str  # the field whose value is the item's key, as messages name it
    column: Column  # what the item holds of the row; its key in ``items``
    items: Callable[[dict[str, Any]], dict[Any, Any] | None]  # the entry's items by key; None if it lists none
    counts: Callable[[dict[str, Any]], dict[str, int]]  # what an entry of the first version counted, by category
    category: Callable[[Any], str]  # a row's category, from its value in the ledger's form


def _check_listed(
    spec: _Listed, rows: Iterable[tuple[Any, ...]], issued: dict[int, Fact]
) -> Iterator[Mismatch | Checked]:
    """``rows``: (id, ledger_seq, decision, key, the column's fields...) in order of id."""
    items = {seq: spec.items(fact.data) for seq, fact in issued.items()}
    found: set[tuple[int, Any]] = set()
    counted: Counter[tuple[int, str]] = Counter()
    pointers: list[tuple[int, int | None]] = []
    count = 0
    for pk, seq, decision, key, *values in rows:
        count += 1
        fact = issued.get(seq) if seq is not None else None
        if fact is None:
            pointers.append((pk, seq))
            continue
        said = fact.data.get("decision")
        if said != decision:
            yield Mismatch(spec.table, pk, f"field decision is {decision}, the ledger says {said} (entry {seq})")
            continue
        value = spec.column.form(*values)
        listed = items[seq]
        if listed is None:
            counted[(seq, spec.category(value))] += 1
        elif key not in listed:
            yield Mismatch(
                spec.table,
                pk,
                f"field {spec.key} is {shown(key)}, the ledger lists no {spec.noun} of decision {decision} with it "
                f"(entry {seq})",
            )
        else:
            found.add((seq, key))
            problem = reconcile.differs(spec.column, value, {spec.column.key: listed[key]}, seq=seq)
            if problem is not None:
                yield Mismatch(spec.table, pk, problem)
    yield from reconcile.unclaimed_rows(spec.table, pointers, actions=(decisions.DECISION_ISSUED,), entries=issued)
    for seq, fact in issued.items():
        decision = fact.data.get("decision")
        listed = items[seq]
        if listed is not None:
            for key in listed:
                if (seq, key) not in found:
                    yield Mismatch(
                        spec.table,
                        None,
                        f"the {spec.noun} of decision {decision} with {spec.key} {shown(key)}, made by entry {seq}, "
                        "is missing",
                    )
            continue
        for category, expected in spec.counts(fact.data).items():
            if counted[(seq, category)] != expected:
                yield Mismatch(
                    spec.table,
                    None,
                    f"decision {decision} has {counted[(seq, category)]} {spec.noun}(s) {category}, the ledger counts "
                    f"{expected} (entry {seq})",
                )
    yield Checked(spec.table, count)


def _findings_listed(data: dict[str, Any]) -> dict[Any, Any] | None:
    """``1:responsible`` -> {1: "responsible"}; an item of another shape (an entry whose own hash fails) is left out."""
    if "findings" not in data:
        return None
    listed = {}
    for item in data["findings"] if isinstance(data["findings"], list) else []:
        number, _colon, outcome = str(item).partition(":")
        if number.isdigit():
            listed[int(number)] = outcome
    return listed


def _sanctions_listed(data: dict[str, Any]) -> dict[Any, Any] | None:
    if "sanction_codes" not in data:
        return None
    codes, terms = data["sanction_codes"], data.get("sanction_terms")
    if not isinstance(codes, list) or not isinstance(terms, list):
        return {}
    return dict(zip(codes, terms, strict=False))


def _sanction_sha256(code: str, label: str, terms: dict[str, Any]) -> str:
    return decisions.sanction_sha256(code=code, label=label, terms=terms)


FINDINGS = _Listed(
    table=_FINDINGS,
    noun="finding",
    key="allegation number",
    column=Column("outcome", "outcome"),
    items=_findings_listed,
    counts=lambda data: {outcome: data.get(outcome, 0) for outcome in FindingOutcome.values},
    category=str,
)
SANCTIONS = _Listed(
    table=_SANCTIONS,
    noun="sanction",
    key="code",
    column=Column(("code", "label", "terms"), "sanction", _sanction_sha256, hashed=True),
    items=_sanctions_listed,
    counts=lambda data: {"in all": data.get("sanctions", 0)},
    category=lambda _value: "in all",
)


def _findings(issued: dict[int, Fact]) -> Iterator[Mismatch | Checked]:
    rows = Finding.objects.order_by("pk").values_list("pk", "ledger_seq", "decision", "allegation__number", "outcome")
    return _check_listed(FINDINGS, rows.iterator(), issued)


def _sanctions(issued: dict[int, Fact]) -> Iterator[Mismatch | Checked]:
    rows = Sanction.objects.order_by("pk").values_list("pk", "ledger_seq", "decision", "code", "code", "label", "terms")
    return _check_listed(SANCTIONS, rows.iterator(), issued)


def _overrides() -> Iterator[Mismatch | Checked]:
    overridden = reconcile.entries_of(decisions.DECISION_OVERRIDDEN)
    spec = Made(
        table=_OVERRIDES,
        rows=Override.objects.all(),
        actions=(decisions.DECISION_OVERRIDDEN,),
        subject_type="cases.case",
        subject_field="decision__case",
        names_row="override",
        columns=(Column("id", "override"), Column("decision", "decision"), Column("body", "body")),
    )
    yield from reconcile.check_made(spec, entries=overridden)
    # The vote it cites is stored by reference, the entry names it by id; who recorded it is the entry's actor.
    votes = dict(
        Vote.objects.filter(pk__in={f.data.get("vote") for f in overridden.values()}).values_list("pk", "reference")
    )
    people = {f.actor_id for f in overridden.values() if f.actor_type == "org.person"}
    accounts = dict(Person.objects.filter(pk__in=people).values_list("pk", "user_id"))
    for pk, seq, reference, made_by in Override.objects.order_by("pk").values_list(
        "pk", "ledger_seq", "vote_reference", "made_by"
    ):
        fact = overridden.get(seq) if seq is not None else None
        if fact is None:
            continue
        cited = votes.get(fact.data.get("vote", 0))
        if reference != cited:
            yield Mismatch(
                _OVERRIDES,
                pk,
                f"field vote_reference is {shown(reference)}, the ledger says {shown(cited)} (entry {seq})",
            )
        account = _account_of(fact, accounts)
        if account is not None and made_by != account:
            yield Mismatch(_OVERRIDES, pk, f"field made_by is {made_by}, the ledger says {account} (entry {seq})")


def _account_of(fact: Fact, accounts: Mapping[int, int | None]) -> int | None:
    """The account that recorded the entry: the account itself, a person's account, or (entries recorded before
    people were named) the account id the entry carries; None for an actor without an account."""
    if fact.actor_type in ("accounts.user", "person"):
        return fact.actor_id
    if fact.actor_type == "org.person" and fact.actor_id is not None:
        return accounts.get(fact.actor_id)
    return None


def _readmissions() -> Iterator[Mismatch | Checked]:
    spec = Made(
        table=Readmission._meta.db_table,
        rows=Readmission.objects.all(),
        actions=(readmission.READMITTED,),
        subject_type="cases.case",
        subject_field="decision__case",
        columns=(Column("decision", "decision"), Column("person", "person"), Column("body", "body")),
    )
    yield from reconcile.check_made(spec)


def check() -> Iterator[Mismatch | Checked]:
    moves = reconcile.entries_of(*_MOVES)
    issued = {seq: fact for seq, fact in moves.items() if fact.action == decisions.DECISION_ISSUED}
    yield from _made_decisions(issued)
    yield from _decision_statuses(moves)
    yield from _findings(issued)
    yield from _sanctions(issued)
    yield from _overrides()
    yield from _readmissions()


reconcile.register("cases", check)
