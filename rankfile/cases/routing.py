"""Who a report goes to: the body the bylaws name for its path, minus everyone who must not handle it.

Excluded: the respondent, the reporter, anyone the reporter named as conflicted, anyone under a restriction, and (for
an informal or formal report) anyone who sat on a body with the respondent within the bylaws' lookback years.
If fewer than the bylaws' quorum remain (one, for the support team), the report goes to the oversight body, with
the same people excluded. Nobody else is told that it exists.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rankfile.cases.models import ReportPath
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, BodyKind, Person

ROLE_FOR_PATH = {
    ReportPath.SUPPORT_ONLY: "support_team",
    ReportPath.INFORMAL: "disciplinary",
    ReportPath.FORMAL: "disciplinary",
}


@dataclass(frozen=True)
class Route:
    body: Body | None
    people: list[Person]
    fell_back: bool  # too few were left on the body the bylaws name, so the oversight body took it


def _role_body(document: dict[str, Any], role: str) -> Body | None:
    slug = document["roles"].get(role, "")
    return Body.objects.filter(slug=slug).first() if slug else None


def shared_a_body(person: Person, respondent: Person | None, *, day: date, years: int) -> bool:
    """Did ``person`` sit on a body with ``respondent`` within the last ``years`` (0: the check is off)? A
    convention's delegates do not count: everyone shares that."""
    if respondent is None or not years:
        return False
    since = day - timedelta(days=round(365.25 * years))
    shared = org_queries.shared_bodies(first=person, second=respondent, since=since)
    return any(s.body.kind != BodyKind.CONVENTION for s in shared)


def _eligible_on(
    body: Body, *, day: date, excluded: set[int], respondent: Person | None = None, years: int = 0
) -> list[Person]:
    people: list[Person] = []
    for seat in org_queries.seats_on(body=body, day=day).select_related("person"):
        person = seat.person
        if person.pk in excluded or person.user_id is None:
            continue
        if org_queries.restriction_kinds_in_effect(person=person, day=day):
            continue
        if shared_a_body(person, respondent, day=day, years=years):
            continue
        if all(p.pk != person.pk for p in people):
            people.append(person)
    return people


def handlers_needed(*, path: str, document: dict[str, Any]) -> int:
    """How few handlers are too few: one for the support team, the bylaws' panel quorum otherwise."""
    return 1 if path == ReportPath.SUPPORT_ONLY else max(1, int(document["panel"]["quorum"]))


def route(
    *,
    path: str,
    process_complaint: bool,
    day: date,
    respondent: Person | None,
    reporter: Person | None,
    named_conflicts: list[Person],
    oversight_only: bool = False,
) -> Route:
    document = org_queries.bylaws_document(day=day)
    role = "process_complaints" if process_complaint else ROLE_FOR_PATH[ReportPath(path)]
    excluded = {p.pk for p in named_conflicts}
    excluded |= {p.pk for p in (respondent, reporter) if p is not None}
    needed = handlers_needed(path=path, document=document)
    years = int(document["panel"]["shared_body_lookback_years"]) if path != ReportPath.SUPPORT_ONLY else 0
    oversight = _role_body(document, "oversight")
    first = oversight if oversight_only else (_role_body(document, role) or oversight)
    if first is not None:
        people = _eligible_on(first, day=day, excluded=excluded, respondent=respondent, years=years)
        if len(people) >= needed or first == oversight:
            return Route(body=first, people=people, fell_back=False)
    if oversight is not None:
        people = _eligible_on(oversight, day=day, excluded=excluded, respondent=respondent, years=years)
        return Route(body=oversight, people=people, fell_back=True)
    return Route(body=None, people=[], fell_back=True)
