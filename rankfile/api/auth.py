"""Who is calling: a person signed in on the pages (their session, with the CSRF token for a POST), or a program
with one of the person's API tokens (``Authorization: Bearer rf_…``).

A caller is then admitted to what they ask about (``Admit``): the case operations admit only someone with a part in
the case, and answer anyone else — a caller who is not signed in, a token that is unknown or revoked, someone with
no part, a case that does not exist — with the same 404, before the body is read.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from rankfile.accounts import actions as account_actions
from rankfile.accounts import queries as account_queries
from rankfile.vault import sessions
from rankfile.vault.keys import UnlockedKey


@dataclass(frozen=True)
class Caller:
    user: Any
    key: UnlockedKey | None  # the person's key, unlocked in their session; never with a token
    by_token: bool


Admit = Callable[[HttpRequest, Caller], Any]


def _as_is(request: HttpRequest, caller: Caller) -> Caller:
    return caller


class SignedIn(APIKeyCookie):
    """The session of someone signed in on the pages; a POST carries the CSRF token, as a form does."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "The session of a person signed in on the pages. A POST sends the CSRF token (the csrftoken cookie) in the "
        "X-CSRFToken header. Steps that seal or open case material need the vault cookie set at sign-in too."
    )

    def __init__(self, admit: Admit = _as_is) -> None:
        self.admit = admit
        super().__init__(csrf=False)  # checked below, once someone is signed in: a stranger is told "not found"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed")
        return self.admit(request, Caller(user=request.user, key=sessions.unlocked_key(request), by_token=False))


class ApiToken(HttpBearer):
    """One of a person's API tokens. It opens no case material: steps that seal or open it answer ``locked``."""

    openapi_description = "An API token, made on the page “API tokens” of the account menu: `Bearer rf_…`."

    def __init__(self, admit: Admit = _as_is) -> None:
        self.admit = admit
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = account_queries.api_token_in_use(token=token)
        if found is None:
            return None
        account_actions.api_token_used(api_token=found)
        return self.admit(request, Caller(user=found.user, key=None, by_token=True))


def callers(admit: Admit = _as_is) -> list[Any]:
    """A token or a session, in that order; neither: ninja's AuthenticationError, answered as "not found"."""
    return [ApiToken(admit), SignedIn(admit)]
