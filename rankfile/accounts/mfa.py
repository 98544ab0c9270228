"""Two-factor authentication that later parts can require.

A part whose people handle cases registers a predicate saying who holds such a role
(``case_role(lambda user: ...)``). ``require_mfa`` refuses those people until they have enabled a second
factor; views use the ``mfa_required`` decorator, which sends them to the setup page with an explanation.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from rankfile.errors import MfaRequired

CaseRolePredicate = Callable[[Any], bool]
_case_role_predicates: list[CaseRolePredicate] = []

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponse)


def case_role(predicate: CaseRolePredicate) -> CaseRolePredicate:
    """Register ``predicate(user) -> bool``: True when the user holds a case-handling role."""
    _case_role_predicates.append(predicate)
    return predicate


def holds_case_role(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and any(p(user) for p in _case_role_predicates)


def has_mfa(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def mfa_required(user: Any) -> bool:
    """True when this user must enable MFA before doing anything with cases."""
    return settings.RANKFILE_REQUIRE_MFA_FOR_CASE_ROLES and holds_case_role(user) and not has_mfa(user)


def require_mfa(user: Any) -> None:
    """Raise MfaRequired if the user holds a case-handling role without a second factor.

    Parties to a case (a reporter reading their own report) are not held to it: a second factor must not
    stand between a survivor and their own report.
    """
    if mfa_required(user):
        raise MfaRequired()


def mfa_required_view(view: Callable[P, R]) -> Callable[P, R]:
    """Decorate a view so that a case handler without MFA is told to enable it first."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        request = next(arg for arg in args if isinstance(arg, HttpRequest))
        require_mfa(request.user)
        return view(*args, **kwargs)

    return wrapper
