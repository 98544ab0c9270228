"""The recorder's pages: creating a meeting; on its page attendance, departures, agenda, minutes, motions; the vote
on a motion; the mandates a carried vote adopts; amending, extending and rescinding a mandate by a later vote.

Each works for a recorder, is not found for anyone else (invariant 11), and a refused form comes back with the
problem by its field, what was entered kept, and nothing changed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rankfile.governance import actions, mandates
from rankfile.governance.models import Attendance, Mandate, MandateTerms, Meeting, MinutesVersion, Motion, Vote
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org.models import Person
from tests.governance.builders import carried, login, meeting, organization, person_for, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return organization()


@pytest.fixture
def secretary(org, leader):
    """Lee Leader, the steering committee's secretary (and one of its four voting members)."""
    seat(person_for(leader), org.steering, role="secretary")
    return leader


@pytest.fixture
def member_login(member):
    person_for(member)
    return member


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def held(org, today):
    """A steering committee meeting today, nobody recorded yet."""
    return actions.meeting_create(bodies=[org.steering], held_on=today, title="Steering, today", by=OPERATOR)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Meeting, Attendance, MinutesVersion, Motion, Vote, Mandate, MandateTerms, Entry)
    )


def page_of(response) -> str:
    return response.content.decode()


# Creating a meeting


