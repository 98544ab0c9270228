"""Clients for the reporting pages: signed in with the key unlocked (as signing in with the password does), or an
anonymous visitor holding a receipt code's key."""

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory

from rankfile.vault import sessions
from rankfile.vault.keys import UnlockedKey


def with_key(client: Client, key: UnlockedKey) -> Client:
    """Put ``key`` into the client's session and its cookie, as ``sessions.session_unlock`` does for a browser."""
    request = RequestFactory().get("/")
    request.session = client.session
    response = HttpResponse()
    sessions.session_unlock(request, response, key)
    request.session.save()
    client.cookies[settings.VAULT_COOKIE_NAME] = response.cookies[settings.VAULT_COOKIE_NAME].value
    return client


def signed_in(user: Any, key: UnlockedKey | None = None) -> Client:
    """A client signed in as ``user``; with ``key`` unlocked in its session unless told otherwise."""
    client = Client()
    client.force_login(user)
    return with_key(client, key) if key is not None else client


def htmx(client: Client, url: str, data: dict[str, Any]) -> Any:
    """A POST as HTMX sends it."""
    return client.post(url, data, headers={"HX-Request": "true"})
