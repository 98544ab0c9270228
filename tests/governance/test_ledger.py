"""Every governance action is on the ledger (invariant 1), with ids, counts, codes, dates and hashes only
(invariant 3): texts stay in their tables, the ledger holds their SHA-256."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from rankfile.errors import InvalidInput
from rankfile.governance import actions, mandates, seating
from rankfile.governance.mandates import MilestoneSpec
from rankfile.ledger import schema
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org import bylaws
from tests.governance.builders import meeting, organization, person_for
from tests.org.builders import enrolled

pytestmark = pytest.mark.django_db

SECRET_WORDS = ("Marigold", "Tangerine", "Quokka", "Zeppelin", "Gondola", "Nightjar", "Wisteria")


def everything(org, member):
    """Each governance action once, with texts no entry may hold."""
    today = timezone.localdate()
    held = actions.meeting_create(
        bodies=[org.convention], held_on=today, title="Marigold convention", place="Tangerine hall", by=OPERATOR
    )
    actions.agenda_set(meeting=held, text="1. Quokka report", by=OPERATOR)
    actions.agenda_item_petitioned(meeting=held, item="2. Quokka petition")
    actions.attendance_record(meeting=held, present=org.delegates, by=OPERATOR)
    actions.attendance_depart(meeting=held, person=org.delegates[4], by=OPERATOR)
    withdrawn = actions.motion_make(meeting=held, text="Zeppelin motion", mover=org.delegates[0], by=OPERATOR)
    actions.motion_withdraw(motion=withdrawn, by=OPERATOR)
    motion = actions.motion_make(
        meeting=held, text="Gondola motion", mover=org.delegates[0], seconder=org.delegates[1], by=OPERATOR
    )
    vote = actions.vote_record(
        motion=motion,
        method="roll_call",
        roll_call=[(org.delegates[0], "for"), (org.delegates[1], "for"), (org.delegates[2], "against")],
        by=OPERATOR,
    )
    version = actions.minutes_record(meeting=held, text="Nightjar minutes", by=OPERATOR)
    adopted = mandates.mandate_adopt(
        vote=vote,
        title="Wisteria mandate",
        text="Do the Wisteria thing.",
        responsible_body=org.steering,
        due_within_days=30,
        milestones=[MilestoneSpec("Wisteria milestone", today + timedelta(days=10))],
        by=OPERATOR,
    )
    later = meeting([org.convention], present=org.delegates, held_on=today + timedelta(days=1))
    approval = actions.motion_make(
        meeting=later, text="Approve.", mover=org.delegates[0], approves_minutes=version, by=OPERATOR
    )
    second = actions.vote_record(motion=approval, method="counts", votes_for=4, abstentions=1, by=OPERATOR)
    person_for(member)
    mandates.mandate_follow(mandate=adopted, by=member)
    mandates.calendar_feed_renew(by=member)
    mandates.calendar_feed_stop(by=member)
    mandates.progress_post(
        mandate=adopted,
        status="in_progress",
        text="Marigold progress",
        links=["https://example.org/Tangerine"],
        by=OPERATOR,
    )
    mandates.mandate_amend(mandate=adopted, vote=second, title="Quokka mandate", by=OPERATOR)
    third = actions.vote_record(
        motion=actions.motion_make(meeting=later, text="Extend.", mover=org.delegates[0], by=OPERATOR),
        method="unanimous",
        by=OPERATOR,
    )
    mandates.mandate_extend(mandate=adopted, vote=third, due_within_days=60, by=OPERATOR)
    fourth = actions.vote_record(
        motion=actions.motion_make(meeting=later, text="Rescind.", mover=org.delegates[0], by=OPERATOR),
        method="unanimous",
        by=OPERATOR,
    )
    mandates.mandate_unfollow(mandate=adopted, by=member)
    done = mandates.mandate_adopt(
        vote=fourth, title="Other", text="Other.", responsible_body=org.steering, due_within_days=5, by=OPERATOR
    )
    mandates.progress_post(mandate=done, status="done", delivered="Gondola delivered", by=OPERATOR)
    mandates.mandate_rescind(mandate=adopted, vote=fourth, by=OPERATOR)
    # A motion about someone: an election to a full steering committee, past its eligibility check by the same vote.
    document = bylaws.defaults()
    document["roles"]["convention"] = org.convention.slug
    org_actions.bylaws_adopt(document=document, effective_from=date(2000, 1, 1), adopted_by_vote="Zero", by=OPERATOR)
    candidate = enrolled("Quokka Candidate")
    election = actions.vote_record(
        motion=actions.motion_make(
            meeting=later, text="Elect.", mover=org.delegates[0], concerns=[candidate], by=OPERATOR
        ),
        method="unanimous",
        by=OPERATOR,
    )
    org.steering.max_size = len(org.stewards)
    org.steering.save(update_fields=["max_size"])
    seating.eligibility_override_by_vote(
        vote_reference=election.reference, person=candidate, body=org.steering, by=OPERATOR
    )
    seating.seat_by_election(vote=election, person=candidate, body=org.steering, starts_on=today, by=OPERATOR)
    return motion


def test_invariant_1_every_governance_action_is_on_the_ledger(member):
    org = organization()
    motion = everything(org, member)
    recorded = set(Entry.objects.filter(action__startswith="governance.").values_list("action", flat=True))
    defined = {name for name in schema.defined_actions() if name.startswith("governance.")}
    assert recorded == defined
    made = Entry.objects.get(action="governance.motion_made", subject_id=motion.pk)
    assert json.loads(made.data)["sha256"] == actions.sha256("Gondola motion")  # the text, fixed by its hash
    assert motion.ledger_seq == made.seq


def test_invariant_1_a_refused_action_leaves_no_trace():
    org = organization()
    held = meeting([org.convention], present=org.delegates[:2])
    motion = actions.motion_make(meeting=held, text="Short of a quorum.", mover=org.delegates[0], by=OPERATOR)
    before = Entry.objects.count()
    with pytest.raises(InvalidInput):
        actions.vote_record(motion=motion, method="unanimous", by=OPERATOR)
    assert Entry.objects.count() == before


def test_invariant_3_governance_entries_hold_no_text_or_names(member):
    org = organization()
    everything(org, member)
    rows = " ".join(str(row) for row in Entry.objects.values_list())
    for word in (*SECRET_WORDS, "Delegate", "Steward", "Mo Member", "example.org"):
        assert word not in rows
