"""Motions and recorded votes: who may vote, how the result is computed, and each vote's stable reference."""

from datetime import date

import pytest

from rankfile.errors import InvalidInput, NotAllowed
from rankfile.governance import actions, queries
from rankfile.governance.models import Motion
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from tests.governance.builders import DAY, meeting, person_for, seat, seated
from tests.org.builders import body, enrolled

pytestmark = pytest.mark.django_db


@pytest.fixture
def steering():
    return body("steering-committee")


@pytest.fixture
def stewards(steering):
    return seated(steering, 5, prefix="Steward")


def motion(held, mover, *, threshold="majority", text="That we publish the accounts."):
    return actions.motion_make(meeting=held, text=text, mover=mover, threshold=threshold, by=OPERATOR)


def test_a_roll_call_naming_someone_not_entitled_is_refused(steering, stewards):
    guest, absent = enrolled("Guest"), stewards[4]
    held = meeting([steering], present=stewards[:4], invited=[guest])
    for outsider in (guest, absent):
        with pytest.raises(InvalidInput) as refused:
            actions.vote_record(
                motion=motion(held, stewards[0]),
                method="roll_call",
                roll_call=[(stewards[0], "for"), (outsider, "for")],
                by=OPERATOR,
            )
        assert refused.value.code == "not_entitled"
    assert not held.motions.exclude(status="pending").exists()


def test_counts_above_the_number_entitled_are_refused(steering, stewards):
    held = meeting([steering], present=stewards[:4], invited=[enrolled("Guest")])
    with pytest.raises(InvalidInput) as refused:
        actions.vote_record(
            motion=motion(held, stewards[0]), method="counts", votes_for=3, votes_against=1, abstentions=1, by=OPERATOR
        )
    assert refused.value.code == "votes_exceed_entitled"
    vote = actions.vote_record(
        motion=motion(held, stewards[0]), method="counts", votes_for=3, votes_against=1, by=OPERATOR
    )
    assert (vote.entitled.count(), vote.present) == (4, 5)


def test_a_person_votes_once_in_a_roll_call(steering, stewards):
    held = meeting([steering], present=stewards)
    with pytest.raises(InvalidInput) as refused:
        actions.vote_record(
            motion=motion(held, stewards[0]),
            method="roll_call",
            roll_call=[(stewards[0], "for"), (stewards[0], "against")],
            by=OPERATOR,
        )
    assert refused.value.code == "voted_twice"


def test_the_mover_and_seconder_are_present_with_a_vote(steering, stewards):
    guest = enrolled("Guest")
    held = meeting([steering], present=stewards[:3], invited=[guest])
    with pytest.raises(InvalidInput, match="mover"):
        motion(held, guest)
    with pytest.raises(InvalidInput, match="seconder"):
        actions.motion_make(meeting=held, text="x", mover=stewards[0], seconder=stewards[4], by=OPERATOR)
    with pytest.raises(InvalidInput, match="seconder"):
        actions.motion_make(meeting=held, text="x", mover=stewards[0], seconder=stewards[0], by=OPERATOR)
    made = actions.motion_make(meeting=held, text="x", mover=stewards[0], seconder=stewards[1], by=OPERATOR)
    assert (made.mover, made.seconder) == (stewards[0], stewards[1])


@pytest.mark.parametrize(
    ("votes_for", "votes_against", "threshold", "result"),
    [
        (3, 2, "majority", "carried"),
        (2, 2, "majority", "failed"),  # a tie fails
        (0, 0, "majority", "failed"),  # nobody voted
        (1, 0, "majority", "carried"),
        (2, 1, "two_thirds", "carried"),  # exactly two thirds
        (3, 2, "two_thirds", "failed"),
        (6, 3, "two_thirds", "carried"),
        (5, 3, "two_thirds", "failed"),
    ],
)
def test_the_result_is_computed_on_the_votes_cast(votes_for, votes_against, threshold, result):
    assert actions.result_of(votes_for=votes_for, votes_against=votes_against, threshold=threshold) == result


def test_abstentions_are_not_votes_cast(steering, stewards):
    held = meeting([steering], present=stewards)
    vote = actions.vote_record(
        motion=motion(held, stewards[0]), method="counts", votes_for=1, votes_against=0, abstentions=4, by=OPERATOR
    )
    assert (vote.result, vote.votes_cast) == ("carried", 1)


def test_a_motion_may_require_two_thirds_and_the_default_is_a_majority(steering, stewards):
    held = meeting([steering], present=stewards)
    plain = motion(held, stewards[0])
    assert plain.threshold == "majority"
    roll_call = [(stewards[0], "for"), (stewards[1], "for"), (stewards[2], "for"), (stewards[3], "against")]
    roll_call += [(stewards[4], "against")]
    assert actions.vote_record(motion=plain, method="roll_call", roll_call=roll_call, by=OPERATOR).carried
    strict = motion(held, stewards[0], threshold="two_thirds")
    vote = actions.vote_record(motion=strict, method="roll_call", roll_call=roll_call, by=OPERATOR)
    assert (vote.votes_for, vote.votes_against, vote.threshold, vote.result) == (3, 2, "two_thirds", "failed")
    assert Motion.objects.get(pk=strict.pk).status == "failed"
    assert queries.roll_call_of(vote=vote)[0] == queries.RollCallLine(name="Steward 1", choice="for", counted=True)


