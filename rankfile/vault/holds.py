"""Material held for someone until they accept it (a party's adviser, named but not yet agreed to advise).

A hold is a key pair of its own and a reader like any other: what is sealed for the person while the hold lasts is
sealed to it, so nothing has to be given again later. Its private key is sealed to the person's public key, and
nothing opens it until they accept: ``hold_release`` then seals each data key the hold has to the person's own key
and empties the hold. ``hold_discard`` empties it without giving anything (a decline, a removal). Until then the
person is no reader of anything: their own key has no wrapped key of the material.
"""

from django.db import transaction
from django.utils import timezone
from nacl.public import PrivateKey

from rankfile.vault import crypto
from rankfile.vault.errors import VaultError
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import KeyHolder, Keypair, WrappedKey


@transaction.atomic
def hold_create(*, for_key: Keypair) -> Keypair:
    """A new hold for the person whose current key is ``for_key``."""
    if for_key.holder != KeyHolder.PERSON or for_key.retired_at is not None:
        raise VaultError("material is held only for a person with a current key", code="wrong_key")
    private = crypto.new_keypair()
    return Keypair.objects.create(
        holder=KeyHolder.HOLD,
        public_key=bytes(private.public_key),
        wrapped_private=crypto.seal_to(bytes(for_key.public_key), bytes(private)),
    )


def _open_hold(hold: Keypair) -> Keypair:
    found = Keypair.objects.select_for_update().filter(pk=hold.pk, holder=KeyHolder.HOLD).first()
    if found is None or found.retired_at is not None:
        raise VaultError("this hold is over", code="hold")
    return found


def _empty(hold: Keypair) -> int:
    deleted, _ = WrappedKey.objects.filter(keypair=hold).delete()
    hold.wrapped_private = b""
    hold.retired_at = timezone.now()
    hold.save(update_fields=["wrapped_private", "retired_at"])
    return deleted


@transaction.atomic
def hold_release(*, hold: Keypair, key: UnlockedKey) -> int:
    """Give the person everything the hold has, sealed to ``key`` (theirs, unlocked); returns how many versions.
    The hold is emptied. A key that is not the one the hold was made for (a password reset since) opens nothing."""
    hold = _open_hold(hold)
    if key.keypair.holder != KeyHolder.PERSON or key.keypair.retired_at is not None:
        raise VaultError("material is released to a person's current key", code="wrong_key")
    private = PrivateKey(crypto.unseal(key.private, bytes(hold.wrapped_private)))
    if bytes(private.public_key) != bytes(hold.public_key):
        raise VaultError("the hold's private key does not belong to it", code="tampered")
    given = 0
    for wrapped in WrappedKey.objects.filter(keypair=hold):
        data_key = crypto.unseal(private, bytes(wrapped.sealed))
        _, created = WrappedKey.objects.get_or_create(
            version_id=wrapped.version_id,
            keypair=key.keypair,
            defaults={"sealed": crypto.seal_to(bytes(key.keypair.public_key), data_key)},
        )
        given += int(created)
    _empty(hold)
    return given


@transaction.atomic
def hold_discard(*, hold: Keypair) -> int:
    """End the hold without giving anything; returns how many wrapped keys it lost."""
    return _empty(_open_hold(hold))
