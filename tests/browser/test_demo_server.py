"""What `make run` does, end to end: migrate, load the demo, serve with gunicorn (DEBUG off, static files
through whitenoise), and a person signs in with a printed login at http://127.0.0.1."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

# The demo server runs on a SQLite database of its own whatever the suite runs on (it is `make run`): the SQLite run
# covers it, and the PostgreSQL run does not serve it again.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("RANKFILE_DATABASE_URL")), reason="serves the demo on SQLite; the SQLite run covers it"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory):
    """The demo, loaded and served once for the session (the screens of the main pages use it too)."""
    tmp_path: Path = tmp_path_factory.mktemp("demo")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RANKFILE_", "DJANGO_"))}
    env.update({"RANKFILE_DATA_DIR": str(tmp_path), "RANKFILE_BASE_URL": f"http://127.0.0.1:{port}"})
    # The vault's Argon2id at the least an operator may set: the demo makes some forty keys, each a second and more
    # at the default cost; the default is what CI's fresh clone runs (.ci/fresh_clone).
    env.update({"RANKFILE_VAULT_ARGON2_OPSLIMIT": "1", "RANKFILE_VAULT_ARGON2_MEMLIMIT_MB": "1"})
    # And the passwords' Argon2 at its least: some thirty demo logins, nearly a second each at the default cost.
    env.update({"RANKFILE_PASSWORD_ARGON2_TIME_COST": "1", "RANKFILE_PASSWORD_ARGON2_MEMORY_MB": "1"})
    rankfile = [sys.executable, "-m", "rankfile"]
    subprocess.run([*rankfile, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=300)
    demo = subprocess.run([*rankfile, "demo"], env=env, check=True, timeout=600, capture_output=True, text=True)
    server = subprocess.Popen(
        [*rankfile, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-access-log"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/api/health", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError as exc:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read() if server.stdout else ""
                    raise AssertionError("the server did not start:\n" + output) from exc
                time.sleep(0.3)
        yield url, demo.stdout
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_demo_login_works_on_the_production_server(demo_server, new_page, a11y):
    url, printed = demo_server
    line = next(line for line in printed.splitlines() if "member@example.org" in line)
    password = line.split("password:")[1].split()[0]

    page = new_page()
    response = page.goto(url + "/")
    assert response.headers["server"].startswith("gunicorn")
    assert page.evaluate("typeof window.htmx") == "object"  # HTMX is there for partial updates, under the CSP
    a11y.check(page)
    css = page.request.get(url + page.locator("link[rel=stylesheet]").get_attribute("href"))
    assert css.status == 200
    assert "max-age=315360000" in css.headers["cache-control"]  # hashed name from the manifest, served by whitenoise

    page.get_by_role("link", name="Sign in").first.click()
    a11y.check(page)
    page.get_by_label("Email").fill("member@example.org")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Mo Member.", exact=True)).to_be_visible()
    a11y.check(page)
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["sessionid"]["secure"] is True

    missing = page.goto(url + "/no/such/page/")
    assert missing.status == 404
    assert "Traceback" not in page.content()
    a11y.check(page)
