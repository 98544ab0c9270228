"""The product's URLs plus a page that says which key, if any, the session has unlocked."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from rankfile.urls import urlpatterns as product_urlpatterns
from rankfile.vault import sessions


def unlocked_key_page(request: HttpRequest) -> HttpResponse:
    unlocked = sessions.unlocked_key(request)
    return HttpResponse("locked" if unlocked is None else f"keypair {unlocked.keypair.pk}", content_type="text/plain")


urlpatterns = [
    path("test/unlocked-key/", unlocked_key_page),
    *product_urlpatterns,
]
