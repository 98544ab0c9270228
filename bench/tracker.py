"""Tracker benchmark: the members' tracker page and a member's iCalendar feed, with 5,000 mandates and 50,000
progress updates.

    .venv/bin/python -m bench.tracker [--mandates N] [--updates N] [--databases sqlite,postgresql]

The demo organization is loaded into a scratch database, then the mandates and their updates are bulk-loaded
beside its convention's. Every figure is measured beside a baseline in the same run, because the machine is
shared and its speed varies: the tracker's first page and the feed beside a bare SELECT of 100 mandates. Each
database is measured in a subprocess of its own (Django reads its settings once, at import). Progress goes to
stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.common import met_text, postgres_admin, ratio_text, render_table, scratch_database_name

DEFAULT_MANDATES = 5_000
DEFAULT_UPDATES = 50_000
DEFAULT_POSTGRES_URL = "postgres://rankfile:rankfile-ci@127.0.0.1:5432/rankfile_trackerbench"
DATABASES = ("sqlite", "postgresql")

SEED = 1917
ROUNDS = 60  # timed requests of each kind, alternating with the baseline
WARM_UP = 5
BATCH = 2_000

TRACKER_TARGET_MS = 100.0
FEED_TARGET_MS = 50.0


def say(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def load(mandates: int, updates: int) -> dict[str, int]:
    """The demo organization, then ``mandates`` mandates of its convention's votes, each with its share of
    ``updates`` progress updates; a mix of open, overdue, done and rescinded, public and members only."""
    from django.utils import timezone

    from rankfile.governance import demo as governance_demo
    from rankfile.governance.models import Mandate, MandateStatus, ProgressUpdate, Visibility, Vote
    from rankfile.org import demo as org_demo
    from rankfile.org.models import Body

    org_demo.load(members=120)
    governance_demo.load()
    rng = random.Random(SEED)  # noqa: S311  (invented benchmark data, the same in every run)
    today = timezone.localdate()
    votes = list(Vote.objects.select_related("motion__meeting").all())
    bodies = list(Body.objects.all())
    statuses = [MandateStatus.NOT_STARTED, MandateStatus.IN_PROGRESS, MandateStatus.BLOCKED, MandateStatus.DONE]
    statuses += [MandateStatus.RESCINDED]
    planned = []
    for n in range(mandates):
        vote = rng.choice(votes)
        status = rng.choices(statuses, weights=[20, 40, 10, 25, 5])[0]
        adopted_on = today - timedelta(days=rng.randrange(30, 3_000))
        due_on = adopted_on + timedelta(days=rng.randrange(14, 400))
        planned.append(
            Mandate(
                reference=f"BENCH-{n + 1}",
                adopted_by_vote=vote,
                adopting_body=bodies[0],
                adopted_on=adopted_on,
                title=f"Mandate {n + 1}: carry out the decision",
                text="The body carries out what the convention decided.",
                responsible_body=rng.choice(bodies),
                due_on=due_on,
                visibility=rng.choice([Visibility.PUBLIC, Visibility.MEMBERS]),
                status=status,
                percent=100 if status == MandateStatus.DONE else rng.randrange(0, 100),
                done_on=due_on if status == MandateStatus.DONE else None,
            )
        )
    for start in range(0, len(planned), BATCH):
        Mandate.objects.bulk_create(planned[start : start + BATCH])
    loaded = list(Mandate.objects.filter(reference__startswith="BENCH-").values_list("pk", "adopted_on"))
    per_mandate = max(1, updates // max(1, len(loaded)))
    rows = []
    for pk, adopted_on in loaded:
        for number in range(1, per_mandate + 1):
            rows.append(
                ProgressUpdate(
                    mandate_id=pk,
                    number=number,
                    status=MandateStatus.IN_PROGRESS,
                    percent=min(99, number * 10),
                    text="Progress.",
                    posted_on=adopted_on + timedelta(days=number),
                )
            )
            if len(rows) >= BATCH:
                ProgressUpdate.objects.bulk_create(rows)
                rows = []
    ProgressUpdate.objects.bulk_create(rows)
    return {"mandates": Mandate.objects.count(), "updates": ProgressUpdate.objects.count()}


def timed_pairs(operation: Callable[[], object], baseline: Callable[[], object]) -> tuple[list[int], list[int]]:
    """Nanoseconds of each of ROUNDS calls of operation and of baseline, alternating, after WARM_UP of each."""
    clock = time.perf_counter_ns
    for _ in range(WARM_UP):
        baseline()
        operation()
    ours, theirs = [], []
    for _ in range(ROUNDS):
        started = clock()
        baseline()
        middle = clock()
        operation()
        ended = clock()
        theirs.append(middle - started)
        ours.append(ended - middle)
    return ours, theirs


def database_part(mandates: int, updates: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core import signals
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from rankfile.governance.models import Mandate

    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as `rankfile serve` does
    started = time.perf_counter()
    counts = load(mandates, updates)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    say(
        f"{vendor}: loaded {counts['mandates']:,} mandates, {counts['updates']:,} updates in "
        f"{time.perf_counter() - started:.0f} s"
    )
    client = Client()
    client.force_login(get_user_model().objects.get(name="Mo Member"))  # a member in good standing

    def tracker() -> None:
        response = client.get("/mandates/")
        assert response.status_code == 200, response.status_code

    def feed() -> None:
        response = client.get("/mandates/calendar.ics")
        assert response.status_code == 200, response.status_code

    def bare_select() -> None:
        list(Mandate.objects.order_by("due_on", "pk").values_list("pk", "reference", "title", "due_on")[:100])

    def queries_of(operation: Callable[[], object]) -> int:
        executed = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            executed.append(sql)
            return execute(sql, params, many, context)

        # Wrapped around the connection of the request itself, which the test client opens anew.
        started = signals.request_started
        started.connect(hook := lambda **kwargs: connection.execute_wrappers.append(count))
        try:
            operation()
        finally:
            started.disconnect(hook)
            if count in connection.execute_wrappers:
                connection.execute_wrappers.remove(count)
        return len(executed)

    results: dict[str, Any] = {"counts": counts}
    for name, operation in (("tracker", tracker), ("feed", feed)):
        queries = queries_of(operation)
        ours, theirs = timed_pairs(operation, bare_select)
        results[name] = {"ours": ours, "theirs": theirs, "queries": queries}
    results["events"] = client.get("/mandates/calendar.ics").content.count(b"BEGIN:VEVENT")
    say(f"{vendor}: measured")
    return results


def ms(nanoseconds: float) -> str:
    value = nanoseconds / 1e6
    return f"{value:.3f} ms" if value < 1 else f"{value:.1f} ms"


def median_p99(times: Sequence[int]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def build_rows(results: dict[str, dict[str, Any]]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for label, key, target in (
        ("tracker, first page (GET /mandates/)", "tracker", TRACKER_TARGET_MS),
        ("member's feed (GET /mandates/calendar.ics)", "feed", FEED_TARGET_MS),
    ):
        for name, db in results.items():
            median, p99 = median_p99(db[key]["ours"])
            their_median, their_p99 = median_p99(db[key]["theirs"])
            extra = f", {db['events']:,} events" if key == "feed" else ""
            rows.append(
                (
                    label,
                    name,
                    f"{ms(median)} (p99 {ms(p99)}), {db[key]['queries']} queries{extra}",
                    f"SELECT of 100 mandates: {ms(their_median)} (p99 {ms(their_p99)})",
                    ratio_text(median / their_median),
                    f"<= {target:g} ms median",
                    met_text(median <= target * 1e6),
                )
            )
    return rows


def run_part(args: argparse.Namespace, env: dict[str, str], out: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.tracker", "--part", "database", "--out", str(out)]
    command += ["--mandates", str(args.mandates), "--updates", str(args.updates)]
    subprocess.run(command, env=env, check=True)  # noqa: S603 (this interpreter, this module)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def orchestrate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(databases) - set(DATABASES)
    if unknown or not databases:
        raise SystemExit(f"unknown databases {sorted(unknown)}; choose from {', '.join(DATABASES)}")
    workdir = Path(tempfile.mkdtemp(prefix="rankfile-trackerbench-"))
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
                "RANKFILE_EMAIL_BACKEND": "locmem",
            }
            print(f"{name}:", file=sys.stderr, flush=True)
            if name == "postgresql":
                scratch = scratch_database_name(url)
                postgres_admin(url, f'DROP DATABASE IF EXISTS "{scratch}"')
                postgres_admin(url, f'CREATE DATABASE "{scratch}"')
                try:
                    results[name] = run_part(args, env, workdir / f"{name}.json")
                finally:
                    postgres_admin(url, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
            else:
                results[name] = run_part(args, env, workdir / f"{name}.json")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    header = ("operation", "database", "figure (median, p99)", "baseline", "ratio", "target", "met?")
    print(render_table(header, build_rows(results)))
    counts = next(iter(results.values()))["counts"]
    print(
        f"{counts['mandates']:,} mandates, {counts['updates']:,} updates; {os.cpu_count()} CPUs, "
        f"{time.perf_counter() - started:.0f} s in all."
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tracker", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--mandates", type=int, default=DEFAULT_MANDATES, help="mandates to load")
    parser.add_argument("--updates", type=int, default=DEFAULT_UPDATES, help="progress updates to load")
    parser.add_argument("--databases", default=",".join(DATABASES), help="comma-separated: sqlite,postgresql")
    parser.add_argument(
        "--postgres-url",
        default=os.getenv("RANKFILE_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="scratch PostgreSQL database (created and dropped; its name must contain 'bench')",
    )
    parser.add_argument("--part", choices=["database"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.part is None:
        return orchestrate(args)
    Path(args.out).write_text(json.dumps(database_part(args.mandates, args.updates)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
