"""The API's documentation page (ninja's Swagger UI) works under the site's Content-Security-Policy: its scripts and
styles come from the site itself, none inline, nothing from a CDN. It is ninja's page, not ours: no axe check."""

from playwright.sync_api import Browser


def test_the_api_documentation_page_works_under_the_content_security_policy(live_server, browser: Browser):
    page = browser.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("requestfailed", lambda r: blocked.append(f"failed: {r.url}"))
    response = page.goto(live_server.url + "/api/docs")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 19
    page.locator("#operations-cases-step_decision .opblock-summary").click()
    page.get_by_text("Issue the decision").first.wait_for()
    assert not blocked, blocked
    page.close()
