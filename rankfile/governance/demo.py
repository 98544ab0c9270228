"""The demo organization's last convention, a hundred days ago, the mandates it adopted, and a joint meeting to come.

Deterministic: the same delegates, votes and mandates on every machine (dates relative to the day the demo is built).
The convention elects a new national committee, forms a commission and a subcommittee, and adopts seven mandates; the
national committee approves the convention's minutes. Today, two mandates are done, three in progress (one of them
overdue), one blocked and overdue, one not started. In three weeks the steering committee and the branch council
meet together. Everything goes through the actions, so it is all on the ledger.
"""

from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from rankfile.governance import actions, mandates
from rankfile.governance.mandates import MilestoneSpec
from rankfile.governance.models import Mandate, Meeting, Motion, Vote
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org import eligibility
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, Person

DAYS_AGO = 100  # the convention's first day
JOINT_MEETING_IN_DAYS = 21
DELEGATES = 40
ALTERNATES = 4
# Personas who take part: the chair of the steering committee chairs the convention; Mo Member is a delegate.
# The others stay off the convention, so that their shared bodies are only those the cases part expects.
CHAIR = "Lee Leader"
PERSONA_DELEGATE = "Mo Member"
OBSERVER = "Oona Oversight"
OTHER_PERSONAS = {"Otto Overton", "Pat Panelist", "Quinn Recused", "Rae Reporter", "Ray Respondent"}


