"""More of the case pages: the informal track (consent, the agreement, obligations met or not), interim measures,
the decision after a withdrawal, joining a report, the reports' content for the panel and the appeals body, and
process investigations (opening one, widening its scope, suspending an official by a vote). Every step goes through
its action; a step the case does not call for is refused clearly and changes nothing; outsiders find nothing."""

import json
import re
from datetime import timedelta
from html import escape as html_escape
from typing import cast

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.test import Client
from django.utils import timezone

from rankfile.cases import queries
from rankfile.cases.actions import intake, investigations, panel
from rankfile.cases.models import (
    Case,
    CaseKind,
    InterimMeasure,
    ObligationStatus,
    PanelStatus,
    Party,
    PartyRole,
    Report,
    ReportPath,
    Stage,
    Track,
)
from rankfile.governance import actions as governance
from rankfile.governance.models import VoteMethod
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in, with_key
from tests.ledger.helpers import by_account, by_person
from tests.vault.helpers import PDF, key_for, upload

pytestmark = pytest.mark.django_db

CSRF = re.compile(r"\b[A-Za-z0-9]{64}\b")
PROMISE = "Ray writes an apology and attends the consent workshop."
REASONS = "Ray was seen waiting outside the home of the reporter after the branch meeting."


@pytest.fixture
def org() -> cb.Org:
    return cb.full_organization()


@pytest.fixture
def site_admin():
    user = get_user_model().objects.create_user(
        email="siteadmin@example.org", password=None, name="Sita Admin", is_site_admin=True
    )
    return user, key_for(user)


def client_of(org: cb.Org, name: str) -> Client:
    who = org[name]
    return signed_in(who.user, who.key)


def workspace(case: Case) -> str:
    return f"/cases/case/{case.reference}/"


def party_page(case: Case) -> str:
    return f"/cases/mine/{case.reference}/"


def state(case: Case) -> tuple:
    """Everything the new steps may change, to show that a refused one changed nothing."""
    case.refresh_from_db()
    return (
        case.stage,
        case.track,
        case.closed_at,
        case.proceeds_without_reporter,
        case.examines_id,
        sorted(case.subjects.values_list("pk", flat=True)),
        sorted(case.reports.values_list("pk", flat=True)),
        list(case.parties.order_by("pk").values_list("consented_to_informal_at", "adviser_id")),
        list(case.obligations.order_by("pk").values_list("status", "due_on")),
        list(case.interim_measures.order_by("pk").values_list("review_on", "lifted_at")),
        case.documents.count(),
    )


