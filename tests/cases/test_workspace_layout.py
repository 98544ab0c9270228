"""The case pages laid out around the case: where it stands, in plain words with its due date, and the one step the
process waits on from this person; then the case's material, every kind of document as text; then the other steps
the stage and the person's place allow, each folded under a plain summary. The steps come from the step table."""

import re
from datetime import timedelta

import pytest
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rankfile.cases import stages
from rankfile.cases.actions import panel, process
from rankfile.cases.models import InterimMeasure, PanelRole, PartyRole, Stage
from rankfile.cases.pages.common import SHOWN_WITH, STEP_SUMMARIES
from rankfile.deadlines.models import Deadline
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.cases.test_workspace_more import agreement_data, consented, informal_case, later

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> cb.Org:
    return cb.full_organization()


def client_of(org: cb.Org, name: str) -> Client:
    who = org[name]
    return signed_in(who.user, who.key)


def workspace(case) -> str:
    return f"/cases/case/{case.reference}/"


def party_page(case) -> str:
    return f"/cases/mine/{case.reference}/"


def before(html: str, first: str, then: str) -> bool:
    assert first in html, first
    assert then in html, then
    return html.index(first) < html.index(then)


def folded(html: str) -> list[str]:
    """The summaries of the steps folded away under "Other things you can do"."""
    return re.findall(r'<details class="step-fold"(?: open)?>\s*<summary>([^<]*)</summary>', html)


def test_every_step_of_the_case_pages_has_a_plain_summary_and_a_template_of_its_own():
    for step in stages.STEPS:
        if step.name in SHOWN_WITH or step.by == stages.EMPOWERED:
            continue  # shown within another step's block; an override has a page of its own
        assert step.name in STEP_SUMMARIES, step.name
        get_template(f"cases/workspace/steps/{step.name}.html")


def test_the_decision_maker_sees_where_the_case_stands_and_the_decision_as_the_next_step_before_the_material(org):
    case = cb.for_decision(org)
    html = client_of(org, "dev").get(workspace(case)).content.decode()
    assert "Waiting for the decision" in html
    assert before(html, "Your next step: Issue the decision", 'id="documents-heading"')
    assert before(html, 'id="documents-heading"', 'id="other-steps-heading"')
    # The role is explained beside the word, and the standard of proof said in plain words.
    assert "the decision-maker: decides on each allegation, from the report and the evidence" in html
    assert "more likely than not (the standard of proof)" in html
    assert "preponderance" not in html
    # The investigator's own step is not his at this stage: the case waits on the decision-makers.
    dana = client_of(org, "dana").get(workspace(case)).content.decode()
    assert "Nothing waits on you now." in dana
    assert "Issue the decision" not in dana


def test_the_other_steps_are_folded_under_plain_summaries_in_the_order_of_the_step_table(org):
    case = cb.investigating(org)
    html = client_of(org, "dana").get(workspace(case)).content.decode()
    assert "Your next step: Share the evidence with both parties" in html
    assert folded(html) == [
        "Add a document",
        "Add a redacted copy of a document",
        "Step down from this case",
        "Impose an interim measure on the respondent",
    ]


