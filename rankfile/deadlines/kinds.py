"""What each kind of deadline is called and what happens, besides the alert to the oversight body, when one nears
or passes. Parts that set deadlines register their kinds when the app is ready."""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from rankfile.deadlines.models import Deadline

Hook = Callable[["Deadline"], None]


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise  # "acknowledging a report": said in reminders and alerts, with no case detail
    on_reminder: Hook | None = None  # when the reminder is recorded, in its transaction (tell the people who act)
    on_missed: Hook | None = None  # when the miss is recorded and the oversight body alerted, in its transaction
    # People (org person ids) the oversight alert must leave out: a party who sits on the oversight body must not
    # learn from it that a matter exists.
    excluded_from_alert: Callable[["Deadline"], Collection[int]] | None = None
    # What the deadline is about, named in the oversight alert (a mandate's title). Only for kinds whose subject the
    # whole membership may know of: a case's kinds leave it None, so that their alerts stay content-free.
    describe: Callable[["Deadline"], str] | None = None


_kinds: dict[str, Kind] = {}


class UnknownKind(LookupError):
    """A kind of deadline no part registered: a mistake in the code, never a silent default."""


def register(kind: Kind) -> Kind:
    _kinds[kind.code] = kind
    return kind


def registered() -> dict[str, Kind]:
    """Every kind registered so far, by code."""
    return dict(_kinds)


def kind_of(code: str) -> Kind:
    try:
        return _kinds[code]
    except KeyError:
        raise UnknownKind(code) from None


# Jobs that run on every tick besides the deadlines (e.g. purging records past their retention period). Each takes
# the time of the tick and returns how many things it did; it must be idempotent.
Periodic = Callable[[Any], int]
_periodic: dict[str, Periodic] = {}


def register_periodic(name: str, job: Periodic) -> Periodic:
    _periodic[name] = job
    return job


def periodic_jobs() -> dict[str, Periodic]:
    return dict(_periodic)


@dataclass(frozen=True)
class Page:
    """Where a deadline is dealt with: the page's address and a link text that says what happens there."""

    url: str
    words: str | Promise


# A part registers, for the kinds whose code starts with a prefix ("cases."), a function of (deadline, reader) that
# answers the page where that reader deals with the deadline, or None where they may open none. The oversight body's
# list of overdue deadlines links there.
PageOf = Callable[["Deadline", Any], Page | None]
_pages: dict[str, PageOf] = {}


def register_page(prefix: str, page_of: PageOf) -> PageOf:
    _pages[prefix] = page_of
    return page_of


def page_of(deadline: "Deadline", *, reader: Any) -> Page | None:
    for prefix, finder in _pages.items():
        if deadline.kind.startswith(prefix):
            return finder(deadline, reader)
    return None
