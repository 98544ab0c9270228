"""Statements need carried votes: the steering committee meets today, chaired by Dale, with Lee present, and carries
one motion for each vote a test asks for."""

from datetime import date

from django.utils import timezone

from rankfile.governance import actions as governance
from rankfile.governance.models import Meeting, VoteMethod
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org.models import SeatBasis, SeatRole
from rankfile.voice import statements
from rankfile.voice.models import Statement
from tests.cases import casebuilders as cb

APOLOGY = "We failed the members who reported harm, and we apologise to them."


def steering_meeting(org: cb.Org) -> Meeting:
    """Dale chairs the steering committee; its meeting today, with Lee and Dale present."""
    org_actions.person_seat(
        person=org["dale"].person,
        body=org.steering,
        basis=SeatBasis.ELECTED,
        role=SeatRole.CHAIR,
        starts_on=date(2020, 1, 1),
        by=OPERATOR,
    )
    meeting = governance.meeting_create(
        bodies=[org.steering], held_on=timezone.localdate(), title="Steering committee", by=org["dale"].user
    )
    governance.attendance_record(meeting=meeting, present=[org["lee"].person, org["dale"].person], by=org["dale"].user)
    return meeting


def carried(org: cb.Org, meeting: Meeting, text: str = "That the committee apologises to the members.") -> str:
    """A motion carried at ``meeting``: its vote's reference."""
    motion = governance.motion_make(
        meeting=meeting, text=text, mover=org["lee"].person, seconder=org["dale"].person, by=org["dale"].user
    )
    return governance.vote_record(motion=motion, method=VoteMethod.UNANIMOUS, by=org["dale"].user).reference


def apology(org: cb.Org, vote: str, *, visibility: str = "public", **more: object) -> Statement:
    """The steering committee's apology, adopted by ``vote``, published by its chair."""
    return statements.statement_publish(
        body=org.steering,
        kind="apology",
        visibility=visibility,
        title="An apology to the members",
        text=APOLOGY,
        vote_reference=vote,
        by=org["dale"].user,
        **more,  # type: ignore[arg-type]
    )
