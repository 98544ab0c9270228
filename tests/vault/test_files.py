"""Sealed files: checked before anything is stored, encrypted as they stream, refused when changed or cut."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from rankfile.vault import crypto, documents
from rankfile.vault.errors import VaultError
from rankfile.vault.models import Document, Version
from tests.vault.helpers import PDF, PNG, LedgeredRead, key_for, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return key_for(get_user_model().objects.create_user(email="owner@example.org", password=None))


@pytest.fixture(autouse=True)
def vault_root(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "VAULT_ROOT", tmp_path / "vault")
    return tmp_path / "vault"


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def read_all(version, key) -> tuple[documents.OpenedFile, bytes]:
    opened = documents.open_file(version, key=key, purpose=LedgeredRead())
    return opened, b"".join(opened.chunks)


def test_a_file_round_trips_with_its_name_and_type_encrypted(owner, vault_root):
    content = PDF * 3000  # several chunks
    version = documents.seal_file(kind="evidence", upload=upload(content, "SENTINEL-NAME.pdf"), readers=[owner.keypair])
    opened, plaintext = read_all(version, owner)
    assert (opened.name, opened.content_type, opened.size) == ("SENTINEL-NAME.pdf", "application/pdf", len(content))
    assert plaintext == content
    [blob] = stored_files(vault_root)
    raw = blob.read_bytes()
    assert b"SENTINEL" not in raw
    assert b"%PDF" not in raw
    assert b"SENTINEL" not in bytes(version.sealed)
    assert "SENTINEL" not in version.blob


def test_the_type_comes_from_the_content_not_the_name(owner):
    version = documents.seal_file(kind="evidence", upload=upload(PNG, "photo.pdf"), readers=[owner.keypair])
    assert read_all(version, owner)[0].content_type == "image/png"
    text = documents.seal_file(
        kind="evidence", upload=upload("notes, ünïcode\n".encode(), "notes"), readers=[owner.keypair]
    )
    assert read_all(text, owner)[0].content_type == "text/plain"


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100,  # a Windows program
        b"\x7fELF\x02\x01\x01" + b"\x00" * 100,  # a Linux program
        b"PK\x03\x04" + b"\x00" * 100,  # a zip archive
        b"\x00\x01\x02binary",  # unknown binary
    ],
)
def test_a_file_of_a_kind_not_accepted_is_refused_before_anything_is_stored(owner, vault_root, content):
    with pytest.raises(VaultError) as refused:
        documents.seal_file(kind="evidence", upload=upload(content, "x.pdf"), readers=[owner.keypair])
    assert refused.value.code == "file_type"
    assert "not accepted" in str(refused.value.message)
    assert not Version.objects.exists()
    assert not Document.objects.exists()
    assert stored_files(vault_root) == []


def test_a_file_over_the_limit_is_refused_before_anything_is_stored(owner, vault_root, monkeypatch):
    monkeypatch.setattr(settings, "VAULT_MAX_FILE_BYTES", 1024)
    with pytest.raises(VaultError) as refused:
        documents.seal_file(kind="evidence", upload=upload(PDF * 100), readers=[owner.keypair])
    assert refused.value.code == "too_large"
    assert str(refused.value.message).endswith("files up to 1 KB are accepted")
    assert not Version.objects.exists()
    assert stored_files(vault_root) == []


def test_a_stream_longer_than_its_declared_size_is_cut_off_and_nothing_is_kept(owner, vault_root, monkeypatch):
    monkeypatch.setattr(settings, "VAULT_MAX_FILE_BYTES", 4096)
    lying = upload(PDF * 200)
    lying.size = 100  # what the client claimed
    with pytest.raises(VaultError) as refused:
        documents.seal_file(kind="evidence", upload=lying, readers=[owner.keypair])
    assert refused.value.code == "too_large"
    assert not Version.objects.exists()
    assert stored_files(vault_root) == []


def cut(path: Path, size: int) -> None:
    with path.open("r+b") as file:
        file.truncate(size)


@pytest.mark.parametrize("where", ["header", "chunk boundary", "mid chunk", "last bytes"])
def test_a_truncated_file_stream_is_refused(owner, vault_root, where):
    content = PDF * 4000  # about 2.4 chunks
    version = documents.seal_file(kind="evidence", upload=upload(content), readers=[owner.keypair])
    [blob] = stored_files(vault_root)
    header = 24
    block = crypto.CHUNK_BYTES + 17
    size = {"header": 10, "chunk boundary": header + 2 * block, "mid chunk": header + block + 100}.get(
        where, blob.stat().st_size - 1
    )
    cut(blob, size)
    with pytest.raises(VaultError) as refused:
        read_all(version, owner)
    assert refused.value.code in {"truncated", "tampered"}


def test_a_changed_or_reordered_chunk_is_refused(owner, vault_root):
    version = documents.seal_file(kind="evidence", upload=upload(PDF * 4000), readers=[owner.keypair])
    [blob] = stored_files(vault_root)
    raw = bytearray(blob.read_bytes())
    header, block = 24, crypto.CHUNK_BYTES + 17
    first, second = raw[header : header + block], raw[header + block : header + 2 * block]
    blob.write_bytes(bytes(raw[:header] + second + first + raw[header + 2 * block :]))
    with pytest.raises(VaultError) as reordered:
        read_all(version, owner)
    assert reordered.value.code == "tampered"
    raw[header + 5] ^= 1
    blob.write_bytes(bytes(raw))
    with pytest.raises(VaultError):
        read_all(version, owner)


def test_a_file_moved_under_another_version_does_not_open(owner, vault_root):
    one = documents.seal_file(kind="evidence", upload=upload(PDF), readers=[owner.keypair])
    two = documents.seal_file(kind="evidence", upload=upload(PDF * 2), readers=[owner.keypair])
    (vault_root / two.blob).write_bytes((vault_root / one.blob).read_bytes())
    with pytest.raises(VaultError):
        read_all(two, owner)


def test_sweep_removes_sealed_files_no_version_names(owner, vault_root):
    kept = documents.seal_file(kind="evidence", upload=upload(PDF), readers=[owner.keypair])
    orphan = vault_root / "999" / "1-left-behind.sealed"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"ciphertext of a rolled-back upload")
    os.utime(orphan, (0, 0))
    call_command("vault", "sweep")
    assert not orphan.exists()
    assert (vault_root / kept.blob).exists()


@hypothesis_settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tail=st.binary(max_size=3 * crypto.CHUNK_BYTES), pieces=st.integers(min_value=1, max_value=7))
def test_property_files_round_trip_however_the_upload_is_cut(owner, tail, pieces):
    content = PDF + tail
    step = max(1, len(content) // pieces)

    class Chunked:
        name, size = "e.pdf", len(content)

        def __init__(self) -> None:
            self.position = 0

        def seek(self, offset: int) -> None:
            self.position = offset

        def read(self, size: int = -1) -> bytes:
            return content[self.position : self.position + size if size >= 0 else None]

        def chunks(self, chunk_size: int | None = None):
            for start in range(0, len(content), step):
                yield content[start : start + step]

    version = documents.seal_file(kind="evidence", upload=Chunked(), readers=[owner.keypair])
    assert read_all(version, owner)[1] == content
