"""Reading deadlines: those overdue, for the oversight body's list.

Who may know of a deadline is not decided here. A deadline is listed to a reader when the ledger shows them its
entries (a case's deadlines only to the oversight body: cases/policy.py registers that with the ledger), and when the
alert of its miss would reach them (a party to the matter who sits on the oversight body is left out of both)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from rankfile import policy
from rankfile.deadlines import kinds
from rankfile.deadlines.models import Deadline
from rankfile.ledger import queries as ledger_queries
from rankfile.org import queries as org_queries


@dataclass(frozen=True)
class OverdueDeadline:
    """An open deadline whose time has passed: the kind of step in words, never the matter; the body whose step it
    is; since when it is overdue; and where it is dealt with, for this reader (None for nowhere they may go)."""

    deadline: Deadline
    step: str
    due_at: datetime
    overdue_for: timedelta
    page: kinds.Page | None


def overdue_deadlines(*, user: Any, now: datetime | None = None, with_pages: bool = True) -> list[OverdueDeadline]:
    """Open deadlines past their time (missed, or about to be escalated by the next tick), most overdue first; each
    with the page where it is dealt with unless ``with_pages`` is False (a count needs none: a query each)."""
    policy.require(user, "deadlines.view_overdue")
    now = now or timezone.now()
    late = list(
        Deadline.objects.filter(met_at__isnull=True, cancelled_at__isnull=True, due_at__lte=now)
        .select_related("body")
        .order_by("due_at", "pk")
    )
    seen = ledger_queries.subjects_seen(
        user=user, subject_type=Deadline._meta.label_lower, ids={deadline.pk for deadline in late}
    )
    person = org_queries.person_of(user=user)
    listed = []
    for deadline in late:
        if deadline.pk not in seen:
            continue
        kind = kinds.kind_of(deadline.kind)
        if person is not None and kind.excluded_from_alert and person.pk in kind.excluded_from_alert(deadline):
            continue
        listed.append(
            OverdueDeadline(
                deadline=deadline,
                step=str(kind.label),
                due_at=deadline.due_at,
                overdue_for=now - deadline.due_at,
                page=kinds.page_of(deadline, reader=user) if with_pages else None,
            )
        )
    return listed
