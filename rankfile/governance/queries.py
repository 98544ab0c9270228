"""Reads of meetings, votes and mandates: for the tracker pages, the iCalendar feed, CSV and PDF, the API and the CLI.

Mandate lists come annotated with ``overdue`` (open after the end of its due day, local time) and ``still_open``,
overdue ones first, then open ones by due date, then done and rescinded ones. ``public_mandates`` never holds a
members-only mandate, whoever asks.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Case, Count, Prefetch, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from rankfile import policy
from rankfile.deadlines.models import Deadline
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.governance import quorum
from rankfile.governance.models import (
    OPEN_STATUSES,
    Attendance,
    CalendarFeed,
    Capacity,
    Choice,
    Mandate,
    MandateFollow,
    MandateStatus,
    MandateTerms,
    Meeting,
    Milestone,
    MinutesVersion,
    Motion,
    ProgressUpdate,
    Visibility,
    Vote,
    VoteMethod,
    VoteResult,
)
from rankfile.governance.policy import bodies_recorded_by
from rankfile.org import hooks
from rankfile.org.models import Body, BodyKind, Person, Seat
from rankfile.per_request import remembered

# Meetings and votes


# Not a kind of its own: a meeting of any kind is joint when several bodies meet together.
JOINT = "joint"


def meetings(
    *, user: Any, body: Body | None = None, year: int | None = None, kind: str | None = None
) -> QuerySet[Meeting]:
    """Meetings, newest first; of one body (joint meetings included), one year, or one kind (regular, special,
    emergency, or ``JOINT``: those of several bodies)."""
    policy.require(user, "governance.view_meetings")
    found = Meeting.objects.prefetch_related("bodies")
    if body is not None:
        found = found.filter(bodies=body)
    if year is not None:
        found = found.filter(held_on__year=year)
    if kind == JOINT:
        joint = Meeting.objects.annotate(body_count=Count("bodies")).filter(body_count__gt=1)
        found = found.filter(pk__in=joint.values("pk"))
    elif kind is not None:
        found = found.filter(kind=kind)
    return found.order_by("-held_on", "-pk")


def meeting_for(*, user: Any, reference: str) -> Meeting:
    policy.require(user, "governance.view_meetings")
    meeting = Meeting.objects.filter(reference=reference.strip().upper()).prefetch_related("bodies").first()
    if meeting is None:
        raise NotAllowed("no such meeting")
    return meeting


def attendance_of(*, meeting: Meeting) -> QuerySet[Attendance]:
    return meeting.attendance.select_related("person").order_by("capacity", "person__name", "pk")


@dataclass(frozen=True)
class Attended:
    """Who attended a meeting, by name, in each capacity; each with whether they left before the end."""

    with_a_vote: list[tuple[str, bool]]
    alternates: list[tuple[str, bool]]
    invited: list[tuple[str, bool]]

    @property
    def anyone(self) -> bool:
        return bool(self.with_a_vote or self.alternates or self.invited)


def attended(*, meeting: Meeting) -> Attended:
    """Who was at the meeting, for whoever may see it (apologies are not recorded)."""
    by_capacity: dict[str, list[tuple[str, bool]]] = {value: [] for value in Capacity.values}
    for entry in meeting.attendance.select_related("person").order_by("person__name", "pk"):
        by_capacity[entry.capacity].append((entry.person.name, entry.departed))
    return Attended(
        with_a_vote=by_capacity[Capacity.SEAT],
        alternates=by_capacity[Capacity.ALTERNATE],
        invited=by_capacity[Capacity.INVITED],
    )


def quorum_of(*, meeting: Meeting, day: date | None = None) -> quorum.Quorum:
    """Per body: seats filled, needed and present (now, without those who left); quorate only if each is."""
    return quorum.quorum_of(meeting=meeting, day=day)


def motions_of(*, meeting: Meeting) -> QuerySet[Motion]:
    return (
        meeting.motions.select_related("mover", "seconder", "vote", "approves_minutes__meeting")
        .prefetch_related("vote__mandates", "concerns")
        .order_by("number")
    )


@dataclass(frozen=True)
class Minutes:
    approved: MinutesVersion | None  # the latest approved version: the minutes of record
    pending: list[MinutesVersion]  # drafts, or corrections proposed after approval, awaiting a vote
    versions: list[MinutesVersion]  # every version, oldest first


def minutes_of(*, meeting: Meeting) -> Minutes:
    versions = list(meeting.minutes_versions.select_related("approved_by_vote__motion__meeting").order_by("number"))
    approved = [v for v in versions if v.approved_by_vote_id is not None]
    latest = approved[-1] if approved else None
    pending = [v for v in versions if v.approved_by_vote_id is None and (latest is None or v.number > latest.number)]
    return Minutes(approved=latest, pending=pending, versions=versions)


def vote_by_reference(*, reference: str) -> Vote | None:
    """The recorded vote a reference names (CONV-2026-M3), for records that cite votes (bylaws versions,
    eligibility overrides, suspensions from leadership); None if there is none. References are never reused."""
    return Vote.objects.filter(reference=(reference or "").strip().upper()).select_related("motion__meeting").first()


def vote_cited(reference: str, reader: Any) -> hooks.CitedVote | None:
    """How a record that cites a vote by its reference names it for ``reader``: the motion's title, the meeting and
    its date, and a link to the motion on the meeting's page; None unless ``reader`` may see meetings and the
    reference names a recorded vote."""
    if not policy.allows(reader, "governance.view_meetings"):
        return None
    vote = vote_by_reference(reference=reference)
    if vote is None:
        return None
    meeting = vote.motion.meeting
    url = reverse("governance:meeting_detail", kwargs={"reference": meeting.reference})
    return hooks.CitedVote(
        motion=vote.motion.title,
        meeting=meeting.title,
        taken_on=vote.taken_on,
        url=f"{url}#motion-{vote.motion.number}",
    )


hooks.register_vote_citer("governance.votes", vote_cited)


def motion_of(*, meeting: Meeting, number: int) -> Motion:
    motion = meeting.motions.select_related("meeting", "vote").filter(number=number).first()
    if motion is None:
        raise NotAllowed("no such motion")
    return motion


def bodies_to_record(*, user: Any) -> QuerySet[Body]:
    """The bodies whose meetings ``user`` may record (for the form that creates a meeting)."""
    return bodies_recorded_by(user)


def present_now(*, meeting: Meeting, with_a_vote: bool = False) -> QuerySet[Person]:
    """Who is at the meeting now (not gone), by name; only those present with a vote if asked."""
    here = meeting.attendance.filter(departed=False)
    if with_a_vote:
        here = here.filter(capacity=Capacity.SEAT)
    return Person.objects.filter(pk__in=here.values("person_id")).order_by("name", "pk")


def seated_for_attendance(*, meeting: Meeting) -> QuerySet[Person]:
    """Who sits on one of the meeting's bodies on one of its days (alternates included) and is not present now:
    the people the recorder ticks as present. Someone who left is listed again, to be marked back."""
    seats = Seat.objects.filter(body__in=meeting.bodies.all(), starts_on__lte=meeting.last_day).exclude(
        ends_on__lte=meeting.held_on
    )
    return (
        Person.objects.filter(pk__in=seats.values("person_id"))
        .exclude(pk__in=present_now(meeting=meeting).values("pk"))
        .order_by("name", "pk")
    )


def people_to_invite(*, meeting: Meeting) -> QuerySet[Person]:
    """Anyone the organization knows who is not present now: invited participants, without a vote."""
    return Person.objects.exclude(pk__in=present_now(meeting=meeting).values("pk")).order_by("name", "pk")


def people_a_motion_may_concern() -> QuerySet[Person]:
    """Anyone the organization knows, members or not: a motion may be about someone expelled, or not yet seated."""
    return Person.objects.order_by("name", "pk")


def minutes_to_approve(*, meeting: Meeting) -> QuerySet[MinutesVersion]:
    """Versions of earlier meetings' minutes that a motion at ``meeting`` may approve: not approved yet, of a
    meeting that ended before it and shares one of its bodies (or of a convention)."""
    bodies = meeting.bodies.values("pk")
    earlier = (
        Meeting.objects.exclude(pk=meeting.pk)
        .filter(Q(ends_on__isnull=True, held_on__lte=meeting.held_on) | Q(ends_on__lte=meeting.held_on))
        .filter(Q(bodies__in=bodies) | Q(bodies__kind=BodyKind.CONVENTION))
    )
    return (
        MinutesVersion.objects.filter(meeting__in=earlier, approved_by_vote__isnull=True)
        .select_related("meeting")
        .order_by("-meeting__held_on", "meeting__reference", "number")
    )


def votes_to_change(*, user: Any, mandate: Mandate, limit: int = 50) -> list[Vote]:
    """The carried votes that ``user`` records and that may amend, extend or rescind ``mandate``: of its adopting
    body or of a convention, taken after its adoption, at a meeting whose record is not locked, not used on it yet;
    newest first."""
    used = mandate.terms.values("vote_id")
    found = (
        Vote.objects.filter(result=VoteResult.CARRIED, taken_on__gte=mandate.adopted_on)
        .filter(Q(motion__meeting__bodies=mandate.adopting_body) | Q(motion__meeting__bodies__kind=BodyKind.CONVENTION))
        .filter(motion__meeting__locked_at__isnull=True)
        .exclude(pk__in=used)
        .exclude(pk=mandate.adopted_by_vote_id)
        .select_related("motion__meeting")
        .distinct()
        .order_by("-taken_on", "-pk")
    )
    chosen = []
    for vote in found[: limit * 2]:
        if (vote.taken_on, vote.pk) < (mandate.adopted_on, mandate.adopted_by_vote_id):
            continue  # same day, recorded before the adopting vote
        if policy.allows(user, "governance.record_meeting", vote.motion.meeting):
            chosen.append(vote)
    return chosen[:limit]


@dataclass(frozen=True)
class RollCallLine:
    name: str
    choice: str  # for, against or abstain
    counted: bool  # False for someone the motion is about: their vote is recorded, not counted


def roll_call_of(*, vote: Vote) -> list[RollCallLine]:
    """Each person's vote in a roll call, by name."""
    lines = [
        RollCallLine(name=entry.person.name, choice=entry.choice, counted=entry.counted)
        for entry in vote.roll_call.select_related("person")
    ]
    return sorted(lines, key=lambda line: (line.name, line.choice))


