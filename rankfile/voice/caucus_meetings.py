"""A caucus's own meetings: its conveners schedule one with an agenda and write its minutes, both sealed for the
caucus's members as its posts are. Governance's meetings belong to bodies and are shown to every member; a caucus's
must be seen by its members alone, so they live here. Each step is on the ledger as the system's, about the meeting
row, never naming the caucus or the convener."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.errors import InvalidInput
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema as ls
from rankfile.org import queries as org_queries
from rankfile.transactions import action
from rankfile.vault import documents
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import Document
from rankfile.voice import actions
from rankfile.voice.models import Caucus, CaucusMeeting

CAUCUS_MEETING_SCHEDULED = ls.define(
    "voice.caucus_meeting_scheduled",
    label=gettext_lazy("A caucus's conveners scheduled a meeting (its agenda sealed for the members)"),
    fields={"held_on": ls.DATE, "sha256": ls.HASH},
)
CAUCUS_MINUTES_WRITTEN = ls.define(
    "voice.caucus_minutes_written",
    label=gettext_lazy("A caucus's conveners wrote the minutes of its meeting (sealed for the members)"),
    fields={"sha256": ls.HASH},
)


def _agenda_text(agenda: str) -> str:
    agenda = (agenda or "").strip()
    if not agenda or len(agenda) > 8000:
        message = _("Write the agenda, in at most 8,000 characters.")
        raise InvalidInput(message, code="agenda", field_errors={"agenda": [message]})
    return agenda


@action
def caucus_meeting_schedule(*, caucus: Caucus, held_on: date, agenda: str, by: Any) -> CaucusMeeting:
    """A convener schedules a meeting of the caucus, its agenda sealed to the members' keys. No body is asked."""
    policy.require(by, "voice.convene", caucus)
    if held_on < timezone.localdate():
        message = _("Choose today or a later day for the meeting.")
        raise InvalidInput(message, code="held_on", field_errors={"held_on": [message]})
    version = documents.seal(kind="caucus_agenda", content=_agenda_text(agenda), readers=actions.space_readers(caucus))
    convener = org_queries.person_of(user=by)
    assert convener is not None  # a convener is a member of the caucus, a person
    meeting = CaucusMeeting.objects.create(
        caucus=caucus, held_on=held_on, agenda=version.document, scheduled_by=convener
    )
    ledger.record(
        actor=ledger.SYSTEM,
        action=CAUCUS_MEETING_SCHEDULED,
        subject=meeting,
        data={"held_on": held_on.isoformat(), "sha256": bytes(version.sealed_hash).hex()},
    )
    return meeting


@action
def caucus_minutes_write(*, meeting: CaucusMeeting, minutes: str, by: Any) -> CaucusMeeting:
    """A convener writes (or corrects: a new version) the minutes of a meeting that has been held."""
    policy.require(by, "voice.convene", meeting.caucus)
    if meeting.held_on > timezone.localdate():
        raise InvalidInput(_("Minutes are written once the meeting has been held."), code="not_held")
    minutes = (minutes or "").strip()
    if not minutes or len(minutes) > 20000:
        message = _("Write the minutes, in at most 20,000 characters.")
        raise InvalidInput(message, code="minutes", field_errors={"minutes": [message]})
    version = documents.seal(
        kind="caucus_minutes",
        content=minutes,
        readers=actions.space_readers(meeting.caucus),
        document=meeting.minutes,
    )
    if meeting.minutes_id is None:
        meeting.minutes = version.document
        meeting.save(update_fields=["minutes"])
    ledger.record(
        actor=ledger.SYSTEM,
        action=CAUCUS_MINUTES_WRITTEN,
        subject=meeting,
        data={"sha256": bytes(version.sealed_hash).hex()},
    )
    return meeting


@dataclass(frozen=True)
class OpenedMeeting:
    meeting: CaucusMeeting
    agenda: str
    minutes: str = ""
    held: bool = False


def _open(document: Document | None, key: UnlockedKey, purpose: documents.Purpose) -> str | None:
    if document is None:
        return ""
    version = documents.latest(document)
    if not version.wrapped_keys.filter(keypair=key.keypair).exists():
        return None
    return documents.open_text(version, key=key, purpose=purpose)


def opened_meetings(caucus: Caucus, *, key: UnlockedKey, purpose: documents.Purpose) -> list[OpenedMeeting]:
    """The caucus's meetings whose agenda ``key`` opens, latest first (for ``caucus_space_read``, which checks who
    reads and records the read)."""
    found = []
    today = timezone.localdate()
    for meeting in caucus.meetings.select_related("agenda", "minutes"):
        agenda = _open(meeting.agenda, key, purpose)
        if agenda is None:
            continue
        minutes = _open(meeting.minutes, key, purpose) or ""
        found.append(OpenedMeeting(meeting=meeting, agenda=agenda, minutes=minutes, held=meeting.held_on <= today))
    return found


@action
def caucus_minutes_open(*, meeting: CaucusMeeting, by: Any, key: UnlockedKey) -> str:
    """The minutes as written so far ("" for none), for a convener to correct them; the read is on the ledger."""
    policy.require(by, "voice.convene", meeting.caucus)
    purpose = actions.CaucusRead()
    found = _open(meeting.minutes, key, purpose) or ""
    purpose.record()
    return found
