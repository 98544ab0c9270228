"""Every write to members' voice: one atomic function per use case, each on the ledger.

The ledger is read by every member, so an entry about a caucus never names who belongs to it: what a member does in
a caucus (signing, joining, posting, leaving) is recorded as the system's, about the membership row or the post,
with no caucus named; the caucus's forming is recorded with its founders counted, not named. An anonymous concern
is on the ledger as the system's too: the body must not learn its author from there."""

import math
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rankfile import policy
from rankfile.deadlines import actions as deadlines
from rankfile.errors import Conflict, InvalidInput
from rankfile.governance import actions as governance
from rankfile.governance import queries as governance_queries
from rankfile.governance.models import Meeting, MeetingKind
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema as ls
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, Person
from rankfile.transactions import action
from rankfile.vault import documents
from rankfile.vault.keys import UnlockedKey, person_key
from rankfile.vault.models import Document, Keypair
from rankfile.voice import notify, timers
from rankfile.voice.models import (
    Caucus,
    CaucusMember,
    CaucusPost,
    Concern,
    ConcernSupport,
    JoinRule,
    MemberStatus,
    Petition,
    PetitionAim,
    PetitionSignature,
)

CAUCUS_PROPOSED = ls.define(
    "voice.caucus_proposed",
    label=gettext_lazy("Members proposed a caucus and named its founders"),
    fields={"founders": ls.COUNT},
)
FOUNDING_SIGNED = ls.define(
    "voice.founding_signed", label=gettext_lazy("A founder signed a caucus's founding statement"), fields={}
)
CAUCUS_FORMED = ls.define(
    "voice.caucus_formed",
    label=gettext_lazy("A caucus was formed: the bylaws' minimum of founders signed its statement"),
    fields={"founders": ls.COUNT},
)
CAUCUS_JOINED = ls.define("voice.caucus_joined", label=gettext_lazy("A member joined a caucus"), fields={})
CAUCUS_JOIN_ASKED = ls.define(
    "voice.caucus_join_asked", label=gettext_lazy("A member asked to join a caucus"), fields={}
)
CAUCUS_LEFT = ls.define("voice.caucus_left", label=gettext_lazy("A member left a caucus"), fields={})
CAUCUS_POSTED = ls.define(
    "voice.caucus_posted",
    label=gettext_lazy("A member posted in a caucus's space (sealed for its members)"),
    fields={"sha256": ls.HASH, "shared_with_new": ls.COUNT},
)
CAUCUS_SPACE_READ = ls.define(
    "voice.caucus_space_read",
    label=gettext_lazy("A member read a caucus's space"),
    fields={"posts": ls.COUNT, "files": ls.COUNT, "meetings": ls.COUNT},
)
CONCERN_RAISED = ls.define(
    "voice.concern_raised",
    label=gettext_lazy("A member raised a concern to a body"),
    fields={"body": ls.ID, "anonymous": ls.BOOL, "private": ls.BOOL},
)
CONCERN_ANSWERED = ls.define(
    "voice.concern_answered", label=gettext_lazy("A body answered a concern"), fields={"concern": ls.ID}
)
CONCERN_CLOSED = ls.define(
    "voice.concern_closed", label=gettext_lazy("A concern was closed after its answer"), fields={"concern": ls.ID}
)
CONCERN_SUPPORTED = ls.define(
    "voice.concern_supported", label=gettext_lazy("A member added their name to a concern"), fields={"concern": ls.ID}
)
PETITION_STARTED = ls.define(
    "voice.petition_started",
    label=gettext_lazy("A member started a petition to a body"),
    fields={"body": ls.ID, "aim": ls.CODE},
)
PETITION_SIGNED = ls.define(
    "voice.petition_signed", label=gettext_lazy("A member signed a petition"), fields={"petition": ls.ID}
)
PETITION_WITHDRAWN = ls.define(
    "voice.petition_withdrawn",
    label=gettext_lazy("A member withdrew their signature from a petition"),
    fields={"petition": ls.ID},
)
PETITION_REACHED = ls.define(
    "voice.petition_reached",
    label=gettext_lazy("A petition reached the bylaws' share of the members in good standing"),
    fields={"petition": ls.ID, "signatures": ls.COUNT, "needed": ls.COUNT},
)
PETITION_FROM_CONCERN = ls.define(
    "voice.petition_from_concern",
    label=gettext_lazy("A concern was made a petition: the names added to it count as signatures"),
    fields={"petition": ls.ID, "concern": ls.ID, "signatures": ls.COUNT},
)
PETITION_PLACED = ls.define(
    "voice.petition_placed",
    label=gettext_lazy("A petition's item was placed on the body's next meeting"),
    fields={"petition": ls.ID, "meeting": ls.ID},
)


