import os
import tempfile

import pytest

# Settings read the environment at import; tests get their own data directory and never touch ./var.
if not os.environ.get("RANKFILE_DATA_DIR"):
    os.environ["RANKFILE_DATA_DIR"] = tempfile.mkdtemp(prefix="rankfile-test-")

pytest_plugins = ["tests.personas"]


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Tests serve static files from the apps (no collectstatic), so no manifest of hashed names.
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
