"""Organization benchmark: the eligibility check, a body's roster on a date and a person's page, at scale.

    .venv/bin/python -m bench.org [--people N] [--bodies N] [--rows N] [--databases sqlite,postgresql]

An organization of 100,000 people, 1,000 bodies and 500,000 seat and status rows is bulk-loaded into a scratch
database, and every figure is measured beside a baseline in the same run, because the machine is shared and its
speed varies from minute to minute: the eligibility check beside a primary-key lookup, the pages beside the health
check. Each database is measured in a subprocess of its own (Django reads its settings once, at import). Progress
goes to stderr, the table to stdout. bench/README.md says what each row measures.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.common import met_text, postgres_admin, ratio_text, render_table, scratch_database_name

DEFAULT_PEOPLE = 100_000
DEFAULT_BODIES = 1_000
DEFAULT_ROWS = 500_000  # seats and status changes together
DEFAULT_POSTGRES_URL = "postgres://rankfile:rankfile-ci@127.0.0.1:5432/rankfile_orgbench"
DATABASES = ("sqlite", "postgresql")

SEED = 1871
CHECKS = 500  # random (person, body, date) triples for the eligibility check
PAGES = 200  # random bodies, and random people, for the pages
WARM_UP = 10  # untimed, before the timed ones, for every operation and its baseline alike
REPEATS = 3  # each item is timed this many times; its fastest counts
BATCH = 5_000  # rows per bulk_create

ELIGIBILITY_TARGET_MS = 5.0
PAGE_TARGET_MS = 50.0

YEARS = 10  # of seats
TERM_YEARS = 2
JOINED_WITHIN_YEARS = 20
NATIONAL_CONVENTION_DELEGATES = 1_000

# ---------------------------------------------------------------------------------------------------------------
# The organization: deterministic for a given size, seed and day, so every database gets the same rows.

# Seats per term on a body of each kind that has terms, before scaling to the row budget. Branches and caucuses
# have members instead: every member sits on one branch, some on a caucus, from joining until leaving.
TERM_SEATS = {
    "leadership": 9,
    "disciplinary": 5,
    "appeals": 5,
    "oversight": 5,
    "commission": 9,
    "committee": 7,
    "convention": 100,
}
# The bodies after the national ones below, by kind.
KIND_WEIGHTS = {
    "branch": 35,
    "committee": 22,
    "leadership": 10,
    "commission": 9,
    "caucus": 5,
    "convention": 5,
    "disciplinary": 5,
    "appeals": 4,
    "oversight": 5,
}
NATIONAL_BODIES = (  # slug, name, kind, max_size, max_consecutive_terms
    ("steering-committee", "Steering Committee", "leadership", 9, 2),
    ("national-committee", "National Committee", "leadership", 25, 3),
    ("disciplinary-committee", "Disciplinary Committee", "disciplinary", 7, 2),
    ("appeals-committee", "Appeals Committee", "appeals", 5, 2),
    ("oversight-commission", "Oversight Commission", "oversight", 5, 2),
    ("convention", "Convention", "convention", None, None),
)
DISCIPLINARY_COMMITTEE = 4  # its pk: after the national organization and the two bodies before it above
CAUCUS_SHARE = 0.15  # of members, on a caucus
NON_MEMBER_SHARE = 0.05  # allies, reporters from outside: no status history at all
RESTRICTED_SHARE = 0.015
REELECTED = 0.45  # a seat holder's chance of another term, within any term limit
ENDED_EARLY = 0.04  # seats that end before the term does; a co-opted replacement takes the rest of the term
EARLY_END_REASONS = ("resigned", "removed_by_sanction", "suspended_pending_investigation", "recalled", "died")


@dataclass
class BodyPlan:
    pk: int
    slug: str
    name: str
    kind: str
    parent: int | None
    max_size: int | None
    max_consecutive_terms: int | None
    term_seats: int  # before scaling; 0 for branches and caucuses
    first_term: date
    scaled: bool = True  # the national bodies keep their sizes
    full_size_limit: bool = False  # max_size is the scaled size


@dataclass
class Organization:
    """The rows to load, as tuples of field values (model instances are made a batch at a time)."""

    today: date
    bodies: list[BodyPlan]
    people: list[tuple[Any, ...]] = field(default_factory=list)  # pk, name, email, member_number
    changes: list[tuple[Any, ...]] = field(default_factory=list)  # person, status, from, until, reason, body, open
    seats: list[tuple[Any, ...]] = field(default_factory=list)  # person, body, role, basis, starts, term end, ends, why
    restrictions: list[tuple[Any, ...]] = field(default_factory=list)  # person, kind, starts, ends, source, ref, lifted
    members: list[int] = field(default_factory=list)
    scale: float = 1.0  # applied to the sizes of TERM_SEATS


def years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def plan_bodies(count: int, today: date, rng: random.Random) -> list[BodyPlan]:
    window = years_later(today, -YEARS)

    def first_term() -> date:
        return window + timedelta(days=rng.randrange(TERM_YEARS * 365))

    plans = [BodyPlan(1, "national", "National Organization", "leadership", None, 15, 3, 15, first_term(), False)]
    for slug, name, kind, max_size, limit in NATIONAL_BODIES[: max(0, count - 1)]:
        seats = NATIONAL_CONVENTION_DELEGATES if kind == "convention" else (max_size or TERM_SEATS[kind])
        plans.append(BodyPlan(len(plans) + 1, slug, name, kind, 1, max_size, limit, seats, first_term(), False))
    kinds = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=max(0, count - len(plans)))
    kinds.sort(key=lambda kind: kind != "branch")  # branches first: other bodies may sit under them
    numbers: Counter[str] = Counter()
    branches: list[int] = []
    for kind in kinds:
        numbers[kind] += 1
        pk = len(plans) + 1
        parent = 1 if kind == "branch" or not branches or rng.random() < 0.4 else rng.choice(branches)
        term_seats = 0 if kind in ("branch", "caucus") else max(3, round(TERM_SEATS[kind] * rng.uniform(0.6, 1.4)))
        limited, limit = False, None
        if kind not in ("branch", "caucus", "convention"):
            limited = rng.random() < 0.3
            limit = rng.choice((2, 3)) if rng.random() < 0.4 else None
        if kind == "branch":
            branches.append(pk)
        slug, name = f"{kind}-{numbers[kind]}", f"{kind.capitalize()} {numbers[kind]}"
        plan = BodyPlan(pk, slug, name, kind, parent, None, limit, term_seats, first_term(), full_size_limit=limited)
        plans.append(plan)
    return plans


def plan_member(
    org: Organization, pk: int, rng: random.Random, branches: Sequence[int], caucuses: Sequence[int]
) -> None:
    """One member's status history, branch and caucus seats, and any restrictions."""
    today = org.today
    window = years_later(today, -YEARS)
    joined = today - timedelta(days=rng.randint(30, JOINED_WITHIN_YEARS * 365))
    changes = org.changes
    changes.append((pk, "active", joined, None, "joined", None, False))
    left: tuple[date, str] | None = None
    day = joined
    for _ in range(rng.choices(range(6), weights=(20, 22, 20, 16, 12, 10))[0]):
        day += timedelta(days=rng.randint(90, 1_200))
        if day >= today:
            break
        event = rng.random()
        if event < 0.45:  # dues lapse, usually put right
            changes.append((pk, "lapsed", day, None, "dues_unpaid", None, False))
            back = day + timedelta(days=rng.randint(30, 400))
            if back >= today or rng.random() < 0.1:
                left = (day, "term_over")
                break
            changes.append((pk, "active", back, None, "dues_paid", None, False))
            day = back
        elif event < 0.75:  # a time-bound leave: the status before it shows again at its end
            until = day + timedelta(days=rng.randint(30, 365))
            changes.append((pk, "on_leave", day, until, "leave", None, False))
            day = until
        elif event < 0.82:  # a time-bound suspension by the disciplinary committee
            until = day + timedelta(days=rng.randint(14, 180))
            changes.append((pk, "suspended", day, until, "sanction", DISCIPLINARY_COMMITTEE, False))
            day = until
        elif event < 0.97:
            changes.append((pk, "resigned", day, None, "resigned", None, rng.random() < 0.05))
            left = (day, "resigned")
            break
        else:
            changes.append((pk, "expelled", day, None, "sanction", DISCIPLINARY_COMMITTEE, False))
            left = (day, "removed_by_sanction")
            break
    ends_on, why = left if left else (None, "")
    starts = max(joined, window)
    if branches and (ends_on is None or ends_on > starts):
        branch = rng.choice(branches)
        if ends_on is None and rng.random() < 0.08:  # moved to another branch
            moved = starts + timedelta(days=rng.randint(1, max(1, (today - starts).days)))
            org.seats.append((pk, branch, "member", "ex_officio", starts, None, moved, "term_over"))
            starts, branch = moved, rng.choice(branches)
        org.seats.append((pk, branch, "member", "ex_officio", starts, None, ends_on, why))
    if caucuses and rng.random() < CAUCUS_SHARE:
        since = max(joined, window) + timedelta(days=rng.randint(0, 3 * 365))
        left_caucus = ends_on
        quit_caucus = since + timedelta(days=rng.randint(60, 900))
        if rng.random() < 0.2 and quit_caucus < min(ends_on or today, today):
            left_caucus = quit_caucus
        if since < today and (left_caucus is None or left_caucus > since):
            reason = "" if left_caucus is None else "resigned"
            org.seats.append((pk, rng.choice(caucuses), "member", "appointed", since, None, left_caucus, reason))
    if rng.random() < RESTRICTED_SHARE:
        plan_restriction(org, pk, rng, joined)
    org.members.append(pk)


