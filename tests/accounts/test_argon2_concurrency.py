"""A burst of sign-ins queues for Argon2: at most RANKFILE_ARGON2_CONCURRENCY derivations (password checks and vault
keys alike) run at once in a process."""

import threading

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.test import override_settings

from rankfile import derivations
from rankfile.vault import crypto


def burst(work, count: int) -> None:
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run() -> None:
        start.wait()
        try:
            work()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.parametrize("limit", [1, 2])
def test_at_most_the_configured_number_of_argon2_derivations_run_at_once(limit):
    encoded = make_password("a long and careful passphrase 42")
    cost = crypto.Argon2Cost(opslimit=1, memlimit=8 * 1024 * 1024)

    def sign_in_work() -> None:
        assert check_password("a long and careful passphrase 42", encoded)
        crypto.stretch(b"a receipt code", salt=b"s" * crypto.SALT_BYTES, cost=cost)

    with override_settings(ARGON2_CONCURRENCY=limit):
        gate = derivations.gate()
        gate.peak = 0
        burst(sign_in_work, 8)
        assert gate.running == 0
        assert gate.peak == limit


def test_without_a_setting_there_is_one_slot_per_cpu():
    with override_settings(ARGON2_CONCURRENCY=0):
        assert derivations.gate().size == derivations.concurrency() >= 1
