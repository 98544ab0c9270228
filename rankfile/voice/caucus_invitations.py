"""Invitations to a caucus, listed or not: a convener invites a member in good standing by name, with a note sealed
to the invitee and the conveners; the member accepts (and is a member) or declines. As every step in a caucus, each
is on the ledger as the system's, about the membership row, never naming the caucus."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.errors import Conflict, InvalidInput
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema as ls
from rankfile.org import queries as org_queries
from rankfile.org.models import Person
from rankfile.transactions import action
from rankfile.vault import documents
from rankfile.vault.keys import UnlockedKey, person_key
from rankfile.vault.models import Keypair, Version
from rankfile.voice import notify
from rankfile.voice.models import Caucus, CaucusMember, MemberStatus

CAUCUS_INVITED = ls.define(
    "voice.caucus_invited", label=gettext_lazy("A convener invited a member to a caucus"), fields={}
)
CAUCUS_INVITATION_ACCEPTED = ls.define(
    "voice.caucus_invitation_accepted", label=gettext_lazy("A member accepted an invitation to a caucus"), fields={}
)
CAUCUS_INVITATION_DECLINED = ls.define(
    "voice.caucus_invitation_declined", label=gettext_lazy("A member declined an invitation to a caucus"), fields={}
)
CAUCUS_INVITATION_READ = ls.define(
    "voice.caucus_invitation_read", label=gettext_lazy("A member read the note of an invitation to a caucus"), fields={}
)


def _conveners_keys(caucus: Caucus) -> list[Keypair]:
    conveners = caucus.members.filter(status=MemberStatus.ACTIVE, convener=True, person__user__isnull=False)
    found = [person_key(member.person.user) for member in conveners.select_related("person__user")]
    return [key for key in found if key is not None]


@action
def caucus_invite(*, caucus: Caucus, person: Person, note: str, by: Any) -> CaucusMember:
    """A convener invites ``person``, a member in good standing, to the caucus; the note, if any, is sealed to them and
    the conveners. They are told by email, which does not name the caucus."""
    policy.require(by, "voice.convene", caucus)
    if org_queries.status_on(person=person, day=timezone.localdate()) != "active":
        message = _("Only a member in good standing can be invited to a caucus.")
        raise InvalidInput(message, code="not_in_good_standing", field_errors={"person": [message]})
    note = (note or "").strip()
    if len(note) > 2000:
        message = _("Write the note in at most 2,000 characters.")
        raise InvalidInput(message, code="note", field_errors={"note": [message]})
    member = CaucusMember.objects.filter(caucus=caucus, person=person).first()
    if member is not None and member.status != MemberStatus.LEFT:
        raise Conflict(
            _("%(name)s belongs to the caucus, or has asked or been invited already.") % {"name": person.name}
        )
    if member is None:
        member = CaucusMember(caucus=caucus, person=person)
    member.status, member.convener = MemberStatus.INVITED, False
    if note:
        theirs = person_key(person.user) if person.user_id else None
        readers = _conveners_keys(caucus) + ([theirs] if theirs is not None else [])
        member.invitation = documents.seal(kind="caucus_invitation", content=note, readers=readers).document
    else:
        member.invitation = None
    member.save()
    ledger.record(actor=ledger.SYSTEM, action=CAUCUS_INVITED, subject=member)
    notify.invited_to_caucus(caucus, person=person)
    return member


def _invitation(caucus: Caucus, by: Any) -> CaucusMember:
    policy.require(by, "voice.answer_invitation", caucus)
    return CaucusMember.objects.get(caucus=caucus, person=org_queries.person_of(user=by), status=MemberStatus.INVITED)


@action
def caucus_invitation_accept(*, caucus: Caucus, by: Any) -> CaucusMember:
    """The invited member accepts: they belong to the caucus, and receive its space when a member next posts."""
    member = _invitation(caucus, by)
    member.status, member.joined_at, member.space_shared = MemberStatus.ACTIVE, timezone.now(), False
    member.save(update_fields=["status", "joined_at", "space_shared"])
    ledger.record(actor=ledger.SYSTEM, action=CAUCUS_INVITATION_ACCEPTED, subject=member)
    return member


@action
def caucus_invitation_decline(*, caucus: Caucus, by: Any) -> CaucusMember:
    """The invited member declines; a convener may invite them again later."""
    member = _invitation(caucus, by)
    member.status = MemberStatus.LEFT
    member.save(update_fields=["status"])
    ledger.record(actor=ledger.SYSTEM, action=CAUCUS_INVITATION_DECLINED, subject=member)
    return member


class InvitationRead(documents.Purpose):
    def __init__(self, member: CaucusMember) -> None:
        self.member = member

    def record_open(self, *, version: Version, reader: Keypair) -> None:
        ledger.record(actor=ledger.SYSTEM, action=CAUCUS_INVITATION_READ, subject=self.member)


@action
def caucus_invitation_note(*, caucus: Caucus, by: Any, key: UnlockedKey | None) -> str:
    """The note of the invitation waiting for ``by``, "" when there is none or no key opens it; the read is on the
    ledger."""
    member = _invitation(caucus, by)
    if member.invitation is None or key is None:
        return ""
    version = documents.latest(member.invitation)
    if not version.wrapped_keys.filter(keypair=key.keypair).exists():
        return ""
    return documents.open_text(version, key=key, purpose=InvitationRead(member))
