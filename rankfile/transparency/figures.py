"""The figures of a transparency report, computed from the live records (codes and counts only, never a name), with
every count under the bylaws' minimum hidden so that none can be worked out from the rest (``suppression``).

Each section is plain JSON, stored as computed: a table of counts with its totals (``grid``), a list of counts with
their total (``counts``), times against a deadline (``timings``), or records listed by reference (``listed``). A
hidden count is ``None``. What each section counts, in words, is ``COUNTED`` (shown beside it)."""

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rankfile.cases.models import (
    Appeal,
    Finding,
    FindingOutcome,
    InterimKind,
    InterimMeasure,
    MeasureKind,
    Override,
    Readmission,
    Report,
    ReportPath,
    ReportStatus,
    Sanction,
    SupportiveMeasure,
)
from rankfile.deadlines.models import Deadline
from rankfile.governance.models import Mandate, MandateStatus
from rankfile.org import bylaws
from rankfile.org import queries as org_queries
from rankfile.transparency.periods import Period
from rankfile.transparency.suppression import grid_counts, grid_lines, hidden_counts
from rankfile.voice.models import Concern

ABOUT = ("person", "handling", "person_and_handling")  # what a report is about: a person, how officials handled it
CASE_KINDS = ("conduct", "process")
OUTCOMES = tuple(FindingOutcome.values)
APPEAL_OUTCOMES = ("dismissed", "varied", "pending")
TIMED = (
    ("cases.acknowledge_report", "acknowledge_report"),
    ("cases.give_notice", "give_notice"),
    ("cases.decision_target", "decision_target"),
)
MANDATE_STATES = ("done", "late", "overdue", "open", "rescinded")
CONCERN_STATES = ("on_time", "late", "unanswered", "open")

# What each section counts, in words (the query behind the figure: the records, and the filters on them).
COUNTED = {
    "received": _(
        "Reports sent from %(start)s to %(end)s (for a private record: made in that time), drafts left out, by the "
        "path the reporter chose and by what the report is about: a person, how officials or a body handled "
        "something, or both. A report later withdrawn or deleted still counts."
    ),
    "timings": _(
        "Timers of the process met from %(start)s to %(end)s: days from when each timer was set (the report sent, "
        "the panel seated, the case opened for decision) to when it was met, against the days the bylaws allow. "
        "The middle (median) and longest times are shown only when at least %(minimum)d timers were met."
    ),
    "findings": _(
        "Findings of first decisions issued from %(start)s to %(end)s (one per allegation), by kind of case and "
        "outcome. Decisions on appeal are counted under appeals."
    ),
    "sanctions": _("Sanctions of first decisions issued from %(start)s to %(end)s, by the bylaws' catalog."),
    "appeals": _("Appeals lodged from %(start)s to %(end)s, by their outcome (or pending, when not yet decided)."),
    "overridden": _(
        "Every final decision set aside by a vote and every re-admission by a vote from %(start)s to %(end)s, by "
        "case and the vote cited. These are listed whatever their number: they are acts of elected bodies."
    ),
    "missed": _("Deadlines missed from %(start)s to %(end)s (the time passed with the step not taken), by kind."),
    "interim": _("Interim measures imposed on someone while a case was open, from %(start)s to %(end)s, by kind."),
    "supportive": _("Supportive measures requested for a party from %(start)s to %(end)s, by kind."),
    "mandates": _(
        "Mandates due from %(start)s to %(end)s: done by the due day, done late, overdue (open after it), still "
        "open (not yet due when computed) or rescinded."
    ),
    "concerns": _(
        "Members' concerns whose answer was due from %(start)s to %(end)s: answered in time, answered late, not "
        "answered after the due time, or not yet due when computed."
    ),
}


def transparency_rules(*, day: date) -> dict[str, Any]:
    """The bylaws' transparency settings on ``day`` (the defaults for bylaws adopted before there were any)."""
    return {**bylaws.defaults()["transparency"], **org_queries.bylaws_document(day=day).get("transparency", {})}


def _bounds(period: Period) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(period.starts_on, time.min), zone)
    end = timezone.make_aware(datetime.combine(period.ends_on + timedelta(days=1), time.min), zone)
    return start, end


# A count hidden only so that a small one cannot be worked out from the rest: it is not small, and must never be
# shown as "fewer than N". A small count hidden is None.
PROTECTING = "hidden"


def hidden_value(value: int, *, minimum: int) -> str | None:
    """What a hidden count is published as: None ("fewer than N") for a small one, PROTECTING for any other."""
    return None if 0 < value < minimum else PROTECTING


