"""JSON over the case actions: where a case stands, and each step, for its panel and its parties.

Thin like the pages: parse, call the action, answer. A refusal becomes RFC 9457 problem JSON (rankfile.web's
middleware): a step the case is not at gets 400 with code ``wrong_stage`` and the stage it is at; anyone without
access to the case gets the same 404 as for a case that does not exist (invariant 11). Signed-in sessions only, with
the CSRF token, and the key unlocked in the session (its cookie), as for the pages.
"""

import json
from datetime import date
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from rankfile.cases import decisions, panel, process, stages
from rankfile.cases import policy as case_policy
from rankfile.cases.models import Case, Decision, DecisionStatus, PanelMember
from rankfile.deadlines import actions as deadlines
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.vault import sessions
from rankfile.vault.keys import UnlockedKey


def _next_names(stage: str, capacity: str) -> set[str]:
    """What the stage allows next to someone in this capacity, by the step table (the actions decide; this only
    tells a client)."""
    return stages.open_at(stage, capacity) & {step.name for step in stages.STEPS if step.api}


def _case(reference: str) -> Case:
    case = Case.objects.filter(reference=reference).select_related("body").first()
    if case is None:
        raise NotAllowed("no such case")
    return case


def _capacity(request: HttpRequest, case: Case, key: UnlockedKey | None) -> str:
    """How the signed-in person stands to the case: panel, appeals, party, or nothing (then: not found)."""
    return case_policy.capacity_in(case, request.user, key)


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        found = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InvalidInput("The body is not JSON.", code="not_json") from None
    if not isinstance(found, dict):
        raise InvalidInput("The body is a JSON object.", code="not_json")
    return found


def _decision(case: Case) -> Decision:
    found = case.decisions.exclude(status=DecisionStatus.REPLACED).order_by("-pk").first()
    if found is None:
        raise NotAllowed("no decision to change")  # as for a case that does not exist: nobody learns of it here
    return found


def _findings(data: dict[str, Any]) -> dict[int, str]:
    found = data.get("findings") or {}
    if not isinstance(found, dict):
        raise InvalidInput("Findings are an object: allegation number to outcome.", code="findings")
    return {int(k): str(v) for k, v in found.items() if str(k).isdigit()}


@require_GET
def case_state(request: HttpRequest, reference: str) -> JsonResponse:
    case = _case(reference)
    key = sessions.unlocked_key(request) if request.user.is_authenticated else None
    if not request.user.is_authenticated:
        raise NotAllowed("sign in")
    capacity = _capacity(request, case, key)
    members: list[PanelMember] = list(case.panel.select_related("person").order_by("pk"))
    if capacity == "party":
        members = [m for m in members if m.status == "seated"]
    return JsonResponse(
        {
            "reference": case.reference,
            "kind": case.kind,
            "track": case.track,
            "stage": case.stage,
            "stage_label": str(case.get_stage_display()),
            "as": capacity,
            "next": sorted(_next_names(case.stage, capacity)),
            "steps": [{"stage": s.stage, "at": s.at.isoformat()} for s in case.steps.all()],
            "deadlines": [{"kind": d.kind, "due_at": d.due_at.isoformat()} for d in deadlines.open_deadlines_for(case)],
            "panel": [{"name": m.person.name, "role": m.role, "status": m.status, "reason": m.reason} for m in members],
        }
    )


def _step(request: HttpRequest, case: Case, step: str, data: dict[str, Any]) -> Any:
    user = request.user
    key = sessions.unlocked_key(request)

    def need_key() -> UnlockedKey:
        if key is None:
            raise InvalidInput("Sign in again to unlock case material in this session.", code="locked")
        return key

    if step == "seat":
        return len(panel.panel_seat(case=case, by=user, key=need_key()))
    if step == "notice_draft":
        allegations = data.get("allegations") or []
        if not isinstance(allegations, list):
            raise InvalidInput("Allegations are a list.", code="notice_incomplete")
        return process.notice_draft(case=case, allegations=allegations, by=user).pk
    if step == "notice_agree":
        return process.notice_agree(case=case, key=need_key(), by=user).pk
    if step == "notice_give":
        return process.notice_give(case=case, by=user, key=need_key()).pk
    if step == "notice_delay":
        try:
            until = date.fromisoformat(str(data.get("until", "")))
        except ValueError:
            message = "Give the date as YYYY-MM-DD."
            raise InvalidInput(message, code="until", field_errors={"until": [message]}) from None
        process.notice_delay(case=case, until=until, reason_code=str(data.get("reason_code", "")), by=user)
        return until.isoformat()
    if step == "review_open":
        wanted = [int(i) for i in data.get("items") or [] if str(i).isdigit()]
        items = list(case.documents.filter(pk__in=wanted))
        if len(items) != len(set(wanted)):
            raise InvalidInput("Choose documents of this case.", code="items")
        return process.evidence_review_open(case=case, items=items, by=user, key=need_key())
    if step == "respond":
        return process.response_file(case=case, text=str(data.get("text", "")), key=need_key(), by=user).pk
    if step == "review_finish":
        return process.evidence_review_finish(case=case, key=need_key(), by=user)
    if step == "investigation_report":
        return process.investigation_report_file(case=case, text=str(data.get("text", "")), by=user).pk
    if step == "decision":
        return decisions.decision_issue(
            case=case,
            findings=_findings(data),
            rationale=str(data.get("rationale", "")),
            sanctions=[str(s) for s in data.get("sanctions") or []],
            by=user,
        ).pk
    if step == "appeal":
        return decisions.appeal_lodge(
            case=case,
            grounds=[str(g) for g in data.get("grounds") or []],
            statement=str(data.get("statement", "")),
            key=need_key(),
            by=user,
        ).pk
    if step == "appeal_waive":
        return decisions.appeal_waive(case=case, key=need_key(), by=user)
    if step == "appeal_record_send":
        stages.require_open(case, "appeal_record_send")
        appeal = case.appeals.order_by("-pk").first()
        assert appeal is not None  # the stage guarantees one
        return decisions.appeal_record_send(appeal=appeal, by=user, key=need_key())
    if step == "appeal_decide":
        stages.require_open(case, "appeal_decide")
        appeal = case.appeals.order_by("-pk").first()
        assert appeal is not None  # the stage guarantees one
        return decisions.appeal_decide(
            appeal=appeal,
            outcome=str(data.get("outcome", "")),
            rationale=str(data.get("rationale", "")),
            findings=_findings(data),
            sanctions=[str(s) for s in data.get("sanctions") or []],
            by=user,
        ).pk
    if step == "set_aside":
        return decisions.decision_set_aside(decision=_decision(case), by=user).pk
    if step == "override":
        return decisions.decision_override(
            decision=_decision(case), vote_reference=str(data.get("vote_reference", "")), by=user
        ).pk
    raise InvalidInput(f"There is no step “{step}”. Steps: {', '.join(sorted(STEP_NAMES))}.", code="unknown_step")


STEP_NAMES = {step.name for step in stages.STEPS if step.api} | {"set_aside"}


@require_POST
def case_step(request: HttpRequest, reference: str, step: str) -> JsonResponse:
    """Take one step. Answers with the case's new stage, or a problem that says what to fix."""
    if not request.user.is_authenticated:
        raise NotAllowed("sign in")
    case = _case(reference)
    if step not in ("set_aside", "override"):  # those two answer "not found" to all but the empowered body's recorders
        _capacity(request, case, sessions.unlocked_key(request))
    result = _step(request, case, step, _body(request))
    case.refresh_from_db()
    return JsonResponse({"reference": case.reference, "stage": case.stage, "result": result})
