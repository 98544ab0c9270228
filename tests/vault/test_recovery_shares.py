"""The recovery key in shares: t-1 trustees recover nothing, t recover exactly what was asked."""

import pyshamir
import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from rankfile.errors import NotAllowed
from rankfile.vault import crypto, documents, keys, recovery
from rankfile.vault.errors import VaultError
from rankfile.vault.models import Keypair, RecoveryApproval, WrappedKey
from tests.vault.helpers import LedgeredRead, key_for

pytestmark = pytest.mark.django_db


def people(count: int, prefix: str = "trustee") -> list[keys.UnlockedKey]:
    users = get_user_model().objects
    return [key_for(users.create_user(email=f"{prefix}{n}@example.org", password=None)) for n in range(count)]


def test_the_private_recovery_key_is_never_stored_whole():
    trustees = people(3)
    recovery_key = recovery.recovery_key_create(trustees=[t.keypair for t in trustees], threshold=2)
    row = Keypair.objects.get(pk=recovery_key.keypair.pk)
    assert bytes(row.wrapped_private) == b""
    shares = [
        crypto.unseal(t.private, bytes(s.sealed_share))
        for t, s in zip(trustees, recovery_key.shares.order_by("pk"), strict=True)
    ]
    combined = crypto.PrivateKey(bytes(pyshamir.combine([bytearray(s) for s in shares[:2]])))
    assert bytes(combined.public_key) == bytes(row.public_key)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(min_value=2, max_value=7), data=st.data())
def test_property_fewer_than_t_shares_never_give_the_key_and_any_t_do(n, data):
    t = data.draw(st.integers(min_value=2, max_value=n))
    secret = bytes(crypto.new_keypair())
    shares = pyshamir.split(secret, n, t)
    chosen = data.draw(st.permutations(range(n)))
    assert bytes(pyshamir.combine([shares[i] for i in chosen[:t]])) == secret
    fewer = [shares[i] for i in chosen[: t - 1]]
    if len(fewer) < 2:
        with pytest.raises(ValueError, match="Not enough parts"):
            pyshamir.combine(fewer)
    else:
        assert bytes(pyshamir.combine(fewer)) != secret


def test_restoring_access_needs_t_approvals_and_gives_back_exactly_what_the_old_key_could_read():
    trustees = people(4)
    recovery.recovery_key_create(trustees=[t.keypair for t in trustees], threshold=3)
    [survivor, other] = people(2, prefix="person")
    mine = documents.seal(kind="narrative", content="my report", readers=[survivor.keypair])
    theirs = documents.seal(kind="narrative", content="not mine", readers=[other.keypair])
    fresh = keys.person_key_create(user=survivor.keypair.user, password="after the reset, a new passphrase")
    survivor.keypair.refresh_from_db()
    request = recovery.recovery_request(
        purpose="restore_access", versions=recovery.versions_readable_by([survivor.keypair]), targets=[fresh.keypair]
    )
    assert recovery.recovery_approve(recovery=request, trustee=trustees[0]) is False
    assert recovery.recovery_approve(recovery=request, trustee=trustees[1]) is False
    with pytest.raises(NotAllowed):  # t-1 approvals: nothing yet
        documents.open_text(mine, key=fresh, purpose=LedgeredRead())
    assert recovery.recovery_approve(recovery=request, trustee=trustees[2]) is True
    assert documents.open_text(mine, key=fresh, purpose=LedgeredRead()) == "my report"
    with pytest.raises(NotAllowed):
        documents.open_text(theirs, key=fresh, purpose=LedgeredRead())
    assert all(bytes(a.sealed_share) == b"" for a in RecoveryApproval.objects.all())  # shares given are erased
    request.refresh_from_db()
    assert bytes(request.request_wrapped_private) == b""
    with pytest.raises(VaultError, match="closed"):
        recovery.recovery_approve(recovery=request, trustee=trustees[3])


def test_a_trustee_approves_once_and_someone_without_a_share_not_at_all():
    trustees = people(3)
    recovery.recovery_key_create(trustees=[t.keypair for t in trustees], threshold=2)
    [reader, newcomer, stranger] = people(3, prefix="person")
    version = documents.seal(kind="narrative", content="x", readers=[reader.keypair])
    request = recovery.recovery_request(purpose="hand_over", versions=[version], targets=[newcomer.keypair])
    recovery.recovery_approve(recovery=request, trustee=trustees[0])
    with pytest.raises(VaultError, match="already"):
        recovery.recovery_approve(recovery=request, trustee=trustees[0])
    with pytest.raises(VaultError, match="no share"):
        recovery.recovery_approve(recovery=request, trustee=stranger)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "garbage",
    [bytes(range(1, 34)), bytes(32) + bytes([7]), b"\x01" * 20],
    ids=["random", "all-zero", "wrong length"],
)
def test_shares_that_do_not_combine_complete_nothing(garbage):
    trustees = people(3)
    with transaction.atomic():
        recovery_key = recovery.recovery_key_create(trustees=[t.keypair for t in trustees], threshold=2)
        [reader, newcomer] = people(2, prefix="person")
        version = documents.seal(kind="narrative", content="x", readers=[reader.keypair])
        request = recovery.recovery_request(purpose="hand_over", versions=[version], targets=[newcomer.keypair])
    # Someone with the database swaps a trustee's share for garbage sealed to that trustee.
    share = recovery_key.shares.get(trustee=trustees[1].keypair)
    share.sealed_share = crypto.seal_to(bytes(trustees[1].keypair.public_key), garbage)
    share.save()
    recovery.recovery_approve(recovery=request, trustee=trustees[0])
    with pytest.raises(VaultError, match="do not combine"):
        recovery.recovery_approve(recovery=request, trustee=trustees[1])
    with transaction.atomic(), pytest.raises(NotAllowed):
        documents.open_text(version, key=newcomer, purpose=LedgeredRead())