@dataclass(frozen=True)
class VotesByName:
    """Who voted how, for a roll call or a unanimous vote (a counted vote has counts only). ``not_counted``: the
    people the motion is about, with their recorded choice (none for a unanimous vote, where they did not vote)."""

    unanimous: bool
    in_favour: list[str]
    against: list[str]
    abstaining: list[str]
    not_counted: list[tuple[str, str]]


def votes_by_name(*, vote: Vote) -> VotesByName | None:
    """Who voted how on ``vote``: the roll call, or for a unanimous vote everyone entitled then (those the motion is
    about present but not counted); None for a vote recorded as counts only."""
    if vote.method == VoteMethod.ROLL_CALL:
        lines = roll_call_of(vote=vote)
        counted = [line for line in lines if line.counted]
        return VotesByName(
            unanimous=False,
            in_favour=[line.name for line in counted if line.choice == Choice.FOR],
            against=[line.name for line in counted if line.choice == Choice.AGAINST],
            abstaining=[line.name for line in counted if line.choice == Choice.ABSTAIN],
            not_counted=[(line.name, str(Choice(line.choice).label)) for line in lines if not line.counted],
        )
    if vote.method == VoteMethod.UNANIMOUS:
        interested = set(vote.motion.concerns.values_list("pk", flat=True))
        entitled = list(vote.entitled.order_by("name", "pk").values_list("pk", "name"))
        return VotesByName(
            unanimous=True,
            in_favour=[name for pk, name in entitled if pk not in interested],
            against=[],
            abstaining=[],
            not_counted=[(name, "") for pk, name in entitled if pk in interested],
        )
    return None


