"""The production server's access log, without the secrets some URLs carry (invitation and reset links)."""

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
        return {
            key: SECRET_PATHS.sub(r"\1…", value) if isinstance(value, str) else value for key, value in atoms.items()
        }