def load(*, today: date | None = None) -> None:
    """Build the last convention and what followed, as they stand on ``today`` (the clock's day unless given)."""
    today = today or timezone.localdate()
    first_day = today - timedelta(days=DAYS_AGO)
    bodies = {body.slug: body for body in Body.objects.all()}
    people = {person.name: person for person in Person.objects.filter(user__isnull=False)}
    users = {user.email: user for user in get_user_model().objects.all()}
    leader, member, oversight = (
        users["leader@example.org"],
        users["member@example.org"],
        users["oversight@example.org"],
    )

    convention = bodies["convention"]
    delegates, alternates = _delegates(convention, people, first_day)
    chair = people[CHAIR]
    _seat(chair, convention, first_day - timedelta(days=30), first_day + timedelta(days=2), role="chair")
    subcommittee = org_actions.body_create(
        name="Affirmative Action Subcommittee",
        slug="affirmative-action-subcommittee",
        kind="committee",
        parent=bodies["steering-committee"],
        by=OPERATOR,
    )

    held = actions.meeting_create(
        bodies=[convention],
        held_on=first_day,
        ends_on=first_day + timedelta(days=1),
        title=f"Convention {first_day.year}",
        place="Riverside Union Hall",
        agenda=CONVENTION_AGENDA,
        by=OPERATOR,
    )
    present = [chair, *delegates[:35]]
    actions.attendance_record(
        meeting=held, present=[*present, *alternates[:3]], invited=[people[OBSERVER]], by=OPERATOR
    )

    def vote(text: str, method: str, *, mover: int, seconder: int, day: int = 0, **counts: Any) -> Vote:
        motion = actions.motion_make(
            meeting=held,
            text=text,
            mover=present[mover],
            seconder=present[seconder],
            threshold=counts.pop("threshold", "majority"),
            by=OPERATOR,
        )
        return actions.vote_record(
            motion=motion, method=method, taken_on=first_day + timedelta(days=day), by=OPERATOR, **counts
        )

    vote("That the agenda and the standing orders be adopted.", "unanimous", mover=1, seconder=2)
    commission_vote = vote(
        "That the National Committee form, within 120 days, an independent commission on sexual misconduct in the "
        "Federation, whose members hold no other office; and that the commission organize, within 270 days, a "
        "conference on sexual misconduct in the movement, open to every member.",
        "counts",
        mover=3,
        seconder=4,
        votes_for=33,
        votes_against=1,
        abstentions=2,
    )
    perspectives_vote = vote(
        "That the Steering Committee publish the perspectives adopted by this convention, in full and in public, "
        f"by {(first_day + timedelta(days=60)):%d %B %Y}.",
        "counts",
        mover=5,
        seconder=6,
        votes_for=29,
        votes_against=5,
        abstentions=2,
    )
    roll_call = [(person, "for") for person in present[:27]]
    roll_call += [(person, "against") for person in present[27:33]]
    roll_call += [(person, "abstain") for person in present[33:36]]
    affirmative_vote = vote(
        "That the Steering Committee, through an Affirmative Action Subcommittee, develop an affirmative-action "
        "policy for hiring staff and for the allocation of the Federation's resources, and put it to the National "
        "Committee within 180 days.",
        "roll_call",
        mover=7,
        seconder=8,
        roll_call=roll_call,
        threshold="two_thirds",
    )
    apology_vote = vote(
        "That the Steering Committee publish, within 90 days, an apology to the members and to the survivors for "
        "the way the Federation's leadership handled reports of sexual misconduct.",
        "counts",
        mover=9,
        seconder=10,
        day=1,
        votes_for=30,
        votes_against=4,
        abstentions=2,
        threshold="two_thirds",
    )
    elections_vote = vote(
        "That the National Committee appoint an elections committee of three within two weeks.",
        "unanimous",
        mover=11,
        seconder=12,
        day=1,
    )
    actions.attendance_depart(meeting=held, person=present[35], by=OPERATOR)
    special_vote = vote(
        "That the National Committee prepare a special convention on the Federation's structure, to meet within "
        "300 days: its agenda, the election of delegates and a draft of the amended bylaws.",
        "counts",
        mover=13,
        seconder=14,
        day=1,
        votes_for=24,
        votes_against=9,
        abstentions=2,
    )
    vote(
        "That the dues be doubled.",
        "counts",
        mover=15,
        seconder=16,
        day=1,
        votes_for=6,
        votes_against=26,
        abstentions=3,
    )
    withdrawn = actions.motion_make(
        meeting=held, text="That the report of the treasurer be referred back.", mover=present[17], by=OPERATOR
    )
    actions.motion_withdraw(motion=withdrawn, by=OPERATOR)

    national = bodies["national-committee"]
    steering = bodies["steering-committee"]

    def adopt(from_vote: Vote, title: str, text: str, body: Body, **terms: Any) -> Mandate:
        return mandates.mandate_adopt(
            vote=from_vote, title=title, text=text, responsible_body=body, by=OPERATOR, **terms
        )

    commission = adopt(
        commission_vote,
        "Form an independent commission on sexual misconduct",
        "Form an independent commission on sexual misconduct in the Federation; its members hold no other office.",
        national,
        due_within_days=120,
        visibility="public",
    )
    conference = adopt(
        commission_vote,
        "Organize a conference on sexual misconduct",
        "Through the commission, organize a conference on sexual misconduct in the movement, open to every member.",
        national,
        due_within_days=270,
        visibility="public",
        milestones=[
            MilestoneSpec("Call for contributions", first_day + timedelta(days=150)),
            MilestoneSpec("Programme published", first_day + timedelta(days=220)),
        ],
    )
    perspectives = adopt(
        perspectives_vote,
        "Publish the convention's perspectives",
        "Publish the perspectives adopted by the convention, in full and in public.",
        steering,
        due_on=first_day + timedelta(days=60),
        visibility="public",
    )
    affirmative = adopt(
        affirmative_vote,
        "Affirmative-action policy for hiring and resources",
        "Develop an affirmative-action policy for hiring staff and allocating resources; put it to the National "
        "Committee.",
        subcommittee,
        due_within_days=180,
        milestones=[
            MilestoneSpec("Draft circulated to the branches", first_day + timedelta(days=110)),
            MilestoneSpec("Policy put to the National Committee"),
        ],
    )
    apology = adopt(
        apology_vote,
        "Publish an apology",
        "Publish an apology to the members and to the survivors for the way the leadership handled reports of "
        "sexual misconduct.",
        steering,
        due_within_days=90,
        visibility="public",
    )
    elections = adopt(
        elections_vote,
        "Appoint an elections committee",
        "Appoint an elections committee of three.",
        national,
        due_within_days=14,
    )
    adopt(
        special_vote,
        "Prepare a special convention",
        "Prepare a special convention on the Federation's structure: its agenda, the election of delegates and a draft "
        "of the amended bylaws.",
        national,
        due_within_days=300,
    )
    draft = actions.minutes_record(meeting=held, text=_minutes(held, draft=True), by=OPERATOR)
    corrected = actions.minutes_record(meeting=held, text=_minutes(held, draft=False), by=OPERATOR)
    assert draft.number == 1

    # The convention elected a new national committee; its first meeting approves the convention's minutes.
    # Mo Member stays a member without office; nobody holds two of these new seats.
    pool = [p for p in delegates if p.name != PERSONA_DELEGATE]
    taking_office = first_day + timedelta(days=2)
    nationals = _elect(national, pool, taking_office, seats=9)
    _elect(subcommittee, pool, taking_office, seats=4)
    commission_body = org_actions.body_create(
        name="Commission on Sexual Misconduct",
        slug="commission-on-sexual-misconduct",
        kind="commission",
        parent=national,
        by=OPERATOR,
    )
    _elect(commission_body, pool, first_day + timedelta(days=20), seats=5)
    committee = org_actions.body_create(
        name="Elections Committee", slug="elections-committee", kind="committee", parent=national, by=OPERATOR
    )
    first_meeting = first_day + timedelta(days=25)
    _elect(committee, pool, first_meeting, seats=3)
    nc_meeting = actions.meeting_create(
        bodies=[national], held_on=first_meeting, title="National Committee, first meeting", by=OPERATOR
    )
    # Everyone then on the committee (members whose terms had not yet ended, too) but two of the newly elected.
    absent = {p.pk for p in nationals[7:]}
    sitting = org_queries.seats_on(body=national, day=first_meeting).select_related("person")
    attending = [seat.person for seat in sitting if seat.person_id not in absent]
    actions.attendance_record(meeting=nc_meeting, present=attending, invited=[people[OBSERVER]], by=OPERATOR)
    approval = actions.motion_make(
        meeting=nc_meeting,
        text=f"That the minutes of the convention (version {corrected.number}) be approved.",
        mover=nationals[0],
        seconder=nationals[1],
        approves_minutes=corrected,
        by=OPERATOR,
    )
    actions.vote_record(motion=approval, method="unanimous", by=OPERATOR)
    appointment = actions.motion_make(
        meeting=nc_meeting,
        text="That the three members proposed be appointed to the Elections Committee.",
        mover=nationals[2],
        seconder=nationals[3],
        by=OPERATOR,
    )
    actions.vote_record(motion=appointment, method="counts", votes_for=len(attending) - 1, abstentions=1, by=OPERATOR)
    actions.minutes_record(
        meeting=nc_meeting,
        text="# National Committee, first meeting\n\n"
        "1. The minutes of the convention were approved.\n2. The Elections Committee was appointed.\n",
        by=OPERATOR,
    )

    # Where things stand today. The national committee and the subcommittee have no member with a login in the demo:
    # the command line posts on their behalf (a site administrator may not, sitting on neither).
    mandates.progress_post(
        mandate=commission,
        status="done",
        delivered="The commission was formed: five members, none holding another office. Its terms of reference are "
        "published.",
        links=["https://example.org/riverside/commission"],
        by=OPERATOR,
    )
    mandates.progress_post(
        mandate=elections,
        status="done",
        delivered="Three members were appointed at the National Committee's first meeting, late: the committee had "
        "not met before.",
        by=OPERATOR,
    )
    mandates.progress_post(
        mandate=conference,
        status="in_progress",
        text="Venue booked; the commission is writing the call for contributions.",
        percent=15,
        by=OPERATOR,
    )
    mandates.progress_post(
        mandate=perspectives,
        status="in_progress",
        text="Four of the five perspectives are edited; the fifth waits for its author.",
        percent=70,
        by=leader,
    )
    mandates.progress_post(
        mandate=affirmative,
        status="in_progress",
        text="The draft went to the branches; their comments are due next month.",
        percent=40,
        milestones_reached=list(affirmative.milestones.filter(due_on__isnull=False)),
        by=OPERATOR,
    )
    mandates.progress_post(
        mandate=apology,
        status="blocked",
        text="The wording awaits legal review.",
        by=leader,
    )
    mandates.mandate_follow(mandate=apology, by=member)
    mandates.mandate_follow(mandate=perspectives, by=member)
    mandates.mandate_follow(mandate=commission, by=oversight)

    # Coming up: the steering committee and the branch council meet together on the affirmative-action policy.
    actions.meeting_create(
        bodies=[steering, bodies["branch-council"]],
        held_on=today + timedelta(days=JOINT_MEETING_IN_DAYS),
        title="Joint meeting of the Steering Committee and the Branch Council",
        place="Riverside Union Hall",
        agenda=JOINT_AGENDA,
        by=OPERATOR,
    )


