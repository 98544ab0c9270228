"""Membership-wide meetings: whoever records a body's meetings calls one (or a call) on the governance tools, its
agenda drawn from carried petitions waiting for a meeting and concerns still open; members in good standing attend
on its day."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rankfile.deadlines.models import Deadline
from rankfile.errors import Conflict, NotAllowed
from rankfile.governance.models import Attendance, Capacity, MeetingKind
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.voice import actions, members_meetings
from rankfile.voice.models import MembersMeeting, Petition, PetitionAim
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.voice.statement_helpers import steering_meeting

pytestmark = pytest.mark.django_db


def carried_petition(org: cb.Org, *, aim: str, title: str) -> Petition:
    """Rae's petition to the steering committee, carried by Dora's signature (two of the members are enough)."""
    petition = actions.petition_start(body=org.steering, aim=aim, title=title, text="We ask.", by=org["rae"].user)
    actions.petition_sign(petition=petition, by=org["dora"].user)
    petition.refresh_from_db()
    assert petition.reached_at is not None
    return petition


def concern(org: cb.Org, *, private: bool, by: str = "rae"):
    return actions.concern_raise(
        body=org.steering,
        title=f"Where the dues go ({by})",
        text="Why?",
        anonymous=False,
        private=private,
        by=org[by].user,
    )


def test_the_chair_calls_a_meeting_of_all_members_with_the_members_items_on_its_agenda():
    org = cb.full_organization()
    steering_meeting(org)  # held today: not a next meeting for the petitions
    item = carried_petition(org, aim=PetitionAim.AGENDA_ITEM, title="Publish the accounts")
    special = carried_petition(org, aim=PetitionAim.SPECIAL_MEETING, title="Meet about the budget")
    public, private = concern(org, private=False), concern(org, private=True, by="ray")
    dale = signed_in(org["dale"].user)
    form = dale.get("/voice/meetings/new/").content.decode()
    assert "Publish the accounts" in form
    assert public.title in form
    assert private.title not in form  # a private concern is for the body and the oversight body only
    answer = dale.post(
        "/voice/meetings/new/",
        {
            "body": org.steering.pk,
            "title": "All-members call on the budget",
            "held_on": timezone.localdate().isoformat(),
            "call": "on",
            "place": "The video room of the union hall",
            "agenda": "1. Welcome",
            "petitions": [item.pk, special.pk],
            "concerns": [public.pk],
        },
    )
    called = MembersMeeting.objects.get()
    assert answer["Location"] == f"/voice/meetings/{called.meeting.reference}/"
    assert called.call
    assert called.meeting.kind == MeetingKind.SPECIAL
    assert called.meeting.agenda.splitlines()[::2] == [
        "1. Welcome",
        f"Petitioned by the members ({item.reference}): Publish the accounts",
        f"Petitioned by the members ({special.reference}): Meet about the budget",
        f"A member's concern to the Steering Committee ({public.reference}): {public.title}",
    ]
    assert set(Petition.objects.values_list("placed_on", flat=True)) == {called.meeting.pk}
    assert Deadline.objects.get(kind="voice.call_special_meeting").met_at is not None
    assert Entry.objects.filter(action="voice.members_meeting_called").count() == 1
    assert Entry.objects.filter(action="voice.petition_placed").count() == 2
    page = dale.get(answer["Location"]).content.decode()
    assert "A call of all members on" in page
    assert "Where to join: The video room of the union hall." in page
    assert f'href="/voice/petitions/{item.reference}/"' in page


def test_a_petition_already_on_a_meeting_is_not_placed_again():
    org = cb.full_organization()
    steering_meeting(org)
    item = carried_petition(org, aim=PetitionAim.AGENDA_ITEM, title="Publish the accounts")
    first = members_meetings.members_meeting_call(
        body=org.steering, held_on=timezone.localdate(), title="All members", petitions=[item], by=OPERATOR
    )
    item.refresh_from_db()
    with pytest.raises(Conflict):
        members_meetings.members_meeting_call(
            body=org.steering, held_on=timezone.localdate(), title="Again", petitions=[item], by=OPERATOR
        )
    assert item.placed_on == first.meeting


def test_only_whoever_records_a_bodys_meetings_calls_one_of_all_members():
    org = cb.full_organization()
    lee = signed_in(org["lee"].user)  # sits on the steering committee, keeps no record of it
    assert lee.get("/voice/meetings/new/").status_code == 404
    assert "Call a meeting of all members" not in lee.get("/voice/meetings/").content.decode()
    with pytest.raises(NotAllowed):
        members_meetings.members_meeting_call(
            body=org.steering, held_on=timezone.localdate(), title="All members", by=org["lee"].user
        )


def test_members_in_good_standing_attend_on_the_day_and_not_before():
    org = cb.full_organization()
    today = members_meetings.members_meeting_call(
        body=org.steering, held_on=timezone.localdate(), title="All members today", by=OPERATOR
    )
    later = members_meetings.members_meeting_call(
        body=org.steering, held_on=timezone.localdate() + timedelta(days=3), title="All members later", by=OPERATOR
    )
    rae = signed_in(org["rae"].user)
    assert rae.post(f"/voice/meetings/{later.meeting.reference}/attend/").status_code == 404
    assert "on the day of the meeting" in rae.get(f"/voice/meetings/{later.meeting.reference}/").content.decode()
    url = f"/voice/meetings/{today.meeting.reference}/"
    assert "I am attending" in rae.get(url).content.decode()
    assert rae.post(f"{url}attend/")["Location"] == url
    assert "You are on its attendance." in rae.get(url).content.decode()
    members_meetings.members_meeting_attend(members_meeting=today, by=org["lee"].user)
    assert dict(Attendance.objects.values_list("person__name", "capacity")) == {
        "Rae Reporter": Capacity.INVITED,
        "Lee Leader": Capacity.SEAT,  # he sits on the body that called it
    }
    assert Entry.objects.filter(action="voice.members_meeting_attended").count() == 2
    with pytest.raises(Conflict):
        members_meetings.members_meeting_attend(members_meeting=today, by=org["rae"].user)
    org_actions.membership_status_change(
        person=org["ray"].person,
        status="resigned",
        effective_from=timezone.localdate(),
        reason_code="own_request",
        by=OPERATOR,
    )
    with pytest.raises(NotAllowed):
        members_meetings.members_meeting_attend(members_meeting=today, by=org["ray"].user)
