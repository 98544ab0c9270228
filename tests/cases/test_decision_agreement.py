"""A decision goes out only after a check, and, with more than one decision-maker seated, only once each of them has
agreed to the same draft: the first proposes it, the others agree, and any new proposal starts agreement again. The
letter names who proposed it and who agreed; every agreement is on the ledger."""

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from rankfile.cases import waiting
from rankfile.cases.actions import decisions, panel
from rankfile.cases.models import Decision, DecisionDraft, FindingOutcome, PanelRole, PanelStatus, Stage
from rankfile.cases.pages.letters import letter_html
from rankfile.errors import InvalidInput
from rankfile.ledger.models import Entry
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db

FINDINGS = {1: FindingOutcome.RESPONSIBLE, 2: FindingOutcome.NOT_RESPONSIBLE}
FORM = {
    "step": "decision",
    "decision-finding_1": "responsible",
    "decision-finding_2": "not_responsible",
    "decision-rationale": "More likely than not.",
    "decision-sanctions": ["bar_from_office"],
}


@pytest.fixture
def org() -> cb.Org:
    return cb.full_organization()


def client_of(org: cb.Org, name: str) -> Client:
    who = org[name]
    return signed_in(who.user, who.key)


def workspace(case) -> str:
    return f"/cases/case/{case.reference}/"


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def propose(org: cb.Org, case, name: str = "dev", sanctions: tuple[str, ...] = ("warning",)):
    return decisions.decision_issue(
        case=case, findings=FINDINGS, rationale="On the evidence.", sanctions=list(sanctions), by=org[name].user
    )


def agree(org: cb.Org, case, name: str):
    return decisions.decision_agree(case=case, key=org[name].key, by=org[name].user)


def test_with_two_decision_makers_one_alone_issues_nothing_it_waits_for_the_other(org):
    case = cb.for_decision(org)
    draft = propose(org, case)
    assert isinstance(draft, DecisionDraft)
    case.refresh_from_db()
    assert case.stage == Stage.DECISION
    assert not Decision.objects.filter(case=case).exists()
    assert [m.person for m in decisions.yet_to_agree(draft)] == [org["dora"].person]
    entry = Entry.objects.get(action="cases.decision_proposed")
    assert json.loads(entry.data)["waiting_for"] == 1
    assert "On the evidence" not in entry.data  # the reasons are sealed, never on the ledger


def test_the_decision_is_issued_once_the_other_agrees_and_the_letter_says_who_decided_and_who_agreed(org):
    case = cb.for_decision(org)
    propose(org, case, sanctions=("warning",))
    decision = agree(org, case, "dora")
    assert isinstance(decision, Decision)
    case.refresh_from_db()
    assert case.stage == Stage.APPEAL_WINDOW
    assert decision.decided_by == org["dev"].person
    assert list(decision.sanctions.values_list("code", flat=True)) == ["warning"]
    agreed = json.loads(Entry.objects.get(action="cases.decision_agreed").data)
    assert agreed["person"] == org["dora"].person.pk
    assert agreed["waiting_for"] == 0
    ray = org["ray"]
    text = text_of(letter_html(case, decision, key=ray.key, actor=ray.user, capacity="respondent"))
    assert "Decided by Dev Discipline, who proposed it; Dora Discipline agreed to it." in text
    assert "Dev Discipline, decision-maker: Found on each allegation and chose the sanctions." in text
    assert "Dora Discipline, decision-maker: Agreed to the decision as it was proposed." in text


def test_a_letter_never_says_a_decision_maker_decided_who_took_no_part(org):
    case = cb.for_decision(org)
    place = case.panel.get(person=org["dora"].person)
    panel.panelist_recuse(member=place, by=org["dora"].user)
    decision = propose(org, case)  # Dev is the only decision-maker left: issued at once
    assert isinstance(decision, Decision)
    ray = org["ray"]
    text = text_of(letter_html(case, decision, key=ray.key, actor=ray.user, capacity="respondent"))
    assert "Decided by Dev Discipline " in text
    assert "agreed to it" not in text
    assert "Dora Discipline" not in text  # she had stepped down before it was made


def test_a_new_proposal_starts_agreement_again(org):
    case = cb.for_decision(org)
    first = propose(org, case, "dev", sanctions=("warning",))
    second = propose(org, case, "dora", sanctions=())
    first.refresh_from_db()
    assert first.ended_at is not None
    assert isinstance(second, DecisionDraft)
    assert [m.person for m in decisions.yet_to_agree(second)] == [org["dev"].person]
    with pytest.raises(InvalidInput) as refused:
        agree(org, case, "dora")  # she proposed it: she has agreed already
    assert refused.value.code == "no_draft"
    decision = agree(org, case, "dev")
    assert isinstance(decision, Decision)
    assert decision.decided_by == org["dora"].person
    assert not decision.sanctions.exists()
    proposals = [json.loads(e.data) for e in Entry.objects.filter(action="cases.decision_proposed").order_by("seq")]
    assert [p["replaced"] for p in proposals] == [None, first.pk]


