"""Meetings, motions and recorded votes; mandates with their terms, milestones and progress.

Everything here is history. A meeting's record is locked once a later vote approves its minutes; a correction is a
new version. A mandate's terms are versions, each citing the vote that set them. Writes go through
``governance.actions`` and ``governance.mandates``.
"""

import re
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from rankfile.org.models import Body, Person


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("regular")
    SPECIAL = "special", _("special")
    EMERGENCY = "emergency", _("emergency")


class Meeting(models.Model):
    """A meeting of one body, or a joint meeting of several (a convention is a meeting of the convention body)."""

    reference = models.CharField(
        max_length=40, unique=True, help_text=_("Stable and never reused, e.g. CONV-2026 or SC-2026-03-14.")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    held_on = models.DateField(_("held on"))
    ends_on = models.DateField(_("last day"), null=True, blank=True, help_text=_("For a meeting of several days."))
    place = models.CharField(_("place"), max_length=200, blank=True)
    bodies = models.ManyToManyField(Body, related_name="meetings")
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("Plain text or Markdown (the source)."))
    locked_at = models.DateTimeField(null=True, blank=True, help_text=_("When a later vote approved its minutes."))
    created_at = models.DateTimeField(auto_now_add=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        verbose_name = _("meeting")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("held_on")),
                name="governance_meeting_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def last_day(self) -> date:
        return self.ends_on or self.held_on

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Capacity(models.TextChoices):
    SEAT = "seat", _("with a vote (sits on one of the meeting's bodies)")
    ALTERNATE = "alternate", _("alternate (no vote unless seated)")
    INVITED = "invited", _("invited, without a vote")


class Attendance(models.Model):
    """One person at a meeting. ``departed`` marks someone who left: later votes and quorums count without them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="meetings_attended")
    capacity = models.CharField(max_length=16, choices=Capacity.choices)
    departed = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="governance_attendance_once")]

    def __str__(self) -> str:
        return f"{self.person} at {self.meeting.reference} ({self.capacity})"


class MinutesVersion(models.Model):
    """One version of a meeting's minutes, never edited. Approved by a carried vote at a later meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes_versions")
    number = models.PositiveIntegerField()
    text = models.TextField(help_text=_("Plain text or Markdown (the source; rendered safely when shown)."))
    sha256 = models.CharField(max_length=64)
    correction = models.BooleanField(default=False, help_text=_("Proposed after earlier minutes were approved."))
    approved_by_vote = models.OneToOneField(
        "Vote", null=True, blank=True, on_delete=models.PROTECT, related_name="approved_minutes"
    )
    approved_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="governance_minutes_version_once"),
        ]

    def __str__(self) -> str:
        return f"minutes of {self.meeting.reference}, version {self.number}"


class Threshold(models.TextChoices):
    MAJORITY = "majority", _("a majority of the votes cast")
    TWO_THIRDS = "two_thirds", _("two thirds of the votes cast")


