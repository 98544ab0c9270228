"""Quorum: a majority of each body's voting seats filled on the day, counted among those present."""

from datetime import date

import pytest

from rankfile.errors import InvalidInput
from rankfile.governance import actions, queries, quorum
from rankfile.governance.models import Capacity, Motion, Vote
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org import bylaws
from tests.governance.builders import DAY, meeting, seat, seated
from tests.org.builders import body, enrolled

pytestmark = pytest.mark.django_db


def vote_on(held, mover):
    motion = actions.motion_make(meeting=held, text="That we adjourn.", mover=mover, by=OPERATOR)
    return actions.vote_record(motion=motion, method="counts", votes_for=1, by=OPERATOR)


def test_exactly_a_quorum_present_may_vote():
    steering = body("steering")
    people = seated(steering, 5, prefix="Steward")
    held = meeting([steering], present=people[:3])
    [standing] = queries.quorum_of(meeting=held).bodies
    assert (standing.seated, standing.required, standing.present, standing.quorate) == (5, 3, 3, True)
    assert vote_on(held, people[0]).result == "carried"


def test_one_short_of_a_quorum_no_vote_is_recorded():
    steering = body("steering")
    people = seated(steering, 5, prefix="Steward")
    held = meeting([steering], present=people[:2])
    motion = actions.motion_make(meeting=held, text="That we adjourn.", mover=people[0], by=OPERATOR)
    with pytest.raises(InvalidInput) as refused:
        actions.vote_record(motion=motion, method="unanimous", by=OPERATOR)
    assert refused.value.code == "no_quorum"
    assert "1 more" in str(refused.value)
    assert Motion.objects.get(pk=motion.pk).status == "pending"
    assert not Vote.objects.exists()


def test_half_of_an_even_body_is_not_a_majority():
    council = body("council")
    people = seated(council, 4, prefix="Councillor")
    held = meeting([council], present=people[:2])
    assert not queries.quorum_of(meeting=held).quorate
    actions.attendance_record(meeting=held, present=people[2:3], by=OPERATOR)
    assert queries.quorum_of(meeting=held).quorate


def test_a_joint_meeting_needs_the_quorum_of_each_body_and_counts_a_person_once():
    national, steering = body("national"), body("steering")
    nationals = seated(national, 3, prefix="Nat")
    stewards = seated(steering, 3, prefix="Steward")
    both = nationals[0]
    seat(both, steering)  # sits on both: counts for each body's quorum, votes once
    held = meeting([national, steering], present=[*nationals, stewards[0]])
    standing = queries.quorum_of(meeting=held)
    assert [(b.body.slug, b.seated, b.required, b.present) for b in standing.bodies] == [
        ("national", 3, 2, 3),
        ("steering", 4, 3, 2),
    ]
    assert not standing.quorate  # 4 of 6 people is a majority overall, but not of the steering committee
    actions.attendance_record(meeting=held, present=[stewards[1]], by=OPERATOR)
    standing = queries.quorum_of(meeting=held)
    assert standing.quorate
    assert len(standing.entitled) == 5
    vote = actions.vote_record(
        motion=actions.motion_make(meeting=held, text="Joint motion.", mover=both, by=OPERATOR),
        method="unanimous",
        by=OPERATOR,
    )
    assert (vote.votes_for, vote.entitled.count()) == (5, 5)


def test_a_convention_counts_its_delegates_not_alternates_or_guests():
    convention = body("convention", kind="convention")
    delegates = seated(convention, 5, prefix="Delegate", role="delegate")
    alternates = seated(convention, 2, prefix="Alternate", role="alternate")
    guest = enrolled("Guest Speaker")
    held = meeting([convention], present=[*delegates[:2], *alternates], invited=[guest])
    capacities = {a.person.name: a.capacity for a in queries.attendance_of(meeting=held)}
    assert capacities["Alternate 1"] == Capacity.ALTERNATE
    assert capacities["Guest Speaker"] == Capacity.INVITED
    standing = queries.quorum_of(meeting=held)
    assert (standing.bodies[0].seated, standing.bodies[0].required, standing.present) == (5, 3, 5)
    assert not standing.quorate
    actions.attendance_record(meeting=held, present=[delegates[2]], by=OPERATOR)
    standing = queries.quorum_of(meeting=held)
    assert standing.quorate
    assert standing.entitled == {d.pk for d in delegates[:3]}


def test_someone_who_left_no_longer_counts_and_may_come_back():
    steering = body("steering")
    people = seated(steering, 5, prefix="Steward")
    held = meeting([steering], present=people[:3])
    actions.attendance_depart(meeting=held, person=people[2], by=OPERATOR)
    assert not queries.quorum_of(meeting=held).quorate
    with pytest.raises(InvalidInput, match="quorum"):
        vote_on(held, people[0])
    actions.attendance_record(meeting=held, present=[people[2]], by=OPERATOR)
    assert queries.quorum_of(meeting=held).quorate


def test_only_people_seated_on_the_day_are_present_with_a_seat():
    steering = body("steering")
    people = seated(steering, 3, prefix="Steward")
    former = enrolled("Former Steward")
    placed = org_actions.person_seat(
        person=former, body=steering, basis="elected", starts_on=date(2019, 1, 1), by=OPERATOR
    )
    org_actions.seat_end(seat=placed, ends_on=DAY, reason="term_over", by=OPERATOR)  # the meeting's day: gone
    held = actions.meeting_create(bodies=[steering], held_on=DAY, title="Meeting", by=OPERATOR)
    with pytest.raises(InvalidInput) as refused:
        actions.attendance_record(meeting=held, present=[people[0], former], by=OPERATOR)
    assert refused.value.code == "not_seated"
    assert "Former Steward" in str(refused.value)
    actions.attendance_record(meeting=held, present=[people[0]], invited=[former], by=OPERATOR)
    assert queries.quorum_of(meeting=held).bodies[0].seated == 3


def test_the_bylaws_may_set_the_share_for_a_quorum():
    document = bylaws.defaults()
    assert quorum.required_for(seated=5, document=document) == 3
    assert quorum.required_for(seated=0, document=document) == 1  # a body with nobody seated cannot meet
    document["meetings"] = {"quorum_percent": 40}
    assert quorum.required_for(seated=5, document=document) == 2
    assert quorum.required_for(seated=6, document=document) == 3  # 2.4 rounds up
