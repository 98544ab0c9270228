"""The layout's menu: the pages it offers a person, built once per page view as plain values (an address, words, and
whether it is the page being shown) from the person's answers, instead of a question and a {% url %} per link in the
template. Addresses are worked out once per process: they never change while it runs."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.urls import ResolverMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class Who:
    """What the menu needs to know of the person (the layout's answers)."""

    signed_in: bool
    site_admin: bool
    handles_cases: bool
    has_own_cases: bool
    sees_members_business: bool
    may_view_directory: bool
    holds_recovery_share: bool
    may_set_up_recovery: bool
    on_the_oversight_body: bool
    may_see_overdue: bool
    may_view_ledger: bool


def _named(name: str) -> Callable[[ResolverMatch], bool]:
    return lambda match: match.url_name == name


def _of_app(app: str) -> Callable[[ResolverMatch], bool]:
    return lambda match: match.app_name == app


def _meetings(match: ResolverMatch) -> bool:
    return match.app_name == "governance" and "meeting" in (match.url_name or "")


@dataclass(frozen=True)
class _Entry:
    label: Promise
    route: str
    shown: Callable[[Who], bool]
    here: Callable[[ResolverMatch], bool]


def _always(who: Who) -> bool:
    return True


# In the order the menu shows them.
_MAIN = [
    _Entry(_("Home"), "web:home", _always, _named("home")),
    _Entry(_("Cases to handle"), "cases:inbox", lambda who: who.handles_cases, _named("inbox")),
    _Entry(_("My cases"), "cases:my_cases", lambda who: who.has_own_cases, _named("my_cases")),
    _Entry(_("Make a report"), "cases:report_start", _always, _named("report_start")),
    _Entry(_("Mandates"), "governance:tracker", lambda who: who.sees_members_business, _named("tracker")),
    _Entry(
        _("Mandates"),
        "governance:public_tracker",
        lambda who: not who.sees_members_business,
        _named("public_tracker"),
    ),
    _Entry(_("Meetings"), "governance:meeting_list", lambda who: who.sees_members_business, _meetings),
    _Entry(_("Elections"), "elections:list", lambda who: who.sees_members_business, _of_app("elections")),
    _Entry(
        _("Statements"),
        "voice:public_statement_list",
        lambda who: not who.sees_members_business,
        _named("public_statement_list"),
    ),
    _Entry(_("Members' voice"), "voice:index", lambda who: who.sees_members_business, _of_app("voice")),
    _Entry(_("Invitations"), "accounts:invitation_list", lambda who: who.site_admin, _named("invitation_list")),
    _Entry(_("Members"), "org:person_list", lambda who: who.may_view_directory, _named("person_list")),
    _Entry(_("Bodies"), "org:body_list", lambda who: who.may_view_directory, _named("body_list")),
    _Entry(_("Bylaws"), "org:bylaws", lambda who: who.may_view_directory, _named("bylaws")),
    _Entry(
        _("Recovery requests"),
        "accounts:recovery_requests",
        lambda who: who.holds_recovery_share,
        _named("recovery_requests"),
    ),
    _Entry(_("Recovery key"), "accounts:recovery_setup", lambda who: who.may_set_up_recovery, _named("recovery_setup")),
    _Entry(_("Overrides"), "cases:overrides", lambda who: who.sees_members_business, _named("overrides")),
    _Entry(
        _("Process investigation"),
        "cases:investigation_new",
        lambda who: who.on_the_oversight_body,
        _named("investigation_new"),
    ),
    _Entry(_("Overdue"), "web:overdue", lambda who: who.may_see_overdue, _named("overdue")),
    _Entry(_("Ledger"), "ledger:entry_list", lambda who: who.may_view_ledger, _named("entry_list")),
]

# The account menu, the same for everyone signed in; it marks no page.
_ACCOUNT = [
    (_("My membership"), "org:my_membership"),
    (_("Two-factor authentication"), "mfa_index"),
    (_("Change password"), "account_change_password"),
    (_("API tokens"), "accounts:api_tokens"),
]


@cache
def _address_under(route: str, prefix: str, urlconf: Any) -> str:
    return reverse(route, urlconf=urlconf)


def address(route: str) -> str:
    """``reverse(route)`` for a route without parameters, worked out once per process (and prefix, and URL conf)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _address_under(route, get_script_prefix(), urlconf)


def main_menu(who: Who, match: ResolverMatch | None) -> list[Link]:
    return [
        Link(str(entry.label), address(entry.route), match is not None and entry.here(match))
        for entry in _MAIN
        if entry.shown(who)
    ]


def account_menu() -> list[Link]:
    return [Link(str(label), address(route)) for label, route in _ACCOUNT]


def layout_addresses(*, signed_in: bool) -> dict[str, str]:
    """The layout's other links: the site's name, signing in and out, and the transparency reports (the members'
    list, or the public one)."""
    return {
        "home": address("web:home"),
        "sign_in": address("account_login"),
        "sign_out": address("account_logout"),
        "transparency": address("transparency:report_list" if signed_in else "transparency:public_list"),
    }