class MotionStatus(models.TextChoices):
    PENDING = "pending", _("before the meeting")
    CARRIED = "carried", _("carried")
    FAILED = "failed", _("failed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class CaseEffect(models.TextChoices):
    OVERRIDE = "override", _("overrides the case's final decision")
    READMISSION = "readmission", _("re-admits the member the case's final decision expelled")


TITLE_LENGTH = 100


class Motion(models.Model):
    """A motion put to a meeting: numbered in the meeting (M1, M2, …), never renumbered, voted on once."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="motions")
    number = models.PositiveIntegerField()
    text = models.TextField(_("text"))
    mover = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="motions_moved")
    seconder = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="motions_seconded"
    )
    threshold = models.CharField(max_length=16, choices=Threshold.choices, default=Threshold.MAJORITY)
    approves_minutes = models.ForeignKey(
        MinutesVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="approval_motions"
    )
    status = models.CharField(max_length=16, choices=MotionStatus.choices, default=MotionStatus.PENDING)
    # The people a motion is about (a case's respondent, someone to re-admit or seat): interested, so they move,
    # second and count in its vote not at all.
    concerns = models.ManyToManyField(Person, blank=True, related_name="+")
    # What a motion does to a case's final decision, if anything: the override or re-admission it is about cites
    # this case, and nothing else.
    case_reference = models.CharField(_("case"), max_length=40, blank=True)
    case_effect = models.CharField(_("what it does"), max_length=16, choices=CaseEffect.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="governance_motion_number_once")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.meeting.reference}-M{self.number}"

    @property
    def title(self) -> str:
        """What a motion is called where it is cited: the first line of its text, without Markdown marks, short."""
        first = next((line for line in self.text.splitlines() if line.strip()), "")
        plain = re.sub(r"[*_`#>]+", "", first).strip()
        return Truncator(plain).chars(TITLE_LENGTH)

    def status_on(self, day: date) -> str | Promise:
        """The motion's status in words on ``day``: a motion still pending once its meeting is over was never voted
        on, which "before the meeting" would not say."""
        if self.status != MotionStatus.PENDING:
            return self.get_status_display()
        if self.meeting.last_day < day:
            return _("not voted on; the meeting has passed")
        if self.meeting.held_on <= day:
            return _("awaiting a vote")
        return self.get_status_display()


class VoteMethod(models.TextChoices):
    COUNTS = "counts", _("counted: for, against, abstaining")
    ROLL_CALL = "roll_call", _("roll call: each person's vote")
    UNANIMOUS = "unanimous", _("unanimous")


class VoteResult(models.TextChoices):
    CARRIED = "carried", _("carried")
    FAILED = "failed", _("failed")


class Vote(models.Model):
    """The recorded vote on a motion: the counts, the result, and who was entitled to vote at that moment."""

    motion = models.OneToOneField(Motion, on_delete=models.PROTECT, related_name="vote")
    reference = models.CharField(max_length=60, unique=True, help_text=_("The motion's: CONV-2026-M3."))
    method = models.CharField(max_length=16, choices=VoteMethod.choices)
    votes_for = models.PositiveIntegerField()
    votes_against = models.PositiveIntegerField()
    abstentions = models.PositiveIntegerField()
    threshold = models.CharField(max_length=16, choices=Threshold.choices)
    result = models.CharField(max_length=16, choices=VoteResult.choices)
    taken_on = models.DateField(help_text=_("The day of the vote, in the organization's time zone."))
    entitled = models.ManyToManyField(Person, related_name="+", help_text=_("Who could vote, as it stood then."))
    present = models.PositiveIntegerField(help_text=_("People present, with a vote or not."))
    quorum = models.JSONField(help_text=_("Per body: seats filled, needed for quorum, present."))
    recorded_at = models.DateTimeField(auto_now_add=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["taken_on", "pk"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.result} {self.votes_for}-{self.votes_against}-{self.abstentions}"

    @property
    def carried(self) -> bool:
        return self.result == VoteResult.CARRIED

    @property
    def votes_cast(self) -> int:
        return self.votes_for + self.votes_against


class Choice(models.TextChoices):
    FOR = "for", _("for")
    AGAINST = "against", _("against")
    ABSTAIN = "abstain", _("abstain")


class RollCallEntry(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="roll_call")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    counted = models.BooleanField(
        default=True, help_text=_("False for someone the motion concerns: recorded, not counted.")
    )

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["vote", "person"], name="governance_roll_call_once")]

    def __str__(self) -> str:
        return f"{self.person}: {self.choice}"


class Visibility(models.TextChoices):
    MEMBERS = "members", _("members only")
    PUBLIC = "public", _("public")


class MandateStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    BLOCKED = "blocked", _("blocked")
    DONE = "done", _("done")
    RESCINDED = "rescinded", _("rescinded")


OPEN_STATUSES = (MandateStatus.NOT_STARTED, MandateStatus.IN_PROGRESS, MandateStatus.BLOCKED)


class Mandate(models.Model):
    """A binding instruction adopted by a vote. The fields below are the terms in force (the latest
    ``MandateTerms``); only a vote of the adopting body or a later convention changes them."""

    reference = models.CharField(max_length=64, unique=True, help_text=_("The adopting vote's, numbered: …-M3.1."))
    adopted_by_vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="mandates")
    adopting_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="mandates_adopted")
    adopted_on = models.DateField()
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what must be done"))
    responsible_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="mandates")
    due_on = models.DateField(_("due on"), help_text=_("Due by the end of this day, in the organization's time zone."))
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS)
    terms_number = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, choices=MandateStatus.choices, default=MandateStatus.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    rescinded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ledger_seq = models.PositiveBigIntegerField(
        null=True, help_text=_("The ledger entry of the vote's adoption of it.")
    )

    class Meta:
        verbose_name = _("mandate")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["responsible_body", "status"]),
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["visibility", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Open after the end of its due day (local time): shown as overdue until done or rescinded."""
        return self.is_open and self.due_on < timezone.localdate()


class TermsChange(models.TextChoices):
    ADOPTED = "adopted", _("adopted")
    AMENDED = "amended", _("amended")
    EXTENDED = "extended", _("extended")
    RESCINDED = "rescinded", _("rescinded")


class MandateTerms(models.Model):
    """One version of a mandate's terms, as a vote set them. Earlier versions stay visible."""

    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="terms")
    number = models.PositiveIntegerField()
    change = models.CharField(max_length=16, choices=TermsChange.choices)
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="mandate_terms")
    title = models.CharField(max_length=200)
    text = models.TextField()
    responsible_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    due_within_days = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("When the vote said 'within N days' (of the vote) rather than a date.")
    )
    visibility = models.CharField(max_length=16, choices=Visibility.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["mandate", "number"]
        constraints = [
            models.UniqueConstraint(fields=["mandate", "number"], name="governance_terms_number_once"),
            models.UniqueConstraint(fields=["mandate", "vote"], name="governance_terms_one_per_vote"),
        ]

    def __str__(self) -> str:
        return f"{self.mandate.reference}, terms {self.number} ({self.change})"


class Milestone(models.Model):
    """A step on the way, with an optional date (and then a timer). Replaced milestones stay, marked dropped."""

    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="milestones")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    added_in_terms = models.PositiveIntegerField()
    dropped_in_terms = models.PositiveIntegerField(null=True, blank=True)
    reached_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["mandate", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.mandate.reference}: {self.title}"


