"""Two processes append at once: the sequence stays gapless and without duplicates (SQLite and PostgreSQL)."""

import itertools
import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from rankfile.ledger import queries, verification
from rankfile.ledger.models import Entry

pytestmark = pytest.mark.django_db(transaction=True)

APPENDS_PER_PROCESS = 60

CHILD = """
import sys, time
import django
django.setup()
from django.db import transaction
from rankfile.ledger import actions as ledger, schema
action = schema.define("test.concurrent_append", fields={"n": schema.COUNT, "process": schema.COUNT})
start_at, process = float(sys.argv[1]), int(sys.argv[2])
time.sleep(max(0.0, start_at - time.time()))
for n in range(int(sys.argv[3])):
    with transaction.atomic():
        ledger.record(actor=ledger.SYSTEM, action=action, subject=None, data={"n": n, "process": process})
    time.sleep(0.002)  # like requests, not a tight loop: lets the other writer in between
"""


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    )


def test_two_processes_appending_at_once_leave_no_gap_and_no_duplicate():
    env = {**os.environ, "RANKFILE_DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "rankfile.settings"}
    start_at = time.time() + 10.0  # time for both children to start Django, even on a busy machine
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(start_at), str(process), str(APPENDS_PER_PROCESS)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for process in (1, 2)
    ]
    for child in children:
        _, errors = child.communicate(timeout=180)
        assert child.returncode == 0, errors

    seqs = list(Entry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 2 * APPENDS_PER_PROCESS + 1))
    processes = [e.data for e in Entry.objects.order_by("seq")]
    # The two writers really did interleave (otherwise this proves nothing about concurrency).
    switches = sum(1 for a, b in itertools.pairwise(processes) if a.split('"process":')[1] != b.split('"process":')[1])
    assert switches > 1
    result, _ = verification.verify_all(verifier=queries.ledger_key()[0].verifier)
    assert result.ok, result.problems
