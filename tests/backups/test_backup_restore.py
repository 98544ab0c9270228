"""`rankfile backup` and `rankfile restore` (docs/operations.md), on the database of the run (SQLite, or PostgreSQL when
RANKFILE_DATABASE_URL is set): the demo round-trips into an empty installation while another thread writes, and a case
document opens there with its holder's key; a damaged, partial or foreign archive is refused and changes nothing."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, ProgrammingError, connection, transaction

from rankfile.accounts.models import User
from rankfile.backups import archive, backup, restore
from rankfile.ledger import actions as ledger
from rankfile.ledger import queries as ledger_queries
from rankfile.vault import documents, keys, tally
from rankfile.vault.models import Version, WrappedKey
from tests.personas import PASSWORD, make_person
from tests.test_demo import printed_logins
from tests.vault.helpers import PDF, TEST_READ, LedgeredRead, upload

READER = "reporter@example.org"


pytestmark = pytest.mark.django_db(transaction=True)  # a backup reads what is committed, as pg_dump does


@pytest.fixture(autouse=True)
def vault_root(tmp_path, settings) -> Path:
    settings.VAULT_ROOT = tmp_path / "vault"
    return settings.VAULT_ROOT


@dataclass(frozen=True)
class Sealed:
    email: str
    password: str  # the holder's
    narrative: int  # a version of a case document the holder has a key to
    narrative_sha256: str
    evidence: int  # a sealed file the holder has a key to
    evidence_sha256: str


def seal_for(*, user: User, password: str, narrative: Version | None = None) -> Sealed:
    """A sealed file for ``user`` (and a document, unless the installation holds one they may read), committed."""
    with transaction.atomic():
        key = keys.person_key_unlock(user=user, password=password) or keys.person_key_create(
            user=user, password=password
        )
        evidence = documents.seal_file(kind="evidence", upload=upload(PDF), readers=[key.keypair])
        if narrative is None:
            narrative = documents.seal(kind="narrative", content="What happened, in my words.", readers=[key.keypair])
        text = documents.open_text(narrative, key=key, purpose=LedgeredRead())
        ledger.checkpoint_create()
    return Sealed(
        email=user.email,
        password=password,
        narrative=narrative.pk,
        narrative_sha256=hashlib.sha256(text.encode()).hexdigest(),
        evidence=evidence.pk,
        evidence_sha256=hashlib.sha256(PDF).hexdigest(),
    )


@pytest.fixture
def demo(tmp_path) -> Iterator[Sealed]:
    """The demo, with a sealed file added for its reporter, beside one of the case documents they hold a key to."""
    printed = StringIO()
    call_command("demo", "--logins-file", str(tmp_path / "logins"), stdout=printed)
    password = printed_logins(printed.getvalue())[READER][0]
    user = User.objects.get(email=READER)
    held = WrappedKey.objects.filter(keypair__user=user, version__blob="").order_by("pk").first()
    assert held is not None
    yield seal_for(user=user, password=password, narrative=held.version)
    settings.ORG_NAME_FILE.unlink(missing_ok=True)


@pytest.fixture
def sealed() -> Sealed:
    """A small installation: one person's key, a document and a file sealed to it, a read of each, a checkpoint, and
    the tally key on record."""
    with transaction.atomic():
        tally.tally_key()
    return seal_for(user=make_person("reporter"), password=PASSWORD)


@pytest.fixture
def good_archive(sealed, tmp_path) -> Path:
    dest = tmp_path / "backup.tar"
    backup.backup_write(dest=dest)
    return dest


@contextmanager
def empty_installation(data_dir: Path) -> Iterator[dict[str, str]]:
    """The environment of a new installation: its own data directory and, on PostgreSQL, a new empty database; the
    three secrets put back from the run's own data directory, as an operator does from where they keep them."""
    data_dir.mkdir()
    for secret in (settings.LEDGER_KEY_FILE, settings.VAULT_TALLY_KEY_FILE):
        if secret.exists():
            shutil.copy2(secret, data_dir / secret.name)
    hidden = ("RANKFILE_DATA_DIR_FOR_TESTS", "RANKFILE_DATABASE_URL", "RANKFILE_SECRET_KEY_FILE")
    environment = {name: value for name, value in os.environ.items() if name not in hidden}
    environment |= {
        "RANKFILE_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "rankfile.settings",
        "RANKFILE_SECRET_KEY": settings.SECRET_KEY,
    }
    if connection.vendor != "postgresql":
        yield environment
        return
    own = connection.settings_dict
    name = f"{own['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    environment["RANKFILE_DATABASE_URL"] = (
        f"postgres://{own['USER']}:{own['PASSWORD']}@{own['HOST'] or '127.0.0.1'}:{own['PORT'] or 5432}/{name}"
    )
    try:
        yield environment
    finally:
        drop_database(name)