class ProgressUpdate(models.Model):
    """What the responsible body reports: status, percentage, text and links; ``delivered`` when done."""

    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="updates")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=MandateStatus.choices)
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    links = models.JSONField(default=list, blank=True)
    delivered = models.TextField(blank=True, help_text=_("When done: a short account of what was delivered."))
    milestones_reached = models.ManyToManyField(Milestone, blank=True, related_name="+")
    posted_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    on_behalf = models.BooleanField(
        default=False,
        help_text=_(
            "Posted for the body by someone who does not sit on it (the command line), not by one of its members."
        ),
    )
    posted_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["mandate", "number"]
        constraints = [
            models.UniqueConstraint(fields=["mandate", "number"], name="governance_update_number_once"),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="governance_update_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mandate.reference}, update {self.number} ({self.status})"


class MandateFollow(models.Model):
    """A login that follows a mandate and is emailed of each update; ``ended_at`` once it stops."""

    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mandates_followed")
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mandate", "user"], condition=Q(ended_at__isnull=True), name="governance_follow_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.mandate.reference}"


class CalendarFeed(models.Model):
    """A member's private address for the members' calendar feed, for calendar apps, which cannot sign in.

    The address holds an HMAC of the login and ``salt`` under the server's secret key; the table keeps only the
    SHA-256 of that token, to find it. A new salt makes a new address and the old one stops working; an empty salt
    means the member stopped it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_feed")
    salt = models.CharField(max_length=64, blank=True)
    token_sha256 = models.CharField(max_length=64, null=True, blank=True, unique=True)
    renewals = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"calendar feed of {self.user}"

    @property
    def is_active(self) -> bool:
        return bool(self.salt and self.token_sha256)

    def token(self) -> str:
        """The secret part of the address: only this server, with its secret key, can make it from the salt."""
        return salted_hmac(
            "rankfile.governance.calendar_feed", f"{self.user_id}:{self.salt}", algorithm="sha256"
        ).hexdigest()
