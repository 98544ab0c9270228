"""The oversight body's list of what is overdue: every open deadline whose time has passed and every mandate past its
due day, most overdue first, each with the body whose step it is and where it is dealt with.

Who sees what is decided by the queries it calls (deadlines, governance), never here."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from rankfile.deadlines import kinds
from rankfile.deadlines import queries as deadline_queries
from rankfile.governance import mandates
from rankfile.governance import queries as governance_queries


@dataclass(frozen=True)
class OverdueRow:
    what: str  # in words: "Mandate CONV-2026-M3.1: Publish an apology", "Acknowledging a report"
    body: str  # whose step it is
    due_at: datetime
    overdue_for: timedelta
    page: kinds.Page | None
    missed_at: datetime | None = None  # when the oversight body was alerted


def overdue_rows(*, user: Any, now: datetime) -> list[OverdueRow]:
    late_deadlines = deadline_queries.overdue_deadlines(user=user, now=now)
    rows = []
    listed_mandates = set()
    for mandate in governance_queries.mandates(user=user, overdue=True):
        listed_mandates.add(mandate.pk)
        due = mandates.due_at(mandate.due_on)
        rows.append(
            OverdueRow(
                what=_("Mandate %(reference)s: %(title)s") % {"reference": mandate.reference, "title": mandate.title},
                body=mandate.responsible_body.name,
                due_at=due,
                overdue_for=now - due,
                page=kinds.Page(
                    url=reverse("governance:mandate_detail", args=[mandate.reference]), words=_("Open the mandate")
                ),
            )
        )
    for late in late_deadlines:
        deadline = late.deadline
        if deadline.kind == mandates.MANDATE_DUE.code and deadline.subject_id in listed_mandates:
            continue  # the mandate itself is listed
        rows.append(
            OverdueRow(
                what=capfirst(late.step),
                body=deadline.body.name if deadline.body else _("No body is named"),
                due_at=late.due_at,
                overdue_for=late.overdue_for,
                page=late.page,
                missed_at=deadline.missed_at,
            )
        )
    return sorted(rows, key=lambda row: row.due_at)


def overdue_summary(*, user: Any, now: datetime) -> tuple[int, datetime | None]:
    """How many things ``overdue_rows`` lists and the earliest due time, for the home page: the mandates counted by
    the database rather than listed, however many there are."""
    late_mandates = governance_queries.mandates(user=user, overdue=True).order_by()
    counted = late_mandates.aggregate(number=Count("pk"), first=Min("due_on"))
    late_deadlines = deadline_queries.overdue_deadlines(user=user, now=now, with_pages=False)
    of_mandates = [d.deadline.subject_id for d in late_deadlines if d.deadline.kind == mandates.MANDATE_DUE.code]
    listed = set(late_mandates.filter(pk__in=of_mandates).values_list("pk", flat=True))
    others = [
        late.due_at
        for late in late_deadlines
        if not (late.deadline.kind == mandates.MANDATE_DUE.code and late.deadline.subject_id in listed)
    ]
    dues = others + ([mandates.due_at(counted["first"])] if counted["first"] is not None else [])
    return counted["number"] + len(others), min(dues, default=None)


@login_required
def overdue_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = overdue_rows(user=request.user, now=now)
    return render(request, "web/overdue.html", {"rows": rows, "now": now})
