"""The case pages: the panel's workspace, a candidate's declaration, the parties' pages, the appeals body's page, the
decision letter as a PDF and the members' list of overrides. Thin pages over the actions: each step moves the case
through its action; bad input changes nothing; a step the stage does not allow gets the action's clear refusal;
people without access find nothing, exactly as for a case that does not exist."""

import json
import re
from datetime import timedelta
from typing import cast

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.test import Client
from django.utils import timezone

from rankfile.cases.actions import decisions, intake, panel
from rankfile.cases.models import (
    Allegation,
    Appeal,
    CaseDocumentKind,
    Challenge,
    ChallengeStatus,
    Decision,
    DecisionStatus,
    PanelMember,
    PanelRole,
    PanelStatus,
    Party,
    ReportPath,
    Stage,
)
from rankfile.ledger.models import Entry
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in, with_key
from tests.ledger.helpers import by_account, by_person
from tests.vault.helpers import key_for

pytestmark = pytest.mark.django_db

CSRF = re.compile(r"\b[A-Za-z0-9]{64}\b")  # a masked CSRF token, different in every response


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


def reads(**match) -> int:
    return Entry.objects.filter(action="cases.case_read", **match).count()


def counts(case) -> tuple:
    case.refresh_from_db()
    return (
        case.stage,
        case.documents.count(),
        Allegation.objects.filter(case=case).count(),
        Decision.objects.filter(case=case).count(),
        case.panel.count(),
        Challenge.objects.filter(case=case).count(),
        Appeal.objects.filter(case=case).count(),
    )


# --- who sees which page ---------------------------------------------------------------------------------------------


def test_the_workspace_shows_a_seated_panelist_the_timeline_with_proofs_documents_deadlines_and_panel(org):
    case = cb.noticed(org)
    before = reads(**by_person(org["dora"].person))
    page = client_of(org, "dora").get(workspace(case))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Unwanted touching at the branch meeting of 3 March." in html  # the notice, opened with Dora's key
    assert "Code of conduct 2.1" in html
    assert "Choosing the panel" in html  # the timeline
    assert "The respondent&#x27;s response" in html
    opened = Entry.objects.get(action="cases.case_opened", subject_id=case.pk)
    assert f'href="/ledger/entries/{opened.seq}/proof/"' in html
    assert "A respondent&#x27;s response (the case goes on without it)" in html  # its deadline
    for name in ("Dana Discipline", "Dev Discipline", "Dora Discipline"):
        assert name in html
    assert "declared no conflict on" in html
    # Invariant 6: the opening is a read on the ledger, before anything was shown.
    assert reads(**by_person(org["dora"].person)) > before
    # At the response stage the panel has no step but deciding challenges and stepping down.
    assert "Give notice" not in html
    assert "Issue the decision" not in html
    assert "Propose a panelist" not in html  # the panel is full


# Committed as in production, so that the sign-in remembers a read once its entry is committed.
@pytest.mark.django_db(transaction=True)
def test_invariant_6_a_reload_records_no_read_but_a_new_sign_in_or_another_person_does(org):
    case = cb.noticed(org)

    def viewed(client: Client, name: str) -> int:
        assert client.get(workspace(case)).status_code == 200
        return reads(**by_person(org[name].person), subject_id=case.pk)

    dora = client_of(org, "dora")
    first = viewed(dora, "dora")
    assert first > 0
    assert viewed(dora, "dora") == first  # a reload in the same sign-in
    assert viewed(client_of(org, "dora"), "dora") == 2 * first  # signing in again
    assert viewed(client_of(org, "dev"), "dev") == first  # another panelist reads the same documents


def test_before_seating_a_member_of_the_handling_body_may_run_the_case_and_sees_only_proposing_and_seating(org):
    case = cb.opened(org)
    html = client_of(org, "dale").get(workspace(case)).content.decode()
    assert "Propose a panelist" in html
    assert "Seat the panel" in html
    assert "Give notice" not in html


@pytest.fixture
def site_admin():
    user = get_user_model().objects.create_user(
        email="siteadmin@example.org", password=None, name="Sita Admin", is_site_admin=True
    )
    return user, key_for(user)


