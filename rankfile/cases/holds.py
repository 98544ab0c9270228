"""The holds that final decisions and interim measures place on a person (DESIGN.md invariant 8), registered with
``org.hooks`` so that every writer of membership status, seats and restrictions asks before it writes.

A final decision holds the membership status its sanctions set (an expulsion until an override or a re-admission, a
suspension until it ends) and the restrictions it imposed, while they are in effect (a re-admission leaves a bar from
office standing). An interim measure holds its
restriction until the case's own steps lift the measure. An override ends a decision's holds; so does the appeal
that replaces it, since only a final decision holds anything.
"""

from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from rankfile.cases.models import Case, Decision, DecisionStatus, InterimMeasure
from rankfile.org import hooks
from rankfile.org.models import MembershipStatus, Person, Restriction


def decision_reference(decision: Decision) -> str:
    """How a decision is named on what it did (status changes, restrictions): ``C-2026-4/D7``."""
    return f"{decision.case.reference}/D{decision.pk}"


def holds_of(person: Person) -> list[hooks.Hold]:
    # Asked on every status change (an import asks it per row): one query settles the common case of no hold.
    held = Q(respondent=person, decisions__status=DecisionStatus.FINAL) | Q(
        interim_measures__person=person, interim_measures__lifted_at__isnull=True
    )
    if not Case.objects.filter(held).exists():
        return []
    today = timezone.localdate()
    in_effect = {
        restriction.pk: restriction.source_reference
        for restriction in Restriction.objects.filter(person=person, lifted_on__isnull=True)
        if restriction.ends_on is None or restriction.ends_on > today
    }
    found = []
    decisions = (
        Decision.objects.filter(case__respondent=person, status=DecisionStatus.FINAL, overrides__isnull=True)
        .select_related("case")
        .prefetch_related("sanctions", "readmissions")
    )
    for decision in decisions:
        reference = decision_reference(decision)
        status, until = held_status(decision)
        if decision.readmissions.all():
            status, until = "", None
        restrictions = frozenset(pk for pk, source in in_effect.items() if source == reference)
        if (status and (until is None or until > today)) or restrictions:
            found.append(hooks.Hold(reference=reference, status=status, status_until=until, restrictions=restrictions))
    for measure in InterimMeasure.objects.filter(person=person, lifted_at__isnull=True).select_related("case"):
        if measure.restriction_id in in_effect:
            found.append(
                hooks.Hold(
                    reference=f"{measure.case.reference}/M{measure.pk}",
                    restrictions=frozenset({measure.restriction_id}),
                )
            )
    return found


def held_status(decision: Decision) -> tuple[str, date | None]:
    """The membership status the decision's sanctions set, and until when (None: for good)."""
    final_day = timezone.localdate(decision.final_at) if decision.final_at else timezone.localdate()
    status, until = "", None
    for sanction in decision.sanctions.all():
        held = sanction.terms.get("membership_status", "")
        if not held:
            continue
        days = int(sanction.terms.get("suspension_days", 0) or 0)
        status, until = (
            held,
            (final_day + timedelta(days=days) if days and held == MembershipStatus.SUSPENDED else None),
        )
        if held == MembershipStatus.EXPELLED:
            break
    return status, until


hooks.register_hold_finder("cases.final_decisions_and_interim_measures", holds_of)
