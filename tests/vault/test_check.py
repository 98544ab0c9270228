"""`rankfile vault check`: every sealed version and file against the hash taken when it was sealed, without a key."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from rankfile.vault import documents
from rankfile.vault.models import Version
from tests.vault.helpers import PDF, key_for, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(tmp_path, monkeypatch) -> tuple[Version, Version]:
    monkeypatch.setattr(settings, "VAULT_ROOT", tmp_path / "vault")
    owner = key_for(get_user_model().objects.create_user(email="owner@example.org", password=None))
    with transaction.atomic():
        text = documents.seal(kind="narrative", content="What happened.", readers=[owner.keypair])
        evidence = documents.seal_file(kind="evidence", upload=upload(PDF), readers=[owner.keypair])
        destroyed = documents.seal(kind="narrative", content="Gone by retention.", readers=[owner.keypair])
        documents.destroy(document=destroyed.document)
    return text, evidence


def checked() -> str:
    out = StringIO()
    call_command("vault", "check", stdout=out)
    return out.getvalue()


def test_untouched_versions_and_files_pass_and_destroyed_ones_are_passed_over(sealed):
    assert checked() == "OK: 2 sealed version(s), 1 of them files, match the hashes taken when they were sealed.\n"


def test_a_sealed_file_changed_on_disk_is_named(sealed):
    _, evidence = sealed
    path = Path(settings.VAULT_ROOT) / evidence.blob
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0x01
    path.write_bytes(bytes(content))

    with pytest.raises(CommandError, match="1 sealed version"):
        checked()
    report = documents.check_integrity()
    assert report.problems == [
        f"document {evidence.document_id} version 1: its sealed file {evidence.blob} does not match the hash taken "
        "when sealed"
    ]


def test_a_sealed_file_missing_from_the_vault_is_named(sealed):
    _, evidence = sealed
    (Path(settings.VAULT_ROOT) / evidence.blob).unlink()

    assert documents.check_integrity().problems == [
        f"document {evidence.document_id} version 1: its sealed file {evidence.blob} is missing"
    ]


def test_sealed_content_changed_in_the_database_is_named(sealed):
    text, _ = sealed
    stored = bytearray(text.sealed)
    stored[-1] ^= 0x01
    Version.objects.filter(pk=text.pk).update(sealed=bytes(stored))

    assert documents.check_integrity().problems == [
        f"document {text.document_id} version 1: its sealed content does not match the hash taken when sealed"
    ]