@pytest.mark.parametrize(("count", "threshold"), [(3, 1), (3, 4), (1, 1)])
def test_a_threshold_out_of_range_is_refused(count, threshold):
    trustees = people(count)
    with pytest.raises(VaultError):
        recovery.recovery_key_create(trustees=[t.keypair for t in trustees], threshold=threshold)


def test_material_sealed_before_the_recovery_key_existed_cannot_be_requested():
    [reader, newcomer] = people(2, prefix="person")
    early = documents.seal(kind="narrative", content="x", readers=[reader.keypair])
    recovery.recovery_key_create(trustees=[t.keypair for t in people(2)], threshold=2)
    with pytest.raises(VaultError, match="before the recovery key existed"):
        recovery.recovery_request(purpose="hand_over", versions=[early], targets=[newcomer.keypair])


def test_a_revoked_reader_does_not_get_the_material_back_through_a_restoration():
    trustees = people(2)
    recovery.recovery_key_create(trustees=[t.keypair for t in trustees], threshold=2)
    [recused] = people(1, prefix="recused")
    version = documents.seal(kind="narrative", content="case file", readers=[recused.keypair])
    fresh = keys.person_key_create(user=recused.keypair.user, password="a new passphrase after a reset")
    recused.keypair.refresh_from_db()
    request = recovery.recovery_request(
        purpose="restore_access", versions=recovery.versions_readable_by([recused.keypair]), targets=[fresh.keypair]
    )
    documents.revoke(document=version.document, reader=fresh.keypair)  # the recusal, on the current key
    assert not WrappedKey.objects.filter(keypair=recused.keypair).exists()  # the retired key lost it too
    for trustee in trustees:
        recovery.recovery_approve(recovery=request, trustee=trustee)
    with pytest.raises(NotAllowed):
        documents.open_text(version, key=fresh, purpose=LedgeredRead())


def WrappedKeyFor(keypair):
    from rankfile.vault.models import WrappedKey

    return list(WrappedKey.objects.filter(keypair=keypair))


def test_a_retired_key_cannot_approve_and_a_replaced_target_completes_nothing():
    trustees = people(2)
    recovery.recovery_key_create(trustees=[t.keypair for t in trustees], threshold=2)
    [reader, newcomer] = people(2, prefix="person")
    version = documents.seal(kind="narrative", content="x", readers=[reader.keypair])
    request = recovery.recovery_request(purpose="hand_over", versions=[version], targets=[newcomer.keypair])
    recovery.recovery_approve(recovery=request, trustee=trustees[0])
    keys.person_key_create(user=newcomer.keypair.user, password="the newcomer reset their password")
    with pytest.raises(VaultError, match="replaced since"):
        recovery.recovery_approve(recovery=request, trustee=trustees[1])
    keys.person_key_create(user=trustees[1].keypair.user, password="the trustee reset too")
    trustees[1].keypair.refresh_from_db()
    with pytest.raises(VaultError, match="current key"):
        recovery.recovery_approve(recovery=request, trustee=trustees[1])


def test_there_is_never_more_than_one_active_recovery_key():
    from django.db import IntegrityError

    from rankfile.vault.models import KeyHolder, RecoveryKey

    recovery.recovery_key_create(trustees=[t.keypair for t in people(2)], threshold=2)
    second = Keypair.objects.create(holder=KeyHolder.RECOVERY, public_key=bytes(crypto.new_keypair().public_key))
    with pytest.raises(IntegrityError), transaction.atomic():
        RecoveryKey.objects.create(keypair=second, threshold=2, share_count=2)


@pytest.mark.django_db(transaction=True)
def test_a_forged_share_with_another_trustees_x_coordinate_is_refused_cleanly():
    trustees = people(3)
    with transaction.atomic():
        recovery_key = recovery.recovery_key_create(trustees=[t.keypair for t in trustees], threshold=2)
        [reader, newcomer] = people(2, prefix="person")
        version = documents.seal(kind="narrative", content="x", readers=[reader.keypair])
        request = recovery.recovery_request(purpose="hand_over", versions=[version], targets=[newcomer.keypair])
    first = crypto.unseal(trustees[0].private, bytes(recovery_key.shares.get(trustee=trustees[0].keypair).sealed_share))
    forged = bytes(32) + first[-1:]  # the same x-coordinate as the first trustee's share
    share = recovery_key.shares.get(trustee=trustees[1].keypair)
    share.sealed_share = crypto.seal_to(bytes(trustees[1].keypair.public_key), forged)
    share.save()
    recovery.recovery_approve(recovery=request, trustee=trustees[0])
    with pytest.raises(VaultError, match="do not combine"):
        recovery.recovery_approve(recovery=request, trustee=trustees[1])
