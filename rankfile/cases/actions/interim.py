"""Interim measures: a restriction on the respondent while a case is open, imposed by the seated panel (an official
under a process investigation is suspended only by a recorded vote: ``investigations.py``).

Two kinds, each an org restriction that the one eligibility check reads, with the source ``interim_measure``:

- *suspended from membership*: the restriction *not in good standing*. The membership history is left alone: an
  interim measure is not a finding (the respondent is presumed not responsible), and lifting it must not write an
  "active again" over whatever status the person has by then (a final expulsion, a resignation).
- *suspended from leadership seats*: the restriction *suspended from leadership positions*.

Either way the seats the person holds on offices (every kind of body but a caucus and the convention: those the
eligibility check counts as offices) end at once, with the reason *suspended pending investigation*; a seat is
regained only through the eligibility check, once the measure is lifted. Each measure has a reason code, reasons
sealed for the panel and the respondent, and a review date with a timer; at the review the panel continues it to a new
date or lifts it. A final decision lifts every measure of its case (``decisions.lift_interim_measures``).

This module also holds what cases tell ``org`` about membership changes while a case is open (``org.hooks``): a
respondent who resigns keeps his case going, and his rejoining is told to the disciplinary body.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile.cases import casefiles, meanings, notify, stages
from rankfile.cases.actions.panel import require_manager, require_panelist
from rankfile.cases.actions.process import checked_text
from rankfile.cases.models import (
    Audience,
    Case,
    CaseDocument,
    CaseDocumentKind,
    InterimKind,
    InterimMeasure,
    Stage,
)
from rankfile.cases.policy import excluded_from
from rankfile.cases.timers import INTERIM_REVIEW
from rankfile.deadlines import actions as deadlines
from rankfile.deadlines.models import Deadline
from rankfile.errors import InvalidInput
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema
from rankfile.org import actions as org
from rankfile.org import hooks
from rankfile.org import queries as org_queries
from rankfile.org.models import OFFICE_KINDS, Person, Restriction, RestrictionKind, RestrictionSource, SeatEndReason
from rankfile.transactions import action
from rankfile.vault import documents
from rankfile.vault.models import Keypair

INTERIM_IMPOSED = schema.define(
    "cases.interim_imposed",
    label=gettext_lazy("An interim measure was imposed"),
    fields={
        "case": schema.ID,
        "measure": schema.ID,
        "person": schema.ID,
        "kind": schema.CODE,
        "reason": schema.CODE,
        "review": schema.DATE,
        "seats_ended": schema.COUNT,
        "vote": schema.optional(schema.ID),
        "sealed": schema.optional(schema.HASH),
    },
    checkpoint_after=True,
)
INTERIM_REVIEWED = schema.define(
    "cases.interim_reviewed",
    label=gettext_lazy("An interim measure was reviewed"),
    fields={"case": schema.ID, "measure": schema.ID, "review": schema.DATE},
)
INTERIM_LIFTED = schema.define(
    "cases.interim_lifted",
    label=gettext_lazy("An interim measure was lifted"),
    fields={"case": schema.ID, "measure": schema.ID},
)

# Why a measure is needed, as a code; the reasons in words are sealed.
REASONS = meanings.labels("interim_reason")
LONGEST_PERIOD = 90  # days to a review, at most
RESTRICTION_OF = {
    InterimKind.SUSPENDED_FROM_MEMBERSHIP: RestrictionKind.NOT_IN_GOOD_STANDING,
    InterimKind.SUSPENDED_FROM_LEADERSHIP: RestrictionKind.SUSPENDED_FROM_LEADERSHIP,
}


def _measure_of(deadline: Deadline) -> InterimMeasure:
    return InterimMeasure.objects.select_related("case").get(pk=deadline.subject_id)


# The subject of the timer is the measure: a case may have several, each with its own review date.
def _review_date(review_on: date | None) -> date:
    today = timezone.localdate()
    if review_on is None or not today < review_on <= today + timedelta(days=LONGEST_PERIOD):
        message = _("Give a review date after today and within %(days)s days.") % {"days": LONGEST_PERIOD}
        raise InvalidInput(message, code="review_on", field_errors={"review_on": [message]})
    return review_on


def _set_review(measure: InterimMeasure, *, by: Any) -> Deadline:
    return deadlines.deadline_set(
        kind=INTERIM_REVIEW.code,
        subject=measure,
        due_at=timezone.make_aware(datetime.combine(measure.review_on, time(23, 59))),
        body=measure.case.body,
        remind_before=timedelta(days=2),
        by=by,
    )


def require_handling(case: Case, user: Any) -> Any:
    """The seated panel, or, while there is none, the people on the handling body who are not excluded from it."""
    if casefiles.seated(case).exists():
        return require_panelist(case, user)
    return require_manager(case, user)


def _handling_keys(case: Case) -> list[Keypair]:
    """While no panel is seated, the people running the case (on the handling body, not excluded from it) read
    what is sealed for the panel; whoever seats the panel gives it on."""
    if casefiles.seated(case).exists():
        return []
    excluded = excluded_from(case)
    found = [
        casefiles.person_key(seat.person)
        for seat in org_queries.seats_on(body=case.body, day=timezone.localdate()).select_related("person")
        if seat.person_id not in excluded
    ]
    return [key for key in found if key is not None]


def impose(
    *,
    case: Case,
    person: Person,
    kind: str,
    reason_code: str,
    reasons: str,
    review_on: date | None,
    by: Any,
    vote: Any = None,
) -> InterimMeasure:
    """Impose a measure on ``person`` in ``case``: the restriction, the seats ended, the sealed reasons, the review
    timer, one ledger entry. The caller's action checked who acts and on whom."""
    if not case.is_open:
        raise InvalidInput(_("This case is closed."), code="closed")
    if kind not in InterimKind.values:
        message = _("Choose a suspension from membership or from leadership seats.")
        raise InvalidInput(message, code="kind", field_errors={"kind": [message]})
    if reason_code not in REASONS:
        message = _("Choose why the measure is needed.")
        raise InvalidInput(message, code="reason", field_errors={"reason_code": [message]})
    review = _review_date(review_on)
    if case.interim_measures.filter(person=person, kind=kind, lifted_at__isnull=True).exists():
        message = _("This measure is already in force in this case; review it instead.")
        raise InvalidInput(message, code="already_in_force", field_errors={"kind": [message]})
    text = checked_text(reasons, field="reasons")
    audience = Audience.RESPONDENT if case.respondent_id == person.pk else Audience.PANEL
    version = documents.seal(
        kind=f"case_{CaseDocumentKind.MEASURE}",
        content=text,
        readers=casefiles.readers_for(case, audience) + _handling_keys(case),
    )
    item = CaseDocument.objects.create(
        case=case,
        kind=CaseDocumentKind.MEASURE,
        title=str(InterimKind(kind).label),
        document=version.document,
        audience=audience,
        added_by_role="panel",
    )
    measure = InterimMeasure.objects.create(
        case=case,
        person=person,
        kind=kind,
        reason_code=reason_code,
        reasons=item.document,
        vote_reference=vote.reference if vote is not None else "",
        review_on=review,
    )
    today = timezone.localdate()
    restriction = org.restriction_impose(
        person=person,
        kind=RESTRICTION_OF[InterimKind(kind)],
        starts_on=today,
        source=RestrictionSource.INTERIM_MEASURE,
        source_reference=f"{case.reference}/M{measure.pk}",
        case_reference=case.reference,
        by=ledger.SYSTEM,
    )
    measure.restriction_id = restriction.pk
    measure.save(update_fields=["restriction_id"])
    ended = len(
        org.seats_end_all(
            person=person,
            on=today,
            reason=SeatEndReason.SUSPENDED_PENDING_INVESTIGATION,
            kinds=OFFICE_KINDS,
            by=ledger.SYSTEM,
        )
    )
    _set_review(measure, by=by)
    ledger.record(
        actor=by,
        action=INTERIM_IMPOSED,
        subject=case,
        data={
            "case": case.pk,
            "measure": measure.pk,
            "person": person.pk,
            "kind": kind,
            "reason": reason_code,
            "review": review.isoformat(),
            "seats_ended": ended,
            "vote": vote.pk if vote is not None else None,
            "sealed": bytes(documents.latest(item.document).sealed_hash).hex(),
        },
    )
    # Before the notice, the measure takes effect but the respondent is told of it only with the notice.
    notify.interim_measure(case)
    return measure


