"""Turning errors into what a person or a program can act on: a page, or RFC 9457 problem JSON."""

from typing import Any

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


def domain_problem(request: HttpRequest, error: RankfileError) -> HttpResponse:
    return _answer(request, problems.of_error(error))
