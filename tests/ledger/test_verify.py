"""Tampering as someone who owns the database would: triggers dropped, rows changed, hashes recomputed."""

import pytest
from django.core.management import CommandError, call_command

from rankfile.ledger import actions as ledger
from rankfile.ledger import merkle, queries, signing, verification
from rankfile.ledger.models import Checkpoint, Entry
from tests.ledger.helpers import append, execute, rehash_everything, triggers_dropped

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ledger_of_30():
    append(12)
    ledger.checkpoint_create()
    append(18, start=12)
    ledger.checkpoint_create()


def verify() -> verification.Verification:
    result, _ = verification.verify_all(verifier=queries.ledger_key()[0].verifier)
    return result


def test_untouched_ledger_verifies(ledger_of_30):
    result = verify()
    assert result.ok, result.problems
    assert result.size == 30
    assert result.checkpoints_checked == 2


def test_changed_row_is_named(ledger_of_30):
    with triggers_dropped():
        execute("UPDATE ledger_entry SET data = %s WHERE seq = 17", ['{"n":999}'])
    result = verify()
    assert result.first_bad_seq == 17
    assert "entry 17 does not match its leaf hash" in result.problems[0]


def test_deleted_row_is_named(ledger_of_30):
    with triggers_dropped():
        execute("DELETE FROM ledger_entry WHERE seq = 9")
    result = verify()
    assert result.first_bad_seq == 9
    assert "entries 9 to 9 are missing" in result.problems[0]


def test_reordered_rows_are_named(ledger_of_30):
    with triggers_dropped():
        execute("UPDATE ledger_entry SET seq = 1000 WHERE seq = 5")
        execute("UPDATE ledger_entry SET seq = 5 WHERE seq = 6")
        execute("UPDATE ledger_entry SET seq = 6 WHERE seq = 1000")
    assert verify().first_bad_seq == 5


def test_inserted_row_is_named(ledger_of_30):
    with triggers_dropped():
        for seq in range(30, 20, -1):
            execute("UPDATE ledger_entry SET seq = %s WHERE seq = %s", [seq + 1, seq])
        execute(
            "INSERT INTO ledger_entry (seq, recorded_at, actor_type, actor_id, action, subject_type, subject_id, data,"
            " schema_version, leaf_hash) SELECT 21, recorded_at, actor_type, actor_id, action, subject_type,"
            " subject_id, data, schema_version, leaf_hash FROM ledger_entry WHERE seq = 20"
        )
    assert verify().first_bad_seq == 21


def test_rewritten_history_with_recomputed_hashes_is_caught_by_the_checkpoints(ledger_of_30):
    with triggers_dropped():
        execute("UPDATE ledger_entry SET data = %s WHERE seq = 20", ['{"n":0}'])
        rehash_everything()
    result = verify()
    assert not result.ok
    # Entries 1-12 still match the first checkpoint; the rewrite lies after it, and is named from there.
    assert result.first_bad_seq == 13
    assert any("checkpoint 30 no longer matches" in p for p in result.problems)


def test_re_signing_needs_the_key_and_a_witness_still_exposes_the_rewrite(ledger_of_30, tmp_path):
    witness_copy = Checkpoint.objects.get(size=12).note
    original_verifier = queries.ledger_key()[0].verifier
    # The attacker rewrites entry 3, recomputes everything, and replaces the checkpoints with ones signed by a
    # key of their own: they do not have the organization's key.
    forger = signing.LedgerKey.generate(queries.ledger_key()[0].name)
    with triggers_dropped():
        execute("UPDATE ledger_entry SET data = %s WHERE seq = 3", ['{"n":77}'])
        rehash_everything()
        execute("DELETE FROM ledger_checkpoint")
        tree = merkle.MemoryNodes([bytes(x) for x in Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)])
        root = merkle.tree_root(tree, 30)
        note = signing.sign(signing.TreeHead(origin=forger.name, size=30, root=root), forger)
        Checkpoint.objects.create(size=30, root=root, note=note)

    result, tree = verification.verify_all(verifier=original_verifier)
    assert any("no signature by" in p for p in result.problems)
    ok, message = verification.verify_against(result, tree, note=witness_copy, verifier=original_verifier)
    assert not ok
    assert "NOT an append-only extension" in message
    assert "History was rewritten" in message


