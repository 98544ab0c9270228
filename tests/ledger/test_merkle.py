"""Properties of the RFC 9162 Merkle tree: builders agree with the RFC's recursive definitions, proofs verify,
every tampering is rejected, and the verifiers never raise."""

import hashlib
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rankfile.ledger.merkle import (
    EMPTY_ROOT,
    MemoryNodes,
    NodeKey,
    complete_nodes_after_append,
    consistency_proof,
    fold_nodes,
    inclusion_proof,
    leaf_hash,
    node_hash,
    range_nodes,
    root,
    tree_consistency_proof,
    tree_inclusion_proof,
    tree_root,
    verify_consistency,
    verify_inclusion,
)

MAX_LEAVES = 300
FEW = settings(max_examples=15, deadline=None)
SOME = settings(max_examples=60, deadline=None)
MANY = settings(max_examples=300, deadline=None)


class Reference:
    """The RFC 9162 §2.1 definitions written as literally as possible: MTH, PATH and SUBPROOF."""

    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        self.leaves = list(leaf_hashes)
        self._memo: dict[tuple[int, int], bytes] = {}

    @staticmethod
    def split(n: int) -> int:
        k = 1
        while k * 2 < n:
            k *= 2
        return k

    def mth(self, a: int, b: int) -> bytes:
        """MTH(D[a:b]); memoised only so that proofs for every index of a tree stay fast."""
        if (a, b) not in self._memo:
            n = b - a
            if n == 0:
                value = hashlib.sha256(b"").digest()
            elif n == 1:
                value = self.leaves[a]
            else:
                k = self.split(n)
                value = hashlib.sha256(b"\x01" + self.mth(a, a + k) + self.mth(a + k, b)).digest()
            self._memo[(a, b)] = value
        return self._memo[(a, b)]

    def path(self, m: int, a: int, b: int) -> list[bytes]:
        """PATH(m, D[a:b])."""
        n = b - a
        if n == 1:
            return []
        k = self.split(n)
        if m < k:
            return [*self.path(m, a, a + k), self.mth(a + k, b)]
        return [*self.path(m - k, a + k, b), self.mth(a, a + k)]

    def subproof(self, m: int, a: int, b: int, whole: bool) -> list[bytes]:
        """SUBPROOF(m, D[a:b], whole)."""
        n = b - a
        if m == n:
            return [] if whole else [self.mth(a, b)]
        k = self.split(n)
        if m <= k:
            return [*self.subproof(m, a, a + k, whole), self.mth(a + k, b)]
        return [*self.subproof(m - k, a + k, b, False), self.mth(a, a + k)]

    def inclusion(self, index: int, size: int) -> list[bytes]:
        return self.path(index, 0, size)

    def consistency(self, old: int, new: int) -> list[bytes]:
        return self.subproof(old, 0, new, True)


def path_shape(m: int, n: int) -> list[bool]:
    """For each element of PATH(m, D[n]), leaf side first: whether that sibling lies to the left."""
    if n == 1:
        return []
    k = Reference.split(n)
    if m < k:
        return [*path_shape(m, k), False]
    return [*path_shape(m - k, n - k), True]


def subproof_length(m: int, n: int, whole: bool) -> int:
    """len(SUBPROOF(m, D[n], whole)), from the sizes alone."""
    if m == n:
        return 0 if whole else 1
    k = Reference.split(n)
    if m <= k:
        return subproof_length(m, k, whole) + 1
    return subproof_length(m - k, n - k, False) + 1


def make_leaves(count: int, seed: bytes = b"") -> list[bytes]:
    """Distinct leaf hashes of pseudo-random data of varying length."""
    return [
        leaf_hash(i.to_bytes(4, "big") + hashlib.sha256(seed + i.to_bytes(4, "big")).digest()[: i % 23])
        for i in range(count)
    ]


class CountingNodes:
    """A NodeSource that records every nodes() call."""

    def __init__(self, inner: MemoryNodes) -> None:
        self.inner = inner
        self.calls: list[list[NodeKey]] = []

    def nodes(self, keys: Sequence[NodeKey]) -> Mapping[NodeKey, bytes]:
        self.calls.append(list(keys))
        return self.inner.nodes(keys)


seeded_trees = st.builds(make_leaves, st.integers(1, MAX_LEAVES), st.binary(max_size=8))
drawn_trees = st.lists(st.binary(max_size=12), min_size=1, max_size=40).map(lambda data: [leaf_hash(d) for d in data])
any_trees = st.one_of(seeded_trees, drawn_trees)


