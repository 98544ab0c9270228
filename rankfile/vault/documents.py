"""Sealing and opening documents and files.

Each version of a document is encrypted under a random data key of its own (AES-256-GCM, the document's id, kind
and version number as associated data), and that key is sealed to each reader's public key and to the
organization's recovery key. A new version goes to the readers named for it, so after ``revoke`` the next write
leaves the revoked reader out under a new key.

Opening needs a ``Purpose``: the caller's account of why (who, under which assignment), which the vault asks to
record before it returns anything. There is no way to open without one. A key unlocked in a sign-in records each
version once for that sign-in: the first opening writes the entry, later ones in the same sign-in do not
(docs/vault.md, "Reads").
"""

import abc
import contextlib
import functools
import hashlib
import json
import logging
import os
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import filetype
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, OuterRef, Subquery

from rankfile.errors import NotAllowed
from rankfile.vault import crypto
from rankfile.vault.errors import FileMissing, VaultError
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import Document, KeyHolder, Keypair, Recovery, RecoveryKey, Version, WrappedKey

log = logging.getLogger(__name__)

# Evidence people send: pictures, PDFs, sound and video recordings, and plain text.
FILE_TYPES = {
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/heic",
    "application/pdf",
    "audio/mpeg",
    "audio/mp4",
    "audio/m4a",
    "audio/ogg",
    "audio/x-wav",
    "audio/x-flac",
    "audio/amr",
    "video/mp4",
    "video/webm",
    "video/quicktime",
    "text/plain",
}
_SNIFF_BYTES = 8192


class Purpose(abc.ABC):
    """Why a version is opened. ``record_open`` writes the caller's ledger entry (who, which document, under which
    assignment); it runs in the same transaction, before the content is decrypted."""

    @abc.abstractmethod
    def record_open(self, *, version: Version, reader: Keypair) -> None: ...


