"""Turning errors into what a person or a program can act on: a page, or RFC 9457 problem JSON."""

import sqlite3
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from rankfile import problems
from rankfile.errors import RankfileError


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def _answer(request: HttpRequest, found: dict[str, Any]) -> HttpResponse:
    if wants_json(request):
        return JsonResponse(found, status=found["status"], content_type=problems.CONTENT_TYPE)
    context = {key: found[key] for key in ("status", "code", "title", "detail")}
    return render(request, "web/problem.html", context, status=found["status"])


def generic_problem(request: HttpRequest, *, status: int) -> HttpResponse:
    return _answer(request, problems.generic(status))


RETRY_AFTER_SECONDS = 5


def database_unavailable(error: BaseException | None) -> bool:
    """The database could not answer for now: SQLite's write lock held longer than a writer waits (its busy
    timeout), or PostgreSQL out of reach (restarting, a connection it cut, a lock not granted in time). Not a fault of
    the site's: the same request succeeds a moment later."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):  # SQLite says "locked" or "busy"; anything else (a missing table) is a fault
        return "locked" in str(cause) or "busy" in str(cause)
    return True


def busy_problem(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After. The page itself may need the database (the signed-in person, the layout), so when it
    cannot be rendered either, the same words come as plain text."""
    try:
        response = _answer(request, problems.generic(503))
    except (OperationalError, InterfaceError):
        title, detail = problems.GENERIC[503]
        response = HttpResponse(f"{title}\n\n{detail}\n", status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def domain_problem(request: HttpRequest, error: RankfileError) -> HttpResponse:
    return _answer(request, problems.of_error(error))
