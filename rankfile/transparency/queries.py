"""Reading transparency reports: one a person may read (else "not found"), the lists of them."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from rankfile import policy
from rankfile.errors import NotAllowed
from rankfile.governance.models import Vote, VoteResult
from rankfile.transparency.models import Audience, ReportStatus, TransparencyReport


def report_for(*, user: Any, pk: int) -> TransparencyReport:
    """The report, if ``user`` may read it; otherwise the same refusal as for one that does not exist."""
    report = TransparencyReport.objects.select_related("publisher").filter(pk=pk).first()
    if report is None:
        raise NotAllowed("no such transparency report")
    policy.require(user, "transparency.view_report", report)
    return report


def public_report(*, pk: int) -> TransparencyReport:
    report = TransparencyReport.objects.filter(pk=pk, status=ReportStatus.PUBLISHED, audience=Audience.PUBLIC).first()
    if report is None:
        raise NotAllowed("no such public transparency report")
    return report


def reports_for(*, user: Any) -> list[TransparencyReport]:
    """The reports ``user`` may read: published ones, and drafts for the bodies that review them."""
    found = TransparencyReport.objects.select_related("publisher")
    return [report for report in found if policy.allows(user, "transparency.view_report", report)]


def public_reports() -> QuerySet[TransparencyReport]:
    return TransparencyReport.objects.filter(status=ReportStatus.PUBLISHED, audience=Audience.PUBLIC)


def votes_to_publish(*, report: TransparencyReport, limit: int = 50) -> list[Vote]:
    """The carried votes of the report's publishing body taken since it was drafted, newest first."""
    found = Vote.objects.filter(
        result=VoteResult.CARRIED,
        motion__meeting__bodies=report.publisher,
        taken_on__gte=timezone.localdate(report.drafted_at),
    ).select_related("motion__meeting")
    return list(found.distinct().order_by("-taken_on", "-pk")[:limit])
