"""The archive: a tar (gzip when its name ends in .gz or .tgz) whose first member is ``manifest.json``, which lists
every other member with its size and SHA-256, and whose last member is ``manifest.json.sha256``, the hash of the
manifest itself. It is written under a temporary name and renamed once complete, so a half-written archive never
carries the name of a good one; reading checks every byte against the manifest before anything is put in place."""

import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.json.sha256"
FORMAT = "rankfile-backup"
FORMAT_VERSION = 1
# Members are files under these folders with plain names: nothing in an archive can write outside the staging folder.
_MEMBER_NAME = re.compile(r"^(database|ledger)/[A-Za-z0-9._-]+$|^vault/[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")
_CHUNK = 1024 * 1024


class ArchiveDamaged(Exception):
    """The archive is not a complete Rankfile backup: the message says what is wrong in one line."""


class ArchiveChanged(Exception):
    """A file changed between being hashed for the manifest and being written into the archive."""


@dataclass(frozen=True)
class Member:
    name: str  # its path in the archive
    source: Path  # where it is read from while writing


def _hash_file(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def describe(members: Iterable[Member]) -> list[dict[str, Any]]:
    """Each member's name, size and SHA-256, for the manifest."""
    described = []
    for member in members:
        if not _MEMBER_NAME.match(member.name) or ".." in member.name.split("/"):
            raise ValueError(f"{member.name!r} is not a name an archive member may have")
        size, sha256 = _hash_file(member.source)
        described.append({"name": member.name, "size": size, "sha256": sha256})
    return described


class _HashingReader(io.RawIOBase):
    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


def _file_info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(time.time())
    return info


def write(*, dest: Path, manifest: dict[str, Any], members: list[Member]) -> None:
    """Write the archive at ``dest``: the manifest first (it must already list ``members``), then each member, checked
    again against its hash as it is written, then the manifest's own hash; renamed into place only once complete."""
    listed = {entry["name"]: entry for entry in manifest["members"]}
    manifest_bytes = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8") + b"\n"
    compressed = dest.name.endswith((".gz", ".tgz"))
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    try:
        # Private from the start: the archive holds every sealed file and the whole database.
        with (
            os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw,
            tarfile.open(fileobj=raw, mode="w:gz" if compressed else "w") as tar,
        ):
            tar.addfile(_file_info(MANIFEST, len(manifest_bytes)), io.BytesIO(manifest_bytes))
            for member in members:
                entry = listed[member.name]
                with member.source.open("rb") as source:
                    reader = _HashingReader(source)
                    tar.addfile(_file_info(member.name, entry["size"]), reader)
                if reader.digest.hexdigest() != entry["sha256"]:
                    raise ArchiveChanged(f"{member.source} changed while the backup was written")
            checksum = (hashlib.sha256(manifest_bytes).hexdigest() + "\n").encode("ascii")
            tar.addfile(_file_info(MANIFEST_HASH, len(checksum)), io.BytesIO(checksum))
            tar.close()
            raw.flush()
            os.fsync(raw.fileno())
        partial.replace(dest)
        _sync_directory(dest.parent)
    finally:
        partial.unlink(missing_ok=True)


def _sync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_checked(source: IO[bytes], target: Path, *, name: str, size: int, sha256: str) -> None:
    digest = hashlib.sha256()
    written = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            written += len(chunk)
            out.write(chunk)
    if written != size or digest.hexdigest() != sha256:
        raise ArchiveDamaged(f"its member {name} does not match the hash its manifest gives")


def _manifest(tar: tarfile.TarFile) -> tuple[dict[str, Any], bytes]:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise ArchiveDamaged(f"it does not begin with {MANIFEST}")
    extracted = tar.extractfile(first)
    assert extracted is not None  # a regular file
    manifest_bytes = extracted.read()
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        raise ArchiveDamaged(f"its {MANIFEST} is not readable JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveDamaged(f"its {MANIFEST} is not a Rankfile backup's")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveDamaged(
            f"it is a backup of format {manifest.get('format_version')!r}; this Rankfile reads {FORMAT_VERSION}"
        )
    members = manifest.get("members")
    if not isinstance(members, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("name"), str) and _MEMBER_NAME.match(entry["name"])
        for entry in members
    ):
        raise ArchiveDamaged(f"its {MANIFEST} does not list its members as a backup's manifest does")
    return manifest, manifest_bytes


def _read(tar: tarfile.TarFile, into: Path) -> dict[str, Any]:
    manifest, manifest_bytes = _manifest(tar)
    expected = {entry["name"]: entry for entry in manifest["members"]}
    seen: set[str] = set()
    while (info := tar.next()) is not None:
        if info.name == MANIFEST_HASH and info.isfile():
            extracted = tar.extractfile(info)
            assert extracted is not None
            if extracted.read().decode("ascii", "replace").strip() != hashlib.sha256(manifest_bytes).hexdigest():
                raise ArchiveDamaged(f"its {MANIFEST} does not match the hash written after it")
            missing = sorted(set(expected) - seen)
            if missing:
                raise ArchiveDamaged(f"{len(missing)} member(s) its manifest lists are missing, the first {missing[0]}")
            return manifest
        if info.name not in expected or info.name in seen or not info.isfile() or ".." in info.name.split("/"):
            raise ArchiveDamaged(f"it holds {info.name!r}, which its manifest does not list")
        extracted = tar.extractfile(info)
        assert extracted is not None
        entry = expected[info.name]
        _copy_checked(extracted, into / info.name, name=info.name, size=entry["size"], sha256=entry["sha256"])
        seen.add(info.name)
    missing = sorted(set(expected) - seen)
    first = f", the first {missing[0]}" if missing else ""
    raise ArchiveDamaged(f"it ends early: {len(missing)} member(s) its manifest lists are missing{first}")


def read(*, src: Path, into: Path) -> dict[str, Any]:
    """Unpack the archive at ``src`` into the empty folder ``into``, checking every member against the manifest, and
    return the manifest. Anything wrong raises ArchiveDamaged and leaves ``into`` empty."""
    try:
        with tarfile.open(src, mode="r:*") as tar:
            return _read(tar, into)
    except ArchiveDamaged:
        _empty(into)
        raise
    except FileNotFoundError:
        raise ArchiveDamaged("there is no such file") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeError) as exc:
        _empty(into)
        raise ArchiveDamaged(f"it is damaged or cut short ({' '.join(str(exc).split())})") from None


def _empty(folder: Path) -> None:
    for child in folder.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
