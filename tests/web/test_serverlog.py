import logging
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.test import Client
from gunicorn.config import Config

from rankfile.web.serverlog import RedactingLogger


def test_access_log_hides_invitation_and_reset_secrets():
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/invite/s3cr3t-T0ken_value/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/invite/s3cr3t-T0ken_value/",
        "QUERY_STRING": "",
        "HTTP_REFERER": "https://rankfile.example.org/accounts/password/reset/key/1-abc123-def456/",
        "REMOTE_ADDR": "127.0.0.1",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=3))
    logged = " ".join(str(value) for value in atoms.values())
    assert "s3cr3t" not in logged
    assert "abc123" not in logged
    assert "/invite/…/" in atoms["r"]


def test_access_log_never_records_the_client_address():
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": "/report/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/report/",
        "QUERY_STRING": "",
        "REMOTE_ADDR": "203.0.113.77",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=3))
    assert "203.0.113.77" not in " ".join(str(value) for value in atoms.values())
    assert atoms["h"] == "-"


@pytest.fixture
def server_log() -> Iterator[StringIO]:
    """What the console handler the settings configure writes, as the server's log would hold it."""
    [console] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    assert isinstance(console, logging.StreamHandler)
    written = StringIO()
    before = console.setStream(written)
    try:
        yield written
    finally:
        console.setStream(before)


@pytest.mark.django_db
def test_refused_requests_are_one_line_each_in_the_log_not_a_traceback(server_log, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = Client(raise_request_exception=False)
    too_large = client.post("/accounts/login/", {"login": "x" * 2000})
    cut_short = client.post(
        "/accounts/login/", b"--x\r\nContent-Disposition: form-data", content_type="multipart/form-data; boundary="
    )
    bad_host = client.get("/", HTTP_HOST="attacker.example")
    assert (too_large.status_code, cut_short.status_code, bad_host.status_code) == (400, 400, 400)
    logged = server_log.getvalue()
    assert "Traceback" not in logged
    lines = logged.splitlines()
    assert sum("Refused (RequestDataTooBig)" in line for line in lines) == 1
    assert sum("Refused (MultiPartParserError)" in line for line in lines) == 1
    assert sum("Refused (DisallowedHost)" in line and "attacker.example" in line for line in lines) == 1


def test_a_real_error_keeps_its_traceback_in_the_log(server_log):
    try:
        raise RuntimeError("a fault of ours")
    except RuntimeError:
        logging.getLogger("django.request").exception("Internal Server Error: /somewhere/")
    assert "Traceback" in server_log.getvalue()