def plan_restriction(org: Organization, pk: int, rng: random.Random, joined: date) -> None:
    starts = joined + timedelta(days=rng.randint(0, max(0, (org.today - joined).days)))
    kinds = ("barred_from_office", "suspended_from_leadership", "not_in_good_standing")
    kind = rng.choices(kinds, weights=(4, 4, 2))[0]
    reference = f"decision {rng.randint(1, 5_000)}"
    row: tuple[Any, ...]
    if kind == "barred_from_office":
        row = (pk, kind, starts, years_later(starts, rng.randint(1, 5)), "sanction", reference, "", None)
    elif kind == "suspended_from_leadership":
        lifted = starts + timedelta(days=rng.randint(30, 300))
        case = f"case {rng.randint(1, 5_000)}"
        row = (pk, kind, starts, None, "interim_measure", reference, case, lifted if lifted < org.today else None)
    else:
        row = (pk, kind, starts, years_later(starts, 1), "vote", "convention vote", "", None)
    org.restrictions.append(row)


def plan_term_seats(org: Organization, budget: int, rng: random.Random) -> None:
    """Two-year terms over ten years on every body that has terms. The sizes of all but the national bodies are
    scaled alike to fill what the budget leaves; a body with a size limit is then full when every seat is taken."""
    termed = [body for body in org.bodies if body.term_seats]
    if not termed or not org.members:
        return
    terms = {body.pk: _term_starts(body.first_term, org.today) for body in termed}
    per_slot = 1 + ENDED_EARLY  # a seat ended early is followed by its replacement's

    def planned(scaled: bool) -> float:
        return sum(b.term_seats * len(terms[b.pk]) for b in termed if b.scaled == scaled) * per_slot

    scale = max(0.0, budget - planned(False)) / (planned(True) or 1.0)
    org.scale = scale
    members = org.members
    for body in termed:
        size = max(1, round(body.term_seats * scale)) if body.scaled else body.term_seats
        if body.full_size_limit:
            body.max_size = size
        runs: dict[int, int] = {}  # person: terms in a row so far
        for number, starts in enumerate(terms[body.pk]):
            term_end = years_later(starts, TERM_YEARS)
            current = term_end > org.today
            holders = [
                person
                for person, run in runs.items()
                if rng.random() < REELECTED and (body.max_consecutive_terms is None or run < body.max_consecutive_terms)
            ][:size]
            chosen = set(holders)
            while len(chosen) < size:
                chosen.add(rng.choice(members))
            runs = {person: runs.get(person, 0) + 1 for person in chosen}
            for index, person in enumerate(sorted(chosen, key=lambda p: (p not in holders, p))):
                role = _role(body.kind, index, size)
                basis = "elected" if number or rng.random() < 0.9 else "appointed"
                ended = starts + timedelta(days=rng.randint(30, (term_end - starts).days - 30))
                if rng.random() < ENDED_EARLY and ended < org.today:
                    reason = rng.choice(EARLY_END_REASONS)
                    org.seats.append((person, body.pk, role, basis, starts, term_end, ended, reason))
                    runs.pop(person, None)
                    person = rng.choice(members)
                    starts_then, basis = ended, "co_opted"
                else:
                    starts_then = starts
                ends, why = (None, "") if current else (term_end, "term_over")
                org.seats.append((person, body.pk, role, basis, starts_then, term_end, ends, why))


