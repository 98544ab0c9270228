"""Reads of meetings, votes and mandates: for the tracker pages, the iCalendar feed, CSV and PDF, the API and the CLI.

Mandate lists come annotated with ``overdue`` (open after the end of its due day, local time) and ``still_open``,
overdue ones first, then open ones by due date, then done and rescinded ones. ``public_mandates`` never holds a
members-only mandate, whoever asks.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import BooleanField, Case, Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from rankfile import policy
from rankfile.deadlines.models import Deadline
from rankfile.errors import NotAllowed
from rankfile.governance import quorum
from rankfile.governance.models import (
    OPEN_STATUSES,
    Attendance,
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
)
from rankfile.org.models import Body, Seat

# Meetings and votes


def meetings(*, user: Any, body: Body | None = None, year: int | None = None) -> QuerySet[Meeting]:
    """Meetings, newest first; of one body (joint meetings included) or one year."""
    policy.require(user, "governance.view_meetings")
    found = Meeting.objects.prefetch_related("bodies")
    if body is not None:
        found = found.filter(bodies=body)
    if year is not None:
        found = found.filter(held_on__year=year)
    return found.order_by("-held_on", "-pk")


def meeting_for(*, user: Any, reference: str) -> Meeting:
    policy.require(user, "governance.view_meetings")
    meeting = Meeting.objects.filter(reference=reference.strip().upper()).prefetch_related("bodies").first()
    if meeting is None:
        raise NotAllowed("no such meeting")
    return meeting


def attendance_of(*, meeting: Meeting) -> QuerySet[Attendance]:
    return meeting.attendance.select_related("person").order_by("capacity", "person__name", "pk")


def quorum_of(*, meeting: Meeting, day: date | None = None) -> quorum.Quorum:
    """Per body: seats filled, needed and present (now, without those who left); quorate only if each is."""
    return quorum.quorum_of(meeting=meeting, day=day)


def motions_of(*, meeting: Meeting) -> QuerySet[Motion]:
    return (
        meeting.motions.select_related("mover", "seconder", "vote", "approves_minutes__meeting")
        .prefetch_related("vote__mandates")
        .order_by("number")
    )


@dataclass(frozen=True)
class Minutes:
    approved: MinutesVersion | None  # the latest approved version: the minutes of record
    pending: list[MinutesVersion]  # drafts, or corrections proposed after approval, awaiting a vote
    versions: list[MinutesVersion]  # every version, oldest first


def minutes_of(*, meeting: Meeting) -> Minutes:
    versions = list(meeting.minutes_versions.select_related("approved_by_vote").order_by("number"))
    approved = [v for v in versions if v.approved_by_vote_id is not None]
    latest = approved[-1] if approved else None
    pending = [v for v in versions if v.approved_by_vote_id is None and (latest is None or v.number > latest.number)]
    return Minutes(approved=latest, pending=pending, versions=versions)


def vote_by_reference(*, reference: str) -> Vote | None:
    """The recorded vote a reference names (CONV-2026-M3), for records that cite votes (bylaws versions,
    eligibility overrides, suspensions from leadership); None if there is none. References are never reused."""
    return Vote.objects.filter(reference=(reference or "").strip().upper()).select_related("motion__meeting").first()


def vote_for(*, user: Any, reference: str) -> Vote:
    policy.require(user, "governance.view_meetings")
    vote = vote_by_reference(reference=reference)
    if vote is None:
        raise NotAllowed("no such vote")
    return vote


def roll_call_of(*, vote: Vote) -> list[tuple[str, str]]:
    """(name, choice) for a roll-call vote, by name."""
    return sorted((entry.person.name, entry.choice) for entry in vote.roll_call.select_related("person"))


# Mandates


def _sitting_today(user: Any) -> QuerySet[Seat]:
    today = timezone.localdate()
    return Seat.objects.filter(person__user_id=user.pk, starts_on__lte=today).exclude(ends_on__lte=today)


def _visible_to(user: Any) -> Q:
    if policy.allows(user, "governance.view_members_mandates"):
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


def tracker_counts(*, user: Any, body: Body | None = None) -> dict[str, int]:
    """How many mandates ``user`` sees in each status, and how many are overdue."""
    found = Mandate.objects.filter(_visible_to(user))
    if body is not None:
        found = found.filter(responsible_body=body)
    counts = dict.fromkeys(MandateStatus.values, 0)
    counts.update(dict(found.values_list("status").annotate(n=Count("pk")).values_list("status", "n")))
    counts["overdue"] = found.filter(_overdue(timezone.localdate())).count()
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


def timer_of(*, mandate: Mandate) -> Deadline | None:
    """The mandate's timer: the open one, else the last one set (met, missed or cancelled)."""
    found = Deadline.objects.filter(subject_type=Mandate._meta.label_lower, subject_id=mandate.pk)
    return found.filter(met_at__isnull=True, cancelled_at__isnull=True).first() or found.order_by("-pk").first()


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


def mandate_history(*, user: Any, mandate: Mandate) -> list[MandateEvent]:
    """Everything that happened to a mandate, oldest first: its terms, updates, reminders and misses."""
    if not policy.allows(user, "governance.view_mandate", mandate):
        raise NotAllowed("no such mandate")
    events = [
        MandateEvent(at=t.created_at, kind=t.change, terms=t, ledger_seq=t.ledger_seq)
        for t in terms_of(mandate=mandate)
    ]
    events += [
        MandateEvent(
            at=u.created_at,
            kind="done" if u.status == MandateStatus.DONE else "progress",
            update=u,
            ledger_seq=u.ledger_seq,
        )
        for u in updates_of(mandate=mandate)
    ]
    timers = Deadline.objects.filter(subject_type=Mandate._meta.label_lower, subject_id=mandate.pk)
    for deadline in timers:
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


def followers_count(*, mandate: Mandate) -> int:
    return MandateFollow.objects.filter(mandate=mandate, ended_at__isnull=True).count()
