"""Cases over JSON: where a case stands, and one operation for each step the step table offers to the API.

Thin like the pages: the caller is admitted to the case first (``admit``: no part in it, or no such case, is the
same 404, before the body is read), then ninja reads the body into the step's type (a body that does not fit is a
400 naming the field), then the action decides, with the words the pages use.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import create_model

from rankfile.api import schemas
from rankfile.api.auth import Caller, callers
from rankfile.cases import policy as case_policy
from rankfile.cases import queries, stages
from rankfile.cases.actions import decisions, panel, process
from rankfile.cases.models import Appeal, Case, Decision, DecisionDraft, DecisionStatus, PanelStatus
from rankfile.deadlines import actions as deadlines
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.vault.keys import UnlockedKey

router = Router(tags=["cases"])

# Every status a case operation answers with, besides its 200.
REFUSALS = {
    400: schemas.Problem,  # the body does not fit, or the action refuses it (``wrong_stage``, ``locked``, …)
    403: schemas.Problem,  # the session's CSRF token is missing, or a second factor is
    404: schemas.Problem,  # no such case, or no part in it; not signed in; the step is not the caller's
    409: schemas.Problem,  # a deadline passed, or something changed since (``held_by_decision``, ``conflict``)
}


@dataclass(frozen=True)
class InCase:
    """A caller admitted to a case, and in which capacity (cases/policy.py ``capacity_in``)."""

    case: Case
    capacity: str
    caller: Caller

    @property
    def by(self) -> Any:
        return self.caller.user

    def key(self) -> UnlockedKey:
        """The caller's key, for a step that seals or opens case material."""
        if self.caller.key is None:
            if self.caller.by_token:
                message = _("Sign in on the pages to unlock case material; an API token opens none.")
            else:
                message = _("Sign in again on the pages to unlock case material in this session.")
            raise InvalidInput(message, code="locked")
        return self.caller.key


def admit(step: str = "") -> Callable[[HttpRequest, Caller], InCase]:
    """Admit a caller to the case named in the address, for ``step`` (none: to see where it stands)."""

    def to_case(request: HttpRequest, caller: Caller) -> InCase:
        match = request.resolver_match
        reference = str(match.kwargs.get("reference", "")) if match is not None else ""
        if not reference.isprintable():  # a NUL or a control character: no reference has one, and no query is made
            raise NotAllowed("no such case")
        case = queries.case_by_reference(reference=reference)
        capacity = case_policy.capacity_in(case, caller.user, step)
        if capacity is None:
            raise NotAllowed("no part in this case")
        if capacity in (stages.PANEL, stages.APPEALS):
            case_policy.require_second_factor(caller.user)  # case roles need a second factor, here as on the pages
        return InCase(case=case, capacity=capacity, caller=caller)

    return to_case


def _in_case(request: HttpRequest) -> InCase:
    found = request.auth  # type: ignore[attr-defined]  # set by ninja from what ``admit`` returned
    assert isinstance(found, InCase)
    return found


# --- where a case stands -----------------------------------------------------------------------------------------


@router.get(
    "/cases/{reference}",
    auth=callers(admit()),
    response={200: schemas.CaseState, 403: schemas.Problem, 404: schemas.Problem},
    by_alias=True,
    url_name="case_state",
    operation_id="case_state",
    summary="Where a case stands",
)
def case_state(request: HttpRequest, reference: str) -> dict[str, Any]:
    """For its panel (or those who run it before seating), the appeals body's people hearing it, and its parties.
    Nothing of the case's content: that is opened, with a read on the ledger, on the pages."""
    found = _in_case(request)
    case = found.case
    members = list(case.panel.select_related("person").order_by("pk"))
    if found.capacity != stages.PANEL:
        members = [m for m in members if m.status == PanelStatus.SEATED]
    api_steps = {step.name for step in stages.STEPS if step.api}
    return {
        "reference": case.reference,
        "kind": case.kind,
        "track": case.track,
        "stage": case.stage,
        "stage_label": str(case.get_stage_display()),
        "as": found.capacity,
        "next": sorted(stages.open_at(case.stage, found.capacity) & api_steps),
        "steps": [{"stage": s.stage, "at": s.at} for s in case.steps.all()],
        "deadlines": [{"kind": d.kind, "due_at": d.due_at} for d in deadlines.open_deadlines_for(case)],
        "panel": [{"name": m.person.name, "role": m.role, "status": m.status, "reason": m.reason} for m in members],
    }


# --- the steps ---------------------------------------------------------------------------------------------------


def _seat(found: InCase, body: None) -> schemas.Seated:
    return schemas.Seated(seated=len(panel.panel_seat(case=found.case, by=found.by, key=found.key())))


