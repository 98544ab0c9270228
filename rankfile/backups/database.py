"""The database's part of a backup, per engine: a consistent copy taken while the site runs, and putting it back.

SQLite: the online backup API (``sqlite3.Connection.backup``) from a connection holding a read transaction, so what
the backup reads of the ledger and what it copies are the same moment; writers do not wait for it (WAL).
PostgreSQL: ``pg_dump`` (custom format) of a snapshot exported by a REPEATABLE READ transaction that reads the same
moment; ``pg_restore`` in one transaction. An archive restores into the engine it was taken from, never across.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.db import connection, transaction

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
ENGINE_NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}
DUMP_NAMES = {SQLITE: "database/rankfile.sqlite3", POSTGRESQL: "database/rankfile.pgdump"}

Seen = TypeVar("Seen")


class DatabaseError(Exception):
    """The database could not be copied or put back; the message says why in one line."""


def engine() -> str:
    if connection.vendor not in ENGINE_NAMES:
        raise DatabaseError(f"Rankfile backs up SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def dump(*, into: Path, read: Callable[[], Seen]) -> Seen:
    """Copy the database to ``into`` and return what ``read`` saw, read in the same snapshot as the copy."""
    if connection.in_atomic_block:
        raise DatabaseError("a backup takes a snapshot of its own and cannot run inside a transaction")
    connection.ensure_connection()
    return _dump_sqlite(into, read) if engine() == SQLITE else _dump_postgresql(into, read)


def _dump_sqlite(into: Path, read: Callable[[], Seen]) -> Seen:
    raw = connection.connection
    raw.execute("BEGIN DEFERRED")  # a read snapshot, taken at the first read below; writers go on (WAL)
    try:
        seen = read()
        target = sqlite3.connect(into)
        try:
            raw.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            target.close()
    finally:
        raw.execute("ROLLBACK")
    return seen


def _program(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    installed = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda path: int(Path(path).parts[-3]), reverse=True
    )
    if installed:
        return installed[0]
    raise DatabaseError(
        f"{name} is not installed (looked on the PATH and in /usr/lib/postgresql/*/bin): install the PostgreSQL "
        "client tools of your server's version (on Debian: apt-get install postgresql-client)"
    )


def _environment() -> dict[str, str]:
    settings = connection.settings_dict
    environment = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings.get(key):
            environment[variable] = str(settings[key])
    if sslmode := settings.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = str(sslmode)
    return environment


def _run(arguments: list[str], *, what: str) -> None:
    result = subprocess.run(arguments, env=_environment(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise DatabaseError(f"{what} failed: {detail}")


def _dump_postgresql(into: Path, read: Callable[[], Seen]) -> Seen:
    pg_dump = _program("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        seen = read()
        # pg_dump reads the very snapshot this transaction holds open until it is done.
        database = str(connection.settings_dict["NAME"])
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={into}", database], what="pg_dump")
    return seen


def is_empty() -> bool:
    """Whether the database has no tables at all (a new database that `rankfile migrate` has not touched)."""
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def load(*, dump_file: Path) -> None:
    """Put the copy in ``dump_file`` in place as the database, which is empty; all of it, or nothing."""
    if engine() == SQLITE:
        name = Path(str(connection.settings_dict["NAME"]))
        connection.close()
        for leftover in (name, name.with_name(name.name + "-wal"), name.with_name(name.name + "-shm")):
            leftover.unlink(missing_ok=True)
        partial = name.with_name(f".{name.name}.restoring")
        shutil.copyfile(dump_file, partial)
        partial.chmod(0o600)
        partial.replace(name)
        return
    pg_restore = _program("pg_restore")
    connection.close()
    database = str(connection.settings_dict["NAME"])
    options = ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", f"--dbname={database}"]
    _run([pg_restore, *options, str(dump_file)], what="pg_restore")
