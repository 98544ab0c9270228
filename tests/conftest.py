import pytest

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
    hand."""
    from django.core.management.commands import flush
    from django.db import connections

    from rankfile.cases import triggers as decision_triggers
    from rankfile.ledger import triggers

    original_handle = flush.Command.handle

    def handle(self: flush.Command, **options: object) -> None:
        connection = connections[str(options["database"])]
        triggers.drop(connection)
        decision_triggers.drop(connection)
        try:
            original_handle(self, **options)
        finally:
            triggers.create(connection)
            decision_triggers.create(connection)

    flush.Command.handle = handle  # type: ignore[method-assign]
