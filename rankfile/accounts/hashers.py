"""Django's Argon2 password hasher, taking a slot of ``rankfile.derivations`` for each hash it computes (the stored
format is Django's own: every existing password keeps working)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

from rankfile.derivations import argon2_slot


class BoundedArgon2PasswordHasher(Argon2PasswordHasher):
    """Its cost from the settings (Django's by default): a password stored at another cost is hashed again at the
    next sign-in."""

    @property
    def time_cost(self) -> int:  # type: ignore[override]
        return int(settings.PASSWORD_ARGON2_TIME_COST)

    @property
    def memory_cost(self) -> int:  # type: ignore[override]
        return int(settings.PASSWORD_ARGON2_MEMORY_KIB)

    def encode(self, password: str, salt: str) -> str:
        with argon2_slot():
            return str(super().encode(password, salt))

    def verify(self, password: str, encoded: str) -> bool:
        with argon2_slot():
            return bool(super().verify(password, encoded))

    def harden_runtime(self, password: str, encoded: str) -> Any:
        with argon2_slot():
            return super().harden_runtime(password, encoded)