def _notice_draft(found: InCase, body: schemas.NoticeDraft) -> schemas.DocumentAdded:
    allegations = [allegation.model_dump() for allegation in body.allegations]
    return schemas.DocumentAdded(
        document=process.notice_draft(case=found.case, allegations=allegations, by=found.by).pk
    )


def _notice_agree(found: InCase, body: None) -> schemas.Agreed:
    process.notice_agree(case=found.case, key=found.key(), by=found.by)
    return schemas.Agreed()


def _notice_give(found: InCase, body: None) -> schemas.DocumentAdded:
    return schemas.DocumentAdded(document=process.notice_give(case=found.case, by=found.by, key=found.key()).pk)


def _notice_delay(found: InCase, body: schemas.NoticeDelay) -> schemas.Delayed:
    process.notice_delay(case=found.case, until=body.until, reason_code=body.reason_code, by=found.by)
    return schemas.Delayed(until=body.until)


def _review_open(found: InCase, body: schemas.ReviewOpen) -> schemas.Shared:
    items = list(found.case.documents.filter(pk__in=body.items))
    if len(items) != len(set(body.items)):
        message = _("Choose documents of this case.")
        raise InvalidInput(message, code="items", field_errors={"items": [message]})
    return schemas.Shared(
        shared=process.evidence_review_open(case=found.case, items=items, by=found.by, key=found.key())
    )


def _respond(found: InCase, body: schemas.Written) -> schemas.DocumentAdded:
    item = process.response_file(case=found.case, text=body.text, key=found.key(), by=found.by)
    return schemas.DocumentAdded(document=item.pk)


def _review_finish(found: InCase, body: None) -> schemas.ReviewFinished:
    return schemas.ReviewFinished(closed=process.evidence_review_finish(case=found.case, key=found.key(), by=found.by))


def _investigation_report(found: InCase, body: schemas.Written) -> schemas.DocumentAdded:
    item = process.investigation_report_file(case=found.case, text=body.text, by=found.by)
    return schemas.DocumentAdded(document=item.pk)


def _proposed(made: Decision | DecisionDraft) -> schemas.DecisionProposed:
    if isinstance(made, DecisionDraft):
        return schemas.DecisionProposed(decision=None, waiting_for=len(decisions.yet_to_agree(made)))
    return schemas.DecisionProposed(decision=made.pk, waiting_for=0)


def _decision_issue(found: InCase, body: schemas.Decision) -> schemas.DecisionProposed:
    made = decisions.decision_issue(
        case=found.case, findings=body.findings, rationale=body.rationale, sanctions=body.sanctions, by=found.by
    )
    return _proposed(made)


def _decision_agree(found: InCase, body: None) -> schemas.DecisionProposed:
    return _proposed(decisions.decision_agree(case=found.case, key=found.key(), by=found.by))


def _appeal_lodge(found: InCase, body: schemas.Appeal) -> schemas.AppealLodged:
    appeal = decisions.appeal_lodge(
        case=found.case, grounds=body.grounds, statement=body.statement, key=found.key(), by=found.by
    )
    return schemas.AppealLodged(appeal=appeal.pk)


def _appeal_waive(found: InCase, body: None) -> schemas.Waived:
    return schemas.Waived(final=decisions.appeal_waive(case=found.case, key=found.key(), by=found.by))


def _appeal_of(case: Case, step: str) -> Appeal:
    stages.require_open(case, step)
    appeal = case.appeals.order_by("-pk").first()
    assert appeal is not None  # the stage guarantees one
    return appeal


def _appeal_record_send(found: InCase, body: None) -> schemas.RecordSent:
    appeal = _appeal_of(found.case, "appeal_record_send")
    return schemas.RecordSent(keys_given=decisions.appeal_record_send(appeal=appeal, by=found.by, key=found.key()))


def _appeal_decide(found: InCase, body: schemas.AppealDecide) -> schemas.DecisionMade:
    decision = decisions.appeal_decide(
        appeal=_appeal_of(found.case, "appeal_decide"),
        outcome=body.outcome,
        rationale=body.rationale,
        findings=body.findings,
        sanctions=body.sanctions,
        by=found.by,
    )
    return schemas.DecisionMade(decision=decision.pk)


def _standing_decision(case: Case) -> Decision | None:
    return case.decisions.exclude(status=DecisionStatus.REPLACED).order_by("-pk").first()


def _override(found: InCase, body: schemas.Override) -> schemas.OverrideRecorded:
    decision = _standing_decision(found.case)
    if decision is None:
        raise InvalidInput(_("There is no decision in this case yet."), code="wrong_stage")
    override = decisions.decision_override(decision=decision, vote_reference=body.vote_reference, by=found.by)
    return schemas.OverrideRecorded(override=override.pk)


