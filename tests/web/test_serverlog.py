from datetime import timedelta
from types import SimpleNamespace

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