def published_grid(
    *, rows: Sequence[str], columns: Sequence[str], cells: list[list[int]], minimum: int
) -> dict[str, Any]:
    """A table of counts with its totals, the small ones (and enough others) hidden."""
    counts = grid_counts(cells)
    hidden = hidden_counts(counts=counts, lines=grid_lines(rows=len(rows), columns=len(columns)), minimum=minimum)

    def shown(key: tuple[Any, ...]) -> int | str | None:
        return hidden_value(counts[key], minimum=minimum) if key in hidden else counts[key]

    return {
        "kind": "grid",
        "rows": list(rows),
        "columns": list(columns),
        "cells": [[shown(("cell", i, j)) for j in range(len(columns))] for i in range(len(rows))],
        "row_totals": [shown(("row", i)) for i in range(len(rows))],
        "column_totals": [shown(("column", j)) for j in range(len(columns))],
        "total": shown(("total",)),
    }


def published_counts(*, codes: Sequence[str], counted: Counter[str], minimum: int) -> dict[str, Any]:
    """Counts by code with their total, the small ones (and enough others) hidden."""
    cells = [[counted.get(code, 0) for code in codes]]
    counts = grid_counts(cells)
    hidden = hidden_counts(counts=counts, lines=grid_lines(rows=1, columns=len(codes)), minimum=minimum)

    def shown(key: tuple[Any, ...]) -> int | str | None:
        return hidden_value(counts[key], minimum=minimum) if key in hidden else counts[key]

    return {
        "kind": "counts",
        "items": [{"code": code, "count": shown(("cell", 0, j))} for j, code in enumerate(codes)],
        "total": shown(("total",)),
    }


def _with_found(codes: Iterable[str], counted: Counter[str]) -> list[str]:
    listed = list(codes)
    return listed + sorted(code for code in counted if code not in listed)


def _days(later: datetime, earlier: datetime) -> float:
    return round((later - earlier).total_seconds() / 86400, 1)


def _timing(*, kind: str, allowed: int, start: datetime, end: datetime, minimum: int) -> dict[str, Any]:
    met: list[tuple[datetime, datetime, datetime]] = [
        (created_at, met_at, due_at)
        for created_at, met_at, due_at in Deadline.objects.filter(
            kind=kind, met_at__gte=start, met_at__lt=end
        ).values_list("created_at", "met_at", "due_at")
        if met_at is not None
    ]
    taken = [_days(met_at, created_at) for created_at, met_at, _due in met]
    late = len([1 for _created, met_at, due_at in met if met_at > due_at])
    counts = grid_counts([[len(met) - late, late]])
    hidden = hidden_counts(counts=counts, lines=grid_lines(rows=1, columns=2), minimum=minimum)
    enough = len(taken) >= minimum
    return {
        "code": kind,
        "allowed_days": allowed,
        "count": hidden_value(len(met), minimum=minimum) if ("total",) in hidden else len(met),
        "on_time": hidden_value(len(met) - late, minimum=minimum) if ("cell", 0, 0) in hidden else len(met) - late,
        "late": hidden_value(late, minimum=minimum) if ("cell", 0, 1) in hidden else late,
        "median_days": round(statistics.median(taken), 1) if enough else None,
        "worst_days": max(taken) if enough else None,
    }


def _about(report: Mapping[str, Any]) -> str:
    if report["process_complaint"] and report["respondent_id"]:
        return "person_and_handling"
    return "handling" if report["process_complaint"] else "person"