def drop_database(name: str) -> None:
    """Drop the new installation's database. PostgreSQL's autovacuum may be working in it after the restore's writes;
    its worker belongs to the server, not to the test's role, so FORCE cannot end it: shut connections out, then try
    again until the worker has gone."""
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
    for attempt in range(60):
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            return
        except (ProgrammingError, OperationalError):
            if attempt == 59:
                raise
            time.sleep(0.5)


def tables_in(environment: dict[str, str]) -> list[str]:
    if url := environment.get("RANKFILE_DATABASE_URL"):
        with psycopg.connect(url) as other:
            return [row[0] for row in other.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    path = Path(environment["RANKFILE_DATA_DIR"]) / "rankfile.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(path) as other:
        return [row[0] for row in other.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


RESTORE_AND_OPEN = """
import hashlib, sys
import django
django.setup()
from django.core.management import call_command
from django.db import transaction
from rankfile.accounts.models import User
from rankfile.vault import documents, keys, tally
from rankfile.vault.models import Version

class Shown(documents.Purpose):
    def record_open(self, *, version, reader):
        pass

call_command("restore", sys.argv[1])
with transaction.atomic():
    key = keys.person_key_unlock(user=User.objects.get(email=sys.argv[2]), password=sys.argv[3])
    text = documents.open_text(Version.objects.get(pk=int(sys.argv[4])), key=key, purpose=Shown())
    opened = documents.open_file(Version.objects.get(pk=int(sys.argv[5])), key=key, purpose=Shown())
    content = b"".join(opened.chunks)
    transaction.set_rollback(True)
print("narrative", hashlib.sha256(text.encode()).hexdigest())
print("evidence", hashlib.sha256(content).hexdigest())
"""


def write_entries(stop: threading.Event, written: list[int]) -> None:
    try:
        while not stop.is_set():
            with transaction.atomic():
                entry = ledger.record(
                    actor=ledger.SYSTEM,
                    action=TEST_READ,
                    subject=None,
                    data={"version": 1, "reader": 1, "assignment": "w"},
                )
            written.append(entry.seq)
    finally:
        connection.close()


def test_the_demo_backed_up_while_another_thread_writes_restores_verified_and_a_case_document_opens(
    demo, tmp_path, monkeypatch
):
    dest = tmp_path / "rankfile.tar.gz"
    stop, written = threading.Event(), list[int]()
    read_snapshot = backup.read_snapshot

    def read_then_let_writes_commit() -> backup.Snapshot:
        seen = read_snapshot()
        # Two more entries commit after the snapshot was taken and before the database is copied.
        wanted, deadline = len(written) + 2, time.monotonic() + 60
        while len(written) < wanted and time.monotonic() < deadline:
            stop.wait(0.01)
        return seen

    monkeypatch.setattr(backup, "read_snapshot", read_then_let_writes_commit)
    writer = threading.Thread(target=write_entries, args=(stop, written))
    writer.start()
    try:
        taken = backup.backup_write(dest=dest)
    finally:
        stop.set()
        writer.join()
    manifest = taken.manifest
    # The archive is the one moment of the snapshot: the entries written while it was copied are not in it.
    assert manifest["ledger"]["size"] < written[-1]
    assert manifest["vault_files"] == 2  # the file added above, and the one in the demo's survivors' caucus
    assert manifest["database_engine"] == connection.vendor

    opened = [str(demo.narrative), str(demo.evidence)]
    with empty_installation(tmp_path / "new") as environment:
        result = subprocess.run(
            [sys.executable, "-c", RESTORE_AND_OPEN, str(dest), demo.email, demo.password, *opened],
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"ledger of {manifest['ledger']['size']:,} entries and 2 sealed file(s)" in result.stdout
    assert "checkpoint(s) verified, and" in result.stdout
    assert "2 of them files, match the hashes" in result.stdout
    assert "Restored and verified." in result.stdout
    assert "Put back the secrets" not in result.stdout
    assert f"narrative {demo.narrative_sha256}" in result.stdout
    assert f"evidence {demo.evidence_sha256}" in result.stdout


def test_the_archive_begins_with_its_manifest_and_holds_no_secret(sealed, good_archive):
    with tarfile.open(good_archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile(names[0]).read())  # type: ignore[union-attr]
        held = b"".join(tar.extractfile(name).read() for name in names)  # type: ignore[union-attr]
    assert names[0] == "manifest.json"
    assert names[-1] == "manifest.json.sha256"
    assert {member["name"] for member in manifest["members"]} == set(names[1:-1])
    assert manifest["rankfile_version"] == backup.rankfile_version()
    assert manifest["ledger"]["size"] == ledger_queries.tree_head()[0]
    for secret in (Path(settings.DATA_DIR) / "secret_key", settings.LEDGER_KEY_FILE, settings.VAULT_TALLY_KEY_FILE):
        assert secret.read_text(encoding="utf-8").strip().encode() not in held


def flip_a_byte(path: Path, *, member: str) -> None:
    with tarfile.open(path) as tar:
        info = tar.getmember(member)
    with path.open("r+b") as raw:
        raw.seek(info.offset_data + info.size // 2)
        byte = raw.read(1)
        raw.seek(-1, io.SEEK_CUR)
        raw.write(bytes([byte[0] ^ 0x01]))


def cut_in_half(path: Path) -> None:
    with path.open("r+b") as raw:
        raw.truncate(path.stat().st_size // 2)


def leave_out(path: Path, *, member: str) -> None:
    kept = path.with_name("kept.tar")
    with tarfile.open(path) as source, tarfile.open(kept, "w") as target:
        for info in source.getmembers():
            if info.name != member:
                target.addfile(info, source.extractfile(info))
    kept.replace(path)


DAMAGE = {
    "a byte of the database flipped": lambda path: flip_a_byte(path, member=next(iter(database_members(path)))),
    "a byte of the manifest flipped": lambda path: flip_a_byte(path, member="manifest.json"),
    "cut short": cut_in_half,
    "a sealed file left out": lambda path: leave_out(
        path, member=next(name for name in names(path) if "vault/" in name)
    ),
    "the checkpoints left out": lambda path: leave_out(path, member="ledger/checkpoints.txt"),
    "not an archive at all": lambda path: path.write_bytes(b"not a backup\n" * 100),
}


def names(path: Path) -> list[str]:
    with tarfile.open(path) as tar:
        return tar.getnames()


def database_members(path: Path) -> list[str]:
    return [name for name in names(path) if name.startswith("database/")]


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_archive_is_refused_and_changes_nothing(sealed, good_archive, tmp_path, damage):
    damaged = tmp_path / "damaged.tar"
    shutil.copyfile(good_archive, damaged)
    DAMAGE[damage](damaged)
    ledger_before = ledger_queries.tree_head()
    vault_before = sorted(Path(settings.VAULT_ROOT).rglob("*"))

    staging = tmp_path / "staging"
    staging.mkdir()

    with pytest.raises(restore.RestoreRefused, match="is not a complete Rankfile backup") as refused:
        restore.restore_archive(src=damaged, staging_parent=staging)
    assert "\n" not in str(refused.value)

    assert ledger_queries.tree_head() == ledger_before
    assert sorted(Path(settings.VAULT_ROOT).rglob("*")) == vault_before
    assert list(staging.iterdir()) == []  # the unpacked members are gone too


def test_the_command_refuses_a_damaged_archive_in_one_line_with_an_error_code_and_leaves_the_installation_empty(
    sealed, good_archive, tmp_path
):
    damaged = tmp_path / "damaged.tar"
    shutil.copyfile(good_archive, damaged)
    flip_a_byte(damaged, member=database_members(damaged)[0])
    with empty_installation(tmp_path / "new") as environment:
        result = subprocess.run(
            [sys.executable, "-m", "rankfile", "restore", str(damaged)],
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert tables_in(environment) == []
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"CommandError: Nothing was restored: {damaged} is not a complete Rankfile backup: its member "
        f"{database_members(damaged)[0]} does not match the hash its manifest gives."
    ]
    assert not (tmp_path / "new" / "vault").exists()


def test_an_archive_of_the_other_engine_is_refused(sealed, good_archive, tmp_path):
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    manifest = archive.read(src=good_archive, into=unpacked)
    manifest["database_engine"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    members = [archive.Member(entry["name"], unpacked / entry["name"]) for entry in manifest["members"]]
    foreign = tmp_path / "foreign.tar"
    archive.write(dest=foreign, manifest=manifest, members=members)

    with pytest.raises(restore.RestoreRefused, match="an archive restores into the engine it was taken from"):
        restore.restore_archive(src=foreign, staging_parent=tmp_path)


def test_an_installation_that_has_a_database_already_is_refused(sealed, good_archive, tmp_path, settings):
    settings.VAULT_ROOT = tmp_path / "empty vault"
    with pytest.raises(restore.RestoreRefused, match="the database already has tables"):
        restore.restore_archive(src=good_archive, staging_parent=tmp_path)


def test_an_installation_whose_vault_holds_files_is_refused_and_keeps_them(sealed, good_archive, tmp_path, settings):
    settings.VAULT_ROOT = tmp_path / "another vault"
    kept = settings.VAULT_ROOT / "7" / "1-kept.sealed"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"sealed before")

    with pytest.raises(restore.RestoreRefused, match="already holds files: restore into an empty one"):
        restore.restore_archive(src=good_archive, staging_parent=tmp_path)
    assert [path for path in settings.VAULT_ROOT.rglob("*") if path.is_file()] == [kept]
    assert kept.read_bytes() == b"sealed before"


def test_a_backup_missing_a_sealed_file_the_database_names_is_not_written(sealed, tmp_path):
    sealed_file = Path(settings.VAULT_ROOT) / Version.objects.get(pk=sealed.evidence).blob
    aside = tmp_path / "aside"
    sealed_file.rename(aside)
    archives = tmp_path / "archives"
    archives.mkdir()
    try:
        with pytest.raises(backup.BackupFailed, match="1 sealed file"):
            backup.backup_write(dest=archives / "backup.tar")
    finally:
        aside.rename(sealed_file)
    assert list(archives.iterdir()) == []


def test_a_backup_never_overwrites_an_archive(sealed, good_archive):
    before = good_archive.read_bytes()
    with pytest.raises(backup.BackupFailed, match="already exists"):
        backup.backup_write(dest=good_archive)
    assert good_archive.read_bytes() == before


def test_a_restore_names_each_secret_that_was_not_put_back(sealed, good_archive, tmp_path, settings):
    with tarfile.open(good_archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    installed = ledger_queries.existing_ledger_key()
    assert installed is not None
    assert restore.secrets_to_put_back(manifest, installed.verifier) == []

    settings.SECRET_KEY = "a new key made by a new installation"
    settings.LEDGER_KEY_FILE = tmp_path / "ledger_signing_key"
    settings.VAULT_TALLY_KEY_FILE = tmp_path / "tally_key"
    said = restore.secrets_to_put_back(manifest, None)

    assert [sentence.split(":")[0] for sentence in said] == [
        "The secret key in use is not the one the backup was taken with",
        f"The ledger signing key is not in {tmp_path / 'ledger_signing_key'}",
        f"The tally key in {tmp_path / 'tally_key'} is missing or is not the one the members' self-identification is "
        "sealed to",
    ]
    assert not (tmp_path / "tally_key").exists()  # asking never makes the key


def test_the_backup_command_says_which_secrets_it_does_not_contain_and_where_they_are(sealed, tmp_path, monkeypatch):
    monkeypatch.delenv("RANKFILE_SECRET_KEY", raising=False)  # the key is the one made in the data directory
    monkeypatch.delenv("RANKFILE_SECRET_KEY_FILE", raising=False)
    printed = StringIO()
    call_command("backup", str(tmp_path / "backup.tar"), stdout=printed)
    out = printed.getvalue()

    assert out.startswith(f"Backup written to {tmp_path / 'backup.tar'} (")
    assert "It does NOT contain these secrets." in out
    assert f"- The secret key, in the file {Path(settings.DATA_DIR) / 'secret_key'}." in out
    assert f"- The ledger signing key, in {settings.LEDGER_KEY_FILE}." in out
    assert f"- The tally key, in {settings.VAULT_TALLY_KEY_FILE}." in out
