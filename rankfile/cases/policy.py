"""Who may see or do what with a report. Access follows assignment: the reporter, and the report's current
handlers; no role, rank or seat elsewhere gives any (DESIGN.md invariant 5)."""

from typing import Any

import rules
from django.db.models import Q
from django.utils import timezone

from rankfile.cases.models import Case, PanelRole, PanelStatus, Report
from rankfile.cases.stages import APPEALS, EMPOWERED, PANEL, PARTY
from rankfile.ledger.policy import only_for_the_oversight_body
from rankfile.org.models import Person, Seat
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


# Cases: who runs one. Its seated panel; while it has none, the people sitting on the handling body who are not
# excluded from it (parties, advisers, people a reporter named, officials under investigation, anyone excluded or
# recused). A second factor is checked by the actions.


def _person_id(user: Any) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()


def excluded_from(case: Case) -> set[int]:
    found: set[int] = set()
    for person_id, adviser_id in case.parties.values_list("person_id", "adviser_id"):
        found |= {p for p in (person_id, adviser_id) if p is not None}
    found |= set(case.reports.values_list("named_conflicts__person_id", flat=True)) - {None}
    found |= set(case.subjects.values_list("pk", flat=True))
    # The officials a process investigation of this case examines (invariant 7).
    found |= set(case.process_investigations.values_list("subjects__pk", flat=True)) - {None}
    found |= set(
        case.panel.filter(status__in=[PanelStatus.EXCLUDED, PanelStatus.RECUSED]).values_list("person_id", flat=True)
    )
    return found


@rules.predicate
def sits_on_case(user: Any, case: Case | None) -> bool:
    person_id = _person_id(user)
    return bool(
        case is not None
        and person_id is not None
        and case.panel.filter(person_id=person_id, status=PanelStatus.SEATED).exists()
    )


@rules.predicate
def runs_case(user: Any, case: Case | None) -> bool:
    person_id = _person_id(user)
    if case is None or person_id is None:
        return False
    if case.panel.filter(status=PanelStatus.SEATED).exclude(role=PanelRole.APPEALS).exists():
        return case.panel.filter(person_id=person_id, status=PanelStatus.SEATED).exists()
    if person_id in excluded_from(case):
        return False
    today = timezone.localdate()
    return (
        case.body.seats.filter(person_id=person_id, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        .exists()
    )


rule_set.add_rule("cases.manage_case", runs_case)
rule_set.add_rule("cases.sit_on_case", sits_on_case)


# How someone takes part in a case, for the API: one decision, made before anything of the request is read, so that
# having no part looks exactly like there being no such case. The names are those of the step table.
OFFICIAL = "official"  # sits on a body today: asking to set a decision aside is refused, and recorded


def capacity_in(case: Case, user: Any, step: str = "") -> str | None:
    """The capacity in which ``user`` may see ``case`` (no ``step``) or ask to take ``step`` in it; None for none.

    The people running it (its panel; before seating, the handling body's people who are not excluded), the appeals
    body's people hearing its appeal, and a party or their adviser once the case is shown to them. An override is
    for a recorder of the body the bylaws empower; asking to set a decision aside, for officials. Whether the step
    is theirs and open now is the action's to say."""
    from rankfile.cases import decisions, queries  # above this module; decisions imports it (through interim)

    person_id = _person_id(user)
    if person_id is None:
        return None
    if step == "override":
        body = decisions.empowered_body()
        records = body is not None and rule_set.test_rule("governance.record_binding_vote", user, body)
        return EMPOWERED if records else None
    if step == "set_aside":
        today = timezone.localdate()
        sitting = Q(ends_on__isnull=True) | Q(ends_on__gt=today)
        return OFFICIAL if Seat.objects.filter(sitting, person_id=person_id, starts_on__lte=today).exists() else None
    role = case.panel.filter(person_id=person_id, status=PanelStatus.SEATED).values_list("role", flat=True).first()
    if role == PanelRole.APPEALS:
        return APPEALS
    if role is not None or runs_case(user, case):
        return PANEL
    party = case.parties.filter(Q(person_id=person_id) | Q(adviser_id=person_id)).first()
    return PARTY if party is not None and queries.party_sees_case(case=case, party=party) else None
