"""Member import benchmark: `rankfile import-members` on a 10,000-row CSV, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.member_import [--rows 10000] [--databases sqlite,postgresql]

Each database gets a fresh scratch database with six branches. The figure is the wall time of the real command
(every row through the ledgered actions and the eligibility check); the baseline, measured in the same run, is the
least any row-by-row import does: the same number of people created one by one, in one transaction, without a
ledger or checks. Prints one table.
"""

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import met_text, postgres_admin, render_table, scratch_database_name

DEFAULT_POSTGRES_URL = "postgres://rankfile:rankfile-ci@127.0.0.1:5432/rankfile_importbench"
TARGET_SECONDS = 30.0
BRANCHES = ["Northside", "Eastgate", "Harbour", "Millbrook", "Westfield", "Old Town"]

MAKE_BRANCHES = f"""
from rankfile.org import actions
from rankfile.ledger.actions import OPERATOR
for name in {BRANCHES!r}:
    actions.body_create(name=name + ' branch', slug='branch-' + name.lower().replace(' ', '-'), kind='branch',
                        by=OPERATOR)
"""
BASELINE = """
import sys, time
from django.db import transaction
from rankfile.org.models import Person
started = time.perf_counter()
with transaction.atomic():
    for n in range(int(sys.argv[-1])):
        Person.objects.create(name=f'Baseline {n}', email=f'baseline{n}@example.org', member_number=f'B-{n:06d}')
print(time.perf_counter() - started)
"""


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(7)  # noqa: S311  (invented data, the same in every run)
    statuses = ["active"] * 8 + ["current", "on leave", "lapsed", "resigned"]
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["First name", "Last name", "Email", "Member number", "Status", "Joined", "Branch"])
        for n in range(1, rows + 1):
            joined = f"{rng.randrange(2000, 2024)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            writer.writerow(
                [
                    f"First{n}",
                    f"Last{n}",
                    f"person{n}@example.org",
                    f"M-{n:05d}",
                    rng.choice(statuses),
                    joined,
                    rng.choice(BRANCHES),
                ]
            )


def rankfile(env: dict[str, str], *args: str, quiet: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (this interpreter, this project's command)
        [sys.executable, "-m", "rankfile", *args],
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.PIPE if quiet else None,
    )


def measure(database: str, url: str, rows: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="rankfile-importbench-") as folder:
        data = Path(folder)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RANKFILE_", "DJANGO_"))}
        env["RANKFILE_DATA_DIR"] = str(data)
        env["RANKFILE_DATABASE_URL"] = url if database == "postgresql" else f"sqlite:///{data / 'bench.sqlite3'}"
        results = []
        for part in ("import", "baseline"):
            if database == "postgresql":
                name = scratch_database_name(url)
                postgres_admin(url, f'DROP DATABASE IF EXISTS "{name}"')
                postgres_admin(url, f'CREATE DATABASE "{name}"')
            else:
                (data / "bench.sqlite3").unlink(missing_ok=True)
            rankfile(env, "migrate", "--noinput", "-v", "0")
            if part == "import":
                rankfile(env, "shell", "--no-imports", "-c", MAKE_BRANCHES)
                csv_path = data / "members.csv"
                write_csv(csv_path, rows)
                started = time.perf_counter()
                rankfile(env, "import-members", str(csv_path), quiet=False)
                results.append(time.perf_counter() - started)
            else:
                done = rankfile(env, "shell", "--no-imports", "-c", BASELINE.replace("int(sys.argv[-1])", str(rows)))
                results.append(float(done.stdout.strip().splitlines()[-1]))
        if database == "postgresql":
            postgres_admin(url, f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}"')
        return results[0], results[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=os.getenv("RANKFILE_BENCH_IMPORT_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    args = parser.parse_args()
    scratch_database_name(args.postgres_url)
    rows = []
    met = 0
    databases = [d for d in args.databases.split(",") if d]
    for database in databases:
        seconds, baseline = measure(database, args.postgres_url, args.rows)
        ok = seconds <= TARGET_SECONDS * args.rows / 10_000
        met += ok
        rows.append(
            (
                f"import-members, {args.rows:,} rows (people, statuses, branch seats)",
                database,
                f"{seconds:.1f} s",
                f"{args.rows:,} bare Person inserts: {baseline:.1f} s",
                f"{seconds / baseline:.1f}x",
                f"<= {TARGET_SECONDS:.0f} s per 10,000",
                met_text(ok),
            )
        )
    print(render_table(("operation", "database", "figure", "baseline", "ratio", "target", "met?"), rows))
    print(f"{met} of {len(databases)} targets met; {os.cpu_count()} CPUs.")


if __name__ == "__main__":
    main()
