import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
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


def sign_in_first(get_response: Handler) -> Handler:
    """A signed-out visitor who opens a page that needs a sign-in (a link in an email, a bookmark) is sent to the
    sign-in page, which brings them back. Whether the thing exists is never told: missing and forbidden both lead
    there, and a signed-in person still gets the same "not found" for both."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code == 404 and _needs_sign_in(request):
            return redirect_to_login(request.get_full_path())
        return response

    return middleware


def _needs_sign_in(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    if wants_json(request) or getattr(match.func, "public_page", False):
        return False
    # allauth's own pages (sign-in, password reset, two-factor) answer signed-out visitors themselves.
    return not (getattr(match.func, "__module__", "") or "").startswith("allauth.")


# When the session last showed activity (seconds since the epoch): the one thing a plain page view may write.
SESSION_ACTIVITY_FIELD = "_rankfile_active"


def session_activity(get_response: Handler) -> Handler:
    """Idle sessions end (``SESSION_COOKIE_AGE``) without a write on every page view: the session is saved when it
    changes, and marked active (which saves it and moves its expiry on) at most once per
    ``RANKFILE_SESSION_RENEW_MINUTES``. So an idle session ends between that many minutes early and on time."""

    def middleware(request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # No cookie, no session: a visitor without one gets none from this.
        if session is not None and session.session_key is not None:
            last = session.get(SESSION_ACTIVITY_FIELD)
            now = int(time.time())
            # A cookie naming no stored session loads as a new, empty one: nothing to keep alive.
            if session.session_key is not None and (
                not isinstance(last, int) or now - last >= settings.SESSION_RENEW_SECONDS
            ):
                session[SESSION_ACTIVITY_FIELD] = now
        return get_response(request)

    return middleware


def server_timing(get_response: Handler) -> Handler:
    """How long the server took to answer, in the standard ``Server-Timing`` header (milliseconds): what
    `make bench-pages` reports, and what a browser's developer tools show beside the network's time."""

    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    return middleware
