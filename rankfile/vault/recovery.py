"""Recovery by trustees: the organization's recovery key, split t of n with Shamir's scheme (pyshamir).

The recovery key's public half is a reader of every version sealed after it was made. Its private half is never
stored whole: ``recovery_key_create`` splits it at once and seals each share to one trustee's public key.

Using it takes a ``Recovery`` request (restore a person's access after a password reset, or hand material to new
readers when every reader is gone) and ``threshold`` trustees approving it, each in their own session: an approval
opens the trustee's share and seals it to the request's own key pair, whose private half is wrapped under a key
derived from the server's secret key, which is not in the database. With the last approval needed the shares are
combined in memory, the data keys of the request's versions are sealed to its targets, and every share given is
erased.
"""

import hashlib
from collections.abc import Sequence

import pyshamir
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from nacl.public import PrivateKey

from rankfile.vault import crypto
from rankfile.vault.errors import VaultError
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import (
    KeyHolder,
    Keypair,
    Recovery,
    RecoveryApproval,
    RecoveryKey,
    RecoveryPurpose,
    RecoveryShare,
    Version,
    WrappedKey,
)

MIN_THRESHOLD = 2


def active_recovery_key() -> RecoveryKey | None:
    return RecoveryKey.objects.filter(replaced_at__isnull=True).select_related("keypair").first()


@transaction.atomic
def recovery_key_create(*, trustees: Sequence[Keypair], threshold: int) -> RecoveryKey:
    """Make the recovery key and give each trustee a sealed share; any ``threshold`` of them can use it."""
    if active_recovery_key() is not None:
        raise VaultError("the organization already has a recovery key", code="recovery")
    distinct = {t.pk: t for t in trustees}
    if len(distinct) != len(trustees):
        raise VaultError("each trustee can hold one share only", code="recovery")
    if any(t.holder != KeyHolder.PERSON or t.retired_at is not None for t in trustees):
        raise VaultError("trustees are people with a current key", code="recovery")
    if not MIN_THRESHOLD <= threshold <= len(trustees):
        raise VaultError(
            f"choose at least {MIN_THRESHOLD} trustees needed, and no more than there are trustees ({len(trustees)})",
            code="recovery",
        )
    if len(trustees) > 255:
        raise VaultError("at most 255 trustees", code="recovery")
    private = crypto.new_keypair()
    keypair = Keypair.objects.create(holder=KeyHolder.RECOVERY, public_key=bytes(private.public_key))
    recovery_key = RecoveryKey.objects.create(keypair=keypair, threshold=threshold, share_count=len(trustees))
    shares = pyshamir.split(bytes(private), len(trustees), threshold)
    RecoveryShare.objects.bulk_create(
        RecoveryShare(
            recovery_key=recovery_key, trustee=trustee, sealed_share=crypto.seal_to(bytes(trustee.public_key), share)
        )
        for trustee, share in zip(trustees, shares, strict=True)
    )
    return recovery_key


def _server_key() -> bytes:
    return hashlib.blake2b(settings.SECRET_KEY.encode(), person=b"rankfile-recov").digest()[:32]


@transaction.atomic
def recovery_request(*, purpose: str, versions: Sequence[Version], targets: Sequence[Keypair]) -> Recovery:
    """Ask the trustees to give ``targets`` the versions' data keys."""
    recovery_key = active_recovery_key()
    if recovery_key is None:
        raise VaultError("the organization has no recovery key; trustees must set one up first", code="no_recovery_key")
    if purpose not in RecoveryPurpose.values:
        raise VaultError(f"unknown recovery purpose {purpose!r}", code="recovery")
    if not targets or any(t.holder == KeyHolder.RECOVERY or t.retired_at is not None for t in targets):
        raise VaultError("recovery gives material to people or receipts with a current key", code="recovery")
    covered = set(
        WrappedKey.objects.filter(version__in=versions, keypair=recovery_key.keypair).values_list("version", flat=True)
    )
    missing = [v for v in versions if v.pk not in covered]
    if missing:
        raise VaultError(
            f"{len(missing)} version(s) were sealed before the recovery key existed and cannot be recovered",
            code="recovery",
        )
    ephemeral = crypto.new_keypair()
    recovery = Recovery.objects.create(
        recovery_key=recovery_key,
        purpose=purpose,
        request_public=bytes(ephemeral.public_key),
        request_wrapped_private=crypto.wrap_private(ephemeral, key=_server_key()),
    )
    recovery.versions.set(versions)
    recovery.targets.set(targets)
    return recovery


