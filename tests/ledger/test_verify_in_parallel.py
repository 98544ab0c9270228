"""The split verification (several processes, each a range of entries) finds exactly what one pass finds.

Large ledgers are split only from 50,000 entries on; here the thresholds are lowered so that 40 entries are
split into ranges of 8, and every tamper case is checked both ways."""

import pytest

from rankfile.ledger import actions as ledger
from rankfile.ledger import queries, verification
from tests.ledger.helpers import append, execute, rehash_everything, triggers_dropped

pytestmark = pytest.mark.django_db(transaction=True)


def both_ways(monkeypatch: pytest.MonkeyPatch) -> tuple[verification.Verification, verification.Verification]:
    verifier = queries.ledger_key()[0].verifier
    with monkeypatch.context() as patched:
        patched.setattr(verification, "PARALLEL_MIN", 10**9)
        single, single_tree = verification.verify_all(verifier=verifier)
    with monkeypatch.context() as patched:
        patched.setattr(verification, "PARALLEL_MIN", 8)
        patched.setattr(verification, "ALIGN_LEVEL", 3)
        patched.setattr(verification, "_processes", lambda: 3)
        splits: list[int] = []
        in_processes = verification._in_processes

        def counting(ranges, **kwargs):
            splits.append(len(ranges))
            return in_processes(ranges, **kwargs)

        patched.setattr(verification, "_in_processes", counting)
        split, split_tree = verification.verify_all(verifier=verifier)
    assert splits == [3], "the split path did not run"
    assert split_tree.levels == single_tree.levels
    return single, split


TAMPERING = {
    "nothing": [],
    "changed row": ["UPDATE ledger_entry SET data = '{\"n\":999}' WHERE seq = 27"],
    "deleted row": ["DELETE FROM ledger_entry WHERE seq = 17"],
    "changed node": [
        "UPDATE ledger_node SET hash = (SELECT leaf_hash FROM ledger_entry WHERE seq = 1) "
        "WHERE level = 2 AND position = 5"
    ],
    "missing node": ["DELETE FROM ledger_node WHERE level = 1 AND position = 12"],
}


@pytest.mark.parametrize("tampering", TAMPERING, ids=list(TAMPERING))
def test_split_verification_agrees_with_one_pass(monkeypatch, tampering):
    append(40)
    ledger.checkpoint_create()
    with triggers_dropped():
        for sql in TAMPERING[tampering]:
            execute(sql)
    single, split = both_ways(monkeypatch)
    assert split.problems == single.problems
    assert split.first_bad_seq == single.first_bad_seq
    assert split.leaves == single.leaves
    assert split.ok is (tampering == "nothing")


def test_split_verification_catches_a_recomputed_rewrite(monkeypatch):
    append(40)
    ledger.checkpoint_create()
    with triggers_dropped():
        execute("UPDATE ledger_entry SET data = '{\"n\":5}' WHERE seq = 33")
        rehash_everything()
    single, split = both_ways(monkeypatch)
    assert not split.ok
    assert split.problems == single.problems
