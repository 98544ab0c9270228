"""Every timer of reports and cases, in one table: each kind of deadline (DESIGN.md invariant 10), what its alert
leaves out, and what happens when it is missed.

A kind is registered here and nowhere else; setting a deadline of a kind nobody registered raises
``deadlines.kinds.UnknownKind``. What a miss does is an action of the process, named by its dotted path under
``rankfile.cases.actions`` (``MISSED``): the actions import this module, so it does not import them."""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from rankfile.cases.models import Case, InterimMeasure, Obligation, Report, SupportiveMeasure
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


def parties_of(report: Report) -> set[int]:
    """People (org person ids) a report must never reach: the person it is about and those named as conflicted."""
    excluded = set(report.named_conflicts.values_list("person_id", flat=True))
    if report.respondent_id:
        excluded.add(report.respondent_id)
    return excluded


def excluded_from_alert(deadline: Deadline) -> set[int]:
    """For a timer whose subject is the case."""
    return parties_and_subjects(case_of(deadline))


def _about_report(deadline: Deadline) -> set[int]:
    return parties_of(Report.objects.get(pk=deadline.subject_id))


def _about_supportive_measure(deadline: Deadline) -> set[int]:
    return parties_of(SupportiveMeasure.objects.select_related("report").get(pk=deadline.subject_id).report)


def _about_interim_measure(deadline: Deadline) -> set[int]:
    return parties_and_subjects(InterimMeasure.objects.select_related("case").get(pk=deadline.subject_id).case)


def _about_obligation(deadline: Deadline) -> set[int]:
    return parties_and_subjects(Obligation.objects.select_related("case").get(pk=deadline.subject_id).case)


# What a miss does besides alerting the oversight body: kind -> action (under rankfile.cases.actions) taking the
# deadline. tests/cases/test_timers.py checks that each path names a function.
MISSED = {
    "cases.respondent_response": "process.proceed_without_response",
    "cases.evidence_review": "process.close_review",
    "cases.appeal_window": "decisions.finalize_on_window",
}


def _missed(code: str) -> Callable[[Deadline], None] | None:
    path = MISSED.get(code)
    if path is None:
        return None

    def run(deadline: Deadline) -> None:
        import_string(f"rankfile.cases.actions.{path}")(deadline)

    return run


def _periodic(path: str) -> kinds.Periodic:
    def run(now: Any) -> int:
        done: int = import_string(f"rankfile.cases.actions.{path}")(now)
        return done

    return run


# Jobs on every tick of the deadline engine: name -> action (under rankfile.cases.actions) taking the time of the
# tick and returning how many things it did.
PERIODIC = {"reports purged": "retention.purge_due"}
for _name, _path in PERIODIC.items():
    kinds.register_periodic(_name, _periodic(_path))


def _kind(code: str, label: Any, excluded: Callable[[Deadline], set[int]] = excluded_from_alert) -> kinds.Kind:
    return kinds.register(kinds.Kind(code=code, label=label, on_missed=_missed(code), excluded_from_alert=excluded))


# Subject: the report.
ACKNOWLEDGE = _kind("cases.acknowledge_report", _("acknowledging a report"), _about_report)
# Subject: the supportive measure.
SUPPORTIVE_REVIEW = _kind(
    "cases.supportive_measure_review", _("reviewing a supportive measure"), _about_supportive_measure
)
# Subject: the case.
GIVE_NOTICE = _kind("cases.give_notice", _("giving notice to a respondent"))
RESPONSE = _kind("cases.respondent_response", _("a respondent's response (the case goes on without it)"))
EVIDENCE_REVIEW = _kind("cases.evidence_review", _("the parties' review of the evidence"))
DECISION_TARGET = _kind("cases.decision_target", _("deciding a case"))
APPEAL_WINDOW = _kind(
    "cases.appeal_window",
    _("the appeal window of a decision (when it closes, the decision is final and takes effect)"),
)
SEND_RECORD = _kind("cases.send_appeal_record", _("a panel sending its record to the appeals body"))
APPEAL_DECISION = _kind("cases.appeal_decision", _("deciding an appeal"))
# Subject: the interim measure (a case may have several, each with its own review date).
INTERIM_REVIEW = _kind("cases.interim_review", _("reviewing an interim measure"), _about_interim_measure)
# Subject: the obligation under an informal agreement. A miss alerts the oversight body (minus the parties); the
# panel then decides whether it is a breach.
OBLIGATION_DUE = _kind("cases.obligation_due", _("an obligation under an informal agreement"), _about_obligation)


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