def test_a_refused_folded_step_is_shown_unfolded_with_what_went_wrong(org):
    case = cb.investigating(org)
    dana = client_of(org, "dana")
    response = dana.post(workspace(case), {"step": "document", "document-kind": "statement", "document-text": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'<details class="step-fold" open>\s*<summary>Add a document</summary>', html)
    assert folded(html).count("Add a redacted copy of a document") == 1
    assert '<details class="step-fold" open>\n      <summary>Add a redacted copy' not in html


def test_at_decided_open_to_appeal_the_workspace_offers_no_interim_measure_and_refuses_one(org):
    decision = cb.decided(org, sanctions=("warning",))
    case = decision.case
    assert case.stage == Stage.APPEAL_WINDOW
    dana = client_of(org, "dana")
    html = dana.get(workspace(case)).content.decode()
    assert "Decided, open to appeal" in html
    assert "Impose an interim measure" not in html
    assert 'name="interim-reasons"' not in html
    refused = dana.post(
        workspace(case),
        {
            "step": "interim",
            "interim-kind": "suspended_from_leadership",
            "interim-reason_code": "risk_to_reporter",
            "interim-reasons": "While the appeal runs.",
            "interim-review_on": later(30),
        },
    )
    assert refused.status_code == 400
    assert "that step is not possible now" in refused.content.decode()
    assert not InterimMeasure.objects.filter(case=case).exists()


def test_the_respondent_reads_the_response_due_date_and_responding_as_his_next_step(org):
    case = cb.noticed(org)
    due = Deadline.objects.get(kind=process.RESPONSE.code, subject_id=case.pk).due_at
    html = client_of(org, "ray").get(party_page(case)).content.decode()
    day = timezone.localtime(due).strftime("%-d %B %Y")
    assert f"Waiting for your response — due {day}" in html
    assert before(html, "Your next step: Respond to the notice", 'id="documents-heading"')
    assert before(html, "Unwanted touching at the branch meeting of 3 March.", 'id="other-steps-heading"')
    # The reporter, on whom nothing waits, reads where the case stands and no button to press.
    reporter = client_of(org, "rae").get(party_page(case)).content.decode()
    assert "Waiting for the respondent&#x27;s response" in reporter
    assert "Nothing waits on you now." in reporter


def test_while_the_reporter_reads_the_draft_notice_the_panel_waits_and_the_reporter_is_asked(org):
    case = cb.seated(org)
    process.notice_draft(case=case, allegations=cb.ALLEGATIONS, by=org["dana"].user)
    panel_html = client_of(org, "dana").get(workspace(case)).content.decode()
    assert "Waiting for the reporter to agree to the draft notice" in panel_html
    assert "Nothing waits on you now." in panel_html
    assert "Draft the notice to the respondent" in folded(panel_html)  # a new draft is still possible
    reporter = client_of(org, "rae").get(party_page(case)).content.decode()
    assert before(reporter, "Your next step: Agree to the draft notice", 'id="documents-heading"')


def test_choosing_the_panel_is_said_in_plain_words_and_seating_waits_for_the_declarations(org):
    case = cb.opened(org)
    html = client_of(org, "dale").get(workspace(case)).content.decode()
    assert "Choosing the panel" in html
    assert "Seating the panel" not in html
    assert "Your next step: Propose a panelist" in html
    assert "Seat the panel" in folded(html)
    cb.proposed_and_declared(org, case, cb.STANDARD_PANEL)
    html = client_of(org, "dale").get(workspace(case)).content.decode()
    assert "Your next step: Seat the panel" in html


def test_an_agreement_reads_as_text_with_its_dates_as_people_write_them(org):
    case = informal_case(org)
    consented(org, case)
    dana = client_of(org, "dana")
    response = dana.post(workspace(case), agreement_data((PartyRole.RESPONDENT, "An apology in writing.", later(10))))
    assert response.status_code == 302, response.content.decode()
    html = client_of(org, "ray").get(party_page(case)).content.decode()
    assert "An apology in writing." in html
    assert later(10) not in html  # the obligation's date, as people write it
    assert (timezone.localdate() + timedelta(days=10)).strftime("%-d %B %Y") in html
    main = html[html.index("<main") : html.index("</main>")]
    assert "{&quot;" not in main
    assert '{"' not in main


def test_after_declaring_no_conflict_the_candidate_has_a_way_back(org):
    case = cb.opened(org)
    place = panel.panelist_propose(
        case=case, person=org["dora"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user
    )
    response = client_of(org, "dora").post(f"/cases/panel/{case.reference}/", {"conflict": "no"}, follow=True)
    html = response.content.decode()
    assert "You declared no conflict of interest on" in html
    assert re.search(r'<a class="button primary" href="/">\s*Back to your home page', html)
    assert f'href="{reverse("cases:inbox")}"' in html
    place.refresh_from_db()
    assert place.declared_at is not None