def test_witness_checkpoint_proves_append_only_growth(ledger_of_30):
    witness_copy = Checkpoint.objects.get(size=12).note
    append(5, start=30)
    result, tree = verification.verify_all(verifier=queries.ledger_key()[0].verifier)
    ok, message = verification.verify_against(
        result, tree, note=witness_copy, verifier=queries.ledger_key()[0].verifier
    )
    assert ok, message
    assert "append-only extension of the witness's checkpoint at 12" in message


def test_witness_checkpoint_larger_than_the_ledger_means_deletion(ledger_of_30):
    witness_copy = Checkpoint.objects.get(size=30).note
    with triggers_dropped():
        execute("DELETE FROM ledger_entry WHERE seq > 25")
    result, tree = verification.verify_all(verifier=queries.ledger_key()[0].verifier)
    ok, message = verification.verify_against(
        result, tree, note=witness_copy, verifier=queries.ledger_key()[0].verifier
    )
    assert not ok
    assert "entries were deleted" in message


def test_verify_command_exits_non_zero_naming_the_first_bad_entry(ledger_of_30, capsys):
    call_command("ledger", "verify")
    assert "OK: 30 entries" in capsys.readouterr().out
    with triggers_dropped():
        execute("UPDATE ledger_entry SET action = 'test.rewritten' WHERE seq = 14")
    with pytest.raises(CommandError, match="The first entry that does not match is 14"):
        call_command("ledger", "verify")


def test_verify_against_a_witness_file(ledger_of_30, tmp_path, capsys):
    witness_file = tmp_path / "checkpoint.txt"
    witness_file.write_text(Checkpoint.objects.get(size=12).note)
    call_command("ledger", "verify", "--against", str(witness_file))
    assert "append-only extension of the witness's checkpoint at 12" in capsys.readouterr().out
    witness_file.write_text("not a checkpoint")
    with pytest.raises(CommandError):
        call_command("ledger", "verify", "--against", str(witness_file))
    assert "cannot be used" in capsys.readouterr().out
    with pytest.raises(CommandError, match="cannot read"):
        call_command("ledger", "verify", "--against", str(tmp_path / "missing.txt"))


def test_verify_against_a_file_of_random_bytes_says_it_is_no_checkpoint(ledger_of_30, tmp_path):
    witness_file = tmp_path / "checkpoint.txt"
    witness_file.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(CommandError, match=r"is not a checkpoint: .* this file is not text"):
        call_command("ledger", "verify", "--against", str(witness_file))


def test_verify_never_creates_the_signing_key_it_checks_with(ledger_of_30, tmp_path, settings, capsys):
    verifier = queries.ledger_key()[0].verifier
    settings.LEDGER_KEY_FILE = tmp_path / "restored-without" / "ledger.key"
    with pytest.raises(CommandError, match=r"There is no ledger signing key in .*Verifying never creates a key"):
        call_command("ledger", "verify")
    assert not settings.LEDGER_KEY_FILE.exists()
    call_command("ledger", "verify", "--key", verifier)  # the verifier key kept elsewhere is enough
    assert "OK: 30 entries" in capsys.readouterr().out
    assert not settings.LEDGER_KEY_FILE.exists()


def test_prove_command_prints_a_verified_inclusion_proof(ledger_of_30, capsys):
    import json

    call_command("ledger", "prove", "17")
    proof = json.loads(capsys.readouterr().out)
    assert proof["verified"] is True
    assert proof["tree_size"] == 30
    assert merkle.verify_inclusion(
        bytes.fromhex(proof["leaf_hash"]),
        16,
        30,
        [bytes.fromhex(p) for p in proof["proof"]],
        bytes.fromhex(proof["root"]),
    )
    with pytest.raises(CommandError, match="no signed checkpoint covers entry 31"):
        call_command("ledger", "prove", "31")


def test_checkpoint_and_key_commands(db, capsys, settings):
    append(3)
    call_command("ledger", "checkpoint")
    out = capsys.readouterr().out
    assert f"{settings.LEDGER_ORIGIN}\n3\n" in out
    assert "No witnesses are set" in out
    call_command("ledger", "key")
    assert capsys.readouterr().out.strip() == queries.ledger_key()[0].verifier
