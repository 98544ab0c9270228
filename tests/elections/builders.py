"""An organization that holds elections: a convention of delegates (with logins) that runs them, a steering
committee whose seats are filled, built through the actions."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from rankfile.elections import actions
from rankfile.elections.models import Election, Nomination
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org import bylaws
from rankfile.org.models import Body, Person
from tests.governance.builders import login, seat
from tests.org.builders import body, enrolled


@dataclass
class World:
    convention: Body
    steering: Body
    chair: Person  # sits on the convention, which runs elections
    delegates: list[Person]  # with logins, on the convention: its electorate


def world(*, revote: bool = True, tie_break: str = "earlier_rounds_then_lot") -> World:
    convention = body("convention", kind="convention")
    steering = body("steering-committee")
    document = bylaws.defaults()
    document["roles"]["convention"] = "convention"
    document["elections"] = {"revote_allowed": revote, "tie_break": tie_break}
    org_actions.bylaws_adopt(
        document=document, effective_from=date(2000, 1, 1), adopted_by_vote="CONV-2000-1", by=OPERATOR
    )
    people = []
    for name in ("Ash Chair", "Bea Delegate", "Cy Delegate", "Di Delegate", "Ed Delegate", "Flo Delegate"):
        user = login(name)
        person = enrolled(name, email=user.email, user=user)  # type: ignore[attr-defined]
        seat(person, convention)
        people.append(person)
    return World(convention=convention, steering=steering, chair=people[0], delegates=people)


def user_of(person: Person) -> object:
    return person.user


def call(
    w: World,
    *,
    method: str = "block",
    seats: int = 2,
    ballot_kind: str = "online",
    term_starts_on: date | None = None,
    **kw: object,
) -> Election:
    """An election whose nominations are open now, for a term from a month ahead unless ``term_starts_on`` says."""
    now = timezone.now()
    return actions.election_call(
        title="Steering committee 2026",
        body=w.steering,
        seats=seats,
        term_starts_on=term_starts_on or timezone.localdate() + timedelta(days=30),
        method=method,
        ballot_kind=ballot_kind,
        electorate="body",
        electorate_body=w.convention,
        nominations_open_at=now - timedelta(hours=1),
        nominations_close_at=now + timedelta(days=1),
        voting_open_at=now + timedelta(days=2),
        voting_close_at=now + timedelta(days=3),
        by=user_of(w.chair),
        **kw,  # type: ignore[arg-type]
    )


def shift(election: Election, *, by: timedelta) -> Election:
    """Move the whole timetable back by ``by``: as if that much time had passed (a test's clock, not an action)."""
    Election.objects.filter(pk=election.pk).update(
        nominations_open_at=election.nominations_open_at - by,
        nominations_close_at=election.nominations_close_at - by,
        voting_open_at=election.voting_open_at - by,
        voting_close_at=election.voting_close_at - by,
    )
    return Election.objects.get(pk=election.pk)


def to_voting(election: Election) -> Election:
    return shift(election, by=timedelta(days=2, hours=1))


def to_closed(election: Election) -> Election:
    now = timezone.now()
    return shift(election, by=election.voting_close_at - now + timedelta(minutes=1))


def to_term_start(election: Election) -> Election:
    Election.objects.filter(pk=election.pk).update(term_starts_on=timezone.localdate())
    return Election.objects.get(pk=election.pk)


def stand(election: Election, person: Person, statement: str = "") -> Nomination:
    return actions.nomination_make(election=election, nominee=person, statement=statement, by=user_of(person))


def member(name: str) -> Person:
    user = login(name)
    return enrolled(name, email=user.email, user=user)  # type: ignore[attr-defined]
