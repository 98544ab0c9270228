"""`rankfile serve` starts twice the CPUs plus one worker processes unless told how many (`--workers`, as the demo
server's test passes it)."""

import contextlib
import os
import signal
import subprocess
import sys
import time

from rankfile.web.management.commands.serve import argon2_slots_per_worker, default_workers, usable_cpus
from tests.browser.test_demo_server import free_port


def booted_workers(extra: list[str], tmp_path, expected: int) -> tuple[str, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RANKFILE_", "DJANGO_"))}
    env["RANKFILE_DATA_DIR"] = str(tmp_path)
    command = [sys.executable, "-m", "rankfile", "serve", "--bind", f"127.0.0.1:{free_port()}", "--no-collectstatic"]
    server = subprocess.Popen(
        [*command, "--tick-every", "0", "--no-access-log", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    workers: list[int] = []
    try:
        first = server.stdout.readline()
        deadline = time.monotonic() + 60
        while len(workers) < expected and time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line:
                break
            if "Booting worker with pid:" in line:
                workers.append(int(line.rsplit(":", 1)[1]))
        return first, len(workers)
    finally:
        # Killed, not stopped: a worker still loading the application would make a graceful stop wait for it.
        for pid in [server.pid, *workers]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        server.wait(timeout=30)


def test_serve_starts_twice_the_cpus_plus_one_workers_by_default(tmp_path):
    expected = 2 * usable_cpus() + 1
    assert default_workers() == expected
    first, booted = booted_workers([], tmp_path, expected)
    assert f"with {expected} worker processes" in first
    assert booted == expected


def test_the_machine_runs_about_one_argon2_derivation_per_cpu_whatever_the_workers():
    assert argon2_slots_per_worker(1) == usable_cpus()
    assert argon2_slots_per_worker(default_workers()) == 1


def test_the_server_opens_no_control_socket():
    from rankfile.web.management.commands.serve import RankfileServer, server_settings

    options = {"bind": "127.0.0.1:0", "workers": 1, "access_log": False}
    assert RankfileServer(server_settings(options)).cfg.control_socket_disable is True
