"""A stolen copy of everything on disk: the database (SQLite file or pg_dump), the vault's files and the sessions.

Several reports with unique sentinels in their text, their files and their file names are sealed, their readers
are signed in (their sessions hold wrapped keys), and then every byte is searched: no sentinel may appear.
"""

import os
import subprocess
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from rankfile.vault import documents, keys, sessions
from tests.vault.helpers import PDF, LedgeredRead, forms_of, key_for, upload

pytestmark = pytest.mark.django_db(transaction=True)

SENTINELS = [f"SENTINEL-{n}-{os.urandom(6).hex()}" for n in range(6)]


def signed_in_session(unlocked: keys.UnlockedKey) -> str:
    """A real session row holding the person's wrapped key, as sign-in leaves it."""
    engine = import_module(settings.SESSION_ENGINE)
    request = RequestFactory().get("/")
    request.session = engine.SessionStore()
    sessions.session_unlock(request, HttpResponse(), unlocked)
    request.session.save()
    return str(request.session.session_key)


def seed(vault_root: Path) -> list[str]:
    users = get_user_model().objects
    reader = key_for(users.create_user(email="reader@example.org", password=None))
    panelist = key_for(users.create_user(email="panelist@example.org", password=None))
    code, anonymous = keys.receipt_key_create()
    with transaction.atomic():
        for n, sentinel in enumerate(SENTINELS[:3]):
            narrative = f"What happened, report {n}: {sentinel}. Witnesses: {sentinel}-witness."
            version = documents.seal(kind="narrative", content=narrative, readers=[reader.keypair, panelist.keypair])
            documents.seal(
                kind="narrative", content=narrative + " (edited)", readers=[reader.keypair], document=version.document
            )
            assert documents.open_text(version, key=panelist, purpose=LedgeredRead()) == narrative
        documents.seal(kind="message", content=f"anonymous {SENTINELS[3]}", readers=[anonymous.keypair])
        evidence = PDF + f"(stream containing {SENTINELS[4]})".encode() * 2000
        documents.seal_file(kind="evidence", upload=upload(evidence, f"{SENTINELS[5]}.pdf"), readers=[reader.keypair])
    sessions_made = [signed_in_session(reader), signed_in_session(panelist)]
    assert Session.objects.filter(session_key__in=sessions_made).count() == 2
    return [code]


def sqlite_files() -> list[bytes]:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(FULL)")
    name = Path(connection.settings_dict["NAME"])
    return [path.read_bytes() for path in (name, Path(f"{name}-wal")) if path.exists()]


def postgres_dump() -> list[bytes]:
    params = connection.settings_dict
    dumped = subprocess.run(
        [
            "pg_dump",
            "--no-owner",
            "--host",
            params["HOST"] or "127.0.0.1",
            "--port",
            str(params["PORT"] or 5432),
            "--username",
            params["USER"],
            params["NAME"],
        ],
        env={**os.environ, "PGPASSWORD": params["PASSWORD"] or ""},
        capture_output=True,
        check=True,
    )
    assert b"COPY public.vault_version" in dumped.stdout  # the dump really holds the vault's tables
    return [dumped.stdout]


def everything_on_disk(vault_root: Path) -> dict[str, bytes]:
    copies = sqlite_files() if connection.vendor == "sqlite" else postgres_dump()
    found = {f"database copy {n}": data for n, data in enumerate(copies)}
    for path in vault_root.rglob("*"):
        if path.is_file():
            found[f"vault file {path.relative_to(vault_root)}"] = path.read_bytes()
    for session in Session.objects.all():
        found[f"session {session.session_key}"] = session.session_data.encode()
        found[f"decoded session {session.session_key}"] = repr(session.get_decoded()).encode()
    return found


def test_invariant_4_a_stolen_database_media_and_session_store_reveal_no_case_material(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "VAULT_ROOT", tmp_path / "vault")
    [receipt_code] = seed(tmp_path / "vault")
    copies = everything_on_disk(tmp_path / "vault")
    assert any(name.startswith("vault file") for name in copies)
    assert any(name.startswith("session") for name in copies)
    assert sum(len(data) for data in copies.values()) > 100_000
    hits = [
        (name, sentinel)
        for sentinel in [*SENTINELS, receipt_code.replace("-", "")]
        for name, data in copies.items()
        for form in forms_of(sentinel)
        if form in data
    ]
    assert hits == []
