"""The case pages' words, as people found them walking through a whole case: each says the current state once, in
plain sentences, with dates as everywhere else and no ledger numbers or references broken across lines."""

import re
from datetime import datetime
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from rankfile.cases.actions import decisions, intake, process
from rankfile.cases.models import CaseDocument
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.vault.helpers import PDF, upload

pytestmark = pytest.mark.django_db

DECISION_FORM = {
    "step": "decision",
    "decision-finding_1": "responsible",
    "decision-finding_2": "not_responsible",
    "decision-rationale": "More likely than not.\n\nThe messages were his.",
    "decision-sanctions": ["bar_from_office"],
}


@pytest.fixture
def org() -> cb.Org:
    return cb.full_organization()


def client_of(org: cb.Org, name: str) -> Client:
    return signed_in(org[name].user, org[name].key)


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_a_candidate_who_declared_no_conflict_is_not_also_shown_as_yet_to_declare(org):
    case = cb.opened(org)
    cb.proposed_and_declared(org, case, cb.STANDARD_PANEL)
    page = text_of(client_of(org, "dana").get(f"/cases/case/{case.reference}/").content.decode())
    assert "proposed; to be seated" in page
    assert "to declare conflicts" not in page
    assert "declared no conflict on" in page


def test_the_seating_step_says_in_plain_words_what_the_key_does(org):
    case = cb.opened(org)
    cb.proposed_and_declared(org, case, cb.STANDARD_PANEL)
    page = text_of(client_of(org, "dana").get(f"/cases/case/{case.reference}/").content.decode())
    assert "Your key unlocks the case for them, so that they can read it from then on." in page
    assert "given the case with your key" not in page


def test_a_final_decision_says_final_once_and_the_steps_link_their_proof_in_words(org):
    decision = cb.decided(org)
    case = decision.case
    decisions.appeal_waive(case=case, key=org["ray"].key, by=org["ray"].user)
    decisions.appeal_waive(case=case, key=org["rae"].key, by=org["rae"].user)
    decision.refresh_from_db()
    assert decision.final_at is not None
    page = text_of(client_of(org, "rae").get(f"/cases/mine/{case.reference}/").content.decode())
    day = date_format(timezone.localtime(decision.final_at), "j F Y")
    assert f": final on {day}." in page
    assert "(final on" not in page
    assert "proof on the ledger" in page
    assert "ledger entry" not in page


def test_the_check_page_shows_the_reasons_as_text_and_keeps_the_reference_whole(org):
    case = cb.for_decision(org)
    html = client_of(org, "dev").post(f"/cases/case/{case.reference}/", DECISION_FORM).content.decode()
    assert f'<span class="nowrap">{case.reference}</span>' in html
    assert '<pre class="note">' not in html
    assert "<p>More likely than not.</p>" in html
    assert "<p>The messages were his.</p>" in html


def test_the_documents_to_share_are_dated_as_everywhere_else(org):
    case = cb.investigating(org)
    item = process.document_add(case=case, kind="evidence", title="Screenshots", text="x", by=org["dana"].user)
    CaseDocument.objects.filter(pk=item.pk).update(added_at=timezone.make_aware(datetime(2026, 3, 3, 12)))
    page = text_of(client_of(org, "dana").get(f"/cases/case/{case.reference}/").content.decode())
    assert "Screenshots (Evidence, 3 March 2026)" in page
    assert "03 March 2026" not in page


def test_evidence_sharing_says_why_the_reports_own_file_is_not_offered_and_how_it_comes_to_be(org):
    report = cb.formal_report(org)
    intake.report_evidence_add(report=report, upload=upload(PDF, "photo.pdf"), key=org["rae"].key)
    case = cb.investigating(org, cb.noticed(org, cb.seated(org, cb.opened(org, report))))
    page = text_of(client_of(org, "dana").get(f"/cases/case/{case.reference}/").content.decode())
    assert "The file attached to the report is not listed" in page
    assert "has not agreed to its going to the respondent" in page
    # Once she adds it to the case herself, it is offered.
    process.party_document_add(
        case=case, kind="evidence", title="Photo", text="The photo.", key=org["rae"].key, by=org["rae"].user
    )
    page = text_of(client_of(org, "dana").get(f"/cases/case/{case.reference}/").content.decode())
    assert "Photo (Evidence," in page
