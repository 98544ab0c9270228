"""Witness cosignatures (C2SP tlog-cosignature, cosignature/v1) and the witness's side of the C2SP tlog-witness
protocol: each status code of `add-checkpoint`, and a cosignature checked by a second Ed25519 implementation."""

import base64
import hashlib
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import CommandError, call_command
from django.test import Client
from nacl.signing import SigningKey

from rankfile.ledger import actions as ledger
from rankfile.ledger import cosigning, merkle, queries, signing
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Checkpoint, Cosignature, Entry, WitnessedLog
from rankfile.org import actions as org_actions
from rankfile.org import queries as org_queries
from tests.ledger.helpers import append

pytestmark = pytest.mark.django_db

BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"


@pytest.fixture
def witness(settings, tmp_path):
    settings.WITNESS_KEY_FILE = tmp_path / "witness_key"
    settings.WITNESS_NAME = "witness.example.org/w1"
    key = cosigning.witness_key(create=True)
    assert key is not None
    return key


def a_log(name: str = "other.example.org/rankfile") -> signing.LedgerKey:
    return signing.LedgerKey.generate(name)


def head_note(key: signing.LedgerKey, leaves: list[bytes]) -> str:
    return signing.sign(signing.TreeHead(origin=key.name, size=len(leaves), root=merkle.root(leaves)), key)


def leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(str(i).encode()) for i in range(n)]


def test_a_cosignature_is_the_c2sp_format_checked_by_a_second_implementation(witness):
    log_key = a_log("example.com/behind-the-sofa")
    note = signing.sign(signing.read_body(BODY + "\n"), log_key)
    line = cosigning.cosign(note, witness, timestamp=1679315147)
    assert line.startswith("\u2014 witness.example.org/w1 ")
    assert line.endswith("\n")
    blob = base64.b64decode(line.split(" ")[2])
    assert len(blob) == 4 + 8 + 64
    expected_id = hashlib.sha256(b"witness.example.org/w1\n\x04" + witness.public_key).digest()[:4]
    assert blob[:4] == expected_id
    assert int.from_bytes(blob[4:12], "big") == 1679315147
    message = b"cosignature/v1\ntime 1679315147\n" + BODY.encode()
    Ed25519PublicKey.from_public_bytes(witness.public_key).verify(blob[12:], message)  # raises if wrong
    assert cosigning.cosignature_time(note + line, verifier=witness.verifier) == 1679315147


def test_the_witness_key_is_a_c2sp_vkey_of_type_0x04(witness):
    name, _hash, key_b64 = witness.verifier.split("+", 2)
    raw = base64.b64decode(key_b64)
    assert (name, raw[:1], raw[1:]) == ("witness.example.org/w1", b"\x04", witness.public_key)
    assert cosigning.parse_verifier(witness.verifier) == (name, witness.public_key)
    assert cosigning.WitnessKey.from_private_text(witness.private_text()).verifier == witness.verifier
    with pytest.raises(cosigning.WitnessKeyError):
        cosigning.parse_verifier(a_log().verifier)  # a log's key (type 0x01) is not a witness's


def test_a_cosignature_by_another_key_or_on_another_checkpoint_does_not_count(witness):
    log_key = a_log()
    note = head_note(log_key, leaves(3))
    line = cosigning.cosign(note, witness)
    impostor = cosigning.WitnessKey(name=witness.name, signing_key=SigningKey.generate())
    assert cosigning.cosignature_time(note + line, verifier=impostor.verifier) is None
    other = head_note(log_key, leaves(4))
    assert cosigning.cosignature_time(other + line, verifier=witness.verifier) is None
    assert cosigning.valid_cosignatures(note + line + line, witnesses=[witness.verifier, witness.verifier]) == [
        (witness.name, cosigning.cosignature_time(note + line, verifier=witness.verifier))
    ]


def post(body: bytes) -> tuple[int, str, str]:
    response = Client().post("/ledger/witness/add-checkpoint", body, content_type="text/plain")
    return response.status_code, response["Content-Type"], response.content.decode()


def test_the_witness_follows_the_protocol_status_by_status(witness):
    log_key = a_log()
    tree = leaves(10)
    first = head_note(log_key, tree[:4])
    assert post(cosigning.request_body(old_size=0, proof=[], note=first))[0] == 404  # a log it does not witness
    call_command("ledger", "witness", "add", log_key.verifier)
    forged = head_note(a_log(log_key.name), tree[:4])
    assert post(cosigning.request_body(old_size=0, proof=[], note=forged))[0] == 403
    status, _, body = post(cosigning.request_body(old_size=0, proof=[], note=first))
    assert status == 200
    assert cosigning.cosignature_time(first + body, verifier=witness.verifier) is not None
    second = head_note(log_key, tree)
    # The client thinks the witness is at 0: 409 with the size it is at.
    assert post(cosigning.request_body(old_size=0, proof=[], note=second)) == (409, "text/x.tlog.size", "4\n")
    assert post(cosigning.request_body(old_size=11, proof=[], note=second))[0] == 400  # old > new
    bad_proof = [hashlib.sha256(b"x").digest()] * 3
    assert post(cosigning.request_body(old_size=4, proof=bad_proof, note=second))[0] == 422
    proof = merkle.consistency_proof(tree, 4)
    status, _, body = post(cosigning.request_body(old_size=4, proof=proof, note=second))
    assert status == 200
    assert WitnessedLog.objects.get(origin=log_key.name).size == 10
    # A fork: the same size with another root.
    fork = head_note(log_key, [*tree[:9], merkle.leaf_hash(b"rewritten")])
    assert post(cosigning.request_body(old_size=10, proof=[], note=fork))[0] == 409
    for garbage in (b"", b"old x\n\n" + second.encode(), b"old 4\nnot base64!\n\n" + second.encode(), b"\xff" * 100):
        assert post(garbage)[0] == 400
    assert Client().get("/ledger/witness/add-checkpoint").status_code == 405


