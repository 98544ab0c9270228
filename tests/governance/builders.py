"""Bodies with seated people, meetings with attendance, carried votes and mandates, built through the actions."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from rankfile.governance import actions, mandates
from rankfile.governance.models import Mandate, Meeting, Vote
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org.models import Body, Person
from tests.org.builders import body, enrolled

DAY = date(2026, 3, 14)


def seat(person: Person, on: Body, *, role: str = "member", since: date = date(2020, 1, 1)) -> None:
    org_actions.person_seat(person=person, body=on, basis="elected", role=role, starts_on=since, by=OPERATOR)


def seated(on: Body, count: int, *, prefix: str, role: str = "member", email: bool = False) -> list[Person]:
    people = []
    for n in range(1, count + 1):
        address = f"{prefix.lower()}{n}@example.org" if email else ""
        person = enrolled(f"{prefix} {n}", email=address)
        seat(person, on, role=role)
        people.append(person)
    return people


def person_for(user: object, *, since: date = date(2005, 1, 1)) -> Person:
    """The org person of a persona's login, a member since ``since``."""
    return enrolled(user.name, email=user.email, user=user, since=since)  # type: ignore[attr-defined]


def login(name: str) -> object:
    first = name.split()[0].lower()
    return get_user_model().objects.create_user(email=f"{first}@example.org", password=None, name=name)


def meeting(
    bodies: Sequence[Body], *, present: Sequence[Person], invited: Sequence[Person] = (), held_on: date = DAY, **kw
) -> Meeting:
    held = actions.meeting_create(bodies=bodies, held_on=held_on, title="Meeting", by=OPERATOR, **kw)
    actions.attendance_record(meeting=held, present=present, invited=invited, by=OPERATOR)
    return held


def carried(held: Meeting, *, mover: Person, text: str = "That the body does the thing.") -> Vote:
    motion = actions.motion_make(meeting=held, text=text, mover=mover, by=OPERATOR)
    return actions.vote_record(motion=motion, method="unanimous", by=OPERATOR)


@dataclass
class Organization:
    national: Body
    steering: Body
    convention: Body
    oversight: Body
    nationals: list[Person]
    stewards: list[Person]
    delegates: list[Person]
    watchers: list[Person]


def organization() -> Organization:
    """A national committee over a steering committee; a convention of five delegates; an oversight commission.
    Everyone on the national committee and the oversight commission has an email address."""
    national = body("national-committee")
    steering = body("steering-committee", parent=national)
    convention = body("convention", kind="convention")
    oversight = body("oversight-commission", kind="oversight")
    return Organization(
        national=national,
        steering=steering,
        convention=convention,
        oversight=oversight,
        nationals=seated(national, 3, prefix="Nat", email=True),
        stewards=seated(steering, 3, prefix="Steward", email=True),
        delegates=seated(convention, 5, prefix="Delegate"),
        watchers=seated(oversight, 2, prefix="Watcher", email=True),
    )


def convention_vote(org: Organization, *, held_on: date | None = None) -> Vote:
    """A carried vote of the whole convention (``held_on``: today unless given)."""
    held = meeting([org.convention], present=org.delegates, held_on=held_on or timezone.localdate())
    return carried(held, mover=org.delegates[0])


def steering_vote(org: Organization, *, held_on: date | None = None) -> Vote:
    held = meeting([org.steering], present=org.stewards, held_on=held_on or timezone.localdate())
    return carried(held, mover=org.stewards[0])


def mandate(
    org: Organization,
    *,
    vote: Vote | None = None,
    days: int | None = 90,
    visibility: str = "members",
    responsible: Body | None = None,
    adopted_days_ago: int = 0,
    **kw,
) -> Mandate:
    vote = vote or convention_vote(org, held_on=timezone.localdate() - timedelta(days=adopted_days_ago))
    return mandates.mandate_adopt(
        vote=vote,
        title="Publish an apology",
        text="The steering committee publishes an apology to the members.",
        responsible_body=responsible or org.steering,
        due_within_days=days,
        visibility=visibility,
        by=OPERATOR,
        **kw,
    )