class Upload(Protocol):
    """What Django's uploaded files offer (and an open file wrapped in ``django.core.files.File``)."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]: ...

    def seek(self, offset: int) -> Any: ...

    def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class OpenedFile:
    name: str
    content_type: str
    size: int
    chunks: Iterator[bytes]


def _associated(document: Document, number: int) -> bytes:
    return f"rankfile-vault|document={document.pk}|kind={document.kind}|version={number}".encode()


def recovery_keypair() -> Keypair | None:
    key = RecoveryKey.objects.filter(replaced_at__isnull=True).select_related("keypair").first()
    return key.keypair if key is not None else None


def _readers(readers: Sequence[Keypair]) -> list[Keypair]:
    chosen: dict[int, Keypair] = {}
    for reader in readers:
        if reader.holder == KeyHolder.RECOVERY or reader.retired_at is not None:
            raise VaultError(f"{reader} cannot be given new material", code="wrong_key")
        chosen[reader.pk] = reader
    if not chosen:
        raise VaultError("sealed material needs at least one reader", code="wrong_key")
    recovery = recovery_keypair()
    if recovery is not None:
        chosen[recovery.pk] = recovery
    return list(chosen.values())


def _new_version(
    *, document: Document | None, kind: str, readers: Sequence[Keypair]
) -> tuple[Document, int, bytes, list[Keypair]]:
    if not connection.in_atomic_block:
        raise VaultError("sealing runs inside the caller's transaction.atomic()", code="vault")
    everyone = _readers(readers)
    if document is None:
        document = Document.objects.create(kind=kind)
    elif document.kind != kind:
        raise VaultError(f"{document} is a {document.kind}, not a {kind}", code="vault")
    else:
        Document.objects.select_for_update().filter(pk=document.pk).first()
    last = document.versions.aggregate(last=Max("number"))["last"] or 0
    return document, last + 1, crypto.new_key(), everyone


def _store_version(
    *,
    document: Document,
    number: int,
    sealed: bytes,
    blob: str,
    file_hash: bytes,
    data_key: bytes,
    readers: list[Keypair],
) -> Version:
    version = Version.objects.create(
        document=document,
        number=number,
        sealed=sealed,
        blob=blob,
        sealed_hash=hashlib.sha256(sealed + file_hash).digest(),
    )
    WrappedKey.objects.bulk_create(
        WrappedKey(version=version, keypair=reader, sealed=crypto.seal_to(bytes(reader.public_key), data_key))
        for reader in readers
    )
    return version


def seal(*, kind: str, content: str | bytes, readers: Sequence[Keypair], document: Document | None = None) -> Version:
    """A new document (or a new version of ``document``) that only ``readers`` (and recovery) can open."""
    document, number, data_key, everyone = _new_version(document=document, kind=kind, readers=readers)
    plaintext = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    sealed = crypto.encrypt(data_key, plaintext, associated=_associated(document, number))
    return _store_version(
        document=document, number=number, sealed=sealed, blob="", file_hash=b"", data_key=data_key, readers=everyone
    )


def _data_key(version: Version, key: UnlockedKey) -> bytes:
    read_with = getattr(version, "_sealed_for_reader", None)  # set by latest_for_reader
    if read_with is not None and read_with[0] == key.keypair.pk:
        return crypto.unseal(key.private, read_with[1])
    wrapped = WrappedKey.objects.filter(version=version, keypair=key.keypair).first()
    if wrapped is None:
        raise NotAllowed(f"{key.keypair} is not a reader of {version}")
    return crypto.unseal(key.private, bytes(wrapped.sealed))


def _records(version: Version, key: UnlockedKey) -> bool:
    """Whether opening ``version`` with ``key`` writes a read entry: not when its sign-in has recorded it already."""
    return key.sign_in is None or not key.sign_in.has_recorded(version.pk)


def reading(version: Version, key: UnlockedKey) -> AbstractContextManager[Any]:
    """The transaction to open ``version`` with ``key`` in: one for its read entry, or none when the sign-in has
    already recorded that read, so that a reload takes no write lock."""
    return transaction.atomic() if _records(version, key) else contextlib.nullcontext()


def _opened(version: Version, key: UnlockedKey, purpose: Purpose) -> bytes:
    if not isinstance(purpose, Purpose):
        raise TypeError("opening sealed material needs a Purpose that records the read")
    records = _records(version, key)
    if records and not connection.in_atomic_block:
        raise VaultError("opening runs inside the caller's transaction.atomic(), with its ledger entry", code="vault")
    data_key = _data_key(version, key)
    sign_in = key.sign_in
    if records:
        purpose.record_open(version=version, reader=key.keypair)
        if sign_in is not None:
            # Remembered only once the entry is committed: a read whose entry rolled back is recorded next time.
            transaction.on_commit(functools.partial(sign_in.remember, version.pk))
    return crypto.decrypt(data_key, bytes(version.sealed), associated=_associated(version.document, version.number))


def open_text(version: Version, *, key: UnlockedKey, purpose: Purpose) -> str:
    if version.blob:
        raise VaultError(f"{version} is a file; open it with open_file", code="vault")
    return _opened(version, key, purpose).decode("utf-8")


def open_bytes(version: Version, *, key: UnlockedKey, purpose: Purpose) -> bytes:
    if version.blob:
        raise VaultError(f"{version} is a file; open it with open_file", code="vault")
    return _opened(version, key, purpose)


def latest(document: Document) -> Version:
    version = document.versions.order_by("-number").first()
    if version is None:
        raise VaultError(f"{document} has no version", code="vault")
    return version


def latest_for_reader(document_ids: Iterable[int], key: UnlockedKey) -> dict[int, Version]:
    """The latest version of each of these documents, by document id, for those that ``key`` reads (the others are
    left out), each with its data key as sealed to that reader: a page opens its documents with one query, not two
    to find each one's latest version and whether it is readable and a third for its key."""
    sealed_to_reader = WrappedKey.objects.filter(version=OuterRef("pk"), keypair=key.keypair).values("sealed")[:1]
    latest: dict[int, Version] = {}
    for each in (
        Version.objects.filter(document_id__in=list(document_ids))
        .annotate(sealed_to_reader=Subquery(sealed_to_reader))
        .select_related("document")
        .order_by("document_id", "number")
    ):
        latest[each.document_id] = each  # the highest number last
    found: dict[int, Version] = {}
    for document_id, version in latest.items():
        sealed = getattr(version, "sealed_to_reader", None)
        if sealed is not None:
            version._sealed_for_reader = (key.keypair.pk, bytes(sealed))  # type: ignore[attr-defined]
            found[document_id] = version
    return found


def readers_of(version: Version) -> list[Keypair]:
    """Everyone who can open ``version``, the recovery key left out."""
    return list(Keypair.objects.filter(wrapped_keys__version=version).exclude(holder=KeyHolder.RECOVERY))


