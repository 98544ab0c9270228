"""A motion about a person (a case's respondent, someone to re-admit or to seat) marks them as interested: they
cannot move or second it, and their votes on it are not counted; the record says so."""

import json

import pytest

from rankfile.errors import InvalidInput
from rankfile.governance import actions
from rankfile.governance.models import Choice
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from tests.governance.builders import meeting, person_for, seated
from tests.org.builders import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee():
    steering = body("steering", kind="leadership")
    people = seated(steering, 5, prefix="Member")
    return steering, people, meeting([steering], present=people)


def test_the_person_a_motion_concerns_cannot_move_or_second_it(committee):
    _, people, held = committee
    respondent = people[0]
    for mover, seconder, field in ((respondent, people[1], "mover"), (people[1], respondent, "seconder")):
        with pytest.raises(InvalidInput) as refused:
            actions.motion_make(
                meeting=held, text="That the case be reopened.", mover=mover, seconder=seconder,
                concerns=[respondent], by=OPERATOR,
            )  # fmt: skip
        assert refused.value.code == "interested_member"
        assert field in refused.value.field_errors


def test_a_roll_call_records_the_interested_members_vote_and_does_not_count_it(committee):
    _, people, held = committee
    respondent = people[0]
    motion = actions.motion_make(
        meeting=held, text="That the decision be set aside.", mover=people[1], concerns=[respondent], by=OPERATOR
    )
    roll_call = [(respondent, Choice.FOR), (people[1], Choice.FOR), (people[2], Choice.FOR)]
    roll_call += [(people[3], Choice.AGAINST), (people[4], Choice.AGAINST)]
    vote = actions.vote_record(motion=motion, method="roll_call", roll_call=roll_call, by=OPERATOR)
    # His own vote would have carried it, 3 to 2; without it, a tie, which fails.
    assert (vote.votes_for, vote.votes_against) == (2, 2)
    assert vote.result == "failed"
    assert not vote.roll_call.get(person=respondent).counted
    entry = Entry.objects.get(pk=vote.ledger_seq or 0)
    assert json.loads(entry.data)["not_counted"] == 1
    made = Entry.objects.get(pk=motion.ledger_seq or 0)
    assert json.loads(made.data)["concerns"] == [respondent.pk]


def test_counts_and_unanimous_votes_leave_the_interested_out(committee):
    _, people, held = committee
    respondent = people[0]
    motion = actions.motion_make(
        meeting=held, text="That he be seated.", mover=people[1], concerns=[respondent], by=OPERATOR
    )
    with pytest.raises(InvalidInput) as refused:
        actions.vote_record(motion=motion, method="counts", votes_for=5, by=OPERATOR)
    assert refused.value.code == "votes_exceed_entitled"
    unanimous = actions.vote_record(motion=motion, method="unanimous", by=OPERATOR)
    assert unanimous.votes_for == 4


def test_the_meeting_page_says_who_a_motion_is_about(committee, client, admin):
    _, people, held = committee
    actions.motion_make(
        meeting=held, text="That the case be reopened.", mover=people[1], concerns=[people[0]], by=OPERATOR
    )
    person_for(admin)
    client.force_login(admin)
    page = client.get(f"/meetings/{held.reference}/").content.decode()
    assert "About, and so not counted in its vote:" in page
    assert people[0].name in page
