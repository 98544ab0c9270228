"""Ledger benchmark: appends, full verification and Merkle proofs at a million entries, and the reconciliation of a
100,000-member organization's live records with their entries, beside baselines.

    .venv/bin/python -m bench.ledger [--size N] [--append N] [--members N] [--decisions N] [--databases ...]

Every figure is measured in this one run beside its baseline, and each ratio divides the two, because the machine
is shared and its speed varies from minute to minute. Each database is measured in a subprocess of its own
(Django reads its settings once, at import) on a scratch database that is created, migrated, bulk-loaded and
dropped again. The in-memory Merkle figures, pymerkle's and the raw SHA-256 floor come from one more subprocess.
Progress goes to stderr, the table to stdout. bench/README.md says what each row measures.
"""

from __future__ import annotations

import argparse
import functools
import gc
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import met_text, postgres_admin, ratio_text, render_table, scratch_database_name
from rankfile.ledger import merkle
from rankfile.ledger.canonical import EntryEncoder, data_text, time_text

DEFAULT_SIZE = 1_000_000
DEFAULT_APPENDS = 5_000
DEFAULT_MEMBERS = 100_000
DEFAULT_DECISIONS = 3_000
DEFAULT_POSTGRES_URL = "postgres://rankfile:rankfile-ci@127.0.0.1:5432/rankfile_bench"
DATABASES = ("sqlite", "postgresql")

SEED = 9162
PROOF_QUERIES = 200
WARM_UP_QUERIES = 10  # untimed, before the timed ones, for every implementation alike
ROOT_QUERIES = 50
REPEATS = 3  # best of three for the operations that take seconds
APPEND_ROUNDS = 5  # appends and their baseline alternate in rounds; the median round counts

VERIFY_TARGET = 200_000  # entries per second
RECONCILE_TARGET_S = 5.0  # a 100,000-member organization's records
PROOF_TARGET_MS = 10.0
ROOT_TARGET_RATIO = 2.0  # times the raw SHA-256 floor

ENTRY_COLUMNS = (
    "seq, recorded_at, actor_type, actor_id, action, subject_type, subject_id, data, schema_version, leaf_hash"
)

# ---------------------------------------------------------------------------------------------------------------
# The entries: deterministic, varied like a real ledger, encoded and hashed exactly as ledger.record() does.

_FIRST_SECOND = 1_767_225_600  # 2026-01-01T00:00:00Z
_STEP_US = 1_733_017  # about 1.7 s between entries
# (action, actor type, subject type, data): the data templates format to canonical JSON (sorted keys, compact).
_KINDS = (
    ("bench.case_opened", "person", "cases.case", '{"case":%(case)d,"channel":"web"}'),
    ("bench.evidence_sealed", "person", "cases.case", '{"blob":"%(blob)064x","case":%(case)d}'),
    ("bench.decision_finalized", "person", "cases.case", '{"case":%(case)d,"decision":"upheld","members":[%(m)d]}'),
    ("bench.signed_in", "person", "", "{}"),
    ("bench.timer_fired", "system", "", '{"n":%(n)d}'),
    ("bench.member_joined", "operator", "accounts.user", '{"role":"member"}'),
)


def synthetic_rows(size: int) -> Iterator[tuple[Any, ...]]:
    """Entry columns but the leaf hash, for seq 1 to size: the same rows in every process and every run."""
    minute_shown = -1
    prefix = ""
    kinds = _KINDS
    for seq in range(1, size + 1):
        second, micro = divmod(_FIRST_SECOND * 1_000_000 + seq * _STEP_US, 1_000_000)
        minute, second = divmod(second, 60)
        if minute != minute_shown:
            minute_shown = minute
            prefix = datetime.fromtimestamp(minute * 60, UTC).strftime("%Y-%m-%dT%H:%M:")
        action, actor_type, subject_type, template = kinds[seq % len(kinds)]
        case = seq // 5 + 1
        data = template % {"case": case, "blob": seq * 0x9E3779B97F4A7C15 % (1 << 256), "m": seq % 97 + 1, "n": seq}
        yield (
            seq,
            f"{prefix}{second:02d}.{micro:06d}Z",
            actor_type,
            seq % 500 + 1 if actor_type == "person" else None,
            action,
            subject_type,
            case if subject_type else None,
            data,
            1,
        )


@dataclass
class Entries:
    rows: list[tuple[Any, ...]]  # every Entry column, leaf hash last
    canonical: list[bytes]  # what each leaf hash covers
    leaves: list[bytes]