def test_the_investigator_cannot_agree_to_a_decision(org):
    case = cb.for_decision(org)
    propose(org, case)
    with pytest.raises(InvalidInput) as refused:
        agree(org, case, "dana")
    assert refused.value.code == "wrong_panel_role"
    assert not Decision.objects.filter(case=case).exists()


def test_the_page_shows_the_decision_to_check_with_each_sanctions_end_date_and_issues_nothing(org):
    case = cb.for_decision(org)
    dev = client_of(org, "dev")
    response = dev.post(workspace(case), FORM)
    assert response.status_code == 200
    text = text_of(response.content.decode())
    final_on = timezone.localdate() + timedelta(days=14)
    until = final_on.replace(year=final_on.year + 3)
    assert "Check the decision in" in text
    assert "Allegation 1: responsible." in text
    assert "Allegation 2: not responsible." in text
    assert "More likely than not." in text
    assert f"Barred from office for 3 years, from {date_format(final_on, 'j F Y')}" in text
    assert f"until {date_format(until, 'j F Y')}" in text
    assert "Dora Discipline" in text  # the other decision-maker, who must agree
    assert "Propose this decision" in text
    assert "Go back and change it" in text
    assert not DecisionDraft.objects.filter(case=case).exists()
    assert not Decision.objects.filter(case=case).exists()
    # Back to change it: the workspace, the form as it was, nothing done.
    back = dev.post(workspace(case), {**FORM, "change": "1"})
    assert back.status_code == 200
    assert "More likely than not.</textarea>" in back.content.decode()
    assert not DecisionDraft.objects.filter(case=case).exists()


def test_on_the_page_one_proposes_the_other_agrees_and_only_then_is_it_issued(org):
    case = cb.for_decision(org)
    response = client_of(org, "dev").post(workspace(case), {**FORM, "issue": "1"})
    assert response.status_code == 302
    assert not Decision.objects.filter(case=case).exists()
    dev_page = text_of(client_of(org, "dev").get(workspace(case)).content.decode())
    assert "Agree to this decision" not in dev_page
    dora = client_of(org, "dora")
    page = text_of(dora.get(workspace(case)).content.decode())
    assert "Dev Discipline proposed this decision" in page
    assert "Yet to agree: Dora Discipline." in page
    assert "Agree to this decision" in page
    response = dora.post(workspace(case), {"step": "decision_agree"})
    assert response.status_code == 302
    decision = Decision.objects.get(case=case)
    assert decision.decided_by == org["dev"].person
    assert list(decision.sanctions.values_list("code", flat=True)) == ["bar_from_office"]


def test_the_proposer_reads_who_agreed_so_far_and_who_is_yet_to(org):
    case = cb.for_decision(org)
    propose(org, case)
    page = text_of(client_of(org, "dev").get(workspace(case)).content.decode())
    assert "Nothing waits on you now." in page
    assert "Agreed so far: Dev Discipline. Yet to agree: Dora Discipline." in page


def test_a_sole_decision_maker_issues_from_the_check_page(org):
    case = cb.for_decision(org)
    place = case.panel.get(person=org["dora"].person, role=PanelRole.DECISION_MAKER)
    panel.panelist_recuse(member=place, by=org["dora"].user)
    assert case.panel.filter(status=PanelStatus.SEATED, role=PanelRole.DECISION_MAKER).count() == 1
    dev = client_of(org, "dev")
    check = text_of(dev.post(workspace(case), FORM).content.decode())
    assert "Issue" in check
    assert "Propose this decision" not in check
    assert dev.post(workspace(case), {**FORM, "issue": "1"}).status_code == 302
    assert Decision.objects.get(case=case).decided_by == org["dev"].person


def test_the_home_page_asks_the_other_decision_maker_to_agree_and_the_proposer_for_nothing_more(org):
    case = cb.for_decision(org)
    asked = "Agree to the decision another decision-maker proposed"
    before = [str(item.what) for item in waiting.waiting_for(user=org["dora"].user)]
    assert "Decide and issue the decision" in before
    propose(org, case)
    dora = [str(item.what) for item in waiting.waiting_for(user=org["dora"].user)]
    dev = [str(item.what) for item in waiting.waiting_for(user=org["dev"].user)]
    assert asked in dora
    assert "Decide and issue the decision" not in dora
    assert asked not in dev
    assert "Decide and issue the decision" not in dev


