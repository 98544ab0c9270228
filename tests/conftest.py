from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

pytest_plugins = ["tests.personas"]


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    _let_test_flushes_empty_the_ledger()

    # Tests serve static files from the apps (no collectstatic), so no manifest of hashed names.
    # One process runs the tests (the live server is a thread of it), so an in-memory cache is shared enough and
    # can be emptied between tests without a database; the demo-server browser test runs the real database cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_caches():
    """allauth's rate limits and axes live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _let_test_flushes_empty_the_ledger() -> None:
    """Between transactional tests the database is emptied; lift the ledger's append-only triggers, and those that
    keep decisions binding, for that alone. Production has no such path: the triggers are only ever dropped by
    hand.

    Django's flush truncates every table (on PostgreSQL one TRUNCATE makes every table anew, seconds a test) and then
    makes the content types and permissions again (a few hundred queries). Between tests the tables hold a few rows
    and the content types and permissions are those migrate made, so the flush after a test deletes the rows of every
    other table instead, and lifts and restores the triggers, in one transaction. Any other flush is Django's own."""
    from django.core.management.commands import flush
    from django.db import connections, transaction

    from rankfile.cases import triggers as decision_triggers
    from rankfile.ledger import triggers

    original_handle = flush.Command.handle

    def handle(self: flush.Command, **options: object) -> None:
        connection = connections[str(options["database"])]
        if _after_a_transactional_test(options):
            with transaction.atomic(using=connection.alias):
                triggers.drop(connection)
                decision_triggers.drop(connection)
                _delete_rows_but_content_types_and_permissions(connection)
                triggers.create(connection)
                decision_triggers.create(connection)
            return
        triggers.drop(connection)
        decision_triggers.drop(connection)
        try:
            original_handle(self, **options)
        finally:
            triggers.create(connection)
            decision_triggers.create(connection)

    flush.Command.handle = handle  # type: ignore[method-assign]


def _after_a_transactional_test(options: dict[str, object]) -> bool:
    """The flush TransactionTestCase runs after each test: no questions, no sequences reset, post_migrate after."""
    return (
        options.get("interactive") is False
        and options.get("reset_sequences") is False
        and not options.get("allow_cascade")
        and not options.get("inhibit_post_migrate")
    )


def _delete_rows_but_content_types_and_permissions(connection: "BaseDatabaseWrapper") -> None:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    kept = {ContentType._meta.db_table, Permission._meta.db_table}
    tables = [
        table
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if table not in kept
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Rows that refer to each other go in any order; the references are checked at the commit.
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in sorted(tables):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the models)
