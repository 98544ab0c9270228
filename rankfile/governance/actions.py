"""Every write to meetings: the meeting, who attended, the agenda, minutes, motions and their recorded votes.

Each is one atomic action on the ledger. Texts (agenda, minutes, motions) stay in these tables; the ledger holds
their SHA-256, so a later change to a stored text would no longer match its entry.
"""

import hashlib
import re
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any, NoReturn

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy, transactions
from rankfile.errors import InvalidInput
from rankfile.governance import quorum
from rankfile.governance.models import (
    Attendance,
    Capacity,
    CaseEffect,
    Choice,
    Meeting,
    MeetingKind,
    MinutesVersion,
    Motion,
    MotionStatus,
    RollCallEntry,
    Threshold,
    Vote,
    VoteMethod,
    VoteResult,
)
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema as ls
from rankfile.org.models import Body, BodyKind, Person, SeatRole
from rankfile.transactions import action

MEETING_CREATED = ls.define(
    "governance.meeting_created",
    label=gettext_lazy("A meeting was scheduled"),
    fields={"meeting": ls.ID, "kind": ls.CODE, "on": ls.DATE, "until": ls.optional(ls.DATE), "bodies": ls.id_list},
)
AGENDA_SET = ls.define(
    "governance.agenda_set",
    label=gettext_lazy("A meeting's agenda was set"),
    fields={"meeting": ls.ID, "sha256": ls.HASH},
)
AGENDA_ITEM_PETITIONED = ls.define(
    "governance.agenda_item_petitioned",
    label=gettext_lazy("Members' petition put an item on a meeting's agenda"),
    fields={"meeting": ls.ID, "sha256": ls.HASH},
)
ATTENDANCE_RECORDED = ls.define(
    "governance.attendance_recorded",
    label=gettext_lazy("Attendance at a meeting was recorded"),
    fields={
        "meeting": ls.ID,
        "seats": ls.COUNT,
        "alternates": ls.COUNT,
        "invited": ls.COUNT,
        "returned": ls.COUNT,
        "people": ls.HASH,
    },
)
ATTENDANCE_DEPARTED = ls.define(
    "governance.attendance_departed",
    label=gettext_lazy("Someone left a meeting"),
    fields={"meeting": ls.ID, "person": ls.ID},
)
MINUTES_RECORDED = ls.define(
    "governance.minutes_recorded",
    label=gettext_lazy("Minutes were recorded"),
    fields={"meeting": ls.ID, "version": ls.COUNT, "sha256": ls.HASH, "correction": ls.BOOL},
)
MINUTES_APPROVED = ls.define(
    "governance.minutes_approved",
    label=gettext_lazy("Minutes were approved"),
    fields={"meeting": ls.ID, "version": ls.COUNT, "vote": ls.ID},
    checkpoint_after=True,
)
MOTION_MADE = ls.define(
    "governance.motion_made",
    label=gettext_lazy("A motion was made"),
    fields={
        "meeting": ls.ID,
        "motion": ls.ID,
        "number": ls.COUNT,
        "threshold": ls.CODE,
        "mover": ls.ID,
        "seconder": ls.optional(ls.ID),
        "approves_minutes": ls.optional(ls.ID),
        "concerns": ls.optional(ls.id_list),  # the interested: people the motion is about
        "case": ls.optional(ls.REFERENCE),  # the case whose final decision it overrides, or re-admits from
        "case_effect": ls.optional(ls.CODE),
        "sha256": ls.HASH,
    },
)
MOTION_WITHDRAWN = ls.define(
    "governance.motion_withdrawn",
    label=gettext_lazy("A motion was withdrawn"),
    fields={"meeting": ls.ID, "motion": ls.ID},
)
# A vote binds: a checkpoint is signed as soon as it commits.
VOTE_RECORDED = ls.define(
    "governance.vote_recorded",
    label=gettext_lazy("A vote was recorded"),
    fields={
        "meeting": ls.ID,
        "motion": ls.ID,
        "vote": ls.ID,
        "method": ls.CODE,
        "for": ls.COUNT,
        "against": ls.COUNT,
        "abstain": ls.COUNT,
        "entitled": ls.COUNT,
        "not_counted": ls.optional(ls.COUNT),  # present, entitled, and concerned by the motion
        "present": ls.COUNT,
        "threshold": ls.CODE,
        "result": ls.CODE,
        "on": ls.DATE,
        "roll_call": ls.optional(ls.HASH),
    },
    checkpoint_after=True,
)

