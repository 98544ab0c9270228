"""The JSON API over the case actions: where a case stands, each step, and refusals as problem JSON."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from rankfile.cases import stages
from rankfile.cases.models import Case, Stage
from rankfile.ledger.models import Entry
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db

# Who takes each step when it is allowed: the investigator, a decision-maker, or the respondent.
ACTOR = {
    "seat": "dana",
    "notice_draft": "dana",
    "notice_give": "dana",
    "notice_delay": "dana",
    "review_open": "dana",
    "investigation_report": "dana",
    "appeal_record_send": "dana",
    "decision": "dev",
    "respond": "ray",
    "notice_agree": "rae",
    "review_finish": "ray",
    "appeal": "ray",
    "appeal_waive": "ray",
}
BODIES: dict[str, dict[str, Any]] = {
    "notice_draft": {"allegations": cb.ALLEGATIONS},
    "notice_delay": {"until": "2099-01-01", "reason_code": "retaliation_risk"},
    "respond": {"text": "No."},
    "investigation_report": {"text": "Report."},
    "decision": {"findings": {"1": "responsible", "2": "responsible"}, "rationale": "Reasons.", "sanctions": []},
    "appeal": {"grounds": ["new_evidence"], "statement": "New evidence."},
}


def _post(org, who: str, case: Case, step: str, body: dict | None = None):
    client = signed_in(org[who].user, org[who].key)
    return client.post(
        f"/api/cases/{case.reference}/steps/{step}", json.dumps(body or {}), content_type="application/json"
    )


def test_every_step_the_stage_does_not_allow_is_refused_with_a_clear_error_and_changes_nothing():
    org = cb.full_organization()
    builders: list[Callable[[cb.Org], Case]] = [
        cb.opened,
        cb.seated,
        cb.noticed,
        cb.investigating,
        cb.reviewed,
        cb.for_decision,
        lambda o: cb.decided(o).case,  # the appeal window
    ]
    checked = 0
    for build in builders:
        case = build(org)
        stage = case.stage
        for step, who in ACTOR.items():
            if stages.is_open(case, step):
                continue
            before = Entry.objects.count()
            response = _post(org, who, case, step, BODIES.get(step))
            unseated = stage == Stage.PANEL and who in ("dana", "dev") and step not in ("seat", "appeal_record_send")
            untold = who == "ray" and case.noticed_at is None
            if unseated or untold:
                # Nobody sits on the panel yet, so nobody can take a panel's step; the respondent has no part in
                # the case before the notice: not found, as for anyone.
                assert response.status_code == 404, (stage, step, response.content)
                assert Entry.objects.count() == before
                continue
            assert response.status_code == 400, (stage, step, response.content)
            problem = response.json()
            assert response["Content-Type"] == "application/problem+json"
            assert problem["code"] in {"wrong_stage", "nobody_ready", "items", "locked"}, (stage, step, problem)
            if problem["code"] == "wrong_stage":
                assert str(Stage(stage).label) in problem["detail"]
            case.refresh_from_db()
            assert case.stage == stage
            assert Entry.objects.count() == before
            checked += 1
    assert checked > 50


def test_a_step_allowed_at_the_stage_moves_the_case():
    org = cb.full_organization()
    case = cb.noticed(org)
    response = _post(org, "ray", case, "respond", {"text": "I deny it."})
    assert response.status_code == 200
    assert response.json()["stage"] == Stage.INVESTIGATION


def test_invariant_11_an_outsider_gets_the_same_404_as_for_a_case_that_does_not_exist():
    org = cb.full_organization()
    case = cb.noticed(org)
    lee = signed_in(org["lee"].user, org["lee"].key)
    theirs = lee.get(f"/api/cases/{case.reference}")
    nothing = lee.get("/api/cases/C-1999-1")
    assert theirs.status_code == nothing.status_code == 404
    assert theirs.json() == nothing.json()
    refused = _post(org, "lee", case, "notice_draft", {"allegations": cb.ALLEGATIONS})
    assert refused.status_code == 404
    assert refused.json() == nothing.json()


def test_the_state_says_where_the_case_stands_and_what_comes_next():
    org = cb.full_organization()
    case = cb.noticed(org)
    state = signed_in(org["ray"].user, org["ray"].key).get(f"/api/cases/{case.reference}").json()
    assert state["as"] == "party"
    assert state["stage"] == "response"
    assert state["next"] == ["respond"]
    assert {d["kind"] for d in state["deadlines"]} == {"cases.respondent_response", "cases.decision_target"}
    assert {m["name"] for m in state["panel"]} == {"Dana Discipline", "Dev Discipline", "Dora Discipline"}


def test_a_leader_asking_to_set_a_decision_aside_is_refused_and_the_attempt_recorded():
    org = cb.full_organization()
    decision = cb.decided(org)
    response = _post(org, "lee", decision.case, "set_aside")
    assert response.status_code == 404
    entry = Entry.objects.get(action="cases.decision_change_refused")
    assert json.loads(entry.data)["attempt"] == "set_aside"
    assert (entry.actor_type, entry.actor_id) == ("org.person", org["lee"].person.pk)


def test_a_malformed_notice_gets_a_clear_problem_not_a_crash():
    org = cb.full_organization()
    case = cb.seated(org)
    for body in ({"allegations": ["touching"]}, {"allegations": "touching"}, {"allegations": [{"text": 3}]}):
        response = _post(org, "dana", case, "notice_draft", body)
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "notice_incomplete"
    case.refresh_from_db()
    assert case.stage == Stage.NOTICE
    assert not case.documents.exists()
