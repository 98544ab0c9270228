"""Questions the organization's actions ask of the parts above it, which ``org`` cannot import (DESIGN.md layers).

Governance registers how a vote is cited in words: records here (a version of the bylaws) name a vote by its
reference, and a reader should see what was moved, at which meeting and when, not a code.

Cases register, when their app is ready, whether a person is the respondent in an open case (a resignation made then
is marked, and the case goes on), what to do when such a person rejoins (tell the disciplinary body), and the holds
that final decisions and interim measures place on a person (DESIGN.md invariant 8). With nothing registered, nobody
is in an open case, nobody is told and nothing is held.

Members' voice registers the caucuses that asked to be listed on the report pages' support card, which the cases'
pages show beside the bylaws' support contacts; with nothing registered, none is listed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rankfile.org.models import Person


@dataclass(frozen=True)
class Hold:
    """What a final decision's sanctions (or an interim measure, while it lasts) hold in place for one person.

    ``status``: the membership status held until ``status_until`` (None: until an override or a re-admission); no
    other status may be recorded for a day before then. ``restrictions``: the ids of the restrictions that only the
    case's own steps may lift."""

    reference: str
    status: str = ""
    status_until: date | None = None
    restrictions: frozenset[int] = field(default_factory=frozenset)

    def holds_status_on(self, day: date) -> bool:
        return bool(self.status) and (self.status_until is None or day < self.status_until)


OpenCaseCheck = Callable[[Person], bool]
HoldFinder = Callable[[Person], list[Hold]]
RejoinListener = Callable[[Person, date], None]

_open_case_checks: dict[str, OpenCaseCheck] = {}
_rejoin_listeners: dict[str, RejoinListener] = {}
_hold_finders: dict[str, HoldFinder] = {}


def register_open_case_check(name: str, check: OpenCaseCheck) -> OpenCaseCheck:
    """``check(person)``: is the person the respondent in (or otherwise the subject of) a case that is open?"""
    _open_case_checks[name] = check
    return check


def register_rejoin_listener(name: str, listener: RejoinListener) -> RejoinListener:
    """``listener(person, day)``: called, inside the status change's transaction, when a person who resigned while a
    case about them was open becomes active again from ``day``."""
    _rejoin_listeners[name] = listener
    return listener


def in_an_open_case(person: Person) -> bool:
    return any(check(person) for check in _open_case_checks.values())


def rejoined(person: Person, day: date) -> None:
    for listener in _rejoin_listeners.values():
        listener(person, day)


def register_hold_finder(name: str, finder: HoldFinder) -> HoldFinder:
    """``finder(person)``: the holds on ``person`` now: of each final decision not overridden and not ended by a
    re-admission, and of each interim measure not lifted."""
    _hold_finders[name] = finder
    return finder


def holds_on(person: Person) -> list[Hold]:
    return [hold for finder in _hold_finders.values() for hold in finder(person)]


@dataclass(frozen=True)
class CitedVote:
    """A recorded vote, in words: the motion's title, the meeting's title, the day of the vote, and the address of
    the motion on the meeting's page (empty when the reader may not open it)."""

    motion: str
    meeting: str
    taken_on: date
    url: str = ""


VoteCiter = Callable[[str, Any], "CitedVote | None"]
_vote_citers: dict[str, VoteCiter] = {}


def register_vote_citer(name: str, citer: VoteCiter) -> VoteCiter:
    """``citer(reference, reader)``: the vote ``reference`` names, in words for ``reader``, or None if it names no
    recorded vote (or one the reader may not know of)."""
    _vote_citers[name] = citer
    return citer


def cited_vote(reference: str, reader: Any) -> CitedVote | None:
    for citer in _vote_citers.values():
        found = citer(reference, reader)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class SupportListing:
    """A group listed on the report pages' support card: its name, the page where anyone writes to it, and the people
    who chose to be named with it."""

    name: str
    url: str
    names: tuple[str, ...] = ()


SupportFinder = Callable[[], list[SupportListing]]
_support_finders: dict[str, SupportFinder] = {}


def register_support_finder(name: str, finder: SupportFinder) -> SupportFinder:
    """``finder()``: the groups to list on the support card now."""
    _support_finders[name] = finder
    return finder


def support_listings() -> list[SupportListing]:
    return [listing for finder in _support_finders.values() for listing in finder()]
