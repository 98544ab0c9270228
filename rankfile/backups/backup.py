"""`rankfile backup DEST`: one consistent archive of the installation while the site runs.

What goes in: the database (one snapshot), every sealed file the versions in that snapshot name (vault files are
written once and never changed, so copying them after the snapshot copies what it names), the ledger's verifier
(public) key and its signed checkpoints, and a manifest with the SHA-256 of every member, the Rankfile version, the
database engine and the ledger's size and root in the snapshot. What stays out: the three secrets (``SECRETS``).
"""

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from rankfile.backups import archive, database
from rankfile.ledger import queries as ledger_queries
from rankfile.vault import documents, tally

VERIFIER = "ledger/verifier.txt"
CHECKPOINTS = "ledger/checkpoints.txt"


class BackupFailed(Exception):
    """No archive was written; the message says why in one line."""


@dataclass(frozen=True)
class Snapshot:
    """What the backup read of the database in the same snapshot as its copy."""

    ledger_size: int
    ledger_root: bytes
    checkpoints: list[str]
    sealed_files: list[str]
    tally_public_keys: list[str]


@dataclass(frozen=True)
class Written:
    dest: Path
    manifest: dict[str, Any]
    size: int


def read_snapshot() -> Snapshot:
    size, root = ledger_queries.tree_head()
    return Snapshot(
        ledger_size=size,
        ledger_root=root,
        checkpoints=ledger_queries.checkpoint_notes(),
        sealed_files=documents.sealed_file_names(),
        tally_public_keys=sorted(key.hex() for key in tally.recorded_public_keys()),
    )


def secret_key_fingerprint(secret_key: str) -> str:
    """A hash that tells whether a restored installation runs with the secret key the backup was taken with, and
    nothing of the key."""
    return hashlib.sha256(b"rankfile backup: secret key fingerprint\n" + secret_key.encode("utf-8")).hexdigest()[:32]


def rankfile_version() -> str:
    try:
        return metadata.version("rankfile")
    except metadata.PackageNotFoundError:
        return "unknown"


def _ledger_verifier() -> str | None:
    """The ledger's verifier key, if the signing key exists; a backup never makes the key."""
    key = ledger_queries.existing_ledger_key()
    return key.verifier if key is not None else None


def backup_write(*, dest: Path) -> Written:
    """Take the snapshot, copy the sealed files it names, and write the archive at ``dest`` (renamed into place only
    once complete). Raises BackupFailed, leaving nothing at ``dest``."""
    dest = dest.resolve()
    if dest.exists():
        raise BackupFailed(f"{dest} already exists: give a new name, so that no good backup is overwritten")
    if not dest.parent.is_dir():
        raise BackupFailed(f"{dest.parent} is not a folder")
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.staging-", dir=dest.parent))
    try:
        return _write(dest=dest, staging=staging)
    except (database.DatabaseError, archive.ArchiveChanged) as exc:
        raise BackupFailed(str(exc)) from None
    except OSError as exc:
        raise BackupFailed(f"the archive could not be written: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write(*, dest: Path, staging: Path) -> Written:
    engine = database.engine()
    dump_name = database.DUMP_NAMES[engine]
    (staging / "database").mkdir()
    snapshot = database.dump(into=staging / dump_name, read=read_snapshot)
    members = [archive.Member(dump_name, staging / dump_name)]

    (staging / "ledger").mkdir()
    verifier = _ledger_verifier()
    if verifier is not None:
        (staging / VERIFIER).write_text(verifier + "\n", encoding="utf-8")
        members.append(archive.Member(VERIFIER, staging / VERIFIER))
    (staging / CHECKPOINTS).write_text("".join(note + "\n" for note in snapshot.checkpoints), encoding="utf-8")
    members.append(archive.Member(CHECKPOINTS, staging / CHECKPOINTS))

    vault_root = Path(settings.VAULT_ROOT)
    missing = [name for name in snapshot.sealed_files if not (vault_root / name).is_file()]
    if missing:
        raise BackupFailed(
            f"{len(missing)} sealed file(s) the database names are missing from the vault directory {vault_root}, "
            f"the first {missing[0]}: `rankfile vault check` lists them; no archive was written"
        )
    members += [archive.Member(f"vault/{name}", vault_root / name) for name in snapshot.sealed_files]

    manifest = {
        "format": archive.FORMAT,
        "format_version": archive.FORMAT_VERSION,
        "rankfile_version": rankfile_version(),
        "created_at": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "database_engine": engine,
        "ledger": {
            "size": snapshot.ledger_size,
            "root": snapshot.ledger_root.hex(),
            "checkpoints": len(snapshot.checkpoints),
            "verifier": verifier,
        },
        "vault_files": len(snapshot.sealed_files),
        "secrets_left_out": {
            "secret_key_fingerprint": secret_key_fingerprint(settings.SECRET_KEY),
            "ledger_verifier": verifier,
            "tally_public_keys": snapshot.tally_public_keys,
        },
        "members": archive.describe(members),
    }
    archive.write(dest=dest, manifest=manifest, members=members)
    return Written(dest=dest, manifest=manifest, size=os.stat(dest).st_size)


def secret_key_location() -> str:
    if os.getenv("RANKFILE_SECRET_KEY"):
        return "the environment variable RANKFILE_SECRET_KEY"
    if path := os.getenv("RANKFILE_SECRET_KEY_FILE"):
        return f"the file {path} (RANKFILE_SECRET_KEY_FILE)"
    return f"the file {settings.DATA_DIR / 'secret_key'}"


def secrets_left_out() -> list[str]:
    """The secrets an archive does not hold, where each is now, and why it must be kept apart from the archive."""
    return [
        f"The secret key, in {secret_key_location()}. Anonymous reporters' receipt codes and open recovery requests "
        "work only with the same key after a restore; with the key, whoever holds a copy of the database could also "
        "forge password-reset links.",
        f"The ledger signing key, in {settings.LEDGER_KEY_FILE}. It signs the ledger's checkpoints: whoever holds it "
        "with a copy of the database could sign a rewritten history. The archive holds only its public verifier "
        "key. Put it back before the restored site runs, or its next checkpoint makes a new key.",
        f"The tally key, in {settings.VAULT_TALLY_KEY_FILE}. It opens every member's self-identification (for the "
        "composition goals of elections): needed to count an election still open, and with a copy of the database "
        "it reveals every answer.",
    ]