@st.composite
def tree_and_index(draw: st.DrawFn, min_size: int = 1) -> tuple[list[bytes], int]:
    leaves = draw(st.builds(make_leaves, st.integers(min_size, MAX_LEAVES), st.binary(max_size=8)))
    return leaves, draw(st.integers(0, len(leaves) - 1))


@st.composite
def tree_and_old_size(draw: st.DrawFn) -> tuple[list[bytes], int]:
    """A tree of at least two leaves and a strictly smaller old size."""
    leaves = draw(st.builds(make_leaves, st.integers(2, MAX_LEAVES), st.binary(max_size=8)))
    return leaves, draw(st.integers(1, len(leaves) - 1))


def flip_bit(value: bytes, bit: int) -> bytes:
    bit %= len(value) * 8
    flipped = bytearray(value)
    flipped[bit // 8] ^= 1 << (bit % 8)
    return bytes(flipped)


def sequence_view(leaves: list[bytes]) -> Sequence[bytes]:
    """A Sequence that is neither list nor tuple."""

    class View(Sequence[bytes]):
        def __len__(self) -> int:
            return len(leaves)

        def __getitem__(self, index: Any) -> Any:
            return leaves[index]

    return View()


# Builders agree with the RFC's definitions, and what they build verifies.


def test_root_matches_rfc_definition_for_every_size_up_to_70() -> None:
    leaves = make_leaves(70)
    reference, nodes = Reference(leaves), MemoryNodes(leaves)
    for size in range(71):
        expected = reference.mth(0, size)
        assert root(leaves[:size]) == expected
        assert tree_root(nodes, size) == expected
        assert MemoryNodes(leaves[:size]).root() == expected


def test_root_of_empty_tree_is_hash_of_empty_string() -> None:
    assert root([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()
    assert tree_root(MemoryNodes(), 0) == EMPTY_ROOT


def test_root_of_single_leaf_is_its_leaf_hash() -> None:
    assert root([leaf_hash(b"x")]) == leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()


def test_node_hash_prefixes_interior_nodes_with_one() -> None:
    left, right = leaf_hash(b"l"), leaf_hash(b"r")
    assert node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()
    assert root([left, right]) == node_hash(left, right)


def test_root_accepts_any_sequence() -> None:
    leaves = make_leaves(11)
    assert root(tuple(leaves)) == root(leaves) == root(sequence_view(leaves))


def test_proofs_match_rfc_definition_for_every_index_of_every_small_tree() -> None:
    leaves = make_leaves(40)
    nodes = MemoryNodes(leaves)
    for size in range(1, 41):
        tree, reference = leaves[:size], Reference(leaves[:size])
        for index in range(size):
            expected = reference.inclusion(index, size)
            assert inclusion_proof(tree, index) == expected
            assert tree_inclusion_proof(nodes, index, size) == expected
            assert verify_inclusion(tree[index], index, size, expected, reference.mth(0, size))
        for old in range(1, size + 1):
            expected = reference.consistency(old, size)
            assert consistency_proof(tree, old) == expected
            assert tree_consistency_proof(nodes, old, size) == expected
            assert verify_consistency(old, size, reference.mth(0, old), reference.mth(0, size), expected)


@FEW
@given(any_trees)
def test_every_inclusion_proof_matches_rfc_definition_and_verifies(leaves: list[bytes]) -> None:
    size, reference, nodes = len(leaves), Reference(leaves), MemoryNodes(leaves)
    tree_hash = root(leaves)
    assert tree_hash == reference.mth(0, size) == tree_root(nodes, size)
    for index in range(size):
        proof = inclusion_proof(leaves, index)
        assert proof == tree_inclusion_proof(nodes, index, size) == reference.inclusion(index, size)
        assert verify_inclusion(leaves[index], index, size, proof, tree_hash)


@FEW
@given(any_trees)
def test_every_consistency_proof_matches_rfc_definition_and_verifies(leaves: list[bytes]) -> None:
    size, reference, nodes = len(leaves), Reference(leaves), MemoryNodes(leaves)
    new_root = root(leaves)
    for old in range(1, size + 1):
        proof = consistency_proof(leaves, old)
        assert proof == tree_consistency_proof(nodes, old, size) == reference.consistency(old, size)
        assert verify_consistency(old, size, reference.mth(0, old), new_root, proof)


@SOME
@given(seeded_trees, st.data())
def test_node_source_proofs_for_a_prefix_equal_pure_proofs_of_that_prefix(leaves: list[bytes], data: Any) -> None:
    nodes = MemoryNodes(leaves)
    size = data.draw(st.integers(1, len(leaves)), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    old = data.draw(st.integers(1, size), label="old")
    assert tree_root(nodes, size) == root(leaves[:size])
    assert tree_inclusion_proof(nodes, index, size) == inclusion_proof(leaves[:size], index)
    assert tree_consistency_proof(nodes, old, size) == consistency_proof(leaves[:size], old)


def test_consistency_proof_between_equal_sizes_is_empty() -> None:
    leaves = make_leaves(9)
    assert consistency_proof(leaves, 9) == []
    assert tree_consistency_proof(MemoryNodes(leaves), 5, 5) == []


def test_builders_reject_out_of_range_arguments() -> None:
    leaves = make_leaves(6)
    nodes = MemoryNodes(leaves)
    for index in (-1, 6, 7):
        with pytest.raises(ValueError, match="outside"):
            inclusion_proof(leaves, index)
        with pytest.raises(ValueError, match="outside"):
            tree_inclusion_proof(nodes, index, 6)
    for old in (-1, 0, 7):
        with pytest.raises(ValueError, match="no consistency proof"):
            consistency_proof(leaves, old)
        with pytest.raises(ValueError, match="no consistency proof"):
            tree_consistency_proof(nodes, old, 6)
    with pytest.raises(ValueError, match="cannot have"):
        tree_root(nodes, -1)
    with pytest.raises(ValueError, match="outside"):
        inclusion_proof([], 0)


def test_node_source_functions_raise_lookup_error_beyond_stored_leaves() -> None:
    nodes = MemoryNodes(make_leaves(6))
    with pytest.raises(LookupError):
        tree_root(nodes, 7)
    with pytest.raises(LookupError):
        tree_inclusion_proof(nodes, 0, 9)
    with pytest.raises(LookupError):
        tree_consistency_proof(nodes, 3, 8)


def test_memory_nodes_reject_keys_outside_the_stored_tree() -> None:
    nodes = MemoryNodes(make_leaves(6))
    for key in [(0, -1), (0, 6), (1, 3), (2, 1), (3, 0), (-1, 0)]:
        with pytest.raises(KeyError):
            nodes.nodes([key])


# Node sources: which nodes exist, how ranges decompose, how many lookups a proof costs.


def test_memory_nodes_hold_exactly_the_complete_subtrees() -> None:
    leaves = make_leaves(45)
    nodes, reference = MemoryNodes(leaves), Reference(leaves)
    for level, hashes in enumerate(nodes.levels):
        assert len(hashes) == 45 >> level
        for index, value in enumerate(hashes):
            assert value == reference.mth(index << level, (index + 1) << level)


@SOME
@given(any_trees)
def test_memory_nodes_built_by_appending_equal_bulk_built(leaves: list[bytes]) -> None:
    appended = MemoryNodes()
    for value in leaves:
        appended.append(value)
    assert appended.levels == MemoryNodes(leaves).levels
    assert appended.size == len(leaves)


def test_complete_nodes_after_append_names_exactly_the_newly_complete_nodes() -> None:
    def complete(size: int) -> set[NodeKey]:
        return {(level, i) for level in range(1, size.bit_length()) for i in range(size >> level)}

    for index in range(1100):
        new = complete_nodes_after_append(index)
        assert set(new) == complete(index + 1) - complete(index)
        assert [level for level, _ in new] == list(range(1, len(new) + 1))
        for level, j in new:
            assert (index + 1) % (1 << level) == 0
            assert j == (index + 1) // (1 << level) - 1
    with pytest.raises(ValueError, match="negative"):
        complete_nodes_after_append(-1)


def test_range_nodes_tile_every_subtree_range_with_complete_nodes() -> None:
    leaves = make_leaves(64)
    reference = Reference(leaves)
    nodes = MemoryNodes(leaves)
    for width in range(1, 33):
        capacity = 1 << (width - 1).bit_length()
        for start in range(0, 64 - width + 1, capacity):
            keys = range_nodes(start, start + width)
            position = start
            for level, index in keys:
                assert index << level == position
                position += 1 << level
            assert position == start + width
            assert [level for level, _ in keys] == sorted((level for level, _ in keys), reverse=True)
            hashes = nodes.nodes(keys)
            assert fold_nodes([hashes[key] for key in keys]) == reference.mth(start, start + width)


def test_range_nodes_reject_ranges_that_are_no_subtree() -> None:
    for start, end in [(1, 3), (2, 5), (4, 4), (5, 4), (-2, 0), (8, 17), (3, 5), (12, 17)]:
        with pytest.raises(ValueError, match="not a subtree"):
            range_nodes(start, end)
    with pytest.raises(ValueError, match="no node hashes"):
        fold_nodes([])


@pytest.mark.parametrize("size", [1, 2, 3, 1000, 1023, 1024, 1025, 4097])
def test_node_source_functions_fetch_logarithmically_many_nodes_in_one_call(size: int) -> None:
    leaves = make_leaves(size)
    source = CountingNodes(MemoryNodes(leaves))
    bound = 2 * size.bit_length() + 2
    calls: list[Callable[[], object]] = [partial(tree_root, source, size)]
    calls += [partial(tree_inclusion_proof, source, i, size) for i in {0, size // 3, size - 1}]
    calls += [partial(tree_consistency_proof, source, old, size) for old in {1, size // 2 + 1, size - 1} if old]
    for call in calls:
        source.calls.clear()
        call()
        assert len(source.calls) <= 1
        assert all(len(keys) <= bound and len(set(keys)) == len(keys) for keys in source.calls)


# Tampered inclusion proofs are rejected.


@SOME
@given(tree_and_index(min_size=2), st.data())
def test_verify_inclusion_rejects_bit_flipped_proof(case: tuple[list[bytes], int], data: Any) -> None:
    leaves, index = case
    proof = inclusion_proof(leaves, index)
    position = data.draw(st.integers(0, len(proof) - 1), label="element")
    proof[position] = flip_bit(proof[position], data.draw(st.integers(0, 255), label="bit"))
    assert not verify_inclusion(leaves[index], index, len(leaves), proof, root(leaves))


@SOME
@given(tree_and_index(min_size=2))
def test_verify_inclusion_rejects_truncated_proof(case: tuple[list[bytes], int]) -> None:
    leaves, index = case
    proof, tree_hash = inclusion_proof(leaves, index), root(leaves)
    for truncated in (proof[1:], proof[:-1], []):
        assert not verify_inclusion(leaves[index], index, len(leaves), truncated, tree_hash)


@SOME
@given(tree_and_index(), st.binary(min_size=32, max_size=32), st.data())
def test_verify_inclusion_rejects_extended_proof(case: tuple[list[bytes], int], extra: bytes, data: Any) -> None:
    leaves, index = case
    proof, tree_hash = inclusion_proof(leaves, index), root(leaves)
    position = data.draw(st.integers(0, len(proof)), label="position")
    for element in (extra, tree_hash, leaves[index], *proof[:1]):
        extended = [*proof[:position], element, *proof[position:]]
        assert not verify_inclusion(leaves[index], index, len(leaves), extended, tree_hash)


@SOME
@given(tree_and_index(min_size=3), st.data())
def test_verify_inclusion_rejects_swapped_proof_elements(case: tuple[list[bytes], int], data: Any) -> None:
    leaves, index = case
    # Leaf 0 of a tree of three or more leaves always has at least two siblings.
    index = index if len(inclusion_proof(leaves, index)) >= 2 else 0
    proof = inclusion_proof(leaves, index)
    i, j = data.draw(st.lists(st.integers(0, len(proof) - 1), min_size=2, max_size=2, unique=True), label="pair")
    proof[i], proof[j] = proof[j], proof[i]
    assert not verify_inclusion(leaves[index], index, len(leaves), proof, root(leaves))


@SOME
@given(tree_and_index(min_size=2), st.data())
def test_verify_inclusion_rejects_wrong_index(case: tuple[list[bytes], int], data: Any) -> None:
    leaves, index = case
    proof, tree_hash = inclusion_proof(leaves, index), root(leaves)
    other = data.draw(st.integers(0, len(leaves) - 1).filter(lambda i: i != index), label="other")
    for wrong in {index - 1, index + 1, index ^ 1, other, index + len(leaves)}:
        assert not verify_inclusion(leaves[index], wrong, len(leaves), proof, tree_hash)


@SOME
@given(tree_and_index(min_size=2))
def test_verify_inclusion_rejects_wrong_leaf(case: tuple[list[bytes], int]) -> None:
    leaves, index = case
    proof, tree_hash = inclusion_proof(leaves, index), root(leaves)
    for wrong in (leaves[index - 1], leaf_hash(b"forged"), tree_hash, flip_bit(leaves[index], index)):
        assert not verify_inclusion(wrong, index, len(leaves), proof, tree_hash)


@SOME
@given(tree_and_index(), st.integers(0, 255))
def test_verify_inclusion_rejects_bit_flipped_root(case: tuple[list[bytes], int], bit: int) -> None:
    leaves, index = case
    proof = inclusion_proof(leaves, index)
    assert not verify_inclusion(leaves[index], index, len(leaves), proof, flip_bit(root(leaves), bit))


@SOME
@given(tree_and_index(), st.data())
def test_verify_inclusion_rejects_wrong_size_against_root_of_that_size(
    case: tuple[list[bytes], int], data: Any
) -> None:
    leaves, index = case
    size = data.draw(st.integers(index + 1, len(leaves)), label="size")
    proof = inclusion_proof(leaves[:size], index)
    for wrong in {size - 1, size + 1, size * 2, data.draw(st.integers(index + 1, len(leaves)), label="other")}:
        if wrong != size and index < wrong <= len(leaves):
            assert not verify_inclusion(leaves[index], index, wrong, proof, root(leaves[:wrong]))


@SOME
@given(tree_and_index(), st.integers(-2, 2).filter(bool))
def test_verify_inclusion_rejects_wrong_size_unless_path_shape_is_identical(
    case: tuple[list[bytes], int], delta: int
) -> None:
    # The size is bound only through the root: a path of identical shape in a tree of another size cannot be told
    # apart, which is why a size must always travel with (and be signed together with) its root.
    leaves, index = case
    size = len(leaves)
    wrong = size + delta
    proof = inclusion_proof(leaves, index)
    accepted = verify_inclusion(leaves[index], index, wrong, proof, root(leaves))
    assert accepted is (index < wrong and path_shape(index, wrong) == path_shape(index, size))


def test_verify_inclusion_binds_tree_size_only_through_the_root() -> None:
    leaves = make_leaves(7)
    proof = inclusion_proof(leaves[:6], 0)
    assert verify_inclusion(leaves[0], 0, 7, proof, root(leaves[:6]))
    assert not verify_inclusion(leaves[0], 0, 7, proof, root(leaves))


# Tampered consistency proofs are rejected.


@SOME
@given(tree_and_old_size(), st.data())
def test_verify_consistency_rejects_bit_flipped_proof(case: tuple[list[bytes], int], data: Any) -> None:
    leaves, old = case
    proof = consistency_proof(leaves, old)
    position = data.draw(st.integers(0, len(proof) - 1), label="element")
    proof[position] = flip_bit(proof[position], data.draw(st.integers(0, 255), label="bit"))
    assert not verify_consistency(old, len(leaves), root(leaves[:old]), root(leaves), proof)


@SOME
@given(tree_and_old_size())
def test_verify_consistency_rejects_truncated_proof(case: tuple[list[bytes], int]) -> None:
    leaves, old = case
    proof, old_root, new_root = consistency_proof(leaves, old), root(leaves[:old]), root(leaves)
    for truncated in (proof[1:], proof[:-1], []):
        assert not verify_consistency(old, len(leaves), old_root, new_root, truncated)


@SOME
@given(tree_and_old_size(), st.binary(min_size=32, max_size=32), st.data())
def test_verify_consistency_rejects_extended_proof(case: tuple[list[bytes], int], extra: bytes, data: Any) -> None:
    leaves, old = case
    proof, old_root, new_root = consistency_proof(leaves, old), root(leaves[:old]), root(leaves)
    position = data.draw(st.integers(0, len(proof)), label="position")
    for element in (extra, old_root, new_root, proof[0], proof[-1]):
        extended = [*proof[:position], element, *proof[position:]]
        assert not verify_consistency(old, len(leaves), old_root, new_root, extended)


@SOME
@given(tree_and_old_size(), st.data())
def test_verify_consistency_rejects_swapped_proof_elements(case: tuple[list[bytes], int], data: Any) -> None:
    leaves, old = case
    proof = consistency_proof(leaves, old)
    assume(len(proof) >= 2)
    i, j = data.draw(st.lists(st.integers(0, len(proof) - 1), min_size=2, max_size=2, unique=True), label="pair")
    proof[i], proof[j] = proof[j], proof[i]
    assert not verify_consistency(old, len(leaves), root(leaves[:old]), root(leaves), proof)


@SOME
@given(tree_and_old_size(), st.integers(0, 255))
def test_verify_consistency_rejects_swapped_or_bit_flipped_roots(case: tuple[list[bytes], int], bit: int) -> None:
    leaves, old = case
    proof, old_root, new_root, new = consistency_proof(leaves, old), root(leaves[:old]), root(leaves), len(leaves)
    assert not verify_consistency(old, new, new_root, old_root, proof)
    assert not verify_consistency(old, new, flip_bit(old_root, bit), new_root, proof)
    assert not verify_consistency(old, new, old_root, flip_bit(new_root, bit), proof)
    assert not verify_consistency(old, new, old_root, old_root, proof)
    assert not verify_consistency(old, new, new_root, new_root, proof)


@SOME
@given(tree_and_old_size(), st.data())
def test_verify_consistency_rejects_wrong_sizes_against_roots_of_those_sizes(
    case: tuple[list[bytes], int], data: Any
) -> None:
    leaves, old = case
    new = data.draw(st.integers(old + 1, len(leaves)), label="new")
    proof = consistency_proof(leaves[:new], old)
    for wrong_old, wrong_new in [(old - 1, new), (old + 1, new), (old, new - 1), (old, new + 1), (old ^ 1, new)]:
        if (wrong_old, wrong_new) != (old, new) and 0 < wrong_old < wrong_new <= len(leaves):
            old_root, new_root = root(leaves[:wrong_old]), root(leaves[:wrong_new])
            assert not verify_consistency(wrong_old, wrong_new, old_root, new_root, proof)


@SOME
@given(tree_and_old_size(), st.data())
def test_verify_consistency_rejects_wrong_old_size(case: tuple[list[bytes], int], data: Any) -> None:
    leaves, old = case
    new = len(leaves)
    proof, old_root, new_root = consistency_proof(leaves, old), root(leaves[:old]), root(leaves)
    other = data.draw(st.integers(-1, 2 * new), label="other")
    for wrong_old in {old - 1, old + 1, old * 2, old // 2, old ^ 1, other} - {old}:
        assert not verify_consistency(wrong_old, new, old_root, new_root, proof)


@SOME
@given(tree_and_old_size())
def test_verify_consistency_rejects_wrong_new_size_that_needs_another_proof_length(
    case: tuple[list[bytes], int],
) -> None:
    # As with inclusion, the new size is bound only through the new root when the proof has the same shape.
    leaves, old = case
    new = len(leaves)
    proof, old_root, new_root = consistency_proof(leaves, old), root(leaves[:old]), root(leaves)
    for wrong_new in {new - 1, new + 1, new * 2, new + 2}:
        if old < wrong_new and subproof_length(old, wrong_new, True) != len(proof):
            assert not verify_consistency(old, wrong_new, old_root, new_root, proof)


def test_verify_consistency_rejects_sizes_out_of_order_or_from_empty_tree() -> None:
    leaves = make_leaves(8)
    proof, old_root, new_root = consistency_proof(leaves, 3), root(leaves[:3]), root(leaves)
    assert verify_consistency(3, 8, old_root, new_root, proof)
    assert not verify_consistency(8, 3, old_root, new_root, proof)
    assert not verify_consistency(8, 3, new_root, old_root, proof)
    assert not verify_consistency(0, 8, EMPTY_ROOT, new_root, proof)
    assert not verify_consistency(0, 8, EMPTY_ROOT, new_root, [])
    assert not verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert not verify_consistency(-3, 8, old_root, new_root, proof)
    assert not verify_consistency(3, -8, old_root, new_root, proof)


def test_verify_consistency_between_equal_sizes_needs_equal_roots_and_empty_proof() -> None:
    leaves = make_leaves(5)
    tree_hash = root(leaves)
    assert verify_consistency(5, 5, tree_hash, tree_hash, [])
    assert verify_consistency(5, 5, tree_hash, tree_hash, ())
    assert not verify_consistency(5, 5, tree_hash, tree_hash, [tree_hash])
    assert not verify_consistency(5, 5, tree_hash, root(leaves[:4]), [])
    assert not verify_consistency(5, 5, tree_hash, None, [])  # type: ignore[arg-type]


# The verifiers never raise, and anything malformed is False.

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63, max_value=2**200),
    st.floats(),
    st.text(max_size=40),
    st.binary(max_size=40),
    st.binary(min_size=32, max_size=32),
    st.binary(min_size=32, max_size=32).map(bytearray),
    st.binary(min_size=32, max_size=32).map(lambda b: memoryview(b)),
    st.binary(min_size=32, max_size=32).map(lambda b: b.hex()),
    st.just(object()),
    st.just(float("nan")),
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
        st.frozensets(st.integers(), max_size=3),
    ),
    max_leaves=8,
)


def _is_hash(value: object) -> bool:
    return type(value) is bytes and len(value) == 32


def _is_proof(value: object) -> bool:
    return (type(value) is list or type(value) is tuple) and all(_is_hash(item) for item in value)


not_a_count = junk.filter(lambda v: type(v) is not int)
not_a_hash = junk.filter(lambda v: not _is_hash(v))
not_a_proof = st.one_of(
    junk.filter(lambda v: not _is_proof(v)),
    st.tuples(st.lists(st.binary(min_size=32, max_size=32), max_size=3), not_a_hash).map(lambda t: [*t[0], t[1]]),
)


@MANY
@given(junk, junk, junk, junk, junk)
def test_verify_inclusion_never_raises_on_junk(a: Any, b: Any, c: Any, d: Any, e: Any) -> None:
    assert verify_inclusion(a, b, c, d, e) in (True, False)
    if not (_is_hash(a) and type(b) is int and type(c) is int and _is_proof(d) and _is_hash(e)):
        assert verify_inclusion(a, b, c, d, e) is False


@MANY
@given(junk, junk, junk, junk, junk)
def test_verify_consistency_never_raises_on_junk(a: Any, b: Any, c: Any, d: Any, e: Any) -> None:
    assert verify_consistency(a, b, c, d, e) in (True, False)
    if not (type(a) is int and type(b) is int and a == b and a > 0):
        assert verify_consistency(a, b, c, d, e) is False


@SOME
@given(tree_and_index(), st.integers(0, 4), st.data())
def test_verify_inclusion_rejects_malformed_argument(case: tuple[list[bytes], int], position: int, data: Any) -> None:
    leaves, index = case
    args: list[Any] = [leaves[index], index, len(leaves), inclusion_proof(leaves, index), root(leaves)]
    assert verify_inclusion(*args)
    strategy = {0: not_a_hash, 1: not_a_count, 2: not_a_count, 3: not_a_proof, 4: not_a_hash}[position]
    args[position] = data.draw(strategy, label="junk")
    assert verify_inclusion(*args) is False


@SOME
@given(tree_and_old_size(), st.integers(0, 4), st.data())
def test_verify_consistency_rejects_malformed_argument(case: tuple[list[bytes], int], position: int, data: Any) -> None:
    leaves, old = case
    args: list[Any] = [old, len(leaves), root(leaves[:old]), root(leaves), consistency_proof(leaves, old)]
    assert verify_consistency(*args)
    strategy = {0: not_a_count, 1: not_a_count, 2: not_a_hash, 3: not_a_hash, 4: not_a_proof}[position]
    args[position] = data.draw(strategy, label="junk")
    assert verify_consistency(*args) is False


def test_verifiers_reject_out_of_range_and_oddly_typed_numbers() -> None:
    leaves = make_leaves(6)
    proof, tree_hash = inclusion_proof(leaves, 1), root(leaves)
    assert verify_inclusion(leaves[1], 1, 6, proof, tree_hash)
    for index, size in [(-1, 6), (1, -6), (6, 6), (1, 0), (0, 0), (2**64 - 1, 6), (1, 2**200), (True, 6), (1, 6.0)]:
        assert not verify_inclusion(leaves[1], index, size, proof, tree_hash)  # type: ignore[arg-type]
    assert not verify_inclusion(leaves[1], 1, 6, list(map(bytearray, proof)), tree_hash)
    assert not verify_inclusion(leaves[1], 1, 6, iter(proof), tree_hash)  # type: ignore[arg-type]
    assert verify_inclusion(leaves[1], 1, 6, tuple(proof), tree_hash)
    one = leaf_hash(b"one")
    assert not verify_inclusion(one, 0, 1, [], EMPTY_ROOT)
    assert verify_inclusion(one, 0, 1, [], one)
    assert not verify_inclusion(one, 0, 1, [one], one)