def report_figures(*, period: Period, now: datetime) -> dict[str, Any]:
    """Every figure of the report for ``period``, as the records stand at ``now``, small numbers hidden."""
    rules = transparency_rules(day=period.ends_on)
    minimum = int(rules["minimum"])
    document = org_queries.bylaws_document(day=period.ends_on)
    start, end = _bounds(period)
    in_period = {"__gte": start, "__lt": end}

    def between(field: str) -> Q:
        return Q(**{field + suffix: value for suffix, value in in_period.items()})

    sent = Report.objects.exclude(status=ReportStatus.DRAFT).filter(
        between("sent_at") | (Q(sent_at__isnull=True, path=ReportPath.RECORD_ONLY) & between("created_at"))
    )
    paths = list(ReportPath.values)
    received = [[0] * len(ABOUT) for _path in paths]
    for report in sent.values("path", "process_complaint", "respondent_id"):
        received[paths.index(report["path"])][ABOUT.index(_about(report))] += 1

    findings = [[0] * len(OUTCOMES) for _kind in CASE_KINDS]
    first_decisions = Q(decision__on_appeal=False) & between("decision__issued_at")
    for kind, outcome in Finding.objects.filter(first_decisions).values_list("decision__case__kind", "outcome"):
        findings[CASE_KINDS.index(kind)][OUTCOMES.index(outcome)] += 1
    sanctions = Counter(Sanction.objects.filter(first_decisions).values_list("code", flat=True))
    catalog = [sanction["code"] for sanction in document.get("sanctions", [])]
    appeals = Counter(
        outcome or "pending"
        for outcome in Appeal.objects.filter(between("lodged_at")).values_list("outcome", flat=True)
    )
    missed = Counter(Deadline.objects.filter(between("missed_at")).values_list("kind", flat=True))
    interim = Counter(InterimMeasure.objects.filter(between("imposed_at")).values_list("kind", flat=True))
    supportive = Counter(SupportiveMeasure.objects.filter(between("requested_at")).values_list("kind", flat=True))

    return {
        "period": period.code,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "computed_at": now.isoformat(),
        "minimum": minimum,
        "sections": {
            "received": published_grid(rows=paths, columns=ABOUT, cells=received, minimum=minimum),
            "timings": {
                "kind": "timings",
                "items": [
                    _timing(kind=kind, allowed=int(document["deadlines"][days]), start=start, end=end, minimum=minimum)
                    for kind, days in TIMED
                ],
            },
            "findings": published_grid(rows=CASE_KINDS, columns=OUTCOMES, cells=findings, minimum=minimum),
            "sanctions": published_counts(codes=_with_found(catalog, sanctions), counted=sanctions, minimum=minimum),
            "appeals": published_counts(codes=APPEAL_OUTCOMES, counted=appeals, minimum=minimum),
            "overridden": {"kind": "listed", "items": _overridden(start=start, end=end)},
            "missed": published_counts(codes=sorted(missed), counted=missed, minimum=minimum),
            "interim": published_counts(codes=InterimKind.values, counted=interim, minimum=minimum),
            "supportive": published_counts(codes=MeasureKind.values, counted=supportive, minimum=minimum),
            "mandates": published_counts(
                codes=MANDATE_STATES, counted=mandate_states(period=period, now=now), minimum=minimum
            ),
            "concerns": published_counts(
                codes=CONCERN_STATES, counted=concern_states(start=start, end=end, now=now), minimum=minimum
            ),
        },
    }


def _overridden(*, start: datetime, end: datetime) -> list[dict[str, str]]:
    """Overrides and re-admissions, by case reference and the vote cited: never hidden, whatever their number."""
    found = [
        {"what": "override", "case": case, "vote": vote, "on": timezone.localdate(made_at).isoformat()}
        for case, vote, made_at in Override.objects.filter(made_at__gte=start, made_at__lt=end).values_list(
            "decision__case__reference", "vote_reference", "made_at"
        )
    ]
    found += [
        {"what": "readmission", "case": case, "vote": vote, "on": timezone.localdate(made_at).isoformat()}
        for case, vote, made_at in Readmission.objects.filter(made_at__gte=start, made_at__lt=end).values_list(
            "decision__case__reference", "vote_reference", "made_at"
        )
    ]
    return sorted(found, key=lambda item: (item["on"], item["case"]))


def mandate_states(*, period: Period, now: datetime) -> Counter[str]:
    """Mandates due in ``period``: done by their due day, done late, overdue, open (not yet due) or rescinded."""
    today = timezone.localdate(now)
    states: Counter[str] = Counter()
    for status, due_on, done_on in Mandate.objects.filter(
        due_on__gte=period.starts_on, due_on__lte=period.ends_on
    ).values_list("status", "due_on", "done_on"):
        if status == MandateStatus.DONE:
            states["late" if done_on and done_on > due_on else "done"] += 1
        elif status == MandateStatus.RESCINDED:
            states["rescinded"] += 1
        else:
            states["overdue" if due_on < today else "open"] += 1
    return states


def concern_states(*, start: datetime, end: datetime, now: datetime) -> Counter[str]:
    """Concerns due an answer from ``start`` to ``end``: answered in time, late, not answered, or not yet due."""
    states: Counter[str] = Counter()
    for due_at, answered_at in Concern.objects.filter(due_at__gte=start, due_at__lt=end).values_list(
        "due_at", "answered_at"
    ):
        if answered_at is not None:
            states["late" if answered_at > due_at else "on_time"] += 1
        else:
            states["unanswered" if due_at < now else "open"] += 1
    return states