def later(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


# --- the informal track ----------------------------------------------------------------------------------------------


def informal_case(org: cb.Org) -> Case:
    rae = org["rae"]
    report, _code, _key = intake.report_start(reporter=rae.user, path=ReportPath.INFORMAL)
    intake.report_save(report=report, content=cb.WHAT, key=rae.key)
    intake.report_send(report=report, path=ReportPath.INFORMAL, key=rae.key, respondent=org["ray"].person)
    intake.report_acknowledge(report=report, by=org["dana"].user)
    report.refresh_from_db()
    return cb.seated(org, cb.opened(org, report))


def agreement_data(*rows: tuple[str, str, str]) -> dict[str, str]:
    data = {
        "step": "agreement",
        "agreement-summary": "Agreed at the meeting of 4 May.",
        "obligations-TOTAL_FORMS": "3",
        "obligations-INITIAL_FORMS": "0",
    }
    for n in range(3):
        side, what, due = rows[n] if n < len(rows) else ("", "", "")
        data.update({f"obligations-{n}-by_role": side, f"obligations-{n}-what": what, f"obligations-{n}-due_on": due})
    return data


def consented(org: cb.Org, case: Case) -> None:
    for name in ("rae", "ray"):
        assert client_of(org, name).post(party_page(case), {"step": "informal_consent"}).status_code == 302


def test_each_party_consents_on_their_own_page_and_the_panel_sees_who_has(org):
    case = informal_case(org)
    assert case.stage == Stage.AGREEMENT
    # The respondent is asked for consent, so the informal case is on his page and in his list from the agreement.
    ray = client_of(org, "ray")
    page = ray.get(party_page(case)).content.decode()
    assert "I agree to try the informal track" in page
    assert "I decline the informal track" in page
    assert case.reference in ray.get("/cases/mine/").content.decode()
    html = client_of(org, "dana").get(workspace(case)).content.decode()
    assert "Consent of the parties" in html
    assert "not yet" in html
    assert "Record the agreement" not in html  # not before every party has consented
    assert ray.post(party_page(case), {"step": "informal_consent"}).status_code == 302
    assert Party.objects.get(case=case, role=PartyRole.RESPONDENT).consented_to_informal_at is not None
    assert "I agree to try the informal track" not in ray.get(party_page(case)).content.decode()
    assert Entry.objects.filter(action="cases.informal_consent_given", subject_id=case.pk).count() == 1
    # Twice is refused clearly, and changes nothing.
    before = state(case)
    again = ray.post(party_page(case), {"step": "informal_consent"})
    assert again.status_code == 400
    assert "already agreed" in again.content.decode()
    assert state(case) == before


def test_an_adviser_does_not_consent_for_the_party(org):
    case = informal_case(org)
    rae = org["rae"]
    party = panel.adviser_name(case=case, adviser=org["one"].person, key=rae.key, by=rae.user)
    panel.adviser_accept(party=party, key=org["one"].key, by=org["one"].user)
    before = state(case)
    adviser = client_of(org, "one")
    page = adviser.get(party_page(case))
    assert page.status_code == 200
    assert "I agree to try the informal track" not in page.content.decode()
    refused = adviser.post(party_page(case), {"step": "informal_consent"})
    assert refused.status_code == 400
    assert "Only the party themselves" in refused.content.decode()
    assert adviser.post(party_page(case), {"step": "informal_decline"}).status_code == 400
    assert state(case) == before


def test_the_agreement_before_every_consent_is_refused_and_changes_nothing(org):
    case = informal_case(org)
    client_of(org, "rae").post(party_page(case), {"step": "informal_consent"})
    before = state(case)
    response = client_of(org, "dana").post(workspace(case), agreement_data((PartyRole.RESPONDENT, PROMISE, later(10))))
    assert response.status_code == 400
    assert "Every party must agree to the informal track first" in response.content.decode()
    assert state(case) == before


def test_the_panel_records_the_agreement_from_the_formset_and_the_parties_read_it(org):
    case = informal_case(org)
    consented(org, case)
    dana = client_of(org, "dana")
    assert "Record the agreement" in dana.get(workspace(case)).content.decode()
    response = dana.post(
        workspace(case),
        agreement_data(
            (PartyRole.RESPONDENT, PROMISE, later(10)), (PartyRole.REPORTER, "No contact with the employer.", later(20))
        ),
    )
    assert response.status_code == 302, response.content.decode()
    assert list(case.obligations.order_by("number").values_list("by_role", flat=True)) == ["respondent", "reporter"]
    entry = json.loads(Entry.objects.get(action="cases.agreement_recorded").data)
    assert entry["obligations"] == 2
    ray = client_of(org, "ray").get(party_page(case)).content.decode()
    assert PROMISE in ray  # the sealed agreement, opened with his key
    assert "Agreed at the meeting of 4 May." in ray
    assert (timezone.localdate() + timedelta(days=10)).strftime("%-d %B %Y") in ray  # its due date
    assert PROMISE not in "".join(Entry.objects.values_list("data", flat=True))


def test_an_incomplete_agreement_shows_the_field_by_its_obligation_and_changes_nothing(org):
    case = informal_case(org)
    consented(org, case)
    before = state(case)
    response = client_of(org, "dana").post(
        workspace(case),
        agreement_data((PartyRole.RESPONDENT, PROMISE, later(10)), (PartyRole.REPORTER, "", later(400))),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say what obligation 2 is." in html
    assert "Give obligation 2 a date after today" in html
    assert 'href="#id_obligations-1-what"' in html
    assert state(case) == before
    empty = client_of(org, "dana").post(workspace(case), agreement_data())
    assert empty.status_code == 400
    assert "An agreement has at least one obligation." in empty.content.decode()
    assert state(case) == before


def agreed(org: cb.Org) -> Case:
    case = informal_case(org)
    consented(org, case)
    client_of(org, "dana").post(
        workspace(case),
        agreement_data((PartyRole.RESPONDENT, PROMISE, later(10)), (PartyRole.REPORTER, "No contact.", later(20))),
    )
    return case


def test_obligations_met_on_the_page_close_the_case(org):
    case = agreed(org)
    dev = client_of(org, "dev")
    first, second = case.obligations.order_by("number")
    response = dev.post(workspace(case), {"step": "obligation", "obligation": first.pk, "obligation-outcome": "met"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == ObligationStatus.MET
    # Settled is settled: recording it again is refused clearly.
    before = state(case)
    again = dev.post(workspace(case), {"step": "obligation", "obligation": first.pk, "obligation-outcome": "breached"})
    assert again.status_code == 400
    assert "already settled" in again.content.decode()
    assert state(case) == before
    dev.post(workspace(case), {"step": "obligation", "obligation": second.pk, "obligation-outcome": "met"})
    case.refresh_from_db()
    assert (case.stage, case.close_reason) == (Stage.CLOSED, "agreement_fulfilled")


def test_an_obligation_not_met_sends_the_case_to_the_formal_track(org):
    case = agreed(org)
    first = case.obligations.order_by("number")[0]
    response = client_of(org, "dana").post(
        workspace(case), {"step": "obligation", "obligation": first.pk, "obligation-outcome": "breached"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.track, case.stage) == (Track.FORMAL, Stage.NOTICE)
    # The respondent still sees the case he agreed to; what comes next reaches him with the notice.
    page = client_of(org, "ray").get(party_page(case)).content.decode()
    assert "left the informal track" in page


def test_a_party_declining_sends_the_case_to_the_formal_track(org):
    case = informal_case(org)
    response = client_of(org, "rae").post(party_page(case), {"step": "informal_decline"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.track, case.stage) == (Track.FORMAL, Stage.NOTICE)
    assert Entry.objects.filter(action="cases.informal_consent_withdrawn", subject_id=case.pk).exists()


def test_informal_steps_on_a_formal_case_are_refused_clearly_and_change_nothing(org):
    case = cb.noticed(org)
    before = state(case)
    agreement = client_of(org, "dana").post(workspace(case), agreement_data((PartyRole.RESPONDENT, PROMISE, later(9))))
    assert agreement.status_code == 400
    assert "This case is on the formal track." in agreement.content.decode()
    consent = client_of(org, "ray").post(party_page(case), {"step": "informal_consent"})
    assert consent.status_code == 400
    assert "This case is on the formal track." in consent.content.decode()
    assert client_of(org, "ray").post(party_page(case), {"step": "informal_decline"}).status_code == 400
    assert state(case) == before


# --- interim measures ------------------------------------------------------------------------------------------------


def impose(org: cb.Org, case: Case, **changes: str):
    data = {
        "step": "interim",
        "interim-kind": "suspended_from_leadership",
        "interim-reason_code": "risk_to_reporter",
        "interim-reasons": REASONS,
        "interim-review_on": later(30),
        **changes,
    }
    return client_of(org, "dana").post(workspace(case), data)


def test_the_panel_imposes_reviews_and_lifts_an_interim_measure_and_the_parties_see_it(org):
    case = cb.noticed(org)
    assert "Impose an interim measure" in client_of(org, "dana").get(workspace(case)).content.decode()
    response = impose(org, case)
    assert response.status_code == 302, response.content.decode()
    measure = InterimMeasure.objects.get(case=case)
    assert (measure.kind, measure.person) == ("suspended_from_leadership", org["ray"].person)
    html = client_of(org, "dev").get(workspace(case)).content.decode()
    assert "Suspended from leadership seats: Ray Respondent" in html
    assert "a risk to the reporter" in html
    ray = client_of(org, "ray").get(party_page(case)).content.decode()
    assert "Suspended from leadership seats (a risk to the reporter)" in ray
    assert REASONS in ray  # the sealed reasons are his to read
    rae = client_of(org, "rae").get(party_page(case)).content.decode()
    assert "Suspended from leadership seats" in rae
    assert REASONS not in rae
    response = client_of(org, "dev").post(
        workspace(case), {"step": "interim_review", "measure": measure.pk, "interim_review-review_on": later(60)}
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.review_on == timezone.localdate() + timedelta(days=60)
    assert (
        client_of(org, "dora").post(workspace(case), {"step": "interim_lift", "measure": measure.pk}).status_code == 302
    )
    measure.refresh_from_db()
    assert measure.lifted_at is not None
    before = state(case)
    again = client_of(org, "dora").post(workspace(case), {"step": "interim_lift", "measure": measure.pk})
    assert again.status_code == 400
    assert "already lifted" in again.content.decode()
    assert state(case) == before


def test_bad_interim_input_shows_field_errors_and_changes_nothing(org):
    case = cb.noticed(org)
    before = state(case)
    late = impose(org, case, **{"interim-review_on": later(120)})
    assert late.status_code == 400
    assert "Give a review date after today and within 90 days." in late.content.decode()
    empty = impose(org, case, **{"interim-reasons": " "})
    assert empty.status_code == 400
    assert "This cannot be empty." in empty.content.decode()
    nonsense = impose(org, case, **{"interim-kind": "expelled"})
    assert nonsense.status_code == 400
    assert state(case) == before
    impose(org, case)
    measure = InterimMeasure.objects.get(case=case)
    before = state(case)
    review = client_of(org, "dana").post(
        workspace(case), {"step": "interim_review", "measure": measure.pk, "interim_review-review_on": later(200)}
    )
    assert review.status_code == 400
    assert "within 90 days" in review.content.decode()
    assert state(case) == before
    # A measure of another case is not found here.
    other = cb.noticed(org, cb.seated(org, cb.opened(org, cb.formal_report(org, reporter="one"))))
    elsewhere = client_of(org, "dana").post(workspace(other), {"step": "interim_lift", "measure": measure.pk})
    assert elsewhere.status_code == 404
    assert state(case) == before


def test_before_the_panel_is_seated_nobody_imposes_a_measure_from_the_page(org):
    case = cb.opened(org)
    before = state(case)
    response = client_of(org, "dale").post(
        workspace(case),
        {
            "step": "interim",
            "interim-kind": "suspended_from_membership",
            "interim-reason_code": "risk_to_others",
            "interim-reasons": REASONS,
            "interim-review_on": later(30),
        },
    )
    assert response.status_code == 400
    assert "not yours to take" in response.content.decode()
    assert state(case) == before


# --- after a withdrawal ----------------------------------------------------------------------------------------------


def test_after_a_withdrawal_the_panel_goes_on_with_a_reason(org):
    case = cb.noticed(org)
    dana = client_of(org, "dana")
    assert "The reporter withdrew" not in dana.get(workspace(case)).content.decode()
    before = state(case)
    early = dana.post(workspace(case), {"step": "withdrawal", "withdrawal-proceeds": "no"})
    assert early.status_code == 400
    assert "The reporter has not withdrawn" in early.content.decode()
    assert state(case) == before
    intake.report_withdraw(report=case.reports.get(), key=org["rae"].key)
    assert "The reporter withdrew" in dana.get(workspace(case)).content.decode()
    before = state(case)
    no_reason = dana.post(workspace(case), {"step": "withdrawal", "withdrawal-proceeds": "yes"})
    assert no_reason.status_code == 400
    assert "Choose why the case goes on" in no_reason.content.decode()
    assert state(case) == before
    response = dana.post(
        workspace(case),
        {"step": "withdrawal", "withdrawal-proceeds": "yes", "withdrawal-reason_code": "others_at_risk"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.proceeds_without_reporter
    assert case.stage == Stage.RESPONSE
    assert "The reporter withdrew" not in dana.get(workspace(case)).content.decode()  # decided


def test_after_a_withdrawal_the_panel_closes_the_case(org):
    case = cb.noticed(org)
    intake.report_withdraw(report=case.reports.get(), key=org["rae"].key)
    response = client_of(org, "dev").post(workspace(case), {"step": "withdrawal", "withdrawal-proceeds": "no"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.close_reason) == (Stage.CLOSED, "withdrawn")


# --- joining a report, and the reports' content ----------------------------------------------------------------------


def report_with_evidence(org: cb.Org, reporter: str = "rae") -> Report:
    who = org[reporter]
    report, _code, _unlocked = intake.report_start(reporter=who.user, path=ReportPath.FORMAL)
    intake.report_save(report=report, content=cb.WHAT, key=who.key)
    intake.report_evidence_add(report=report, upload=upload(PDF, "screenshot.pdf"), key=who.key)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=who.key, respondent=org["ray"].person)
    intake.report_acknowledge(report=report, by=org["dana"].user)
    report.refresh_from_db()
    return report


def report_reads(**match) -> int:
    return Entry.objects.filter(action="cases.report_read", **match).count()


def test_the_panel_reads_the_report_and_its_evidence_and_each_read_is_on_the_ledger(org):
    report = report_with_evidence(org)
    case = cb.noticed(org, cb.seated(org, cb.opened(org, report)))
    dora = client_of(org, "dora")
    before = report_reads(**by_person(org["dora"].person), subject_id=report.pk)
    html = dora.get(workspace(case)).content.decode()
    assert "What happened, in the reporter&#x27;s words." in html
    assert "Last spring" in html
    assert "screenshot.pdf" in html
    reads = Entry.objects.filter(action="cases.report_read", **by_person(org["dora"].person), subject_id=report.pk)
    assert reads.count() == before + 2  # the content, and the file's sealed name
    assert {json.loads(e.data)["as"] for e in reads} == {"panel"}
    evidence = report.evidence.get()
    url = f"/cases/case/{case.reference}/reports/{report.pk}/files/{evidence.pk}/"
    assert f'href="{url}"' in html
    download = dora.get(url)
    assert download.status_code == 200
    assert cast(StreamingHttpResponse, download).getvalue() == PDF
    assert "no-cache" in download["Cache-Control"] or "no-store" in download["Cache-Control"]
    assert report_reads(**by_person(org["dora"].person), subject_id=report.pk) == before + 3
    # The reporter sees who read their report.
    assert "Dora Discipline" in client_of(org, "rae").get(f"/report/{report.pk}/").content.decode()


def test_invariant_11_outsiders_find_nothing_of_the_reports_files_or_the_new_steps(org, site_admin):
    report = report_with_evidence(org)
    case = cb.noticed(org, cb.seated(org, cb.opened(org, report)))
    evidence = report.evidence.get()
    url = f"/cases/case/{case.reference}/reports/{report.pk}/files/{evidence.pk}/"
    nowhere = f"/cases/case/C-1999-404/reports/{report.pk}/files/{evidence.pk}/"
    before = state(case)
    outsiders = {
        "leader": client_of(org, "lee"),
        "site admin": signed_in(*site_admin),
        "reporter": client_of(org, "rae"),
    }
    for who, client in outsiders.items():
        response, absent = client.get(url), client.get(nowhere)
        assert (response.status_code, absent.status_code) == (404, 404), who
        assert CSRF.sub("", response.content.decode()) == CSRF.sub("", absent.content.decode()), who
        for step in ("interim", "withdrawal", "join", "agreement", "scope", "suspend", "interim_lift"):
            assert client.post(workspace(case), {"step": step}).status_code == 404, (who, step)
    # Another report's file, or a report of another case, is not found either, even for the panel.
    other = report_with_evidence(org, reporter="one")
    dora = client_of(org, "dora")
    assert (
        dora.get(f"/cases/case/{case.reference}/reports/{other.pk}/files/{other.evidence.get().pk}/").status_code == 404
    )
    assert dora.get(
        f"/cases/case/{case.reference}/reports/{report.pk}/files/{other.evidence.get().pk}/"
    ).status_code == (404)
    assert not Entry.objects.filter(
        Q(**by_person(org["lee"].person)) | Q(**by_account(site_admin[0])), action="cases.report_read"
    ).exists()
    assert state(case) == before


def test_the_appeals_body_reads_the_report_once_the_record_is_sent(org):
    decision = cb.decided(org)
    case = decision.case
    decisions_appeal = client_of(org, "ray").post(
        party_page(case), {"step": "appeal", "appeal-grounds": ["new_evidence"], "appeal-statement": "New."}
    )
    assert decisions_appeal.status_code == 302
    abe = client_of(org, "abe")
    assert "Your key cannot open this report." in abe.get(f"/cases/appeal/{case.reference}/").content.decode()
    assert client_of(org, "dana").post(workspace(case), {"step": "appeal_record_send"}).status_code == 302
    html = abe.get(f"/cases/appeal/{case.reference}/").content.decode()
    assert "What happened, in the reporter&#x27;s words." in html
    read = Entry.objects.filter(action="cases.report_read", **by_person(org["abe"].person)).latest("seq")
    assert json.loads(read.data)["as"] == "appeals"


def test_a_report_about_the_same_respondent_joins_the_case_from_the_page(org):
    case = cb.noticed(org)
    second = cb.formal_report(org, reporter="one", respondent="ray")
    dana = client_of(org, "dana")
    html = dana.get(workspace(case)).content.decode()
    assert "Join another report to this case" in html
    assert f'value="{second.pk}"' in html
    before = state(case)
    wrong = dana.post(workspace(case), {"step": "join", "join-report": case.reports.get().pk})
    assert wrong.status_code == 400  # not offered: already in a case
    assert state(case) == before
    response = dana.post(workspace(case), {"step": "join", "join-report": second.pk})
    assert response.status_code == 302, response.content.decode()
    assert case.reports.count() == 2
    assert case.parties.filter(role=PartyRole.REPORTER).count() == 2
    assert Entry.objects.filter(action="cases.report_joined", subject_id=case.pk).exists()
    assert "Join another report" not in dana.get(workspace(case)).content.decode()
    # Another panelist reads the joined report, with the key Dana gave.
    page = client_of(org, "dev").get(workspace(case)).content.decode()
    second.refresh_from_db()
    assert html_escape(queries.report_name(second)) in page  # named by when it was received, never by its number
    assert f"Report {second.pk}" not in page
    assert report_reads(**by_person(org["dev"].person), subject_id=second.pk) >= 1


# --- an anonymous reporter names an adviser --------------------------------------------------------------------------


def test_a_reporter_without_an_account_names_an_adviser_by_email(org):
    report, _code, key = intake.report_start(reporter=AnonymousUser(), path=ReportPath.FORMAL)
    assert key is not None
    intake.report_save(report=report, content=cb.WHAT, key=key)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=key, respondent=org["ray"].person)
    intake.report_acknowledge(report=report, by=org["dana"].user)
    report.refresh_from_db()
    case = cb.noticed(org, cb.seated(org, cb.opened(org, report)), reporter_key=key)
    client = with_key(Client(), key)
    assert "Your adviser&#x27;s email address" in client.get(party_page(case)).content.decode()
    before = state(case)
    unknown = client.post(party_page(case), {"step": "adviser", "adviser-email": "nobody@example.org"})
    assert unknown.status_code == 400
    assert "Nobody with an account here has this email address." in unknown.content.decode()
    assert state(case) == before
    response = client.post(party_page(case), {"step": "adviser", "adviser-email": "ONE@example.org"})
    assert response.status_code == 302
    party = Party.objects.get(case=case, role=PartyRole.REPORTER)
    assert party.adviser == org["one"].person
    one = client_of(org, "one")
    assert one.get(party_page(case)).status_code == 404  # not before they accept
    assert one.post(f"/cases/advise/{case.reference}/{party.pk}/", {"step": "accept"}).status_code == 302
    assert "Unwanted touching" in one.get(party_page(case)).content.decode()


# --- process investigations ------------------------------------------------------------------------------------------

NEW = "/cases/investigations/new/"


def oversight_vote(org: cb.Org) -> str:
    oversight = org.base.oversight
    meeting = governance.meeting_create(
        bodies=[oversight], held_on=timezone.localdate(), title="Oversight commission", by=OPERATOR
    )
    people = [org[n].person for n in ("olu", "oren", "oona")]
    governance.attendance_record(meeting=meeting, present=people, by=OPERATOR)
    motion = governance.motion_make(
        meeting=meeting, text="That the official be suspended.", mover=people[0], seconder=people[1], by=OPERATOR
    )
    return governance.vote_record(motion=motion, method=VoteMethod.UNANIMOUS, by=OPERATOR).reference


def test_the_oversight_body_opens_a_process_investigation_from_its_page(org, site_admin):
    examined = cb.noticed(org)
    olu = client_of(org, "olu")
    page = olu.get(NEW)
    assert page.status_code == 200
    assert "Open a process investigation" in page.content.decode()
    for client in (client_of(org, "lee"), client_of(org, "dana"), signed_in(*site_admin)):
        assert client.get(NEW).status_code == 404
        assert client.post(NEW, {"official_names": org["dev"].person.name}).status_code == 404
    count = Case.objects.count()
    nothing = olu.post(NEW, {"examines": examined.reference})
    assert nothing.status_code == 400
    assert "Name the officials concerned, or a body and a period." in nothing.content.decode()
    unknown = olu.post(NEW, {"official_names": org["dev"].person.name, "examines": "C-1999-404"})
    assert unknown.status_code == 400
    assert "No case has the reference" in unknown.content.decode()
    assert Case.objects.count() == count
    response = olu.post(NEW, {"official_names": org["dev"].person.name.upper(), "examines": examined.reference})
    assert response.status_code == 302
    case = Case.objects.get(kind=CaseKind.PROCESS)
    assert response["Location"] == workspace(case)
    assert (case.examines, list(case.subjects.all())) == (examined, [org["dev"].person])
    place = examined.panel.get(person=org["dev"].person)
    assert (place.status, place.reason) == (PanelStatus.RECUSED, panel.SUBJECT_OF_PROCESS)
    html = olu.get(workspace(case)).content.decode()
    assert examined.reference in html
    assert "Dev Discipline" in html
    assert "This case was opened by the oversight body, not from a report." in html


def test_officials_no_column_could_hold_are_a_form_error_not_a_server_error(org):
    olu = client_of(org, "olu")
    examined = cb.noticed(org)
    count = Case.objects.count()
    for officials in ([str(2**64)], [str(org["dev"].person.pk), str(-(2**70))]):
        response = olu.post(NEW, {"officials": officials, "examines": examined.reference})
        assert response.status_code == 400, officials
        assert 'href="#id_officials"' in response.content.decode()
    for names in ("Dev\x00Discipline", "D" * 2001):
        response = olu.post(NEW, {"official_names": names, "examines": examined.reference})
        assert response.status_code == 400, names[:20]
        assert 'href="#id_official_names"' in response.content.decode()
    assert Case.objects.count() == count


def test_a_body_and_a_period_open_an_investigation_and_a_bad_period_is_said_by_its_field(org):
    olu = client_of(org, "olu")
    count = Case.objects.count()
    future = olu.post(NEW, {"body": org.disciplinary.pk, "since": "2021-01-01", "until": later(3)})
    assert future.status_code == 400
    assert 'href="#id_until"' in future.content.decode()
    assert Case.objects.count() == count
    response = olu.post(NEW, {"body": org.disciplinary.pk, "since": "2021-01-01", "until": "2021-12-31"})
    assert response.status_code == 302
    case = Case.objects.get(kind=CaseKind.PROCESS)
    assert case.subjects.count() == 4


def test_the_scope_is_widened_and_an_official_suspended_by_a_carried_vote_from_the_workspace(org):
    examined = cb.seated(org)
    dale = org["dale"]
    case = investigations.investigation_open(by=org["olu"].user, officials=[org["dev"].person], examines=examined)
    oren = client_of(org, "oren")
    html = oren.get(workspace(case)).content.decode()
    assert "Widen what this investigation examines" in html
    assert "Suspend an official from leadership seats" in html
    response = oren.post(workspace(case), {"step": "scope", "scope-official_names": dale.person.name})
    assert response.status_code == 302, response.content.decode()
    assert set(case.subjects.all()) == {org["dev"].person, dale.person}
    before = state(case)
    other = cb.opened(org, cb.formal_report(org, reporter="one"))
    narrowing = oren.post(workspace(case), {"step": "scope", "scope-examines": other.reference})
    assert narrowing.status_code == 400
    assert "already examines case" in narrowing.content.decode()
    bad_vote = oren.post(
        workspace(case),
        {
            "step": "suspend",
            "suspend-person": dale.person.pk,
            "suspend-vote_reference": "OC-1999-M1",
            "suspend-reasons": "Sat on the panel while conflicted.",
            "suspend-review_on": later(30),
        },
    )
    assert bad_vote.status_code == 400
    assert "No recorded vote has the reference" in bad_vote.content.decode()
    assert state(case) == before
    vote = oversight_vote(org)
    response = oren.post(
        workspace(case),
        {
            "step": "suspend",
            "suspend-person": dale.person.pk,
            "suspend-vote_reference": vote,
            "suspend-reasons": "Sat on the panel while conflicted.",
            "suspend-review_on": later(30),
        },
    )
    assert response.status_code == 302, response.content.decode()
    measure = case.interim_measures.get()
    assert (measure.person, measure.vote_reference) == (dale.person, vote)
    assert f"Citing vote {vote}." in oren.get(workspace(case)).content.decode()


def test_process_steps_on_a_conduct_case_are_refused_clearly_and_change_nothing(org):
    case = cb.noticed(org)
    before = state(case)
    response = client_of(org, "dana").post(
        workspace(case), {"step": "scope", "scope-official_names": org["dale"].person.name}
    )
    assert response.status_code == 400
    assert "Only a process investigation examines officials." in response.content.decode()
    assert state(case) == before
