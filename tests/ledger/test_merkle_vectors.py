"""The RFC 6962 / RFC 9162 proof vectors in tests/ledger/vectors/merkle, every file of them."""

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from rankfile.ledger.merkle import (
    EMPTY_ROOT,
    MemoryNodes,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root,
    tree_consistency_proof,
    tree_inclusion_proof,
    verify_consistency,
    verify_inclusion,
)

# Carried inside the repository (see its README for origin and licence): tests read nothing outside it.
VECTORS = Path(__file__).resolve().parent / "vectors" / "merkle"
# As many case files as the vector set holds today; fewer means cases went missing.
MIN_FILES = {"inclusion": 98, "consistency": 98}
# Happy paths whose tree is a prefix of the README's eight leaves.
MIN_PREFIX_HAPPY_PATHS = {"inclusion": 5, "consistency": 5}

LEAF_INPUTS = [
    bytes.fromhex(h)
    for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
]
LEAF_HASHES = [leaf_hash(data) for data in LEAF_INPUTS]
ROOT_OF_EIGHT = bytes.fromhex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
ROOT_OF_NONE = bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")


def _files(kind: str) -> list[Path]:
    directory = VECTORS / kind
    return sorted(directory.rglob("*.json")) if directory.is_dir() else []


def _params(kind: str) -> list[Any]:
    params = [pytest.param(path, id=path.relative_to(VECTORS).as_posix()) for path in _files(kind)]
    # An empty parameter set would be skipped quietly; a missing directory must fail instead.
    return params or [pytest.param(VECTORS / kind, id=f"{kind}-missing")]


def _load(path: Path) -> dict[str, Any]:
    case: dict[str, Any] = json.loads(path.read_text())
    return case


def _b64(value: str) -> bytes:
    return base64.b64decode(value, validate=True)


def _proof(case: dict[str, Any]) -> list[bytes]:
    # A JSON null proof is the empty proof.
    return [_b64(item) for item in case["proof"] or []]


def _is_prefix_inclusion(case: dict[str, Any]) -> bool:
    size, index = case["treeSize"], case["leafIdx"]
    return (
        not case["wantErr"]
        and 0 <= index < size <= len(LEAF_HASHES)
        and _b64(case["leafHash"]) == LEAF_HASHES[index]
        and _b64(case["root"]) == root(LEAF_HASHES[:size])
    )


def _is_prefix_consistency(case: dict[str, Any]) -> bool:
    old, new = case["size1"], case["size2"]
    return (
        not case["wantErr"]
        and 0 < old <= new <= len(LEAF_HASHES)
        and _b64(case["root1"]) == root(LEAF_HASHES[:old])
        and _b64(case["root2"]) == root(LEAF_HASHES[:new])
    )


def _prefix_happy_paths(kind: str) -> list[Path]:
    is_prefix = _is_prefix_inclusion if kind == "inclusion" else _is_prefix_consistency
    return [path for path in _files(kind) if is_prefix(_load(path))]


def _prefix_params(kind: str) -> list[Any]:
    params = [pytest.param(path, id=path.relative_to(VECTORS).as_posix()) for path in _prefix_happy_paths(kind)]
    return params or [pytest.param(VECTORS / kind, id=f"{kind}-no-prefix-happy-paths")]


@pytest.mark.parametrize("kind", sorted(MIN_FILES))
def test_vector_directory_holds_every_case(kind: str) -> None:
    assert VECTORS.is_dir(), f"missing Merkle vectors at {VECTORS}"
    assert (VECTORS / "README.md").is_file()
    assert len(_files(kind)) >= MIN_FILES[kind]
    assert len(_prefix_happy_paths(kind)) >= MIN_PREFIX_HAPPY_PATHS[kind]


@pytest.mark.parametrize("path", _params("inclusion"))
def test_verify_inclusion_agrees_with_vector(path: Path) -> None:
    case = _load(path)
    accepted = verify_inclusion(
        _b64(case["leafHash"]), case["leafIdx"], case["treeSize"], _proof(case), _b64(case["root"])
    )
    assert accepted is (not case["wantErr"]), case["desc"]


@pytest.mark.parametrize("path", _params("consistency"))
def test_verify_consistency_agrees_with_vector(path: Path) -> None:
    case = _load(path)
    accepted = verify_consistency(case["size1"], case["size2"], _b64(case["root1"]), _b64(case["root2"]), _proof(case))
    assert accepted is (not case["wantErr"]), case["desc"]


def test_root_of_readme_leaves_matches_readme() -> None:
    assert root(LEAF_HASHES) == ROOT_OF_EIGHT
    assert MemoryNodes(LEAF_HASHES).root() == ROOT_OF_EIGHT


def test_root_of_empty_tree_matches_readme() -> None:
    assert root([]) == ROOT_OF_NONE
    assert EMPTY_ROOT == ROOT_OF_NONE
    assert MemoryNodes().root() == ROOT_OF_NONE


@pytest.mark.parametrize("path", _prefix_params("inclusion"))
def test_inclusion_builders_reproduce_happy_path_proof(path: Path) -> None:
    case = _load(path)
    assert _is_prefix_inclusion(case)
    leaves, index = LEAF_HASHES[: case["treeSize"]], case["leafIdx"]
    assert inclusion_proof(leaves, index) == _proof(case)
    assert tree_inclusion_proof(MemoryNodes(LEAF_HASHES), index, len(leaves)) == _proof(case)


@pytest.mark.parametrize("path", _prefix_params("consistency"))
def test_consistency_builders_reproduce_happy_path_proof(path: Path) -> None:
    case = _load(path)
    assert _is_prefix_consistency(case)
    old, new = case["size1"], case["size2"]
    assert consistency_proof(LEAF_HASHES[:new], old) == _proof(case)
    assert tree_consistency_proof(MemoryNodes(LEAF_HASHES), old, new) == _proof(case)
