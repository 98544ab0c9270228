from functools import cached_property
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from rankfile import policy
from rankfile.cases import waiting as case_waiting
from rankfile.ledger.policy import is_on_the_oversight_body
from rankfile.web import menu


class _Layout:
    """The layout's answers for one person in one request, each worked out when a template first asks for it (a
    fragment that draws no menu asks nothing)."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.signed_in = bool(getattr(user, "is_authenticated", False))

    def _allows(self, permission: str) -> bool:
        return self.signed_in and policy.allows(self.user, permission)

    @cached_property
    def who(self) -> menu.Who:
        cases = case_waiting.menu_for(user=self.user)
        return menu.Who(
            signed_in=self.signed_in,
            site_admin=self.signed_in and bool(self.user.is_site_admin),
            handles_cases=cases["handles_cases"],
            has_own_cases=cases["has_own_cases"],
            # The members' own pages (their mandates, meetings, overrides, elections, members' voice) open to the
            # same people: anyone else (a former member, an ally who reported) is offered the public pages instead.
            sees_members_business=self._allows("governance.view_meetings"),
            may_view_directory=self._allows("org.view_directory"),
            holds_recovery_share=self._allows("accounts.view_recovery_requests"),
            may_set_up_recovery=self._allows("accounts.set_up_recovery"),
            on_the_oversight_body=self.signed_in and is_on_the_oversight_body(self.user),
            may_see_overdue=self._allows("deadlines.view_overdue"),
            may_view_ledger=self._allows("ledger.view_entries"),
        )

    def answer(self, name: str) -> Any:
        """A template variable that asks ``name`` of the person only when a template reads it."""
        return lambda: getattr(self.who, name)


def _layout_of(request: HttpRequest) -> _Layout:
    user = getattr(request, "user", None)
    # Once per request and person (a view that signs someone in or out renders for the new one).
    key = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    found: tuple[Any, _Layout] | None = getattr(request, "_rankfile_layout", None)
    if found is None or found[0] != key:
        found = (key, _Layout(user))
        request._rankfile_layout = found  # type: ignore[attr-defined]
    return found[1]


ANSWERS = (
    "may_view_ledger",
    "may_see_overdue",
    "may_view_directory",
    "may_set_up_recovery",
    "holds_recovery_share",
    "sees_members_business",
    "on_the_oversight_body",
    "handles_cases",
    "has_own_cases",
)


def site(request: HttpRequest) -> dict[str, Any]:
    layout = _layout_of(request)
    return {
        "site_name": settings.ORG_NAME,
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "main_menu": lambda: menu.main_menu(layout.who, request.resolver_match),
        "account_menu": menu.account_menu,
        "layout_addresses": lambda: menu.layout_addresses(signed_in=layout.signed_in),
        **{name: layout.answer(name) for name in ANSWERS},
    }