@dataclass(frozen=True)
class MotionRecord:
    """A motion as its meeting's record shows it: its status in words today, and who voted how where recorded."""

    motion: Motion
    status: str
    by_name: VotesByName | None


def motion_records(*, meeting: Meeting) -> list[MotionRecord]:
    today = timezone.localdate()
    records = []
    for motion in motions_of(meeting=meeting):
        vote = getattr(motion, "vote", None)
        records.append(
            MotionRecord(
                motion=motion,
                status=str(motion.status_on(today)),
                by_name=votes_by_name(vote=vote) if vote is not None else None,
            )
        )
    return records


# Mandates


def _sitting_today(user: Any) -> QuerySet[Seat]:
    today = timezone.localdate()
    return Seat.objects.filter(person__user_id=user.pk, starts_on__lte=today).exclude(ends_on__lte=today)


def sees_members_mandates(user: Any) -> bool:
    """``governance.view_members_mandates``, asked once per page view (the tracker's list, filter and counts)."""
    key = ("governance.sees_members_mandates", getattr(user, "pk", None), type(user).__name__)
    return remembered(key, lambda: policy.allows(user, "governance.view_members_mandates"))


def _visible_to(user: Any) -> Q:
    if sees_members_mandates(user):
        return Q()
    visible = Q(visibility=Visibility.PUBLIC)
    if getattr(user, "is_authenticated", False):
        visible |= Q(responsible_body__in=_sitting_today(user).values("body_id"))
    return visible


