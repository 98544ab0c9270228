"""Every write to membership-wide meetings: one is called on the governance tools, as a meeting of the body that calls
it (its recorders keep the record: agenda, attendance, motions, minutes), with an agenda the members brought (carried
petitions waiting for a meeting, and concerns still open); members in good standing attend it on its days.

Each is one atomic action on the ledger."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.deadlines import actions as deadlines
from rankfile.errors import Conflict, InvalidInput
from rankfile.governance import actions as governance
from rankfile.governance.models import Attendance, MeetingKind
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema as ls
from rankfile.org import queries as org_queries
from rankfile.org.models import Body
from rankfile.transactions import action
from rankfile.voice import statement_queries
from rankfile.voice.actions import PETITION_PLACED
from rankfile.voice.models import Concern, MembersMeeting, MembersMeetingItem, Petition, PetitionAim

MEMBERS_MEETING_CALLED = ls.define(
    "voice.members_meeting_called",
    label=gettext_lazy("A meeting of all members was called"),
    fields={"meeting": ls.ID, "call": ls.BOOL, "petitions": ls.COUNT, "concerns": ls.COUNT},
)
MEMBERS_MEETING_ATTENDED = ls.define(
    "voice.members_meeting_attended",
    label=gettext_lazy("A member attended a meeting of all members"),
    fields={"meeting": ls.ID},
)


def _agenda(agenda: str, petitions: Sequence[Petition], concerns: Sequence[Concern]) -> str:
    lines = [agenda.strip()] if agenda.strip() else []
    lines += [
        _("Petitioned by the members (%(reference)s): %(title)s") % {"reference": p.reference, "title": p.title}
        for p in petitions
    ]
    lines += [
        _("A member's concern to the %(body)s (%(reference)s): %(title)s")
        % {"body": c.body.name, "reference": c.reference, "title": c.title}
        for c in concerns
    ]
    return "\n\n".join(lines)


@action
def members_meeting_call(
    *,
    body: Body,
    held_on: date,
    title: str,
    by: Any,
    call: bool = False,
    place: str = "",
    agenda: str = "",
    petitions: Sequence[Petition] = (),
    concerns: Sequence[Concern] = (),
) -> MembersMeeting:
    """Call a meeting of all members (or a call), hosted by ``body``, whose recorders keep its record. Its agenda:
    the caller's items, then the carried petitions and the concerns chosen, each placed on it for good."""
    policy.require(by, "voice.call_members_meeting", body)
    if held_on < timezone.localdate():
        message = _("A meeting is called for today or a later day.")
        raise InvalidInput(message, code="in_the_past", field_errors={"held_on": [message]})
    waiting = set(statement_queries.petitions_for_the_members().values_list("pk", flat=True))
    if any(petition.pk not in waiting for petition in petitions):
        raise Conflict(_("A petition chosen is already on a meeting's agenda."), code="petition_placed")
    open_concerns = set(statement_queries.concerns_for_the_members().values_list("pk", flat=True))
    if any(concern.pk not in open_concerns for concern in concerns):
        raise Conflict(_("A concern chosen is closed, or private."), code="concern_closed")
    meeting = governance.meeting_create(
        bodies=[body],
        held_on=held_on,
        title=title,
        kind=MeetingKind.SPECIAL,
        place=place,
        agenda=_agenda(agenda, petitions, concerns),
        by=by,
    )
    members_meeting = MembersMeeting.objects.create(
        ledger_seq=ledger.next_seq(),
        meeting=meeting,
        call=bool(call),
        called_by=org_queries.person_of(user=by),
    )
    ledger.record(
        seq=members_meeting.ledger_seq,
        actor=by,
        action=MEMBERS_MEETING_CALLED,
        subject=meeting,
        data={
            "meeting": meeting.pk,
            "call": members_meeting.call,
            "petitions": len(petitions),
            "concerns": len(concerns),
        },
    )
    position = 0
    for petition in petitions:
        position += 1
        MembersMeetingItem.objects.create(members_meeting=members_meeting, position=position, petition=petition)
        petition.placed_on = meeting
        petition.save(update_fields=["placed_on"])
        ledger.record(
            actor=ledger.SYSTEM,
            action=PETITION_PLACED,
            subject=petition,
            data={"petition": petition.pk, "meeting": meeting.pk},
        )
        if petition.aim == PetitionAim.SPECIAL_MEETING:  # the meeting the petition asked for is called
            for deadline in deadlines.open_deadlines_for(petition):
                deadlines.deadline_met(deadline=deadline, by=ledger.SYSTEM)
    for concern in concerns:
        position += 1
        MembersMeetingItem.objects.create(members_meeting=members_meeting, position=position, concern=concern)
    return members_meeting


@action
def members_meeting_attend(*, members_meeting: MembersMeeting, by: Any) -> Attendance:
    """A member in good standing attends, on one of the meeting's days: on its attendance, without a vote unless
    they hold a seat on the body that hosts it."""
    policy.require(by, "voice.attend_members_meeting", members_meeting)
    person = org_queries.person_of(user=by)
    meeting = members_meeting.meeting
    if person is None or meeting.attendance.filter(person=person, departed=False).exists():
        raise Conflict(_("You are on this meeting's attendance already."), code="attending_already")
    governance.attendance_record(meeting=meeting, invited=[person], day=timezone.localdate(), by=ledger.SYSTEM)
    ledger.record(actor=by, action=MEMBERS_MEETING_ATTENDED, subject=meeting, data={"meeting": meeting.pk})
    return meeting.attendance.get(person=person)