def build_entries(size: int, *, keep_rows: bool) -> Entries:
    encode = EntryEncoder().encode
    leaf_hash = merkle.leaf_hash
    entries = Entries(rows=[], canonical=[], leaves=[])
    for row in synthetic_rows(size):
        seq, recorded_at, actor_type, actor_id, action, subject_type, subject_id, data, version = row
        text = encode(
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
        leaf = leaf_hash(text)
        entries.canonical.append(text)
        entries.leaves.append(leaf)
        if keep_rows:
            entries.rows.append((*row, leaf))
    _check_canonical(entries.canonical[: len(_KINDS) * 2])
    return entries


def _check_canonical(samples: Sequence[bytes]) -> None:
    """The shortcuts above must give what record() writes: its time text and its JSON."""
    for text in samples:
        entry = json.loads(text)
        moment = datetime.strptime(entry["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        if time_text(moment) != entry["at"] or f'"data":{data_text(entry["data"])},' not in text.decode():
            raise AssertionError(f"synthetic entry is not canonical: {text!r}")


def random_queries(size: int, count: int = PROOF_QUERIES, *, seed: int = SEED) -> tuple[list[int], list[int]]:
    """Leaf indexes for inclusion proofs and old sizes for consistency proofs, the same in every process."""
    rng = random.Random(seed)  # noqa: S311 (sampling, not secrets)
    indexes = [rng.randrange(size) for _ in range(count)]
    old_sizes = [rng.randrange(1, size) for _ in range(count)]
    return indexes, old_sizes


# ---------------------------------------------------------------------------------------------------------------
# Timing


def best_of(repeats: int, run: Callable[[], object]) -> float:
    """Fastest of `repeats` runs, in seconds."""
    times = []
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def each_ns(call: Callable[[int], object], arguments: Sequence[int]) -> list[int]:
    """Nanoseconds taken by call(argument), for each argument."""
    clock = time.perf_counter_ns
    times = []
    for argument in arguments:
        started = clock()
        call(argument)
        times.append(clock() - started)
    return times


def time_proofs(size: int, inclusion: Callable[[int], object], consistency: Callable[[int], object]) -> dict[str, Any]:
    """Nanoseconds for each of the random inclusion proofs (by leaf index) and consistency proofs (by old size)."""
    for index, old_size in zip(*random_queries(size, WARM_UP_QUERIES, seed=SEED + 1), strict=True):
        inclusion(index)
        consistency(old_size)
    indexes, old_sizes = random_queries(size)
    return {"inclusion_ns": each_ns(inclusion, indexes), "consistency_ns": each_ns(consistency, old_sizes)}


def say(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# Part 1: one database (runs in its own process, Django set up from the environment)


def load_entries(size: int) -> tuple[Entries, merkle.MemoryNodes]:
    """Bulk-load entries 1 to size and their tree nodes into an empty ledger (Django set up)."""
    from django.db import connection, transaction

    entries = build_entries(size, keep_rows=True)
    tree = merkle.MemoryNodes(entries.leaves)
    levels = tree.levels
    node_rows = [
        (level, position, node) for level in range(1, len(levels)) for position, node in enumerate(levels[level])
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY ledger_entry ({ENTRY_COLUMNS}) FROM STDIN") as copy:
                for row in entries.rows:
                    copy.write_row(row)
            with cursor.cursor.copy("COPY ledger_node (level, position, hash) FROM STDIN") as copy:
                for row in node_rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * 10)
            cursor.executemany(f"INSERT INTO ledger_entry ({ENTRY_COLUMNS}) VALUES ({placeholders})", entries.rows)  # noqa: S608
            cursor.executemany("INSERT INTO ledger_node (level, position, hash) VALUES (%s, %s, %s)", node_rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE ledger_entry")
            cursor.execute("VACUUM ANALYZE ledger_node")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return entries, tree


# ---------------------------------------------------------------------------------------------------------------
# Part 1b: an organization's live records and the entries that made them, to reconcile (Django set up)

BRANCHES = 100
SANCTION_SETS = (("expulsion", "bar_from_office"), ("suspension",), ("warning",), ("removal_from_office",))


@dataclass
class _Pending:
    """An entry to record, in order of seq, once the rows it names have their ids."""

    seq: int
    action: str
    subject: Any
    data: Callable[[], dict[str, Any]]


def _status_data(change: Any) -> dict[str, Any]:
    return {
        "status": change.status,
        "from": change.effective_from.isoformat(),
        "until": change.until.isoformat() if change.until else None,
        "reason": change.reason_code,
        "body": change.decided_by_body_id,
        "case_open": False,
    }


def _seat_data(seat: Any) -> dict[str, Any]:
    return {
        "person": seat.person.pk,
        "body": seat.body.pk,
        "role": seat.role,
        "basis": seat.basis,
        "from": seat.starts_on.isoformat(),
        "term_ends": None,
        "override": None,
    }


def _seat_end_data(seat: Any) -> dict[str, Any]:
    return {"on": seat.ends_on.isoformat(), "reason": seat.end_reason}


def _restriction_data(bar: Any) -> dict[str, Any]:
    return {
        "person": bar.person.pk,
        "kind": bar.kind,
        "from": bar.starts_on.isoformat(),
        "until": bar.ends_on.isoformat() if bar.ends_on else None,
        "source": bar.source,
    }


def _appeal_decided_data(lodged: Any, replacement: Any) -> dict[str, Any]:
    return {
        "case": lodged.case.pk,
        "appeal": lodged.pk,
        "outcome": "varied",
        "decision": lodged.decision.pk,
        "replacement": replacement.pk,
    }


def load_organization(
    members: int, decision_count: int, *, branches: int = BRANCHES, beside_demo: bool = False
) -> None:
    """Every member joined (a status change) and sits on a branch (a seat); ``decision_count`` decisions, most final
    with their sanctions applied (a status, a seat ended, a bar from office), some open to appeal, under appeal or
    replaced on appeal. The rows are bulk-created and each entry recorded through ``ledger.record`` in a batch, with
    the data the actions write: the ledger stays verifiable, and every row reconciles.

    ``beside_demo`` (bench/dataset.py): the demo organization is there already, so the branches, members and case
    references are named apart from its own, and its disciplinary committee decides."""
    from django.db import transaction
    from django.utils import timezone

    from rankfile.cases.actions import decisions
    from rankfile.cases.models import Allegation, Appeal, Case, Decision, DecisionStatus, Finding, Sanction, Stage
    from rankfile.ledger import actions
    from rankfile.org import actions as org_actions
    from rankfile.org import bylaws
    from rankfile.org.models import Body, Person, Restriction, Seat, StatusChange
    from rankfile.vault.models import Document

    rng = random.Random(SEED)  # noqa: S311 (test data, not secrets)
    catalog = {entry["code"]: entry for entry in bylaws.defaults()["sanctions"]}
    today = timezone.localdate()
    now = timezone.now()
    pending: list[_Pending] = []

    with transaction.atomic(), actions.batch():
        counter = iter(range(actions.next_seq(), 1 << 62))

        def entry(action: str, subject: Any, data: Callable[[], dict[str, Any]]) -> int:
            seq = next(counter)
            pending.append(_Pending(seq, action, subject, data))
            return seq

        apart = "bench-" if beside_demo else ""
        existing = Body.objects.filter(slug="disciplinary-committee").first() if beside_demo else None
        bodies = Body.objects.bulk_create(
            [Body(name=f"Branch {n}", slug=f"{apart}branch-{n}", kind="branch") for n in range(branches)]
            + (
                []
                if existing
                else [Body(name="Disciplinary committee", slug="disciplinary-committee", kind="disciplinary")]
            )
        )
        if existing is None:
            bodies, disciplinary = bodies[:-1], bodies[-1]
        else:
            disciplinary = existing
        people = Person.objects.bulk_create(
            [Person(name=f"Member {n}", member_number=f"{apart}M{n:06d}") for n in range(members)], batch_size=5_000
        )
        joined = [date(2005, 1, 1) + timedelta(days=rng.randrange(7_000)) for _ in people]
        changes = [
            StatusChange(person=p, status="active", effective_from=day, reason_code="joined")
            for p, day in zip(people, joined, strict=True)
        ]
        for change in changes:
            change.ledger_seq = entry(
                org_actions.STATUS_CHANGED,
                change.person,
                functools.partial(_status_data, change),
            )
        seats = [
            Seat(person=p, body=bodies[n % branches], role="member", basis="elected", starts_on=day)
            for n, (p, day) in enumerate(zip(people, joined, strict=True))
        ]
        for seat in seats:
            seat.ledger_seq = entry(
                org_actions.PERSON_SEATED,
                seat,
                functools.partial(_seat_data, seat),
            )

        # Decisions: the case, two allegations, a sealed letter, then what happened to it.
        stages = {0: Stage.APPEAL_WINDOW, 1: Stage.APPEAL}  # see the kinds of decision below
        cases, letters, statements = [], [], []
        for i in range(decision_count):
            respondent = people[(i * 31) % members]
            stage = stages.get(i % 10, Stage.FINAL)
            reference = f"C-{apart.upper()}{i + 1}" if beside_demo else f"C-2026-{i + 1}"
            cases.append(Case(reference=reference, body=disciplinary, respondent=respondent, stage=stage))
            letters.append(Document(kind="case"))
            statements.append(Document(kind="case"))
        Case.objects.bulk_create(cases)
        Document.objects.bulk_create(letters + statements)
        allegations = Allegation.objects.bulk_create(
            Allegation(case=case, number=number) for case in cases for number in (1, 2)
        )
        panelist = people[-1]
        made: list[Decision] = []
        findings: list[Finding] = []
        sanctions: list[Sanction] = []
        sanctions_of: dict[int, list[Sanction]] = {}  # by id() of the decision: they have no pk yet
        appeals: list[Appeal] = []
        restrictions: list[Restriction] = []
        consequences: list[StatusChange] = []

        def decide(i: int, *, letter: Document, on_appeal: bool, status: str, codes: Sequence[str]) -> Decision:
            case = cases[i]
            decision = Decision(
                case=case,
                on_appeal=on_appeal,
                status=status,
                standard_of_proof="preponderance",
                letter=letter,
                decided_by=panelist,
                final_at=now if status == DecisionStatus.FINAL else None,
            )
            seq = entry(decisions.DECISION_ISSUED, case, lambda: issued_data(decision))
            decision.ledger_seq = seq
            made.append(decision)
            outcomes = {1: "responsible", 2: "not_responsible"}
            findings.extend(
                Finding(decision=decision, allegation=allegations[2 * i + n - 1], outcome=outcomes[n], ledger_seq=seq)
                for n in (1, 2)
            )
            mine = [
                Sanction(decision=decision, code=c, label=catalog[c]["label"], terms=dict(catalog[c]), ledger_seq=seq)
                for c in codes
            ]
            sanctions.extend(mine)
            sanctions_of[id(decision)] = mine
            return decision

        def issued_data(decision: Decision) -> dict[str, Any]:
            mine = sanctions_of[id(decision)]
            return {
                "case": decision.case.pk,
                "decision": decision.pk,
                "responsible": 1,
                "not_responsible": 1,
                "sanctions": len(mine),
                "on_appeal": decision.on_appeal,
                "sealed": hashlib.sha256(b"letter %d" % decision.letter.pk).hexdigest(),
                "standard": decision.standard_of_proof,
                "letter": decision.letter.pk,
                "decided_by": decision.decided_by.pk,
                "findings": ["1:responsible", "2:not_responsible"],
                "sanction_codes": [s.code for s in mine],
                "sanction_terms": [decisions.sanction_sha256(code=s.code, label=s.label, terms=s.terms) for s in mine],
            }

        def appeal(i: int, decision: Decision) -> Appeal:
            lodged = Appeal(
                case=cases[i],
                decision=decision,
                by_role="respondent",
                grounds=["disproportionate_sanction"],
                statement=statements[i],
                body=disciplinary,
            )
            appeals.append(lodged)
            entry(
                decisions.APPEAL_LODGED,
                cases[i],
                lambda: {
                    "case": cases[i].pk,
                    "appeal": lodged.pk,
                    "decision": decision.pk,
                    "by": "respondent",
                    "grounds": 1,
                    "hearing": 3,
                },
            )
            return lodged

        def apply(i: int, decision: Decision, codes: Sequence[str]) -> None:
            """What finalize does: the sanctions' status, seats and bar, then the decision_final entry."""
            respondent = cases[i].respondent
            terms = [catalog[c] for c in codes]
            status = next((t["membership_status"] for t in terms if t.get("membership_status")), "")
            if status:
                days = int(next((t.get("suspension_days", 0) for t in terms if t.get("membership_status")), 0))
                change = StatusChange(
                    person=respondent,
                    status=status,
                    effective_from=today,
                    until=today + timedelta(days=days) if days else None,
                    reason_code="sanction",
                    decided_by_body=disciplinary,
                )
                change.ledger_seq = entry(
                    org_actions.STATUS_CHANGED,
                    respondent,
                    functools.partial(_status_data, change),
                )
                consequences.append(change)
            ended = 0
            if any(t.get("removes_from_office") for t in terms):
                seat = seats[(i * 31) % members]
                seat.ends_on, seat.end_reason = max(today, seat.starts_on + timedelta(days=1)), "removed_by_sanction"
                entry(
                    org_actions.SEAT_ENDED,
                    seat,
                    functools.partial(_seat_end_data, seat),
                )
                ended = 1
            years = next((int(t["bars_from_office_years"]) for t in terms if t.get("bars_from_office_years")), 0)
            if years:
                bar = Restriction(
                    person=respondent,
                    kind="barred_from_office",
                    starts_on=today,
                    ends_on=today.replace(year=today.year + years) if (today.month, today.day) != (2, 29) else None,
                    source="sanction",
                    source_reference=f"{cases[i].reference}/D",
                    case_reference=cases[i].reference,
                )
                bar.ledger_seq = entry(
                    org_actions.RESTRICTION_IMPOSED,
                    bar,
                    functools.partial(_restriction_data, bar),
                )
                restrictions.append(bar)
            entry(
                decisions.DECISION_FINAL,
                cases[i],
                lambda: {
                    "case": cases[i].pk,
                    "decision": decision.pk,
                    "on": today.isoformat(),
                    "status_changed": bool(status),
                    "seats_ended": ended,
                    "restrictions": int(bool(years)),
                    "measures_lifted": 0,
                },
            )

        for i in range(decision_count):
            codes = SANCTION_SETS[i % len(SANCTION_SETS)]
            kind = i % 10
            if kind == 0:  # open to appeal
                decide(i, letter=letters[i], on_appeal=False, status=DecisionStatus.ISSUED, codes=codes)
            elif kind == 1:  # under appeal
                original = decide(
                    i, letter=letters[i], on_appeal=False, status=DecisionStatus.UNDER_APPEAL, codes=codes
                )
                appeal(i, original)
            elif kind == 2:  # replaced on appeal by a milder decision, final at once
                original = decide(i, letter=letters[i], on_appeal=False, status=DecisionStatus.REPLACED, codes=codes)
                lodged = appeal(i, original)
                replacement = decide(
                    i, letter=statements[i], on_appeal=True, status=DecisionStatus.FINAL, codes=("warning",)
                )
                entry(
                    decisions.APPEAL_DECIDED,
                    cases[i],
                    functools.partial(_appeal_decided_data, lodged, replacement),
                )
                apply(i, replacement, ("warning",))
            else:  # final when the appeal window closed
                apply(i, decide(i, letter=letters[i], on_appeal=False, status=DecisionStatus.FINAL, codes=codes), codes)
        Decision.objects.bulk_create(made)
        Finding.objects.bulk_create(findings)
        Sanction.objects.bulk_create(sanctions)
        Appeal.objects.bulk_create(appeals)
        StatusChange.objects.bulk_create(changes + consequences, batch_size=5_000)
        Seat.objects.bulk_create(seats, batch_size=5_000)
        Restriction.objects.bulk_create(restrictions)
        for item in sorted(pending, key=lambda p: p.seq):
            actions.record(
                seq=item.seq, actor=actions.SYSTEM, action=item.action, subject=item.subject, data=item.data()
            )


def fetch_records(tables: Sequence[str]) -> int:
    """The baseline of reconciliation: the same rows and the organization's entries, fetched with plain SELECTs."""
    from django.db import connection

    count = 0
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (names of the reconciled tables)
            count += len(cursor.fetchall())
        cursor.execute(
            "SELECT seq, action, actor_type, actor_id, subject_type, subject_id, data FROM ledger_entry "
            "WHERE action NOT LIKE %s",
            ["bench.%"],
        )
        count += len(cursor.fetchall())
    return count


def database_part(size: int, appends: int, members: int, decisions: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from rankfile.ledger import actions, queries, reconcile, schema, verification

    vendor = connection.vendor
    call_command("migrate", verbosity=0)

    say(f"{vendor}: building and loading {size:,} entries and their tree nodes")
    started = time.perf_counter()
    entries, tree = load_entries(size)
    load_s = time.perf_counter() - started
    say(f"{vendor}: loaded in {load_s:.0f} s")
    checkpoint = actions.checkpoint_create()
    root = bytes(checkpoint.root)
    if root != tree.root() or checkpoint.size != size:
        raise AssertionError("the signed checkpoint does not cover the loaded entries")
    entries.rows.clear()
    entries.canonical.clear()
    gc.collect()
    gc.freeze()

    say(f"{vendor}: verify_all, best of {REPEATS}")
    verifier = queries.ledger_key()[0].verifier

    def verify() -> None:
        result, _ = verification.verify_all(verifier=verifier)
        if not result.ok or result.size != size or result.checkpoints_checked != 1:
            raise AssertionError(f"verify_all failed on the benchmark ledger: {result.problems[:3]}")

    verify_s = best_of(REPEATS, verify)

    def fetch() -> None:
        count = 0
        with connection.chunked_cursor() as cursor:
            cursor.execute(f"SELECT {ENTRY_COLUMNS} FROM ledger_entry ORDER BY seq")  # noqa: S608
            while rows := cursor.fetchmany(20_000):
                count += len(rows)
        if count != size:
            raise AssertionError(f"fetched {count} entries, not {size}")

    fetch_s = best_of(REPEATS, fetch)

    say(f"{vendor}: {PROOF_QUERIES} inclusion and consistency proofs through DatabaseNodes")
    source = queries.DatabaseNodes()
    proofs = time_proofs(
        size,
        lambda index: merkle.tree_inclusion_proof(source, index, size),
        lambda old_size: merkle.tree_consistency_proof(source, old_size, size),
    )
    root_ns = each_ns(lambda leaves: merkle.tree_root(source, leaves), [size] * ROOT_QUERIES)
    for index, old_size in zip(*random_queries(size, 10), strict=True):
        inclusion = merkle.tree_inclusion_proof(source, index, size)
        consistency = merkle.tree_consistency_proof(source, old_size, size)
        if not (
            merkle.verify_inclusion(entries.leaves[index], index, size, inclusion, root)
            and merkle.verify_consistency(old_size, size, tree.root(old_size), root, consistency)
        ):
            raise AssertionError("a proof from the database does not verify")

    say(f"{vendor}: {appends:,} appends through ledger.record() and as many bare Session inserts")
    action = schema.define("bench.step_taken", label="A benchmark step was taken", fields={"n": schema.COUNT})
    per_round = max(1, appends // APPEND_ROUNDS)
    expire = timezone.now() + timedelta(days=1)
    record_rates, session_rates = [], []
    n = 0
    for round_number in range(APPEND_ROUNDS):
        started = time.perf_counter()
        for i in range(per_round):
            with transaction.atomic():
                Session.objects.create(session_key=f"bench-{round_number}-{i}", session_data="e30", expire_date=expire)
        session_rates.append(per_round / (time.perf_counter() - started))
        started = time.perf_counter()
        for _ in range(per_round):
            with transaction.atomic():
                actions.record(actor=actions.SYSTEM, action=action, subject=None, data={"n": n})
            n += 1
        record_rates.append(per_round / (time.perf_counter() - started))
    if queries.ledger_size() != size + n:
        raise AssertionError("appends went missing")

    say(f"{vendor}: loading {members:,} members' records and {decisions:,} decisions, with the entries that made them")
    started = time.perf_counter()
    load_organization(members, decisions)
    organization_load_s = time.perf_counter() - started
    say(f"{vendor}: loaded in {organization_load_s:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
    say(f"{vendor}: reconciliation of the live records with their entries, best of {REPEATS}")
    records: dict[str, int] = {}

    def reconciled() -> None:
        result = reconcile.reconcile()
        if not result.ok:
            raise AssertionError(f"the benchmark's records do not reconcile: {[str(m) for m in result.mismatches[:3]]}")
        records.update(result.rows)

    reconcile_s = best_of(REPEATS, reconciled)
    reconcile_fetch_s = best_of(REPEATS, lambda: fetch_records(sorted(records)))
    if records["org_statuschange"] < members or records["org_seat"] != members:
        raise AssertionError(f"the reconciliation did not read the members' records: {records}")

    return {
        "vendor": vendor,
        "size": size,
        "load_s": load_s,
        "verify_s": verify_s,
        "fetch_s": fetch_s,
        "root_ns": root_ns,
        **proofs,
        "appends": n,
        "record_rate": statistics.median(record_rates),
        "session_rate": statistics.median(session_rates),
        "root": root.hex(),
        "organization_load_s": organization_load_s,
        "reconcile_s": reconcile_s,
        "reconcile_fetch_s": reconcile_fetch_s,
        "reconciled_rows": sum(records.values()),
    }


# ---------------------------------------------------------------------------------------------------------------
# Part 2: the Merkle tree in memory, pymerkle beside it, and the raw SHA-256 floor (no database)


def merkle_part(size: int, workdir: Path) -> dict[str, Any]:
    say(f"memory: building {size:,} entries")
    entries = build_entries(size, keep_rows=False)
    canonical, leaves = entries.canonical, entries.leaves
    gc.collect()
    gc.freeze()
    sha256 = hashlib.sha256

    def two_hashes_per_leaf() -> None:
        # The floor: nothing but 2 * size node hashes of 32-byte pairs, as few Python steps around each as possible.
        prefix = b"\x01"
        for _ in range(2):
            [sha256(prefix + a + b).digest() for a, b in zip(leaves, reversed(leaves), strict=True)]

    def hash_each_entry_once() -> None:
        # What verification cannot avoid: one leaf hash per entry and one node hash per entry.
        [sha256(b"\x00" + text).digest() for text in canonical]
        [sha256(b"\x01" + a + b).digest() for a, b in zip(leaves, reversed(leaves), strict=True)]

    say("memory: SHA-256 floors, merkle.root, leaf hashes and tree from the entries")
    floor_s = best_of(REPEATS, two_hashes_per_leaf)
    verify_floor_s = best_of(REPEATS, hash_each_entry_once)
    expected_root = merkle.root(leaves)
    root_s = best_of(REPEATS, lambda: merkle.root(leaves))

    def build_tree() -> merkle.MemoryNodes:
        leaf_hash = merkle.leaf_hash
        tree = merkle.MemoryNodes([leaf_hash(text) for text in canonical])
        if tree.root() != expected_root:
            raise AssertionError("MemoryNodes disagrees with merkle.root")
        return tree

    build_s = best_of(REPEATS, build_tree)
    tree = build_tree()
    gc.collect()
    gc.freeze()
    say(f"memory: {PROOF_QUERIES} inclusion and consistency proofs through MemoryNodes")
    memory_proofs = time_proofs(
        size,
        lambda index: merkle.tree_inclusion_proof(tree, index, size),
        lambda old_size: merkle.tree_consistency_proof(tree, old_size, size),
    )
    result: dict[str, Any] = {
        "size": size,
        "floor_s": floor_s,
        "verify_floor_s": verify_floor_s,
        "root_s": root_s,
        "build_s": build_s,
        "root": expected_root.hex(),
        "memory": memory_proofs,
    }
    result |= pymerkle_in_memory(canonical, tree, expected_root)
    result |= pymerkle_in_sqlite(canonical, expected_root, workdir / "pymerkle.sqlite3")
    return result


def pymerkle_in_memory(canonical: list[bytes], tree: merkle.MemoryNodes, expected_root: bytes) -> dict[str, Any]:
    from pymerkle import InmemoryTree

    size = len(canonical)
    say("memory: pymerkle InmemoryTree from the same entries (takes a while)")
    gc.collect()
    started = time.perf_counter()
    theirs = InmemoryTree(algorithm="sha256")
    theirs.append_entries(canonical)
    if theirs.get_root() != expected_root:
        raise AssertionError("pymerkle's root differs: not the same leaves or not the same hashing")
    build_s = time.perf_counter() - started
    gc.collect()
    gc.freeze()
    for index in random_queries(size, 10)[0]:
        # pymerkle's path starts with the leaf itself; the rest is the RFC 9162 audit path.
        if theirs.prove_inclusion(index + 1, size).path[1:] != merkle.tree_inclusion_proof(tree, index, size):
            raise AssertionError("pymerkle and rankfile prove inclusion differently")
    say(f"memory: {PROOF_QUERIES} inclusion and consistency proofs through pymerkle InmemoryTree")
    proofs = time_proofs(
        size,
        lambda index: theirs.prove_inclusion(index + 1, size),
        lambda old_size: theirs.prove_consistency(old_size, size),
    )
    gc.unfreeze()
    return {"pymerkle_build_s": build_s, "pymerkle_memory": proofs}


def pymerkle_in_sqlite(canonical: list[bytes], expected_root: bytes, path: Path) -> dict[str, Any]:
    from pymerkle import SqliteTree

    size = len(canonical)
    gc.collect()
    say("memory: pymerkle SqliteTree from the same entries")
    theirs = SqliteTree(str(path), algorithm="sha256")
    try:
        theirs.append_entries(canonical)

        def cold_root() -> None:
            theirs.cache_clear()  # as a fresh process (rankfile ledger prove) finds it
            if theirs.get_root() != expected_root:
                raise AssertionError("pymerkle SqliteTree's root differs")

        root_s = best_of(REPEATS, cold_root)
        say(f"memory: {PROOF_QUERIES} inclusion and consistency proofs through pymerkle SqliteTree")
        proofs = time_proofs(
            size,
            lambda index: theirs.prove_inclusion(index + 1, size),
            lambda old_size: theirs.prove_consistency(old_size, size),
        )
    finally:
        theirs.close()
    return {"pymerkle_sqlite_root_s": root_s, "pymerkle_sqlite": proofs}


# ---------------------------------------------------------------------------------------------------------------
# The table


@dataclass
class Row:
    operation: str
    implementation: str
    figure: str
    baseline: str
    ratio: float | None  # the figure's time over the baseline's (below 1: faster than the baseline)
    target: str = "-"
    met: bool | None = None


def rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s"


def ms(nanoseconds: float) -> str:
    value = nanoseconds / 1e6
    return f"{value:.3f} ms" if value < 1 else f"{value:.1f} ms"


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def median_p99(times: Sequence[int]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def proof_row(operation: str, implementation: str, ours: Sequence[int], theirs: Sequence[int], against: str) -> Row:
    median, p99 = median_p99(ours)
    their_median, their_p99 = median_p99(theirs)
    return Row(
        operation,
        implementation,
        f"{ms(median)} (p99 {ms(p99)})",
        f"{against}: {ms(their_median)} (p99 {ms(their_p99)})",
        median / their_median,
        f"<= {PROOF_TARGET_MS:g} ms, <= 1x pymerkle",
        p99 <= PROOF_TARGET_MS * 1e6 and median <= their_median,
    )


def build_rows(databases: dict[str, dict[str, Any]], memory: dict[str, Any]) -> list[Row]:
    size = memory["size"]
    rows: list[Row] = []
    for name, db in databases.items():
        rows.append(
            Row(
                f"append in a transaction, {size:,}-entry ledger",
                name,
                f"{db['record_rate']:,.0f}/s",
                f"bare Session insert: {db['session_rate']:,.0f}/s",
                db["session_rate"] / db["record_rate"],
            )
        )
    for name, db in databases.items():
        entries_per_s = size / db["verify_s"]
        rows.append(
            Row(
                f"verify_all, {size:,} entries",
                name,
                f"{entries_per_s:,.0f}/s ({seconds(db['verify_s'])})",
                f"raw SELECT ... ORDER BY seq: {seconds(db['fetch_s'])}",
                db["verify_s"] / db["fetch_s"],
                f">= {VERIFY_TARGET:,}/s",
                entries_per_s >= VERIFY_TARGET,
            )
        )
        rows.append(
            Row(
                f"verify_all, {size:,} entries",
                name,
                f"{entries_per_s:,.0f}/s ({seconds(db['verify_s'])})",
                f"1 leaf + 1 node SHA-256 per entry: {seconds(memory['verify_floor_s'])}",
                db["verify_s"] / memory["verify_floor_s"],
            )
        )
    for name, db in databases.items():
        rows.append(
            Row(
                f"reconcile, {db['reconciled_rows']:,} live records",
                name,
                seconds(db["reconcile_s"]),
                f"raw SELECT of the same rows and entries: {seconds(db['reconcile_fetch_s'])}",
                db["reconcile_s"] / db["reconcile_fetch_s"],
                f"<= {RECONCILE_TARGET_S:g} s",
                db["reconcile_s"] <= RECONCILE_TARGET_S,
            )
        )
    floor = memory["floor_s"]
    rows.append(
        Row(
            f"merkle.root, {size:,} leaf hashes",
            "rankfile",
            seconds(memory["root_s"]),
            f"SHA-256 floor, {2 * size:,} hashes: {seconds(floor)}",
            memory["root_s"] / floor,
            f"<= {ROOT_TARGET_RATIO:g}x floor",
            memory["root_s"] <= ROOT_TARGET_RATIO * floor,
        )
    )
    rows.append(
        Row(
            f"leaf hashes + tree + root, {size:,} entries",
            "rankfile MemoryNodes",
            seconds(memory["build_s"]),
            f"SHA-256 floor: {seconds(floor)}",
            memory["build_s"] / floor,
            f"<= {ROOT_TARGET_RATIO:g}x floor",
            memory["build_s"] <= ROOT_TARGET_RATIO * floor,
        )
    )
    rows.append(
        Row(
            f"leaf hashes + tree + root, {size:,} entries",
            "rankfile MemoryNodes",
            seconds(memory["build_s"]),
            f"pymerkle InmemoryTree: {seconds(memory['pymerkle_build_s'])}",
            memory["build_s"] / memory["pymerkle_build_s"],
            "<= 1x pymerkle",
            memory["build_s"] <= memory["pymerkle_build_s"],
        )
    )
    for name, db in databases.items():
        root_median = statistics.median(db["root_ns"])
        rows.append(
            Row(
                "root of the stored tree (tree_root)",
                f"rankfile DatabaseNodes, {name}",
                ms(root_median),
                f"pymerkle SqliteTree, cold cache: {seconds(memory['pymerkle_sqlite_root_s'])}",
                root_median / 1e9 / memory["pymerkle_sqlite_root_s"],
                "<= 1x pymerkle",
                root_median / 1e9 <= memory["pymerkle_sqlite_root_s"],
            )
        )
    for kind in ("inclusion", "consistency"):
        key = f"{kind}_ns"
        operation = f"{kind} proof in a {size:,} tree"
        rows.append(
            proof_row(
                operation,
                "rankfile MemoryNodes",
                memory["memory"][key],
                memory["pymerkle_memory"][key],
                "pymerkle InmemoryTree",
            )
        )
        for name, db in databases.items():
            rows.append(
                proof_row(
                    operation,
                    f"rankfile DatabaseNodes, {name}",
                    db[key],
                    memory["pymerkle_sqlite"][key],
                    "pymerkle SqliteTree",
                )
            )
    return rows


def render(rows: Sequence[Row]) -> str:
    header = ("operation", "database/implementation", "figure", "baseline", "ratio", "target", "met?")
    return render_table(
        header,
        [
            (
                row.operation,
                row.implementation,
                row.figure,
                row.baseline,
                ratio_text(row.ratio),
                row.target,
                met_text(row.met),
            )
            for row in rows
        ],
    )


# ---------------------------------------------------------------------------------------------------------------
# Running the parts


def run_part(part: str, args: argparse.Namespace, env: dict[str, str], out: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.ledger", "--part", part, "--out", str(out)]
    command += ["--size", str(args.size), "--append", str(args.append)]
    command += ["--members", str(args.members), "--decisions", str(args.decisions)]
    subprocess.run(command, env=env, check=True)  # noqa: S603 (this interpreter, this module)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def orchestrate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(databases) - set(DATABASES)
    if unknown:
        raise SystemExit(f"unknown databases {sorted(unknown)}; choose from {', '.join(DATABASES)}")
    workdir = Path(tempfile.mkdtemp(prefix="rankfile-bench-"))
    results: dict[str, dict[str, Any]] = {}
    try:
        for name in databases:
            data_dir = workdir / name
            data_dir.mkdir()
            url = f"sqlite:///{data_dir / 'bench.sqlite3'}" if name == "sqlite" else args.postgres_url
            # Only the scratch settings: no witnesses to mail, no key file or database of a real installation.
            env = {key: value for key, value in os.environ.items() if not key.startswith("RANKFILE_")}
            env |= {
                "DJANGO_SETTINGS_MODULE": "rankfile.settings",
                "RANKFILE_DATA_DIR": str(data_dir),
                "RANKFILE_DATABASE_URL": url,
            }
            print(f"{name}:", file=sys.stderr, flush=True)
            if name == "postgresql":
                scratch = scratch_database_name(url)
                postgres_admin(url, f'DROP DATABASE IF EXISTS "{scratch}"')
                postgres_admin(url, f'CREATE DATABASE "{scratch}"')
                try:
                    results[name] = run_part("database", args, env, workdir / f"{name}.json")
                finally:
                    postgres_admin(url, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
            else:
                results[name] = run_part("database", args, env, workdir / f"{name}.json")
        print("memory:", file=sys.stderr, flush=True)
        memory = run_part("merkle", args, {**os.environ, "BENCH_WORKDIR": str(workdir)}, workdir / "memory.json")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    for name, db in results.items():
        if db["root"] != memory["root"]:
            raise SystemExit(f"the {name} ledger's root differs from the in-memory tree's: not the same leaves")
    rows = build_rows(results, memory)
    print(render(rows))
    judged = [row for row in rows if row.met is not None]
    met = sum(1 for row in judged if row.met)
    verify = ", ".join(f"{name} {args.size / db['verify_s']:,.0f}" for name, db in results.items())
    reconciled = ", ".join(f"{name} {db['reconcile_s']:.2f} s" for name, db in results.items())
    missed = (
        ""
        if met == len(judged)
        else f" (missed: {'; '.join(r.operation + ' / ' + r.implementation for r in judged if not r.met)})"
    )
    print(
        f"{met} of {len(judged)} targets met{missed}; verification entries/s: {verify}; reconciliation of "
        f"{args.members:,} members' records: {reconciled}; {args.size:,} entries, {os.cpu_count()} CPUs, "
        f"{time.perf_counter() - started:.0f} s in all."
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ledger", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="entries to verify and prove in")
    parser.add_argument("--append", type=int, default=DEFAULT_APPENDS, help="appends through ledger.record()")
    parser.add_argument("--members", type=int, default=DEFAULT_MEMBERS, help="members whose records are reconciled")
    parser.add_argument("--decisions", type=int, default=DEFAULT_DECISIONS, help="decisions among their records")
    parser.add_argument("--databases", default=",".join(DATABASES), help="comma-separated: sqlite,postgresql")
    parser.add_argument(
        "--postgres-url",
        default=os.getenv("RANKFILE_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="scratch PostgreSQL database (created and dropped; its name must contain 'bench')",
    )
    parser.add_argument("--part", choices=["database", "merkle"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.size < 2 or args.append < 1 or args.members < 100 or args.decisions < 10:
        parser.error("--size must be at least 2, --append 1, --members 100 and --decisions 10")
    if args.part is None:
        return orchestrate(args)
    if args.part == "database":
        result = database_part(args.size, args.append, args.members, args.decisions)
    else:
        result = merkle_part(args.size, Path(os.environ["BENCH_WORKDIR"]))
    Path(args.out).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
