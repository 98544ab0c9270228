"""The production server's access log, without the secrets some URLs carry (invitation and reset links) and without
anyone's address: a person making a report, even anonymously, must not be traceable from the server's logs."""

import logging
import re
from typing import Any

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from gunicorn.glogging import Logger

SECRET_PATHS = re.compile(r"(/invite/|/accounts/password/reset/key/)[^/\s?\"]+")


def redact(text: str) -> str:
    return SECRET_PATHS.sub(r"\1…", text)


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        # Every text atom: the request line, the path, and headers such as the Referer of the page after.
        redacted = {
            key: SECRET_PATHS.sub(r"\1…", value) if isinstance(value, str) else value for key, value in atoms.items()
        }
        # The client's address, wherever gunicorn offers it (the h atom, the environ, forwarding headers): never.
        for key in redacted:
            if key == "h" or "remote_addr" in key.lower() or "forwarded" in key.lower() or "real-ip" in key.lower():
                redacted[key] = "-"
        return redacted


# What a client sent wrong and Django refused with a 400: a body too large, a multipart body cut short, a Host not
# served. Nothing to debug on the server's side.
REFUSALS = (SuspiciousOperation, MultiPartParserError, BadRequest)


class OneLineRefusals(logging.Filter):
    """A refused request is one line in the log (what was refused, and why), not a traceback; a real error keeps
    its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], REFUSALS):
            said = " ".join(record.getMessage().split())
            record.msg = "Refused (%s): %s"
            record.args = (type(record.exc_info[1]).__name__, said)
            record.exc_info = None
            record.exc_text = None
        return True
