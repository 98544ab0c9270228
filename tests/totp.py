"""Authenticator-app codes for tests, computed with ``cryptography``'s RFC 6238 TOTP (SHA-1, as the apps use)."""

import time
from base64 import b32decode

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP


def totp_code(secret_b32: str, *, at: float | None = None) -> str:
    secret = b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    return TOTP(secret, 6, SHA1(), 30, enforce_key_length=False).generate(time.time() if at is None else at).decode()