def _overdue(today: date) -> Q:
    return Q(status__in=OPEN_STATUSES, due_on__lt=today)


def with_overdue(found: QuerySet[Mandate], *, today: date | None = None) -> QuerySet[Mandate]:
    """Annotate ``overdue`` (what ``Mandate.is_overdue`` says, in SQL) and ``still_open``, as of ``today`` (the
    local date unless given)."""
    today = today or timezone.localdate()
    return found.annotate(
        overdue=Case(When(_overdue(today), then=Value(True)), default=Value(False), output_field=BooleanField()),
        still_open=Case(
            When(status__in=OPEN_STATUSES, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    )


def _tracker(
    found: QuerySet[Mandate],
    *,
    body: Body | None,
    status: str | None,
    overdue: bool | None,
    due_from: date | None,
    due_until: date | None,
    adopted_by: Body | None,
) -> QuerySet[Mandate]:
    found = with_overdue(found)
    if body is not None:
        found = found.filter(responsible_body=body)
    if adopted_by is not None:
        found = found.filter(adopting_body=adopted_by)
    if status is not None:
        found = found.filter(status=status)
    if overdue is not None:
        late = _overdue(timezone.localdate())
        found = found.filter(late) if overdue else found.exclude(late)
    if due_from is not None:
        found = found.filter(due_on__gte=due_from)
    if due_until is not None:
        found = found.filter(due_on__lte=due_until)
    return found.select_related("responsible_body", "adopting_body", "adopted_by_vote").order_by(
        "-overdue", "-still_open", "due_on", "pk"
    )


def mandates(
    *,
    user: Any,
    body: Body | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    due_from: date | None = None,
    due_until: date | None = None,
    adopted_by: Body | None = None,
) -> QuerySet[Mandate]:
    """The tracker as ``user`` may see it: filtered by responsible body, status, overdue or not, due dates (both
    ends included) and adopting body; overdue first."""
    return _tracker(
        Mandate.objects.filter(_visible_to(user)),
        body=body,
        status=status,
        overdue=overdue,
        due_from=due_from,
        due_until=due_until,
        adopted_by=adopted_by,
    )


def public_mandates(
    *,
    body: Body | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    due_from: date | None = None,
    due_until: date | None = None,
    adopted_by: Body | None = None,
) -> QuerySet[Mandate]:
    """The public tracker (and its feeds): public mandates only, whoever asks."""
    return _tracker(
        Mandate.objects.filter(visibility=Visibility.PUBLIC),
        body=body,
        status=status,
        overdue=overdue,
        due_from=due_from,
        due_until=due_until,
        adopted_by=adopted_by,
    )


# What a line of the tracker shows: read as plain values, without a mandate object per line.
TRACKER_COLUMNS = (
    "reference",
    "title",
    "visibility",
    "responsible_body__name",
    "due_on",
    "status",
    "percent",
    "done_on",
    "adopting_body__name",
    "adopted_on",
    "overdue",
    "still_open",
)


def tracker_lines(found: QuerySet[Mandate], *, shown: QuerySet[Mandate]) -> QuerySet[Any]:
    """The columns of the lines ``shown`` (a page of the tracker ``found``), in its order. The page is chosen in a
    subquery that sorts only what the order reads (an index holds it), and only its lines are joined to the bodies'
    names, rather than every mandate before the sort."""
    return found.filter(pk__in=shown.values("pk")).values(*TRACKER_COLUMNS)


def tracker_bodies(*, user: Any, public: bool = False) -> QuerySet[Body]:
    """The bodies responsible for a mandate of the tracker as ``user`` sees it (of the public tracker, if
    ``public``): what its filter by body offers."""
    seen = Mandate.objects.filter(visibility=Visibility.PUBLIC) if public else Mandate.objects.filter(_visible_to(user))
    return Body.objects.filter(pk__in=seen.values("responsible_body_id"))


def tracker_counts(*, user: Any, body: Body | None = None) -> dict[str, int]:
    """How many mandates ``user`` sees in each status, and how many are overdue."""
    found = Mandate.objects.filter(_visible_to(user))
    if body is not None:
        found = found.filter(responsible_body=body)
    counts = dict.fromkeys(MandateStatus.values, 0)
    counts["overdue"] = 0
    # One query, which reads only the index of (status, due day): each status with how many of it are overdue.
    by_status = found.values("status").annotate(n=Count("pk"), late=Count("pk", filter=_overdue(timezone.localdate())))
    for status, number, overdue in by_status.values_list("status", "n", "late").order_by():
        counts[status] = number
        counts["overdue"] += overdue
    return counts


def mandate_for(*, user: Any, reference: str) -> Mandate:
    """One mandate by its reference (CONV-2026-M3.1); not found for whoever may not see it."""
    mandate = (
        with_overdue(Mandate.objects.filter(reference=(reference or "").strip().upper()))
        .select_related("responsible_body__parent", "adopting_body", "adopted_by_vote__motion__meeting")
        .first()
    )
    if mandate is None or not policy.allows(user, "governance.view_mandate", mandate):
        raise NotAllowed("no such mandate")
    return mandate


def terms_of(*, mandate: Mandate) -> QuerySet[MandateTerms]:
    """Every version of the terms, first to current, each with the vote that set it."""
    return mandate.terms.select_related("vote__motion__meeting", "responsible_body").order_by("number")


def milestones_of(*, mandate: Mandate, include_dropped: bool = False) -> QuerySet[Milestone]:
    found = mandate.milestones.all()
    if not include_dropped:
        found = found.filter(dropped_in_terms__isnull=True)
    return found.order_by("position", "pk")


def updates_of(*, mandate: Mandate) -> QuerySet[ProgressUpdate]:
    """Progress updates, newest first."""
    return (
        mandate.updates.select_related("posted_by")
        .prefetch_related(Prefetch("milestones_reached", queryset=Milestone.objects.order_by("position")))
        .order_by("-number")
    )


def timers_of(*, mandate: Mandate) -> list[Deadline]:
    """Every timer the mandate had, first set first."""
    return list(Deadline.objects.filter(subject_type=Mandate._meta.label_lower, subject_id=mandate.pk).order_by("pk"))


def timer_of(*, mandate: Mandate, timers: list[Deadline] | None = None) -> Deadline | None:
    """The mandate's timer: the open one, else the last one set (met, missed or cancelled). ``timers``: its
    ``timers_of``, when the page has them already."""
    timers = timers_of(mandate=mandate) if timers is None else timers
    running = [timer for timer in timers if timer.met_at is None and timer.cancelled_at is None]
    return running[0] if running else (timers[-1] if timers else None)


@dataclass(frozen=True)
class MandateEvent:
    """One step in a mandate's history; ``kind``: adopted, amended, extended, rescinded, progress, done, reminded
    or overdue. ``ledger_seq`` (where there is one) links to the entry's proof."""

    at: datetime
    kind: str
    terms: MandateTerms | None = None
    update: ProgressUpdate | None = None
    deadline: Deadline | None = None
    ledger_seq: int | None = None


def mandate_history(
    *,
    user: Any,
    mandate: Mandate,
    terms: list[MandateTerms] | None = None,
    updates: list[ProgressUpdate] | None = None,
    timers: list[Deadline] | None = None,
) -> list[MandateEvent]:
    """Everything that happened to a mandate, oldest first: its terms, updates, reminders and misses. ``terms``,
    ``updates`` and ``timers``: its ``terms_of``, ``updates_of`` and ``timers_of``, when the page has them already."""
    if not policy.allows(user, "governance.view_mandate", mandate):
        raise NotAllowed("no such mandate")
    events = [
        MandateEvent(at=t.created_at, kind=t.change, terms=t, ledger_seq=t.ledger_seq)
        for t in (terms_of(mandate=mandate) if terms is None else terms)
    ]
    events += [
        MandateEvent(
            at=u.created_at,
            kind="done" if u.status == MandateStatus.DONE else "progress",
            update=u,
            ledger_seq=u.ledger_seq,
        )
        for u in (updates_of(mandate=mandate) if updates is None else updates)
    ]
    for deadline in timers_of(mandate=mandate) if timers is None else timers:
        if deadline.reminded_at is not None:
            events.append(MandateEvent(at=deadline.reminded_at, kind="reminded", deadline=deadline))
        if deadline.missed_at is not None:
            events.append(MandateEvent(at=deadline.missed_at, kind="overdue", deadline=deadline))
    return sorted(events, key=lambda e: e.at)


def is_following(*, user: Any, mandate: Mandate) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return MandateFollow.objects.filter(mandate=mandate, user_id=user.pk, ended_at__isnull=True).exists()


def followed_by(*, user: Any) -> QuerySet[Mandate]:
    """The mandates ``user`` follows (and may still see), overdue first."""
    if not getattr(user, "is_authenticated", False):
        return Mandate.objects.none()
    followed = MandateFollow.objects.filter(user_id=user.pk, ended_at__isnull=True).values("mandate_id")
    return mandates(user=user).filter(pk__in=followed)


# The private calendar address

FEED_TOKEN = re.compile(r"[0-9a-f]{64}", re.ASCII)


def calendar_feed_address(*, user: Any) -> str | None:
    """The member's private address of the members' calendar feed, or None if they have none (or stopped it)."""
    if not getattr(user, "is_authenticated", False):
        return None
    feed = CalendarFeed.objects.filter(user_id=user.pk).first()
    if feed is None or not feed.is_active:
        return None
    return settings.BASE_URL + reverse("governance:private_calendar", kwargs={"token": feed.token()})


def calendar_feed_owner(*, token: str) -> Any:
    """The login a private calendar address belongs to, if it is the current one and the login may still see the
    members' mandates; otherwise not found, whichever the reason."""
    if not FEED_TOKEN.fullmatch(token or ""):
        raise NotAllowed("no such calendar")
    digest = hashlib.sha256(token.encode()).hexdigest()
    feed = CalendarFeed.objects.select_related("user").filter(token_sha256=digest).first()
    # Made again from the salt: an address from before the secret key changed no longer works.
    if feed is None or not feed.is_active or not constant_time_compare(feed.token(), token):
        raise NotAllowed("no such calendar")
    user = feed.user
    if not user.is_active or not policy.allows(user, "governance.view_members_mandates"):
        raise NotAllowed("no such calendar")
    return user


def followers_count(*, mandate: Mandate) -> int:
    return MandateFollow.objects.filter(mandate=mandate, ended_at__isnull=True).count()


def carried_vote_of(body: Body | None, *, vote_reference: str, power: str) -> Vote:
    """The recorded vote ``vote_reference`` names, if it carried and was a vote of ``body`` (which holds ``power``,
    in words: "override a final decision"); otherwise a refusal that says which of these it was."""
    vote = vote_by_reference(reference=vote_reference)
    if vote is None:
        message = _("No recorded vote has the reference “%(ref)s”.") % {"ref": vote_reference}
        raise InvalidInput(message, code="no_such_vote", field_errors={"vote_reference": [message]})
    if not vote.carried:
        message = _("Vote %(ref)s did not carry.") % {"ref": vote.reference}
        raise InvalidInput(message, code="vote_not_carried", field_errors={"vote_reference": [message]})
    if body is None or not vote.motion.meeting.bodies.filter(pk=body.pk).exists():
        message = _("Only a vote of %(body)s can %(power)s; vote %(ref)s is not one.") % {
            "body": body.name if body else _("the body the bylaws empower"),
            "power": power,
            "ref": vote.reference,
        }
        raise InvalidInput(message, code="not_the_empowered_body", field_errors={"vote_reference": [message]})
    return vote


def next_meeting_of(*, body: Body, after: date) -> Meeting | None:
    """The body's first meeting held after ``after`` whose record is still open."""
    return (
        Meeting.objects.filter(bodies=body, held_on__gt=after, locked_at__isnull=True).order_by("held_on", "pk").first()
    )
