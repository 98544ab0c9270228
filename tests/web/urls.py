"""The product's URLs plus views that fail on purpose, to test how failures look."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from rankfile.accounts.mfa import mfa_required_view
from rankfile.errors import Ineligible, InvalidInput, NotAllowed
from rankfile.urls import handler404, handler500  # noqa: F401
from rankfile.urls import urlpatterns as product_urlpatterns


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internal detail: table cases_statement")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise NotAllowed("cases.read refused for this person")


def invalid(request: HttpRequest) -> HttpResponse:
    raise InvalidInput("The due date must be after the meeting.", field_errors={"due": ["Pick a later date."]})


def ineligible(request: HttpRequest) -> HttpResponse:
    raise Ineligible("This person cannot take this seat.", code="BARRED_FROM_OFFICE")


@mfa_required_view
def case_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("case content")


urlpatterns = [
    path("test/case/", case_page),
    path("test/crash/", crash),
    path("test/forbidden/", forbidden),
    path("api/test/forbidden", forbidden),
    path("api/test/crash", crash),
    path("api/test/invalid", invalid),
    path("test/ineligible/", ineligible),
    *product_urlpatterns,
]
