"""Every refusal of the API as an RFC 9457 problem, in the shape and words the pages' JSON answers use
(rankfile.problems): a domain error, a body that does not fit its type, a bad method, a failed CSRF check."""

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from rankfile import problems
from rankfile.errors import InvalidInput, RankfileError


def answer(found: dict[str, Any]) -> JsonResponse:
    return JsonResponse(found, status=found["status"], content_type=problems.CONTENT_TYPE)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    """Where the problem is, as a client names it: ``allegations.0.text``, ``findings.7``, ``seq``."""
    source, *rest = loc
    if source == "body" and rest and rest[0] == "body":
        rest = rest[1:]  # the view's parameter, not part of what was sent
    names = [str(part) for part in rest if part != "[key]"]
    return ".".join(names) or str(source)


def invalid_body(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for found in error.errors:
        errors.setdefault(_field(found.get("loc", ("body",))), []).append(str(found.get("msg", "")))
    detail = _("This does not fit what the API reads here: %(fields)s.") % {"fields": ", ".join(errors)}
    return answer(
        problems.body(status=400, code="invalid_input", title=InvalidInput.title, detail=detail, errors=errors)
    )


def domain(request: HttpRequest, error: RankfileError) -> HttpResponse:
    return answer(problems.of_error(error))


def not_found(request: HttpRequest, error: Exception) -> HttpResponse:
    """Nothing there, or not for this caller, or a caller who is not signed in: all the same (invariant 11)."""
    return answer(problems.generic(404))


def refused(request: HttpRequest, error: HttpError) -> HttpResponse:
    if error.status_code == 400:  # the body could not be read as JSON
        detail = _("The body is not JSON: send an object, as the API's description shows.")
        return answer(problems.body(status=400, code="not_json", title=InvalidInput.title, detail=detail))
    if error.status_code == 403:  # the session's CSRF check
        title, _detail = problems.GENERIC[403]
        detail = _("Send the CSRF token (the csrftoken cookie) in the X-CSRFToken header, or use an API token.")
        return answer(problems.body(status=403, code="csrf_failed", title=title, detail=detail))
    return answer(problems.generic(error.status_code if error.status_code in problems.GENERIC else 400))


HANDLERS: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
    ValidationError: invalid_body,
    RankfileError: domain,
    AuthenticationError: not_found,
    Http404: not_found,
    HttpError: refused,
}


def install(api: NinjaAPI) -> None:
    for exception, handler in HANDLERS.items():
        api.add_exception_handler(exception, handler)


def method_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ninja answers a method no operation takes with a bare 405; say it as a problem, keeping the Allow header."""

    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type") == problems.CONTENT_TYPE:
            return response
        problem = answer(problems.generic(405))
        problem["Allow"] = response.get("Allow", "")
        return problem

    checked.csrf_exempt = True  # type: ignore[attr-defined]  # as ninja's own views: its operations check CSRF
    return checked
