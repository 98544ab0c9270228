"""Who may see or do what with a report. Access follows assignment: the reporter, and the report's current
handlers; no role, rank or seat elsewhere gives any (DESIGN.md invariant 5)."""

from typing import Any

import rules
from django.db.models import Q

from rankfile.cases.models import Report
from rankfile.ledger.policy import only_for_the_oversight_body
from rankfile.policy import rule_set


@rules.predicate
def handles(user: Any, report: Report | None) -> bool:
    if report is None or not getattr(user, "is_authenticated", False):
        return False
    return report.handlers.filter(removed_at__isnull=True, person__user_id=user.pk).exists()


@rules.predicate
def reported(user: Any, report: Report | None) -> bool:
    return bool(report is not None and getattr(user, "is_authenticated", False) and report.reporter_id == user.pk)


rule_set.add_rule("cases.handle_report", handles)
rule_set.add_rule("cases.view_report", handles | reported)


# That a report exists, or anything about one, is for its handlers and the oversight body, not site administrators.
only_for_the_oversight_body(
    Q(action__startswith="cases.") | Q(subject_type__startswith="cases.") | Q(data__contains='"kind":"cases.')
)
