"""Filing receipts: a receipt proves its entry is in the ledger since its checkpoint, and still there later, by an
inclusion proof and a consistency proof; anything altered, and the check says so. Checked from the command line
and on the public page."""

import json
import os

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from rankfile.ledger import actions as ledger
from rankfile.ledger import merkle, queries, receipts, signing
from rankfile.ledger.models import Entry
from tests.ledger.helpers import append, execute, triggers_dropped

pytestmark = pytest.mark.django_db


def receipt_of_third(count: int = 5) -> receipts.Receipt:
    append(count)
    ledger.checkpoint_create()
    receipt = receipts.issue(seq=3)
    assert receipt is not None
    return receipt


def test_a_receipt_checks_out_at_its_own_checkpoint_and_after_the_ledger_grew():
    receipt = receipt_of_third()
    assert receipt.head.size == 5
    first = receipts.check_here(receipt, witnesses=[], required=0)
    assert first.ok, first.steps
    append(40, start=5)
    ledger.checkpoint_create()
    later = receipts.check_here(receipt, witnesses=[], required=0)
    assert later.ok, later.steps
    assert later.current_size == 45
    assert later.consistency_proof  # the proof that 5 entries grew into 45 without a change


def test_a_receipt_is_against_the_first_checkpoint_that_includes_its_entry():
    append(2)
    ledger.checkpoint_create()
    append(3, start=2)
    assert receipts.issue(seq=4) is None  # no signed checkpoint includes entry 4 yet
    ledger.checkpoint_create()
    append(4, start=5)
    ledger.checkpoint_create()
    receipt = receipts.issue(seq=4)
    assert receipt is not None
    assert receipt.head.size == 5


def test_the_receipt_file_round_trips_and_holds_only_numbers_hashes_and_the_checkpoint():
    receipt = receipt_of_third()
    text = receipt.to_text()
    document = json.loads(text)
    assert set(document) == {
        "format",
        "entry",
        "leaf_hash",
        "recorded_at",
        "action",
        "checkpoint",
        "checkpoint_signed_at",
        "inclusion_proof",
        "log_key",
    }
    assert receipts.parse(text) == receipt
    assert receipts.parse(text.encode()) == receipt


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(leaf_hash="00" * 32),  # another entry
        lambda d: d.update(entry=4),  # the same hash at another place
        lambda d: d.update(inclusion_proof=list(reversed(d["inclusion_proof"]))),
    ],
)
def test_an_altered_receipt_does_not_check_out(change):
    receipt = receipt_of_third()
    document = json.loads(receipt.to_text())
    change(document)
    result = receipts.check_here(receipts.parse(json.dumps(document)), witnesses=[], required=0)
    assert not result.ok
    assert any(not passed for passed, _ in result.steps)


def test_a_checkpoint_in_the_receipt_signed_by_another_key_does_not_check_out(settings, tmp_path):
    receipt = receipt_of_third()
    other = signing.LedgerKey.generate(settings.LEDGER_ORIGIN)
    forged = signing.sign(receipt.head, other)
    document = json.loads(receipt.to_text())
    document["checkpoint"] = forged
    result = receipts.check_here(receipts.parse(json.dumps(document)), witnesses=[], required=0)
    assert not result.ok
    assert "not signed by this ledger's key" in result.steps[0][1]


def test_a_rewritten_ledger_fails_the_consistency_proof():
    """Someone with the database and the signing key rewrites entry 2 and signs the rewritten tree: the old receipt's
    checkpoint is no longer consistent with the new one."""
    receipt = receipt_of_third()
    key, _ = queries.ledger_key()
    leaves = [bytes(e.leaf_hash) for e in Entry.objects.order_by("seq")]
    leaves[1] = merkle.leaf_hash(b"a rewritten entry")
    leaves += [merkle.leaf_hash(b"more")] * 3
    rewritten = signing.sign(signing.TreeHead(origin=key.name, size=8, root=merkle.root(leaves)), key)
    proof = merkle.consistency_proof(leaves, 5)
    result = receipts.check(receipt, current_note=rewritten, verifier=key.verifier, consistency_proof=proof)
    assert not result.ok
    assert "the ledger was rewritten" in result.steps[-1][1]


