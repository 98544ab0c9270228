"""The record of a meeting as members read it, on its page and in its printable PDF: its kind, who attended, each
motion's status in words, and who voted how (by name for a roll call or a unanimous vote); the list of meetings by
kind; a joint meeting recorded by the recorder of any of its bodies."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rankfile import policy
from rankfile.governance import actions, views
from rankfile.governance.models import Attendance, Motion, Vote
from rankfile.ledger.actions import OPERATOR
from tests.governance.builders import DAY, login, meeting, organization, person_for, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return organization()


@pytest.fixture
def member_login(member):
    person_for(member)
    return member


def page_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def roll_call_meeting(org):
    """A steering meeting with a guest; a roll call on a motion about Steward 3, who votes and is not counted."""
    guest = person_for(login("Gus Guest"))
    held = meeting([org.steering], present=org.stewards, invited=[guest])
    about = actions.motion_make(
        meeting=held, text="That **Steward 3** chairs the budget group.", mover=org.stewards[0], by=OPERATOR
    )
    about.concerns.set([org.stewards[2]])
    actions.vote_record(
        motion=about,
        method="roll_call",
        roll_call=[(org.stewards[0], "for"), (org.stewards[1], "against"), (org.stewards[2], "for")],
        by=OPERATOR,
    )
    return held


# Who voted how


def test_members_see_who_voted_how_in_a_roll_call_and_who_was_not_counted(client, org, member_login):
    held = roll_call_meeting(org)
    client.force_login(member_login)
    page = page_of(client.get(f"/meetings/{held.reference}/"))
    assert "Vote: failed, 1 for, 1 against, 0 abstaining." in page
    assert "<dt>For</dt><dd>Steward 1</dd>" in page
    assert "<dt>Against</dt><dd>Steward 2</dd>" in page
    assert "<dt>Abstaining</dt><dd>nobody</dd>" in page
    assert "Not counted, because the motion is about them: Steward 3 (voted for)." in page


def test_a_unanimous_vote_says_how_many_were_present_and_names_them(client, org, member_login):
    held = meeting([org.steering], present=org.stewards)
    motion = actions.motion_make(meeting=held, text="That we meet monthly.", mover=org.stewards[0], by=OPERATOR)
    actions.vote_record(motion=motion, method="unanimous", by=OPERATOR)
    client.force_login(member_login)
    page = page_of(client.get(f"/meetings/{held.reference}/"))
    assert "Vote: carried, unanimous (3 present with a vote)." in page
    assert "For: Steward 1, Steward 2, Steward 3." in page


def test_a_unanimous_vote_on_a_motion_about_someone_lists_them_as_not_counted(client, org, member_login):
    held = meeting([org.steering], present=org.stewards)
    motion = actions.motion_make(meeting=held, text="That Steward 3 is thanked.", mover=org.stewards[0], by=OPERATOR)
    motion.concerns.set([org.stewards[2]])
    actions.vote_record(motion=motion, method="unanimous", by=OPERATOR)
    client.force_login(member_login)
    page = page_of(client.get(f"/meetings/{held.reference}/"))
    assert "Vote: carried, unanimous (2 present with a vote)." in page
    assert "For: Steward 1, Steward 2." in page
    assert "Not counted, because the motion is about them: Steward 3." in page


def test_a_counted_vote_says_that_no_names_were_recorded(client, org, member_login):
    held = meeting([org.steering], present=org.stewards)
    motion = actions.motion_make(meeting=held, text="That we meet weekly.", mover=org.stewards[0], by=OPERATOR)
    actions.vote_record(motion=motion, method="counts", votes_for=2, votes_against=1, by=OPERATOR)
    client.force_login(member_login)
    page = page_of(client.get(f"/meetings/{held.reference}/"))
    assert "Vote: carried, 2 for, 1 against, 0 abstaining." in page
    assert "The votes were counted, not recorded by name." in page
    assert "<dt>For</dt>" not in page


# Who attended


def test_members_see_who_attended_in_each_capacity_and_who_left(client, org, member_login):
    held = roll_call_meeting(org)
    actions.attendance_depart(meeting=held, person=org.stewards[1], by=OPERATOR)
    client.force_login(member_login)
    page = page_of(client.get(f"/meetings/{held.reference}/"))
    assert "Record this meeting" not in page  # a member, not a recorder
    assert "With a vote (3)" in page
    assert "Steward 1, Steward 2 (left before the end), Steward 3" in page
    assert "Invited, without a vote (1)" in page
    assert "Gus Guest" in page


def test_a_meeting_without_attendance_says_so(client, org, member_login):
    held = actions.meeting_create(bodies=[org.steering], held_on=DAY, title="Steering", by=OPERATOR)
    client.force_login(member_login)
    assert "No attendance is recorded yet." in page_of(client.get(f"/meetings/{held.reference}/"))


def test_someone_who_may_not_see_meetings_sees_no_attendance(client, org):
    held = roll_call_meeting(org)
    client.force_login(login("Al Ally"))
    response = client.get(f"/meetings/{held.reference}/")
    assert response.status_code == 404
    assert "Gus Guest" not in response.content.decode()


# A motion's status in words


def test_a_pending_motion_at_a_past_meeting_says_it_was_not_voted_on(client, org, member_login):
    held = meeting([org.steering], present=org.stewards)
    actions.motion_make(meeting=held, text="That we never voted.", mover=org.stewards[0], by=OPERATOR)
    client.force_login(member_login)
    page = page_of(client.get(f"/meetings/{held.reference}/"))
    assert "not voted on; the meeting has passed" in page
    assert "before the meeting" not in page


def test_a_pending_motion_is_before_the_meeting_only_until_it_begins():
    org = organization()
    held = meeting([org.steering], present=org.stewards)
    motion = actions.motion_make(meeting=held, text="Pending.", mover=org.stewards[0], by=OPERATOR)
    assert str(motion.status_on(DAY - timedelta(days=1))) == "before the meeting"
    assert str(motion.status_on(DAY)) == "awaiting a vote"
    assert str(motion.status_on(DAY + timedelta(days=1))) == "not voted on; the meeting has passed"
    withdrawn = actions.motion_withdraw(motion=motion, by=OPERATOR)
    assert str(withdrawn.status_on(DAY + timedelta(days=1))) == "withdrawn"


def test_a_motion_is_cited_by_the_first_line_of_its_text_without_markdown():
    motion = Motion(text="\n**That the budget** is _published_.\n\nBecause members asked.")
    assert motion.title == "That the budget is published."
    assert len(Motion(text="x" * 300).title) == 100


# The kind of meeting, and the list by kind


@pytest.fixture
def kinds_of_meetings(org):
    return {
        "regular": actions.meeting_create(bodies=[org.steering], held_on=DAY, title="Steering, March", by=OPERATOR),
        "emergency": actions.meeting_create(
            bodies=[org.steering], held_on=DAY, title="Steering, urgent", kind="emergency", by=OPERATOR
        ),
        "joint": actions.meeting_create(
            bodies=[org.national, org.steering], held_on=DAY, title="National and steering", by=OPERATOR
        ),
    }


def test_the_kind_is_on_the_list_of_meetings_and_on_each_meetings_page(client, member_login, kinds_of_meetings):
    client.force_login(member_login)
    listed = page_of(client.get("/meetings/"))
    assert "Emergency meeting" in listed
    assert "Regular joint meeting" in listed
    assert "Regular meeting" in listed
    assert "Emergency meeting" in page_of(client.get(f"/meetings/{kinds_of_meetings['emergency'].reference}/"))
    assert "Regular joint meeting" in page_of(client.get(f"/meetings/{kinds_of_meetings['joint'].reference}/"))


def test_the_list_of_meetings_filters_by_kind_with_a_plain_get_form(client, member_login, kinds_of_meetings):
    client.force_login(member_login)
    listed = page_of(client.get("/meetings/"))
    assert '<form method="get"' in listed
    assert 'name="kind"' in listed
    emergency = page_of(client.get("/meetings/?kind=emergency"))
    assert "Steering, urgent" in emergency
    assert "Steering, March" not in emergency
    assert "National and steering" not in emergency
    joint = page_of(client.get("/meetings/?kind=joint"))
    assert "National and steering" in joint
    assert "Steering, March" not in joint
    assert "Steering, urgent" not in joint
    assert "No meeting of this kind is on record." in page_of(client.get("/meetings/?kind=special"))
    everything = page_of(client.get("/meetings/?kind=no-such-kind"))  # a kind not offered filters nothing
    assert "Steering, March" in everything
    assert "Steering, urgent" in everything


# A joint meeting is recorded by the recorder of any of its bodies


def test_the_chair_of_a_joint_meetings_second_body_records_it_and_an_outsider_cannot(client, org, leader, member):
    seat(person_for(leader), org.steering, role="chair")
    outsider = person_for(member)
    seat(outsider, org.oversight, role="chair")  # a recorder, of a body that is not meeting
    today = timezone.localdate()
    joint = actions.meeting_create(bodies=[org.national, org.steering], held_on=today, title="Joint", by=OPERATOR)
    second = list(joint.bodies.order_by("pk").values_list("pk", flat=True))[1]
    assert second == org.steering.pk
    assert policy.allows(leader, "governance.record_meeting", joint)
    assert not policy.allows(member, "governance.record_meeting", joint)

    client.force_login(leader)
    assert "Record this meeting" in page_of(client.get(f"/meetings/{joint.reference}/"))
    present = [p.pk for p in [*org.nationals, *org.stewards]]
    assert client.post(f"/meetings/{joint.reference}/attendance/", {"attendance-present": present}).status_code == 302
    made = client.post(
        f"/meetings/{joint.reference}/motions/",
        {"motion-text": "That both bodies agree.", "motion-mover": org.nationals[0].pk, "motion-threshold": "majority"},
    )
    assert made.status_code == 302
    motion = Motion.objects.get(meeting=joint)
    voted = client.post(f"/meetings/{joint.reference}/motions/{motion.number}/vote/", {"method": "unanimous"})
    assert voted.status_code == 302
    assert Vote.objects.get(motion=motion).carried

    client.force_login(member)
    assert "Record this meeting" not in page_of(client.get(f"/meetings/{joint.reference}/"))
    before = Attendance.objects.count(), Motion.objects.count()
    refused = client.post(f"/meetings/{joint.reference}/attendance/", {"attendance-present": [outsider.pk]})
    assert refused.status_code == 404
    refused = client.post(
        f"/meetings/{joint.reference}/motions/",
        {"motion-text": "Forged.", "motion-mover": org.nationals[0].pk, "motion-threshold": "majority"},
    )
    assert refused.status_code == 404
    assert (Attendance.objects.count(), Motion.objects.count()) == before


# The printable record


def test_the_printable_record_has_the_attendance_the_votes_by_name_and_the_approved_minutes(client, org, member_login):
    held = roll_call_meeting(org)
    version = actions.minutes_record(meeting=held, text="We met and **voted**.", by=OPERATOR)
    later = meeting([org.steering], present=org.stewards, held_on=DAY + timedelta(days=30))
    approving = actions.motion_make(
        meeting=later, text="Approve the minutes.", mover=org.stewards[0], approves_minutes=version, by=OPERATOR
    )
    actions.vote_record(motion=approving, method="unanimous", by=OPERATOR)
    held.refresh_from_db()

    html = views.meeting_report_html(user=member_login, meeting=held)
    assert "Regular meeting" in html
    assert "With a vote (3)" in html
    assert "Gus Guest" in html
    assert "Vote: failed, 1 for, 1 against, 0 abstaining." in html
    assert "<dt>Against</dt><dd>Steward 2</dd>" in html
    assert "Not counted, because the motion is about them: Steward 3 (voted for)." in html
    assert "We met and <strong>voted</strong>." in html
    assert "approved on 13 April 2026 by a vote at Meeting." in html

    client.force_login(member_login)
    response = client.get(f"/meetings/{held.reference}/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f'filename="{held.reference}.pdf"' in response["Content-Disposition"]


def test_the_meeting_page_says_which_vote_approved_its_minutes_in_words(client, org, member_login):
    held = meeting([org.steering], present=org.stewards)
    version = actions.minutes_record(meeting=held, text="Minutes.", by=OPERATOR)
    later = actions.meeting_create(
        bodies=[org.steering], held_on=DAY + timedelta(days=30), title="Steering, April", by=OPERATOR
    )
    actions.attendance_record(meeting=later, present=org.stewards, by=OPERATOR)
    approving = actions.motion_make(
        meeting=later, text="Approve.", mover=org.stewards[0], approves_minutes=version, by=OPERATOR
    )
    vote = actions.vote_record(motion=approving, method="unanimous", by=OPERATOR)
    client.force_login(member_login)
    page = page_of(client.get(f"/meetings/{held.reference}/"))
    assert f'href="/meetings/{later.reference}/#motion-{approving.number}">Steering, April</a>' in page
    assert f"approved by vote {vote.reference}" not in page
