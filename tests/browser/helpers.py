from typing import Any

from playwright.sync_api import Page

from tests.personas import PASSWORD


def sign_in(page: Page, a11y: Any, *, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Open the sign-in page (checked for accessibility), sign in, and check the page that follows."""
    page.goto(base_url + "/accounts/login/")
    a11y.check(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    a11y.check(page)
