"""The case's timers: a deadline for each step, on the deadline engine (DESIGN.md invariant 10), and who an alert
about a case leaves out."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rankfile.cases.models import Case
from rankfile.deadlines import actions as deadlines
from rankfile.deadlines import kinds
from rankfile.deadlines.models import Deadline


def case_of(deadline: Deadline) -> Case:
    return Case.objects.get(pk=deadline.subject_id)


def parties_and_subjects(case: Case) -> set[int]:
    """People an alert about the case must leave out: its parties, their advisers and officials under
    investigation."""
    found: set[int] = set(case.subjects.values_list("pk", flat=True))
    for person_id, adviser_id in case.parties.values_list("person_id", "adviser_id"):
        found |= {p for p in (person_id, adviser_id) if p is not None}
    return found


def excluded_from_alert(deadline: Deadline) -> set[int]:
    return parties_and_subjects(case_of(deadline))


GIVE_NOTICE = kinds.register(
    kinds.Kind(
        code="cases.give_notice",
        label=_("giving notice to a respondent"),
        excluded_from_alert=excluded_from_alert,
    )
)


def due_after(days: int, *, start: date | None = None) -> datetime:
    """The end of the day ``days`` after ``start`` (today), in the organization's time zone."""
    day = (start or timezone.localdate()) + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def set_timer(case: Case, kind: kinds.Kind, *, days: int, by: Any) -> Deadline:
    return deadlines.deadline_set(
        kind=kind.code,
        subject=case,
        due_at=due_after(days),
        body=case.body,
        remind_before=timedelta(days=min(2, max(1, days // 3))),
        by=by,
    )


def settle_timers(case: Case, *codes: str, by: Any, met: bool = True) -> None:
    for deadline in deadlines.open_deadlines_for(case):
        if deadline.kind in codes:
            if met:
                deadlines.deadline_met(deadline=deadline, by=by)
            else:
                deadlines.deadline_cancel(deadline=deadline, by=by)
