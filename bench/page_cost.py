"""What a page costs in-process, for a busy machine: CPU time per render (not wall time), queries and Python
function calls (the last two do not depend on the machine's load), with Django's test client and a signed-in
session of the generated organization.

    RANKFILE_DATA_DIR=/tmp/org .venv/bin/python -m bench.dataset --scale 0.1 --sessions /tmp/org/pages.json
    RANKFILE_DATA_DIR=/tmp/org .venv/bin/rankfile collectstatic --noinput
    RANKFILE_DATA_DIR=/tmp/org .venv/bin/python -m bench.page_cost [--path /] [--roles member,leader] [--renders 30]

The roles are bench/dataset.py's (member, leader, panelist, oversight, admin, reporter). Each role's page is
rendered a few times untimed, once with its queries captured, a few times under cProfile (the calls), then
``--renders`` times for the CPU time, ``--rounds`` times over; the least CPU time of the rounds is printed, the round
least disturbed by whatever else the machine runs.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import time
from collections.abc import Sequence

WARM_UP = 3
PROFILED = 5


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", default="/", help="the page (default %(default)s)")
    parser.add_argument("--roles", default="member,leader,panelist,oversight,admin,reporter")
    parser.add_argument("--renders", type=int, default=30, help="timed renders a round (default %(default)s)")
    parser.add_argument("--rounds", type=int, default=3, help="(default %(default)s)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rankfile.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    plan = json.loads((settings.DATA_DIR / "pages.json").read_text(encoding="utf-8"))
    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost"
    print(f"{'role':10} {'page':12} {'CPU per render':>15} {'wall':>10} {'queries':>8} {'calls':>9}")
    for role in args.roles.split(","):
        client = Client(HTTP_HOST=host)
        for name, value in plan["cookies"][role].items():
            client.cookies[name] = value
        for _ in range(WARM_UP):
            status = client.get(args.path).status_code
            if status != 200:
                raise SystemExit(f"{role}: GET {args.path} answered {status}")
        request_started.disconnect(reset_queries)  # else the client's request empties the log being read
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(args.path)
        queries = len(captured.captured_queries)
        request_started.connect(reset_queries)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(PROFILED):
            client.get(args.path)
        profile.disable()
        calls = pstats.Stats(profile).total_calls // PROFILED  # type: ignore[attr-defined]
        least = least_wall = float("inf")
        for _ in range(args.rounds):
            started, started_wall = time.process_time(), time.perf_counter()
            for _ in range(args.renders):
                client.get(args.path)
            least = min(least, (time.process_time() - started) / args.renders * 1000)
            least_wall = min(least_wall, (time.perf_counter() - started_wall) / args.renders * 1000)
        print(f"{role:10} {args.path:12} {least:12.1f} ms {least_wall:7.1f} ms {queries:8d} {calls:9,d}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
