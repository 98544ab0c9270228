"""Keeping a private key unlocked for a session without storing it anywhere usable.

At sign-in the private key is unwrapped with the password and wrapped again under a random session key. The
session (server side) keeps only that wrapped form; the session key lives only in a cookie of its own (HttpOnly,
Secure, SameSite=Strict) in the person's browser. Neither a copy of the session store nor the cookie alone yields
the key. Signing out, or the session ending, leaves the wrapped form unusable: the middleware drops a cookie that
no session goes with.
"""

import base64
import binascii
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import get_usage

from rankfile.vault import crypto, keys
from rankfile.vault.errors import VaultError
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import Keypair

_SESSION_FIELD = "_rankfile_vault"
# How many versions a sign-in remembers having recorded; past that the oldest are read (and recorded) again.
READS_REMEMBERED = 2000


class SessionReads:
    """The versions whose read this sign-in put on the ledger, kept in the session beside the wrapped key: a new
    sign-in (a new wrapped key) starts with none."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def _recorded(self) -> list[int]:
        stored = self.session.get(_SESSION_FIELD)
        return list(stored.get("read", [])) if isinstance(stored, dict) else []

    def has_recorded(self, version_id: int) -> bool:
        return version_id in self._recorded()

    def remember(self, version_id: int) -> None:
        stored = self.session.get(_SESSION_FIELD)
        if not isinstance(stored, dict):
            return  # signed out meanwhile: nothing to remember it in
        recorded = [seen for seen in self._recorded() if seen != version_id][-(READS_REMEMBERED - 1) :]
        # Assigned anew so that the session knows it changed and is saved.
        self.session[_SESSION_FIELD] = {**stored, "read": [*recorded, version_id]}


def session_unlock(request: HttpRequest, response: HttpResponse, unlocked: UnlockedKey) -> None:
    """Keep ``unlocked`` for the rest of this session (the response carries the cookie)."""
    session_key = crypto.new_key()
    request.session[_SESSION_FIELD] = {
        "keypair": unlocked.keypair.pk,
        "wrapped": base64.b64encode(crypto.wrap_private(unlocked.private, key=session_key)).decode(),
    }
    response.set_cookie(
        settings.VAULT_COOKIE_NAME,
        base64.urlsafe_b64encode(session_key).decode(),
        max_age=None,  # gone when the browser closes, like the session
        path="/",
        secure=True,
        httponly=True,
        samesite="Strict",
    )


# Guessing receipt codes: a few tries per client, and a ceiling for everyone together so that many addresses do not
# help. django-ratelimit keeps only counters under hashed keys in the cache, gone when their window ends.
RECEIPT_TRIES_PER_CLIENT = "10/h"
RECEIPT_TRIES_OVERALL = "300/h"


def _receipt_limits() -> list[tuple[Any, str]]:
    return [("ip", RECEIPT_TRIES_PER_CLIENT), (lambda group, request: "everyone", RECEIPT_TRIES_OVERALL)]


def receipt_unlock(request: HttpRequest, response: HttpResponse, code: str) -> UnlockedKey:
    """Open an anonymous reporter's key with their receipt code for this session; wrong codes are rate limited."""
    for key, rate in _receipt_limits():
        usage = get_usage(request, group="vault.receipt", key=key, rate=rate, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            raise VaultError("too many tries with receipt codes; wait an hour and try again", code="rate_limited")
    try:
        unlocked = keys.receipt_key_unlock(code=code)
    except VaultError:
        for key, rate in _receipt_limits():
            get_usage(request, group="vault.receipt", key=key, rate=rate, increment=True)
        raise
    session_unlock(request, response, unlocked)
    return unlocked


def session_lock(request: HttpRequest, response: HttpResponse | None = None) -> None:
    """Forget the unlocked key: the session's wrapped form, and the cookie when there is a response."""
    if hasattr(request, "session"):
        request.session.pop(_SESSION_FIELD, None)
    if response is not None:
        response.delete_cookie(settings.VAULT_COOKIE_NAME, path="/", samesite="Strict")


def unlocked_key(request: HttpRequest) -> UnlockedKey | None:
    """The key unlocked in this session, if the session and the cookie are both there and belong together.

    A person's key serves only that person signed in: one unlocked at the password step is not usable before the
    second factor is given, nor by someone else who signs in later with the same session."""
    stored: dict[str, Any] | None = request.session.get(_SESSION_FIELD) if hasattr(request, "session") else None
    cookie = request.COOKIES.get(settings.VAULT_COOKIE_NAME)
    if not stored or not cookie:
        return None
    keypair_id = stored.get("keypair")
    keypair = Keypair.objects.filter(pk=keypair_id, retired_at__isnull=True).first() if keypair_id else None
    if keypair is None:
        return None
    user = getattr(request, "user", None)
    if keypair.user_id is not None and (user is None or not user.is_authenticated or user.pk != keypair.user_id):
        return None
    try:
        session_key = base64.urlsafe_b64decode(cookie.encode())
        wrapped = base64.b64decode(stored["wrapped"])
        private = crypto.unwrap_private(wrapped, key=session_key, public=bytes(keypair.public_key))
    except (VaultError, binascii.Error, ValueError, KeyError):
        return None
    return UnlockedKey(keypair=keypair, private=private, sign_in=SessionReads(request.session))


def require_unlocked(request: HttpRequest) -> UnlockedKey:
    key = unlocked_key(request)
    if key is None:
        raise VaultError("sign in again to unlock case material in this browser", code="locked")
    return key


class VaultCookieMiddleware:
    """Drops the key cookie when no session holds a key for it (after sign-out or expiry), and a session's key
    when its cookie is gone."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        has_cookie = settings.VAULT_COOKIE_NAME in request.COOKIES
        session = getattr(request, "session", None)
        holds_key = session is not None and _SESSION_FIELD in session
        if has_cookie and not holds_key and settings.VAULT_COOKIE_NAME not in response.cookies:
            response.delete_cookie(settings.VAULT_COOKIE_NAME, path="/", samesite="Strict")
        if session is not None and holds_key and not has_cookie and settings.VAULT_COOKIE_NAME not in response.cookies:
            session.pop(_SESSION_FIELD, None)
        return response
