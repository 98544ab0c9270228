"""Questions the organization's actions ask of the parts above it, which ``org`` cannot import (DESIGN.md layers).

Cases register, when their app is ready, whether a person is the respondent in an open case (a resignation made then
is marked, and the case goes on) and what to do when such a person rejoins (tell the disciplinary body). With nothing
registered, nobody is in an open case and nobody is told.
"""

from collections.abc import Callable
from datetime import date

from rankfile.org.models import Person

OpenCaseCheck = Callable[[Person], bool]
RejoinListener = Callable[[Person, date], None]

_open_case_checks: dict[str, OpenCaseCheck] = {}
_rejoin_listeners: dict[str, RejoinListener] = {}


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
