"""Sealing and opening documents: invariants 4 to 6 at the vault's level."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rankfile.errors import NotAllowed
from rankfile.ledger.models import Entry
from rankfile.vault import documents, keys, sessions
from rankfile.vault.errors import VaultError
from rankfile.vault.models import Keypair, Version, WrappedKey
from tests.vault.helpers import TEST_READ, LedgeredRead, key_for

pytestmark = pytest.mark.django_db


def person(name: str):
    return get_user_model().objects.create_user(email=f"{name}@example.org", password=None)


@pytest.fixture
def alice():
    return key_for(person("alice"))


@pytest.fixture
def bob():
    return key_for(person("bob"))


@pytest.fixture
def carol():
    return key_for(person("carol"))


def test_invariant_4_sealed_content_is_not_stored_in_plaintext(alice):
    version = documents.seal(kind="narrative", content="SENTINEL-NARRATIVE-1", readers=[alice.keypair])
    stored = Version.objects.get(pk=version.pk)
    assert b"SENTINEL" not in bytes(stored.sealed)
    assert all(b"SENTINEL" not in bytes(w.sealed) for w in WrappedKey.objects.all())
    assert len(bytes(stored.sealed_hash)) == 32


def test_invariant_5_only_readers_can_open(alice, bob):
    version = documents.seal(kind="narrative", content="for alice", readers=[alice.keypair])
    assert documents.open_text(version, key=alice, purpose=LedgeredRead()) == "for alice"
    with pytest.raises(NotAllowed):
        documents.open_text(version, key=bob, purpose=LedgeredRead())


def test_invariant_6_every_open_is_on_the_ledger_with_its_assignment(alice):
    version = documents.seal(kind="narrative", content="read me", readers=[alice.keypair])
    documents.open_text(version, key=alice, purpose=LedgeredRead("panel-seat:7"))
    entry = Entry.objects.get(action=TEST_READ)
    assert entry.data == f'{{"assignment":"panel-seat:7","reader":{alice.keypair.pk},"version":{version.pk}}}'
    assert entry.subject_id == version.pk


def signed_in_key(key: keys.UnlockedKey) -> keys.UnlockedKey:
    """``key`` as a sign-in holds it: unlocked in a session of its own, which remembers the reads it recorded."""
    request = RequestFactory().get("/")
    request.session = SessionStore()
    sessions.session_unlock(request, HttpResponse(), key)
    return keys.UnlockedKey(keypair=key.keypair, private=key.private, sign_in=sessions.SessionReads(request.session))


def test_invariant_6_a_read_is_recorded_once_per_person_version_and_sign_in(
    alice, bob, django_capture_on_commit_callbacks
):
    first = documents.seal(kind="narrative", content="v1", readers=[alice.keypair, bob.keypair])
    alices_sign_in = signed_in_key(alice)

    def opened(version: Version, key: keys.UnlockedKey) -> int:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            documents.open_text(version, key=key, purpose=LedgeredRead())
        return Entry.objects.filter(action=TEST_READ).count()

    assert opened(first, alices_sign_in) == 1
    assert opened(first, alices_sign_in) == 1  # a reload in the same sign-in writes nothing
    second = documents.seal(kind="narrative", content="v2", readers=[alice.keypair], document=first.document)
    assert opened(second, alices_sign_in) == 2  # a new version is a new read
    assert opened(first, signed_in_key(alice)) == 3  # so is a new sign-in
    assert opened(first, signed_in_key(bob)) == 4  # and another person
    assert opened(first, alice) == 5  # a key outside a sign-in (a command, the API by token) records every time


def test_invariant_6_a_read_whose_entry_rolled_back_is_recorded_at_the_next_opening(
    alice, django_capture_on_commit_callbacks
):
    version = documents.seal(kind="narrative", content="read me", readers=[alice.keypair])
    key = signed_in_key(alice)

    def failing_page() -> None:
        with transaction.atomic():
            documents.open_text(version, key=key, purpose=LedgeredRead())
            raise RuntimeError("the page failed after the read")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_page()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        documents.open_text(version, key=key, purpose=LedgeredRead())
    assert Entry.objects.filter(action=TEST_READ).count() == 1


def test_a_sign_in_remembers_a_bounded_number_of_reads(alice):
    key = signed_in_key(alice)
    assert key.sign_in is not None
    for version_id in range(sessions.READS_REMEMBERED + 5):
        key.sign_in.remember(version_id)
    assert not key.sign_in.has_recorded(0)  # the oldest are recorded again, never the other way round
    assert key.sign_in.has_recorded(sessions.READS_REMEMBERED + 4)


def test_invariant_6_opening_without_a_purpose_is_impossible(alice):
    version = documents.seal(kind="narrative", content="read me", readers=[alice.keypair])
    with pytest.raises(TypeError):
        documents.open_text(version, key=alice)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="Purpose"):
        documents.open_text(version, key=alice, purpose=None)  # type: ignore[arg-type]


@pytest.mark.django_db(transaction=True)
def test_invariant_6_opening_outside_a_transaction_is_refused(alice):
    with transaction.atomic():
        version = documents.seal(kind="narrative", content="read me", readers=[alice.keypair])
    with pytest.raises(VaultError, match="transaction"):
        documents.open_text(version, key=alice, purpose=LedgeredRead())
    assert not Entry.objects.filter(action=TEST_READ).exists()


def test_a_failed_ledger_entry_returns_no_content(alice):
    class FailingRead(documents.Purpose):
        def record_open(self, *, version: Version, reader: Keypair) -> None:
            raise RuntimeError("the ledger is unavailable")

    version = documents.seal(kind="narrative", content="secret", readers=[alice.keypair])
    with pytest.raises(RuntimeError):
        documents.open_text(version, key=alice, purpose=FailingRead())


def test_a_new_version_goes_to_the_readers_named_for_it_under_a_new_key(alice, bob):
    first = documents.seal(kind="statement", content="v1", readers=[alice.keypair, bob.keypair])
    second = documents.seal(kind="statement", content="v2", readers=[alice.keypair], document=first.document)
    assert second.number == 2
    assert documents.open_text(first, key=bob, purpose=LedgeredRead()) == "v1"
    with pytest.raises(NotAllowed):
        documents.open_text(second, key=bob, purpose=LedgeredRead())
    assert {k.pk for k in documents.readers_of(second)} == {alice.keypair.pk}


def test_the_latest_versions_a_reader_reads_come_with_their_key_and_open_without_another_question(alice, bob):
    shared = documents.seal(kind="statement", content="v1", readers=[alice.keypair, bob.keypair])
    latest = documents.seal(
        kind="statement", content="v2", readers=[alice.keypair, bob.keypair], document=shared.document
    )
    moved_on = documents.seal(kind="statement", content="old", readers=[alice.keypair, bob.keypair])
    documents.seal(kind="statement", content="new", readers=[alice.keypair], document=moved_on.document)
    ids = [shared.document_id, moved_on.document_id]
    # Bob read the first version of the second document, not its latest: it is not his to open.
    found = documents.latest_for_reader(ids, bob)
    assert {document: version.pk for document, version in found.items()} == {shared.document_id: latest.pk}
    with CaptureQueriesContext(connection) as captured:
        assert documents.open_text(found[shared.document_id], key=bob, purpose=LedgeredRead()) == "v2"
    assert not [q for q in captured.captured_queries if "vault_wrappedkey" in q["sql"]]
    # The key it came with is Bob's: anyone else's opening asks for their own, and Carol has none.
    with pytest.raises(NotAllowed):
        documents.open_text(found[shared.document_id], key=key_for(person("carol")), purpose=LedgeredRead())


def test_revoking_removes_every_wrapped_key_and_the_next_write_leaves_the_reader_out(alice, bob):
    first = documents.seal(kind="statement", content="v1", readers=[alice.keypair, bob.keypair])
    assert documents.revoke(document=first.document, reader=bob.keypair) == 1
    with pytest.raises(NotAllowed):
        documents.open_text(first, key=bob, purpose=LedgeredRead())
    second = documents.seal(
        kind="statement", content="v2", readers=documents.readers_of(first), document=first.document
    )
    with pytest.raises(NotAllowed):
        documents.open_text(second, key=bob, purpose=LedgeredRead())
    assert documents.open_text(second, key=alice, purpose=LedgeredRead()) == "v2"


def test_a_reader_grants_another_every_version_they_can_open(alice, carol):
    first = documents.seal(kind="statement", content="v1", readers=[alice.keypair])
    documents.seal(kind="statement", content="v2", readers=[alice.keypair], document=first.document)
    assert documents.grant(document=first.document, to=carol.keypair, by=alice) == 2
    assert documents.open_text(documents.latest(first.document), key=carol, purpose=LedgeredRead()) == "v2"
    assert documents.grant(document=first.document, to=carol.keypair, by=alice) == 0


def test_someone_who_cannot_read_cannot_grant(alice, bob, carol):
    version = documents.seal(kind="statement", content="v1", readers=[alice.keypair])
    assert documents.grant(document=version.document, to=carol.keypair, by=bob) == 0
    with pytest.raises(NotAllowed):
        documents.open_text(version, key=carol, purpose=LedgeredRead())


def test_wrong_key_is_refused(alice, bob):
    version = documents.seal(kind="narrative", content="x", readers=[alice.keypair])
    impostor = keys.UnlockedKey(keypair=alice.keypair, private=bob.private)
    with pytest.raises(VaultError) as refused:
        documents.open_text(version, key=impostor, purpose=LedgeredRead())
    assert refused.value.code == "wrong_key"


def test_tampered_ciphertext_is_refused(alice):
    version = documents.seal(kind="narrative", content="do not change me", readers=[alice.keypair])
    sealed = bytearray(bytes(version.sealed))
    sealed[-1] ^= 1
    Version.objects.filter(pk=version.pk).update(sealed=bytes(sealed))
    with pytest.raises(VaultError) as refused:
        documents.open_text(Version.objects.get(pk=version.pk), key=alice, purpose=LedgeredRead())
    assert refused.value.code == "tampered"


def test_swapped_associated_data_is_refused(alice):
    """Moving one document's ciphertext (and key) under another id, kind or version number does not open."""
    one = documents.seal(kind="narrative", content="first", readers=[alice.keypair])
    two = documents.seal(kind="narrative", content="second", readers=[alice.keypair])
    Version.objects.filter(pk=two.pk).update(sealed=bytes(one.sealed))
    WrappedKey.objects.filter(version=two, keypair=alice.keypair).update(
        sealed=bytes(WrappedKey.objects.get(version=one, keypair=alice.keypair).sealed)
    )
    with pytest.raises(VaultError) as refused:
        documents.open_text(Version.objects.get(pk=two.pk), key=alice, purpose=LedgeredRead())
    assert refused.value.code == "tampered"
    note = documents.seal(kind="note", content="a note", readers=[alice.keypair])
    note.document.kind = "narrative"  # what a changed kind column would give
    with pytest.raises(VaultError):
        documents.open_text(note, key=alice, purpose=LedgeredRead())


