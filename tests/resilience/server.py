"""The product served as in production, in a process of its own that a test can kill with SIGKILL and start again,
and visitors that use it over HTTP as a browser does (cookies, CSRF tokens taken from the forms).

The server runs `rankfile serve` (gunicorn) against the test's own database and data directory, with the test run's
settings (Argon2 at its least cost; static files not collected: tests/resilience/server_settings.py), so that the
test reads what the server wrote with the ORM of its own process."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import requests
from django.core.management import call_command
from django.db import connection

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REPOSITORY = Path(__file__).resolve().parents[2]
TIMEOUT = 60  # seconds a request may take: the server's own limit (gunicorn's worker timeout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def envint(name: str, default: int) -> int:
    """A count for a longer run (`make soak`), from the environment; the short default otherwise."""
    return int(os.environ.get(name) or default)


def database_url() -> str:
    """The test database, as the server's RANKFILE_DATABASE_URL."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )


class ProductionServer:
    """`rankfile serve` on a free port, in a process group of its own (so that SIGKILL takes every worker)."""

    def __init__(self, *, log_dir: Path, vault_root: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = envint("RANKFILE_SOAK_WORKERS", 2)  # gunicorn's worker processes, as `rankfile serve` has
        self.log_dir = log_dir
        self.starts = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "tests.resilience.server_settings",
                "RANKFILE_DATABASE_URL": database_url(),
                "RANKFILE_VAULT_ROOT": str(vault_root),
                "RANKFILE_BASE_URL": self.url,
                "RANKFILE_TRUST_PROXY_HEADERS": "true",  # each visitor comes from an address of its own
                "RANKFILE_EMAIL_BACKEND": "locmem",
            }
        )
        # Production's cache (rate limits, used two-factor codes) is a table; the test run's own cache is in memory.
        call_command("createcachetable", "rankfile_cache", verbosity=0)
        with connection.cursor() as cursor:  # no rate limit counted by an earlier test of the run
            cursor.execute("DELETE FROM rankfile_cache")

    def start(self) -> None:
        self.starts += 1
        log = (self.log_dir / f"server-{self.starts}.log").open("wb")
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "rankfile", "serve", "--bind", f"127.0.0.1:{self.port}"),
                *("--workers", str(self.workers), "--no-collectstatic", "--tick-every", "0", "--no-access-log"),
            ],
            env=self.env,
            cwd=REPOSITORY,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_until_up()

    def wait_until_up(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(self.url + "/api/health", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError as exc:
                if (self.process is not None and self.process.poll() is not None) or time.monotonic() > deadline:
                    raise AssertionError(f"the server did not start:\n{self.log()}") from exc
                time.sleep(0.2)

    def answers(self, seconds: float = 90) -> bool:
        """Whether the site answers within ``seconds`` (a person reloading the page until it comes)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/api/health", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return True
            except OSError:
                time.sleep(0.2)
        return False

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once, as a power cut of the process would."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)

    def log(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in sorted(self.log_dir.glob("server-*.log")))

    def errors_logged(self) -> list[str]:
        """Lines of the server's log that tell of an error a person met (a traceback, a 500)."""
        return [line for line in self.log().splitlines() if "Traceback" in line or "Internal Server Error" in line]


class Visitor:
    """One person's browser: their own cookies, their own address (X-Forwarded-For), forms posted with their token."""

    def __init__(self, base_url: str, *, address: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        self.http.headers["X-Forwarded-For"] = address
        self.csrf_token = ""

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        response = self.http.request(method, self.base_url + path, timeout=TIMEOUT, allow_redirects=False, **kwargs)
        # The site's cookies are Secure; a browser sends them back over plain http to 127.0.0.1 all the same.
        for cookie in self.http.cookies:
            cookie.secure = False
        if token := CSRF_FIELD.search(response.text):
            self.csrf_token = token.group(1)
        return response

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        """A page, following redirects as a browser does."""
        response = self._send("GET", path, **kwargs)
        for _ in range(5):
            if response.status_code not in (301, 302, 303):
                break
            response = self._send("GET", response.headers["Location"].removeprefix(self.base_url))
        return response

    def post(
        self, path: str, data: Mapping[str, Any], *, files: Any = None, headers: Mapping[str, str] | None = None
    ) -> requests.Response:
        """Post as the page's form does, with the token of the last page this visitor opened; redirects not followed."""
        return self._send(
            "POST",
            path,
            data={"csrfmiddlewaretoken": self.csrf_token, **data},
            files=files,
            headers={"Referer": self.base_url + path, **(headers or {})},
        )

    def sign_in(self, email: str, password: str) -> None:
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"login": email, "password": password})
        assert response.status_code == 302, f"signing in as {email} answered {response.status_code}"
