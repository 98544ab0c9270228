"""The members' discussion bulletin: contributions members submit, the versions of each (an editor's edit becomes the
text only once its author agrees), and the issues the editors publish. Written only by ``voice.bulletin``."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rankfile.org.models import Person


class BulletinIssue(models.Model):
    """An issue of the bulletin: the contributions accepted since the one before."""

    number = models.PositiveIntegerField(unique=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"issue {self.number}"


class ContributionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for the editors")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Contribution(models.Model):
    """A member's contribution: ``title`` and ``body`` (Markdown) are the text agreed, the author's own or an edit
    they accepted. Once in an issue it is published; an accepted one waits for the next issue."""

    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bulletin_contributions")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=20000)
    status = models.CharField(max_length=10, choices=ContributionStatus.choices, default=ContributionStatus.SUBMITTED)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("why it was rejected"), blank=True)
    issue = models.ForeignKey(
        BulletinIssue, null=True, blank=True, on_delete=models.PROTECT, related_name="contributions"
    )
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def published(self) -> bool:
        return self.issue_id is not None


class VersionStatus(models.TextChoices):
    ORIGINAL = "original", _("as the author submitted it")
    PROPOSED = "proposed", _("an edit waiting for the author's answer")
    AGREED = "agreed", _("an edit the author accepted")
    DECLINED = "declined", _("an edit the author declined")
    LAPSED = "lapsed", _("an edit the author had not answered when the contribution was rejected")


class ContributionVersion(models.Model):
    """Every text a contribution had or was offered: the author's, and each edit an editor proposed."""

    contribution = models.ForeignKey(Contribution, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=20000)
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=VersionStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["contribution", "number"]
        constraints = [models.UniqueConstraint(fields=["contribution", "number"], name="voice_one_version_number_each")]

    def __str__(self) -> str:
        return f"version {self.number} of {self.contribution}"
