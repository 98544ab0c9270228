"""Turning errors into what a person or a program can act on: a page, or RFC 9457 problem JSON."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rankfile.errors import NotAllowed, RankfileError

GENERIC = {
    400: (_("This request could not be understood"), _("Go back, check what you entered and try again.")),
    403: (_("This request was refused"), _("Reload the page and try again. If it happens again, sign in again.")),
    404: (
        _("Not found"),
        _("There is nothing here, or it is not available to you. Check the address, or go to the start page."),
    ),
    429: (_("Too many attempts"), _("Wait a few minutes, then try again.")),
    500: (
        _("Something went wrong on our side"),
        _("Nothing you did caused this, and nothing was saved half-way. Try again in a moment."),
    ),
}


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def problem(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    title: str | Promise,
    detail: str | Promise,
    extra: dict | None = None,
) -> HttpResponse:
    if wants_json(request):
        body = {"type": f"about:blank#{code}" if code else "about:blank", "title": str(title), "status": status}
        body["detail"] = str(detail)
        body["code"] = code
        body.update(extra or {})
        return JsonResponse(body, status=status, content_type="application/problem+json")
    return render(
        request, "web/problem.html", {"status": status, "code": code, "title": title, "detail": detail}, status=status
    )


def generic_problem(request: HttpRequest, *, status: int) -> HttpResponse:
    title, detail = GENERIC[status]
    return problem(request, status=status, code="" if status != 404 else "not_found", title=title, detail=detail)


def domain_problem(request: HttpRequest, error: RankfileError) -> HttpResponse:
    if isinstance(error, NotAllowed):
        # Forbidden looks exactly like not found (invariant 11): same status, same words, same code.
        return generic_problem(request, status=404)
    extra = {}
    field_errors = getattr(error, "field_errors", None)
    if field_errors:
        extra["errors"] = {field: [str(m) for m in messages] for field, messages in field_errors.items()}
    return problem(request, status=error.status, code=error.code, title=error.title, detail=error.message, extra=extra)
