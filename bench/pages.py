"""Pages benchmark: the pages people use most, served by `rankfile serve` from a large generated organization
(bench/dataset.py), each beside `GET /api/health` in the same run.

    .venv/bin/python -m bench.pages [--scale 0.01] [--databases sqlite,postgresql] [--requests 100] [--seconds 5]
    .venv/bin/python -m bench.pages --reuse DIR [--databases postgresql --postgres-url URL] [--requests 100]

For each database: a scratch data directory (and, for PostgreSQL, a scratch database whose name contains `bench`),
the organization generated into it, sessions signed in for the people whose pages are measured, then the
production server (`rankfile serve`, its default workers) on a free port. Each page is asked ``--requests`` times
one after another (the server's time for it, from its Server-Timing header: p50, p95, p99; and the p95 of the
whole exchange as the client on the same machine sees it, connection included), then by
as many clients at once as the server has workers for ``--seconds`` (requests per second). `GET /api/health` is
measured the same way before the pages and after them; the throughput target is half of health's (the mean of its
two runs). Progress goes to stderr, the table to stdout.

``--reuse DIR`` serves an organization generated before (`bench.dataset --sessions DIR/pages.json` with
RANKFILE_DATA_DIR=DIR, and for PostgreSQL the database of ``--postgres-url``) instead of generating one: nothing is
made, dropped or deleted, so a scale-1 organization (minutes to generate) serves many runs. One database at a time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import met_text, postgres_admin, render_table, scratch_database_name

DEFAULT_POSTGRES_URL = "postgres://rankfile:rankfile-ci@127.0.0.1:5432/rankfile_pagesbench"
DATABASES = ("sqlite", "postgresql")
P95_TARGET_MS = 50.0
THROUGHPUT_TARGET = 0.5  # of health's requests per second
WARM_UP = 5


def say(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`rankfile serve` on a free port of this machine."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "rankfile", "serve", "--bind", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(  # noqa: S603 (this interpreter, this project's command)
            [*command, "--no-access-log", "--tick-every", "0"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline()
        self.workers = int(first.split(" with ")[1].split()[0]) if " with " in first else 2
        threading.Thread(target=self._drain, daemon=True).start()
        deadline = time.monotonic() + 120
        while True:
            try:
                if get(self.port, "/api/health", "")[0] == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.3)

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for _line in self.process.stdout:
            pass

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def get(port: int, path: str, cookie: str) -> tuple[int, float]:
    """One GET (a new connection, as gunicorn's sync workers close each one): its status and the server's time
    for it in milliseconds (its Server-Timing header)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        timing = response.getheader("Server-Timing", "app;dur=nan")
        return response.status, float(timing.split("dur=")[1])
    finally:
        connection.close()


def latencies(port: int, path: str, cookie: str, requests: int) -> tuple[list[float], list[float]]:
    """Milliseconds of each of ``requests`` GETs one after another, after a few untimed: the server's time (its
    Server-Timing header) and the client's (the whole exchange, connection included)."""
    for _ in range(WARM_UP):
        status, _server_ms = get(port, path, cookie)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
    server, client = [], []
    for _ in range(requests):
        started = time.perf_counter()
        _status, server_ms = get(port, path, cookie)
        client.append((time.perf_counter() - started) * 1000)
        server.append(server_ms)
    return server, client


def throughput(port: int, path: str, cookie: str, clients: int, seconds: float) -> float:
    """Requests per second with ``clients`` asking at once for ``seconds``."""
    done = [0] * clients
    errors = [0] * clients
    stop = time.perf_counter() + seconds

    def client(n: int) -> None:
        while time.perf_counter() < stop:
            status, _server_ms = get(port, path, cookie)
            done[n] += 1
            errors[n] += status != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if sum(errors):
        raise SystemExit(f"GET {path}: {sum(errors)} answers were not 200")
    return sum(done) / (time.perf_counter() - started)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(database: str, args: argparse.Namespace) -> dict[str, Any]:
    reused: Path | None = args.reuse
    workdir = reused or Path(tempfile.mkdtemp(prefix=f"rankfile-pages-{database}-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RANKFILE_", "DJANGO_"))}
    env["RANKFILE_DATA_DIR"] = str(workdir)
    # The demo makes some forty keys: Argon2id at the least an operator may set (sign-in is not what is measured).
    env.update({"RANKFILE_VAULT_ARGON2_OPSLIMIT": "1", "RANKFILE_VAULT_ARGON2_MEMLIMIT_MB": "1"})
    scratch = None
    if database == "postgresql":
        env["RANKFILE_DATABASE_URL"] = args.postgres_url
        # Served as docs/deployment.md configures PostgreSQL: each worker keeps its connection between requests.
        env["RANKFILE_DATABASE_CONN_MAX_AGE"] = "60"
    if database == "postgresql" and reused is None:
        scratch = scratch_database_name(args.postgres_url)
        postgres_admin(args.postgres_url, f'DROP DATABASE IF EXISTS "{scratch}"')
        postgres_admin(args.postgres_url, f'CREATE DATABASE "{scratch}"')
    server = None
    try:
        plan_file = workdir / "pages.json"
        generated_s = None
        if reused is None:
            say(f"{database}: generating the organization at scale {args.scale}")
            started = time.perf_counter()
            subprocess.run(  # noqa: S603 (this interpreter, this project's module)
                [sys.executable, "-m", "bench.dataset", "--scale", str(args.scale), "--sessions", str(plan_file)],
                env=env,
                check=True,
            )
            generated_s = time.perf_counter() - started
        else:
            say(f"{database}: serving the organization generated in {reused}")
        plan = json.loads(plan_file.read_text(encoding="utf-8"))
        server = Server(env)
        say(f"{database}: serving with {server.workers} workers on port {server.port}")

        def cookie_of(role: str) -> str:
            return "; ".join(f"{k}={v}" for k, v in plan["cookies"].get(role, {}).items())

        def health() -> dict[str, Any]:
            times, client = latencies(server.port, "/api/health", "", args.requests)
            rate = throughput(server.port, "/api/health", "", server.workers, args.seconds)
            return {"times": times, "client": client, "rate": rate}

        before = health()
        pages = []
        for name, role, path in plan["pages"]:
            say(f"{database}: {name}")
            cookie = cookie_of(role)
            times, client = latencies(server.port, path, cookie, args.requests)
            rate = throughput(server.port, path, cookie, server.workers, args.seconds)
            pages.append({"name": name, "times": times, "client": client, "rate": rate})
        after = health()
        return {
            "database": database,
            "counts": plan["counts"],
            "generated_s": generated_s,
            "workers": server.workers,
            "health": {
                "times": before["times"] + after["times"],
                "client": before["client"] + after["client"],
                "rate": (before["rate"] + after["rate"]) / 2,
            },
            "pages": pages,
        }
    finally:
        if server is not None:
            server.stop()
        if scratch is not None:
            postgres_admin(args.postgres_url, f'DROP DATABASE IF EXISTS "{scratch}"')
        if reused is None:
            shutil.rmtree(workdir, ignore_errors=True)


