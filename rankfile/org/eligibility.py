"""The one eligibility check. Every path that puts a person on a body calls it (DESIGN.md invariant 9).

Reason codes reveal no case detail: an ineligible person is refused with one of the codes below, nothing more.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from rankfile.org import queries
from rankfile.org.models import OFFICE_KINDS, Body, BodyKind, Person, RestrictionKind

NOT_A_MEMBER_IN_GOOD_STANDING = "NOT_A_MEMBER_IN_GOOD_STANDING"
BARRED_FROM_OFFICE = "BARRED_FROM_OFFICE"
RESTRICTED_PENDING_CASE = "RESTRICTED_PENDING_CASE"
TERM_LIMIT = "TERM_LIMIT"
BODY_FULL = "BODY_FULL"
REASON_CODES = (NOT_A_MEMBER_IN_GOOD_STANDING, BARRED_FROM_OFFICE, RESTRICTED_PENDING_CASE, TERM_LIMIT, BODY_FULL)
# What each code means, in the sentence a person reads wherever a refusal or an override is shown (never the code):
# nothing of any case, and the day the check was made for, in words ("on 7 January 2027"), never "that date".
EXPLAINED = {
    NOT_A_MEMBER_IN_GOOD_STANDING: _("They are not a member in good standing on %(date)s."),
    BARRED_FROM_OFFICE: _("They are barred from office on %(date)s."),
    RESTRICTED_PENDING_CASE: _("They are restricted from leadership positions on %(date)s."),
    TERM_LIMIT: _("They have reached the term limit for this body."),
    BODY_FULL: _("The body has no free seat on %(date)s."),
}


def reason_in_words(code: str, *, on_date: date) -> str:
    """The sentence for an eligibility reason code, to show instead of the code, naming the day the check was made
    for ("on 7 December 2026")."""
    if code not in EXPLAINED:
        return str(_("They cannot take this seat."))
    return str(EXPLAINED[code]) % {"date": date_format(on_date, "j F Y")}


@dataclass(frozen=True)
class Eligible:
    ok = True


@dataclass(frozen=True)
class Ineligible:
    reason_code: str
    ok = False


def check(person: Person, body: Body, on_date: date) -> Eligible | Ineligible:
    status, kinds = queries.standing_on(person=person, day=on_date)
    if status != "active":
        return Ineligible(NOT_A_MEMBER_IN_GOOD_STANDING)
    if RestrictionKind.NOT_IN_GOOD_STANDING in kinds:
        return Ineligible(NOT_A_MEMBER_IN_GOOD_STANDING)
    if RestrictionKind.BARRED_FROM_OFFICE in kinds and body.kind != BodyKind.CAUCUS:
        return Ineligible(BARRED_FROM_OFFICE)
    if RestrictionKind.SUSPENDED_FROM_LEADERSHIP in kinds and body.kind in OFFICE_KINDS:
        return Ineligible(RESTRICTED_PENDING_CASE)
    if (
        body.max_consecutive_terms is not None
        and _consecutive_terms(person, body, on_date) >= body.max_consecutive_terms
    ):
        return Ineligible(TERM_LIMIT)
    if body.max_size is not None and queries.seats_on(body=body, day=on_date).count() >= body.max_size:
        return Ineligible(BODY_FULL)
    return Eligible()


def _consecutive_terms(person: Person, body: Body, on_date: date) -> int:
    """Seats on ``body`` in an unbroken run up to ``on_date``: each began by the day after the last ended."""
    seats = list(person.seats.filter(body=body, starts_on__lt=on_date).order_by("-starts_on"))
    count = 0
    reach = on_date
    for seat in seats:
        if seat.ends_on is not None and seat.ends_on + timedelta(days=1) < reach:
            break
        count += 1
        reach = seat.starts_on
    return count
