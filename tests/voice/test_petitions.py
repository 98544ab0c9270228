"""Petitions: members sign to put an item on a body's agenda or to make it call a special meeting; the bylaws' share
of the members in good standing, counted on the day, carries it; the item then goes on the body's next meeting by
itself, or the body has the bylaws' days to call the meeting; signatures are withdrawn only until then."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rankfile.deadlines import actions as deadlines
from rankfile.deadlines.models import Deadline
from rankfile.errors import Conflict, InvalidInput, NotAllowed
from rankfile.governance import actions as governance
from rankfile.governance.models import MeetingKind
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org import bylaws
from rankfile.org import queries as org_queries
from rankfile.voice import actions
from rankfile.voice.models import PetitionAim, PetitionSignature
from tests.cases import casebuilders as cb

pytestmark = pytest.mark.django_db


def share(org, value):
    """New bylaws from today with the petition share ``value``."""
    document = org_queries.bylaws_document(day=timezone.localdate())
    document["voice"] = {**document.get("voice", {}), "petition_share": value}
    org_actions.bylaws_adopt(
        document=document, effective_from=timezone.localdate(), adopted_by_vote="Convention, motion 9", by=OPERATOR
    )


def start(org, *, aim=PetitionAim.AGENDA_ITEM, by="rae", body=None):
    return actions.petition_start(
        body=body or org.steering,
        aim=aim,
        title="Publish the accounts",
        text="We ask the steering committee to publish last year's accounts.",
        by=org[by].user,
    )


def meeting(org, *, days=7, kind=MeetingKind.REGULAR):
    return governance.meeting_create(
        bodies=[org.steering],
        held_on=timezone.localdate() + timedelta(days=days),
        title="Steering committee",
        kind=kind,
        agenda="1. Reports",
        by=OPERATOR,
    )


def test_the_bylaws_check_the_petition_share():
    slugs: set[str] = set()
    for wrong in (0, 1.5, -0.1, "a tenth", True):
        document = bylaws.defaults()
        document["voice"]["petition_share"] = wrong
        with pytest.raises(InvalidInput) as refused:
            bylaws.check(document, body_slugs=slugs)
        assert [str(problem) for problem in refused.value.field_errors["document"]] == [
            "voice.petition_share: a share of the members above 0 and at most 1, e.g. 0.1"
        ]
    document = bylaws.defaults()
    document["voice"]["petition_share"] = 0.25
    assert bylaws.check(document, body_slugs=slugs)["voice"]["petition_share"] == 0.25
    assert bylaws.defaults()["voice"]["petition_share"] == 0.1


def test_the_threshold_is_the_share_of_members_in_good_standing_on_the_day():
    org = cb.full_organization()
    share(org, 0.2)
    petition = start(org)
    active = org_queries.people_with_status(status="active", day=timezone.localdate()).count()
    assert actions.petition_count(petition=petition) == (1, -(-active * 2 // 10))


def test_a_carried_petition_puts_its_item_on_the_next_meeting_by_itself():
    org = cb.full_organization()
    share(org, 0.2)  # 17 members in good standing: 4 signatures
    later = meeting(org, days=30)
    sooner = meeting(org, days=7)
    petition = start(org)
    for name in ("dora", "sam"):
        actions.petition_sign(petition=petition, by=org[name].user)
    sooner.refresh_from_db()
    assert "Publish the accounts" not in sooner.agenda
    actions.petition_sign(petition=petition, by=org["olu"].user)
    petition.refresh_from_db()
    sooner.refresh_from_db()
    later.refresh_from_db()
    assert petition.reached_at is not None
    assert (petition.signatures_when_reached, petition.needed_when_reached) == (4, 4)
    assert petition.placed_on == sooner
    assert sooner.agenda.startswith("1. Reports")
    assert f"Petitioned by the members ({petition.reference}): Publish the accounts" in sooner.agenda
    assert "Publish the accounts" not in later.agenda
    assert Entry.objects.filter(action="voice.petition_placed").count() == 1
    assert Entry.objects.filter(action="governance.agenda_item_petitioned").count() == 1


def test_a_carried_item_waits_for_a_meeting_to_be_scheduled():
    org = cb.full_organization()
    petition = start(org)
    actions.petition_sign(petition=petition, by=org["dora"].user)  # 2 of 17 at the default tenth
    petition.refresh_from_db()
    assert petition.reached_at is not None
    assert petition.placed_on is None
    scheduled = meeting(org)
    assert actions.petitions_follow_up() == 1
    petition.refresh_from_db()
    assert petition.placed_on == scheduled
    assert actions.petitions_follow_up() == 0


def test_a_petition_for_a_special_meeting_gives_the_body_a_deadline_met_by_calling_it():
    org = cb.full_organization()
    petition = start(org, aim=PetitionAim.SPECIAL_MEETING)
    actions.petition_sign(petition=petition, by=org["dora"].user)
    petition.refresh_from_db()
    deadline = Deadline.objects.get(kind="voice.call_special_meeting", subject_id=petition.pk)
    assert deadline.body == org.steering
    assert petition.call_by is not None
    assert petition.call_by - petition.reached_at == timedelta(days=30)
    meeting(org)  # a regular meeting is not the special one asked for
    assert actions.petitions_follow_up() == 0
    special = meeting(org, days=10, kind=MeetingKind.SPECIAL)
    assert actions.petitions_follow_up() == 1
    deadline.refresh_from_db()
    petition.refresh_from_db()
    assert deadline.met_at is not None
    assert petition.placed_on == special


def test_a_special_meeting_not_called_in_time_is_a_missed_deadline():
    org = cb.full_organization()
    petition = start(org, aim=PetitionAim.SPECIAL_MEETING)
    actions.petition_sign(petition=petition, by=org["dora"].user)
    petition.refresh_from_db()
    deadline = Deadline.objects.get(kind="voice.call_special_meeting", subject_id=petition.pk)
    assert deadline.pk in deadlines.tick(now=petition.call_by + timedelta(hours=1)).missed


def test_a_signature_is_withdrawn_until_the_threshold_and_not_after():
    org = cb.full_organization()
    share(org, 0.2)
    petition = start(org)
    actions.petition_sign(petition=petition, by=org["dora"].user)
    actions.petition_withdraw(petition=petition, by=org["dora"].user)
    assert not PetitionSignature.objects.filter(petition=petition, person=org["dora"].person).exists()
    with pytest.raises(Conflict):
        actions.petition_withdraw(petition=petition, by=org["dora"].user)
    for name in ("dora", "sam", "olu"):
        actions.petition_sign(petition=petition, by=org[name].user)
    with pytest.raises(Conflict):
        actions.petition_withdraw(petition=petition, by=org["dora"].user)
    with pytest.raises(NotAllowed):
        actions.petition_sign(petition=petition, by=org["lee"].user)  # carried: no more signatures
    actions_on_ledger = list(
        Entry.objects.filter(action__startswith="voice.petition_").values_list("action", flat=True)
    )
    assert actions_on_ledger.count("voice.petition_signed") == 5
    assert actions_on_ledger.count("voice.petition_withdrawn") == 1


def test_one_signature_each():
    org = cb.full_organization()
    share(org, 0.5)
    petition = start(org)
    with pytest.raises(Conflict):
        actions.petition_sign(petition=petition, by=org["rae"].user)


def test_only_members_in_good_standing_start_or_sign():
    org = cb.full_organization()
    share(org, 0.5)
    petition = start(org)
    org_actions.membership_status_change(
        person=org["ray"].person,
        status="resigned",
        effective_from=timezone.localdate(),
        reason_code="own_request",
        by=OPERATOR,
    )
    with pytest.raises(NotAllowed):
        actions.petition_sign(petition=petition, by=org["ray"].user)
    with pytest.raises(NotAllowed):
        start(org, by="ray")
