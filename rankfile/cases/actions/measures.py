"""Supportive measures: requested by a party, decided by the handlers independently of any finding, each with a
review date and a timer. Non-punitive, and recorded as such: their ledger entries say ``supportive``."""

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.cases import notify
from rankfile.cases.actions.intake import (
    REPORTER,
    ReportRead,
    readers_of,
    require_handler,
)
from rankfile.cases.models import MeasureKind, MeasureStatus, Report, ReportStatus, SupportiveMeasure
from rankfile.cases.timers import SUPPORTIVE_REVIEW
from rankfile.deadlines import actions as deadlines
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema
from rankfile.org import queries as org_queries
from rankfile.transactions import action
from rankfile.vault import documents
from rankfile.vault.errors import VaultError
from rankfile.vault.keys import UnlockedKey

MEASURE_REQUESTED = schema.define(
    "cases.supportive_measure_requested",
    label=gettext_lazy("A supportive measure was asked for"),
    fields={"report": schema.ID, "measure": schema.ID, "kind": schema.CODE, "nature": schema.CODE},
)
MEASURE_DECIDED = schema.define(
    "cases.supportive_measure_decided",
    label=gettext_lazy("A supportive measure was decided"),
    fields={
        "report": schema.ID,
        "measure": schema.ID,
        "granted": schema.BOOL,
        "review_on": schema.optional(schema.DATE),
        "nature": schema.CODE,
    },
)
MEASURE_REVIEWED = schema.define(
    "cases.supportive_measure_reviewed",
    label=gettext_lazy("A supportive measure was reviewed"),
    fields={
        "report": schema.ID,
        "measure": schema.ID,
        "continued": schema.BOOL,
        "review_on": schema.optional(schema.DATE),
    },
)
SUPPORTIVE = "supportive"  # never a sanction, whatever the outcome of the case


@action
def measure_request(*, report: Report, kind: str, details: str, key: UnlockedKey) -> SupportiveMeasure:
    """The reporter asks for a supportive measure (the respondent's requests come with the formal process)."""
    policy.require(key, "cases.hold_reporter_key", report)  # only the reporter asks (the respondent: later)
    if kind not in MeasureKind.values:
        raise InvalidInput(
            _("Choose the kind of support."), code="kind", field_errors={"kind": [_("Choose the kind of support.")]}
        )
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.ACKNOWLEDGED):
        raise InvalidInput(_("Supportive measures are for a report that was sent."), code="not_sent")
    text = (details or "").strip()
    if len(text) > 10_000:
        raise InvalidInput(
            _("Describe it in fewer than 10,000 characters."),
            code="too_long",
            field_errors={"details": [_("Describe it in fewer than 10,000 characters.")]},
        )
    sealed = documents.seal(kind="supportive_measure", content=text, readers=readers_of(report))
    measure = SupportiveMeasure.objects.create(report=report, kind=kind, details=sealed.document)
    ledger.record(
        actor=REPORTER,
        action=MEASURE_REQUESTED,
        subject=report,
        data={"report": report.pk, "measure": measure.pk, "kind": kind, "nature": SUPPORTIVE},
    )
    return measure


def _review_deadline(measure: SupportiveMeasure, *, review_on: Any, by: Any) -> None:
    due = timezone.make_aware(datetime.combine(review_on, time(23, 59)))
    deadlines.deadline_set(
        kind=SUPPORTIVE_REVIEW.code,
        subject=measure,
        due_at=due,
        body=measure.report.handling_body,
        remind_before=timedelta(days=3),
        by=by,
    )


@action
def measure_decide(*, measure: SupportiveMeasure, granted: bool, by: Any) -> SupportiveMeasure:
    """Grant (with a review date from the bylaws) or decline; independent of any finding."""
    require_handler(report=measure.report, user=by)
    if measure.status != MeasureStatus.REQUESTED:
        raise InvalidInput(_("This request was already decided."), code="decided")
    today = timezone.localdate()
    review_on = None
    if granted:
        days = int(org_queries.bylaws_document(day=today)["deadlines"]["supportive_measure_review"])
        review_on = today + timedelta(days=days)
        _review_deadline(measure, review_on=review_on, by=by)
    measure.status = MeasureStatus.GRANTED if granted else MeasureStatus.DECLINED
    measure.decided_at = timezone.now()
    measure.decided_by = org_queries.person_of(user=by)
    measure.review_on = review_on
    measure.save(update_fields=["status", "decided_at", "decided_by", "review_on"])
    report = measure.report
    notify.reporter_of_update(report)
    ledger.record(
        actor=by,
        action=MEASURE_DECIDED,
        subject=measure.report,
        data={
            "report": measure.report_id,
            "measure": measure.pk,
            "granted": granted,
            "review_on": review_on.isoformat() if review_on else None,
            "nature": SUPPORTIVE,
        },
    )
    return measure


@action
def measure_review(*, measure: SupportiveMeasure, continued: bool, by: Any) -> SupportiveMeasure:
    """At (or before) the review date: keep it for another period, or end it."""
    require_handler(report=measure.report, user=by)
    if measure.status != MeasureStatus.GRANTED:
        raise InvalidInput(_("Only a measure in place is reviewed."), code="not_in_place")
    for deadline in deadlines.open_deadlines_for(measure):
        deadlines.deadline_met(deadline=deadline, by=by)
    review_on = None
    if continued:
        days = int(org_queries.bylaws_document(day=timezone.localdate())["deadlines"]["supportive_measure_review"])
        review_on = timezone.localdate() + timedelta(days=days)
        _review_deadline(measure, review_on=review_on, by=by)
        measure.review_on = review_on
    else:
        measure.status = MeasureStatus.ENDED
        measure.ended_at = timezone.now()
        report = measure.report
        notify.reporter_of_update(report)
    measure.save(update_fields=["status", "review_on", "ended_at"])
    ledger.record(
        actor=by,
        action=MEASURE_REVIEWED,
        subject=measure.report,
        data={
            "report": measure.report_id,
            "measure": measure.pk,
            "continued": continued,
            "review_on": review_on.isoformat() if review_on else None,
        },
    )
    return measure


def measure_details_open(*, measure: SupportiveMeasure, key: UnlockedKey, actor: Any, capacity: str) -> str | None:
    """What the reporter wrote with their request, opened with ``key`` (None when it is not among its readers); the
    opening is a read of the report on the ledger."""
    try:
        version = documents.latest(measure.details)
        with documents.reading(version, key):
            return documents.open_text(
                version, key=key, purpose=ReportRead(report=measure.report, actor=actor, capacity=capacity)
            )
    except (NotAllowed, VaultError):
        return None
