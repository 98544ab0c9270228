"""Keys and purposes for vault tests."""

import base64
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from rankfile.ledger import actions as ledger
from rankfile.ledger import schema
from rankfile.vault import documents, keys
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import Keypair, Version
from tests.personas import PASSWORD

TEST_READ = schema.define(
    "test.sealed_version_opened",
    label="A test document was opened",
    fields={"version": schema.ID, "reader": schema.ID, "assignment": schema.CODE},
)


class LedgeredRead(documents.Purpose):
    """Records each read on the ledger, as the cases part's purposes do."""

    def __init__(self, assignment: str = "test-assignment") -> None:
        self.assignment = assignment
        self.reads: list[tuple[int, int]] = []

    def record_open(self, *, version: Version, reader: Keypair) -> None:
        ledger.record(
            actor=ledger.SYSTEM,
            action=TEST_READ,
            subject=version,
            data={"version": version.pk, "reader": reader.pk, "assignment": self.assignment},
        )
        self.reads.append((version.pk, reader.pk))


def key_for(user: Any, password: str = PASSWORD) -> UnlockedKey:
    """The user's key pair, made on first use."""
    existing = keys.person_key_unlock(user=user, password=password)
    return existing if existing is not None else keys.person_key_create(user=user, password=password)


def upload(content: bytes, name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


PDF = b"%PDF-1.7\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 10 + b"%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 200


def forms_of(text: str) -> list[bytes]:
    """The text as a database or a JSON encoder might hold it."""
    raw = text.encode()
    return [raw, text.encode("utf-16-le"), base64.b64encode(raw), raw.hex().encode(), text.lower().encode()]


def database_rows_holding(text: str) -> list[str]:
    """Every table and column of the database that holds ``text`` in the clear (in any of its ``forms_of``): what a
    copy of the database would show, read through the connection of the test's own transaction."""
    forms = forms_of(text)
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the schema
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    stored = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
                    if any(form in stored for form in forms):
                        found.append(f"{table}.{column}")
    return found
