"""Every write to deadlines, and ``tick``: the one job that reminds before a deadline and escalates after it.

``tick`` is idempotent and safe to run twice at once: each reminder and each escalation is claimed by a conditional
update of its own row, in a transaction of its own, and acted on only by the run whose update changed the row. The
alert and the kind's hooks run inside that transaction, so if one fails (the mail server is down) the claim rolls
back and the next run tries again: an alert may, rarely, be sent twice, but never not at all.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy

from rankfile.deadlines import kinds
from rankfile.deadlines.models import Deadline
from rankfile.errors import InvalidInput
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema
from rankfile.org import queries as org_queries
from rankfile.org.models import Body
from rankfile.transactions import action

log = logging.getLogger(__name__)

DEADLINE_SET = schema.define(
    "deadlines.set",
    label=gettext_lazy("A deadline was set"),
    fields={"deadline": schema.ID, "kind": schema.CODE, "body": schema.optional(schema.ID)},
)
DEADLINE_MET = schema.define("deadlines.met", label=gettext_lazy("A deadline was met"), fields={"deadline": schema.ID})
DEADLINE_CANCELLED = schema.define(
    "deadlines.cancelled", label=gettext_lazy("A deadline was cancelled"), fields={"deadline": schema.ID}
)
REMINDER_SENT = schema.define(
    "deadlines.reminder_sent", label=gettext_lazy("A reminder of a deadline was sent"), fields={"deadline": schema.ID}
)
# Flagged: the oversight body sees every miss on the Ledger page.
DEADLINE_MISSED = schema.define(
    "deadlines.missed",
    label=gettext_lazy("A deadline was missed"),
    fields={"deadline": schema.ID, "kind": schema.CODE, "alerted": schema.COUNT},
    flagged=True,
)


@action
def deadline_set(
    *,
    kind: str,
    subject: Model,
    due_at: datetime,
    by: Any,
    body: Body | None = None,
    remind_before: timedelta | None = None,
) -> Deadline:
    """A new timer; the caller's action has already decided that the step is due then."""
    kinds.kind_of(kind)  # a kind no part registered is refused: nothing would happen when it is missed
    if timezone.is_naive(due_at):
        raise InvalidInput("a deadline needs a time zone", code="naive_deadline")
    deadline = Deadline.objects.create(
        kind=kind,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        body=body,
        due_at=due_at,
        remind_at=due_at - remind_before if remind_before else None,
    )
    ledger.record(
        actor=by,
        action=DEADLINE_SET,
        subject=deadline,
        data={"deadline": deadline.pk, "kind": kind, "body": body.pk if body else None},
    )
    return deadline


def _close(deadline: Deadline, *, field_name: str, entry: str, by: Any) -> bool:
    now = timezone.now()
    closed = Deadline.objects.filter(pk=deadline.pk, met_at__isnull=True, cancelled_at__isnull=True).update(
        **{field_name: now}
    )
    if closed:
        setattr(deadline, field_name, now)
        ledger.record(actor=by, action=entry, subject=deadline, data={"deadline": deadline.pk})
    return bool(closed)


@action
def deadline_met(*, deadline: Deadline, by: Any) -> bool:
    """The step was taken (late or not); False if the deadline was already closed."""
    return _close(deadline, field_name="met_at", entry=DEADLINE_MET, by=by)


@action
def deadline_cancel(*, deadline: Deadline, by: Any) -> bool:
    """The step is no longer needed (the matter was withdrawn or took another path)."""
    return _close(deadline, field_name="cancelled_at", entry=DEADLINE_CANCELLED, by=by)


def open_deadlines_for(subject: Model) -> list[Deadline]:
    return list(
        Deadline.objects.filter(
            subject_type=subject._meta.label_lower,
            subject_id=subject.pk,
            met_at__isnull=True,
            cancelled_at__isnull=True,
        ).order_by("due_at")
    )


@dataclass
class TickReport:
    reminded: list[int] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    periodic: dict[str, int] = field(default_factory=dict)  # job name -> how many things it did


def tick(*, now: datetime | None = None) -> TickReport:
    """Remind of every deadline whose reminder time has come, and escalate every one that passed unmet."""
    now = now or timezone.now()
    report = TickReport()
    open_ones = Deadline.objects.filter(met_at__isnull=True, cancelled_at__isnull=True)
    for pk in open_ones.filter(remind_at__lte=now, reminded_at__isnull=True, due_at__gt=now).values_list(
        "pk", flat=True
    ):
        _each(pk, report.reminded, report, lambda deadline: _remind(deadline, now=now))
    for pk in open_ones.filter(due_at__lte=now, missed_at__isnull=True).values_list("pk", flat=True):
        _each(pk, report.missed, report, lambda deadline: _escalate(deadline, now=now))
    for name, job in kinds.periodic_jobs().items():
        try:
            report.periodic[name] = job(now)
        except Exception:
            log.exception("periodic job %s failed; it will be tried again", name)
    return report


def _each(pk: int, done: list[int], report: TickReport, step: Any) -> None:
    try:
        with transaction.atomic():
            deadline = Deadline.objects.get(pk=pk)
            if step(deadline):
                done.append(pk)
    except Exception:
        # One deadline's failure (a broken hook, a mail server down) must not stop the others; the next run retries.
        log.exception("deadline %s: the tick failed; it will be tried again", pk)
        report.failed.append(pk)


def _claim(deadline: Deadline, **changes: datetime) -> bool:
    unclaimed = {f"{name}__isnull": True for name in changes}
    return bool(
        Deadline.objects.filter(pk=deadline.pk, met_at__isnull=True, cancelled_at__isnull=True, **unclaimed).update(
            **changes
        )
    )


def _remind(deadline: Deadline, *, now: datetime) -> bool:
    if not _claim(deadline, reminded_at=now):
        return False
    ledger.record(actor=ledger.SYSTEM, action=REMINDER_SENT, subject=deadline, data={"deadline": deadline.pk})
    hook = kinds.kind_of(deadline.kind).on_reminder
    if hook is not None:
        hook(deadline)
    return True


def _escalate(deadline: Deadline, *, now: datetime) -> bool:
    if not _claim(deadline, missed_at=now):
        return False
    kind = kinds.kind_of(deadline.kind)
    excluded = set(kind.excluded_from_alert(deadline)) if kind.excluded_from_alert else set()
    recipients = [address for person_id, address in oversight_addresses() if person_id not in excluded]
    ledger.record(
        actor=ledger.SYSTEM,
        action=DEADLINE_MISSED,
        subject=deadline,
        data={"deadline": deadline.pk, "kind": deadline.kind, "alerted": len(recipients)},
    )
    _alert(deadline, kind=kind, recipients=recipients)
    if kind.on_missed is not None:
        kind.on_missed(deadline)
    return True


def oversight_addresses() -> list[tuple[int, str]]:
    """(person, email) for everyone sitting on an oversight body today."""
    return org_queries.oversight_addresses()


def _alert(deadline: Deadline, *, kind: kinds.Kind, recipients: list[str]) -> None:
    if not recipients:
        log.warning("deadline %s was missed and nobody sits on an oversight body to be told", deadline.pk)
        return
    context = {
        "deadline": deadline,
        "label": kind.label,
        "about": kind.describe(deadline) if kind.describe is not None else "",
        "org_name": settings.ORG_NAME,
        "base_url": settings.BASE_URL,
    }
    send_mail(
        subject=render_to_string("deadlines/email/missed_subject.txt", context).strip(),
        message=render_to_string("deadlines/email/missed_message.txt", context),
        from_email=None,
        recipient_list=recipients,
    )
