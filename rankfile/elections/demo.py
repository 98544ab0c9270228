"""The demo organization's election at its last convention: a by-election to the steering committee, counted by
instant runoff from the tellers' paper count, its winner seated today, on the term's first day.

Built after the demo's cases, as the running body records it today: the nominations made from the floor, then the
count. Zeke Mallory, whom the demo's final case expelled and barred from office, was nominated; the one eligibility
check refused him, and the committee saw only the reason's sentence (the seed's story: the barred man is not seated).

Since then the bylaws name the Elections Committee the convention's National Committee appointed to run elections, and
it has called a by-election to the Appeals Committee, in its nomination period today. Its chair has a login (with a
second factor), so that someone can run an election through the pages: nominations, the count, seating the winners.
"""

import secrets
from datetime import date, datetime, time, timedelta

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from rankfile.accounts import actions as account_actions
from rankfile.elections import actions
from rankfile.elections.models import Election
from rankfile.governance.demo import DAYS_AGO, PERSONA_DELEGATE
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org import demo as org_demo
from rankfile.org import eligibility, queries
from rankfile.org.models import Body, Person

BARRED = "Zeke Mallory"  # the respondent of the demo's final case


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def load(*, today: date | None = None) -> Election:
    """The convention's by-election, counted and seated."""
    today = today or timezone.localdate()
    first_day = today - timedelta(days=DAYS_AGO)  # the convention's first day
    steering = Body.objects.get(slug="steering-committee")
    convention = Body.objects.get(slug="convention")
    election = actions.election_call(
        title=f"Steering Committee by-election, Convention {first_day.year}",
        body=steering,
        seats=1,
        term_starts_on=today,
        term_ends_on=org_demo.current_term(today).ends,
        method="instant_runoff",
        ballot_kind="paper",
        electorate="body",
        electorate_body=convention,
        nominations_open_at=_at(first_day - timedelta(days=30), 9),
        nominations_close_at=_at(first_day + timedelta(days=1), 10),
        voting_open_at=_at(first_day + timedelta(days=1), 14),
        voting_close_at=_at(first_day + timedelta(days=1), 16),
        by=OPERATOR,
    )
    # Three delegates who have never sat on the steering committee, and who may take the seat today.
    delegates = Person.objects.filter(
        seats__body=convention, seats__role="delegate", seats__starts_on__lte=first_day
    ).exclude(name=PERSONA_DELEGATE)
    standing = [
        person
        for person in delegates.order_by("member_number").distinct()
        if eligibility.check(person, steering, today).ok and not person.seats.filter(body=steering).exists()
    ][:3]
    statements = [
        "I will publish the steering committee's minutes within a week of each meeting.",
        "Every decision of the disciplinary committee must be carried out, whoever it concerns.",
        "Branches first: I will hold a branch meeting in every region before each national meeting.",
    ]
    for person, statement in zip(standing, statements, strict=True):
        actions.nomination_record(
            election=election, nominee=person, made_on=first_day, statement=statement, by=OPERATOR
        )
    barred = Person.objects.get(name=BARRED)
    actions.nomination_record(election=election, nominee=barred, made_on=first_day, by=OPERATOR)
    first, second, third = (n.pk for n in actions.candidates(election))
    actions.paper_count_enter(
        election=election,
        tellers="Two tellers elected by the convention",
        lines=[([first, third], 14), ([second, third], 12), ([third, second], 9)],
        by=OPERATOR,
    )
    actions.election_count(election=election, by=OPERATOR)
    actions.winners_seat(election=election, by=OPERATOR)
    return election


def load_running_body(*, today: date | None = None) -> list[org_demo.DemoLogin]:
    """Today: the bylaws name the Elections Committee to run elections, and it has an election in its nomination
    period. Built last (after members' voice, whose bylaws it keeps). Returns the login of the committee's chair."""
    today = today or timezone.localdate()
    committee = Body.objects.get(slug="elections-committee")
    _runs_elections(committee, today)
    login = _chairs_login(committee, today)
    _appeals_by_election(today)
    return [login]


def _runs_elections(committee: Body, today: date) -> None:
    """A version of the bylaws naming the Elections Committee to run elections, as its appointment intended."""
    version = queries.bylaws_in_force(day=today)
    assert version is not None
    document = dict(version.document)
    document["roles"] = {**document["roles"], "elections": committee.slug}
    org_actions.bylaws_adopt(
        document=document,
        effective_from=today,
        adopted_by_vote="National Committee, first meeting: the Elections Committee appointed (carried)",
        by=OPERATOR,
    )


def _chairs_login(committee: Body, today: date) -> org_demo.DemoLogin:
    """An account for the committee's chair, at the address on her record, linked to her, with a second factor."""
    chair = queries.seats_on(body=committee, day=today).get(role="chair").person
    password = "demo-" + secrets.token_urlsafe(9)
    user = account_actions.account_create(email=chair.email, password=password, name=chair.name)
    org_actions.person_account_link(person=chair, user=user, by=OPERATOR)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    role = "chair of the Elections Committee, which runs elections: one is in its nomination period"
    return org_demo.DemoLogin(email=chair.email, password=password, name=chair.name, role=role, totp_secret=secret)


def _appeals_by_election(today: date) -> Election:
    """A by-election to the Appeals Committee by the members, online: nominations open for two weeks more."""
    appeals = Body.objects.get(slug="appeals-committee")
    closes = today + timedelta(days=14)
    return actions.election_call(
        title=f"Appeals Committee by-election {today.year}",
        body=appeals,
        seats=1,
        term_starts_on=closes + timedelta(days=14),
        term_ends_on=org_demo.current_term(today).ends,
        method="instant_runoff",
        ballot_kind="online",
        electorate="members",
        electorate_on=closes,
        nominations_open_at=_at(today - timedelta(days=7), 9),
        nominations_close_at=_at(closes, 17),
        voting_open_at=_at(closes + timedelta(days=3), 9),
        voting_close_at=_at(closes + timedelta(days=10), 17),
        by=OPERATOR,
    )
