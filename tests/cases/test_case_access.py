"""Case access decided in one place (cases/policy.py): the holes that deciding it in many places let in."""

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from rankfile.cases.actions import decisions, panel, process
from rankfile.cases.models import Case, DecisionStatus, PanelRole, PanelStatus, Stage
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.governance.models import CaseEffect
from rankfile.ledger.models import Entry
from tests.cases import casebuilders as cb
from tests.cases.builders import member
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db

MADE_UP = "C-1999-9"


def _api(client: Any, method: str, reference: str, step: str = "", body: dict[str, Any] | None = None) -> Any:
    if method == "GET":
        return client.get(f"/api/cases/{reference}")
    return client.post(f"/api/cases/{reference}/steps/{step}", json.dumps(body or {}), content_type="application/json")


def _same_as_missing(client: Any, method: str, case: Case, step: str = "", body: dict[str, Any] | None = None) -> None:
    real = _api(client, method, case.reference, step, body)
    missing = _api(client, method, MADE_UP, step, body)
    assert (real.status_code, real.json()) == (missing.status_code, missing.json()), (method, step, real.content)
    assert real.status_code == 404


def final_decision(org: cb.Org) -> Any:
    decision = cb.decided(org)
    decisions.finalize(decision=decision, by=cb.OPERATOR)
    decision.refresh_from_db()
    return decision


def test_invariant_11_the_api_answers_override_and_set_aside_for_a_real_case_as_for_a_missing_one():
    org = cb.full_organization()
    before_any_decision = cb.noticed(org)
    outsiders = ["lee", "dale", "one", "rae"]
    for name in outsiders:
        client = signed_in(org[name].user, org[name].key)
        for step, body in (("override", {"vote_reference": "CONV-2026-M1"}), ("set_aside", {})):
            _same_as_missing(client, "POST", before_any_decision, step, body)


def test_invariant_11_after_a_final_decision_only_the_empowered_bodys_recorder_learns_anything():
    org = cb.full_organization()
    decision = final_decision(org)
    for name in ("lee", "dale", "rae", "ray", "dana"):
        client = signed_in(org[name].user, org[name].key)
        _same_as_missing(client, "POST", decision.case, "override", {"vote_reference": "CONV-2026-M1"})
        _same_as_missing(client, "POST", decision.case, "set_aside")
    # The convention's chair records for the empowered body: a bad reference is a clear problem to her.
    cleo = signed_in(org["cleo"].user, org["cleo"].key)
    refused = _api(cleo, "POST", decision.case.reference, "override", {"vote_reference": "CONV-1999-M1"})
    assert refused.status_code == 400
    assert refused.json()["code"] == "no_such_vote"


def test_invariant_11_a_respondent_before_notice_has_no_part_in_the_case_yet():
    org = cb.full_organization()
    case = cb.seated(org)
    ray = signed_in(org["ray"].user, org["ray"].key)
    _same_as_missing(ray, "GET", case)
    _same_as_missing(ray, "POST", case, "respond", {"text": "I deny it."})
    _same_as_missing(ray, "POST", case, "notice_agree")


def test_a_member_with_no_seat_cannot_fill_the_oversight_bodys_flagged_list():
    org = cb.full_organization()
    decision = final_decision(org)
    nobody = member("Mo Member")
    client = signed_in(nobody.user, nobody.key)
    before = Entry.objects.count()
    for _attempt in range(5):
        _same_as_missing(client, "POST", decision.case, "set_aside")
        _same_as_missing(client, "POST", decision.case, "override", {"vote_reference": "CONV-2026-M1"})
    assert Entry.objects.count() == before
    # An official's attempt is still recorded, flagged, with their name.
    _same_as_missing(signed_in(org["lee"].user, org["lee"].key), "POST", decision.case, "set_aside")
    entry = Entry.objects.get(action="cases.decision_change_refused")
    assert (entry.actor_type, entry.actor_id) == ("org.person", org["lee"].person.pk)


def test_invariant_8_an_override_cites_only_a_carried_motion_that_names_this_case_and_what_it_changes():
    org = cb.full_organization()
    decision = final_decision(org)
    cleo = org["cleo"].user
    about_him_only = cb.convention_vote(org, text="That the convention has concerns about Ray.", effect="")
    readmits = cb.convention_vote(org, text="That Ray be re-admitted.", effect=CaseEffect.READMISSION)
    for vote in (about_him_only, readmits):
        with pytest.raises(InvalidInput) as refused:
            decisions.decision_override(decision=decision, vote_reference=vote, by=cleo)
        assert refused.value.code == "motion_not_about_case"
    decision.refresh_from_db()
    assert not decision.overrides.exists()
    overrides = cb.convention_vote(org, text="That the decision in C-… be set aside.", case=decision.case)
    decisions.decision_override(decision=decision, vote_reference=overrides, by=cleo)
    assert decision.overrides.count() == 1


