"""The vault's primitives, each a thin use of libsodium (PyNaCl) or ``cryptography``; no cipher is written here.

- password and receipt keys: Argon2id (libsodium ``crypto_pwhash``);
- wrapping a private key under such a key or a session key: XChaCha20-Poly1305 (libsodium AEAD), with the public
  key as associated data, so a wrapped key cannot be swapped onto another key pair;
- document content: AES-256-GCM (``cryptography``) under a random data key, with the document's id, kind and
  version as associated data;
- data keys to readers: libsodium sealed boxes (X25519) to each reader's public key;
- files: libsodium secretstream (XChaCha20-Poly1305), in chunks, so memory stays flat whatever the size.
"""

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import nacl.bindings as sodium
import nacl.exceptions
import nacl.pwhash.argon2id
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import Aead

from rankfile.derivations import argon2_slot
from rankfile.vault.errors import VaultError

KEY_BYTES = 32
SALT_BYTES = nacl.pwhash.argon2id.SALTBYTES
GCM_NONCE_BYTES = 12
CHUNK_BYTES = 64 * 1024
_STREAM_HEADER = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
_STREAM_OVERHEAD = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
_TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
_TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL


@dataclass(frozen=True)
class Argon2Cost:
    """Argon2id's cost; stored beside every key it made, so that changing the setting breaks no key."""

    opslimit: int
    memlimit: int


def stretch(secret: bytes, *, salt: bytes, cost: Argon2Cost) -> bytes:
    """A 32-byte key from a password or a receipt code (Argon2id)."""
    with argon2_slot():
        return bytes(nacl.pwhash.argon2id.kdf(KEY_BYTES, secret, salt, opslimit=cost.opslimit, memlimit=cost.memlimit))


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def wrap_private(private: PrivateKey, *, key: bytes) -> bytes:
    """The private key, encrypted under ``key`` and bound to its public key."""
    return bytes(Aead(key).encrypt(bytes(private), aad=bytes(private.public_key)))


def unwrap_private(wrapped: bytes, *, key: bytes, public: bytes) -> PrivateKey:
    try:
        private = PrivateKey(Aead(key).decrypt(wrapped, aad=public))
    except nacl.exceptions.CryptoError:
        raise VaultError("the key does not open this private key", code="wrong_key") from None
    if bytes(private.public_key) != public:
        raise VaultError("the private key does not belong to this public key", code="wrong_key")
    return private


def seal_to(public: bytes, message: bytes) -> bytes:
    """A sealed box: only the holder of the matching private key can open it."""
    return bytes(SealedBox(PublicKey(bytes(public))).encrypt(bytes(message)))


def unseal(private: PrivateKey, sealed: bytes) -> bytes:
    try:
        return bytes(SealedBox(private).decrypt(sealed))
    except nacl.exceptions.CryptoError:
        raise VaultError("this key cannot open the sealed box", code="wrong_key") from None


def encrypt(data_key: bytes, plaintext: bytes, *, associated: bytes) -> bytes:
    """AES-256-GCM; the nonce is random (one message per data key) and stored in front of the ciphertext."""
    nonce = os.urandom(GCM_NONCE_BYTES)
    return nonce + AESGCM(data_key).encrypt(nonce, plaintext, associated)


def decrypt(data_key: bytes, sealed: bytes, *, associated: bytes) -> bytes:
    try:
        return AESGCM(data_key).decrypt(sealed[:GCM_NONCE_BYTES], sealed[GCM_NONCE_BYTES:], associated)
    except (InvalidTag, ValueError):
        raise VaultError(
            "the content does not decrypt: wrong key, changed ciphertext or changed associated data",
            code="tampered",
        ) from None


def stream_encrypt(chunks: Iterable[bytes], *, key: bytes, associated: bytes, out: BinaryIO) -> int:
    """Encrypt ``chunks`` into ``out`` (a header, then one authenticated chunk each, the last marked final).

    Returns the number of plaintext bytes. Chunks are re-cut to CHUNK_BYTES so the output does not depend on how
    the upload arrived.
    """
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    out.write(sodium.crypto_secretstream_xchacha20poly1305_init_push(state, key))
    total = 0
    pending = bytearray()  # deleting from its front is cheap
    for chunk in chunks:
        pending += chunk
        while len(pending) > CHUNK_BYTES:
            piece = bytes(pending[:CHUNK_BYTES])
            del pending[:CHUNK_BYTES]
            out.write(sodium.crypto_secretstream_xchacha20poly1305_push(state, piece, associated, _TAG_MESSAGE))
            total += len(piece)
    out.write(sodium.crypto_secretstream_xchacha20poly1305_push(state, bytes(pending), associated, _TAG_FINAL))
    return total + len(pending)


def stream_decrypt(source: BinaryIO, *, key: bytes, associated: bytes) -> Iterator[bytes]:
    """The plaintext chunks of ``stream_encrypt``'s output. Raises VaultError for a changed, reordered or
    truncated stream; a truncated one only at its end, so write the output somewhere temporary first."""
    header = source.read(_STREAM_HEADER)
    if len(header) != _STREAM_HEADER:
        raise VaultError("the file is truncated: its header is missing", code="truncated")
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    try:
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
    except (nacl.exceptions.CryptoError, ValueError):
        raise VaultError("the file's header does not match the key", code="tampered") from None
    while True:
        block = source.read(CHUNK_BYTES + _STREAM_OVERHEAD)
        if not block:
            raise VaultError("the file is truncated: it ends before its last chunk", code="truncated")
        try:
            plaintext, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, block, associated)
        except (nacl.exceptions.CryptoError, ValueError):
            raise VaultError(
                "a chunk of the file does not decrypt: changed, reordered or cut", code="tampered"
            ) from None
        yield plaintext
        if tag == _TAG_FINAL:
            if source.read(1):
                raise VaultError("the file has data after its last chunk", code="tampered")
            return


def new_keypair() -> PrivateKey:
    return PrivateKey.generate()


def keypair_from_seed(seed: bytes) -> PrivateKey:
    """An X25519 key pair from 32 bytes of key material (a receipt code stretched by Argon2id)."""
    return PrivateKey.from_seed(seed)
