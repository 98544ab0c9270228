"""The production server's access log, without the secrets some URLs carry (invitation and reset links) and without
anyone's address: a person making a report, even anonymously, must not be traceable from the server's logs."""

import re
from typing import Any

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
