"""Real browser tests: Playwright drives Debian's Chromium against a live server, and axe-core checks every page a
test visits. Without /usr/bin/chromium they are skipped with the reason, except in CI, where that is a failure."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls there are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BLOCKING_IMPACTS = {"serious", "critical"}


# The pages are the same whatever the database: the browser tests run once, in the SQLite run, and the PostgreSQL run
# covers the database through the rest of the suite (CI runs both side by side). RANKFILE_BROWSER_ON_POSTGRESQL=1
# runs them on PostgreSQL too.
ON_POSTGRESQL = bool(os.environ.get("RANKFILE_DATABASE_URL", "").startswith(("postgres://", "postgresql://")))
SKIP_ON_POSTGRESQL = pytest.mark.skip(
    reason="browser tests run in the SQLite run (RANKFILE_BROWSER_ON_POSTGRESQL=1 runs them on PostgreSQL too)"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    skip = ON_POSTGRESQL and os.environ.get("RANKFILE_BROWSER_ON_POSTGRESQL") != "1"
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if skip:
                item.add_marker(SKIP_ON_POSTGRESQL)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not DEBIAN_CHROMIUM.exists():
        missing = f"{DEBIAN_CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(DEBIAN_CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class AccessibilityLog:
    """Runs axe-core on a page and remembers which pages were checked."""

    def __init__(self) -> None:
        self.axe = Axe()
        self.checked: set[str] = set()
        self.visited: set[str] = set()
        self.csp_violations: list[str] = []

    def check(self, page: Page) -> None:
        page.wait_for_load_state("load")
        results = self.axe.run(page)
        blocking = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"]
            if v["impact"] in BLOCKING_IMPACTS
        ]
        assert not blocking, f"accessibility violations on {page.url}:\n" + "\n".join(blocking)
        self.checked.add(urlsplit(page.url).path)


@pytest.fixture
def a11y() -> AccessibilityLog:
    return AccessibilityLog()


@pytest.fixture
def new_page(browser: Browser, a11y: AccessibilityLog) -> Iterator[Callable[[], Page]]:
    """Open pages in fresh browser contexts (one per person); every page they visit must pass axe, and
    nothing on them may be blocked by the Content-Security-Policy."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on(
            "console",
            lambda message: (
                a11y.csp_violations.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.on(
            "framenavigated",
            lambda frame: a11y.visited.add(urlsplit(frame.url).path) if frame.parent_frame is None else None,
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not a11y.csp_violations, "the Content-Security-Policy blocked something:\n" + "\n".join(a11y.csp_violations)
    unchecked = a11y.visited - a11y.checked - {""}
    assert not unchecked, f"pages visited without an accessibility check: {sorted(unchecked)}"