def case_urls(case, decision) -> list[str]:
    return [
        workspace(case),
        f"/cases/case/{case.reference}/files/{case.documents.first().pk}/",
        f"/cases/case/{case.reference}/decision/{decision.pk}.pdf",
        f"/cases/panel/{case.reference}/",
        party_page(case),
        f"/cases/mine/{case.reference}/files/{case.documents.first().pk}/",
        f"/cases/mine/{case.reference}/decision/{decision.pk}.pdf",
        f"/cases/appeal/{case.reference}/",
    ]


def test_invariant_11_a_leader_a_site_admin_and_a_recused_panelist_find_nothing_at_any_case_address(org, site_admin):
    decision = cb.decided(org)
    case = decision.case
    dora = org["dora"]
    panel.panelist_recuse(member=case.panel.get(person=dora.person), by=dora.user)
    outsiders = {
        "leader": client_of(org, "lee"),
        "site admin": signed_in(*site_admin),
        "recused panelist": signed_in(dora.user, dora.key),
    }
    missing = case_urls(case, decision)
    missing = [url.replace(case.reference, "C-1999-404") for url in missing]
    for who, client in outsiders.items():
        for url, nowhere in zip(case_urls(case, decision), missing, strict=True):
            response = client.get(url)
            assert response.status_code == 404, (who, url)
            absent = client.get(nowhere)
            assert absent.status_code == 404
            assert CSRF.sub("", response.content.decode()) == CSRF.sub("", absent.content.decode()), (who, url)
        assert client.post(workspace(case), {"step": "seat"}).status_code == 404
    # Nothing was opened for them.
    assert not Entry.objects.filter(
        Q(**by_person(org["lee"].person)) | Q(**by_account(site_admin[0])), action="cases.case_read", subject_id=case.pk
    ).exists()


def test_invariant_11_the_panel_does_not_see_the_parties_pages_and_the_parties_not_the_panels(org):
    case = cb.noticed(org)
    assert client_of(org, "dana").get(party_page(case)).status_code == 404
    assert client_of(org, "ray").get(workspace(case)).status_code == 404
    assert client_of(org, "rae").get(workspace(case)).status_code == 404
    assert client_of(org, "dana").get(f"/cases/appeal/{case.reference}/").status_code == 404


def test_a_party_page_shows_their_own_steps_documents_and_deadlines(org):
    case = cb.noticed(org)
    html = client_of(org, "ray").get(party_page(case)).content.decode()
    assert "Unwanted touching at the branch meeting of 3 March." in html
    assert "Respond to the notice" in html
    assert "a respondent&#x27;s response" in html.lower()
    assert "Choosing the panel" in html
    assert reads(**by_person(org["ray"].person), subject_id=case.pk) >= 1
    reporter = client_of(org, "rae").get(party_page(case)).content.decode()
    assert "Unwanted touching" in reporter
    assert "Respond to the notice" not in reporter  # the response is the respondent's
    mine = client_of(org, "ray").get("/cases/mine/").content.decode()
    assert case.reference in mine


def test_the_respondent_learns_of_the_case_with_the_notice_and_not_before(org):
    case = cb.seated(org)
    ray = client_of(org, "ray")
    assert ray.get(party_page(case)).status_code == 404
    assert case.reference not in ray.get("/cases/mine/").content.decode()
    rae = client_of(org, "rae")
    assert rae.get(party_page(case)).status_code == 200  # the reporter follows it from the start
    assert case.reference in rae.get("/cases/mine/").content.decode()
    cb.noticed(org, case)
    assert ray.get(party_page(case)).status_code == 200
    assert case.reference in ray.get("/cases/mine/").content.decode()


