"""Retention: closed matters are kept for the years the bylaws say (default 7), then their sealed content is
destroyed, with the purge on the ledger. A reporter may delete a private record (record only) at any time. In both
cases the ledger entries remain; only the content is gone."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.cases.actions.intake import REPORTER, documents_of
from rankfile.cases.models import Report, ReportPath, ReportStatus
from rankfile.deadlines import actions as deadlines
from rankfile.errors import InvalidInput
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema
from rankfile.org import queries as org_queries
from rankfile.transactions import action
from rankfile.vault import documents
from rankfile.vault.keys import UnlockedKey

REPORT_DELETED = schema.define(
    "cases.report_deleted",
    label=gettext_lazy("A report was deleted"),
    fields={"report": schema.ID, "versions": schema.COUNT},
)
REPORT_PURGED = schema.define(
    "cases.report_purged",
    label=gettext_lazy("A report was purged after its retention period"),
    fields={"report": schema.ID, "versions": schema.COUNT, "kept_years": schema.COUNT},
)


def _destroy_all(report: Report) -> int:
    destroyed = sum(documents.destroy(document=document) for document in documents_of(report, with_internal_notes=True))
    for deadline in deadlines.open_deadlines_for(report):
        deadlines.deadline_cancel(deadline=deadline, by=ledger.SYSTEM)
    return destroyed


@action
def record_delete(*, report: Report, key: UnlockedKey) -> Report:
    """The reporter deletes their private record: its content is destroyed now, for good."""
    policy.require(key, "cases.hold_reporter_key", report)  # only the reporter deletes their record
    if report.path != ReportPath.RECORD_ONLY or report.status not in (ReportStatus.DRAFT, ReportStatus.RECORDED):
        raise InvalidInput(
            _("Only a private record can be deleted; a report that was sent is kept as the bylaws say."),
            code="not_private",
        )
    versions = _destroy_all(report)
    report.status = ReportStatus.DELETED
    report.destroyed_at = timezone.now()
    report.save(update_fields=["status", "destroyed_at"])
    ledger.record(
        actor=REPORTER, action=REPORT_DELETED, subject=report, data={"report": report.pk, "versions": versions}
    )
    return report


def purge_due(now: datetime) -> int:
    """Destroy the content of every matter closed or withdrawn longer ago than the bylaws keep records."""
    years = int(org_queries.bylaws_document(day=now.date())["records"]["kept_years"])
    cutoff = now - timedelta(days=365 * years + years // 4)
    due = Report.objects.filter(destroyed_at__isnull=True, status__in=[ReportStatus.CLOSED, ReportStatus.WITHDRAWN])
    due = due.filter(closed_at__lt=cutoff) | due.filter(closed_at__isnull=True, withdrawn_at__lt=cutoff)
    purged = 0
    for report in due:
        with transaction.atomic():
            _purge(report, now=now, years=years)
            purged += 1
    return purged


def _purge(report: Report, *, now: datetime, years: int) -> None:
    versions = _destroy_all(report)
    report.status = ReportStatus.PURGED
    report.destroyed_at = now
    report.save(update_fields=["status", "destroyed_at"])
    ledger.record(
        actor=ledger.SYSTEM,
        action=REPORT_PURGED,
        subject=report,
        data={"report": report.pk, "versions": versions, "kept_years": years},
    )