@transaction.atomic
def grant(*, document: Document, to: Keypair, by: UnlockedKey) -> int:
    """Let ``to`` open every version of ``document`` that ``by`` can open; returns how many versions."""
    if to.holder == KeyHolder.RECOVERY or to.retired_at is not None:
        raise VaultError(f"{to} cannot be given material", code="wrong_key")
    granted = 0
    for version in document.versions.filter(wrapped_keys__keypair=by.keypair).order_by("number"):
        data_key = _data_key(version, by)
        _, created = WrappedKey.objects.get_or_create(
            version=version, keypair=to, defaults={"sealed": crypto.seal_to(bytes(to.public_key), data_key)}
        )
        granted += int(created)
    return granted


@transaction.atomic
def revoke(*, document: Document, reader: Keypair) -> int:
    """Take every wrapped key of ``document`` from ``reader`` at once, and from every other key pair of the same
    person (a retired one must not bring it back through a restoration); returns how many were removed. Open
    recovery requests stop covering the document for them. Later versions go only to the readers named for them,
    each under a new data key."""
    if reader.holder == KeyHolder.RECOVERY:
        raise VaultError("the recovery key reads everything; it cannot be revoked", code="vault")
    theirs = Keypair.objects.filter(user=reader.user) if reader.user_id else Keypair.objects.filter(pk=reader.pk)
    deleted, _ = WrappedKey.objects.filter(version__document=document, keypair__in=theirs).delete()
    versions = list(document.versions.all())
    for request in Recovery.objects.filter(
        completed_at__isnull=True, cancelled_at__isnull=True, targets__in=theirs
    ).distinct():
        request.versions.remove(*versions)
    return deleted


def _check_upload(upload: Upload) -> tuple[str, bytes]:
    limit = settings.VAULT_MAX_FILE_BYTES
    if upload.size is not None and upload.size > limit:
        raise VaultError(
            f"the file is {_size_text(upload.size)}; files up to {_size_text(limit)} are accepted", code="too_large"
        )
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    return _content_type(head), head


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(size / 1024))} KB"


def _content_type(head: bytes) -> str:
    guess = filetype.guess(head)
    if guess is not None:
        if guess.mime in FILE_TYPES:
            return str(guess.mime)
    elif head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as cut:
            if cut.start < len(head) - 4:  # a character cut off by the sniffing window is fine
                raise VaultError(_type_message(), code="file_type") from None
        return "text/plain"
    raise VaultError(_type_message(), code="file_type")


def _type_message() -> str:
    return "this kind of file is not accepted; send pictures, PDF documents, sound or video recordings, or plain text"


def _limited(chunks: Iterable[bytes]) -> Iterator[bytes]:
    received = 0
    for chunk in chunks:
        received += len(chunk)
        if received > settings.VAULT_MAX_FILE_BYTES:
            raise VaultError(
                f"the file is larger than {_size_text(settings.VAULT_MAX_FILE_BYTES)}; send a smaller one",
                code="too_large",
            )
        yield chunk


class _HashingWriter:
    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.hash = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        return self.out.write(data)


def seal_file(*, kind: str, upload: Upload, readers: Sequence[Keypair], document: Document | None = None) -> Version:
    """An uploaded file, checked for size and type before anything is stored, encrypted as it streams.

    The name and type are encrypted with the version; the content goes to a file under VAULT_ROOT, written under a
    temporary name and renamed only once complete.
    """
    content_type, _ = _check_upload(upload)
    document, number, data_key, everyone = _new_version(document=document, kind=kind, readers=readers)
    stream_key = crypto.new_key()
    root = Path(settings.VAULT_ROOT)
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    temporary = root / "tmp" / f"{uuid.uuid4().hex}.part"
    blob = f"{document.pk}/{number}-{uuid.uuid4().hex}.sealed"
    try:
        with temporary.open("wb") as out:
            writer = _HashingWriter(out)
            size = crypto.stream_encrypt(
                _limited(upload.chunks()),
                key=stream_key,
                associated=_associated(document, number),
                out=writer,  # type: ignore[arg-type]
            )
            out.flush()
            os.fsync(out.fileno())
        (root / blob).parent.mkdir(parents=True, exist_ok=True)
        temporary.replace(root / blob)
    finally:
        temporary.unlink(missing_ok=True)
    # If the transaction rolls back, the sealed file stays behind without a row: unreadable, and swept away by
    # `rankfile vault sweep`.
    meta = {
        "name": os.path.basename(upload.name or "file")[:255],
        "type": content_type,
        "size": size,
        "stream_key": stream_key.hex(),
    }
    sealed = crypto.encrypt(data_key, json.dumps(meta).encode(), associated=_associated(document, number))
    return _store_version(
        document=document,
        number=number,
        sealed=sealed,
        blob=blob,
        file_hash=writer.hash.digest(),
        data_key=data_key,
        readers=everyone,
    )