CONVENTION_AGENDA = """1. Opening; adoption of the agenda and the standing orders
2. Report of the National Committee
3. Sexual misconduct in the Federation: an independent commission; a conference
4. Perspectives
5. Affirmative action in hiring and resources
6. An apology
7. Elections
8. A special convention on our structure
9. Dues
10. Report of the treasurer
"""

JOINT_AGENDA = """1. Opening; adoption of the agenda
2. The affirmative-action policy: the branches' comments on the draft
3. The branches' part in the conference on sexual misconduct
4. Any other business
"""


def _minutes(held: Meeting, *, draft: bool) -> str:
    lines = [f"# {held.title}", "", f"{held.place}, {held.held_on:%d %B %Y} and {held.last_day:%d %B %Y}.", ""]
    for motion in Motion.objects.filter(meeting=held).select_related("vote").order_by("number"):
        vote = getattr(motion, "vote", None)
        outcome = f"{vote.result} ({vote.votes_for}-{vote.votes_against}-{vote.abstentions})" if vote else motion.status
        lines.append(f"- **{motion.reference}**: {motion.text} *{outcome}*")
    if draft:
        lines.append("\nDraft: the secretary's notes, to be checked.")
    return "\n".join(lines) + "\n"


def _delegates(convention: Body, people: dict[str, Person], first_day: date) -> tuple[list[Person], list[Person]]:
    """Forty delegates and four alternates, elected by the branches a month before, seated until it ended."""
    starts, ends = first_day - timedelta(days=30), first_day + timedelta(days=2)
    left_out = {CHAIR, OBSERVER, *OTHER_PERSONAS}
    candidates = [
        person
        for person in org_queries.people_with_status(status="active", day=starts).order_by("member_number")
        if person.name not in left_out and eligibility.check(person, convention, starts).ok
    ]
    mo = next(p for p in candidates if p.name == PERSONA_DELEGATE)
    candidates = [mo, *(p for p in candidates if p.pk != mo.pk)]
    delegates, alternates = candidates[:DELEGATES], candidates[DELEGATES : DELEGATES + ALTERNATES]
    for person in delegates:
        _seat(person, convention, starts, ends, role="delegate")
    for person in alternates:
        _seat(person, convention, starts, ends, role="alternate")
    return delegates, alternates


def _seat(person: Person, body: Body, starts: date, ends: date, *, role: str) -> None:
    seat = org_actions.person_seat(person=person, body=body, basis="elected", role=role, starts_on=starts, by=OPERATOR)
    org_actions.seat_end(seat=seat, ends_on=ends, reason="term_over", by=OPERATOR)


def _elect(body: Body, pool: list[Person], starts: date, *, seats: int) -> list[Person]:
    """The first ``seats`` people of ``pool`` whom the eligibility check lets through, for two years; the elected
    leave the pool."""
    sitting = set(org_queries.seats_on(body=body, day=starts).values_list("person_id", flat=True))
    elected: list[Person] = []
    for person in list(pool):
        if len(elected) == seats:
            break
        if person.pk in sitting or not eligibility.check(person, body, starts).ok:
            continue
        pool.remove(person)
        org_actions.person_seat(
            person=person,
            body=body,
            basis="elected",
            role="chair" if not elected else "member",
            starts_on=starts,
            term_ends_on=starts + timedelta(days=730),
            by=OPERATOR,
        )
        elected.append(person)
    return elected
