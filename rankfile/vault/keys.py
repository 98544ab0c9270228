"""People's key pairs and anonymous reporters' receipt keys.

A person's private key is stored wrapped under a key stretched from their password (Argon2id). It is made when
they first set a password, re-wrapped when they change it, and replaced after a reset by email: the old key pair
stays, retired, and what it could read comes back only through recovery by trustees.

An anonymous reporter's key pair is made from a receipt code: 20 random digits shown once. Nothing stored opens it;
a keyed hash of the code (the locator) finds the key pair, and Argon2id turns the code into the private key.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from nacl.public import PrivateKey

from rankfile.vault import crypto
from rankfile.vault.errors import VaultError
from rankfile.vault.models import KeyHolder, Keypair

RECEIPT_DIGITS = 20


class SignInReads(Protocol):
    """The document versions whose read one sign-in has already put on the ledger (docs/vault.md, "Reads")."""

    def has_recorded(self, version_id: int) -> bool: ...

    def remember(self, version_id: int) -> None: ...


@dataclass(frozen=True)
class UnlockedKey:
    """A key pair with its private key, for this request only; never stored as it is. A key unlocked in a signed-in
    session carries that sign-in's reads, so each version's read is recorded once per sign-in."""

    keypair: Keypair
    private: PrivateKey
    sign_in: SignInReads | None = field(default=None, compare=False, repr=False)


def current_cost() -> crypto.Argon2Cost:
    return crypto.Argon2Cost(opslimit=settings.VAULT_ARGON2_OPSLIMIT, memlimit=settings.VAULT_ARGON2_MEMLIMIT)


def _password_bytes(password: str) -> bytes:
    if not password:
        raise VaultError("a key cannot be wrapped under an empty password", code="wrong_key")
    return password.encode("utf-8")


def _wrap_fields(private: PrivateKey, password: str) -> dict[str, Any]:
    cost = current_cost()
    salt = crypto.new_salt()
    key = crypto.stretch(_password_bytes(password), salt=salt, cost=cost)
    return {
        "wrapped_private": crypto.wrap_private(private, key=key),
        "salt": salt,
        "opslimit": cost.opslimit,
        "memlimit": cost.memlimit,
    }


def person_key(user: Any) -> Keypair | None:
    """The person's current key pair, if they have one."""
    return Keypair.objects.filter(holder=KeyHolder.PERSON, user=user, retired_at__isnull=True).first()


@transaction.atomic
def person_key_create(*, user: Any, password: str) -> UnlockedKey:
    """A new key pair for someone setting a password; retires the one they had (after a reset)."""
    Keypair.objects.filter(holder=KeyHolder.PERSON, user=user, retired_at__isnull=True).update(
        retired_at=timezone.now()
    )
    private = crypto.new_keypair()
    keypair = Keypair.objects.create(
        holder=KeyHolder.PERSON, user=user, public_key=bytes(private.public_key), **_wrap_fields(private, password)
    )
    return UnlockedKey(keypair=keypair, private=private)


def person_key_unlock(*, user: Any, password: str) -> UnlockedKey | None:
    """The person's private key, unwrapped with their password; None if they have no key pair yet."""
    keypair = person_key(user)
    if keypair is None:
        return None
    cost = crypto.Argon2Cost(opslimit=keypair.opslimit or 0, memlimit=keypair.memlimit or 0)
    key = crypto.stretch(_password_bytes(password), salt=bytes(keypair.salt), cost=cost)
    private = crypto.unwrap_private(bytes(keypair.wrapped_private), key=key, public=bytes(keypair.public_key))
    return UnlockedKey(keypair=keypair, private=private)


@transaction.atomic
def person_key_rewrap(*, unlocked: UnlockedKey, password: str) -> None:
    """After a password change: the same private key, wrapped under the new password."""
    keypair = Keypair.objects.select_for_update().get(pk=unlocked.keypair.pk)
    for name, value in _wrap_fields(unlocked.private, password).items():
        setattr(keypair, name, value)
    keypair.save(update_fields=["wrapped_private", "salt", "opslimit", "memlimit"])


def _locator(digits: str) -> str:
    server_key = hashlib.blake2b(settings.SECRET_KEY.encode(), person=b"rankfile-rcpt").digest()
    return hmac.new(server_key, digits.encode(), hashlib.sha256).hexdigest()


def _receipt_digits(code: str) -> str:
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) != RECEIPT_DIGITS or len(digits) != len("".join(ch for ch in code if ch.isalnum())):
        raise VaultError(f"a receipt code has {RECEIPT_DIGITS} digits", code="wrong_key")
    return digits


def receipt_format(digits: str) -> str:
    return "-".join(digits[i : i + 4] for i in range(0, len(digits), 4))


@transaction.atomic
def receipt_key_create() -> tuple[str, UnlockedKey]:
    """A receipt code (show it once) and the key pair it opens."""
    digits = "".join(secrets.choice("0123456789") for _ in range(RECEIPT_DIGITS))
    cost = current_cost()
    salt = crypto.new_salt()
    private = crypto.keypair_from_seed(crypto.stretch(digits.encode(), salt=salt, cost=cost))
    keypair = Keypair.objects.create(
        holder=KeyHolder.RECEIPT,
        public_key=bytes(private.public_key),
        salt=salt,
        opslimit=cost.opslimit,
        memlimit=cost.memlimit,
        locator=_locator(digits),
    )
    return receipt_format(digits), UnlockedKey(keypair=keypair, private=private)


def receipt_key_unlock(*, code: str) -> UnlockedKey:
    """The key pair a receipt code opens. Callers limit the rate of attempts (wrong codes are guesses)."""
    digits = _receipt_digits(code)
    keypair = Keypair.objects.filter(holder=KeyHolder.RECEIPT, locator=_locator(digits)).first()
    if keypair is None:
        raise VaultError("no report has this receipt code", code="wrong_key")
    cost = crypto.Argon2Cost(opslimit=keypair.opslimit or 0, memlimit=keypair.memlimit or 0)
    private = crypto.keypair_from_seed(crypto.stretch(digits.encode(), salt=bytes(keypair.salt), cost=cost))
    if bytes(private.public_key) != bytes(keypair.public_key):
        raise VaultError("no report has this receipt code", code="wrong_key")
    return UnlockedKey(keypair=keypair, private=private)
