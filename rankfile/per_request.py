"""Answers worked out once per page view: who the signed-in person is, their status, where they sit. The layout's
menu, the home page's lists and the page itself all ask the same questions; a GET (or HEAD) asks the database once.

Only reads are remembered: a POST, the CLI, jobs and tests outside a request ask the database every time, so nothing
a write changes is ever answered from before it.
"""

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_answers: ContextVar[dict[Hashable, object] | None] = ContextVar("rankfile_per_request", default=None)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, asked once for ``key`` in this page view (every time outside one)."""
    answers = _answers.get()
    if answers is None:
        return compute()
    if key not in answers:
        answers[key] = compute()
    return answers[key]  # type: ignore[return-value]


def remember_for_reads(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: a GET or HEAD remembers its answers until its response is made."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return get_response(request)
        token = _answers.set({})
        try:
            return get_response(request)
        finally:
            _answers.reset(token)

    return middleware
