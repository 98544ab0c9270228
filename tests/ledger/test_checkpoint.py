import pytest
from django.core import mail
from django.db import transaction

from rankfile.ledger import actions as ledger
from rankfile.ledger import merkle, queries, schema, signing
from rankfile.ledger.models import Checkpoint
from tests.ledger.helpers import append, execute, rehash_everything, triggers_dropped

pytestmark = pytest.mark.django_db(transaction=True)


def test_checkpoint_signs_the_tree_head_as_a_c2sp_signed_note(settings):
    entries = append(7)
    checkpoint = ledger.checkpoint_create()
    key, _ = queries.ledger_key()
    origin, size, _root_b64, blank, signature_line, end = checkpoint.note.split("\n")
    assert (origin, size, blank, end) == (settings.LEDGER_ORIGIN, "7", "", "")
    assert signature_line.startswith(f"\u2014 {settings.LEDGER_ORIGIN} ")
    head = signing.open_note(checkpoint.note, verifier=key.verifier)
    assert head.size == 7
    assert head.root == merkle.root([bytes(e.leaf_hash) for e in entries]) == bytes(checkpoint.root)


def test_no_new_entries_means_no_new_checkpoint():
    append(3)
    first = ledger.checkpoint_create()
    assert ledger.checkpoint_create().pk == first.pk
    append(1)
    assert ledger.checkpoint_create().size == 4
    assert Checkpoint.objects.count() == 2


def test_checkpoint_is_sent_to_every_witness(settings):
    settings.LEDGER_WITNESSES = ["witness-one@example.net", "witness-two@example.net"]
    append(2)
    checkpoint = ledger.checkpoint_create()
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == settings.LEDGER_WITNESSES
    assert checkpoint.note in mail.outbox[0].body
    assert queries.ledger_key()[0].verifier in mail.outbox[0].body


def test_never_signs_a_head_inconsistent_with_the_last_checkpoint():
    append(5)
    ledger.checkpoint_create()
    append(3, start=5)
    with triggers_dropped():
        execute("UPDATE ledger_entry SET data = %s WHERE seq = 2", ['{"n":42}'])
        rehash_everything()  # keeps the forged leaf of entry 2, and builds the nodes over it
    with pytest.raises(ledger.LedgerInconsistent, match="refusing to sign"):
        ledger.checkpoint_create()
    assert Checkpoint.objects.count() == 1


def test_decision_type_actions_are_checkpointed_when_they_commit():
    decided = schema.define("test.decision_made", label="A test decision was made", fields={}, checkpoint_after=True)
    append(2)
    with transaction.atomic():
        ledger.record(actor=ledger.SYSTEM, action=decided, subject=None, data={})
        assert Checkpoint.objects.count() == 0
    latest = queries.latest_checkpoint()
    assert latest is not None
    assert latest.size == 3


def test_a_tampered_note_is_detected_with_a_reason():
    append(2)
    checkpoint = ledger.checkpoint_create()
    verifier = queries.ledger_key()[0].verifier
    altered = checkpoint.note.replace("\n2\n", "\n3\n", 1)
    with pytest.raises(signing.CheckpointError, match="does not verify"):
        signing.open_note(altered, verifier=verifier)
    other = signing.LedgerKey.generate("someone.else/rankfile")
    with pytest.raises(signing.CheckpointError, match="no signature by"):
        signing.open_note(checkpoint.note, verifier=other.verifier)
    with pytest.raises(signing.CheckpointError, match="not a signed note"):
        signing.open_note("just text", verifier=verifier)


def test_ledger_key_round_trips_and_is_private(tmp_path):
    key, created = signing.load_or_create_key(path=tmp_path / "key", name="org.example/rankfile")
    again, created_again = signing.load_or_create_key(path=tmp_path / "key", name="org.example/rankfile")
    assert created
    assert not created_again
    assert again.verifier == key.verifier
    assert (tmp_path / "key").stat().st_mode & 0o777 == 0o600
    with pytest.raises(signing.CheckpointError, match="RANKFILE_LEDGER_ORIGIN"):
        signing.load_or_create_key(path=tmp_path / "key", name="renamed/rankfile")


@pytest.mark.parametrize(
    ("verifier", "message"),
    [
        ("no-plus-signs", "name\\+hash\\+key"),
        ("org.example/rankfile+00000000+!!notbase64!!", "not valid base64"),
        ("org.example/rankfile+00000000+AAAA", "not an Ed25519 key"),
    ],
)
def test_malformed_verifier_keys_are_explained(verifier, message):
    with pytest.raises(signing.CheckpointError, match=message):
        signing.parse_verifier(verifier)


def test_verifier_with_a_wrong_hash_is_refused():
    key = signing.LedgerKey.generate("org.example/rankfile")
    name, hash_hex, public = key.verifier.split("+", 2)
    with pytest.raises(signing.CheckpointError, match="hash does not match"):
        signing.parse_verifier(f"{name}+{'0' * 8 if hash_hex != '0' * 8 else '1' * 8}+{public}")