TEXT_LIMIT = 200_000  # characters: a convention's minutes
REFERENCE = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*", re.ASCII)
MOTION_SUFFIX = re.compile(r"-M[0-9]+$", re.ASCII)


def refuse(field: str, message: str, *, code: str) -> NoReturn:
    raise InvalidInput(message, code=code, field_errors={field: [message]})


def clean_text(value: str, *, field: str, limit: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        refuse(field, _("This is required."), code="required")
    if len(value) > limit:
        refuse(field, _("Use at most %(limit)d characters.") % {"limit": limit}, code="too_long")
    return value


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def require_unlocked(meeting: Meeting) -> None:
    if meeting.is_locked:
        raise InvalidInput(
            _("The minutes of this meeting were approved; its record is locked. Propose a correction instead."),
            code="meeting_locked",
        )


def _prefix(bodies: Sequence[Body]) -> str:
    if any(body.kind == BodyKind.CONVENTION for body in bodies):
        return "CONV"
    ordered = sorted(bodies, key=lambda body: body.slug)
    initials = ["".join(word[0] for word in re.split(r"[-_]+", body.slug) if word).upper() for body in ordered]
    return "-".join(re.sub(r"[^A-Z0-9]", "", part) or "B" for part in initials)[:20]


def _reference_base(bodies: Sequence[Body], held_on: date) -> str:
    prefix = _prefix(bodies)
    if not prefix[0].isalpha():
        prefix = "B" + prefix
    return f"{prefix}-{held_on.year}" if prefix == "CONV" else f"{prefix}-{held_on.isoformat()}"


def _check_reference(reference: str) -> str:
    reference = reference.strip().upper()
    if not REFERENCE.fullmatch(reference) or len(reference) > 40 or MOTION_SUFFIX.search(reference):
        refuse(
            "reference",
            _("A reference is capital letters and digits in parts joined by hyphens, e.g. CONV-2026."),
            code="bad_reference",
        )
    return reference


@action
def meeting_create(
    *,
    bodies: Sequence[Body],
    held_on: date,
    title: str,
    by: Any,
    kind: str = MeetingKind.REGULAR,
    ends_on: date | None = None,
    place: str = "",
    agenda: str = "",
    reference: str = "",
) -> Meeting:
    """A meeting of one body, or a joint meeting of several. Its reference (given, or made from the bodies and the
    date: SC-2026-03-14, CONV-2026) is never reused; a second one on the same day gets -2, -3, …"""
    bodies = list({body.pk: body for body in bodies}.values())
    if not bodies:
        refuse("bodies", _("Choose the body (or bodies) that meet."), code="no_bodies")
    policy.require(by, "governance.record_meeting", bodies)
    if kind not in MeetingKind.values:
        refuse("kind", _("Choose regular, special or emergency."), code="bad_kind")
    if ends_on is not None and ends_on < held_on:
        refuse("ends_on", _("The last day cannot be before the first."), code="ends_before_start")
    title = clean_text(title, field="title", limit=200, required=True)
    meeting = None
    if reference:
        wanted = [_check_reference(reference)]
    else:
        base = _reference_base(bodies, held_on)
        wanted = [base] + [f"{base}-{n}" for n in range(2, 100)]
    for candidate in wanted:
        if Meeting.objects.filter(reference=candidate).exists():
            continue
        try:
            with transactions.part():
                meeting = Meeting.objects.create(
                    ledger_seq=ledger.next_seq(),
                    reference=candidate,
                    title=title,
                    kind=kind,
                    held_on=held_on,
                    ends_on=ends_on if ends_on != held_on else None,
                    place=clean_text(place, field="place", limit=200),
                    agenda=clean_text(agenda, field="agenda", limit=TEXT_LIMIT),
                )
            break
        except IntegrityError:
            continue  # taken meanwhile by another meeting
    if meeting is None:
        refuse("reference", _("This reference is already taken."), code="reference_taken")
    meeting.bodies.set(bodies)
    ledger.record(
        seq=meeting.ledger_seq,
        actor=by,
        action=MEETING_CREATED,
        subject=meeting,
        data={
            "meeting": meeting.pk,
            "kind": kind,
            "on": held_on.isoformat(),
            "until": meeting.ends_on.isoformat() if meeting.ends_on else None,
            "bodies": sorted(body.pk for body in bodies),
        },
    )
    return meeting


@action
def agenda_set(*, meeting: Meeting, text: str, by: Any) -> Meeting:
    policy.require(by, "governance.record_meeting", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_unlocked(meeting)
    meeting.agenda = clean_text(text, field="agenda", limit=TEXT_LIMIT)
    meeting.save(update_fields=["agenda"])
    ledger.record(
        actor=by, action=AGENDA_SET, subject=meeting, data={"meeting": meeting.pk, "sha256": sha256(meeting.agenda)}
    )
    return meeting


@action
def agenda_item_petitioned(*, meeting: Meeting, item: str) -> Meeting:
    """Add at the end of the agenda an item the members' petition carried: the bylaws place it, so it is the
    system's doing and nobody's permission is asked."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_unlocked(meeting)
    agenda = meeting.agenda.rstrip()
    meeting.agenda = clean_text(f"{agenda}\n\n{item}" if agenda else item, field="agenda", limit=TEXT_LIMIT)
    meeting.save(update_fields=["agenda"])
    ledger.record(
        actor=ledger.SYSTEM,
        action=AGENDA_ITEM_PETITIONED,
        subject=meeting,
        data={"meeting": meeting.pk, "sha256": sha256(meeting.agenda)},
    )
    return meeting


def _day_of(meeting: Meeting, day: date | None, *, field: str) -> date:
    day = day or meeting.held_on
    if not meeting.held_on <= day <= meeting.last_day:
        refuse(field, _("The day must be one of the meeting's days."), code="not_a_meeting_day")
    return day


def _capacity(person_id: int, *, voting: set[int], alternates: set[int]) -> str | None:
    if person_id in voting:
        return Capacity.SEAT
    if person_id in alternates:
        return Capacity.ALTERNATE
    return None


@action
def attendance_record(
    *,
    meeting: Meeting,
    by: Any,
    present: Collection[Person] = (),
    invited: Collection[Person] = (),
    day: date | None = None,
) -> list[Attendance]:
    """Add people to the meeting's attendance. ``present``: people who sit on one of its bodies on ``day`` (the
    first day unless given); they vote unless seated only as alternates. ``invited``: participants without a
    vote (anyone holding a voting seat is recorded with it, however entered). Someone who had left is back."""
    policy.require(by, "governance.record_meeting", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_unlocked(meeting)
    day = _day_of(meeting, day, field="day")
    bodies = list(meeting.bodies.all())
    voting: set[int] = set().union(*quorum.voting_seats_by_body(bodies=bodies, day=day).values())
    alternates: set[int] = set()
    for body in bodies:
        alternates |= set(
            body.seats.filter(role=SeatRole.ALTERNATE, starts_on__lte=day)
            .exclude(ends_on__lte=day)
            .values_list("person_id", flat=True)
        )
    not_seated = [p.name for p in present if _capacity(p.pk, voting=voting, alternates=alternates) is None]
    if not_seated:
        refuse(
            "present",
            _("Not seated on the meeting's bodies that day (add them as invited): %(names)s")
            % {"names": ", ".join(sorted(not_seated))},
            code="not_seated",
        )
    known = {a.person_id: a for a in meeting.attendance.all()}
    added: list[Attendance] = []
    returned = 0
    wanted = {p.pk: p for p in invited} | {p.pk: p for p in present}
    for person_id, person in wanted.items():
        if person_id in known:
            if known[person_id].departed:
                known[person_id].departed = False
                known[person_id].save(update_fields=["departed"])
                returned += 1
            continue
        capacity = _capacity(person_id, voting=voting, alternates=alternates) or Capacity.INVITED
        added.append(Attendance(meeting=meeting, person=person, capacity=capacity))
    Attendance.objects.bulk_create(added)
    ledger.record(
        actor=by,
        action=ATTENDANCE_RECORDED,
        subject=meeting,
        data={
            "meeting": meeting.pk,
            "seats": sum(1 for a in added if a.capacity == Capacity.SEAT),
            "alternates": sum(1 for a in added if a.capacity == Capacity.ALTERNATE),
            "invited": sum(1 for a in added if a.capacity == Capacity.INVITED),
            "returned": returned,
            "people": sha256("\n".join(sorted(f"{a.person_id}:{a.capacity}" for a in added))),
        },
    )
    return added


@action
def attendance_depart(*, meeting: Meeting, person: Person, by: Any) -> Attendance:
    """Someone left: later quorums and votes count without them."""
    policy.require(by, "governance.record_meeting", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_unlocked(meeting)
    attendance = meeting.attendance.filter(person=person, departed=False).first()
    if attendance is None:
        refuse("person", _("This person is not recorded as present."), code="not_present")
    attendance.departed = True
    attendance.save(update_fields=["departed"])
    ledger.record(
        actor=by, action=ATTENDANCE_DEPARTED, subject=meeting, data={"meeting": meeting.pk, "person": person.pk}
    )
    return attendance


@action
def minutes_record(*, meeting: Meeting, text: str, by: Any) -> MinutesVersion:
    """A new version of the minutes; none is ever edited. After approval, a new version is a correction, which
    a later vote approves in its turn."""
    policy.require(by, "governance.record_meeting", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    text = clean_text(text, field="text", limit=TEXT_LIMIT, required=True)
    last = meeting.minutes_versions.order_by("-number").first()
    version = MinutesVersion.objects.create(
        ledger_seq=ledger.next_seq(),
        meeting=meeting,
        number=(last.number + 1) if last else 1,
        text=text,
        sha256=sha256(text),
        correction=meeting.is_locked,
    )
    ledger.record(
        seq=version.ledger_seq,
        actor=by,
        action=MINUTES_RECORDED,
        subject=meeting,
        data={
            "meeting": meeting.pk,
            "version": version.number,
            "sha256": version.sha256,
            "correction": meeting.is_locked,
        },
    )
    return version


def _present_with_vote(meeting: Meeting, person: Person) -> bool:
    return meeting.attendance.filter(person=person, departed=False, capacity=Capacity.SEAT).exists()


def _check_minutes_approval(meeting: Meeting, version: MinutesVersion) -> None:
    minuted = version.meeting
    if minuted.pk == meeting.pk or meeting.held_on < minuted.last_day:
        refuse("approves_minutes", _("Minutes are approved at a later meeting."), code="not_a_later_meeting")
    shares_a_body = meeting.bodies.filter(pk__in=minuted.bodies.values("pk")).exists()
    if not shares_a_body and not minuted.bodies.filter(kind=BodyKind.CONVENTION).exists():
        refuse(
            "approves_minutes",
            _("Minutes are approved by one of the bodies that met (a convention's, by the body it directs)."),
            code="not_the_meeting_body",
        )
    if version.approved_by_vote_id is not None:
        refuse("approves_minutes", _("This version was already approved."), code="already_approved")


CASE_REFERENCE = re.compile(r"C-\d{4}-\d{1,9}")


def _case_named(reference: str, effect: str) -> tuple[str, str]:
    """A case reference (C-2026-4) and what the motion does to its final decision: both, or neither."""
    reference = (reference or "").strip().upper()
    if effect and effect not in CaseEffect.values:
        refuse("case_effect", _("Choose what the motion does to the case's decision."), code="bad_case_effect")
    if reference and not CASE_REFERENCE.fullmatch(reference):
        refuse("case_reference", _("Give the case's reference, as C-2026-4."), code="bad_case_reference")
    if bool(reference) != bool(effect):
        field = "case_effect" if reference else "case_reference"
        refuse(field, _("Name the case and what the motion does to its decision, or neither."), code="case_half_named")
    return reference, effect


@action
def motion_make(
    *,
    meeting: Meeting,
    text: str,
    mover: Person,
    by: Any,
    seconder: Person | None = None,
    threshold: str = Threshold.MAJORITY,
    approves_minutes: MinutesVersion | None = None,
    concerns: Sequence[Person] = (),
    case_reference: str = "",
    case_effect: str = "",
) -> Motion:
    """A motion, numbered next in the meeting (M1, M2, …). The mover and seconder are present with a vote. A
    motion that ``approves_minutes`` of an earlier meeting locks that meeting's record when it carries. The people
    it ``concerns`` (a case's respondent, someone to re-admit or to seat) are interested: they neither move nor
    second it, and their votes on it are not counted."""
    policy.require(by, "governance.record_meeting", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_unlocked(meeting)
    text = clean_text(text, field="text", limit=TEXT_LIMIT, required=True)
    if threshold not in Threshold.values:
        refuse("threshold", _("Choose a majority or two thirds of the votes cast."), code="bad_threshold")
    if not _present_with_vote(meeting, mover):
        refuse("mover", _("The mover must be present with a vote."), code="mover_not_entitled")
    if seconder is not None:
        if seconder.pk == mover.pk:
            refuse("seconder", _("The seconder cannot be the mover."), code="seconder_is_mover")
        if not _present_with_vote(meeting, seconder):
            refuse("seconder", _("The seconder must be present with a vote."), code="seconder_not_entitled")
    interested = {person.pk: person for person in concerns}
    for role, person in (("mover", mover), ("seconder", seconder)):
        if person is not None and person.pk in interested:
            refuse(
                role,
                _("%(name)s is concerned by this motion and cannot move or second it.") % {"name": person.name},
                code="interested_member",
            )
    if approves_minutes is not None:
        _check_minutes_approval(meeting, approves_minutes)
    case_reference, case_effect = _case_named(case_reference, case_effect)
    last = meeting.motions.order_by("-number").first()
    motion = Motion.objects.create(
        ledger_seq=ledger.next_seq(),
        meeting=meeting,
        number=(last.number + 1) if last else 1,
        text=text,
        mover=mover,
        seconder=seconder,
        threshold=threshold,
        approves_minutes=approves_minutes,
        case_reference=case_reference,
        case_effect=case_effect,
    )
    motion.concerns.set(sorted(interested))
    ledger.record(
        seq=motion.ledger_seq,
        actor=by,
        action=MOTION_MADE,
        subject=motion,
        data={
            "meeting": meeting.pk,
            "motion": motion.pk,
            "number": motion.number,
            "threshold": threshold,
            "mover": mover.pk,
            "seconder": seconder.pk if seconder else None,
            "approves_minutes": approves_minutes.pk if approves_minutes else None,
            "concerns": sorted(interested),
            "case": case_reference or None,
            "case_effect": case_effect or None,
            "sha256": sha256(text),
        },
    )
    return motion


@action
def motion_withdraw(*, motion: Motion, by: Any) -> Motion:
    """Withdrawn before its vote; its number is kept, never reused."""
    policy.require(by, "governance.record_meeting", motion.meeting)
    motion = Motion.objects.select_for_update().select_related("meeting").get(pk=motion.pk)
    require_unlocked(motion.meeting)
    if motion.status != MotionStatus.PENDING:
        raise InvalidInput(_("Only a motion not yet voted on can be withdrawn."), code="motion_not_pending")
    motion.status = MotionStatus.WITHDRAWN
    motion.save(update_fields=["status"])
    ledger.record(
        actor=by, action=MOTION_WITHDRAWN, subject=motion, data={"meeting": motion.meeting_id, "motion": motion.pk}
    )
    return motion


def result_of(*, votes_for: int, votes_against: int, threshold: str) -> str:
    """Carried or failed, on the votes cast (abstentions are not votes cast). A tie fails; so do no votes."""
    cast = votes_for + votes_against
    if cast == 0:
        return VoteResult.FAILED
    if threshold == Threshold.TWO_THIRDS:
        return VoteResult.CARRIED if 3 * votes_for >= 2 * cast else VoteResult.FAILED
    return VoteResult.CARRIED if votes_for > votes_against else VoteResult.FAILED


def _counts(value: Any, field: str) -> int:
    if type(value) is not int or value < 0:
        refuse(field, _("A whole number, zero or more."), code="bad_count")
    return value


@action
def vote_record(
    *,
    motion: Motion,
    method: str,
    by: Any,
    votes_for: int = 0,
    votes_against: int = 0,
    abstentions: int = 0,
    roll_call: Sequence[tuple[Person, str]] = (),
    taken_on: date | None = None,
) -> Vote:
    """Record the vote on a motion: counts, a roll call (each person's vote) or unanimous. Refused without a
    quorum, or if more people voted than were entitled, or if the roll call names someone not entitled. Who was
    entitled (present with a vote, at this moment) is kept with the vote."""
    policy.require(by, "governance.record_meeting", motion.meeting)
    motion = Motion.objects.select_for_update().select_related("meeting").get(pk=motion.pk)
    meeting = motion.meeting
    require_unlocked(meeting)
    if motion.status != MotionStatus.PENDING:
        raise InvalidInput(_("This motion was already voted on or withdrawn."), code="motion_not_pending")
    if method not in VoteMethod.values:
        refuse("method", _("Choose counts, a roll call or unanimous."), code="bad_method")
    taken_on = _day_of(meeting, taken_on, field="taken_on")
    standing = quorum.quorum_of(meeting=meeting, day=taken_on)
    if not standing.quorate:
        raise InvalidInput(
            _("There is no quorum: %(short)d more with a vote must be present.") % {"short": standing.short_by},
            code="no_quorum",
        )
    entitled = standing.entitled
    interested = set(motion.concerns.values_list("pk", flat=True)) & set(entitled)
    counting = [pk for pk in entitled if pk not in interested]  # the interested are present, and not counted
    entries: list[RollCallEntry] = []
    if method == VoteMethod.COUNTS:
        votes_for = _counts(votes_for, "votes_for")
        votes_against = _counts(votes_against, "votes_against")
        abstentions = _counts(abstentions, "abstentions")
        if votes_for + votes_against + abstentions > len(counting):
            refuse(
                "votes_for",
                _("%(total)d votes, but only %(entitled)d present were entitled to vote.")
                % {"total": votes_for + votes_against + abstentions, "entitled": len(counting)},
                code="votes_exceed_entitled",
            )
    elif method == VoteMethod.ROLL_CALL:
        if not roll_call:
            refuse("roll_call", _("Name each person and their vote."), code="empty_roll_call")
        seen: set[int] = set()
        for person, choice in roll_call:
            if person.pk not in entitled:
                refuse(
                    "roll_call",
                    _("%(name)s was not entitled to vote (not present with a vote).") % {"name": person.name},
                    code="not_entitled",
                )
            if person.pk in seen:
                refuse("roll_call", _("%(name)s is named twice.") % {"name": person.name}, code="voted_twice")
            if choice not in Choice.values:
                refuse("roll_call", _("Each vote is for, against or abstain."), code="bad_choice")
            seen.add(person.pk)
            entries.append(RollCallEntry(person=person, choice=choice, counted=person.pk not in interested))
        votes_for = sum(1 for e in entries if e.counted and e.choice == Choice.FOR)
        votes_against = sum(1 for e in entries if e.counted and e.choice == Choice.AGAINST)
        abstentions = sum(1 for e in entries if e.counted and e.choice == Choice.ABSTAIN)
    else:
        votes_for, votes_against, abstentions = len(counting), 0, 0
    result = result_of(votes_for=votes_for, votes_against=votes_against, threshold=motion.threshold)
    vote = Vote.objects.create(
        ledger_seq=ledger.next_seq(),
        motion=motion,
        reference=motion.reference,
        method=method,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        threshold=motion.threshold,
        result=result,
        taken_on=taken_on,
        present=standing.present,
        quorum=[body.as_record() for body in standing.bodies],
    )
    vote.entitled.set(sorted(entitled))
    for entry in entries:
        entry.vote = vote
    RollCallEntry.objects.bulk_create(entries)
    motion.status = MotionStatus.CARRIED if result == VoteResult.CARRIED else MotionStatus.FAILED
    motion.save(update_fields=["status"])
    ledger.record(
        seq=vote.ledger_seq,
        actor=by,
        action=VOTE_RECORDED,
        subject=vote,
        data={
            "meeting": meeting.pk,
            "motion": motion.pk,
            "vote": vote.pk,
            "method": method,
            "for": votes_for,
            "against": votes_against,
            "abstain": abstentions,
            "entitled": len(entitled),
            "not_counted": len(interested),
            "present": standing.present,
            "threshold": motion.threshold,
            "result": result,
            "on": taken_on.isoformat(),
            "roll_call": sha256("\n".join(sorted(f"{e.person.pk}:{e.choice}" for e in entries))) if entries else None,
        },
    )
    if motion.approves_minutes_id is not None and result == VoteResult.CARRIED:
        _minutes_approve(version=motion.approves_minutes, vote=vote, by=by)
    return vote


def _minutes_approve(*, version: Any, vote: Vote, by: Any) -> None:
    """The vote carried: the version is the approved minutes, and the minuted meeting's record is locked."""
    version = MinutesVersion.objects.select_for_update().select_related("meeting").get(pk=version.pk)
    if version.approved_by_vote_id is not None:
        raise InvalidInput(_("This version was already approved."), code="already_approved")
    version.approved_by_vote = vote
    version.approved_on = vote.taken_on
    version.save(update_fields=["approved_by_vote", "approved_on"])
    minuted = version.meeting
    if minuted.locked_at is None:
        minuted.locked_at = timezone.now()
        minuted.save(update_fields=["locked_at"])
    ledger.record(
        actor=by,
        action=MINUTES_APPROVED,
        subject=minuted,
        data={"meeting": minuted.pk, "version": version.number, "vote": vote.pk},
    )