def test_an_entry_changed_in_the_database_is_named():
    receipt = receipt_of_third()
    with triggers_dropped():
        execute("UPDATE ledger_entry SET leaf_hash = %s WHERE seq = 3", [b"\x01" * 32])
    result = receipts.check_here(receipt, witnesses=[], required=0)
    assert not result.ok
    assert result.steps[-1] == (False, "The entry stored as number 3 today is not the one the receipt names.")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (os.urandom(300), "not text"),
        (b"\xff\xfe garbage", "not text"),
        ("[1, 2, 3]", "not a filing receipt of this kind"),
        ('{"format": "rankfile-filing-receipt/1"}', "entry number"),
        ('{"format": "rankfile-filing-receipt/1", "entry": 1e400}', "entry number"),
        ('{"format": "rankfile-filing-receipt/1", "entry": true}', "entry number"),
        ('{"format": "rankfile-filing-receipt/1", "entry": 3, "inclusion_proof": []}', "no signed checkpoint"),
        ("[" * 100_000, "too long"),
        ("{" + '"a":' * 5000, "not the receipt's file"),
    ],
)
def test_what_is_not_a_receipt_is_named_as_such(text, words):
    with pytest.raises(receipts.ReceiptError, match=words):
        receipts.parse(text)


def test_the_command_checks_a_receipt_and_fails_an_altered_one(tmp_path, capsys):
    receipt = receipt_of_third()
    good = tmp_path / "receipt.json"
    good.write_text(receipt.to_text())
    call_command("receipt", "check", str(good))
    out = capsys.readouterr().out
    assert "OK: entry 3 is in the ledger" in out
    document = json.loads(receipt.to_text())
    document["leaf_hash"] = "ab" * 32
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="does not check out"):
        call_command("receipt", "check", str(bad))
    assert "FAIL" in capsys.readouterr().out
    noise = tmp_path / "noise.bin"
    noise.write_bytes(os.urandom(2000))
    with pytest.raises(CommandError, match="not a filing receipt"):
        call_command("receipt", "check", str(noise))


def test_the_command_checks_against_a_witness_copy_of_a_later_checkpoint(tmp_path, capsys):
    receipt = receipt_of_third()
    append(9, start=5)
    later = ledger.checkpoint_create()
    witness_copy = tmp_path / "checkpoint.txt"
    witness_copy.write_text(later.note)
    path = tmp_path / "receipt.json"
    path.write_text(receipt.to_text())
    call_command("receipt", "check", str(path), "--checkpoint", str(witness_copy))
    assert "still there at 14 entries" in capsys.readouterr().out


def test_the_command_writes_the_receipt_of_an_entry(capsys):
    append(3)
    with pytest.raises(CommandError, match="no signed checkpoint includes entry 3"):
        call_command("receipt", "issue", "3")
    ledger.checkpoint_create()
    call_command("receipt", "issue", "3")
    assert receipts.parse(capsys.readouterr().out).entry == 3


def test_the_public_page_checks_a_receipt_for_anyone():
    receipt = receipt_of_third()
    client = Client()
    page = client.get("/ledger/receipt/")
    assert page.status_code == 200
    assert b"Check a filing receipt" in page.content
    answer = client.post("/ledger/receipt/", {"receipt_text": receipt.to_text()})
    assert answer.status_code == 200
    assert b"The receipt checks out" in answer.content
    assert b"Entry 3 is in the ledger signed at 5 entries." in answer.content
    refused = client.post("/ledger/receipt/", {"receipt_text": "not a receipt"})
    assert refused.status_code == 400
    assert b"This is not a filing receipt" in refused.content
    empty = client.post("/ledger/receipt/", {})
    assert empty.status_code == 400
    assert b"Choose the receipt&#x27;s file, or paste its text." in empty.content


def test_the_public_page_takes_the_receipt_file(tmp_path):
    receipt = receipt_of_third()
    path = tmp_path / "filing-receipt-3.json"
    path.write_text(receipt.to_text())
    with path.open("rb") as upload:
        answer = Client().post("/ledger/receipt/", {"receipt_file": upload})
    assert b"The receipt checks out" in answer.content


def test_the_page_says_what_was_recorded_and_when_only_to_a_receipt_that_states_both():
    """The check confirms what the entry records and when, in words; a crafted receipt that leaves them out (an
    entry's leaf hash is public on its proof page) learns nothing of what the entry is."""
    receipt = receipt_of_third()
    entry = Entry.objects.get(seq=3)
    answer = Client().post("/ledger/receipt/", {"receipt_text": receipt.to_text()}).content.decode()
    assert "This receipt proves that this was recorded in the organization's ledger on" in answer
    assert "“A test step was taken”" in answer
    assert receipts.check_here(receipt, witnesses=[], required=0).when == entry.recorded_at_time
    crafted = json.loads(receipt.to_text())
    crafted["action"] = ""
    blind = receipts.check_here(receipts.parse(json.dumps(crafted)), witnesses=[], required=0)
    assert blind.ok
    assert (blind.what, blind.when) == ("", None)
    guessed = dict(crafted, action="test.step_taken", recorded_at="2026-01-01T00:00:00.000000Z")
    wrong = receipts.check_here(receipts.parse(json.dumps(guessed)), witnesses=[], required=0)
    assert not wrong.ok
    assert wrong.what == ""
