"""Minutes: versions never edited; approved by a vote at a later meeting, which locks the meeting's record."""

from datetime import date

import pytest

from rankfile.errors import InvalidInput
from rankfile.governance import actions, queries
from rankfile.governance.models import MinutesVersion
from rankfile.ledger.actions import OPERATOR
from tests.governance.builders import DAY, carried, meeting, seated
from tests.org.builders import body

pytestmark = pytest.mark.django_db

NEXT_MONTH = date(2026, 4, 11)


@pytest.fixture
def steering():
    return body("steering-committee")


@pytest.fixture
def stewards(steering):
    return seated(steering, 3, prefix="Steward")


def approve(version, at, mover):
    motion = actions.motion_make(
        meeting=at, text="That the minutes be approved.", mover=mover, approves_minutes=version, by=OPERATOR
    )
    return actions.vote_record(motion=motion, method="unanimous", by=OPERATOR)


def test_minutes_are_locked_once_a_later_vote_approves_them(steering, stewards):
    march = meeting([steering], present=stewards)
    carried(march, mover=stewards[0])
    draft = actions.minutes_record(meeting=march, text="# Minutes\n\nPresent: three.", by=OPERATOR)
    fixed = actions.minutes_record(meeting=march, text="# Minutes\n\nPresent: all three.", by=OPERATOR)
    assert (draft.number, fixed.number, fixed.correction) == (1, 2, False)
    april = meeting([steering], present=stewards, held_on=NEXT_MONTH)
    vote = approve(fixed, april, stewards[0])
    march.refresh_from_db()
    assert march.is_locked
    minutes = queries.minutes_of(meeting=march)
    assert (minutes.approved, minutes.pending) == (fixed, [])
    assert fixed.approved_by_vote is None  # the instance in hand was read before; the row has the vote
    assert MinutesVersion.objects.get(pk=fixed.pk).approved_by_vote == vote
    for locked_out in (
        lambda: actions.motion_make(meeting=march, text="Late motion.", mover=stewards[0], by=OPERATOR),
        lambda: actions.attendance_record(meeting=march, present=stewards, by=OPERATOR),
        lambda: actions.agenda_set(meeting=march, text="New agenda", by=OPERATOR),
        lambda: actions.attendance_depart(meeting=march, person=stewards[0], by=OPERATOR),
    ):
        with pytest.raises(InvalidInput) as refused:
            locked_out()
        assert refused.value.code == "meeting_locked"


def test_a_correction_is_a_new_version_approved_in_its_turn(steering, stewards):
    march = meeting([steering], present=stewards)
    original = actions.minutes_record(meeting=march, text="Adopted: motion 1.", by=OPERATOR)
    april = meeting([steering], present=stewards, held_on=NEXT_MONTH)
    approve(original, april, stewards[0])
    correction = actions.minutes_record(meeting=march, text="Adopted: motion 1, as amended.", by=OPERATOR)
    assert correction.correction
    minutes = queries.minutes_of(meeting=march)
    assert (minutes.approved, minutes.pending) == (original, [correction])
    may = meeting([steering], present=stewards, held_on=date(2026, 5, 9))
    approve(correction, may, stewards[0])
    minutes = queries.minutes_of(meeting=march)
    assert (minutes.approved, minutes.pending) == (correction, [])
    assert MinutesVersion.objects.get(pk=original.pk).text == "Adopted: motion 1."  # the old version is unchanged
    with pytest.raises(InvalidInput) as again:
        approve(original, may, stewards[0])
    assert again.value.code == "already_approved"


def test_minutes_are_approved_at_a_later_meeting_of_the_same_body(steering, stewards):
    march = meeting([steering], present=stewards)
    version = actions.minutes_record(meeting=march, text="Minutes.", by=OPERATOR)
    with pytest.raises(InvalidInput) as same:
        approve(version, march, stewards[0])
    assert same.value.code == "not_a_later_meeting"
    elsewhere = body("elsewhere")
    others = seated(elsewhere, 1, prefix="Other")
    with pytest.raises(InvalidInput) as other_body:
        approve(version, meeting([elsewhere], present=others, held_on=NEXT_MONTH), others[0])
    assert other_body.value.code == "not_the_meeting_body"


def test_a_failed_approval_locks_nothing(steering, stewards):
    march = meeting([steering], present=stewards)
    version = actions.minutes_record(meeting=march, text="Minutes.", by=OPERATOR)
    april = meeting([steering], present=stewards, held_on=NEXT_MONTH)
    motion = actions.motion_make(
        meeting=april, text="Approve.", mover=stewards[0], approves_minutes=version, by=OPERATOR
    )
    actions.vote_record(motion=motion, method="counts", votes_for=1, votes_against=2, by=OPERATOR)
    march.refresh_from_db()
    assert not march.is_locked
    assert queries.minutes_of(meeting=march).approved is None


def test_a_conventions_minutes_may_be_approved_by_the_body_it_directs():
    convention, national = body("convention", kind="convention"), body("national-committee")
    delegates = seated(convention, 3, prefix="Delegate", role="delegate")
    nationals = seated(national, 3, prefix="Nat")
    held = meeting([convention], present=delegates, held_on=DAY)
    version = actions.minutes_record(meeting=held, text="Minutes of the convention.", by=OPERATOR)
    approve(version, meeting([national], present=nationals, held_on=NEXT_MONTH), nationals[0])
    held.refresh_from_db()
    assert held.is_locked