def _set_aside(found: InCase, body: None) -> Schema:
    """No such power: an official's attempt is refused on the record; anyone else's is not found, with nothing
    written (cases/policy.py ``capacity_in``)."""
    decision = _standing_decision(found.case)
    if decision is None:
        raise NotAllowed("no decision to ask about")
    decisions.decision_set_aside(decision=decision, by=found.by)
    raise NotAllowed("a decision is changed only by an appeal or a recorded override vote")  # pragma: no cover


@dataclass(frozen=True)
class StepOperation:
    body: type[schemas.Body] | None
    result: type[Schema] | None  # None: the step is always refused
    take: Callable[[InCase, Any], Schema]


OPERATIONS: dict[str, StepOperation] = {
    "seat": StepOperation(None, schemas.Seated, _seat),
    "notice_draft": StepOperation(schemas.NoticeDraft, schemas.DocumentAdded, _notice_draft),
    "notice_agree": StepOperation(None, schemas.Agreed, _notice_agree),
    "notice_give": StepOperation(None, schemas.DocumentAdded, _notice_give),
    "notice_delay": StepOperation(schemas.NoticeDelay, schemas.Delayed, _notice_delay),
    "review_open": StepOperation(schemas.ReviewOpen, schemas.Shared, _review_open),
    "respond": StepOperation(schemas.Written, schemas.DocumentAdded, _respond),
    "review_finish": StepOperation(None, schemas.ReviewFinished, _review_finish),
    "investigation_report": StepOperation(schemas.Written, schemas.DocumentAdded, _investigation_report),
    "decision": StepOperation(schemas.Decision, schemas.DecisionProposed, _decision_issue),
    "decision_agree": StepOperation(None, schemas.DecisionProposed, _decision_agree),
    "appeal": StepOperation(schemas.Appeal, schemas.AppealLodged, _appeal_lodge),
    "appeal_waive": StepOperation(None, schemas.Waived, _appeal_waive),
    "appeal_record_send": StepOperation(None, schemas.RecordSent, _appeal_record_send),
    "appeal_decide": StepOperation(schemas.AppealDecide, schemas.DecisionMade, _appeal_decide),
    "override": StepOperation(schemas.Override, schemas.OverrideRecorded, _override),
    "set_aside": StepOperation(None, None, _set_aside),
}


def _taken(name: str, result: type[Schema]) -> type[Schema]:
    """What a step answers: the case's stage after it, and what the step made."""
    title = "".join(part.title() for part in name.split("_"))
    return create_model(f"{title}Taken", __base__=Schema, reference=(str, ...), stage=(str, ...), result=(result, ...))


def _take(request: HttpRequest, operation: StepOperation, body: schemas.Body | None) -> dict[str, Any]:
    found = _in_case(request)
    result = operation.take(found, body)
    found.case.refresh_from_db()
    return {"reference": found.case.reference, "stage": found.case.stage, "result": result}


def _view(name: str, operation: StepOperation) -> Callable[..., dict[str, Any]]:
    def take_step(request: HttpRequest, reference: str, body: schemas.Body) -> dict[str, Any]:
        return _take(request, operation, body)

    def take_step_without_body(request: HttpRequest, reference: str) -> dict[str, Any]:
        return _take(request, operation, None)

    if operation.body is not None:
        take_step.__annotations__["body"] = operation.body  # ninja reads the body into the step's own type
    view = take_step if operation.body is not None else take_step_without_body
    view.__name__ = f"step_{name}"
    return view


def _add_step(name: str, operation: StepOperation, summary: str, description: str) -> None:
    responses: dict[int, Any] = {200: _taken(name, operation.result)} if operation.result is not None else {}
    responses.update(REFUSALS)
    router.add_api_operation(
        f"/cases/{{reference}}/steps/{name}",
        ["POST"],
        _view(name, operation),
        auth=callers(admit(name)),
        response=responses,
        url_name=f"case_step_{name}",
        operation_id=f"step_{name}",
        summary=summary,
        description=description,
    )


WHO = {
    stages.PANEL: "the people running the case",
    stages.PARTY: "a party",
    stages.APPEALS: "the appeals body's people hearing the appeal",
    stages.EMPOWERED: "a recorder of the body the bylaws empower to override a final decision",
}

for _step in stages.STEPS:
    if _step.api:
        _open_at = ", ".join(_step.stages)
        _add_step(
            _step.name,
            OPERATIONS[_step.name],
            str(_step.label),
            f"For {WHO[_step.by]}, at the stage {_open_at}; refused with `wrong_stage` at any other.",
        )
_add_step(
    "set_aside",
    OPERATIONS["set_aside"],
    "Set a decision aside (always refused)",
    "There is no such power: a decision is changed only by an appeal or a recorded override vote. An official's "
    "attempt is refused and recorded for the oversight body; the answer is always 404.",
)