def test_sealing_needs_a_reader_and_never_seals_to_a_retired_key(alice):
    with pytest.raises(VaultError):
        documents.seal(kind="narrative", content="x", readers=[])
    retired = alice.keypair
    keys.person_key_create(user=retired.user, password="a new password for the test")
    retired.refresh_from_db()
    with pytest.raises(VaultError):
        documents.seal(kind="narrative", content="x", readers=[retired])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=4096), readers=st.integers(min_value=1, max_value=3))
def test_property_every_reader_opens_exactly_what_was_sealed(content, readers, alice, bob, carol):
    chosen = [alice, bob, carol][:readers]
    with transaction.atomic():
        version = documents.seal(kind="evidence-text", content=content, readers=[k.keypair for k in chosen])
        for key in chosen:
            assert documents.open_bytes(version, key=key, purpose=LedgeredRead()) == content
        for key in [alice, bob, carol][readers:]:
            with pytest.raises(NotAllowed):
                documents.open_bytes(version, key=key, purpose=LedgeredRead())


@settings(max_examples=25, deadline=None)
@given(text=st.text(max_size=2000))
def test_property_text_round_trips_through_unicode(text):
    with transaction.atomic():
        owner = key_for(get_user_model().objects.create_user(email=f"p{abs(hash(text))}@example.org", password=None))
        version = documents.seal(kind="message", content=text, readers=[owner.keypair])
        assert documents.open_text(version, key=owner, purpose=LedgeredRead()) == text
        transaction.set_rollback(True)
