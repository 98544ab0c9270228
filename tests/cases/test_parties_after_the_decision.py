"""What the reporter and the respondent read once the case moves on: the report page follows the case, the parties'
pages say what is true after the decision, the reporter is spoken to, and the respondent's support card is his."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rankfile.cases import stages
from rankfile.cases.actions import decisions, intake, process
from rankfile.cases.models import Case, Decision, ReportPath
from rankfile.org import actions as org_actions
from rankfile.org import bylaws
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.org.builders import OPERATOR, body

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> cb.Org:
    return cb.full_organization()


def client_of(org: cb.Org, name: str) -> Client:
    return signed_in(org[name].user, org[name].key)


def party_page(case: Case) -> str:
    return f"/cases/mine/{case.reference}/"


def final(org: cb.Org) -> Decision:
    decision = cb.decided(org)
    decisions.appeal_waive(case=decision.case, key=org["ray"].key, by=org["ray"].user)
    decisions.appeal_waive(case=decision.case, key=org["rae"].key, by=org["rae"].user)
    decision.case.refresh_from_db()
    return decision


def test_the_reporters_report_page_follows_her_case_once_it_is_decided_and_offers_nothing_that_no_longer_applies(org):
    decision = final(org)
    case = decision.case
    report = case.reports.get()
    rae = client_of(org, "rae")
    html = rae.get(f"/report/{report.pk}/").content.decode()
    day = timezone.localtime(decision.issued_at).strftime("%-d %B %Y")
    assert f"Became case {case.reference}, decided on {day}. The decision is final." in html
    assert "(now:" not in html
    assert f'href="/cases/mine/{case.reference}/"' in html
    assert "They will contact you about the next steps" not in html
    assert "acknowledged your report on" not in html
    assert "Rule out" not in html
    assert "Withdraw my report" not in html
    # The pages behind those links send her back to her report, and nothing changes.
    assert rae.get(f"/report/{report.pk}/withdraw/").status_code == 302
    assert rae.post(f"/report/{report.pk}/withdraw/").status_code == 302
    dana = org["dana"].person
    assert rae.post(f"/report/{report.pk}/conflict/{dana.pk}/").status_code == 302
    report.refresh_from_db()
    assert report.withdrawn_at is None
    assert report.handlers.filter(person=dana, removed_at__isnull=True).exists()


def test_while_the_case_is_open_the_reporter_may_still_withdraw_or_rule_out_and_is_pointed_to_her_case(org):
    case = cb.seated(org)
    report = case.reports.get()
    html = client_of(org, "rae").get(f"/report/{report.pk}/").content.decode()
    assert f"Your report is part of case {case.reference}" in html
    assert "The panel of your case handles it now." in html
    assert "They will contact you about the next steps" not in html
    assert "Withdraw my report" in html
    assert "Rule out" in html


def test_the_reporters_list_tells_two_reports_of_the_same_day_apart_by_whom_they_are_about_and_their_case(org):
    case = cb.seated(org)
    other, _code, _key = intake.report_start(reporter=org["rae"].user, path=ReportPath.FORMAL)
    intake.report_save(report=other, content=cb.WHAT, key=org["rae"].key)
    intake.report_send(report=other, path=ReportPath.FORMAL, key=org["rae"].key, respondent=org["lee"].person)
    intake.report_acknowledge(report=other, by=org["dana"].user)
    home = client_of(org, "rae").get("/").content.decode()
    listed = home[home.index('id="my-reports-heading"') :]
    rows = listed.split("<li>")[1:]
    assert len(rows) == 2
    assert len({row.split("<strong")[0] for row in rows}) == 2
    assert f"about {org['ray'].person.name}:" in listed
    assert f"became case {case.reference} (Notice to the respondent)" in listed
    assert f"about {org['lee'].person.name}:" in listed


def test_the_reporter_is_spoken_to_while_the_draft_notice_waits_for_her_and_is_shown_where_to_write(
    org, mailoutbox, django_capture_on_commit_callbacks
):
    case = cb.seated(org)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        process.notice_draft(case=case, allegations=cb.ALLEGATIONS, by=org["dana"].user)
    told = [m for m in mailoutbox if m.to == [org["rae"].user.email]]
    assert told
    assert "write to the people handling your report from its page" in told[0].body
    report = case.reports.get()
    reporter = client_of(org, "rae").get(party_page(case)).content.decode()
    assert "Waiting for you to agree to the draft notice" in reporter
    assert "You read the draft first and agree to what it discloses" in reporter
    assert "The reporter reads the draft first" not in reporter
    assert "Waiting for the reporter to agree" not in reporter
    # "Write to the people handling your report": the link leads to the form that does it.
    assert f'href="/report/{report.pk}/#messages-heading"' in reporter
    report_page = client_of(org, "rae").get(f"/report/{report.pk}/").content.decode()
    assert 'id="messages-heading"' in report_page
    assert '<input type="hidden" name="step" value="message">' in report_page
    # The respondent's page is unchanged: he is not the one asked.
    respondent = client_of(org, "ray").get(party_page(case)).content.decode()
    assert "Waiting for you to agree" not in respondent


def test_after_a_finding_neither_page_presumes_the_respondent_not_responsible(org):
    before = cb.noticed(org)
    assert "presumed not responsible unless" in client_of(org, "ray").get(party_page(before)).content.decode()
    decision = cb.decided(org, case=cb.for_decision(org, cb.reviewed(org, cb.investigating(org, before))))
    for name in ("ray", "rae"):
        html = client_of(org, name).get(party_page(decision.case)).content.decode()
        assert "presumed not responsible unless the decision finds otherwise" not in html
        assert "see every step of the case" in html


def test_a_party_who_gave_up_the_appeal_is_told_so_and_the_final_decision_names_no_appeal(org):
    decision = cb.decided(org)
    case = decision.case
    ray = client_of(org, "ray")
    before = ray.get(party_page(case)).content.decode()
    assert "You may appeal on the listed grounds until the appeal window closes" in before
    decisions.appeal_waive(case=case, key=org["ray"].key, by=org["ray"].user)
    waived = ray.get(party_page(case)).content.decode()
    assert "You may appeal" not in waived
    assert "Decided; you gave up your appeal" in waived
    assert "You gave up your appeal on" in waived
    decisions.appeal_waive(case=case, key=org["rae"].key, by=org["rae"].user)
    done = ray.get(party_page(case)).content.decode()
    assert "Decided and final" in done
    assert "can no longer be appealed" in done
    assert "Only an appeal" not in done


def test_the_decision_letter_names_the_button_the_page_has_for_giving_up_an_appeal(org):
    decision = cb.decided(org)
    page = client_of(org, "ray").get(party_page(decision.case)).content.decode()
    assert "Give up my appeal</button>" in page
    # The letter names the step by its label ("If you will not appeal, you can say so on the same page (…)").
    assert stages.step_named("appeal_waive").label == "Give up my appeal"


def test_the_respondents_support_card_lists_no_survivors_caucus_and_offers_what_is_his(org):
    caucus = body("survivors-caucus", kind="caucus")
    document = bylaws.defaults()
    document["roles"].update(
        disciplinary="disciplinary-committee",
        oversight="oversight-commission",
        support_team="support-team",
        appeals="appeals-committee",
        convention="convention",
    )
    document["support_contacts"] = [
        {"name": "Caucus line", "reach": "caucus@example.org", "body": caucus.slug},
        {"name": "Member assistance", "reach": "help@example.org", "body": ""},
    ]
    org_actions.bylaws_adopt(
        document=document,
        effective_from=timezone.localdate() - timedelta(days=1),
        adopted_by_vote="Convention 2026, motion 4",
        by=OPERATOR,
    )
    case = cb.noticed(org)
    respondent = client_of(org, "ray").get(party_page(case)).content.decode()
    card = respondent[respondent.index('id="support-heading"') :]
    assert caucus.name not in card
    assert "Caucus line" not in card
    assert "conveners" not in card
    assert "Member assistance" in card
    assert "your adviser" in card
    assert "hears complaints about how it is handled" in card
    reporter = client_of(org, "rae").get(party_page(case)).content.decode()
    assert "Caucus line" in reporter[reporter.index('id="support-heading"') :]


def test_a_notice_says_its_standard_of_proof_in_a_labelled_sentence(org):
    case = cb.noticed(org)
    html = client_of(org, "rae").get(party_page(case)).content.decode()
    assert "Standard of proof: more likely than not." in html
    assert "(the standard of proof)" not in html


def test_a_report_received_less_than_a_minute_ago_waited_just_now_never_0_minutes(org):
    report, _code, _key = intake.report_start(reporter=org["rae"].user, path=ReportPath.FORMAL)
    intake.report_save(report=report, content=cb.WHAT, key=org["rae"].key)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=org["rae"].key)
    home = client_of(org, "dana").get("/").content.decode()
    assert "Formal complaint received" in home
    assert ", just now" in home
    assert "waiting for 0" not in home
