from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rankfile.accounts import recovery_queries
from rankfile.accounts.mfa import has_mfa
from rankfile.cases import queries as case_queries
from rankfile.policy import public_page
from rankfile.web.problems import generic_problem


@public_page
def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {}
    if request.user.is_authenticated:
        context["has_mfa"] = has_mfa(request.user)
        context["recovery_waiting"] = recovery_queries.waiting_for(user=request.user)
        context["my_reports"] = list(case_queries.reports_of(user=request.user))
        context["adviser_invitations"] = list(case_queries.adviser_invitations(user=request.user))
    return render(request, "web/home.html", context)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return generic_problem(request, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return generic_problem(request, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return generic_problem(request, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return generic_problem(request, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return generic_problem(request, status=403)