LAYOUT_FLOOR = "the layout alone: API tokens page (member)"  # bench/dataset.py's lightest signed-in page


def rows_of(result: dict[str, Any]) -> list[list[str]]:
    """A row for health and for each page: its times, its rate, the rate's share of health's and of the lightest
    signed-in page's (the layout alone: what any page drawn for a signed-in person costs at least), and each target
    met or not on its own."""
    health_rate = result["health"]["rate"]
    floor_rate = next((page["rate"] for page in result["pages"] if page["name"] == LAYOUT_FLOOR), None)
    rows = []
    for page in [{"name": "GET /api/health (baseline)", **result["health"]}, *result["pages"]]:
        times = page["times"]
        baseline = page["name"].startswith("GET /api/health")
        p95 = percentile(times, 0.95)
        share = page["rate"] / health_rate
        rows.append(
            [
                result["database"],
                page["name"],
                f"{statistics.median(times):.1f} ms",
                f"{p95:.1f} ms",
                f"{percentile(times, 0.99):.1f} ms",
                f"{percentile(page['client'], 0.95):.1f} ms",
                f"{page['rate']:,.0f}/s",
                "-" if baseline else f"{share:.0%}",
                "-" if baseline or floor_rate is None else f"{page['rate'] / floor_rate:.0%}",
                "-" if baseline else met_text(p95 <= P95_TARGET_MS),
                "-" if baseline else met_text(share >= THROUGHPUT_TARGET),
            ]
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="of bench/dataset.py's sizes (default %(default)s)")
    parser.add_argument("--databases", default="sqlite", help="sqlite, postgresql or both (default %(default)s)")
    parser.add_argument("--postgres-url", default=os.environ.get("RANKFILE_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    parser.add_argument("--requests", type=int, default=100, help="timed GETs of each page, one after another")
    parser.add_argument("--seconds", type=float, default=5.0, help="of concurrent GETs of each page, for its rate")
    parser.add_argument(
        "--reuse",
        type=Path,
        metavar="DIR",
        help="serve the organization generated before in this data directory (and --postgres-url's database)",
    )
    args = parser.parse_args(argv)
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(databases) - set(DATABASES)
    if unknown:
        parser.error(f"unknown databases: {', '.join(sorted(unknown))}")
    if args.reuse is not None and len(databases) != 1:
        parser.error("--reuse serves one database: give --databases sqlite or --databases postgresql")
    if args.reuse is not None and not (args.reuse / "pages.json").is_file():
        parser.error(f"--reuse: {args.reuse / 'pages.json'} is missing (bench.dataset --sessions writes it)")
    load_before = os.getloadavg()[0]
    results = [measure(database, args) for database in databases]
    load_after = os.getloadavg()[0]
    header = ["database", "page", "p50", "p95", "p99", "p95 seen by the client", "requests/s", "of health's"]
    header += [
        "of the layout's",
        f"p95 <= {P95_TARGET_MS:.0f} ms?",
        f"rate >= {THROUGHPUT_TARGET:.0%} of health's?",
    ]
    print(render_table(header, [row for result in results for row in rows_of(result)]))
    for result in results:
        counts = ", ".join(f"{number:,} {name}" for name, number in result["counts"].items())
        made = (
            f"scale {args.scale} ({counts}); generated in {result['generated_s']:.0f} s"
            if result["generated_s"] is not None
            else f"the organization of {args.reuse} ({counts})"
        )
        print(f"\n{result['database']}: {made}; {result['workers']} workers")
    # The machine is shared: how busy it was says how far the figures are its own.
    print(
        f"load average (1 minute) at the start: {load_before:.1f}, at the end: {load_after:.1f}; {os.cpu_count()} CPUs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
