"""A deadline: a step some body must take by a time, with a reminder before and an escalation after."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from rankfile.org.models import Body


class Deadline(models.Model):
    """Open until met or cancelled. ``reminded_at`` and ``missed_at`` are set once, by the tick that acts on them."""

    kind = models.CharField(max_length=64)  # registered in rankfile.deadlines.kinds, e.g. "cases.acknowledge_report"
    subject_type = models.CharField(max_length=80)  # what it is about, as the ledger names subjects
    subject_id = models.BigIntegerField()
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines")
    due_at = models.DateTimeField()
    remind_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    missed_at = models.DateTimeField(null=True, blank=True)
    met_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deadline")
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(
                fields=["due_at"],
                condition=models.Q(met_at__isnull=True, cancelled_at__isnull=True),
                name="deadlines_open_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.subject_type} {self.subject_id}, due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.cancelled_at is None
