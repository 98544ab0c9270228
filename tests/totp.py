"""Authenticator-app codes for tests, computed with ``cryptography``'s RFC 6238 TOTP (SHA-1, as the apps use)."""

import time
from base64 import b32decode

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP


def totp_code(secret_b32: str, *, at: float | None = None) -> str:
    secret = b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    return TOTP(secret, 6, SHA1(), 30, enforce_key_length=False).generate(time.time() if at is None else at).decode()


def fresh_code(secret_b32: str, *, used: str) -> str:
    """The current code, once it differs from one already used (allauth refuses a code twice)."""
    deadline = time.time() + 35
    while time.time() < deadline:
        code = totp_code(secret_b32)
        if code != used:
            return code
        time.sleep(0.5)
    raise AssertionError("the authenticator code did not change within a period")


def wait_for_the_start_of_a_period(*, margin: float = 20.0) -> None:
    """Sleep until at least ``margin`` seconds of the current 30-second period remain."""
    remaining = 30 - time.time() % 30
    if remaining < margin:
        time.sleep(remaining + 0.1)


_entered: dict[str, str] = {}  # the last code this process entered for each secret


def code_to_enter(secret_b32: str, *, margin: float = 4.0) -> str:
    """A code to type into a sign-in form now: from a period with at least ``margin`` seconds left (a busy machine
    may take that long to submit it), and never one entered before for this secret (allauth refuses a code twice)."""
    wait_for_the_start_of_a_period(margin=margin)
    code = fresh_code(secret_b32, used=_entered.get(secret_b32, ""))
    if 30 - time.time() % 30 < margin:  # waiting for a fresh code may have used up the period
        wait_for_the_start_of_a_period(margin=margin)
        code = fresh_code(secret_b32, used=_entered.get(secret_b32, ""))
    _entered[secret_b32] = code
    return code