def test_invariant_5_a_site_administrator_who_records_for_every_body_cannot_override():
    org = cb.full_organization()
    admin_user = get_user_model().objects.create_user(
        email="sita@example.org", password=None, name="Sita Admin", is_site_admin=True
    )
    decision = final_decision(org)
    vote = cb.convention_vote(org, case=decision.case)
    with pytest.raises(NotAllowed):
        decisions.decision_override(decision=decision, vote_reference=vote, by=admin_user)
    assert not decision.overrides.exists()


def test_a_handler_the_case_excluded_reads_its_reports_no_more():
    org = cb.full_organization()
    case = cb.opened(org)
    report = case.reports.get()
    dale = signed_in(org["dale"].user, org["dale"].key)
    assert dale.get(f"/cases/{report.pk}/").status_code == 200  # he handles it, and may run the case unseated
    # He shares a body with the respondent: proposed for the panel, he is excluded from the case, and so from
    # everything the case holds, the reports it opened from included.
    cb.seat(org["ray"], org.steering)
    cb.seat(org["dale"], org.steering)
    excluded = panel.panelist_propose(
        case=case, person=org["dale"].person, role=PanelRole.INVESTIGATOR, by=org["dana"].user
    )
    assert excluded.status == PanelStatus.EXCLUDED
    real = dale.get(f"/cases/{report.pk}/")
    missing = dale.get("/cases/999999/")
    assert real.status_code == missing.status_code == 404
    assert f"/cases/{report.pk}/" not in dale.get("/cases/").content.decode()


def test_once_the_panel_is_seated_a_handler_left_off_it_reads_the_reports_no_more():
    org = cb.full_organization()
    case = cb.seated(org)  # Dana, Dev and Dora; Dale handled the report but sits on no panel
    report = case.reports.get()
    assert signed_in(org["dale"].user, org["dale"].key).get(f"/cases/{report.pk}/").status_code == 404
    assert signed_in(org["dana"].user, org["dana"].key).get(f"/cases/{report.pk}/").status_code == 200


def party_page(case: Case) -> str:
    return f"/cases/mine/{case.reference}/"


def test_the_parties_finish_the_evidence_review_on_their_page():
    org = cb.full_organization()
    case = cb.investigating(org)
    statement = process.document_add(
        case=case, kind="statement", title="Statement", text="I saw it.", by=org["dana"].user
    )
    process.evidence_review_open(case=case, items=[statement], by=org["dana"].user, key=org["dana"].key)
    rae, ray = (signed_in(org[n].user, org[n].key) for n in ("rae", "ray"))
    assert "I have finished reviewing the evidence" in rae.get(party_page(case)).content.decode()
    assert rae.post(party_page(case), {"step": "review_finish"}).status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.EVIDENCE_REVIEW
    assert "I have finished reviewing the evidence" not in rae.get(party_page(case)).content.decode()
    assert ray.post(party_page(case), {"step": "review_finish"}).status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.REPORT


def test_the_parties_give_up_their_appeal_on_their_page_and_the_decision_is_final_at_once():
    org = cb.full_organization()
    decision = cb.decided(org)
    case = decision.case
    rae, ray = (signed_in(org[n].user, org[n].key) for n in ("rae", "ray"))
    assert "Give up my appeal" in ray.get(party_page(case)).content.decode()
    unconfirmed = ray.post(party_page(case), {"step": "appeal_waive"})
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    assert ray.post(party_page(case), {"step": "appeal_waive", "confirm": "yes"}).status_code == 302
    page = ray.get(party_page(case)).content.decode()
    assert "Give up my appeal" not in page
    assert "Lodge my appeal" not in page
    assert rae.post(party_page(case), {"step": "appeal_waive", "confirm": "yes"}).status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.FINAL


def test_a_case_reference_with_a_nul_is_not_found_on_every_case_page():
    org = cb.full_organization()
    case = cb.noticed(org)
    dana = signed_in(org["dana"].user, org["dana"].key)
    for page in ("case", "mine", "appeal", "panel"):
        response = dana.get(f"/cases/{page}/{case.reference}%00/")
        assert response.status_code == 404, (page, response.status_code)
