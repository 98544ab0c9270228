"""A database that cannot answer for a moment (SQLite's write lock held longer than a writer waits; PostgreSQL
refusing a lock in time, restarting or cutting a connection) is a 503 that says when to try again and saves nothing
half-way, never a server error."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test import Client

from rankfile.cases.models import Report
from rankfile.ledger.models import Entry
from rankfile.web.problems import database_unavailable

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_held_by_another_writer(table: str = "cases_report") -> Iterator[None]:
    """Another process holds the write lock (SQLite) or ``table`` (PostgreSQL) while this one waits at most a fifth
    of a second for it."""
    database = connection.settings_dict
    options: dict[str, Any] = database.setdefault("OPTIONS", {})
    saved = dict(options)
    connection.close()
    other: Any
    if connection.vendor == "sqlite":
        other = sqlite3.connect(database["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        options["timeout"] = 0.2
    else:
        other = psycopg.connect(
            dbname=database["NAME"],
            user=database["USER"],
            password=database["PASSWORD"],
            host=database["HOST"],
            port=database["PORT"],
        )
        other.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        options["options"] = f"{options.get('options', '')} -c lock_timeout=200".strip()
    try:
        yield
    finally:
        other.rollback()
        other.close()
        options.clear()
        options.update(saved)
        connection.close()


def test_a_report_started_while_the_database_is_held_is_told_to_try_again_and_nothing_is_saved():
    visitor = Client(raise_request_exception=False)
    with database_held_by_another_writer():
        response = visitor.post("/report/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "The site is busy" in page
    assert "Try again in a few seconds." in page
    assert "locked" not in page
    assert not Report.objects.exists()
    assert not Entry.objects.exists()
    again = visitor.post("/report/")
    assert again.status_code == 200  # a moment later the same request goes through
    assert Report.objects.count() == 1


def test_the_api_says_the_same_as_a_problem_document():
    with database_held_by_another_writer():
        response = Client(raise_request_exception=False).post("/report/", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "busy"
    assert response["Retry-After"] == "5"


def test_any_other_database_error_is_still_a_server_error():
    with pytest.raises(Exception) as raised:  # noqa: PT011  (whatever the backend calls a missing table)
        connection.cursor().execute("SELECT * FROM no_such_table")
    assert not database_unavailable(raised.value)


def test_when_even_the_busy_page_cannot_be_drawn_the_same_words_come_as_plain_text(member):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's readers never wait for a writer: the page of a signed-in person is always drawn")
    visitor = Client(raise_request_exception=False)
    visitor.force_login(member)
    with database_held_by_another_writer("org_person"):  # the layout cannot learn who the signed-in person is
        response = visitor.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "The site is busy\n\nNothing from this request was saved, not even in part. Try again in a few seconds.\n"
    )
