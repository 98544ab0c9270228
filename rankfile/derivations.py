"""A bounded number of Argon2 derivations at once in this process (a password checked at sign-in, a vault key
stretched from a password or a receipt code).

Each one takes up to 256 MiB and most of a second of CPU: a burst of sign-ins queues here for a free slot instead of
exhausting the machine's memory. ``RANKFILE_ARGON2_CONCURRENCY`` sizes it (default: the number of CPUs).
"""

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings


class _Gate:
    """The slots, and how many are taken now and at most so far (for a test, or an operator's question)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.slots = threading.BoundedSemaphore(size)
        self.lock = threading.Lock()
        self.running = 0
        self.peak = 0


_gate: _Gate | None = None
_gate_lock = threading.Lock()


def concurrency() -> int:
    """How many derivations may run at once: the setting, or the CPUs this process may use."""
    configured = getattr(settings, "ARGON2_CONCURRENCY", None)
    if configured:
        return max(1, int(configured))
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def gate() -> _Gate:
    """The process's one gate, made at first use (after a fork each worker makes its own)."""
    global _gate
    with _gate_lock:
        if _gate is None or _gate.size != concurrency():
            _gate = _Gate(concurrency())
        return _gate


@contextmanager
def argon2_slot() -> Iterator[None]:
    """Hold one of the slots while deriving: wait for one if all are taken."""
    held = gate()
    with held.slots:
        with held.lock:
            held.running += 1
            held.peak = max(held.peak, held.running)
        try:
            yield
        finally:
            with held.lock:
                held.running -= 1
