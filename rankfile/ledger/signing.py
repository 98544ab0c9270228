"""Checkpoints in the C2SP tlog-checkpoint and signed-note formats, signed with Ed25519 (PyNaCl).

A checkpoint body is three lines: the log's origin, the tree size, and the base64 root hash. The signed note
is the body, a blank line, and one line per signature: an em dash, the key name, and base64 of the 4-byte key
hash followed by the 64-byte signature. The key hash is SHA-256(name || "\\n" || 0x01 || public key)[:4].
"""

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

ED25519 = b"\x01"
SIGNATURE_PREFIX = "\u2014 "


class CheckpointError(ValueError):
    """A checkpoint or key that cannot be read or does not verify; the message says why."""


@dataclass(frozen=True)
class TreeHead:
    origin: str
    size: int
    root: bytes


def key_hash(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode("utf-8") + b"\n" + ED25519 + public_key).digest()[:4]


def _ed25519_key(key_b64: str, *, what: str) -> bytes:
    """The 32 key bytes from base64 of the algorithm byte 0x01 and the key."""
    try:
        raw = base64.b64decode(key_b64, validate=True)
    except binascii.Error:
        raise CheckpointError(f"{what} is not valid base64") from None
    if len(raw) != 33 or raw[:1] != ED25519:
        raise CheckpointError(f"{what} is not an Ed25519 key")
    return raw[1:]


def _check_name(name: str) -> None:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise CheckpointError(f"a key name has no spaces and no '+': {name!r}")


@dataclass(frozen=True)
class LedgerKey:
    name: str
    signing_key: SigningKey

    @property
    def public_key(self) -> bytes:
        return bytes(self.signing_key.verify_key)

    @property
    def verifier(self) -> str:
        """The public verifier key, as witnesses and the note tools expect it: name+hash+base64key."""
        return "+".join(
            [
                self.name,
                key_hash(self.name, self.public_key).hex(),
                base64.b64encode(ED25519 + self.public_key).decode(),
            ]
        )

    def private_text(self) -> str:
        seed = bytes(self.signing_key)
        hash_hex = key_hash(self.name, self.public_key).hex()
        return f"PRIVATE+KEY+{self.name}+{hash_hex}+{base64.b64encode(ED25519 + seed).decode()}"

    @classmethod
    def generate(cls, name: str) -> "LedgerKey":
        _check_name(name)
        return cls(name=name, signing_key=SigningKey.generate())

    @classmethod
    def from_private_text(cls, text: str) -> "LedgerKey":
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise CheckpointError("the ledger key file does not hold a PRIVATE+KEY+name+hash+key line")
        name, hash_hex, key_b64 = parts[2:]
        key = cls(name=name, signing_key=SigningKey(_ed25519_key(key_b64, what="the ledger key")))
        if key_hash(name, key.public_key).hex() != hash_hex:
            raise CheckpointError("the ledger key's hash does not match its name and key")
        return key


def load_key(*, path: Path, name: str) -> LedgerKey | None:
    """The organization's ledger key from ``path``, if it is there."""
    if not path.exists():
        return None
    key = LedgerKey.from_private_text(path.read_text(encoding="utf-8"))
    if key.name != name:
        raise CheckpointError(
            f"the ledger key in {path} is named {key.name!r}, but the ledger's origin is {name!r}; "
            "set RANKFILE_LEDGER_ORIGIN to the key's name"
        )
    return key


def load_or_create_key(*, path: Path, name: str) -> tuple[LedgerKey, bool]:
    """The organization's ledger key from ``path``; generated there (mode 0600) on first use."""
    found = load_key(path=path, name=name)
    if found is not None:
        return found, False
    key = LedgerKey.generate(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as key_file:
        key_file.write(key.private_text() + "\n")
    return key, True


def checkpoint_body(head: TreeHead) -> str:
    if "\n" in head.origin or not head.origin:
        raise CheckpointError("the origin is one non-empty line")
    return f"{head.origin}\n{head.size}\n{base64.b64encode(head.root).decode()}\n"


def sign(head: TreeHead, key: LedgerKey) -> str:
    body = checkpoint_body(head)
    signature = key.signing_key.sign(body.encode("utf-8")).signature
    blob = base64.b64encode(key_hash(key.name, key.public_key) + signature).decode()
    return f"{body}\n{SIGNATURE_PREFIX}{key.name} {blob}\n"


def parse_verifier(verifier: str) -> tuple[str, bytes]:
    parts = verifier.strip().split("+", 2)
    if len(parts) != 3:
        raise CheckpointError("a verifier key reads name+hash+key")
    name, hash_hex, key_b64 = parts
    public_key = _ed25519_key(key_b64, what="the verifier key")
    if key_hash(name, public_key).hex() != hash_hex:
        raise CheckpointError("the verifier key's hash does not match its name and key")
    return name, public_key


def split_note(note: str) -> tuple[str, list[str]]:
    """The note's body (with its final newline) and its signature lines."""
    body, separator, signatures = note.partition("\n\n")
    if not separator:
        raise CheckpointError("this is not a signed note: there is no blank line before the signatures")
    return body + "\n", [line for line in signatures.split("\n") if line.startswith(SIGNATURE_PREFIX)]


def read_body(note: str) -> TreeHead:
    """The tree head a checkpoint note states, read without checking any signature."""
    body, _ = split_note(note)
    lines = body.split("\n")[:-1]
    if len(lines) < 3:
        raise CheckpointError("a checkpoint has at least three lines: origin, size, root hash")
    origin, size_text, root_text = lines[:3]
    if not size_text.isdigit() or (size_text.startswith("0") and size_text != "0"):
        raise CheckpointError(f"the tree size {size_text!r} is not a number")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error:
        raise CheckpointError("the root hash is not valid base64") from None
    if len(root) != 32:
        raise CheckpointError("the root hash is not 32 bytes long")
    return TreeHead(origin=origin, size=int(size_text), root=root)


def open_note(note: str, *, verifier: str) -> TreeHead:
    """Check the note's signature by ``verifier`` and return the tree head it signs; say exactly what is wrong."""
    name, public_key = parse_verifier(verifier)
    head = read_body(note)
    body, signatures = split_note(note)
    expected_hash = key_hash(name, public_key)
    for line in signatures:
        signer, _, blob_text = line[len(SIGNATURE_PREFIX) :].partition(" ")
        try:
            blob = base64.b64decode(blob_text, validate=True)
        except binascii.Error:
            continue
        if signer != name or blob[:4] != expected_hash or len(blob) != 68:
            continue
        try:
            VerifyKey(public_key).verify(body.encode("utf-8"), blob[4:])
        except BadSignatureError:
            raise CheckpointError(f"the signature by {name} does not verify: the note was altered") from None
        return head
    raise CheckpointError(f"the note carries no signature by the key {name}")
