"""Transparency reports: the figures of a period as computed (small numbers already hidden), with the ledger
checkpoint they were computed at. A draft is reviewed; a carried vote of the body the bylaws name publishes it,
after which it never changes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rankfile.org.models import Body
from rankfile.transparency.periods import period_words


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, for review")
    PUBLISHED = "published", _("Published")


class Audience(models.TextChoices):
    MEMBERS = "members", _("Members only")
    PUBLIC = "public", _("Everyone (public)")


class TransparencyReport(models.Model):
    period = models.CharField(max_length=8)  # 2026H2, 2026Q3, 2026
    starts_on = models.DateField()
    ends_on = models.DateField()  # the period's last day
    figures = models.JSONField()  # codes and counts, small ones already hidden: what every page and file shows
    minimum = models.PositiveSmallIntegerField()  # the bylaws' least count shown, when computed
    checkpoint_size = models.PositiveBigIntegerField()  # the ledger's signed tree head it was computed at
    checkpoint_root = models.CharField(max_length=64)  # its root hash, in hexadecimal
    publisher = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")  # whose vote publishes it
    drafted_at = models.DateTimeField(default=timezone.now)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: drafted on the command line
    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    audience = models.CharField(max_length=12, choices=Audience.choices, blank=True)
    vote_reference = models.CharField(max_length=120, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        verbose_name = _("transparency report")
        ordering = ["-starts_on", "-drafted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period"], condition=models.Q(status="published"), name="one_published_report_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"transparency report {self.period}"

    @property
    def period_in_words(self) -> str:
        """ "July to December 2026", or "2026" for a whole year."""
        return period_words(starts_on=self.starts_on, ends_on=self.ends_on)

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED
