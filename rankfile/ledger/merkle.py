"""Merkle tree hashing, proofs and proof verification as specified by RFC 9162 (hashing identical to RFC 6962).

A leaf hash is SHA-256(0x00 || data), an interior node SHA-256(0x01 || left || right), and the tree of n leaves
splits at the largest power of two strictly smaller than n. The empty tree's root is SHA-256(b"").

Two ways to build roots and proofs:

- pure functions over the full list of leaf hashes (`root`, `inclusion_proof`, `consistency_proof`), O(n);
- functions over a `NodeSource` that stores the hashes of complete subtrees (`tree_root`, `tree_inclusion_proof`,
  `tree_consistency_proof`), O(log n) node lookups fetched in a single `nodes()` call.

Node keys are `(level, index)`: the complete subtree covering leaves [index * 2**level, (index + 1) * 2**level).
Level 0 holds the leaf hashes. The hash of a complete subtree never changes once its last leaf exists, so a store
can persist each node once (see `complete_nodes_after_append`).

The verifiers (`verify_inclusion`, `verify_consistency`) follow RFC 9162 §2.1.3.2 and §2.1.4.2 and return False
for every malformed input instead of raising. They accept only exact `int` sizes (not bool), exact `bytes` hashes
and proofs given as a `list` or `tuple` of 32-byte `bytes`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "MemoryNodes",
    "NodeKey",
    "NodeSource",
    "complete_nodes_after_append",
    "consistency_proof",
    "fold_nodes",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "range_nodes",
    "root",
    "tree_consistency_proof",
    "tree_inclusion_proof",
    "tree_root",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

_sha256 = hashlib.sha256
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"

NodeKey = tuple[int, int]
"""(level, index) of a complete subtree: leaves [index * 2**level, (index + 1) * 2**level)."""


class NodeSource(Protocol):
    """Anything that can look up hashes of complete subtrees by (level, index)."""

    def nodes(self, keys: Sequence[NodeKey]) -> Mapping[NodeKey, bytes]:
        """Hashes of the requested complete subtrees; a node not held is left out or raises LookupError."""
        ...


def leaf_hash(data: bytes) -> bytes:
    """Hash of a leaf: SHA-256(0x00 || data)."""
    return _sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash of an interior node: SHA-256(0x01 || left || right)."""
    return _sha256(_NODE_PREFIX + left + right).digest()


def _pair_up(level: Sequence[bytes]) -> list[bytes]:
    """Hashes of adjacent pairs of `level`; an odd last element is dropped."""
    sha256 = _sha256
    prefix = _NODE_PREFIX
    pairs = iter(level)
    return [sha256(prefix + left + right).digest() for left, right in zip(pairs, pairs, strict=False)]


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """Root hash of the tree whose leaves have the given hashes (EMPTY_ROOT for no leaves)."""
    level = leaf_hashes if isinstance(leaf_hashes, list | tuple) else list(leaf_hashes)
    if not level:
        return EMPTY_ROOT
    while (count := len(level)) > 1:
        parents = _pair_up(level)
        # Carrying the odd last hash up unchanged yields exactly the RFC's left-balanced tree.
        if count & 1:
            parents.append(level[-1])
        level = parents
    return level[0]