def test_a_secretary_creates_a_meeting_of_their_body(client, org, secretary):
    client.force_login(secretary)
    assert 'href="/meetings/new/"' in page_of(client.get("/meetings/"))
    form = page_of(client.get("/meetings/new/"))
    assert "Steering Committee" in form
    assert "National Committee" not in form  # only the bodies they record for
    response = client.post(
        "/meetings/new/",
        {
            "bodies": [org.steering.pk],
            "title": "Steering, March",
            "kind": "regular",
            "held_on": "2026-03-14",
            "place": "Union hall",
            "agenda": "1. Reports",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/meetings/SC-2026-03-14/"
    created = Meeting.objects.get(reference="SC-2026-03-14")
    assert (created.title, created.place, created.agenda) == ("Steering, March", "Union hall", "1. Reports")
    assert Entry.objects.filter(action="governance.meeting_created", subject_id=created.pk).exists()
    page = page_of(client.get(response["Location"]))
    assert "The meeting SC-2026-03-14 was created." in page
    assert "Record this meeting" in page


def test_creating_a_meeting_shows_each_problem_by_its_field_keeps_the_entries_and_changes_nothing(
    client, org, secretary
):
    client.force_login(secretary)
    before = counts()
    response = client.post(
        "/meetings/new/",
        {"bodies": [], "title": "Steering, March", "kind": "regular", "held_on": "2026-03-14", "place": "Union hall"},
    )
    assert response.status_code == 400
    page = page_of(response)
    assert 'href="#id_bodies"' in page
    assert 'value="Union hall"' in page  # nothing lost
    response = client.post(
        "/meetings/new/",
        {
            "bodies": [org.steering.pk],
            "title": "Steering, March",
            "kind": "regular",
            "held_on": "2026-03-14",
            "ends_on": "2026-03-13",
            "reference": "",
        },
    )
    assert response.status_code == 400
    assert 'href="#id_ends_on"' in page_of(response)
    assert "The last day cannot be before the first." in page_of(response)
    response = client.post(
        "/meetings/new/",
        {
            "bodies": [org.steering.pk],
            "title": "Steering, March",
            "kind": "regular",
            "held_on": "2026-03-14",
            "reference": "march meeting!",
        },
    )
    assert 'href="#id_reference"' in page_of(response)
    # A body they do not record for cannot be slipped in.
    response = client.post(
        "/meetings/new/", {"bodies": [org.national.pk], "title": "T", "kind": "regular", "held_on": "2026-03-14"}
    )
    assert response.status_code == 400
    assert counts() == before


def test_invariant_11_a_member_without_rights_finds_no_recording_page(client, org, member_login, held, today):
    mover = org.stewards[0]
    actions.attendance_record(meeting=held, present=org.stewards, by=OPERATOR)
    motion = actions.motion_make(meeting=held, text="Carried.", mover=mover, by=OPERATOR)
    vote = actions.vote_record(motion=motion, method="unanimous", by=OPERATOR)
    pending = actions.motion_make(meeting=held, text="Pending.", mover=mover, by=OPERATOR)
    adopted = mandates.mandate_adopt(
        vote=vote, title="Do it", text="Do it.", responsible_body=org.steering, due_within_days=30, by=OPERATOR
    )
    client.force_login(member_login)
    page = page_of(client.get(f"/meetings/{held.reference}/"))
    assert "Record this meeting" not in page
    assert "Record the vote" not in page
    assert "Adopt a mandate" not in page
    assert "/meetings/new/" not in page_of(client.get("/meetings/"))
    assert "Change by a vote" not in page_of(client.get(f"/mandates/{adopted.reference}/"))
    before = counts()
    base = f"/meetings/{held.reference}"
    assert client.get("/meetings/new/").status_code == 404
    refused = {
        "/meetings/new/": {"bodies": [org.steering.pk], "title": "T", "kind": "regular", "held_on": "2026-03-14"},
        f"{base}/agenda/": {"agenda-agenda": "Hijacked"},
        f"{base}/attendance/": {"attendance-present": [org.nationals[0].pk]},
        f"{base}/departure/": {"depart-person": mover.pk},
        f"{base}/minutes/": {"minutes-text": "Forged minutes"},
        f"{base}/motions/": {"motion-text": "Forged", "motion-mover": mover.pk, "motion-threshold": "majority"},
        f"{base}/motions/{pending.number}/withdraw/": {},
        f"{base}/motions/{pending.number}/vote/": {"method": "unanimous"},
        f"{base}/motions/{motion.number}/mandates/new/": {"title": "T", "text": "T"},
        f"/mandates/{adopted.reference}/amend/": {"amend-vote_reference": vote.reference},
        f"/mandates/{adopted.reference}/extend/": {"extend-vote_reference": vote.reference},
        f"/mandates/{adopted.reference}/rescind/": {"rescind-vote_reference": vote.reference},
    }
    for url, data in refused.items():
        assert client.post(url, data).status_code == 404, url
    assert client.get(f"{base}/motions/{pending.number}/vote/").status_code == 404
    assert client.get(f"{base}/motions/{motion.number}/mandates/new/").status_code == 404
    assert counts() == before
    held.refresh_from_db()
    assert held.agenda == ""


def test_invariant_11_someone_who_may_not_see_meetings_finds_nothing_either(client, org, held):
    ally = login("Al Ally")
    client.force_login(ally)
    for url in ("/meetings/new/", f"/meetings/{held.reference}/agenda/", "/meetings/NOPE-2026/agenda/"):
        assert client.post(url, {"agenda-agenda": "x"}).status_code == 404


# On the meeting's page


def test_a_recorder_records_attendance_departure_agenda_and_minutes(client, org, secretary, held):
    client.force_login(secretary)
    page = page_of(client.get(f"/meetings/{held.reference}/"))
    for steward in org.stewards:
        assert steward.name in page  # the checkboxes of those sitting on the body
    assert "Record attendance first" in page
    guest = person_for(login("Gus Guest"))
    present = [p.pk for p in org.stewards]
    response = client.post(
        f"/meetings/{held.reference}/attendance/", {"attendance-present": present, "attendance-invited": [guest.pk]}
    )
    assert response.status_code == 302
    assert set(held.attendance.values_list("person_id", "capacity")) == {
        *((pk, "seat") for pk in present),
        (guest.pk, "invited"),
    }
    response = client.post(f"/meetings/{held.reference}/departure/", {"depart-person": org.stewards[2].pk})
    assert response.status_code == 302
    assert held.attendance.get(person=org.stewards[2]).departed
    response = client.post(f"/meetings/{held.reference}/agenda/", {"agenda-agenda": "1. **Reports**"})
    assert response.status_code == 302
    response = client.post(f"/meetings/{held.reference}/minutes/", {"minutes-text": "The meeting opened."})
    assert response.status_code == 302
    page = page_of(client.get(f"/meetings/{held.reference}/"))
    assert "Version 1 of the minutes was recorded." in page
    assert "<strong>Reports</strong>" in page
    assert "Version 1, awaiting approval" in page
    # Marked back: ticked as present again.
    assert (
        client.post(f"/meetings/{held.reference}/attendance/", {"attendance-present": [org.stewards[2].pk]}).status_code
        == 302
    )
    assert not held.attendance.get(person=org.stewards[2]).departed


def test_attendance_and_minutes_show_what_to_fix_and_change_nothing(client, org, secretary, today):
    held = actions.meeting_create(
        bodies=[org.steering], held_on=today, ends_on=today + timedelta(days=1), title="Two days", by=OPERATOR
    )
    client.force_login(secretary)
    before = counts()
    response = client.post(f"/meetings/{held.reference}/attendance/", {})
    assert response.status_code == 400
    assert 'href="#id_attendance-present"' in page_of(response)
    assert "Tick who is present" in page_of(response)
    response = client.post(
        f"/meetings/{held.reference}/attendance/",
        {"attendance-present": [org.stewards[0].pk], "attendance-day": (today + timedelta(days=5)).isoformat()},
    )
    assert response.status_code == 400
    assert 'href="#id_attendance-day"' in page_of(response)
    assert "one of the meeting&#x27;s days" in page_of(response)
    # Someone who does not sit on the body is no choice for "present".
    response = client.post(f"/meetings/{held.reference}/attendance/", {"attendance-present": [org.nationals[0].pk]})
    assert response.status_code == 400
    response = client.post(f"/meetings/{held.reference}/minutes/", {"minutes-text": "   "})
    assert response.status_code == 400
    assert 'href="#id_minutes-text"' in page_of(response)
    response = client.post(f"/meetings/{held.reference}/departure/", {"depart-person": org.stewards[0].pk})
    assert response.status_code == 400  # not present
    assert counts() == before


def test_a_recorder_makes_a_motion_and_sees_errors_by_field(client, org, secretary, held):
    actions.attendance_record(meeting=held, present=org.stewards, by=OPERATOR)
    client.force_login(secretary)
    before = counts()
    mover = org.stewards[0]
    response = client.post(
        f"/meetings/{held.reference}/motions/",
        {"motion-text": "That we **meet** monthly.", "motion-mover": mover.pk, "motion-seconder": mover.pk},
    )
    assert response.status_code == 400
    page = page_of(response)
    assert 'href="#id_motion-threshold"' in page
    assert "That we **meet** monthly." in page  # the text is kept
    response = client.post(
        f"/meetings/{held.reference}/motions/",
        {
            "motion-text": "That we meet monthly.",
            "motion-mover": mover.pk,
            "motion-seconder": mover.pk,
            "motion-threshold": "majority",
        },
    )
    assert response.status_code == 400
    assert 'href="#id_motion-seconder"' in page_of(response)
    assert "The seconder cannot be the mover." in page_of(response)
    assert counts() == before
    response = client.post(
        f"/meetings/{held.reference}/motions/",
        {
            "motion-text": "That we meet monthly.",
            "motion-mover": mover.pk,
            "motion-seconder": org.stewards[1].pk,
            "motion-threshold": "two_thirds",
        },
    )
    assert response.status_code == 302
    motion = held.motions.get()
    assert (motion.number, motion.threshold, motion.seconder) == (1, "two_thirds", org.stewards[1])
    page = page_of(client.get(f"/meetings/{held.reference}/"))
    assert f"Record the vote on {motion.reference}" in page
    assert f"Withdraw {motion.reference}" in page


def test_a_recorder_withdraws_a_motion(client, org, secretary, held):
    actions.attendance_record(meeting=held, present=org.stewards, by=OPERATOR)
    motion = actions.motion_make(meeting=held, text="Withdrawn.", mover=org.stewards[0], by=OPERATOR)
    client.force_login(secretary)
    response = client.post(f"/meetings/{held.reference}/motions/{motion.number}/withdraw/")
    assert response.status_code == 302
    motion.refresh_from_db()
    assert motion.status == "withdrawn"
    again = client.post(f"/meetings/{held.reference}/motions/{motion.number}/withdraw/", follow=True)
    assert "Only a motion not yet voted on can be withdrawn." in page_of(again)
    assert client.post(f"/meetings/{held.reference}/motions/99/withdraw/").status_code == 404


def test_a_recorder_records_a_vote_by_counts(client, org, secretary, held):
    actions.attendance_record(meeting=held, present=org.stewards, by=OPERATOR)
    motion = actions.motion_make(meeting=held, text="Counted.", mover=org.stewards[0], by=OPERATOR)
    client.force_login(secretary)
    url = f"/meetings/{held.reference}/motions/{motion.number}/vote/"
    page = page_of(client.get(url))
    assert "3 people present may vote." in page
    assert "Roll call" in page
    before = counts()
    response = client.post(url, {"method": "counts", "votes_for": "3", "votes_against": "1"})
    assert response.status_code == 400
    assert 'href="#id_votes_for"' in page_of(response)
    assert "4 votes, but only 3 present were entitled to vote." in page_of(response)
    assert 'value="3"' in page_of(response)
    response = client.post(url, {"method": "counts", "votes_for": "-1"})
    assert response.status_code == 400
    assert counts() == before
    response = client.post(url, {"method": "counts", "votes_for": "2", "votes_against": "1"})
    assert response.status_code == 302
    assert Vote.objects.get(motion=motion).result == "carried"
    assert "The vote on SC-" in page_of(client.get(response["Location"]))
    # The motion takes no second vote: the page sends the recorder back.
    assert client.get(url).status_code == 302


def test_a_recorder_records_a_roll_call_and_a_unanimous_vote(client, org, secretary, held):
    actions.attendance_record(meeting=held, present=org.stewards, by=OPERATOR)
    first = actions.motion_make(meeting=held, text="Roll call.", mover=org.stewards[0], by=OPERATOR)
    second = actions.motion_make(meeting=held, text="Unanimous.", mover=org.stewards[0], by=OPERATOR)
    client.force_login(secretary)
    url = f"/meetings/{held.reference}/motions/{first.number}/vote/"
    before = counts()
    response = client.post(url, {"method": "roll_call"})
    assert response.status_code == 400
    assert "For a roll call, choose each person" in page_of(response)
    assert counts() == before
    a, b, _ = org.stewards
    response = client.post(url, {"method": "roll_call", f"roll_{a.pk}": "for", f"roll_{b.pk}": "against"})
    assert response.status_code == 302
    vote = Vote.objects.get(motion=first)
    assert (vote.method, vote.votes_for, vote.votes_against, vote.result) == ("roll_call", 1, 1, "failed")
    response = client.post(f"/meetings/{held.reference}/motions/{second.number}/vote/", {"method": "unanimous"})
    assert response.status_code == 302
    assert Vote.objects.get(motion=second).votes_for == 3


def test_a_vote_without_a_quorum_is_refused_in_words(client, org, secretary, held):
    actions.attendance_record(meeting=held, present=org.stewards[:1], by=OPERATOR)
    motion = actions.motion_make(meeting=held, text="Short.", mover=org.stewards[0], by=OPERATOR)
    client.force_login(secretary)
    url = f"/meetings/{held.reference}/motions/{motion.number}/vote/"
    assert "There is no quorum: 2 more with a vote must be present." in page_of(client.get(url))
    before = counts()
    response = client.post(url, {"method": "unanimous"})
    assert response.status_code == 400
    assert "There is no quorum" in page_of(response)
    assert counts() == before


def test_a_recorder_adopts_a_mandate_from_a_carried_vote(client, org, secretary, held, today):
    actions.attendance_record(meeting=held, present=org.stewards, by=OPERATOR)
    vote = carried(held, mover=org.stewards[0])
    client.force_login(secretary)
    assert f"Adopt a mandate by vote {vote.reference}" in page_of(client.get(f"/meetings/{held.reference}/"))
    url = f"/meetings/{held.reference}/motions/{vote.motion.number}/mandates/new/"
    assert client.get(url).status_code == 200
    before = counts()
    entered = {
        "title": "Publish the budget",
        "text": "Publish the *budget* to the members.",
        "responsible_body": org.national.pk,
        "visibility": "public",
        "milestones": "Draft ready; 2026-02-30",
    }
    response = client.post(url, entered)
    assert response.status_code == 400
    page = page_of(response)
    assert 'href="#id_milestones"' in page
    assert "not a real day" in page
    assert "Publish the *budget* to the members." in page
    response = client.post(url, {**entered, "milestones": ""})
    assert 'href="#id_due_on"' in page_of(response)  # no due date
    response = client.post(url, {**entered, "milestones": "", "due_on": (today - timedelta(days=1)).isoformat()})
    assert "The due date cannot be before the vote." in page_of(response)
    assert counts() == before
    draft_day = today + timedelta(days=10)
    response = client.post(
        url, {**entered, "due_within_days": "30", "milestones": f"Draft ready; {draft_day.isoformat()}\nPublished"}
    )
    assert response.status_code == 302
    adopted = Mandate.objects.get()
    assert response["Location"] == f"/mandates/{adopted.reference}/"
    assert (adopted.reference, adopted.due_on, adopted.visibility) == (
        f"{vote.reference}.1",
        today + timedelta(days=30),
        "public",
    )
    assert [(m.title, m.due_on) for m in adopted.milestones.all()] == [("Draft ready", draft_day), ("Published", None)]
    assert "Publish the budget" in page_of(client.get("/mandates/"))


def test_a_failed_vote_adopts_no_mandate(client, org, secretary, held):
    actions.attendance_record(meeting=held, present=org.stewards, by=OPERATOR)
    motion = actions.motion_make(meeting=held, text="Fails.", mover=org.stewards[0], by=OPERATOR)
    actions.vote_record(motion=motion, method="counts", votes_for=1, votes_against=2, by=OPERATOR)
    client.force_login(secretary)
    url = f"/meetings/{held.reference}/motions/{motion.number}/mandates/new/"
    assert client.get(url).status_code == 302
    assert client.post(url, {"title": "T", "text": "T", "due_within_days": "5"}).status_code == 302
    assert not Mandate.objects.exists()


def test_a_locked_meeting_offers_only_a_correction_of_its_minutes(client, org, secretary, held, today):
    actions.attendance_record(meeting=held, present=org.stewards, by=OPERATOR)
    version = actions.minutes_record(meeting=held, text="Minutes.", by=OPERATOR)
    later = meeting([org.steering], present=org.stewards, held_on=today + timedelta(days=7))
    client.force_login(secretary)
    page = page_of(client.get(f"/meetings/{later.reference}/"))
    assert f"{held.reference}, version 1" in page  # the minutes a motion there may approve
    response = client.post(
        f"/meetings/{later.reference}/motions/",
        {
            "motion-text": "Approve the minutes.",
            "motion-mover": org.stewards[0].pk,
            "motion-threshold": "majority",
            "motion-approves_minutes": version.pk,
        },
    )
    assert response.status_code == 302
    motion = later.motions.get()
    client.post(f"/meetings/{later.reference}/motions/{motion.number}/vote/", {"method": "unanimous"})
    held.refresh_from_db()
    assert held.is_locked
    page = page_of(client.get(f"/meetings/{held.reference}/"))
    assert "record is locked" in page
    assert "Record attendance" not in page
    assert "Propose a correction to the minutes" in page
    before = counts()
    response = client.post(f"/meetings/{held.reference}/agenda/", {"agenda-agenda": "Changed."})
    assert response.status_code == 400
    assert "its record is locked" in page_of(response)
    assert counts() == before
    assert client.post(f"/meetings/{held.reference}/minutes/", {"minutes-text": "Corrected."}).status_code == 302
    assert held.minutes_versions.get(number=2).correction


# On a mandate's page


@pytest.fixture
def adopted(org, held, today):
    actions.attendance_record(meeting=held, present=org.stewards, by=OPERATOR)
    vote = carried(held, mover=org.stewards[0])
    return mandates.mandate_adopt(
        vote=vote,
        title="Publish the budget",
        text="Publish it.",
        responsible_body=org.steering,
        due_within_days=30,
        by=OPERATOR,
    )


@pytest.fixture
def later_vote(org, adopted, today):
    later = meeting([org.steering], present=org.stewards, held_on=today + timedelta(days=1))
    return carried(later, mover=org.stewards[0], text="That the budget mandate changes.")


def test_a_recorder_amends_a_mandate_citing_a_vote_chosen_from_those_that_may(client, secretary, adopted, later_vote):
    client.force_login(secretary)
    page = page_of(client.get(f"/mandates/{adopted.reference}/"))
    assert "Change by a vote" in page
    assert f'<option value="{later_vote.pk}">{later_vote.reference}' in page
    assert f">{adopted.adopted_by_vote.reference}, on" not in page  # the adopting vote cannot change it
    response = client.post(
        f"/mandates/{adopted.reference}/amend/",
        {
            "amend-vote": later_vote.pk,
            "amend-title": "Publish the budget and the accounts",
            "amend-text": "Publish both.",
            "amend-responsible_body": adopted.responsible_body_id,
            "amend-visibility": "public",
            "amend-milestones": "Accounts audited",
        },
    )
    assert response.status_code == 302
    adopted.refresh_from_db()
    assert (adopted.title, adopted.visibility, adopted.terms_number) == (
        "Publish the budget and the accounts",
        "public",
        2,
    )
    assert [m.title for m in adopted.milestones.all()] == ["Accounts audited"]
    assert "The mandate was amended." in page_of(client.get(response["Location"]))


def test_a_recorder_extends_a_mandate_citing_a_vote_by_its_reference(client, secretary, adopted, later_vote):
    client.force_login(secretary)
    before = counts()
    url = f"/mandates/{adopted.reference}/extend/"
    response = client.post(url, {"extend-due_within_days": "60"})
    assert response.status_code == 400
    assert 'href="#id_extend-vote"' in page_of(response)
    response = client.post(url, {"extend-vote_reference": "SC-1999-01-01-M9", "extend-due_within_days": "60"})
    assert 'href="#id_extend-vote_reference"' in page_of(response)
    assert "No recorded vote has this reference." in page_of(response)
    response = client.post(url, {"extend-vote_reference": later_vote.reference, "extend-due_within_days": "2"})
    assert response.status_code == 400
    assert "An extension gives a later due date." in page_of(response)
    assert 'value="2"' in page_of(response)
    assert counts() == before
    response = client.post(url, {"extend-vote_reference": later_vote.reference.lower(), "extend-due_within_days": "60"})
    assert response.status_code == 302
    adopted.refresh_from_db()
    assert adopted.due_on == later_vote.taken_on + timedelta(days=60)


def test_a_recorder_rescinds_a_mandate_and_a_vote_of_another_body_is_refused(
    client, org, secretary, adopted, later_vote, today
):
    national = meeting([org.national], present=org.nationals, held_on=today + timedelta(days=1))
    other = carried(national, mover=org.nationals[0])
    client.force_login(secretary)
    before = counts()
    url = f"/mandates/{adopted.reference}/rescind/"
    response = client.post(url, {"rescind-vote_reference": other.reference})
    assert response.status_code == 400
    assert "No vote you record has this reference." in page_of(response)  # they do not record the national's
    assert counts() == before
    response = client.post(url, {"rescind-vote": later_vote.pk})
    assert response.status_code == 302
    adopted.refresh_from_db()
    assert adopted.status == "rescinded"
    assert "Change by a vote" not in page_of(client.get(f"/mandates/{adopted.reference}/"))


def test_a_recorder_citing_a_vote_that_cannot_change_the_mandate_is_told_why_and_an_admin_is_not_found(
    client, org, secretary, admin, adopted, today
):
    national = meeting([org.national], present=org.nationals, held_on=today + timedelta(days=1))
    other = carried(national, mover=org.nationals[0])
    url = f"/mandates/{adopted.reference}/rescind/"
    person_for(admin)
    before = counts()
    client.force_login(admin)  # a site administrator who sits on neither body
    assert client.get(f"/mandates/{adopted.reference}/").status_code == 200
    assert client.post(url, {"rescind-vote_reference": other.reference}).status_code == 404
    assert counts() == before
    seat(Person.objects.get(user=secretary), org.national, role="secretary")  # now they record for both bodies
    before = counts()
    client.force_login(secretary)
    response = client.post(url, {"rescind-vote_reference": other.reference})
    assert response.status_code == 400
    assert "Only a vote of the body that adopted the mandate, or of a later convention, can change it." in page_of(
        response
    )
    assert counts() == before