def _open_request(recovery: Recovery) -> None:
    if recovery.completed_at is not None or recovery.cancelled_at is not None:
        raise VaultError("this recovery request is closed", code="recovery")


@transaction.atomic
def recovery_approve(*, recovery: Recovery, trustee: UnlockedKey) -> bool:
    """One trustee's approval; True once the recovery is complete (this approval was the last one needed)."""
    recovery = Recovery.objects.select_for_update().get(pk=recovery.pk)
    _open_request(recovery)
    share = RecoveryShare.objects.filter(recovery_key=recovery.recovery_key, trustee=trustee.keypair).first()
    if share is None:
        raise VaultError("you hold no share of this recovery key", code="recovery")
    if recovery.approvals.filter(trustee=trustee.keypair).exists():
        raise VaultError("you have already approved this request", code="recovery")
    if trustee.keypair.retired_at is not None or trustee.keypair.holder != KeyHolder.PERSON:
        raise VaultError("approve with your current key", code="recovery")
    if recovery.targets.filter(user__isnull=False, user=trustee.keypair.user).exists():
        raise VaultError("nobody can approve a recovery for themselves", code="recovery")
    plain_share = crypto.unseal(trustee.private, bytes(share.sealed_share))
    RecoveryApproval.objects.create(
        recovery=recovery,
        trustee=trustee.keypair,
        sealed_share=crypto.seal_to(bytes(recovery.request_public), plain_share),
    )
    if recovery.approvals.count() < recovery.recovery_key.threshold:
        return False
    _complete(recovery)
    return True


def _complete(recovery: Recovery) -> None:
    ephemeral = crypto.unwrap_private(
        bytes(recovery.request_wrapped_private), key=_server_key(), public=bytes(recovery.request_public)
    )
    shares = [bytearray(crypto.unseal(ephemeral, bytes(a.sealed_share))) for a in recovery.approvals.all()]
    try:
        private = PrivateKey(bytes(pyshamir.combine(shares)))
    except ValueError:  # shares of different lengths, or two with the same x-coordinate: not shares of this key
        raise VaultError("the shares do not combine into the recovery key", code="recovery") from None
    if bytes(private.public_key) != bytes(recovery.recovery_key.keypair.public_key):
        raise VaultError("the shares do not combine into the recovery key", code="recovery")
    unlocked = UnlockedKey(keypair=recovery.recovery_key.keypair, private=private)
    targets = list(recovery.targets.all())
    if any(target.retired_at is not None for target in targets):
        raise VaultError(
            "a key this recovery was for has been replaced since; ask again for the new key", code="recovery"
        )
    wraps = WrappedKey.objects.filter(version__in=recovery.versions.all(), keypair=unlocked.keypair)
    for wrapped in wraps:
        data_key = crypto.unseal(unlocked.private, bytes(wrapped.sealed))
        for target in targets:
            WrappedKey.objects.get_or_create(
                version_id=wrapped.version_id,
                keypair=target,
                defaults={"sealed": crypto.seal_to(bytes(target.public_key), data_key)},
            )
    recovery.approvals.update(sealed_share=b"")
    recovery.request_wrapped_private = b""
    recovery.completed_at = timezone.now()
    recovery.save(update_fields=["request_wrapped_private", "completed_at"])


@transaction.atomic
def recovery_cancel(*, recovery: Recovery) -> None:
    recovery = Recovery.objects.select_for_update().get(pk=recovery.pk)
    _open_request(recovery)
    recovery.approvals.update(sealed_share=b"")
    recovery.request_wrapped_private = b""
    recovery.cancelled_at = timezone.now()
    recovery.save(update_fields=["request_wrapped_private", "cancelled_at"])


def versions_readable_by(keypairs: Sequence[Keypair]) -> list[Version]:
    """What the given (retired) key pairs could open: what a restoration after a password reset gives back."""
    return list(Version.objects.filter(wrapped_keys__keypair__in=keypairs).distinct().order_by("pk"))
