from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rankfile.errors import MfaRequired, RankfileError
from rankfile.web.problems import domain_problem, wants_json

Handler = Callable[[HttpRequest], HttpResponse]

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


def security_headers(get_response: Handler) -> Handler:
    """Headers Django does not set itself."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

    return middleware


class DomainErrorMiddleware:
    """Turn a domain error that escaped a view into a clear page or problem JSON, never a 500."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, MfaRequired) and not wants_json(request):
            return render(request, "web/mfa_required.html", status=exception.status)
        if isinstance(exception, RankfileError):
            return domain_problem(request, exception)
        return None
