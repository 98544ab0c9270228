"""Holds: material kept for one person until they accept it. They are no reader of it before; releasing gives them
exactly what the hold has, with their own key only; discarding gives nothing."""

import pytest
from django.db import transaction

from rankfile.errors import NotAllowed
from rankfile.vault import documents, holds, keys
from rankfile.vault.errors import VaultError
from rankfile.vault.models import KeyHolder, WrappedKey
from tests.vault.helpers import LedgeredRead, key_for

pytestmark = pytest.mark.django_db


def read(version, key) -> str:
    with transaction.atomic():
        return documents.open_text(version, key=key, purpose=LedgeredRead())


def test_a_hold_gives_nothing_until_it_is_released(reporter, member):
    theirs, adviser = key_for(reporter), key_for(member)
    hold = holds.hold_create(for_key=adviser.keypair)
    assert hold.holder == KeyHolder.HOLD
    assert keys.person_key(member) == adviser.keypair  # the hold is nobody's key
    before = documents.seal(kind="statement", content="said before", readers=[theirs.keypair])
    documents.grant(document=before.document, to=hold, by=theirs)
    after = documents.seal(kind="statement", content="said while held", readers=[theirs.keypair, hold])
    for version in (before, after):
        with pytest.raises(NotAllowed):
            read(version, adviser)
    assert not WrappedKey.objects.filter(keypair=adviser.keypair).exists()

    assert holds.hold_release(hold=hold, key=adviser) == 2
    assert read(before, adviser) == "said before"
    assert read(after, adviser) == "said while held"
    hold.refresh_from_db()
    assert hold.retired_at is not None
    assert bytes(hold.wrapped_private) == b""
    assert not WrappedKey.objects.filter(keypair=hold).exists()
    with pytest.raises(VaultError):
        holds.hold_release(hold=hold, key=adviser)


def test_only_the_key_a_hold_was_made_for_releases_it(reporter, member, leader):
    theirs, adviser = key_for(reporter), key_for(member)
    hold = holds.hold_create(for_key=adviser.keypair)
    documents.seal(kind="statement", content="kept", readers=[theirs.keypair, hold])
    with pytest.raises(VaultError):
        holds.hold_release(hold=hold, key=key_for(leader))
    renewed = keys.person_key_create(user=member, password="a new passphrase after the reset 7")
    with pytest.raises(VaultError):
        holds.hold_release(hold=hold, key=renewed)
    assert not WrappedKey.objects.filter(keypair__in=[renewed.keypair, key_for(leader).keypair]).exists()


def test_a_discarded_hold_gives_nothing(reporter, member):
    theirs, adviser = key_for(reporter), key_for(member)
    hold = holds.hold_create(for_key=adviser.keypair)
    version = documents.seal(kind="statement", content="kept", readers=[theirs.keypair, hold])
    assert holds.hold_discard(hold=hold) == 1
    with pytest.raises(VaultError):
        holds.hold_release(hold=hold, key=adviser)
    with pytest.raises(NotAllowed):
        read(version, adviser)
    hold.refresh_from_db()
    with pytest.raises(VaultError):  # nothing new is sealed to it
        documents.seal(kind="statement", content="later", readers=[theirs.keypair, hold])
