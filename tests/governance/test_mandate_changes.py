"""Only a recorded vote of the adopting body, or of a later convention, amends, extends or rescinds a mandate; the
earlier terms stay; an extension moves the timer."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from rankfile.deadlines import actions as deadlines
from rankfile.deadlines.models import Deadline
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.governance import actions, mandates, queries
from rankfile.governance.mandates import MilestoneSpec
from rankfile.governance.models import Mandate
from rankfile.ledger.actions import OPERATOR
from tests.governance.builders import carried, convention_vote, mandate, meeting, organization, steering_vote

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def org():
    return organization()


def national_vote(org, *, held_on=None):
    held = meeting([org.national], present=org.nationals, held_on=held_on or TODAY)
    return carried(held, mover=org.nationals[0])


def failed_steering_vote(org):
    held = meeting([org.steering], present=org.stewards, held_on=TODAY)
    motion = actions.motion_make(meeting=held, text="That we extend it.", mover=org.stewards[0], by=OPERATOR)
    return actions.vote_record(motion=motion, method="counts", votes_for=1, votes_against=2, by=OPERATOR)


def test_only_the_adopting_body_or_a_later_convention_changes_a_mandate_and_the_old_terms_stay(org):
    adopted = mandate(org, vote=steering_vote(org, held_on=TODAY - timedelta(days=30)), days=60)
    first_due = adopted.due_on
    for vote, code in (
        (national_vote(org), "not_the_adopting_body"),  # the parent body has no power over it
        (failed_steering_vote(org), "vote_not_carried"),
    ):
        with pytest.raises(InvalidInput) as refused:
            mandates.mandate_extend(mandate=adopted, vote=vote, due_within_days=60, by=OPERATOR)
        assert refused.value.code == code
    mandates.mandate_extend(mandate=adopted, vote=steering_vote(org), due_within_days=60, by=OPERATOR)
    mandates.mandate_amend(
        mandate=adopted, vote=convention_vote(org), text="Publish an apology, in every branch.", by=OPERATOR
    )
    adopted.refresh_from_db()
    terms = list(queries.terms_of(mandate=adopted))
    assert [(t.number, t.change, t.due_on) for t in terms] == [
        (1, "adopted", first_due),
        (2, "extended", TODAY + timedelta(days=60)),
        (3, "amended", TODAY + timedelta(days=60)),
    ]
    assert terms[0].text == "The steering committee publishes an apology to the members."
    assert adopted.text == terms[2].text == "Publish an apology, in every branch."
    assert adopted.terms_number == 3
    assert terms[2].due_within_days == 60  # carried forward: the due date did not change


def test_a_conventions_mandate_is_beyond_the_leaderships_reach(org):
    adopted = mandate(org, adopted_days_ago=10)
    with pytest.raises(InvalidInput) as refused:
        mandates.mandate_rescind(mandate=adopted, vote=steering_vote(org), by=OPERATOR)
    assert refused.value.code == "not_the_adopting_body"
    assert Mandate.objects.get(pk=adopted.pk).status == "not_started"


def test_a_vote_taken_before_the_adoption_or_already_used_cannot_change_it(org):
    earlier = convention_vote(org, held_on=TODAY - timedelta(days=400))
    adopted = mandate(org, adopted_days_ago=10)
    with pytest.raises(InvalidInput) as before:
        mandates.mandate_extend(mandate=adopted, vote=earlier, due_within_days=100, by=OPERATOR)
    assert before.value.code == "vote_before_adoption"
    with pytest.raises(InvalidInput) as same:
        mandates.mandate_extend(mandate=adopted, vote=adopted.adopted_by_vote, due_within_days=100, by=OPERATOR)
    assert same.value.code == "vote_already_used"
    later = convention_vote(org)
    mandates.mandate_extend(mandate=adopted, vote=later, due_within_days=100, by=OPERATOR)
    with pytest.raises(InvalidInput) as twice:
        mandates.mandate_extend(mandate=adopted, vote=later, due_within_days=120, by=OPERATOR)
    assert twice.value.code == "vote_already_used"


def test_extending_cancels_the_old_timer_and_sets_a_new_one(org):
    overdue = mandate(org, adopted_days_ago=100, days=90)
    assert overdue.is_overdue
    [old] = deadlines.open_deadlines_for(overdue)
    assert deadlines.tick().missed == [old.pk]
    with pytest.raises(InvalidInput) as not_later:
        mandates.mandate_extend(
            mandate=mandate(org, days=90), vote=convention_vote(org), due_within_days=30, by=OPERATOR
        )
    assert not_later.value.code == "not_later"
    mandates.mandate_extend(mandate=overdue, vote=convention_vote(org), due_within_days=30, by=OPERATOR)
    overdue.refresh_from_db()
    assert not overdue.is_overdue
    [new] = deadlines.open_deadlines_for(overdue)
    assert new.pk != old.pk
    assert new.due_at == mandates.due_at(TODAY + timedelta(days=30))
    assert Deadline.objects.get(pk=old.pk).cancelled_at is not None


def test_rescinding_cancels_the_timers_and_keeps_the_record(org):
    adopted = mandate(org, adopted_days_ago=10, milestones=[MilestoneSpec("Draft", TODAY + timedelta(days=20))])
    mandates.mandate_rescind(mandate=adopted, vote=convention_vote(org), by=OPERATOR)
    adopted.refresh_from_db()
    assert (adopted.status, adopted.rescinded_on, adopted.is_overdue) == ("rescinded", TODAY, False)
    assert deadlines.open_deadlines_for(adopted) == []
    assert deadlines.open_deadlines_for(adopted.milestones.get()) == []
    assert deadlines.tick(now=timezone.now() + timedelta(days=200)).missed == []
    assert [m.status for m in queries.mandates(user=OPERATOR_VIEW)] == ["rescinded"]
    with pytest.raises(InvalidInput) as closed:
        mandates.mandate_extend(mandate=adopted, vote=convention_vote(org), due_within_days=5, by=OPERATOR)
    assert closed.value.code == "mandate_closed"


def test_amended_milestones_replace_those_not_yet_reached(org):
    adopted = mandate(
        org,
        adopted_days_ago=10,
        milestones=[MilestoneSpec("Form the group", TODAY + timedelta(days=5)), MilestoneSpec("Draft")],
    )
    first = adopted.milestones.get(title="Form the group")
    mandates.progress_post(mandate=adopted, status="in_progress", milestones_reached=[first], by=OPERATOR)
    assert deadlines.open_deadlines_for(first) == []
    mandates.mandate_amend(
        mandate=adopted,
        vote=convention_vote(org),
        milestones=[MilestoneSpec("Consult the branches", TODAY + timedelta(days=40))],
        by=OPERATOR,
    )
    current = [(m.title, m.reached_on) for m in queries.milestones_of(mandate=adopted)]
    assert current == [("Form the group", TODAY), ("Consult the branches", None)]
    dropped = queries.milestones_of(mandate=adopted, include_dropped=True).get(title="Draft")
    assert dropped.dropped_in_terms == 2
    [timer] = deadlines.open_deadlines_for(adopted.milestones.get(title="Consult the branches"))
    assert timer.kind == mandates.MILESTONE_DUE.code


def test_a_new_responsible_body_takes_the_timer_with_it(org):
    adopted = mandate(org, adopted_days_ago=10)
    mandates.mandate_amend(mandate=adopted, vote=convention_vote(org), responsible_body=org.national, by=OPERATOR)
    [timer] = deadlines.open_deadlines_for(adopted)
    assert timer.body == org.national


def test_an_amendment_that_changes_nothing_is_refused(org):
    adopted = mandate(org, adopted_days_ago=10)
    with pytest.raises(InvalidInput) as refused:
        mandates.mandate_amend(mandate=adopted, vote=convention_vote(org), title=adopted.title, by=OPERATOR)
    assert refused.value.code == "nothing_changed"


def test_a_mandate_comes_only_from_a_carried_vote(org):
    with pytest.raises(InvalidInput) as refused:
        mandate(org, vote=failed_steering_vote(org))
    assert refused.value.code == "vote_not_carried"


def test_a_joint_meeting_says_which_body_adopted(org):
    held = meeting([org.national, org.steering], present=[*org.nationals, *org.stewards], held_on=TODAY)
    vote = carried(held, mover=org.nationals[0])
    with pytest.raises(InvalidInput) as refused:
        mandate(org, vote=vote)
    assert refused.value.code == "adopting_body_required"
    assert mandate(org, vote=vote, adopting_body=org.national).adopting_body == org.national


def test_only_the_meetings_recorder_records_a_mandate_or_its_change(org, member):
    vote = convention_vote(org)
    with pytest.raises(NotAllowed):
        mandates.mandate_adopt(
            vote=vote, title="x", text="x", responsible_body=org.steering, due_within_days=5, by=member
        )
    adopted = mandate(org, vote=vote)
    with pytest.raises(NotAllowed):
        mandates.mandate_rescind(mandate=adopted, vote=convention_vote(org), by=member)


def test_a_mandate_is_not_added_to_a_meeting_whose_minutes_were_approved(org):
    vote = convention_vote(org, held_on=date(2026, 1, 10))
    held = vote.motion.meeting
    version = actions.minutes_record(meeting=held, text="Minutes.", by=OPERATOR)
    later = meeting([org.convention], present=org.delegates, held_on=date(2026, 2, 10))
    actions.vote_record(
        motion=actions.motion_make(
            meeting=later, text="Approve.", mover=org.delegates[0], approves_minutes=version, by=OPERATOR
        ),
        method="unanimous",
        by=OPERATOR,
    )
    with pytest.raises(InvalidInput) as refused:
        mandate(org, vote=vote)
    assert refused.value.code == "meeting_locked"


OPERATOR_VIEW = OPERATOR  # the command line sees every mandate
