"""The JSON API over the case actions: where a case stands, each step, and refusals as problem JSON; who has a part
in a case, and that everyone else is told exactly what they would be told about a case that does not exist."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from rankfile.api import cases as cases_api
from rankfile.cases import stages
from rankfile.cases.actions import panel, process
from rankfile.cases.models import Case, Override, Stage
from rankfile.deadlines.actions import tick
from rankfile.ledger.models import Entry
from tests.cases import casebuilders as cb
from tests.cases.builders import member
from tests.cases.helpers import signed_in, with_key

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
    "decision_agree": "dora",
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
    "review_open": {"items": []},
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
            unseated = (
                stage == Stage.PANEL and who in ("dana", "dev", "dora") and step not in ("seat", "appeal_record_send")
            )
            # Nobody sits on the panel yet, so nobody can take a panel's step; and the respondent has no part in the
            # case before the notice: not found, as for anyone.
            if unseated or (who == "ray" and stage in (Stage.PANEL, Stage.NOTICE)):
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


def _nothing(client, step: str = "") -> dict:
    """What the caller is told about a case that does not exist."""
    response = (
        client.post(f"/api/cases/C-1999-1/steps/{step}", "{}", content_type="application/json")
        if step
        else (client.get("/api/cases/C-1999-1"))
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


ALL_STEPS = [*sorted(cases_api.OPERATIONS)]
JUNK = json.dumps({"junk": [1, 2, 3]})  # read, it would be a 400 naming the field "junk"


def test_invariant_11_no_part_in_a_case_is_the_same_404_as_no_case_before_the_body_is_read():
    org = cb.full_organization()
    case = cb.decided(org).case
    org.base.people["max"] = member("Max Member")  # a member who sits on no body
    # A leader, the support team, the oversight body, a disciplinary member not on this panel, the appeals body
    # before any appeal, a delegate of the convention (who records no votes), and a member: none has a part here.
    outsiders = ["lee", "sam", "olu", "dale", "abe", "one", "max"]
    for who in outsiders:
        client = signed_in(org[who].user, org[who].key)
        assert client.get(f"/api/cases/{case.reference}").json() == _nothing(client), who
        for step in ALL_STEPS:
            before = Entry.objects.count()
            response = client.post(f"/api/cases/{case.reference}/steps/{step}", JUNK, content_type="application/json")
            assert response.status_code == 404, (who, step, response.content)
            assert response.json() == _nothing(client, step), (who, step)
            if step == "set_aside" and who != "max":
                # An official's attempt is refused on the record, for the oversight body; the answer is the same.
                refused = Entry.objects.filter(seq__gt=before, action="cases.decision_change_refused")
                assert refused.count() == 1, who
            else:
                assert Entry.objects.count() == before, (who, step)


def test_a_reference_with_a_control_character_is_not_found_and_reaches_no_query():
    org = cb.full_organization()
    dana = signed_in(org["dana"].user, org["dana"].key)
    for reference in ("C-2026-1%00", "C-2026-1%0A"):  # PostgreSQL refuses a NUL in a query: that would be a 500
        assert dana.get(f"/api/cases/{reference}").json() == _nothing(dana)
        response = dana.post(f"/api/cases/{reference}/steps/seat", "{}", content_type="application/json")
        assert response.json() == _nothing(dana, "seat")


def test_a_signed_out_caller_gets_the_same_404_as_for_no_case_and_nothing_is_written():
    org = cb.full_organization()
    case = cb.decided(org).case
    for client in (Client(), Client(headers={"Authorization": "Bearer rf_not-a-token"})):
        before = Entry.objects.count()
        assert client.get(f"/api/cases/{case.reference}").json() == _nothing(client)
        for step in ALL_STEPS:
            response = client.post(f"/api/cases/{case.reference}/steps/{step}", JUNK, content_type="application/json")
            assert response.status_code == 404, (step, response.content)
            assert response.json() == _nothing(client, step)
        assert Entry.objects.count() == before


def test_the_respondent_has_no_part_in_the_case_before_the_notice():
    org = cb.full_organization()
    case = cb.seated(org)
    ray = signed_in(org["ray"].user, org["ray"].key)
    assert ray.get(f"/api/cases/{case.reference}").json() == _nothing(ray)
    for step in ALL_STEPS:
        response = ray.post(f"/api/cases/{case.reference}/steps/{step}", JUNK, content_type="application/json")
        assert response.json() == _nothing(ray, step), step
    cb.give_notice(org, case)
    assert ray.get(f"/api/cases/{case.reference}").json()["as"] == "party"


def _problem_fields(response) -> set[str]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    return set(response.json().get("errors", {}))


def test_a_body_that_does_not_fit_its_step_is_a_400_naming_the_field_never_a_500():
    org = cb.full_organization()
    case = cb.for_decision(org)
    dana, dev = signed_in(org["dana"].user, org["dana"].key), signed_in(org["dev"].user, org["dev"].key)
    deep = "[" * 1000 + "]" * 1000
    bodies: list[tuple[Any, str, str, set[str]]] = [
        (dana, "notice_draft", '{"allegations": ["touching"]}', {"allegations.0"}),
        (dana, "notice_draft", '{"allegations": "touching"}', {"allegations"}),
        (dana, "notice_draft", '{"allegations": true}', {"allegations"}),
        (dana, "notice_draft", '{"allegations": [{"text": 3}]}', {"allegations.0.text", "allegations.0.provisions"}),
        (dana, "notice_draft", '{"allegations": [{"text": "\\ud800", "provisions": "2.1"}]}', {"allegations.0.text"}),
        (dana, "notice_draft", '{"allegations": [{"text": "a\\u0000b", "provisions": "2.1"}]}', {"allegations.0.text"}),
        (dana, "notice_draft", '{"allegations": [], "also": 1}', {"also"}),
        (dana, "notice_delay", '{"until": "soon", "reason_code": "retaliation_risk"}', {"until"}),
        (dana, "review_open", '{"items": [99999999999999999999999999]}', {"items.0"}),
        (dana, "review_open", '{"items": [true]}', {"items.0"}),
        (dev, "decision", '{"findings": {"\u00b2": "responsible"}, "rationale": "R."}', {"findings.\u00b2"}),
        (dev, "decision", '{"findings": {"99999999999999999999": "responsible"}, "rationale": "R."}', set()),
        (dev, "decision", '{"findings": {"1": "guilty"}, "rationale": "R."}', {"findings.1"}),
        (dev, "decision", '{"findings": {}, "rationale": "R.", "sanctions": [{"a": 1}]}', {"sanctions.0"}),
        (dev, "decision", "[]", {"body"}),
        (dev, "decision", "", {"body"}),
    ]
    before = Entry.objects.count()
    for client, step, raw, fields in bodies:
        response = client.post(f"/api/cases/{case.reference}/steps/{step}", raw, content_type="application/json")
        named = _problem_fields(response)
        assert response.json()["code"] == "invalid_input", (step, raw[:80])
        assert named, (step, raw[:80])
        assert fields <= named, (step, raw[:80], named)
    unreadable: list[str | bytes] = ["{", b"\xff", "[" * 100_000, '{"findings": ' + deep + "}"]
    for data in unreadable:
        response = dev.post(f"/api/cases/{case.reference}/steps/decision", data, content_type="application/json")
        assert response.status_code == 400, data[:10]
        assert response.json()["code"] in ("not_json", "invalid_input")  # too deep to read, or not an object
    case.refresh_from_db()
    assert case.stage == Stage.DECISION
    assert Entry.objects.count() == before


def test_a_session_post_needs_the_csrf_token_and_a_stranger_is_still_told_not_found():
    org = cb.full_organization()
    case = cb.seated(org)
    dana = with_key(Client(enforce_csrf_checks=True), org["dana"].key)
    dana.force_login(org["dana"].user)
    url = f"/api/cases/{case.reference}/steps/notice_draft"
    body = json.dumps({"allegations": cb.ALLEGATIONS})
    refused = dana.post(url, body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    assert dana.get(f"/api/cases/{case.reference}").status_code == 200
    dana.get("/")  # the page sets the CSRF cookie
    token = dana.cookies["csrftoken"].value
    taken = dana.post(url, body, content_type="application/json", headers={"X-CSRFToken": token})
    assert taken.status_code == 200, taken.content
    stranger = Client(enforce_csrf_checks=True)
    assert stranger.post(url, body, content_type="application/json").json() == _nothing(stranger, "notice_draft")


def test_a_method_an_address_does_not_take_is_a_405_problem():
    response = Client().get("/api/cases/C-1999-1/steps/seat")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "POST"
    assert response.json()["code"] == "method_not_allowed"


def test_only_a_recorder_of_the_empowered_body_overrides_through_the_api():
    org = cb.full_organization()
    case = cb.decided(org).case
    for who in ("ray", "rae"):
        assert _post(org, who, case, "appeal_waive").status_code == 200
    case.refresh_from_db()
    assert case.stage == Stage.FINAL
    vote = cb.convention_vote(org)
    for who in ("dana", "dev", "ray"):  # a part in the case is not the power to override its decision
        response = _post(org, who, case, "override", {"vote_reference": vote})
        assert response.json() == _nothing(Client(), "override"), who
    assert not Entry.objects.filter(action="cases.decision_overridden").exists()
    cleo = signed_in(org["cleo"].user)  # no key needed: an override seals nothing
    response = cleo.post(
        f"/api/cases/{case.reference}/steps/override", json.dumps({"vote_reference": vote}), "application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["result"] == {"override": Override.objects.get(decision__case=case).pk}


def test_an_adviser_cannot_finish_the_review_or_give_up_the_appeal_for_their_party_as_on_the_pages():
    org = cb.full_organization()
    case = cb.investigating(org)
    rae, one = org["rae"], org["one"]
    party = panel.adviser_name(case=case, adviser=one.person, key=rae.key, by=rae.user)
    panel.adviser_accept(party=party, key=one.key, by=one.user)
    statement = process.document_add(case=case, kind="statement", title="Witness", text="Seen.", by=org["dana"].user)
    process.evidence_review_open(case=case, items=[statement], by=org["dana"].user, key=org["dana"].key)
    case.refresh_from_db()
    assert case.stage == Stage.EVIDENCE_REVIEW
    assert _post(org, "one", case, "review_finish").json() == _nothing(Client(), "review_finish")
    party.refresh_from_db()
    assert party.review_done_at is None
    assert 'value="review_finish"' not in _steps_on_the_party_page(org, "one", case)
    tick(now=cb.after(11))  # type: ignore[arg-type]  # the review's time is up
    case.refresh_from_db()
    case = cb.decided(org, case=cb.for_decision(org, case)).case
    assert _post(org, "one", case, "appeal_waive").json() == _nothing(Client(), "appeal_waive")
    party.refresh_from_db()
    assert party.appeal_waived_at is None
    assert _post(org, "rae", case, "appeal_waive").status_code == 200


def _steps_on_the_party_page(org, who: str, case: Case) -> str:
    return signed_in(org[who].user, org[who].key).get(f"/cases/mine/{case.reference}/").content.decode()