def open_file(version: Version, *, key: UnlockedKey, purpose: Purpose) -> OpenedFile:
    """A sealed file's name, type, size and content (chunks, read as they are used).

    The chunks raise VaultError if the stored file was changed or cut short, at the latest at the end: write them
    somewhere temporary, or stream them where a broken transfer is noticed.
    """
    if not version.blob:
        raise VaultError(f"{version} is not a file", code="vault")
    path = Path(settings.VAULT_ROOT) / version.blob
    if not path.is_file():  # found now, before the answer starts: in the middle of it, the connection just drops
        log.error("%s: its sealed content %s is missing from the vault; restore it from a backup", version, path)
        raise FileMissing()
    meta = json.loads(_opened(version, key, purpose))
    associated = _associated(version.document, version.number)

    def chunks() -> Iterator[bytes]:
        with path.open("rb") as source:
            yield from crypto.stream_decrypt(source, key=bytes.fromhex(meta["stream_key"]), associated=associated)

    return OpenedFile(name=meta["name"], content_type=meta["type"], size=int(meta["size"]), chunks=chunks())


def sealed_file_names() -> list[str]:
    """Every sealed file the versions name, relative to VAULT_ROOT: what a backup must hold beside the database."""
    return list(Version.objects.exclude(blob="").order_by("pk").values_list("blob", flat=True))


def sweep(*, older_than_seconds: int = 3600) -> int:
    """Remove sealed files that no version names (left by an upload whose transaction rolled back)."""
    root = Path(settings.VAULT_ROOT)
    if not root.exists():
        return 0
    known = set(Version.objects.exclude(blob="").values_list("blob", flat=True))
    cutoff = time.time() - older_than_seconds
    removed = 0
    for path in root.rglob("*"):
        if not path.is_file() or path.stat().st_mtime > cutoff:
            continue
        if path.relative_to(root).as_posix() not in known:
            path.unlink()
            removed += 1
    return removed


@transaction.atomic
def destroy(*, document: Document) -> int:
    """Destroy a document's content for good (retention, or a reporter deleting their private record): every
    wrapped key, every ciphertext and every sealed file. The rows stay, empty, so that what refers to them holds.
    Returns how many versions were destroyed."""
    versions = list(document.versions.all())
    WrappedKey.objects.filter(version__in=versions).delete()
    root = Path(settings.VAULT_ROOT)
    for version in versions:
        if version.blob:
            (root / version.blob).unlink(missing_ok=True)
    return Version.objects.filter(pk__in=[v.pk for v in versions]).update(sealed=b"", blob="")


@dataclass(frozen=True)
class IntegrityReport:
    """What ``check_integrity`` found: how many versions it checked, how many of them are files, and each problem."""

    versions: int
    files: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _file_hash(path: Path) -> bytes:
    digest = hashlib.sha256()
    with path.open("rb") as stored:
        while chunk := stored.read(1024 * 1024):
            digest.update(chunk)
    return digest.digest()


def check_integrity() -> IntegrityReport:
    """Every stored version against the hash taken when it was sealed (``sealed_hash``: its ciphertext and, for a file,
    the sealed file under VAULT_ROOT), without any key: a version changed, or a file changed, cut short or missing, is
    named. Destroyed versions (retention) hold nothing and are passed over."""
    root = Path(settings.VAULT_ROOT)
    versions = files = 0
    problems: list[str] = []
    rows = Version.objects.exclude(sealed=b"").values_list("document_id", "number", "sealed", "blob", "sealed_hash")
    for document_id, number, sealed, blob, sealed_hash in rows.order_by("pk").iterator(chunk_size=500):
        versions += 1
        file_hash = b""
        if blob:
            files += 1
            path = root / blob
            if not path.is_file():
                problems.append(f"document {document_id} version {number}: its sealed file {blob} is missing")
                continue
            file_hash = _file_hash(path)
        if hashlib.sha256(bytes(sealed) + file_hash).digest() != bytes(sealed_hash):
            what = f"its sealed file {blob}" if blob else "its sealed content"
            problems.append(
                f"document {document_id} version {number}: {what} does not match the hash taken when sealed"
            )
    return IntegrityReport(versions=versions, files=files, problems=problems)
