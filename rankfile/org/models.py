"""Who is who, and who sat where, when. Every table here is history: rows are added, and a row's end is set
once; nothing is overwritten. Writes go through ``org.actions``."""

import re
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class Person(models.Model):
    """Anyone the organization knows: a member, a former member, an ally, a reporter from outside."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="person"
    )
    member_number = models.CharField(_("member number"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member_number"], condition=~Q(member_number=""), name="org_person_unique_member_number"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    ON_LEAVE = "on_leave", _("on leave")
    SUSPENDED = "suspended", _("suspended")
    EXPELLED = "expelled", _("expelled")
    RESIGNED = "resigned", _("resigned")
    LAPSED = "lapsed", _("lapsed")


# The reasons for a change of membership status, in words: those Rankfile itself records and those an administrator
# chooses; any other reason code (one posted before the choice was a list) is shown with its underscores as spaces.
STATUS_REASON_WORDS = {
    "joined": _("Joined"),
    "imported": _("Imported from the membership list"),
    "dues_unpaid": _("Dues unpaid"),
    "dues_paid": _("Dues paid again"),
    "own_request": _("At their own request"),
    "decision": _("A decision of a body of the organization"),
    "other": _("Another reason (see the note)"),
    "sanction": _("A sanction of a final decision"),
    "override": _("A decision set aside by a vote"),
    "readmitted": _("Re-admitted by a vote"),
}

# The reasons a site administrator chooses from on the status change page; the others are Rankfile's own.
STATUS_REASONS_TO_CHOOSE = ("own_request", "dues_unpaid", "dues_paid", "joined", "decision", "other")


class StatusChange(models.Model):
    """One step of a person's membership history. The status on a date is the latest change in effect then:
    a time-bound one (a leave, a suspension) stops being in effect at its ``until`` and the one before shows."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="status_changes")
    status = models.CharField(max_length=16, choices=MembershipStatus.choices)
    effective_from = models.DateField()
    until = models.DateField(null=True, blank=True, help_text=_("For a time-bound leave or suspension."))
    reason_code = models.CharField(max_length=64)
    reason = models.TextField(blank=True)
    decided_by_body = models.ForeignKey("Body", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by_reference = models.CharField(
        max_length=120, blank=True, help_text=_("The decision or vote, e.g. a case decision or a meeting's vote.")
    )
    case_open = models.BooleanField(
        default=False, help_text=_("A resignation while a case about the person was open; shown if they rejoin.")
    )
    ledger_seq = models.PositiveBigIntegerField(null=True, help_text=_("The ledger entry of the action that made it."))

    class Meta:
        ordering = ["effective_from", "pk"]
        indexes = [models.Index(fields=["person", "effective_from"]), models.Index(fields=["status", "effective_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gt=models.F("effective_from")),
                name="org_status_change_until_after_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.status} from {self.effective_from}"

    def in_effect_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.until is None or day < self.until)

    @property
    def reason_in_words(self) -> str:
        known = STATUS_REASON_WORDS.get(self.reason_code)
        if known is not None:
            return str(known)
        return capfirst(re.sub(r"[_.:-]+", " ", self.reason_code).strip())


class BodyKind(models.TextChoices):
    LEADERSHIP = "leadership", _("leadership")
    DISCIPLINARY = "disciplinary", _("disciplinary")
    APPEALS = "appeals", _("appeals")
    OVERSIGHT = "oversight", _("oversight")
    COMMISSION = "commission", _("commission")
    COMMITTEE = "committee", _("committee")
    BRANCH = "branch", _("branch")
    CAUCUS = "caucus", _("caucus")
    CONVENTION = "convention", _("convention")


# Seats on these are offices: a restriction from leadership positions applies to them.
OFFICE_KINDS = frozenset(
    {
        BodyKind.LEADERSHIP,
        BodyKind.DISCIPLINARY,
        BodyKind.APPEALS,
        BodyKind.OVERSIGHT,
        BodyKind.COMMISSION,
        BodyKind.COMMITTEE,
        BodyKind.BRANCH,
    }
)


class Body(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=BodyKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    min_size = models.PositiveIntegerField(default=0)
    max_size = models.PositiveIntegerField(null=True, blank=True, help_text=_("Empty: no limit."))
    max_consecutive_terms = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Term limit: seats in a row a person may hold. Empty: no limit.")
    )

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SeatRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    VICE_CHAIR = "vice_chair", _("vice chair")
    SECRETARY = "secretary", _("secretary")
    TREASURER = "treasurer", _("treasurer")
    MEMBER = "member", _("member")
    DELEGATE = "delegate", _("delegate")
    ALTERNATE = "alternate", _("alternate")


class SeatBasis(models.TextChoices):
    ELECTED = "elected", _("elected")
    APPOINTED = "appointed", _("appointed")
    CO_OPTED = "co_opted", _("co-opted")
    EX_OFFICIO = "ex_officio", _("ex officio")


class SeatEndReason(models.TextChoices):
    TERM_OVER = "term_over", _("term over")
    RESIGNED = "resigned", _("resigned")
    REMOVED_BY_SANCTION = "removed_by_sanction", _("removed by sanction")
    SUSPENDED_PENDING_INVESTIGATION = (
        "suspended_pending_investigation",
        _("suspended from leadership for the duration of an investigation"),
    )
    RECALLED = "recalled", _("recalled by vote")
    MEMBERSHIP_ENDED = "membership_ended", _("membership ended")
    DIED = "died", _("died")


class Seat(models.Model):
    """A person on a body from ``starts_on`` until the day before ``ends_on`` (empty: still sitting)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="seats")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="seats")
    role = models.CharField(max_length=16, choices=SeatRole.choices, default=SeatRole.MEMBER)
    basis = models.CharField(max_length=16, choices=SeatBasis.choices)
    starts_on = models.DateField()
    term_ends_on = models.DateField(null=True, blank=True, help_text=_("When the term is due to end."))
    ends_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=40, choices=SeatEndReason.choices, blank=True)
    vote_reference = models.CharField(
        max_length=120, blank=True, help_text=_("The carried vote that elected the person, for a seat by election.")
    )
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        indexes = [models.Index(fields=["body", "starts_on"]), models.Index(fields=["person", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="org_seat_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True, end_reason="") | (Q(ends_on__isnull=False) & ~Q(end_reason="")),
                name="org_seat_end_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.body} from {self.starts_on}"


class RestrictionKind(models.TextChoices):
    BARRED_FROM_OFFICE = "barred_from_office", _("barred from office")
    SUSPENDED_FROM_LEADERSHIP = "suspended_from_leadership", _("suspended from leadership positions")
    NOT_IN_GOOD_STANDING = "not_in_good_standing", _("not in good standing")


class RestrictionSource(models.TextChoices):
    SANCTION = "sanction", _("a sanction in a decision")
    INTERIM_MEASURE = "interim_measure", _("an interim measure in an open case")
    VOTE = "vote", _("a recorded vote")


class Restriction(models.Model):
    """What the eligibility check reads. Made only by other parts' actions or a recorded vote, naming its source."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="restrictions")
    kind = models.CharField(max_length=32, choices=RestrictionKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text=_("Empty: until lifted (e.g. when the case closes)."))
    source = models.CharField(max_length=16, choices=RestrictionSource.choices)
    source_reference = models.CharField(max_length=120, help_text=_("The decision, measure or vote it comes from."))
    case_reference = models.CharField(max_length=120, blank=True)
    lifted_on = models.DateField(null=True, blank=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        indexes = [models.Index(fields=["person", "kind"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.kind} from {self.starts_on}"

    def in_effect_on(self, day: date) -> bool:
        end = min((d for d in (self.ends_on, self.lifted_on) if d is not None), default=None)
        return self.starts_on <= day and (end is None or day < end)


class EligibilityOverride(models.Model):
    """Seating an ineligible person, by a recorded vote of the body the bylaws empower. Shown to oversight."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="eligibility_overrides")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="eligibility_overrides")
    reason_code = models.CharField(max_length=40, help_text=_("The reason code that was overridden."))
    meeting_reference = models.CharField(max_length=120)
    vote_reference = models.CharField(max_length=120)
    seat = models.OneToOneField(
        Seat, null=True, blank=True, on_delete=models.PROTECT, related_name="eligibility_override"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    def __str__(self) -> str:
        return f"override for {self.person} on {self.body} ({self.reason_code})"


class BylawsVersion(models.Model):
    """One adopted version of the bylaws. Never edited: a change is a new version citing its own vote."""

    number = models.PositiveIntegerField(unique=True)
    effective_from = models.DateField()
    adopted_by_vote = models.CharField(max_length=200, help_text=_("The vote that adopted it, e.g. its reference."))
    document = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["-effective_from", "-number"]

    def __str__(self) -> str:
        return f"bylaws version {self.number}, in force from {self.effective_from}"


class LegacyLedgerActor(models.Model):
    """An account that ledger entries named before they named people, and whose it was then.

    Those entries record actor type ``person`` with the account's id, not the person's. The entries can never be
    rewritten, so this table, filled once by a migration from the accounts' people, says whom they mean
    (docs/ledger.md)."""

    account_id = models.PositiveBigIntegerField(unique=True, help_text=_("The id the old entries carry."))
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the account belonged to no person, and is shown as the account."),
    )

    class Meta:
        verbose_name = _("account named by old ledger entries")
        verbose_name_plural = _("accounts named by old ledger entries")

    def __str__(self) -> str:
        return f"old ledger actor {self.account_id}"
