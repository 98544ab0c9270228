"""Drafting and publishing transparency reports; each on the ledger."""

import hashlib
import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.errors import InvalidInput
from rankfile.governance import queries as governance_queries
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema as ls
from rankfile.org import queries as org_queries
from rankfile.org.models import Body
from rankfile.transactions import action
from rankfile.transparency.figures import report_figures, transparency_rules
from rankfile.transparency.models import Audience, ReportStatus, TransparencyReport
from rankfile.transparency.periods import period_parse

REPORT_DRAFTED = ls.define(
    "transparency.report_drafted",
    label=gettext_lazy("A transparency report was drafted"),
    fields={
        "report": ls.ID,
        "period": ls.CODE,
        "checkpoint_size": ls.COUNT,
        "checkpoint_root": ls.HASH,
        "figures": ls.HASH,
    },
)
REPORT_PUBLISHED = ls.define(
    "transparency.report_published",
    label=gettext_lazy("A transparency report was published by a vote"),
    fields={"report": ls.ID, "period": ls.CODE, "vote": ls.ID, "audience": ls.CODE, "figures": ls.HASH},
    checkpoint_after=True,
)


def publishing_body(*, rules: dict[str, Any]) -> Body:
    """The body whose carried vote publishes reports: the bylaws' ``transparency.publisher``, else the oversight
    body."""
    slug = rules.get("publisher") or ""
    found = Body.objects.filter(slug=slug).first() if slug else org_queries.role_body("oversight")
    if found is None:
        raise InvalidInput(
            _("The bylaws name no oversight body and no transparency.publisher: nobody could publish the report."),
            code="no_publisher",
        )
    return found


@action
def report_draft(*, period: str, by: Any) -> TransparencyReport:
    """Compute the report of ``period`` (2026H2, 2026Q3, 2026: as long as the bylaws' ``transparency.period_months``)
    from the live records, at a signed ledger checkpoint, and keep it as a draft for review."""
    policy.require(by, "transparency.draft")
    today = timezone.localdate()
    rules = transparency_rules(day=today)
    chosen = period_parse(period, months=int(rules["period_months"]))
    if chosen.starts_on > today:
        message = _("The period %(period)s has not begun yet.") % {"period": chosen.code}
        raise InvalidInput(message, code="period_not_begun", field_errors={"period": [message]})
    publisher = publishing_body(rules=transparency_rules(day=chosen.ends_on))
    checkpoint = ledger.checkpoint_create()  # the figures are those of the records as this checkpoint signs them
    now = timezone.now()
    report = TransparencyReport.objects.create(
        period=chosen.code,
        starts_on=chosen.starts_on,
        ends_on=chosen.ends_on,
        figures=report_figures(period=chosen, now=now),
        minimum=int(transparency_rules(day=chosen.ends_on)["minimum"]),
        checkpoint_size=checkpoint.size,
        checkpoint_root=bytes(checkpoint.root).hex(),
        publisher=publisher,
        drafted_at=now,
        drafted_by=by if getattr(by, "is_authenticated", False) else None,
    )
    entry = ledger.record(
        actor=by,
        action=REPORT_DRAFTED,
        subject=report,
        data={
            "report": report.pk,
            "period": report.period.lower(),
            "checkpoint_size": report.checkpoint_size,
            "checkpoint_root": report.checkpoint_root,
            "figures": figures_hash(report),
        },
    )
    report.ledger_seq = entry.seq
    report.save(update_fields=["ledger_seq"])
    return report


@action
def report_publish(*, report: TransparencyReport, vote_reference: str, audience: str, by: Any) -> TransparencyReport:
    """Publish the draft ``report`` as it was computed, citing a carried vote of its publishing body taken on or after
    the day it was drafted; to the members, or to everyone. A published report never changes."""
    policy.require(by, "transparency.publish", report)
    if audience not in Audience.values:
        message = _("Choose who may read the report: the members, or everyone.")
        raise InvalidInput(message, code="bad_audience", field_errors={"audience": [message]})
    vote = governance_queries.carried_vote_of(
        report.publisher, vote_reference=vote_reference.strip(), power=_("publish a transparency report")
    )
    if vote.taken_on < timezone.localdate(report.drafted_at):
        message = _("Vote %(ref)s was taken before this draft was made: the body must vote on the draft it read.") % {
            "ref": vote.reference
        }
        raise InvalidInput(message, code="vote_before_draft", field_errors={"vote_reference": [message]})
    if TransparencyReport.objects.filter(period=report.period, status=ReportStatus.PUBLISHED).exists():
        message = _("A report for %(period)s is published already; it stays as it was.") % {"period": report.period}
        raise InvalidInput(message, code="already_published")
    report.status = ReportStatus.PUBLISHED
    report.audience = audience
    report.vote_reference = vote.reference
    report.published_at = timezone.now()
    report.save(update_fields=["status", "audience", "vote_reference", "published_at"])
    ledger.record(
        actor=by,
        action=REPORT_PUBLISHED,
        subject=report,
        data={
            "report": report.pk,
            "period": report.period.lower(),
            "vote": vote.pk,
            "audience": audience,
            "figures": figures_hash(report),
        },
    )
    return report


def figures_hash(report: TransparencyReport) -> str:
    """The SHA-256 of the figures as compact JSON with sorted keys: the ledger holds it when the report is drafted
    and again when it is published, so anyone can check that the published figures are the ones drafted."""
    text = json.dumps(report.figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