@action
def interim_measure_impose(
    *, case: Case, kind: str, reason_code: str, reasons: str, review_on: date | None, by: Any
) -> InterimMeasure:
    """The seated panel suspends the respondent, from membership or from leadership seats, while the case is open,
    with a reason code, reasons (sealed, for the panel and the respondent) and a date to review it by."""
    require_panelist(case, by)
    if case.respondent is None:
        raise InvalidInput(
            _("A process investigation's officials are suspended only by a recorded vote."), code="no_respondent"
        )
    stages.require_open(case, "interim")  # seated, and before the decision: then its sanctions or appeal take over
    return impose(
        case=case,
        person=case.respondent,
        kind=kind,
        reason_code=reason_code,
        reasons=reasons,
        review_on=review_on,
        by=by,
    )


def _in_force(measure: InterimMeasure) -> None:
    if measure.lifted_at is not None:
        raise InvalidInput(_("This measure was already lifted."), code="lifted")
    if not measure.case.is_open:  # pragma: no cover - closing a case lifts its measures
        raise InvalidInput(_("This case is closed."), code="closed")


@action
def interim_measure_review(*, measure: InterimMeasure, review_on: date | None, by: Any) -> InterimMeasure:
    """At its review, the measure continues to a new review date (or is lifted: ``interim_measure_lift``)."""
    case = measure.case
    require_handling(case, by)
    _in_force(measure)
    measure.review_on = _review_date(review_on)
    measure.save(update_fields=["review_on"])
    for deadline in deadlines.open_deadlines_for(measure):
        deadlines.deadline_met(deadline=deadline, by=by)
    _set_review(measure, by=by)
    ledger.record(
        actor=by,
        action=INTERIM_REVIEWED,
        subject=case,
        data={"case": case.pk, "measure": measure.pk, "review": measure.review_on.isoformat()},
    )
    return measure