def _largest_power_of_two_below(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges [a, b) whose subtree hashes form the audit path of `index`, leaf side first (RFC 9162 PATH)."""
    ranges: list[tuple[int, int]] = []
    lo, hi = 0, size
    while hi - lo > 1:
        split = lo + _largest_power_of_two_below(hi - lo)
        if index < split:
            ranges.append((split, hi))
            hi = split
        else:
            ranges.append((lo, split))
            lo = split
    ranges.reverse()
    return ranges


def _consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """Leaf ranges [a, b) whose subtree hashes form the consistency proof (RFC 9162 SUBPROOF), 0 < old < new."""
    ranges: list[tuple[int, int]] = []
    lo, hi = 0, new_size
    remaining = old_size
    whole_old_tree = True
    while remaining != hi - lo:
        split = lo + _largest_power_of_two_below(hi - lo)
        if lo + remaining <= split:
            ranges.append((split, hi))
            hi = split
        else:
            ranges.append((lo, split))
            remaining -= split - lo
            lo = split
            whole_old_tree = False
    # The verifier already knows the old root, so it is left out when the old tree is itself a subtree here.
    if not whole_old_tree:
        ranges.append((lo, hi))
    ranges.reverse()
    return ranges


def _check_index(index: int, size: int) -> None:
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of {size} leaves")


def _check_sizes(old_size: int, new_size: int) -> None:
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from a tree of {old_size} leaves to one of {new_size}")


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int) -> list[bytes]:
    """Audit path of leaf `index` in the tree of all `leaf_hashes`; ValueError unless 0 <= index < len."""
    _check_index(index, len(leaf_hashes))
    return [root(leaf_hashes[a:b]) for a, b in _inclusion_ranges(index, len(leaf_hashes))]


def consistency_proof(leaf_hashes: Sequence[bytes], old_size: int) -> list[bytes]:
    """Proof that the tree of the first `old_size` leaves is a prefix of the tree of all of them.

    ValueError unless 0 < old_size <= len(leaf_hashes); the proof for old_size == len(leaf_hashes) is empty.
    """
    _check_sizes(old_size, len(leaf_hashes))
    return [root(leaf_hashes[a:b]) for a, b in _consistency_ranges(old_size, len(leaf_hashes))]


def range_nodes(start: int, end: int) -> list[NodeKey]:
    """Complete subtrees tiling leaves [start, end), left to right, as the RFC tree decomposes that range.

    The range must be a subtree of some RFC tree: start is a multiple of the smallest power of two >= end - start.
    """
    width = end - start
    if start < 0 or width < 1 or start % (1 << (width - 1).bit_length()):
        raise ValueError(f"leaves [{start}, {end}) are not a subtree of a Merkle tree")
    keys: list[NodeKey] = []
    position = start
    for level in range(width.bit_length() - 1, -1, -1):
        if width >> level & 1:
            keys.append((level, position >> level))
            position += 1 << level
    return keys


def fold_nodes(hashes: Sequence[bytes]) -> bytes:
    """Hash of the subtree tiled by the complete subtrees with these hashes (in `range_nodes` order)."""
    if not hashes:
        raise ValueError("no node hashes to fold")
    sha256 = _sha256
    prefix = _NODE_PREFIX
    folded = hashes[-1]
    # Each complete subtree is the left child of the node that joins it to the (smaller) rest on its right.
    for left in reversed(hashes[:-1]):
        folded = sha256(prefix + left + folded).digest()
    return folded


def _subtree_hashes(source: NodeSource, ranges: Iterable[tuple[int, int]]) -> list[bytes]:
    """Hashes of the subtrees over the given leaf ranges, looked up with a single `nodes()` call."""
    tilings = [range_nodes(a, b) for a, b in ranges]
    wanted = list(dict.fromkeys(key for tiling in tilings for key in tiling))
    if not wanted:
        return []
    found = source.nodes(wanted)
    missing = [key for key in wanted if key not in found]
    if missing:
        raise LookupError(f"node source lacks nodes {missing}")
    return [fold_nodes([found[key] for key in tiling]) for tiling in tilings]


def tree_root(source: NodeSource, size: int) -> bytes:
    """Root of the tree of the first `size` leaves held by `source`."""
    if size < 0:
        raise ValueError(f"a tree cannot have {size} leaves")
    if size == 0:
        return EMPTY_ROOT
    return _subtree_hashes(source, [(0, size)])[0]


def tree_inclusion_proof(source: NodeSource, index: int, size: int) -> list[bytes]:
    """Same as `inclusion_proof` for the first `size` leaves held by `source`."""
    _check_index(index, size)
    return _subtree_hashes(source, _inclusion_ranges(index, size))


def tree_consistency_proof(source: NodeSource, old_size: int, new_size: int) -> list[bytes]:
    """Same as `consistency_proof` from `old_size` to `new_size` leaves held by `source`."""
    _check_sizes(old_size, new_size)
    return _subtree_hashes(source, _consistency_ranges(old_size, new_size))


def complete_nodes_after_append(index: int) -> list[NodeKey]:
    """Nodes of level >= 1 that become complete when leaf `index` is appended, lowest level first.

    Node (k, j) hashes node (k - 1, 2j) with node (k - 1, 2j + 1), so computing them in this order needs only
    nodes that already exist.
    """
    if index < 0:
        raise ValueError(f"leaf index {index} is negative")
    count = index + 1
    keys: list[NodeKey] = []
    level = 1
    while count % (1 << level) == 0:
        keys.append((level, (count >> level) - 1))
        level += 1
    return keys


class MemoryNodes:
    """In-memory NodeSource: every complete subtree hash of a list of leaf hashes, levels[k][i]."""

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        level = list(leaf_hashes)
        self.levels: list[list[bytes]] = [level]
        while len(level) > 1:
            level = _pair_up(level)
            self.levels.append(level)

    @property
    def size(self) -> int:
        """Number of leaves held."""
        return len(self.levels[0])

    def append(self, leaf_hash: bytes) -> None:
        """Add one leaf hash and the nodes it completes."""
        index = self.size
        self.levels[0].append(leaf_hash)
        for level, position in complete_nodes_after_append(index):
            if level == len(self.levels):
                self.levels.append([])
            below = self.levels[level - 1]
            self.levels[level].append(node_hash(below[2 * position], below[2 * position + 1]))

    def nodes(self, keys: Sequence[NodeKey]) -> dict[NodeKey, bytes]:
        """Hashes of the requested complete subtrees; KeyError for one not held."""
        levels = self.levels
        found: dict[NodeKey, bytes] = {}
        for key in keys:
            level, position = key
            # Explicit bounds: a negative position must not wrap around to the end of the list.
            if not (0 <= level < len(levels) and 0 <= position < len(levels[level])):
                raise KeyError(key)
            found[key] = levels[level][position]
        return found

    def root(self, size: int | None = None) -> bytes:
        """Root of the tree of the first `size` leaves (all of them by default)."""
        return tree_root(self, self.size if size is None else size)


def _is_count(value: object) -> bool:
    # Exact type: bool and int subclasses are not sizes, and no foreign code runs on comparison.
    return type(value) is int and value >= 0


def _is_hash(value: object) -> bool:
    return type(value) is bytes and len(value) == HASH_SIZE


def _proof_hashes(proof: object) -> list[bytes] | None:
    """The proof as a list of hashes, or None if it is not a list or tuple of 32-byte `bytes`."""
    if type(proof) is not list and type(proof) is not tuple:
        return None
    hashes = list(proof)
    if not all(_is_hash(item) for item in hashes):
        return None
    return hashes


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """True iff `proof` shows the leaf with hash `leaf_hash` at `index` in the tree of `size` leaves with `root`."""
    if not (_is_count(index) and _is_count(size) and index < size):
        return False
    if not (_is_hash(leaf_hash) and _is_hash(root)):
        return False
    path = _proof_hashes(proof)
    if path is None:
        return False
    sha256 = _sha256
    prefix = _NODE_PREFIX
    fn, sn = index, size - 1
    computed = leaf_hash
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            computed = sha256(prefix + sibling + computed).digest()
            # Skip the levels where this node has no right sibling (the right edge of an unbalanced tree).
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            computed = sha256(prefix + computed + sibling).digest()
        fn >>= 1
        sn >>= 1
    return sn == 0 and computed == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """True iff `proof` shows the tree of `old_size` leaves with `old_root` is a prefix of the one with `new_root`.

    A proof from the empty tree proves nothing and is rejected. Equal sizes need an empty proof and identical
    roots; those roots are compared as given, of any length, as the RFC 6962 reference vectors expect.
    """
    if not (_is_count(old_size) and _is_count(new_size) and 0 < old_size <= new_size):
        return False
    if type(old_root) is not bytes or type(new_root) is not bytes:
        return False
    path = _proof_hashes(proof)
    if path is None:
        return False
    if old_size == new_size:
        return not path and old_root == new_root
    if not (_is_hash(old_root) and _is_hash(new_root)) or not path:
        return False
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    sha256 = _sha256
    prefix = _NODE_PREFIX
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    old_computed = new_computed = path[0]
    for element in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            old_computed = sha256(prefix + element + old_computed).digest()
            new_computed = sha256(prefix + element + new_computed).digest()
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            new_computed = sha256(prefix + new_computed + element).digest()
        fn >>= 1
        sn >>= 1
    return sn == 0 and old_computed == old_root and new_computed == new_root