def test_unanimous_counts_everyone_entitled(steering, stewards):
    held = meeting([steering], present=stewards[:4], invited=[enrolled("Guest")])
    vote = actions.vote_record(motion=motion(held, stewards[0]), method="unanimous", by=OPERATOR)
    assert (vote.votes_for, vote.votes_against, vote.abstentions, vote.result) == (4, 0, 0, "carried")


def test_who_was_entitled_is_kept_as_it_stood_at_the_vote(steering, stewards):
    held = meeting([steering], present=stewards[:3])
    vote = actions.vote_record(motion=motion(held, stewards[0]), method="unanimous", by=OPERATOR)
    actions.attendance_depart(meeting=held, person=stewards[2], by=OPERATOR)
    org_actions.seat_end(seat=stewards[1].seats.get(), ends_on=date(2026, 4, 1), reason="resigned", by=OPERATOR)
    vote.refresh_from_db()
    assert set(vote.entitled.values_list("pk", flat=True)) == {p.pk for p in stewards[:3]}
    assert vote.quorum == [{"body": steering.pk, "seated": 5, "required": 3, "present": 3}]


def test_a_motion_is_voted_on_once_and_a_withdrawn_one_not_at_all(steering, stewards):
    held = meeting([steering], present=stewards)
    voted = motion(held, stewards[0])
    actions.vote_record(motion=voted, method="unanimous", by=OPERATOR)
    with pytest.raises(InvalidInput, match="already voted"):
        actions.vote_record(motion=voted, method="unanimous", by=OPERATOR)
    withdrawn = actions.motion_withdraw(motion=motion(held, stewards[0]), by=OPERATOR)
    with pytest.raises(InvalidInput):
        actions.vote_record(motion=withdrawn, method="unanimous", by=OPERATOR)


def test_every_vote_has_a_stable_reference_that_resolves_to_it():
    convention = body("convention", kind="convention")
    delegates = seated(convention, 3, prefix="Delegate", role="delegate")
    held = meeting([convention], present=delegates, held_on=date(2026, 5, 16), ends_on=date(2026, 5, 17))
    assert held.reference == "CONV-2026"
    first = actions.vote_record(motion=motion(held, delegates[0]), method="unanimous", by=OPERATOR)
    actions.motion_withdraw(motion=motion(held, delegates[0]), by=OPERATOR)
    third = actions.vote_record(
        motion=motion(held, delegates[0]), method="unanimous", taken_on=date(2026, 5, 17), by=OPERATOR
    )
    assert (first.reference, third.reference) == ("CONV-2026-M1", "CONV-2026-M3")  # M2 was withdrawn, not reused
    assert queries.vote_by_reference(reference=" conv-2026-m3 ") == third
    assert queries.vote_by_reference(reference="CONV-2026-M2") is None
    special = meeting([convention], present=delegates, held_on=date(2026, 11, 7), kind="special")
    assert special.reference == "CONV-2026-2"
    with pytest.raises(InvalidInput) as taken:
        actions.meeting_create(bodies=[convention], held_on=DAY, title="x", reference="CONV-2026", by=OPERATOR)
    assert taken.value.code == "reference_taken"
    with pytest.raises(InvalidInput):
        actions.meeting_create(bodies=[convention], held_on=DAY, title="x", reference="CONV-2027-M1", by=OPERATOR)


def test_references_are_made_from_the_bodies_and_the_day(steering, stewards):
    national = body("national-committee")
    seated(national, 1, prefix="Nat")
    assert meeting([steering], present=stewards[:3]).reference == "SC-2026-03-14"
    assert meeting([steering], present=stewards[:3]).reference == "SC-2026-03-14-2"
    assert meeting([steering, national], present=stewards[:3]).reference == "NC-SC-2026-03-14"


def test_a_vote_is_taken_on_one_of_the_meetings_days(steering, stewards):
    held = meeting([steering], present=stewards)
    with pytest.raises(InvalidInput) as refused:
        actions.vote_record(
            motion=motion(held, stewards[0]), method="unanimous", taken_on=date(2026, 3, 15), by=OPERATOR
        )
    assert refused.value.code == "not_a_meeting_day"


def test_only_a_chair_vice_chair_or_secretary_of_the_body_records_never_an_admin_by_rank(
    steering, stewards, member, admin
):
    secretary = person_for(member)
    seat(secretary, steering, role="member")
    with pytest.raises(NotAllowed):
        actions.meeting_create(bodies=[steering], held_on=DAY, title="x", by=member)
    org_actions.seat_end(seat=secretary.seats.get(), ends_on=date(2021, 1, 1), reason="term_over", by=OPERATOR)
    seat(secretary, steering, role="secretary", since=date(2021, 1, 1))
    held = actions.meeting_create(bodies=[steering], held_on=DAY, title="x", by=member)
    actions.attendance_record(meeting=held, present=stewards, by=member)
    other = body("other-committee")
    with pytest.raises(NotAllowed):
        actions.meeting_create(bodies=[other], held_on=DAY, title="x", by=member)
    with pytest.raises(NotAllowed):
        actions.meeting_create(bodies=[other], held_on=DAY, title="x", by=admin)
    seat(person_for(admin), other, role="secretary")
    assert actions.meeting_create(bodies=[other], held_on=DAY, title="x", by=admin).reference == "OC-2026-03-14"