def test_without_a_witness_key_the_endpoint_says_so(settings, tmp_path):
    settings.WITNESS_KEY_FILE = tmp_path / "none"
    note = head_note(a_log(), leaves(2))
    assert post(cosigning.request_body(old_size=0, proof=[], note=note))[0] == 404
    assert not (tmp_path / "none").exists()  # answering never makes a key


def test_verify_accepts_checkpoints_only_with_the_cosignatures_required(witness, capsys):
    append(5)
    checkpoint = ledger.checkpoint_create()
    call_command("ledger", "verify", "--required", "1", "--witness", witness.verifier, "--required", "0")
    with pytest.raises(CommandError, match="No checkpoint carries the 1 cosignature"):
        call_command("ledger", "verify", "--required", "1", "--witness", witness.verifier)
    Cosignature.objects.create(
        checkpoint=checkpoint, witness=witness.name, line=cosigning.cosign(checkpoint.note, witness), cosigned_at=1
    )
    call_command("ledger", "verify", "--required", "1", "--witness", witness.verifier)
    assert "the latest checkpoint cosigned by 1 trusted witness(es) is at 5 entries" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("ledger", "verify", "--required", "2", "--witness", witness.verifier)


def test_the_bylaws_set_the_number_required(witness, settings):
    """With two cosignatures required by the bylaws and one witness cosigning, verify refuses; with one, it passes."""
    settings.LEDGER_COSIGNERS = [(witness.verifier, "")]
    append(2)
    checkpoint = ledger.checkpoint_create()
    Cosignature.objects.create(
        checkpoint=checkpoint, witness=witness.name, line=cosigning.cosign(checkpoint.note, witness), cosigned_at=1
    )
    for required, passes in ((2, False), (1, True)):
        document = org_queries.bylaws_document(day=date.today())
        document["ledger"]["cosignatures_required"] = required
        org_actions.bylaws_adopt(
            document=document,
            effective_from=date(2021, 1, 1),
            adopted_by_vote=f"Convention, motion {required}",
            by=OPERATOR,
        )
        assert cosigning.required() == required
        if passes:
            call_command("ledger", "verify")
        else:
            with pytest.raises(CommandError, match="No checkpoint carries the 2 cosignature"):
                call_command("ledger", "verify")


def test_ledger_witness_commands(witness, capsys):
    call_command("ledger", "witness", "key")
    assert capsys.readouterr().out.strip() == witness.verifier
    log_key = a_log()
    call_command("ledger", "witness", "add", log_key.verifier)
    call_command("ledger", "witness", "list")
    assert f"{log_key.name}: latest cosigned at 0 entries" in capsys.readouterr().out
    with pytest.raises(CommandError, match="not a ledger's verifier key"):
        call_command("ledger", "witness", "add", "nonsense")
    assert Entry.objects.filter(action="ledger.witnessing_started").count() == 1


def test_cosign_without_witnesses_says_what_to_set():
    with pytest.raises(CommandError, match="RANKFILE_LEDGER_COSIGNERS"):
        call_command("ledger", "cosign")
    assert not Checkpoint.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_timers_ask_again_a_witness_that_has_not_cosigned_the_latest_checkpoint(witness, settings, live_server):
    """A witness down when the checkpoint was signed is asked on the next tick; once it cosigned, it is not asked.
    (This installation witnesses its own ledger here, served by the test server.)"""
    from rankfile.deadlines import actions as deadlines

    own, _ = queries.ledger_key()
    cosigning.witness_log(own.verifier)
    append(3)
    ledger.checkpoint_create()
    settings.LEDGER_COSIGNERS = [(witness.verifier, "http://127.0.0.1:9/ledger/witness")]  # nobody listens there
    assert deadlines.tick().periodic.get("checkpoints cosigned", 0) == 0
    settings.LEDGER_COSIGNERS = [(witness.verifier, live_server.url + "/ledger/witness")]
    assert deadlines.tick().periodic["checkpoints cosigned"] == 1
    assert deadlines.tick().periodic.get("checkpoints cosigned", 0) == 0
    assert Cosignature.objects.get().witness == witness.name


def test_bylaws_adopted_before_the_key_existed_read_as_its_default():
    """An installation whose bylaws were adopted before `ledger.cosignatures_required` existed requires none."""
    from rankfile.org.models import BylawsVersion

    document = org_queries.bylaws_document(day=date.today())
    del document["ledger"]
    org_actions.bylaws_adopt(
        document=document, effective_from=date(2021, 1, 1), adopted_by_vote="Convention, motion 1", by=OPERATOR
    )
    stored = BylawsVersion.objects.latest("number").document
    stored.pop("ledger", None)
    BylawsVersion.objects.filter(pk=BylawsVersion.objects.latest("number").pk).update(document=stored)
    assert cosigning.required() == 0
