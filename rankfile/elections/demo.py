"""The demo organization's election at its last convention: a by-election to the steering committee, counted by
instant runoff from the tellers' paper count, its winner seated today, on the term's first day.

Built after the demo's cases, as the running body records it today: the nominations made from the floor, then the
count. Zeke Mallory, whom the demo's final case expelled and barred from office, was nominated; the one eligibility
check refused him, and the committee saw only the reason's sentence (the seed's story: the barred man is not seated).
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from rankfile.elections import actions
from rankfile.elections.models import Election
from rankfile.governance.demo import DAYS_AGO, PERSONA_DELEGATE
from rankfile.ledger.actions import OPERATOR
from rankfile.org import demo as org_demo
from rankfile.org import eligibility
from rankfile.org.models import Body, Person

BARRED = "Zeke Mallory"  # the respondent of the demo's final case


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def load(*, today: date | None = None) -> Election:
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