def _term_starts(first: date, today: date) -> list[date]:
    starts = []
    day = first
    while day <= today:
        starts.append(day)
        day = years_later(day, TERM_YEARS)
    return starts


def _role(kind: str, index: int, size: int) -> str:
    if kind == "convention":
        return "alternate" if index >= size * 0.9 else "delegate"
    return ("chair", "vice_chair", "secretary", "treasurer")[index] if index < 4 and size > 4 else "member"


def plan_organization(people: int, bodies: int, rows: int, today: date) -> Organization:
    from rankfile.org.demo import FIRST_NAMES, LAST_NAMES

    rng = random.Random(SEED)  # noqa: S311 (invented data, not secrets)
    org = Organization(today=today, bodies=plan_bodies(bodies, today, rng))
    branches = [body.pk for body in org.bodies if body.kind == "branch"]
    caucuses = [body.pk for body in org.bodies if body.kind == "caucus"]
    initials = "ABCDEFGHIJKLMNOPRSTVW"
    for pk in range(1, people + 1):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(initials)}. {rng.choice(LAST_NAMES)}"
        member = rng.random() >= NON_MEMBER_SHARE
        email = f"person{pk}@members.example.org" if rng.random() < 0.7 else ""
        org.people.append((pk, name, email, f"M{pk:07d}" if member else ""))
        if member:
            plan_member(org, pk, rng, branches, caucuses)
    plan_term_seats(org, rows - len(org.changes) - len(org.seats), rng)
    return org


