"""`rankfile restore SRC`: put an archive back into an empty installation, then verify what was put back.

Nothing is put in place until every member of the archive matches its manifest, the archive's engine is the
installation's, and the database and the vault directory are empty. The vault goes in first (undone if the database
cannot be loaded), then the database in one step. Then the ledger is verified as `rankfile ledger verify` does, every
sealed version and file is checked against its hash, and the secrets the archive left out are looked for.
"""

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from rankfile.backups import archive, backup, database
from rankfile.ledger import queries as ledger_queries
from rankfile.ledger import signing
from rankfile.vault import documents, tally


class RestoreRefused(Exception):
    """Nothing was changed; the message says why in one line."""


@dataclass
class Restored:
    manifest: dict[str, Any]
    vault_files: int
    ledger_size: int
    ledger_root: bytes
    verifier: str | None  # the key the checkpoints are checked with
    verifier_from_archive: bool
    secrets: list[str] = field(default_factory=list)  # what is missing or different, said for the operator
    problems: list[str] = field(default_factory=list)  # why what was restored does not verify


def _vault_is_empty(root: Path) -> bool:
    return not root.exists() or not any(path.is_file() for path in root.rglob("*"))


def _check_target(manifest: dict[str, Any]) -> None:
    engine = database.engine()
    archived = manifest.get("database_engine")
    if archived != engine:
        names = database.ENGINE_NAMES
        raise RestoreRefused(
            f"the archive holds a {names.get(str(archived), str(archived))} database and this installation uses "
            f"{names[engine]}: an archive restores into the engine it was taken from"
        )
    vault_root = Path(settings.VAULT_ROOT)
    if not _vault_is_empty(vault_root):
        raise RestoreRefused(f"the vault directory {vault_root} already holds files: restore into an empty one")
    if not database.is_empty():
        raise RestoreRefused(
            "the database already has tables: restore into a new, empty database (do not run `rankfile migrate` first)"
        )


def _place_vault(staged: Path) -> Path | None:
    """Move the staged sealed files to VAULT_ROOT; returns what to remove if the database then fails."""
    root = Path(settings.VAULT_ROOT)
    if not staged.exists():
        return None
    if root.exists():
        shutil.rmtree(root)  # empty: checked above
    root.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(staged), str(root))
    return root


def restore_archive(*, src: Path, staging_parent: Path | None = None) -> Restored:
    """Check the archive whole, put it in place, and return what was restored. Raises RestoreRefused (nothing
    changed) when the archive is damaged or the installation is not empty."""
    parent = staging_parent or Path(settings.DATA_DIR)
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=parent))
    try:
        try:
            manifest = archive.read(src=src, into=staging)
        except archive.ArchiveDamaged as exc:
            raise RestoreRefused(f"{src} is not a complete Rankfile backup: {exc}") from None
        try:
            _check_target(manifest)
        except database.DatabaseError as exc:
            raise RestoreRefused(str(exc)) from None
        dump_file = staging / database.DUMP_NAMES[manifest["database_engine"]]
        placed = _place_vault(staging / "vault")
        try:
            database.load(dump_file=dump_file)
        except (database.DatabaseError, OSError) as exc:
            if placed is not None:
                shutil.rmtree(placed, ignore_errors=True)
            raise RestoreRefused(f"the database could not be restored, and nothing was: {exc}") from None
        return _restored(manifest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _restored(manifest: dict[str, Any]) -> Restored:
    size, root = ledger_queries.tree_head()
    archived_verifier = manifest["ledger"].get("verifier")
    installed = _installed_verifier()
    restored = Restored(
        manifest=manifest,
        vault_files=int(manifest.get("vault_files", 0)),
        ledger_size=size,
        ledger_root=root,
        verifier=installed or archived_verifier,
        verifier_from_archive=installed is None and archived_verifier is not None,
    )
    if (size, root.hex()) != (manifest["ledger"]["size"], manifest["ledger"]["root"]):
        restored.problems.append(
            f"the restored ledger has {size:,} entries and root {root.hex()}; the manifest says "
            f"{manifest['ledger']['size']:,} and {manifest['ledger']['root']}"
        )
    restored.secrets = secrets_to_put_back(manifest, installed)
    return restored


def _installed_verifier() -> str | None:
    try:
        key = ledger_queries.existing_ledger_key()
    except (OSError, ValueError, signing.CheckpointError):
        return None
    return key.verifier if key is not None else None


def secrets_to_put_back(manifest: dict[str, Any], installed_verifier: str | None) -> list[str]:
    left_out = manifest.get("secrets_left_out", {})
    said = []
    if left_out.get("secret_key_fingerprint") != backup.secret_key_fingerprint(settings.SECRET_KEY):
        said.append(
            f"The secret key in use is not the one the backup was taken with: put the original back in "
            f"{backup.secret_key_location()}, or receipt codes and open recovery requests will not work."
        )
    archived_verifier = left_out.get("ledger_verifier")
    if archived_verifier and installed_verifier is None:
        said.append(
            f"The ledger signing key is not in {settings.LEDGER_KEY_FILE}: put it back before the site runs, or its "
            "next checkpoint makes a new key that the witnesses do not know."
        )
    elif archived_verifier and installed_verifier != archived_verifier:
        said.append(
            f"The ledger signing key in {settings.LEDGER_KEY_FILE} is not the one that signed this ledger's "
            "checkpoints: put the original back."
        )
    recorded = set(left_out.get("tally_public_keys", []))
    installed_tally = tally.installed_public_key()
    if recorded and (installed_tally is None or installed_tally.hex() not in recorded):
        said.append(
            f"The tally key in {settings.VAULT_TALLY_KEY_FILE} is missing or is not the one the members' "
            "self-identification is sealed to: put the original back before anyone counts an election."
        )
    return said


def verify_sealed(*, out: Callable[[str], None]) -> bool:
    """Every sealed version and file against its hash; says what it found and returns whether all match."""
    report = documents.check_integrity()
    for problem in report.problems[:20]:
        out(f"- {problem}")
    if report.ok:
        out(
            f"OK: {report.versions:,} sealed version(s), {report.files:,} of them files, match the hashes taken when "
            "they were sealed."
        )
    else:
        out(f"{len(report.problems):,} sealed version(s) or file(s) do NOT match the hash taken when they were sealed.")
    return report.ok
