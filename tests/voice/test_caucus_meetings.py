"""A caucus meets without anyone's permission: its conveners schedule a meeting with an agenda and write its minutes,
both sealed for its members; nobody else, by rank or otherwise, reads them or learns that it met."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger.models import Entry
from rankfile.voice import actions, caucus_files, caucus_meetings
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.voice.helpers import formed_caucus, site_admin

pytestmark = pytest.mark.django_db


def test_a_convener_schedules_a_meeting_whose_agenda_only_the_members_read():
    org = cb.full_organization()
    caucus = formed_caucus(org, listed=True)
    rae, dora = org["rae"], org["dora"]
    day = timezone.localdate() + timedelta(days=7)
    scheduled = signed_in(rae.user, rae.key).post(
        f"/voice/caucuses/{caucus.pk}/meetings/", {"held_on": day.isoformat(), "agenda": "Room 4: the budget."}
    )
    assert scheduled.status_code == 302
    meeting = caucus.meetings.get()
    entry = Entry.objects.get(action="voice.caucus_meeting_scheduled")
    assert entry.actor_type == "system"
    assert set(json.loads(entry.data)) == {"held_on", "sha256"}
    assert "Room 4: the budget." in signed_in(dora.user, dora.key).get(f"/voice/caucuses/{caucus.pk}/").content.decode()
    for outsider in (site_admin(), org["lee"], org["olu"]):
        page = signed_in(outsider.user, outsider.key).get(f"/voice/caucuses/{caucus.pk}/")
        assert "Room 4" not in page.content.decode()
        assert "Meeting of" not in page.content.decode()
        with pytest.raises(NotAllowed):
            caucus_meetings.caucus_meeting_schedule(caucus=caucus, held_on=day, agenda="Ours.", by=outsider.user)
    assert caucus.meetings.count() == 1
    assert meeting.agenda.versions.get().wrapped_keys.filter(keypair=dora.key.keypair).exists()


def test_a_member_who_is_not_a_convener_cannot_schedule_and_the_form_looks_missing_to_them():
    org = cb.full_organization()
    caucus = formed_caucus(org, listed=True)
    lee = org["lee"]
    actions.caucus_join(caucus=caucus, by=lee.user)
    day = timezone.localdate().isoformat()
    response = signed_in(lee.user, lee.key).post(
        f"/voice/caucuses/{caucus.pk}/meetings/", {"held_on": day, "agenda": "Mine."}
    )
    assert response.status_code == 404
    assert caucus.meetings.count() == 0


def test_a_meeting_in_the_past_is_refused_and_minutes_wait_until_it_is_held():
    org = cb.full_organization()
    caucus = formed_caucus(org)
    rae = org["rae"]
    today = timezone.localdate()
    with pytest.raises(InvalidInput):
        caucus_meetings.caucus_meeting_schedule(
            caucus=caucus, held_on=today - timedelta(days=1), agenda="Late.", by=rae.user
        )
    later = caucus_meetings.caucus_meeting_schedule(
        caucus=caucus, held_on=today + timedelta(days=3), agenda="Soon.", by=rae.user
    )
    with pytest.raises(InvalidInput):
        caucus_meetings.caucus_minutes_write(meeting=later, minutes="Too early.", by=rae.user)


def test_a_convener_writes_and_corrects_the_minutes_which_the_members_read_and_newcomers_receive():
    org = cb.full_organization()
    caucus = formed_caucus(org, listed=True)
    rae, sam, lee = org["rae"], org["sam"], org["lee"]
    meeting = caucus_meetings.caucus_meeting_schedule(
        caucus=caucus, held_on=timezone.localdate(), agenda="Today.", by=rae.user
    )
    client = signed_in(rae.user, rae.key)
    url = f"/voice/caucuses/{caucus.pk}/meetings/{meeting.pk}/minutes/"
    assert client.post(url, {"minutes": "We agreed to meet monthly."}).status_code == 302
    assert "We agreed to meet monthly." in client.get(url).content.decode()  # the form holds them to correct
    assert client.post(url, {"minutes": "We agreed to meet every month."}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes is not None
    assert meeting.minutes.versions.count() == 2
    assert Entry.objects.filter(action="voice.caucus_minutes_written").count() == 2
    [opened] = caucus_files.caucus_space_read(caucus=caucus, by=sam.user, key=sam.key).meetings
    assert (opened.agenda, opened.minutes) == ("Today.", "We agreed to meet every month.")
    actions.caucus_join(caucus=caucus, by=lee.user)
    actions.caucus_post(caucus=caucus, text="Welcome.", by=rae.user, key=rae.key)
    [shared] = caucus_files.caucus_space_read(caucus=caucus, by=lee.user, key=lee.key).meetings
    assert shared.minutes == "We agreed to meet every month."
    assert signed_in(lee.user, lee.key).get(url).status_code == 404  # a member, not a convener
    read = Entry.objects.filter(action="voice.caucus_space_read").latest("seq")
    assert json.loads(read.data)["meetings"] == 2  # the agenda and the minutes