def voice_rules(*, day: Any = None) -> dict[str, Any]:
    """What the bylaws in force say about members' voice (the defaults for a version adopted before they did)."""
    from rankfile.org import bylaws

    found = org_queries.bylaws_document(day=day or timezone.localdate()).get("voice", {})
    return {**bylaws.defaults()["voice"], **found}


def _refuse(field: str, message: str, *, code: str) -> InvalidInput:
    return InvalidInput(message, code=code, field_errors={field: [message]})


def _person(by: Any) -> Person:
    person = org_queries.person_of(user=by)
    if person is None:
        raise InvalidInput(_("Only a member can do this."), code="not_a_person")
    return person


def _in_good_standing(person: Person) -> bool:
    return org_queries.status_on(person=person, day=timezone.localdate()) == "active"


def _text(field: str, value: str, *, most: int, what: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > most:
        message = _("Write %(what)s, in at most %(most)s characters.") % {"what": what, "most": f"{most:,}"}
        raise _refuse(field, message, code=field)
    return value


# --- caucuses ---------------------------------------------------------------------------------------------------


@action
def caucus_propose(
    *,
    name: str,
    purpose: str,
    founding_statement: str,
    join_rule: str,
    listed: bool,
    founders: list[Person],
    by: Any,
) -> Caucus:
    """Propose a caucus: its statement, and the founders (the proposer among them) who are to sign it. The
    proposer signs at once; the caucus forms when the bylaws' minimum have signed. No body approves it."""
    policy.require(by, "voice.form_caucus")
    proposer = _person(by)
    name = _text("name", name, most=120, what=_("the caucus's name"))
    purpose = _text("purpose", purpose, most=2000, what=_("its purpose"))
    founding_statement = _text("founding_statement", founding_statement, most=8000, what=_("its founding statement"))
    if join_rule not in JoinRule.values:
        raise _refuse("join_rule", _("Choose who may join."), code="join_rule")
    everyone = {proposer.pk: proposer, **{person.pk: person for person in founders}}
    minimum = int(voice_rules()["caucus_minimum"])
    if len(everyone) < minimum:
        message = _("Name at least %(count)d founders, yourself included: the bylaws' minimum for a caucus.") % {
            "count": minimum
        }
        raise _refuse("founders", message, code="too_few_founders")
    refused = sorted(person.name for person in everyone.values() if not _in_good_standing(person))
    if refused:
        message = _("Only members in good standing can found a caucus; not %(names)s.") % {"names": ", ".join(refused)}
        raise _refuse("founders", message, code="founder_not_in_good_standing")
    caucus = Caucus.objects.create(
        ledger_seq=ledger.next_seq(),
        name=name,
        purpose=purpose,
        founding_statement=founding_statement,
        join_rule=join_rule,
        listed=bool(listed),
    )
    ledger.record(
        seq=caucus.ledger_seq,
        actor=ledger.SYSTEM,
        action=CAUCUS_PROPOSED,
        subject=caucus,
        data={"founders": len(everyone)},
    )
    for person in everyone.values():
        CaucusMember.objects.create(caucus=caucus, person=person, status=MemberStatus.NAMED, convener=True)
    founding_sign(caucus=caucus, by=by)
    caucus.refresh_from_db()
    notify.founders_to_sign(caucus, proposer=proposer)
    return caucus


@action
def founding_sign(*, caucus: Caucus, by: Any) -> CaucusMember:
    """A named founder signs the founding statement; the signature that reaches the bylaws' minimum forms the caucus.
    Founders are its first conveners."""
    policy.require(by, "voice.sign_founding", caucus)
    Caucus.objects.select_for_update().filter(pk=caucus.pk).first()
    member = CaucusMember.objects.get(caucus=caucus, person=_person(by))
    now = timezone.now()
    member.status, member.signed_at, member.joined_at, member.space_shared = MemberStatus.ACTIVE, now, now, True
    member.save(update_fields=["status", "signed_at", "joined_at", "space_shared"])
    ledger.record(actor=ledger.SYSTEM, action=FOUNDING_SIGNED, subject=member)
    signed = caucus.members.filter(status=MemberStatus.ACTIVE).count()
    if signed >= int(voice_rules()["caucus_minimum"]):
        caucus.formed_at = now
        caucus.save(update_fields=["formed_at"])
        ledger.record(actor=ledger.SYSTEM, action=CAUCUS_FORMED, subject=caucus, data={"founders": signed})
    return member


def _activate(member: CaucusMember) -> None:
    member.status, member.joined_at, member.space_shared = MemberStatus.ACTIVE, timezone.now(), False
    member.convener = False
    member.save(update_fields=["status", "joined_at", "space_shared", "convener"])
    ledger.record(actor=ledger.SYSTEM, action=CAUCUS_JOINED, subject=member)


@action
def caucus_join(*, caucus: Caucus, by: Any) -> CaucusMember:
    """Join a listed caucus: at once where it is open to all, else as a request its conveners approve."""
    policy.require(by, "voice.see_caucus", caucus)
    policy.require(by, "voice.join_caucus", caucus)
    person = _person(by)
    member, _created = CaucusMember.objects.get_or_create(
        caucus=caucus, person=person, defaults={"status": MemberStatus.ASKED}
    )
    if caucus.join_rule == JoinRule.OPEN:
        _activate(member)
    else:
        member.status = MemberStatus.ASKED
        member.save(update_fields=["status"])
        ledger.record(actor=ledger.SYSTEM, action=CAUCUS_JOIN_ASKED, subject=member)
    return member


def space_documents(caucus: Caucus) -> list[Document]:
    """Every sealed document of the caucus's space: its posts, its files, its meetings' agendas and minutes."""
    posts = [post.document for post in caucus.posts.select_related("document")]
    files = [item.document for item in caucus.files.select_related("document")]
    meetings = caucus.meetings.select_related("agenda", "minutes")
    return posts + files + [document for m in meetings for document in (m.agenda, m.minutes) if document is not None]


def share_space(caucus: Caucus, *, key: UnlockedKey, members: list[CaucusMember]) -> int:
    """Give ``members`` every post and file ``key`` can open; they read the space from here on."""
    given = 0
    for member in members:
        theirs = person_key(member.person.user) if member.person.user_id else None
        if theirs is None:
            continue
        for document in space_documents(caucus):
            given += documents.grant(document=document, to=theirs, by=key)
        member.space_shared = True
        member.save(update_fields=["space_shared"])
    return given


@action
def join_approve(*, member: CaucusMember, by: Any, key: UnlockedKey) -> CaucusMember:
    """A convener lets in a member who asked, and gives them the space's posts with the convener's own key."""
    policy.require(by, "voice.convene", member.caucus)
    if member.status != MemberStatus.ASKED:
        raise Conflict(_("This member has not asked to join."), code="not_asked")
    _activate(member)
    share_space(member.caucus, key=key, members=[member])
    return member


@action
def caucus_leave(*, caucus: Caucus, by: Any) -> CaucusMember:
    """Leave a caucus: its posts and files are taken back from every key of the member's."""
    policy.require(by, "voice.read_caucus", caucus)
    member = CaucusMember.objects.get(caucus=caucus, person=_person(by))
    own = person_key(by)
    if own is not None:
        for document in space_documents(caucus):
            documents.revoke(document=document, reader=own)
    member.status, member.convener = MemberStatus.LEFT, False
    member.save(update_fields=["status", "convener"])
    ledger.record(actor=ledger.SYSTEM, action=CAUCUS_LEFT, subject=member)
    return member


def space_readers(caucus: Caucus) -> list[Keypair]:
    """The current keys of the caucus's active members."""
    found = [
        person_key(member.person.user)
        for member in caucus.members.filter(status=MemberStatus.ACTIVE, person__user__isnull=False).select_related(
            "person__user"
        )
    ]
    return [key for key in found if key is not None]


@action
def caucus_post(*, caucus: Caucus, text: str, by: Any, key: UnlockedKey) -> CaucusPost:
    """Post in the caucus's space, sealed to its members' keys. The poster's key also gives the earlier posts to
    any member who joined since the space was last shared."""
    policy.require(by, "voice.read_caucus", caucus)
    text = _text("text", text, most=8000, what=_("your post"))
    waiting = list(caucus.members.filter(status=MemberStatus.ACTIVE, space_shared=False).select_related("person"))
    shared = share_space(caucus, key=key, members=waiting)
    version = documents.seal(kind="caucus_post", content=text, readers=space_readers(caucus))
    post = CaucusPost.objects.create(caucus=caucus, author=_person(by), document=version.document)
    ledger.record(
        actor=ledger.SYSTEM,
        action=CAUCUS_POSTED,
        subject=post,
        data={"sha256": bytes(version.sealed_hash).hex(), "shared_with_new": len(waiting) if shared or waiting else 0},
    )
    return post


class CaucusRead(documents.Purpose):
    """A read of a caucus's space: one entry for the page, counting the posts, files (their names) and meetings'
    agendas and minutes opened, naming neither the reader nor the caucus."""

    def __init__(self) -> None:
        self.posts = 0
        self.files = 0
        self.meetings = 0

    def record_open(self, *, version: Any, reader: Keypair) -> None:
        if version.blob:
            self.files += 1
        elif version.document.kind == "caucus_post":
            self.posts += 1
        else:
            self.meetings += 1

    def record(self) -> None:
        if self.posts or self.files or self.meetings:
            data = {"posts": self.posts}
            data.update({name: count for name, count in (("files", self.files), ("meetings", self.meetings)) if count})
            ledger.record(actor=ledger.SYSTEM, action=CAUCUS_SPACE_READ, subject=None, data=data)


@action
def caucus_space_open(
    *, caucus: Caucus, by: Any, key: UnlockedKey | None, most: int = 50
) -> list[tuple[CaucusPost, str]]:
    """The latest posts of the caucus's space, opened with ``key``; a post the key cannot open yet (a member who
    joined since it was written) is left out. The read is on the ledger."""
    policy.require(by, "voice.read_caucus", caucus)
    if key is None:
        return []
    purpose = CaucusRead()
    opened: list[tuple[CaucusPost, str]] = []
    for post in caucus.posts.select_related("author", "document")[:most]:
        version = documents.latest(post.document)
        if not version.wrapped_keys.filter(keypair=key.keypair).exists():
            continue
        opened.append((post, documents.open_text(version, key=key, purpose=purpose)))
    purpose.record()
    return opened


# --- concerns ---------------------------------------------------------------------------------------------------


def _within_signatures_per_day(person: Person) -> None:
    """Petition signatures and "me too" names count together: at most the bylaws' number in the last day."""
    since = timezone.now() - timedelta(days=1)
    given = PetitionSignature.objects.filter(person=person, signed_at__gt=since).count()
    given += ConcernSupport.objects.filter(person=person, created_at__gt=since).count()
    most = int(voice_rules()["signatures_per_day"])
    if given >= most:
        message = ngettext(
            "You have signed a petition or added your name to a concern %(count)d time in the last day, the most "
            "the bylaws allow. Try again tomorrow.",
            "You have signed petitions or added your name to concerns %(count)d times in the last day, the most "
            "the bylaws allow. Try again tomorrow.",
            given,
        )
        raise InvalidInput(message % {"count": given}, code="rate_limited")


def _next_reference(year: int) -> str:
    taken = Concern.objects.filter(reference__startswith=f"CN-{year}-").count()
    return f"CN-{year}-{taken + 1}"


@action
def concern_raise(*, body: Body, title: str, text: str, anonymous: bool, private: bool, by: Any) -> Concern:
    """Raise a concern to ``body``, which must answer within the bylaws' days (a timer; the oversight body is
    alerted when it passes). At most the bylaws' number a day for each member."""
    policy.require(by, "voice.raise_concern")
    author = _person(by)
    rules = voice_rules()
    now = timezone.now()
    today = Concern.objects.filter(author=author, raised_at__gt=now - timedelta(days=1)).count()
    if today >= int(rules["concerns_per_day"]):
        message = ngettext(
            "You have raised %(count)d concern in the last day, the most the bylaws allow. Try again tomorrow.",
            "You have raised %(count)d concerns in the last day, the most the bylaws allow. Try again tomorrow.",
            today,
        )
        raise InvalidInput(message % {"count": today}, code="rate_limited")
    title = _text("title", title, most=200, what=_("a title"))
    text = _text("text", text, most=8000, what=_("your concern"))
    concern = Concern.objects.create(
        ledger_seq=ledger.next_seq(),
        reference=_next_reference(now.year),
        body=body,
        author=author,
        anonymous=bool(anonymous),
        private=bool(private),
        title=title,
        text=text,
        raised_at=now,
        due_at=now + timedelta(days=int(rules["concern_answer_days"])),
    )
    ledger.record(
        seq=concern.ledger_seq,
        actor=ledger.SYSTEM if concern.anonymous else by,
        action=CONCERN_RAISED,
        subject=concern,
        data={"body": body.pk, "anonymous": concern.anonymous, "private": concern.private},
    )
    deadlines.deadline_set(
        kind=timers.ANSWER_CONCERN.code,
        subject=concern,
        due_at=concern.due_at,
        body=body,
        remind_before=timers.REMIND_BEFORE,
        by=ledger.SYSTEM,
    )
    notify.concern_to_body(concern)
    return concern


@action
def concern_answer(*, concern: Concern, answer: str, by: Any) -> Concern:
    """The body answers (or answers again, which replaces the answer); the timer is met."""
    policy.require(by, "voice.see_concern", concern)
    policy.require(by, "voice.answer_concern", concern)
    concern.answer = _text("answer", answer, most=8000, what=_("the body's answer"))
    concern.answered_at, concern.answered_by = timezone.now(), _person(by)
    concern.save(update_fields=["answer", "answered_at", "answered_by"])
    ledger.record(actor=by, action=CONCERN_ANSWERED, subject=concern, data={"concern": concern.pk})
    for deadline in deadlines.open_deadlines_for(concern):
        deadlines.deadline_met(deadline=deadline, by=by)
    notify.concern_answered(concern, by=concern.answered_by)
    return concern


@action
def concern_close(*, concern: Concern, by: Any) -> Concern:
    """Close an answered concern. One without an answer cannot be closed: the body owes it."""
    policy.require(by, "voice.see_concern", concern)
    policy.require(by, "voice.close_concern", concern)
    if concern.answered_at is None:
        raise Conflict(_("A concern is closed only once the body has answered it."), code="unanswered")
    concern.closed_at = timezone.now()
    concern.save(update_fields=["closed_at"])
    actor = ledger.SYSTEM if concern.anonymous and concern.author_id == _person(by).pk else by
    ledger.record(actor=actor, action=CONCERN_CLOSED, subject=concern, data={"concern": concern.pk})
    return concern


@action
def concern_support(*, concern: Concern, by: Any) -> ConcernSupport:
    """Add one's name to a concern ("me too")."""
    policy.require(by, "voice.see_concern", concern)
    policy.require(by, "voice.support_concern", concern)
    person = _person(by)
    if ConcernSupport.objects.filter(concern=concern, person=person).exists():
        raise Conflict(_("Your name is on this concern already."), code="supported_already")
    _within_signatures_per_day(person)
    support = ConcernSupport.objects.create(concern=concern, person=person)
    ledger.record(actor=by, action=CONCERN_SUPPORTED, subject=support, data={"concern": concern.pk})
    return support


# --- petitions --------------------------------------------------------------------------------------------------


def _next_petition_reference(year: int) -> str:
    taken = Petition.objects.filter(reference__startswith=f"PT-{year}-").count()
    return f"PT-{year}-{taken + 1}"


def petition_count(*, petition: Petition) -> tuple[int, int]:
    """(signatures of members in good standing today, signatures needed): the bylaws' share of the roster today."""
    today = timezone.localdate()
    in_good_standing = org_queries.people_with_status(status="active", day=today)
    needed = max(1, math.ceil(float(voice_rules()["petition_share"]) * in_good_standing.count()))
    signed = petition.signatures.filter(person__in=in_good_standing.values("pk")).count()
    return signed, needed


@action
def petition_start(*, body: Body, aim: str, title: str, text: str, by: Any) -> Petition:
    """Start a petition to ``body`` (the convention is one) and sign it first."""
    policy.require(by, "voice.start_petition")
    if aim not in PetitionAim.values:
        raise _refuse("aim", _("Choose what the petition asks."), code="aim")
    title = _text("title", title, most=200, what=_("a title"))
    text = _text("text", text, most=8000, what=_("what the members ask"))
    now = timezone.now()
    petition = Petition.objects.create(
        ledger_seq=ledger.next_seq(),
        reference=_next_petition_reference(now.year),
        body=body,
        aim=aim,
        title=title,
        text=text,
        started_by=_person(by),
        started_at=now,
    )
    ledger.record(
        seq=petition.ledger_seq,
        actor=by,
        action=PETITION_STARTED,
        subject=petition,
        data={"body": body.pk, "aim": aim},
    )
    petition_sign(petition=petition, by=by)
    petition.refresh_from_db()
    return petition


@action
def petition_sign(*, petition: Petition, by: Any) -> PetitionSignature:
    """Sign a petition; the signature that reaches the bylaws' share carries it."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)  # another signature may have carried it
    policy.require(by, "voice.see_petition", petition)
    policy.require(by, "voice.sign_petition", petition)
    person = _person(by)
    if PetitionSignature.objects.filter(petition=petition, person=person).exists():
        raise Conflict(_("You have signed this petition already."), code="signed_already")
    _within_signatures_per_day(person)
    signature = PetitionSignature.objects.create(petition=petition, person=person)
    ledger.record(actor=by, action=PETITION_SIGNED, subject=signature, data={"petition": petition.pk})
    signed, needed = petition_count(petition=petition)
    if petition.reached_at is None and signed >= needed:
        _petition_reached(petition, signed=signed, needed=needed)
    return signature


@action
def petition_from_concern(*, concern: Concern, aim: str, by: Any) -> Petition:
    """The author of a signed, public concern makes it a petition to the same body: they sign it first, and each
    member who added their name ("me too") counts as a signer, as of when they added it, and may withdraw until the
    petition reaches its threshold."""
    policy.require(by, "voice.see_concern", concern)
    policy.require(by, "voice.petition_concern", concern)
    petition = petition_start(body=concern.body, aim=aim, title=concern.title, text=concern.text, by=by)
    petition.from_concern = concern
    petition.save(update_fields=["from_concern"])
    carried = 0
    for support in concern.supporters.exclude(person=concern.author).select_related("person"):
        if _in_good_standing(support.person):
            PetitionSignature.objects.create(petition=petition, person=support.person, signed_at=support.created_at)
            carried += 1
    ledger.record(
        actor=by,
        action=PETITION_FROM_CONCERN,
        subject=petition,
        data={"petition": petition.pk, "concern": concern.pk, "signatures": carried},
    )
    signed, needed = petition_count(petition=petition)
    if petition.reached_at is None and signed >= needed:
        _petition_reached(petition, signed=signed, needed=needed)
    return petition


@action
def petition_withdraw(*, petition: Petition, by: Any) -> Petition:
    """Take one's signature back: allowed until the petition reaches its threshold."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    policy.require(by, "voice.see_petition", petition)
    if petition.reached_at is not None:
        raise Conflict(
            _("The petition has reached its threshold: signatures can no longer be withdrawn."), code="reached"
        )
    signature = PetitionSignature.objects.filter(petition=petition, person=_person(by)).first()
    if signature is None:
        raise Conflict(_("You have not signed this petition."), code="not_signed")
    ledger.record(actor=by, action=PETITION_WITHDRAWN, subject=petition, data={"petition": petition.pk})
    signature.delete()
    return petition


def _petition_reached(petition: Petition, *, signed: int, needed: int) -> None:
    now = timezone.now()
    petition.reached_at, petition.signatures_when_reached, petition.needed_when_reached = now, signed, needed
    fields = ["reached_at", "signatures_when_reached", "needed_when_reached"]
    if petition.aim == PetitionAim.SPECIAL_MEETING:
        petition.call_by = now + timedelta(days=int(voice_rules()["special_meeting_days"]))
        fields.append("call_by")
    petition.save(update_fields=fields)
    ledger.record(
        actor=ledger.SYSTEM,
        action=PETITION_REACHED,
        subject=petition,
        data={"petition": petition.pk, "signatures": signed, "needed": needed},
    )
    if petition.aim == PetitionAim.SPECIAL_MEETING:
        assert petition.call_by is not None
        deadlines.deadline_set(
            kind=timers.CALL_SPECIAL_MEETING.code,
            subject=petition,
            due_at=petition.call_by,
            body=petition.body,
            remind_before=timers.REMIND_BEFORE,
            by=ledger.SYSTEM,
        )
    else:
        _petition_place(petition)


def _petition_place(petition: Petition, *, meeting: Meeting | None = None) -> bool:
    """Put the petition's item at the end of the agenda of ``meeting`` (by default the body's next one); False while
    none is scheduled."""
    meeting = meeting or governance_queries.next_meeting_of(body=petition.body, after=timezone.localdate())
    if meeting is None:
        return False
    item = _("Petitioned by the members (%(reference)s): %(title)s") % {
        "reference": petition.reference,
        "title": petition.title,
    }
    governance.agenda_item_petitioned(meeting=meeting, item=item)
    petition.placed_on = meeting
    petition.save(update_fields=["placed_on"])
    ledger.record(
        actor=ledger.SYSTEM,
        action=PETITION_PLACED,
        subject=petition,
        data={"petition": petition.pk, "meeting": meeting.pk},
    )
    return True


@action
def petitions_follow_up(*, now: datetime | None = None) -> int:
    """The periodic job: place carried items on a meeting scheduled since, and count a special meeting of the body
    scheduled after its petition was carried as the call. Returns how many petitions it moved on."""
    moved = 0
    waiting = Petition.objects.filter(
        aim=PetitionAim.AGENDA_ITEM, reached_at__isnull=False, placed_on__isnull=True
    ).select_related("body")
    for petition in waiting:
        moved += _petition_place(petition)
    to_call = Petition.objects.filter(
        aim=PetitionAim.SPECIAL_MEETING, reached_at__isnull=False, placed_on__isnull=True
    ).select_related("body")
    for petition in to_call:
        assert petition.reached_at is not None
        meeting = (
            Meeting.objects.filter(bodies=petition.body, kind=MeetingKind.SPECIAL, created_at__gte=petition.reached_at)
            .order_by("held_on", "pk")
            .first()
        )
        if meeting is None:
            continue
        _petition_place(petition, meeting=meeting)
        for deadline in deadlines.open_deadlines_for(petition):
            deadlines.deadline_met(deadline=deadline, by=ledger.SYSTEM)
        moved += 1
    return moved
