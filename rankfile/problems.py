"""RFC 9457 problem documents: one shape, and the same words, for the pages' JSON answers and for the API.

``rankfile.web`` renders them for pages and for JSON requests; ``rankfile.api`` answers with them. Both build the
body here, so that a refusal reads the same wherever it comes from, and "not found" is byte for byte the same
whether nothing is there or the caller may not see it (DESIGN.md invariant 11).
"""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rankfile.errors import NotAllowed, RankfileError

CONTENT_TYPE = "application/problem+json"

GENERIC = {
    400: (_("This request could not be understood"), _("Go back, check what you entered and try again.")),
    403: (_("This request was refused"), _("Reload the page and try again. If it happens again, sign in again.")),
    404: (
        _("Not found"),
        _("There is nothing here, or it is not available to you. Check the address, or go to the start page."),
    ),
    405: (_("This method is not allowed here"), _("Check the method against the API's description.")),
    429: (_("Too many attempts"), _("Wait a few minutes, then try again.")),
    500: (
        _("Something went wrong on our side"),
        _("Nothing you did caused this, and nothing was saved half-way. Try again in a moment."),
    ),
    503: (
        _("The site is busy"),
        _("Nothing from this request was saved, not even in part. Try again in a few seconds."),
    ),
}


def body(
    *,
    status: int,
    code: str,
    title: str | Promise,
    detail: str | Promise,
    errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "type": f"about:blank#{code}" if code else "about:blank",
        "title": str(title),
        "status": status,
        "detail": str(detail),
        "code": code,
    }
    if errors:
        found["errors"] = errors
    return found


def generic_code(status: int) -> str:
    return {404: "not_found", 405: "method_not_allowed", 503: "busy"}.get(status, "")


def generic(status: int) -> dict[str, Any]:
    title, detail = GENERIC[status]
    return body(status=status, code=generic_code(status), title=title, detail=detail)


def of_error(error: RankfileError) -> dict[str, Any]:
    """The problem a domain error is shown as. Forbidden looks exactly like not found: same status, words, code."""
    if isinstance(error, NotAllowed):
        return generic(404)
    field_errors = getattr(error, "field_errors", None) or {}
    errors = {field: [str(m) for m in messages] for field, messages in field_errors.items()}
    return body(status=error.status, code=error.code, title=error.title, detail=error.message, errors=errors)
