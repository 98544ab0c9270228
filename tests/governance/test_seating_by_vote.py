"""Invariant 9: a carried vote of an electing body seats the person its motion is about, through the one seating
action and its eligibility check, citing the vote on the seat; only a carried vote of the body the bylaws empower
overrides the eligibility check, and every override is flagged and listed for the members."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.formats import date_format

from rankfile.errors import Ineligible, InvalidInput
from rankfile.governance import actions, seating
from rankfile.governance.models import Vote
from rankfile.ledger import schema
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org import bylaws, eligibility
from rankfile.org.models import Person, Seat
from tests.governance.builders import Organization, meeting, organization, person_for, seat
from tests.org.builders import body, enrolled

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def in_words(day: date) -> str:
    return date_format(day, "j F Y")


@pytest.fixture
def org() -> Organization:
    made = organization()
    document = bylaws.defaults()
    document["roles"].update(convention="convention", oversight="oversight-commission")
    org_actions.bylaws_adopt(
        document=document, effective_from=date(2000, 1, 1), adopted_by_vote="Founding", by=OPERATOR
    )
    return made


def vote_about(
    org: Organization, people: list[Person], *, on=None, text: str = "That Cam Candidate be elected."
) -> Vote:
    """A carried vote, of the convention unless ``on`` names other bodies and who is present."""
    bodies, present = on or ([org.convention], org.delegates)
    held = meeting(bodies, present=present, held_on=TODAY())
    motion = actions.motion_make(meeting=held, text=text, mover=present[0], concerns=people, by=OPERATOR)
    return actions.vote_record(motion=motion, method="unanimous", by=OPERATOR)


def test_invariant_9_a_convention_vote_seats_the_person_it_elected_and_the_seat_cites_it(org, member):
    cam = enrolled("Cam Candidate")
    secretary = person_for(member)
    seat(secretary, org.convention, role="secretary")  # the convention's secretary records it
    vote = vote_about(org, [cam])
    elected = seating.seat_by_election(vote=vote, person=cam, body=org.steering, starts_on=TODAY(), by=member)
    assert (elected.basis, elected.vote_reference) == ("elected", vote.reference)
    seated = Entry.objects.get(pk=elected.ledger_seq or 0)
    assert json.loads(seated.data)["vote"] == vote.pk
    recorded = Entry.objects.get(action="governance.seated_by_vote")
    # Who entered it, beside the seat the system made.
    assert (recorded.actor_type, recorded.actor_id) == ("org.person", secretary.pk)
    assert json.loads(recorded.data) == {
        "vote": vote.pk,
        "seat": elected.pk,
        "person": cam.pk,
        "body": org.steering.pk,
    }


def test_a_vote_seats_only_whom_its_motion_is_about_and_only_from_an_electing_body(org):
    cam, dee = enrolled("Cam Candidate"), enrolled("Dee Other")
    vote = vote_about(org, [cam])
    with pytest.raises(InvalidInput) as refused:
        seating.seat_by_election(vote=vote, person=dee, body=org.steering, starts_on=TODAY(), by=OPERATOR)
    assert refused.value.code == "motion_not_about_them"
    branch = body("riverside-branch", kind="branch")
    members = [enrolled(f"Branch {n}") for n in range(3)]
    for person in members:
        org_actions.person_seat(person=person, body=branch, basis="elected", starts_on=date(2020, 1, 1), by=OPERATOR)
    elsewhere = vote_about(org, [cam], on=([branch], members))
    with pytest.raises(InvalidInput) as refused:
        seating.seat_by_election(vote=elsewhere, person=cam, body=org.steering, starts_on=TODAY(), by=OPERATOR)
    assert refused.value.code == "not_an_electing_body"
    assert not Seat.objects.filter(person=cam).exists()


def test_invariant_9_an_election_runs_the_eligibility_check_and_only_the_conventions_override_gets_past_it(org):
    cam = enrolled("Cam Candidate")
    org.steering.max_size = 3  # already full: three stewards sit on it
    org.steering.save(update_fields=["max_size"])
    vote = vote_about(org, [cam])
    with pytest.raises(Ineligible) as refused:
        seating.seat_by_election(vote=vote, person=cam, body=org.steering, starts_on=TODAY(), by=OPERATOR)
    assert refused.value.code == eligibility.BODY_FULL
    # The steering committee cannot override the check for itself…
    steering_vote = vote_about(org, [cam], on=([org.steering], org.stewards), text="That Cam join us anyway.")
    with pytest.raises(InvalidInput) as not_empowered:
        seating.eligibility_override_by_vote(
            vote_reference=steering_vote.reference, person=cam, body=org.steering, by=OPERATOR
        )
    assert not_empowered.value.code == "not_the_empowered_body"
    # …the convention can, citing its carried vote on a motion about Cam; flagged for the oversight body.
    override = seating.eligibility_override_by_vote(
        vote_reference=vote.reference, person=cam, body=org.steering, by=OPERATOR
    )
    assert override.reason_code == eligibility.BODY_FULL
    assert "governance.eligibility_overridden_by_vote" in schema.flagged_actions()
    seat = seating.seat_by_election(vote=vote, person=cam, body=org.steering, starts_on=TODAY(), by=OPERATOR)
    override.refresh_from_db()
    assert override.seat == seat


def test_the_command_overrides_the_eligibility_check_citing_the_vote(org):
    cam = enrolled("Cam Candidate")
    org.steering.max_size = 3
    org.steering.save(update_fields=["max_size"])
    vote = vote_about(org, [cam])
    out = StringIO()
    call_command("override_eligibility", str(cam.pk), "steering-committee", vote.reference, stdout=out)
    assert f"although the check said: The body has no free seat on {in_words(TODAY())}." in out.getvalue()
    assert "BODY_FULL" not in out.getvalue()
    with pytest.raises(CommandError, match="no_such_vote"):
        call_command("override_eligibility", str(cam.pk), "steering-committee", "NO-SUCH-VOTE", stdout=StringIO())


def test_recorders_seat_and_override_on_the_meeting_page_and_members_see_the_override(org, client, admin, member):
    cam = enrolled("Cam Candidate")
    org.steering.max_size = 3
    org.steering.save(update_fields=["max_size"])
    vote = vote_about(org, [cam])
    meeting_ref, number = vote.motion.meeting.reference, vote.motion.number
    # A site administrator who does not sit on the convention records nothing of it: neither the seat nor the
    # override.
    person_for(admin)
    client.force_login(admin)
    page = client.get(f"/meetings/{meeting_ref}/").content.decode()
    assert f"Seat someone elected by vote {vote.reference}" not in page
    assert "Override the eligibility check" not in page
    url = f"/meetings/{meeting_ref}/motions/{number}/eligibility-override/"
    assert client.post(url, {"person": cam.pk, "body": org.steering.pk}).status_code == 404
    seat_url = f"/meetings/{meeting_ref}/motions/{number}/seat/"
    seat_data = {"person": cam.pk, "body": org.steering.pk, "role": "member", "starts_on": TODAY().isoformat()}
    assert client.post(seat_url, seat_data).status_code == 404
    # The convention's secretary may.
    seat(person_for(member), org.convention, role="secretary")
    client.force_login(member)
    assert "Override the eligibility check" in client.get(f"/meetings/{meeting_ref}/").content.decode()
    full = client.post(
        f"/meetings/{meeting_ref}/motions/{number}/seat/",
        {"person": cam.pk, "body": org.steering.pk, "role": "member", "starts_on": TODAY().isoformat()},
    )
    assert full.status_code == 400
    assert f"The body has no free seat on {in_words(TODAY())}." in full.content.decode()
    assert eligibility.BODY_FULL not in full.content.decode()
    overridden = client.post(
        f"/meetings/{meeting_ref}/motions/{number}/eligibility-override/",
        {"person": cam.pk, "body": org.steering.pk},
    )
    assert overridden.status_code == 302
    seated = client.post(
        f"/meetings/{meeting_ref}/motions/{number}/seat/",
        {"person": cam.pk, "body": org.steering.pk, "role": "member", "starts_on": TODAY().isoformat()},
    )
    assert seated.status_code == 302
    assert Seat.objects.get(person=cam).vote_reference == vote.reference
    listed = client.get("/decisions/overrides/").content.decode()
    assert "Eligibility checks overridden" in listed
    assert "Cam Candidate" in listed
    assert f"The body has no free seat on {in_words(TODAY())}." in listed
    assert vote.reference in listed