def lift(measure: InterimMeasure, *, by: Any) -> None:
    """End the measure: its restriction lifted today, its review timer cancelled. Seats it ended stay ended."""
    measure.lifted_at = timezone.now()  # first: the measure no longer holds its restriction
    measure.save(update_fields=["lifted_at"])
    if measure.restriction_id:
        restriction = Restriction.objects.filter(pk=measure.restriction_id, lifted_on__isnull=True).first()
        if restriction is not None:
            org.restriction_lift(restriction=restriction, lifted_on=timezone.localdate(), by=ledger.SYSTEM)
    for deadline in deadlines.open_deadlines_for(measure):
        deadlines.deadline_cancel(deadline=deadline, by=by)


@action
def interim_measure_lift(*, measure: InterimMeasure, by: Any) -> InterimMeasure:
    """The panel lifts a measure before the case ends (the final decision lifts the rest by itself)."""
    case = measure.case
    require_handling(case, by)
    _in_force(measure)
    lift(measure, by=by)
    ledger.record(actor=by, action=INTERIM_LIFTED, subject=case, data={"case": case.pk, "measure": measure.pk})
    notify.parties(
        case,
        _("An interim measure in case %(case)s has ended") % {"case": case.reference},
        _("An interim measure in case %(case)s was lifted.") % {"case": case.reference},
    )
    return measure


# ---------------------------------------------------------------------------------------------------------------------
# Membership changes while a case is open (registered with ``org.hooks`` when the app is ready).


def _open_cases_about(person: Person) -> Any:
    return Case.objects.exclude(stage__in=[Stage.FINAL, Stage.CLOSED]).filter(Q(respondent=person) | Q(subjects=person))


def in_an_open_case(person: Person) -> bool:
    """The respondent in an open case, or an official an open process investigation examines."""
    return bool(_open_cases_about(person).exists())


hooks.register_open_case_check("cases.open_case", in_an_open_case)
hooks.register_rejoin_listener("cases.tell_disciplinary_body", notify.disciplinary_body_of_rejoin)
