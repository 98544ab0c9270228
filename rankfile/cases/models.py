"""Reports and how they are handled. What a report says lives only in the vault (sealed documents); these tables
hold who may read it, where it stands, and when each step is due."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rankfile.org.models import Body, Person
from rankfile.vault.models import Document, Keypair


class ReportPath(models.TextChoices):
    RECORD_ONLY = "record_only", _("Record only")
    SUPPORT_ONLY = "support_only", _("Support only")
    INFORMAL = "informal", _("Informal resolution")
    FORMAL = "formal", _("Formal complaint")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECORDED = "recorded", _("Recorded privately")
    SUBMITTED = "submitted", _("Sent, waiting to be acknowledged")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")
    DELETED = "deleted", _("Deleted by the reporter")
    PURGED = "purged", _("Purged after the retention period")


class Report(models.Model):
    """One report. Its content (what happened, when, where, who, witnesses, wishes, contact) is one sealed document
    with versions; only the reporter's key and, once it is sent, its handlers' keys open it."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="reports_made"
    )  # empty for an anonymous reporter
    reporter_key = models.ForeignKey(Keypair, on_delete=models.PROTECT, related_name="reports")
    path = models.CharField(max_length=16, choices=ReportPath.choices)
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # About a person (member or not), and/or about how officials or a body handled something.
    respondent = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="reports_about"
    )
    process_complaint = models.BooleanField(default=False)
    handling_body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    content = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    evidence = models.ManyToManyField(Document, blank=True, related_name="+")  # sealed files the reporter attached
    created_at = models.DateTimeField(auto_now_add=True)  # the original time stamp, kept through every change
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)  # content deleted or purged; the ledger remains
    # When the reporter last opened the report's page: what happened after it is marked as an update for them.
    reporter_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report")

    def __str__(self) -> str:
        return f"report {self.pk}"


class NamedConflict(models.Model):
    """Someone the reporter does not want handling the report; excluded from it, and later from its panel."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="named_conflicts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "person"], name="cases_conflict_named_once")]

    def __str__(self) -> str:
        return f"{self.person} named on {self.report}"


class Handler(models.Model):
    """Someone the report was routed to. Only handlers (and the reporter) are ever told it exists."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="handlers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reports_handled")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "person"], name="cases_handler_once")]

    def __str__(self) -> str:
        return f"{self.person} handling {self.report}"


class StatusStep(models.Model):
    """The report's history as the reporter sees it: each change of status or path."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=16, choices=ReportStatus.choices)
    path = models.CharField(max_length=16, choices=ReportPath.choices)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.report}: {self.status} ({self.path})"


class MessageSide(models.TextChoices):
    REPORTER = "reporter", _("reporter")
    HANDLERS = "handlers", _("handlers")


class Message(models.Model):
    """A sealed message between the reporter and the handlers, or a handlers' internal note (never shown to the
    reporter)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(max_length=16, choices=MessageSide.choices)
    author = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    internal_note = models.BooleanField(default=False)
    content = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    attachments = models.ManyToManyField(Document, blank=True, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"message {self.pk} on {self.report}"


class MeasureKind(models.TextChoices):
    NO_CONTACT = "no_contact", _("No-contact arrangement")
    EXCUSAL = "excusal", _("Excusal from shared meetings or roles")
    MEETING_ARRANGEMENTS = "meeting_arrangements", _("Changed meeting arrangements")
    OTHER = "other", _("Other support")


class MeasureStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("In place")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended")


class SupportiveMeasure(models.Model):
    """Non-punitive help for a party, decided by the handling body independently of any finding; reviewed by a date.
    What it involves in detail is sealed (``details``)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supportive_measures")
    kind = models.CharField(max_length=24, choices=MeasureKind.choices)
    status = models.CharField(max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.REQUESTED)
    details = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review_on = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.report}"
