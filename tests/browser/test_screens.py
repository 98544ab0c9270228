"""The main pages of the demo as each person sees them, on a phone and on a desktop: each passes axe, fits its
screen without sideways scrolling, and is kept as an image. `make screens` writes the images to docs/screens/ (the
README shows them); otherwise they go to a temporary folder."""

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_demo_server import demo_server  # noqa: F401  (the session's demo server)
from tests.totp import code_to_enter

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("RANKFILE_DATABASE_URL")), reason="serves the demo on SQLite; the SQLite run covers it"
)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}


def _logins(printed: str) -> dict[str, tuple[str, str]]:
    """email -> (password, two-factor secret or "") from what `rankfile demo` printed."""
    found: dict[str, tuple[str, str]] = {}
    email = ""
    for line in printed.splitlines():
        if match := re.match(r"\s+(\S+@example\.org)\s+password: (\S+)", line):
            email = match.group(1)
            found[email] = (match.group(2), "")
        elif (match := re.match(r"\s+two-factor secret: (\S+)", line)) and email:
            found[email] = (found[email][0], match.group(1))
    return found


def _sign_in(page: Page, a11y: Any, url: str, email: str, logins: dict[str, tuple[str, str]]) -> None:
    password, secret = logins[email]
    page.goto(url + "/accounts/login/")
    a11y.check(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if secret:
        a11y.check(page)
        page.get_by_label("Code").fill(code_to_enter(secret))  # the same person signs in for each screen size
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Waiting for you")).to_be_visible()  # the home page, signed in


@pytest.fixture
def screens(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("RANKFILE_SCREENS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# The suite checks the pages on a phone, the narrowest screen; `make screens` also takes them on a desktop (other
# browser tests check the desktop layout of the home page and the case pages).
SIZES = [(PHONE, "phone"), (DESKTOP, "desktop")] if os.environ.get("RANKFILE_SCREENS_DIR") else [(PHONE, "phone")]


@pytest.mark.parametrize(("size", "suffix"), SIZES, ids=[suffix for _size, suffix in SIZES])
def test_the_main_pages_as_their_people_see_them(demo_server, new_page, a11y, screens, size, suffix):  # noqa: F811
    url, printed = demo_server
    logins = _logins(printed)

    def shoot(page: Page, name: str) -> None:
        a11y.check(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], name
        image = screens / f"{name}-{suffix}.png"
        page.screenshot(path=str(image))
        assert image.stat().st_size > 5_000, name

    visitor = new_page()
    visitor.set_viewport_size(size)
    visitor.goto(url + "/")
    shoot(visitor, "home-signed-out")
    visitor.goto(url + "/report/")
    shoot(visitor, "report-start")

    panelist = new_page()
    panelist.set_viewport_size(size)
    _sign_in(panelist, a11y, url, "panelist@example.org", logins)
    shoot(panelist, "home-panelist")
    panelist.locator(".waiting-list a[href^='/cases/case/']").first.click()
    panelist.wait_for_url("**/cases/case/**")
    shoot(panelist, "case-workspace")

    respondent = new_page()
    respondent.set_viewport_size(size)
    _sign_in(respondent, a11y, url, "respondent@example.org", logins)
    respondent.get_by_role("link", name="Send your response to the notice").click()
    respondent.wait_for_url("**/cases/mine/**")
    shoot(respondent, "party-page")

    oversight = new_page()
    oversight.set_viewport_size(size)
    _sign_in(oversight, a11y, url, "oversight@example.org", logins)
    oversight.goto(url + "/overdue/")
    shoot(oversight, "overdue")
    oversight.goto(url + "/ledger/")
    shoot(oversight, "ledger")

    member = new_page()
    member.set_viewport_size(size)
    _sign_in(member, a11y, url, "member@example.org", logins)
    member.goto(url + "/mandates/")
    shoot(member, "mandates")
    member.goto(url + "/voice/")  # a convener of the demo's survivors' caucus
    expect(member.get_by_text("Survivors' Caucus").first).to_be_visible()
    shoot(member, "voice")
