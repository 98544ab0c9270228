"""Questions the organization's actions ask of the parts above it, which ``org`` cannot import (DESIGN.md layers).

Cases register, when their app is ready, whether a person is the respondent in an open case (a resignation made then
is marked, and the case goes on), what to do when such a person rejoins (tell the disciplinary body), and the holds
that final decisions and interim measures place on a person (DESIGN.md invariant 8). With nothing registered, nobody
is in an open case, nobody is told and nothing is held.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

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