def test_a_notice_held_back_is_not_announced_to_the_respondent(org):
    case = cb.seated(org)
    until = timezone.localdate() + timedelta(days=20)
    response = client_of(org, "dana").post(
        workspace(case),
        {"step": "notice_delay", "delay-until": until.isoformat(), "delay-reason_code": "retaliation_risk"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.notice_delayed_until == until
    assert client_of(org, "ray").get(party_page(case)).status_code == 404
    html = client_of(org, "rae").get(party_page(case)).content.decode()
    assert "giving notice to a respondent" not in html


def test_an_anonymous_reporter_reaches_their_case_with_the_receipt_code_key(org):
    report, _code, key = intake.report_start(reporter=AnonymousUser(), path=ReportPath.FORMAL)
    assert key is not None
    intake.report_save(report=report, content=cb.WHAT, key=key)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=key, respondent=org["ray"].person)
    intake.report_acknowledge(report=report, by=org["dana"].user)
    report.refresh_from_db()
    case = cb.noticed(org, cb.seated(org, cb.opened(org, report)), reporter_key=key)
    client = with_key(Client(), key)
    page = client.get(party_page(case))
    assert page.status_code == 200
    assert "Unwanted touching" in page.content.decode()
    assert case.reference in client.get("/cases/mine/").content.decode()
    entry = Entry.objects.filter(action="cases.case_read", subject_id=case.pk).latest("seq")
    assert entry.actor_type == "reporter"
    # Without the code's key, the page asks for it, whatever the reference.
    assert Client().get(party_page(case)).status_code == 403
    assert Client().get("/cases/mine/C-1999-404/").status_code == 403


# --- the panel's steps -----------------------------------------------------------------------------------------------


def test_proposing_declaring_and_seating_move_the_case_to_notice(org):
    case = cb.opened(org)
    dana = client_of(org, "dana")
    # Dana proposes herself last: a candidate declares before the workspace shows her anything more.
    for name, role in reversed(cb.STANDARD_PANEL.items()):
        response = dana.post(
            workspace(case), {"step": "propose", "propose-person": org[name].person.pk, "propose-role": role}
        )
        assert response.status_code == 302, response.content.decode()
    assert case.panel.filter(status=PanelStatus.PROPOSED).count() == 3
    for name in cb.STANDARD_PANEL:
        client = client_of(org, name)
        page = client.get(f"/cases/panel/{case.reference}/")
        assert page.status_code == 200
        assert "Do you have a conflict of interest" in page.content.decode()
        assert "What happened" not in page.content.decode()
        assert client.post(f"/cases/panel/{case.reference}/", {"conflict": "no"}).status_code == 302
    response = dana.post(workspace(case), {"step": "seat"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.NOTICE
    assert case.panel.filter(status=PanelStatus.SEATED).count() == 3


def test_invariant_7_a_conflicted_candidate_proposed_on_the_page_is_excluded_with_the_reason(org):
    case = cb.opened(org)
    dana = client_of(org, "dana")
    # A party is not even offered: the form refuses him, and nothing changes.
    before = counts(case)
    refused = dana.post(
        workspace(case), {"step": "propose", "propose-person": org["ray"].person.pk, "propose-role": "decision_maker"}
    )
    assert refused.status_code == 400
    assert counts(case) == before
    case.reports.get().named_conflicts.create(person=org["dev"].person)
    response = dana.post(
        workspace(case), {"step": "propose", "propose-person": org["dev"].person.pk, "propose-role": "investigator"}
    )
    assert response.status_code == 302
    placed = case.panel.get(person=org["dev"].person)
    assert (placed.status, placed.reason) == (PanelStatus.EXCLUDED, panel.NAMED_BY_REPORTER)
    assert "named by a reporter" in dana.get(workspace(case)).content.decode()
    assert client_of(org, "dev").get(f"/cases/panel/{case.reference}/").status_code == 404


def test_a_candidate_on_the_handling_body_declares_before_the_workspace_shows_anything(org):
    case = cb.opened(org)
    panel.panelist_propose(case=case, person=org["dale"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user)
    dale = client_of(org, "dale")
    response = dale.get(workspace(case))
    assert response.status_code == 302
    assert response["Location"] == f"/cases/panel/{case.reference}/"
    page = dale.get(response["Location"]).content.decode()
    assert "Ray Respondent" not in page
    assert "Rae Reporter" not in page


def test_running_a_case_needs_a_second_factor(org):
    from allauth.mfa.models import Authenticator

    case = cb.opened(org)
    Authenticator.objects.filter(user=org["dale"].user).delete()
    response = client_of(org, "dale").get(workspace(case))
    assert response.status_code == 403
    assert "Two-factor authentication" in response.content.decode()


def test_without_a_key_or_an_account_the_list_of_cases_asks_to_sign_in(org):
    response = Client().get("/cases/mine/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_declared_conflict_on_the_page_takes_the_candidate_out(org):
    case = cb.opened(org)
    panel.panelist_propose(case=case, person=org["dev"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user)
    client = client_of(org, "dev")
    assert client.post(f"/cases/panel/{case.reference}/", {"conflict": "yes"}).status_code == 302
    placed = case.panel.get(person=org["dev"].person)
    assert (placed.status, placed.reason) == (PanelStatus.RECUSED, panel.DECLARED)
    # A bad answer is refused by the form and changes nothing.
    panel.panelist_propose(case=case, person=org["dale"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user)
    response = client_of(org, "dale").post(f"/cases/panel/{case.reference}/", {"conflict": "perhaps"})
    assert response.status_code == 400
    assert case.panel.get(person=org["dale"].person).declared_at is None


def test_notice_with_allegations_from_the_formset_moves_the_case_to_the_response(org):
    case = cb.seated(org)
    data = {
        "step": "notice_draft",
        "notice-TOTAL_FORMS": "3",
        "notice-INITIAL_FORMS": "0",
        "notice-0-text": "Unwanted touching.",
        "notice-0-provisions": "Code 2.1",
        "notice-1-text": "Threats.",
        "notice-1-provisions": "Code 2.4",
        "notice-2-text": "",
        "notice-2-provisions": "",
    }
    response = client_of(org, "dana").post(workspace(case), data)
    assert response.status_code == 302, response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.NOTICE  # a draft, for the reporter to agree to first
    assert list(case.allegations.values_list("number", flat=True)) == [1, 2]
    early = client_of(org, "dana").post(workspace(case), {"step": "notice_give"})
    assert early.status_code == 400
    assert "not yet agreed" in early.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.NOTICE
    draft = client_of(org, "rae").get(party_page(case)).content.decode()
    assert "Draft notice of allegations" in draft
    assert "Unwanted touching." in draft
    agreed = client_of(org, "rae").post(party_page(case), {"step": "notice_agree"})
    assert agreed.status_code == 302
    given = client_of(org, "dana").post(workspace(case), {"step": "notice_give"})
    assert given.status_code == 302, given.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.RESPONSE


def test_an_incomplete_notice_shows_field_errors_and_changes_nothing(org):
    case = cb.seated(org)
    before = counts(case)
    data = {
        "step": "notice_draft",
        "notice-TOTAL_FORMS": "2",
        "notice-INITIAL_FORMS": "0",
        "notice-0-text": "Unwanted touching.",
        "notice-0-provisions": "",
        "notice-1-text": "",
        "notice-1-provisions": "",
    }
    response = client_of(org, "dana").post(workspace(case), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Name the provisions of the bylaws or code of conduct concerned." in html
    assert 'href="#id_notice-0-provisions"' in html
    assert counts(case) == before


def test_documents_redactions_and_the_evidence_review_from_the_workspace(org):
    case = cb.investigating(org)
    dana = client_of(org, "dana")
    response = dana.post(
        workspace(case),
        {"step": "document", "document-kind": "statement", "document-title": "Witness A", "document-text": "I saw it."},
    )
    assert response.status_code == 302
    upload = SimpleUploadedFile("interview.txt", b"Interview notes, plain text.", content_type="text/plain")
    response = dana.post(
        workspace(case),
        {"step": "document", "document-kind": "interview", "document-title": "Interview", "document-file": upload},
    )
    assert response.status_code == 302, response.content.decode()
    statement = case.documents.get(title="Witness A")
    interview = case.documents.get(title="Interview")
    assert interview.is_file
    # The file is listed by its sealed name, and downloads (a read on the ledger).
    html = dana.get(workspace(case)).content.decode()
    assert "interview.txt" in html
    download = dana.get(f"/cases/case/{case.reference}/files/{interview.pk}/")
    assert download.status_code == 200
    assert cast(StreamingHttpResponse, download).getvalue() == b"Interview notes, plain text."
    # A redacted copy of the statement, which the reporter must agree to before it is shared.
    response = dana.post(
        workspace(case), {"step": "redaction", "redaction-original": statement.pk, "redaction-text": "I saw [..]."}
    )
    assert response.status_code == 302
    copy = case.documents.get(kind=CaseDocumentKind.REDACTED)
    refused = dana.post(workspace(case), {"step": "review_open", "review-items": [statement.pk]})
    assert refused.status_code == 400
    assert "has not agreed to the redacted copy" in refused.content.decode()
    rae = client_of(org, "rae")
    assert "I saw [..]." in rae.get(party_page(case)).content.decode()
    assert rae.post(party_page(case), {"step": "redaction_agree", "item": copy.pk}).status_code == 302
    copy.refresh_from_db()
    assert copy.reporter_agreed_at is not None
    response = dana.post(workspace(case), {"step": "review_open", "review-items": [statement.pk, interview.pk]})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.EVIDENCE_REVIEW
    ray = client_of(org, "ray").get(party_page(case)).content.decode()
    assert "I saw [..]." in ray
    assert "I saw it." not in ray  # the original stays with the panel


def test_an_empty_document_shows_a_field_error_and_adds_nothing(org):
    case = cb.investigating(org)
    before = counts(case)
    response = client_of(org, "dana").post(
        workspace(case), {"step": "document", "document-kind": "statement", "document-text": ""}
    )
    assert response.status_code == 400
    assert "This cannot be empty." in response.content.decode()
    assert counts(case) == before


def test_a_refused_file_type_is_said_by_the_field(org):
    case = cb.investigating(org)
    before = counts(case)
    program = SimpleUploadedFile(
        "tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" * 40, content_type="application/octet-stream"
    )
    response = client_of(org, "dana").post(
        workspace(case), {"step": "document", "document-kind": "evidence", "document-file": program}
    )
    assert response.status_code == 400
    assert "this kind of file is not accepted" in response.content.decode().lower()
    assert counts(case) == before


def test_the_investigator_files_the_report_and_a_decision_maker_issues_the_decision(org):
    case = cb.reviewed(org)
    assert case.stage == Stage.REPORT
    # The investigator's report form is the investigator's alone.
    assert "File the investigation report" not in client_of(org, "dev").get(workspace(case)).content.decode()
    response = client_of(org, "dana").post(
        workspace(case), {"step": "investigation_report", "report-text": "We found…"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.DECISION
    dev = client_of(org, "dev")
    html = dev.get(workspace(case)).content.decode()
    assert "Issue the decision" in html
    assert 'value="expulsion"' in html  # the bylaws' catalog, as checkboxes
    response = dev.post(
        workspace(case),
        {
            "step": "decision",
            "decision-finding_1": "responsible",
            "decision-finding_2": "not_responsible",
            "decision-rationale": "More likely than not.",
            "decision-sanctions": ["warning"],
            "issue": "1",  # from the page that shows it to check
        },
    )
    assert response.status_code == 302, response.content.decode()
    # Dora, the other decision-maker, agrees to it: only then is it issued.
    assert client_of(org, "dora").post(workspace(case), {"step": "decision_agree"}).status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.APPEAL_WINDOW
    decision = case.decisions.get()
    assert list(decision.sanctions.values_list("code", flat=True)) == ["warning"]
    for name in ("rae", "ray"):
        page = client_of(org, name).get(party_page(case)).content.decode()
        assert "More likely than not." in page
        assert f"/cases/mine/{case.reference}/decision/{decision.pk}.pdf" in page


def test_an_incomplete_decision_shows_field_errors_and_changes_nothing(org):
    case = cb.for_decision(org)
    before = counts(case)
    response = client_of(org, "dev").post(
        workspace(case),
        {
            "step": "decision",
            "decision-finding_1": "responsible",
            "decision-rationale": "",
            "decision-sanctions": ["expulsion"],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Find on allegation 2: responsible or not." in html
    assert counts(case) == before


def test_a_decision_without_responsibility_cannot_carry_a_sanction(org):
    case = cb.for_decision(org)
    before = counts(case)
    response = client_of(org, "dev").post(
        workspace(case),
        {
            "step": "decision",
            "decision-finding_1": "not_responsible",
            "decision-finding_2": "not_responsible",
            "decision-rationale": "Not shown.",
            "decision-sanctions": ["expulsion"],
        },
    )
    assert response.status_code == 400
    assert "presumed not responsible" in response.content.decode()
    assert counts(case) == before


@pytest.mark.parametrize(
    ("builder", "step", "data"),
    [
        (
            "investigating",
            "notice_draft",
            {"notice-TOTAL_FORMS": "1", "notice-INITIAL_FORMS": "0", "notice-0-text": "x"},
        ),
        ("noticed", "decision", {"decision-rationale": "x"}),
        ("noticed", "investigation_report", {"report-text": "x"}),
        ("noticed", "review_open", {}),
        ("seated", "document", {"document-kind": "note", "document-text": "x"}),
        ("noticed", "notice_delay", {"delay-until": "2001-01-01", "delay-reason_code": "nonsense"}),
        ("noticed", "appeal_record_send", {}),
    ],
)
def test_a_step_the_stage_does_not_allow_is_refused_clearly_not_with_a_server_error(org, builder, step, data):
    case = getattr(cb, builder)(org)
    before = counts(case)
    who = "dev" if step == "decision" else "dana"
    response = client_of(org, who).post(workspace(case), {"step": step, **data})
    assert response.status_code == 400
    assert "that step is not possible now" in response.content.decode()
    assert counts(case) == before


@pytest.mark.parametrize(
    ("builder", "who", "step", "data"),
    [
        ("investigating", "ray", "respond", {"response-text": "Too late"}),
        ("noticed", "ray", "appeal", {"appeal-grounds": ["new_evidence"], "appeal-statement": "x"}),
        ("seated", "rae", "party_document", {"document-kind": "statement", "document-text": "x"}),
    ],
)
def test_a_party_step_the_stage_does_not_allow_is_refused_clearly(org, builder, who, step, data):
    case = getattr(cb, builder)(org)
    before = counts(case)
    response = client_of(org, who).post(party_page(case), {"step": step, **data})
    assert response.status_code == 400
    assert "that step is not possible now" in response.content.decode()
    assert counts(case) == before


def test_an_unknown_step_is_a_clear_refusal(org):
    case = cb.noticed(org)
    assert client_of(org, "dana").post(workspace(case), {"step": "set_aside"}).status_code == 400
    assert client_of(org, "ray").post(party_page(case), {"step": "set_aside"}).status_code == 400


# --- the parties' steps ----------------------------------------------------------------------------------------------


def test_the_respondent_responds_and_the_case_moves_on(org):
    case = cb.noticed(org)
    ray = client_of(org, "ray")
    empty = ray.post(party_page(case), {"step": "respond", "response-text": "  "})
    assert empty.status_code == 400
    assert "This cannot be empty." in empty.content.decode()
    assert counts(case)[0] == Stage.RESPONSE
    response = ray.post(party_page(case), {"step": "respond", "response-text": "I deny both.", "confirm": "yes"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION
    assert "I deny both." in client_of(org, "dana").get(workspace(case)).content.decode()


def test_a_party_adds_a_statement_names_an_adviser_and_challenges_a_panelist_whom_the_panel_removes(org):
    case = cb.investigating(org)
    rae = client_of(org, "rae")
    response = rae.post(
        party_page(case),
        {
            "step": "party_document",
            "document-kind": "statement",
            "document-title": "My account",
            "document-text": "It hurt.",
        },
    )
    assert response.status_code == 302
    assert case.documents.filter(added_by_role="reporter", title="My account").exists()
    response = rae.post(party_page(case), {"step": "adviser", "adviser-adviser": "One Delegate"})
    assert response.status_code == 302, response.content.decode()
    assert Party.objects.get(case=case, role="reporter").adviser == org["one"].person
    dora = case.panel.get(person=org["dora"].person)
    empty = rae.post(party_page(case), {"step": "challenge", "challenge-member": dora.pk, "challenge-grounds": ""})
    assert empty.status_code == 400
    assert not Challenge.objects.exists()
    response = rae.post(
        party_page(case), {"step": "challenge", "challenge-member": dora.pk, "challenge-grounds": "She is my boss."}
    )
    assert response.status_code == 302
    challenge = Challenge.objects.get()
    # The challenged panelist has no say in it; the rest decide.
    html = client_of(org, "dora").get(workspace(case)).content.decode()
    assert "Decide the challenge" not in html
    response = client_of(org, "dev").post(
        workspace(case), {"step": "challenge_decide", "challenge": challenge.pk, "challenge-upheld": "yes"}
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.UPHELD
    assert PanelMember.objects.get(pk=dora.pk).status == PanelStatus.RECUSED
    assert client_of(org, "dora").get(workspace(case)).status_code == 404
    # The panel is short now: the rest may propose someone to fill the place.
    assert "Propose a panelist" in client_of(org, "dev").get(workspace(case)).content.decode()


def test_an_appeal_on_listed_grounds_the_record_sent_and_the_appeals_body_decides(org):
    decision = cb.decided(org)
    case = decision.case
    ray = client_of(org, "ray")
    html = ray.get(party_page(case)).content.decode()
    assert "Appeal the decision" in html
    assert "Procedural irregularity" in html
    none = ray.post(party_page(case), {"step": "appeal", "appeal-statement": "Unfair."})
    assert none.status_code == 400
    assert "Choose at least one ground for the appeal" in none.content.decode()
    assert not Appeal.objects.exists()
    response = ray.post(
        party_page(case),
        {"step": "appeal", "appeal-grounds": ["procedural_irregularity"], "appeal-statement": "Unfair."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.APPEAL
    abe = client_of(org, "abe")
    page = abe.get(f"/cases/appeal/{case.reference}/")
    assert page.status_code == 200
    assert "Unfair." in page.content.decode()
    assert "more likely than not to have happened" in page.content.decode()  # the record, findings included
    early = abe.post(
        f"/cases/appeal/{case.reference}/",
        {"step": "appeal_decide", "decide-outcome": "dismissed", "decide-rationale": "No irregularity."},
    )
    assert early.status_code == 400
    assert "has not sent its record yet" in early.content.decode()
    assert client_of(org, "dana").post(workspace(case), {"step": "appeal_record_send"}).status_code == 302
    assert Appeal.objects.get().record_sent_at is not None
    response = abe.post(
        f"/cases/appeal/{case.reference}/",
        {"step": "appeal_decide", "decide-outcome": "dismissed", "decide-rationale": "No irregularity."},
    )
    assert response.status_code == 302, response.content.decode()
    case.refresh_from_db()
    decision.refresh_from_db()
    assert case.stage == Stage.FINAL
    assert decision.status == DecisionStatus.FINAL
    # The appeals body's people do not run the panel's workspace.
    assert abe.get(workspace(case)).status_code == 404


# --- the decision letter and the overrides ---------------------------------------------------------------------------


def test_the_decision_letter_is_a_pdf_never_cached_and_its_opening_is_a_read_on_the_ledger(org):
    decision = cb.decided(org)
    case = decision.case
    for name, url in (
        ("dev", f"/cases/case/{case.reference}/decision/{decision.pk}.pdf"),
        ("rae", f"/cases/mine/{case.reference}/decision/{decision.pk}.pdf"),
        ("ray", f"/cases/mine/{case.reference}/decision/{decision.pk}.pdf"),
    ):
        before_seq = Entry.objects.latest("seq").seq
        response = client_of(org, name).get(url)
        assert response.status_code in (200, 503), name
        assert "no-store" in response["Cache-Control"]
        if response.status_code == 200:
            assert response["Content-Type"] == "application/pdf"
            assert response.content.startswith(b"%PDF")
            opened = Entry.objects.filter(action="cases.case_read", **by_person(org[name].person), seq__gt=before_seq)
            assert decision.letter_id in {json.loads(e.data)["document"] for e in opened}


def test_without_printing_the_decision_letter_says_so_with_a_503(org, monkeypatch):
    from rankfile.governance import feeds

    def unavailable(html, *, filename):
        raise feeds.PrintingUnavailable()

    monkeypatch.setattr(feeds, "pdf_response", unavailable)
    decision = cb.decided(org)
    response = client_of(org, "dev").get(f"/cases/case/{decision.case.reference}/decision/{decision.pk}.pdf")
    assert response.status_code == 503
    assert "Printing is not set up on this server" in response.content.decode()


def test_invariant_8_the_membership_sees_every_override_with_its_vote_and_nothing_of_the_case(org):
    decision = cb.decided(org)
    decisions.finalize(decision=decision, by=cb.OPERATOR)
    vote = cb.convention_vote(org)
    decisions.decision_override(decision=decision, vote_reference=vote, by=org["cleo"].user)
    page = client_of(org, "one").get("/decisions/overrides/")
    assert page.status_code == 200
    html = page.content.decode()
    assert decision.case.reference in html
    assert vote in html
    assert "/meetings/" in html  # a link to the meeting whose vote it was
    assert "More likely than not" not in html
    assert "Ray Respondent" not in html
    assert client_of(org, "olu").get("/decisions/overrides/").status_code == 200  # the oversight body
    # Someone who is not a member sees nothing.
    outsider = get_user_model().objects.create_user(email="x@example.org", password=None, name="X")
    assert signed_in(outsider).get("/decisions/overrides/").status_code == 404
