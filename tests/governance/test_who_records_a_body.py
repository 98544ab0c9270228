"""A body's record is written by those who sit on it: its chair, vice chair or secretary records its meetings
(attendance, agenda, minutes, motions, votes, the mandates and seats a vote makes), changes the mandates it adopted
and publishes its statements; whoever sits on a mandate's responsible body posts its progress. A site administrator
who does not sit on the body is refused every one of these exactly as if the thing did not exist, on the page, as
JSON and in the action, and nothing is written; seated as its secretary, they record as anyone seated does."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from rankfile.errors import NotAllowed
from rankfile.governance import actions, mandates, seating
from rankfile.governance.models import Mandate, Meeting, Motion, Vote
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org.models import Person
from rankfile.voice import members_meetings, statements
from tests.governance.builders import carried, meeting, organization, person_for, seat
from tests.org.builders import enrolled

pytestmark = pytest.mark.django_db

CSRF = re.compile(r"\b[A-Za-z0-9]{64}\b")  # a masked CSRF token: different in every response


@dataclass
class World:
    held: Meeting  # the steering committee's, today, the stewards present
    pending: Motion  # on it, not yet voted on
    vote: Vote  # carried there, and not yet acted on
    adopted: Mandate  # adopted by an earlier carried vote there; the steering committee is responsible
    later: Vote  # carried after the adoption: it may change the mandate
    guest: Person  # a member to invite
    candidate: Person  # a member to seat by the vote
    secretary: Any  # Lee: the steering committee's secretary
    admin: Any  # a site administrator and a member in good standing, on no body


@pytest.fixture
def world(leader, admin) -> World:
    org = organization()
    seat(person_for(leader), org.steering, role="secretary")
    person_for(admin)
    held = meeting([org.steering], present=org.stewards, held_on=timezone.localdate())
    adopted = mandates.mandate_adopt(
        vote=carried(held, mover=org.stewards[0], text="That the budget be published."),
        title="Publish the budget",
        text="Publish it.",
        responsible_body=org.steering,
        due_within_days=30,
        by=OPERATOR,
    )
    candidate = enrolled("Cam Candidate")
    seat_cam = actions.motion_make(
        meeting=held, text="That Cam be seated.", mover=org.stewards[0], concerns=[candidate], by=OPERATOR
    )
    return World(
        held=held,
        pending=actions.motion_make(meeting=held, text="That we adjourn.", mover=org.stewards[1], by=OPERATOR),
        vote=actions.vote_record(motion=seat_cam, method="unanimous", by=OPERATOR),
        adopted=adopted,
        later=carried(held, mover=org.stewards[2], text="That the budget wait."),
        guest=enrolled("Gus Guest"),
        candidate=candidate,
        secretary=leader,
        admin=admin,
    )


def _same_page(body: str) -> str:
    return CSRF.sub("{csrf}", body)


def _steward(w: World) -> Any:
    return w.held.attendance.order_by("pk").first().person  # type: ignore[union-attr]


WRITES: dict[str, Callable[[World, Any], object]] = {
    "create a meeting": lambda w, by: actions.meeting_create(
        bodies=list(w.held.bodies.all()), held_on=timezone.localdate(), title="Steering, again", by=by
    ),
    "set the agenda": lambda w, by: actions.agenda_set(meeting=w.held, text="1. Reports", by=by),
    "record attendance": lambda w, by: actions.attendance_record(meeting=w.held, invited=[w.guest], by=by),
    "record a departure": lambda w, by: actions.attendance_depart(meeting=w.held, person=_steward(w), by=by),
    "record the minutes": lambda w, by: actions.minutes_record(meeting=w.held, text="We met.", by=by),
    "make a motion": lambda w, by: actions.motion_make(meeting=w.held, text="That we eat.", mover=_steward(w), by=by),
    "withdraw a motion": lambda w, by: actions.motion_withdraw(motion=w.pending, by=by),
    "record a vote": lambda w, by: actions.vote_record(motion=w.pending, method="unanimous", by=by),
    "adopt a mandate": lambda w, by: mandates.mandate_adopt(
        vote=w.vote,
        title="Seat Cam",
        text="Seat Cam.",
        responsible_body=w.adopted.responsible_body,
        due_within_days=30,
        by=by,
    ),
    "amend a mandate": lambda w, by: mandates.mandate_amend(mandate=w.adopted, vote=w.later, title="Later", by=by),
    "extend a mandate": lambda w, by: mandates.mandate_extend(
        mandate=w.adopted, vote=w.later, due_within_days=60, by=by
    ),
    "rescind a mandate": lambda w, by: mandates.mandate_rescind(mandate=w.adopted, vote=w.later, by=by),
    "post progress": lambda w, by: mandates.progress_post(
        mandate=w.adopted, status="in_progress", text="Begun.", by=by
    ),
    "seat someone elected": lambda w, by: seating.seat_by_election(
        vote=w.vote,
        person=w.candidate,
        body=w.adopted.responsible_body,
        starts_on=timezone.localdate(),
        by=by,
    ),
    "publish a statement": lambda w, by: statements.statement_publish(
        body=w.adopted.responsible_body,
        kind="statement",
        visibility="members",
        title="On the budget",
        text="We will publish it.",
        vote_reference=w.vote.reference,
        by=by,
    ),
    "call a meeting of all members": lambda w, by: members_meetings.members_meeting_call(
        body=w.adopted.responsible_body, held_on=timezone.localdate(), title="All members", by=by
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_a_site_administrator_not_on_the_body_is_refused_and_its_secretary_is_not(world: World, write: str) -> None:
    before = Entry.objects.count()
    with pytest.raises(NotAllowed):
        WRITES[write](world, world.admin)
    assert Entry.objects.count() == before
    WRITES[write](world, world.secretary)
    assert Entry.objects.count() > before


def test_a_site_administrator_seated_as_the_bodys_secretary_records_as_anyone_seated_does(world: World) -> None:
    seat(Person.objects.get(user=world.admin), world.adopted.responsible_body, role="secretary")
    motion = actions.motion_make(meeting=world.held, text="That we close.", mover=_steward(world), by=world.admin)
    assert actions.vote_record(motion=motion, method="unanimous", by=world.admin).result == "carried"


def test_on_the_pages_and_as_json_a_site_administrator_not_on_the_body_finds_nothing_to_record(
    world: World, client
) -> None:
    reference, number = world.held.reference, world.pending.number
    client.force_login(world.admin)
    page = client.get(f"/meetings/{reference}/").content.decode()
    assert "Record attendance" not in page
    assert f'action="/meetings/{reference}/motions/{number}/vote/"' not in page
    before = Entry.objects.count()
    for url, data in (
        (f"/meetings/{reference}/motions/{number}/vote/", {"method": "unanimous"}),
        (f"/meetings/{reference}/minutes/", {"minutes-text": "We met."}),
        (f"/meetings/{reference}/agenda/", {"agenda-agenda": "1. Reports"}),
        (f"/mandates/{world.adopted.reference}/", {"status": "in_progress", "text": "Begun."}),
    ):
        made_up = url.replace(reference, "XX-1999-01-01").replace(world.adopted.reference, "M-1999-1")
        for accept in ("text/html", "application/json"):
            refused = client.post(url, data, headers={"Accept": accept})
            missing = client.post(made_up, data, headers={"Accept": accept})
            assert refused.status_code == missing.status_code == 404, url
            assert _same_page(refused.content.decode().replace(url, made_up)) == _same_page(missing.content.decode())
    assert Entry.objects.count() == before
    client.force_login(world.secretary)
    recorded = client.post(f"/meetings/{reference}/motions/{number}/vote/", {"method": "unanimous"})
    assert recorded.status_code == 302
    assert Vote.objects.filter(motion=world.pending).exists()