# ---------------------------------------------------------------------------------------------------------------
# Loading


def batches(rows: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def load(org: Organization) -> dict[str, int]:
    """Bulk-create every row, bypassing the actions (and so the ledger), then refresh the planner's statistics."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from rankfile.org.models import Body, Person, Restriction, Seat, StatusChange

    with transaction.atomic():
        # Parents before children: a body's parent always has the smaller pk.
        Body.objects.bulk_create(
            Body(
                pk=b.pk,
                name=b.name,
                slug=b.slug,
                kind=b.kind,
                parent_id=b.parent,
                min_size=min(3, b.max_size or 3),
                max_size=b.max_size,
                max_consecutive_terms=b.max_consecutive_terms,
            )
            for b in org.bodies
        )
        for batch in batches(org.people):
            Person.objects.bulk_create(
                Person(pk=pk, name=name, email=email, member_number=number) for pk, name, email, number in batch
            )
        for batch in batches(org.changes):
            StatusChange.objects.bulk_create(
                StatusChange(
                    person_id=person,
                    status=status,
                    effective_from=starts,
                    until=until,
                    reason_code=reason,
                    decided_by_body_id=body,
                    decided_by_reference="disciplinary decision" if body else "",
                    case_open=case_open,
                )
                for person, status, starts, until, reason, body, case_open in batch
            )
        for batch in batches(org.seats):
            Seat.objects.bulk_create(
                Seat(
                    person_id=person,
                    body_id=body,
                    role=role,
                    basis=basis,
                    starts_on=starts,
                    term_ends_on=term_end,
                    ends_on=ends,
                    end_reason=why,
                )
                for person, body, role, basis, starts, term_end, ends, why in batch
            )
        for batch in batches(org.restrictions):
            Restriction.objects.bulk_create(
                Restriction(
                    person_id=person,
                    kind=kind,
                    starts_on=starts,
                    ends_on=ends,
                    source=source,
                    source_reference=reference,
                    case_reference=case,
                    lifted_on=lifted,
                )
                for person, kind, starts, ends, source, reference, case, lifted in batch
            )
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Body, Person]):
                cursor.execute(statement)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in (Body, Person, StatusChange, Seat, Restriction):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {
        "people": len(org.people),
        "bodies": len(org.bodies),
        "status_changes": len(org.changes),
        "seats": len(org.seats),
        "restrictions": len(org.restrictions),
    }


# ---------------------------------------------------------------------------------------------------------------
# Measuring (in the database's own process, Django set up from the environment)


def say(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def timed_pairs(
    items: Sequence[Any], operation: Callable[[Any], object], baseline: Callable[[Any], object]
) -> tuple[list[int], list[int]]:
    """Nanoseconds for operation(item) and baseline(item), alternating, after WARM_UP untimed items of each.
    Each item is timed REPEATS times and counts with its fastest: what the item costs, without the moments another
    process on the machine took the CPU."""
    clock = time.perf_counter_ns
    for item in items[:WARM_UP]:
        baseline(item)
        operation(item)
    ours, theirs = [], []
    for item in items[WARM_UP:]:
        best_ours = best_theirs = sys.maxsize
        for _ in range(REPEATS):
            started = clock()
            baseline(item)
            middle = clock()
            operation(item)
            ended = clock()
            best_theirs = min(best_theirs, middle - started)
            best_ours = min(best_ours, ended - middle)
        theirs.append(best_theirs)
        ours.append(best_ours)
    return ours, theirs


def query_counts(items: Sequence[Any], operation: Callable[[Any], object]) -> list[int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for item in items:
        with CaptureQueriesContext(connection) as captured:
            operation(item)
        counts.append(len(captured.captured_queries))
    return counts


ROSTER_BANDS = ((0, 50), (51, 150), (151, 400), (401, None))


def by_roster(rosters: Sequence[int], times: Sequence[int]) -> str:
    """Median and slowest page for bodies in each band of roster size (stderr, for the reading of the table)."""
    parts = []
    for low, high in ROSTER_BANDS:
        band = [t for n, t in zip(rosters, times, strict=True) if n >= low and (high is None or n <= high)]
        if band:
            label = f"{low}-{high}" if high is not None else f"{low}+"
            parts.append(f"{label}: {len(band)} pages, median {ms(statistics.median(band))}, slowest {ms(max(band))}")
    return "; ".join(parts)


def by_outcome(verdicts: Sequence[str], times: Sequence[int]) -> str:
    parts = []
    for verdict, count in Counter(verdicts).most_common():
        median, p99 = median_p99([t for v, t in zip(verdicts, times, strict=True) if v == verdict])
        parts.append(f"{verdict} {count}x, median {ms(median)}, p99 {ms(p99)}")
    return "; ".join(parts)


def database_part(people: int, bodies: int, rows: int, today: date) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from rankfile.accounts.actions import account_create
    from rankfile.org import eligibility, queries
    from rankfile.org.models import Body, Person

    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as `rankfile serve` does

    say(f"{vendor}: planning {people:,} people, {bodies:,} bodies and about {rows:,} seat and status rows")
    org = plan_organization(people, bodies, rows, today)
    started = time.perf_counter()
    counts = load(org)
    load_s = time.perf_counter() - started
    say(f"{vendor}: loaded {', '.join(f'{n:,} {what}' for what, n in counts.items())} in {load_s:.0f} s")
    say(f"{vendor}: sizes of bodies with terms scaled by {org.scale:.1f} to fill the rows")
    del org
    gc.collect()

    rng = random.Random(SEED + 1)  # noqa: S311 (sampling, not secrets)
    window_days = (today - years_later(today, -YEARS)).days

    def some_day() -> date:
        return today - timedelta(days=rng.randrange(window_days))

    triples = [
        (rng.randint(1, counts["people"]), rng.randint(1, counts["bodies"]), some_day())
        for _ in range(WARM_UP + CHECKS)
    ]
    person_of = Person.objects.in_bulk({pk for pk, _, _ in triples})
    body_of = Body.objects.in_bulk()
    checks = [(person_of[pk], body_of[body], day) for pk, body, day in triples]
    verdicts = [getattr(eligibility.check(*item), "reason_code", "eligible") for item in checks]
    outcomes = Counter(verdicts)
    gc.collect()
    gc.freeze()

    say(f"{vendor}: {CHECKS} eligibility checks beside as many primary-key lookups")
    check_ns, lookup_ns = timed_pairs(
        checks,
        lambda item: eligibility.check(*item),
        lambda item: Person.objects.get(pk=item[0].pk),
    )
    check_queries = query_counts(checks, lambda item: eligibility.check(*item))
    say(f"{vendor}: eligibility by outcome: {by_outcome(verdicts[WARM_UP:], check_ns)}")

    admin = account_create(
        email="bench-admin@example.org", password=f"bench-{secrets.token_urlsafe(16)}", is_site_admin=True
    )
    client = Client()
    client.force_login(admin)

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"GET {url} answered {response.status_code}")

    def health(_: object) -> None:
        get("/api/health")

    body_pages = []
    rosters = []
    for _ in range(WARM_UP + PAGES):
        body, day = body_of[rng.randint(1, counts["bodies"])], some_day()
        body_pages.append(f"/org/bodies/{body.slug}/?on={day.isoformat()}")
        rosters.append(queries.seats_on(body=body, day=day).count())
    person_pks = [rng.randint(1, counts["people"]) for _ in range(WARM_UP + PAGES)]
    person_pages = [f"/org/people/{pk}/" for pk in person_pks]
    timed_people = Person.objects.filter(pk__in=person_pks[WARM_UP:])
    held = list(timed_people.annotate(n=Count("seats")).values_list("n", flat=True))

    say(f"{vendor}: {PAGES} body pages beside as many health checks")
    body_ns, body_base_ns = timed_pairs(body_pages, get, health)
    say(f"{vendor}: body pages by people sitting: {by_roster(rosters[WARM_UP:], body_ns)}")
    say(f"{vendor}: {PAGES} person pages beside as many health checks")
    person_ns, person_base_ns = timed_pairs(person_pages, get, health)
    body_queries = query_counts(body_pages, get)
    person_queries = query_counts(person_pages, get)
    health_queries = query_counts(body_pages[:WARM_UP], health)
    gc.unfreeze()

    return {
        "vendor": vendor,
        "counts": counts,
        "load_s": load_s,
        "outcomes": dict(outcomes),
        "check_ns": check_ns,
        "lookup_ns": lookup_ns,
        "check_queries": check_queries,
        "body_ns": body_ns,
        "body_base_ns": body_base_ns,
        "body_queries": body_queries,
        "rosters": rosters[WARM_UP:],
        "person_ns": person_ns,
        "person_base_ns": person_base_ns,
        "person_queries": person_queries,
        "seats_held": held,
        "health_queries": health_queries,
    }


# ---------------------------------------------------------------------------------------------------------------
# The table


@dataclass
class Row:
    operation: str
    database: str
    figure: str
    baseline: str
    ratio: float | None  # the figure's median over the baseline's (below 1: faster than the baseline)
    target: str = "-"
    met: bool | None = None


def ms(nanoseconds: float) -> str:
    value = nanoseconds / 1e6
    return f"{value:.3f} ms" if value < 1 else f"{value:.1f} ms"


def median_p99(times: Sequence[int]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def spread(values: Sequence[int]) -> str:
    low, high = min(values), max(values)
    return f"{low:,}" if low == high else f"{low:,}-{high:,}"


def timed_row(
    operation: str, database: str, ours: Sequence[int], queries: Sequence[int], theirs: Sequence[int], against: str
) -> Row:
    median, p99 = median_p99(ours)
    their_median, their_p99 = median_p99(theirs)
    target_ms = ELIGIBILITY_TARGET_MS if operation.startswith("eligibility") else PAGE_TARGET_MS
    return Row(
        operation,
        database,
        f"{ms(median)} (p99 {ms(p99)}), {spread(queries)} queries",
        f"{against}: {ms(their_median)} (p99 {ms(their_p99)})",
        median / their_median,
        f"<= {target_ms:g} ms at p99",
        p99 <= target_ms * 1e6,
    )


def build_rows(results: dict[str, dict[str, Any]]) -> list[Row]:
    rows = []
    for name, db in results.items():
        rows.append(
            timed_row(
                f"eligibility check, {CHECKS} random (person, body, date)",
                name,
                db["check_ns"],
                db["check_queries"],
                db["lookup_ns"],
                "Person.objects.get(pk=...)",
            )
        )
    for name, db in results.items():
        rows.append(
            timed_row(
                f"body page with roster on a date, {PAGES} bodies ({spread(db['rosters'])} sitting)",
                name,
                db["body_ns"],
                db["body_queries"],
                db["body_base_ns"],
                f"GET /api/health ({spread(db['health_queries'])} queries)",
            )
        )
    for name, db in results.items():
        rows.append(
            timed_row(
                f"person page with history, {PAGES} people ({spread(db['seats_held'])} seats)",
                name,
                db["person_ns"],
                db["person_queries"],
                db["person_base_ns"],
                f"GET /api/health ({spread(db['health_queries'])} queries)",
            )
        )
    return rows


def render(rows: Sequence[Row]) -> str:
    header = ("operation", "database", "figure (median, p99)", "baseline", "ratio", "target", "met?")
    return render_table(
        header,
        [
            (
                row.operation,
                row.database,
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


def run_part(args: argparse.Namespace, env: dict[str, str], out: Path, today: date) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.org", "--part", "database", "--out", str(out), "--today", today.isoformat()]
    command += ["--people", str(args.people), "--bodies", str(args.bodies), "--rows", str(args.rows)]
    subprocess.run(command, env=env, check=True)  # noqa: S603 (this interpreter, this module)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def orchestrate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(databases) - set(DATABASES)
    if unknown or not databases:
        raise SystemExit(f"unknown databases {sorted(unknown)}; choose from {', '.join(DATABASES)}")
    today = date.today()
    workdir = Path(tempfile.mkdtemp(prefix="rankfile-orgbench-"))
    results: dict[str, dict[str, Any]] = {}
    try:
        for name in databases:
            data_dir = workdir / name
            data_dir.mkdir()
            url = f"sqlite:///{data_dir / 'bench.sqlite3'}" if name == "sqlite" else args.postgres_url
            # Only the scratch settings: no key file, mail or database of a real installation.
            env = {key: value for key, value in os.environ.items() if not key.startswith("RANKFILE_")}
            env |= {
                "DJANGO_SETTINGS_MODULE": "rankfile.settings",
                "RANKFILE_DATA_DIR": str(data_dir),
                "RANKFILE_DATABASE_URL": url,
                "RANKFILE_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",  # the test Client's host
            }
            print(f"{name}:", file=sys.stderr, flush=True)
            if name == "postgresql":
                scratch = scratch_database_name(url)
                postgres_admin(url, f'DROP DATABASE IF EXISTS "{scratch}"')
                postgres_admin(url, f'CREATE DATABASE "{scratch}"')
                try:
                    results[name] = run_part(args, env, workdir / f"{name}.json", today)
                finally:
                    postgres_admin(url, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
            else:
                results[name] = run_part(args, env, workdir / f"{name}.json", today)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    rows = build_rows(results)
    print(render(rows))
    judged = [row for row in rows if row.met is not None]
    met = sum(1 for row in judged if row.met)
    missed = (
        ""
        if met == len(judged)
        else f" (missed: {'; '.join(r.operation.split(',')[0] + ' / ' + r.database for r in judged if not r.met)})"
    )
    counts = next(iter(results.values()))["counts"]
    print(
        f"{met} of {len(judged)} targets met{missed}; {counts['people']:,} people, {counts['bodies']:,} bodies, "
        f"{counts['seats']:,} seats + {counts['status_changes']:,} status changes "
        f"(+ {counts['restrictions']:,} restrictions); {os.cpu_count()} CPUs, "
        f"{time.perf_counter() - started:.0f} s in all."
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.org", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE, help="people to load")
    parser.add_argument("--bodies", type=int, default=DEFAULT_BODIES, help="bodies to load")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="seat and status rows to load, about")
    parser.add_argument("--databases", default=",".join(DATABASES), help="comma-separated: sqlite,postgresql")
    parser.add_argument(
        "--postgres-url",
        default=os.getenv("RANKFILE_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="scratch PostgreSQL database (created and dropped; its name must contain 'bench')",
    )
    parser.add_argument("--part", choices=["database"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.people < 2 * WARM_UP or args.bodies < 2 * WARM_UP or args.rows < 1:
        parser.error(f"--people and --bodies must be at least {2 * WARM_UP}, --rows at least 1")
    if args.part is None:
        return orchestrate(args)
    result = database_part(args.people, args.bodies, args.rows, args.today or date.today())
    Path(args.out).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
