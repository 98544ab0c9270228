"""The formal track: each step's deadline escalates when missed; the response step goes on without a response;
steps out of order are refused with the stage the case is at; the appeal."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from rankfile.cases import casefiles
from rankfile.cases.actions import decisions, process
from rankfile.cases.models import AppealOutcome, DecisionStatus, Stage
from rankfile.deadlines.actions import tick
from rankfile.deadlines.models import Deadline
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger.models import Entry
from rankfile.org import queries as org_queries
from tests.cases import casebuilders as cb

pytestmark = pytest.mark.django_db


def _missed(kind: str) -> list[Deadline]:
    return list(Deadline.objects.filter(kind=kind, missed_at__isnull=False))


def _alerts(mailoutbox) -> list:
    return [m for m in mailoutbox if "missed" in m.subject.lower() or "deadline" in m.subject.lower()]


def test_invariant_10_the_response_deadline_escalates_once_and_the_case_goes_on_without_a_response(
    mailoutbox, django_capture_on_commit_callbacks
):
    org = cb.full_organization()
    case = cb.noticed(org)
    assert case.stage == Stage.RESPONSE
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tick(now=cb.after(8))  # type: ignore[arg-type]
        tick(now=cb.after(9))  # type: ignore[arg-type]
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION
    assert len(_missed("cases.respondent_response")) == 1
    assert Entry.objects.filter(action="deadlines.missed").count() == 1
    alerted = {address for m in mailoutbox for address in m.to}
    assert org["olu"].user.email in alerted
    assert org["ray"].user.email not in alerted
    assert org["rae"].user.email not in alerted
    assert all("Code of conduct" not in m.body for m in mailoutbox)


def test_invariant_10_evidence_review_decision_and_appeal_deadlines_escalate():
    org = cb.full_organization()
    case = cb.reviewed(org)  # the review's deadline passed: missed, and the case moved on to the report
    assert case.stage == Stage.REPORT
    assert len(_missed("cases.evidence_review")) == 1
    tick(now=cb.after(61))  # type: ignore[arg-type]
    assert len(_missed("cases.decision_target")) == 1
    decision = cb.decided(org, case=cb.for_decision(org, case))
    tick(now=cb.after(61 + 15))  # type: ignore[arg-type]
    assert len(_missed("cases.appeal_window")) == 1
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.FINAL


def test_invariant_10_a_delayed_notice_has_a_timer_of_its_own():
    org = cb.full_organization()
    case = cb.seated(org)
    until = timezone.localdate() + timedelta(days=14)
    process.notice_delay(case=case, until=until, reason_code="retaliation_risk", by=org["dana"].user)
    entry = json.loads(Entry.objects.get(action="cases.notice_delayed").data)
    assert entry == {"case": case.pk, "until": until.isoformat(), "reason": "retaliation_risk"}
    tick(now=cb.after(16))  # type: ignore[arg-type]
    assert len(_missed("cases.give_notice")) == 1


def test_steps_out_of_order_are_refused_with_the_stage_the_case_is_at():
    org = cb.full_organization()
    case = cb.seated(org)
    with pytest.raises(InvalidInput) as early:
        process.investigation_report_file(case=case, text="Too early", by=org["dana"].user)
    assert early.value.code == "wrong_stage"
    assert "Notice to the respondent" in str(early.value)
    with pytest.raises(InvalidInput):
        decisions.decision_issue(case=case, findings={}, rationale="x", sanctions=[], by=org["dev"].user)
    with pytest.raises(NotAllowed):  # before the notice the respondent has no part in the case at all
        process.response_file(case=case, text="Not yet", key=org["ray"].key, by=org["ray"].user)
    cb.noticed(org, case)
    with pytest.raises(InvalidInput):
        cb.noticed(org, case)  # a second notice
    with pytest.raises(NotAllowed):  # the reporter cannot respond for the respondent
        process.response_file(case=case, text="Not mine", key=org["rae"].key, by=org["rae"].user)


def test_evidence_is_shared_with_both_parties_at_once_and_redactions_need_the_reporters_agreement():
    org = cb.full_organization()
    case = cb.investigating(org)
    response = case.documents.get(kind="response")
    assert not casefiles.reads(org["rae"].key, response)
    statement = process.document_add(
        case=case, kind="statement", title="Reporter's statement", text="My address is 1 Main St.", by=org["dana"].user
    )
    redacted = process.document_add(
        case=case, kind="", text="My address is [redacted].", redaction_of=statement, by=org["dana"].user
    )
    assert casefiles.reads(org["rae"].key, redacted)
    assert not casefiles.reads(org["ray"].key, redacted)
    with pytest.raises(InvalidInput) as waiting:
        process.evidence_review_open(case=case, items=[statement], by=org["dana"].user, key=org["dana"].key)
    assert waiting.value.code == "redaction_not_agreed"
    process.redaction_agree(item=redacted, key=org["rae"].key, by=org["rae"].user)
    process.evidence_review_open(case=case, items=[statement], by=org["dana"].user, key=org["dana"].key)
    for party in ("rae", "ray"):
        assert casefiles.reads(org[party].key, redacted)
        assert casefiles.reads(org[party].key, response)
        assert not casefiles.reads(org[party].key, statement)  # the original stays with the panel


def test_an_appeal_on_a_ground_not_listed_is_refused_with_a_clear_message():
    org = cb.full_organization()
    case = cb.decided(org).case
    with pytest.raises(InvalidInput) as refused:
        decisions.appeal_lodge(
            case=case, grounds=["i_disagree"], statement="Unfair.", key=org["ray"].key, by=org["ray"].user
        )
    assert refused.value.code == "ground_not_listed"
    assert "Procedural irregularity" in str(refused.value)
    assert "i_disagree" in str(refused.value)
    with pytest.raises(InvalidInput) as none:
        decisions.appeal_lodge(case=case, grounds=[], statement="Unfair.", key=org["ray"].key, by=org["ray"].user)
    assert none.value.code == "no_ground"
    case.refresh_from_db()
    assert case.stage == Stage.APPEAL_WINDOW
    assert not case.appeals.exists()


def test_the_appeals_body_sees_the_original_findings_and_decides_the_appeal():
    org = cb.full_organization()
    original = cb.decided(org)
    case = original.case
    appeal = decisions.appeal_lodge(
        case=case,
        grounds=["disproportionate_sanction"],
        statement="Expulsion is too much.",
        key=org["ray"].key,
        by=org["ray"].user,
    )
    abe = org["abe"]
    letter = case.documents.get(kind="decision")
    findings = json.loads(casefiles.open_text(item=letter, key=abe.key, actor=abe.user, capacity="appeals"))
    assert findings["findings"] == {"1": "responsible", "2": "not_responsible"}
    assert [s["code"] for s in findings["sanctions"]] == ["expulsion"]
    # The panel's own material arrives when a panelist sends it (on a timer); not before.

    with pytest.raises(InvalidInput) as early:
        decisions.appeal_decide(appeal=appeal, outcome="dismissed", rationale="x", by=abe.user)
    assert early.value.code == "record_not_sent"
    decisions.appeal_record_send(appeal=appeal, by=org["dana"].user, key=org["dana"].key)
    assert casefiles.reads_report(case.reports.get(), abe.key)
    with pytest.raises(InvalidInput):  # the panel does not decide the appeal
        decisions.appeal_decide(appeal=appeal, outcome="dismissed", rationale="x", by=org["dev"].user)
    replaced = decisions.appeal_decide(
        appeal=appeal,
        outcome=AppealOutcome.VARIED,
        rationale="Suspension is proportionate.",
        findings={1: "responsible", 2: "not_responsible"},
        sanctions=["suspension"],
        by=abe.user,
    )
    original.refresh_from_db()
    case.refresh_from_db()
    assert original.status == DecisionStatus.REPLACED
    assert replaced.status == DecisionStatus.FINAL
    assert replaced.on_appeal
    assert case.stage == Stage.FINAL
    assert org_queries.status_on(person=org["ray"].person, day=timezone.localdate()) == "suspended"


def test_the_review_closes_early_when_every_party_has_finished_and_only_then():
    org = cb.full_organization()
    case = cb.investigating(org)
    statement = process.document_add(case=case, kind="statement", text="I saw it.", by=org["dana"].user)
    process.evidence_review_open(case=case, items=[statement], by=org["dana"].user, key=org["dana"].key)
    assert process.evidence_review_finish(case=case, key=org["ray"].key, by=org["ray"].user) is False
    case.refresh_from_db()
    assert case.stage == Stage.EVIDENCE_REVIEW
    with pytest.raises(NotAllowed):  # the panel does not finish it for the parties
        process.evidence_review_finish(case=case, key=org["dana"].key, by=org["dana"].user)
    assert process.evidence_review_finish(case=case, key=org["rae"].key, by=org["rae"].user) is True
    case.refresh_from_db()
    assert case.stage == Stage.REPORT
    review = Deadline.objects.get(kind="cases.evidence_review")
    assert review.met_at is not None
    assert review.missed_at is None


def test_invariant_8_when_every_party_waives_the_appeal_the_decision_is_final_and_applied_at_once():
    org = cb.full_organization()
    case = cb.decided(org, sanctions=("suspension",)).case
    assert decisions.appeal_waive(case=case, key=org["ray"].key, by=org["ray"].user) is False
    case.refresh_from_db()
    assert case.stage == Stage.APPEAL_WINDOW
    assert decisions.appeal_waive(case=case, key=org["rae"].key, by=org["rae"].user) is True
    case.refresh_from_db()
    assert case.stage == Stage.FINAL
    assert org_queries.status_on(person=org["ray"].person, day=timezone.localdate()) == "suspended"
    window = Deadline.objects.get(kind="cases.appeal_window")
    assert window.cancelled_at is not None
    assert tick(now=cb.after(20)).missed == []  # type: ignore[arg-type]


def test_invariant_1_every_step_of_the_timeline_is_the_ledger_entry_that_recorded_it():
    org = cb.full_organization()
    case = cb.investigating(org)
    steps = list(case.steps.order_by("pk"))
    assert [s.stage for s in steps] == ["panel", "notice", "response", "investigation"]
    for step in steps:
        assert step.ledger_seq is not None
        entry = Entry.objects.get(seq=step.ledger_seq)
        assert entry.subject_id == case.pk
        if entry.action == "cases.stage_changed":
            assert json.loads(entry.data)["stage"] == step.stage
        else:
            assert entry.action == "cases.case_opened"


def test_the_reporter_agrees_to_what_the_notice_discloses_before_the_respondent_sees_it():
    org = cb.full_organization()
    case = cb.seated(org)
    draft = process.notice_draft(case=case, allegations=cb.ALLEGATIONS, by=org["dana"].user)
    assert casefiles.reads(org["rae"].key, draft)
    assert not casefiles.reads(org["ray"].key, draft)
    with pytest.raises(InvalidInput) as waiting:
        process.notice_give(case=case, by=org["dana"].user, key=org["dana"].key)
    assert waiting.value.code == "reporter_not_agreed"
    with pytest.raises(NotAllowed):  # the respondent has no say in it, and no sight of it
        process.notice_agree(case=case, key=org["ray"].key, by=org["ray"].user)
    process.notice_agree(case=case, key=org["rae"].key, by=org["rae"].user)
    # A new draft asks the reporter again.
    second = process.notice_draft(case=case, allegations=cb.ALLEGATIONS[:1], by=org["dana"].user)
    with pytest.raises(InvalidInput):
        process.notice_give(case=case, by=org["dana"].user, key=org["dana"].key)
    process.notice_agree(case=case, key=org["rae"].key, by=org["rae"].user)
    given = process.notice_give(case=case, by=org["dana"].user, key=org["dana"].key)
    assert given.pk == second.pk
    assert casefiles.reads(org["ray"].key, given)
    assert not casefiles.reads(org["ray"].key, draft)  # the earlier draft never reaches him
    case.refresh_from_db()
    assert case.stage == Stage.RESPONSE
    assert list(case.allegations.values_list("number", flat=True)) == [1]


def test_invariant_10_the_notice_itself_has_a_timer_from_the_seating():
    org = cb.full_organization()
    case = cb.seated(org)
    timer = Deadline.objects.get(kind="cases.give_notice", subject_id=case.pk)
    assert timezone.localtime(timer.due_at).date() == timezone.localdate() + timedelta(days=14)
    tick(now=cb.after(15))  # type: ignore[arg-type]
    assert len(_missed("cases.give_notice")) == 1
    cb.give_notice(org, case)
    timer.refresh_from_db()
    assert timer.missed_at is not None  # the miss stays on record; the notice was still given