def test_the_api_keeps_the_same_rule_a_proposal_then_the_others_agreement(org):
    case = cb.for_decision(org)

    def post(name: str, step: str, body: dict) -> dict:
        client = signed_in(org[name].user, org[name].key)
        response = client.post(
            f"/api/cases/{case.reference}/steps/{step}", json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 200, response.content
        return response.json()["result"]

    body = {"findings": {"1": "responsible", "2": "not_responsible"}, "rationale": "Reasons.", "sanctions": []}
    assert post("dev", "decision", body) == {"decision": None, "waiting_for": 1}
    assert not Decision.objects.filter(case=case).exists()
    made = post("dora", "decision_agree", {})
    assert made == {"decision": Decision.objects.get(case=case).pk, "waiting_for": 0}


# A decision-maker leaving the panel never leaves a proposed decision waiting on nobody.


def entry_data(action: str) -> dict:
    return json.loads(Entry.objects.get(action=f"cases.{action}").data)


def asked_of(org: cb.Org, name: str) -> list[str]:
    return [str(item.what) for item in waiting.waiting_for(user=org[name].user)]


def test_when_the_one_yet_to_agree_steps_down_the_proposer_is_asked_to_issue_it_and_does(org):
    case = cb.for_decision(org)
    propose(org, case)
    panel.panelist_recuse(member=case.panel.get(person=org["dora"].person), by=org["dora"].user)
    assert entry_data("decision_draft_agreed")["person"] == org["dora"].person.pk
    assert not Decision.objects.filter(case=case).exists()
    assert "Issue the decision every decision-maker agreed to" in asked_of(org, "dev")
    dev = client_of(org, "dev")
    page = text_of(dev.get(workspace(case)).content.decode())
    assert (
        "Issue the decision every decision-maker agreed to" in page
    )  # after finding a new panelist, as the panel is short
    assert "Every decision-maker still on the panel has agreed to it" in page
    assert "Issue this decision" in page
    response = dev.post(workspace(case), {"step": "decision_agree"}, follow=True)
    assert "You issued the decision every decision-maker on the panel agreed to." in text_of(response.content.decode())
    decision = Decision.objects.get(case=case)
    assert decision.decided_by == org["dev"].person
    assert DecisionDraft.objects.get(case=case).decision == decision
    case.refresh_from_db()
    assert case.stage == Stage.APPEAL_WINDOW
    assert "Issue the decision every decision-maker agreed to" not in asked_of(org, "dev")


def test_when_the_proposer_steps_down_the_draft_ends_and_the_others_are_asked_to_propose_anew(org):
    case = cb.for_decision(org)
    draft = propose(org, case)
    panel.panelist_recuse(member=case.panel.get(person=org["dev"].person), by=org["dev"].user)
    draft.refresh_from_db()
    assert draft.ended_at is not None
    assert entry_data("decision_draft_ended") == {"case": case.pk, "draft": draft.pk, "person": org["dev"].person.pk}
    dora_asked = asked_of(org, "dora")
    assert "Decide and issue the decision" in dora_asked
    assert "Agree to the decision another decision-maker proposed" not in dora_asked
    page = text_of(client_of(org, "dora").get(workspace(case)).content.decode())
    day = date_format(timezone.localdate(), "j F Y")
    assert f"Dev Discipline proposed a decision on {day}, then left the panel, so that proposal ended." in page
    with pytest.raises(InvalidInput):
        agree(org, case, "dora")  # nothing of his is left to agree to
    decision = propose(org, case, "dora")  # she alone is left: issued at once
    assert isinstance(decision, Decision)
    assert decision.decided_by == org["dora"].person


def test_with_three_decision_makers_the_proposer_issues_through_the_api_once_the_one_yet_to_agree_left(org):
    case = cb.opened(org)
    cb.proposed_and_declared(org, case, {**cb.STANDARD_PANEL, "dale": PanelRole.DECISION_MAKER})
    panel.panel_seat(case=case, by=org["dana"].user, key=org["dana"].key)
    case = cb.for_decision(org, cb.reviewed(org, cb.investigating(org, cb.noticed(org, case))))
    propose(org, case)
    assert isinstance(agree(org, case, "dora"), DecisionDraft)  # Dale has yet to agree
    panel.panelist_recuse(member=case.panel.get(person=org["dale"].person), by=org["dale"].user)
    assert entry_data("decision_draft_agreed")["person"] == org["dale"].person.pk
    with pytest.raises(InvalidInput):
        agree(org, case, "dora")  # she agreed already; the one who proposed it issues it
    response = signed_in(org["dev"].user, org["dev"].key).post(
        f"/api/cases/{case.reference}/steps/decision_agree", "{}", content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["result"] == {"decision": Decision.objects.get(case=case).pk, "waiting_for": 0}
