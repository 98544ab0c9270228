"""The informal track: every party's consent, an agreement with obligations on timers, closed when all are met; a
breach or a withdrawn consent sends the case to the formal track."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from rankfile.cases import casefiles
from rankfile.cases.actions import informal, intake
from rankfile.cases.models import Case, ObligationStatus, PartyRole, ReportPath, Stage, Track
from rankfile.deadlines.actions import tick
from rankfile.deadlines.models import Deadline
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger.models import Entry
from tests.cases import casebuilders as cb

pytestmark = pytest.mark.django_db

REPORTER_PROMISE = "Rae will not contact Ray's employer about the incident."
RESPONDENT_PROMISE = "Ray writes an apology and attends the consent workshop at the Northside branch."


def _informal_case(org: cb.Org) -> Case:
    rae = org["rae"]
    report, _code, _key = intake.report_start(reporter=rae.user, path=ReportPath.INFORMAL)
    intake.report_save(report=report, content=cb.WHAT, key=rae.key)
    intake.report_send(report=report, path=ReportPath.INFORMAL, key=rae.key, respondent=org["ray"].person)
    intake.report_acknowledge(report=report, by=org["dana"].user)
    report.refresh_from_db()
    return cb.opened(org, report)


def _seated_informal(org: cb.Org) -> Case:
    return cb.seated(org, _informal_case(org))


def _consented(org: cb.Org, case: Case) -> None:
    for name in ("rae", "ray"):
        informal.informal_consent_give(case=case, key=org[name].key, by=org[name].user)


def _obligations(days: int = 10) -> list[dict[str, object]]:
    due = timezone.localdate() + timedelta(days=days)
    return [
        {"by_role": PartyRole.RESPONDENT, "what": RESPONDENT_PROMISE, "due_on": due},
        {"by_role": PartyRole.REPORTER, "what": REPORTER_PROMISE, "due_on": due + timedelta(days=5)},
    ]


def _agreed(org: cb.Org) -> Case:
    case = _seated_informal(org)
    _consented(org, case)
    informal.agreement_record(
        case=case, obligations=_obligations(), summary="Agreed at the meeting.", by=org["dana"].user
    )
    case.refresh_from_db()
    return case


def _open_timers(case: Case) -> list[Deadline]:
    return list(
        Deadline.objects.filter(
            kind="cases.obligation_due",
            subject_id__in=list(case.obligations.values_list("pk", flat=True)),
            met_at__isnull=True,
            cancelled_at__isnull=True,
        )
    )


def _no_content_in_the_ledger() -> None:
    for entry in Entry.objects.all():
        for words in (RESPONDENT_PROMISE, REPORTER_PROMISE, "apology", "employer", "Agreed at the meeting"):
            assert words not in entry.data


def test_an_informal_report_opens_an_informal_case_that_seating_moves_to_the_agreement():
    org = cb.full_organization()
    case = _informal_case(org)
    assert (case.track, case.stage) == (Track.INFORMAL, Stage.PANEL)
    case = cb.seated(org, case)
    assert case.stage == Stage.AGREEMENT


def test_the_agreement_needs_every_partys_own_consent_first():
    org = cb.full_organization()
    case = _seated_informal(org)
    informal.informal_consent_give(case=case, key=org["rae"].key, by=org["rae"].user)
    with pytest.raises(InvalidInput) as refused:
        informal.agreement_record(case=case, obligations=_obligations(), by=org["dana"].user)
    assert refused.value.code == "consent_missing"
    assert "respondent" in str(refused.value)
    assert not case.obligations.exists()
    assert not case.documents.filter(kind="agreement").exists()
    # Nobody consents for someone else: the key is the party's own.
    with pytest.raises(NotAllowed):
        informal.informal_consent_give(case=case, key=org["lee"].key, by=org["lee"].user)
    with pytest.raises(InvalidInput) as twice:
        informal.informal_consent_give(case=case, key=org["rae"].key, by=org["rae"].user)
    assert twice.value.code == "already_consented"
    consents = [json.loads(e.data) for e in Entry.objects.filter(action="cases.informal_consent_given")]
    assert consents == [{"case": case.pk, "party": "reporter"}]


def test_the_agreement_is_sealed_for_both_parties_and_each_obligation_has_a_timer():
    org = cb.full_organization()
    case = _agreed(org)
    agreement = case.documents.get(kind="agreement")
    for name in ("rae", "ray"):
        content = json.loads(
            casefiles.open_text(item=agreement, key=org[name].key, actor=org[name].user, capacity=name)
        )
        assert [o["what"] for o in content["obligations"]] == [RESPONDENT_PROMISE, REPORTER_PROMISE]
    assert not casefiles.reads(org["lee"].key, agreement)
    assert [(o.number, o.by_role, o.status) for o in case.obligations.all()] == [
        (1, "respondent", ObligationStatus.OPEN),
        (2, "reporter", ObligationStatus.OPEN),
    ]
    assert len(_open_timers(case)) == 2
    recorded = json.loads(Entry.objects.get(action="cases.agreement_recorded").data)
    assert set(recorded) == {"case", "item", "obligations", "sealed"}
    assert recorded["obligations"] == 2
    _no_content_in_the_ledger()


def test_an_incomplete_agreement_is_refused_naming_each_problem_and_nothing_is_recorded():
    org = cb.full_organization()
    case = _seated_informal(org)
    _consented(org, case)
    before = Entry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        informal.agreement_record(
            case=case,
            obligations=[
                {"by_role": "panel", "what": "", "due_on": timezone.localdate()},
                {"by_role": "respondent", "what": "An apology.", "due_on": date(2001, 1, 1)},
            ],
            by=org["dana"].user,
        )
    assert refused.value.code == "agreement_incomplete"
    assert set(refused.value.field_errors) == {"by_role_1", "what_1", "due_on_1", "due_on_2"}
    with pytest.raises(InvalidInput) as empty:
        informal.agreement_record(case=case, obligations=[], by=org["dana"].user)
    assert empty.value.code == "agreement_incomplete"
    assert Entry.objects.count() == before
    assert not case.obligations.exists()


def test_only_the_seated_panel_records_the_agreement_and_only_on_the_informal_track():
    org = cb.full_organization()
    case = _seated_informal(org)
    _consented(org, case)
    for outsider in ("lee", "dale", "ray"):
        with pytest.raises(NotAllowed):
            informal.agreement_record(case=case, obligations=_obligations(), by=org[outsider].user)
    formal = cb.seated(org)
    with pytest.raises(InvalidInput) as refused:
        informal.agreement_record(case=formal, obligations=_obligations(), by=org["dana"].user)
    assert refused.value.code == "not_informal"
    assert not formal.obligations.exists()


def test_when_every_obligation_is_met_the_case_closes(django_capture_on_commit_callbacks, mailoutbox):
    org = cb.full_organization()
    case = _agreed(org)
    first, second = case.obligations.all()
    informal.obligation_meet(obligation=first, by=org["dana"].user)
    case.refresh_from_db()
    assert case.stage == Stage.AGREEMENT
    with pytest.raises(InvalidInput) as again:
        informal.obligation_meet(obligation=first, by=org["dev"].user)
    assert again.value.code == "settled"
    with django_capture_on_commit_callbacks(execute=True):
        informal.obligation_meet(obligation=second, by=org["dev"].user)
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED
    assert case.track == Track.INFORMAL
    assert case.close_reason == informal.FULFILLED
    assert case.closed_at is not None
    assert not case.is_open
    assert not _open_timers(case)
    assert Deadline.objects.filter(kind="cases.obligation_due", met_at__isnull=False).count() == 2
    closed = json.loads(Entry.objects.get(action="cases.case_closed").data)
    assert closed == {"case": case.pk, "reason": "agreement_fulfilled", "measures_lifted": 0}
    assert {org["rae"].user.email, org["ray"].user.email} <= {a for m in mailoutbox for a in m.to}
    assert all(RESPONDENT_PROMISE not in m.body for m in mailoutbox)
    _no_content_in_the_ledger()


def test_invariant_10_a_missed_obligation_alerts_the_oversight_body_once_and_never_the_parties(mailoutbox):
    org = cb.full_organization()
    case = _agreed(org)
    mailoutbox.clear()
    tick(now=cb.after(11))  # type: ignore[arg-type]
    tick(now=cb.after(12))  # type: ignore[arg-type]
    missed = Deadline.objects.filter(kind="cases.obligation_due", missed_at__isnull=False)
    assert missed.count() == 1
    assert Entry.objects.filter(action="deadlines.missed").count() == 1
    alerted = {address for m in mailoutbox for address in m.to}
    assert org["olu"].user.email in alerted
    assert not alerted & {org["rae"].user.email, org["ray"].user.email}
    assert all(RESPONDENT_PROMISE not in m.body for m in mailoutbox)
    case.refresh_from_db()
    assert case.stage == Stage.AGREEMENT  # a miss is for the panel to judge; nothing changes by itself


def test_a_breach_the_panel_records_sends_the_case_to_the_formal_notice_and_cancels_the_other_timers():
    org = cb.full_organization()
    case = _agreed(org)
    tick(now=cb.after(11))  # type: ignore[arg-type]
    first = case.obligations.get(number=1)
    with pytest.raises(NotAllowed):
        informal.obligation_breach(obligation=first, by=org["lee"].user)
    informal.obligation_breach(obligation=first, by=org["dana"].user)
    case.refresh_from_db()
    first.refresh_from_db()
    assert (case.track, case.stage) == (Track.FORMAL, Stage.NOTICE)
    assert first.status == ObligationStatus.BREACHED
    assert not _open_timers(case)
    assert json.loads(Entry.objects.get(action="cases.obligation_breached").data)["missed"] is True
    assert json.loads(Entry.objects.get(action="cases.track_changed").data) == {
        "case": case.pk,
        "track": "formal",
        "reason": "obligation_breached",
    }
    last = json.loads(Entry.objects.filter(action="cases.stage_changed").order_by("-seq")[0].data)
    assert last == {"case": case.pk, "stage": "notice", "track": "formal"}
    # The formal track goes on from the notice; informal steps are refused now.
    cb.give_notice(org, case)
    case.refresh_from_db()
    assert case.stage == Stage.RESPONSE
    with pytest.raises(InvalidInput) as refused:
        informal.obligation_meet(obligation=case.obligations.get(number=2), by=org["dana"].user)
    assert refused.value.code == "not_informal"


def test_a_party_withdrawing_consent_sends_the_case_to_the_formal_track():
    org = cb.full_organization()
    case = _agreed(org)
    informal.informal_consent_withdraw(case=case, key=org["ray"].key, by=org["ray"].user)
    case.refresh_from_db()
    assert (case.track, case.stage) == (Track.FORMAL, Stage.NOTICE)
    assert not _open_timers(case)
    assert json.loads(Entry.objects.get(action="cases.informal_consent_withdrawn").data) == {
        "case": case.pk,
        "party": "respondent",
    }
    with pytest.raises(InvalidInput) as refused:
        informal.informal_consent_withdraw(case=case, key=org["rae"].key, by=org["rae"].user)
    assert refused.value.code == "not_informal"


def test_declining_before_the_panel_is_seated_sends_the_case_to_seating_a_formal_panel():
    org = cb.full_organization()
    case = _informal_case(org)
    informal.informal_consent_withdraw(case=case, key=org["rae"].key, by=org["rae"].user)
    case.refresh_from_db()
    assert (case.track, case.stage) == (Track.FORMAL, Stage.PANEL)
    case = cb.seated(org, case)
    assert case.stage == Stage.NOTICE
    assert [(s.stage, s.track) for s in case.steps.all()] == [
        ("panel", "informal"),
        ("panel", "formal"),
        ("notice", "formal"),
    ]


def _agreement_cards(org: cb.Org, case: Case) -> list[str]:
    from rankfile.cases import waiting
    from rankfile.cases.models import PanelStatus

    seated = case.panel.filter(status=PanelStatus.SEATED).select_related("person__user")
    return [
        str(item.what)
        for member in seated
        for item in waiting.waiting_for(user=member.person.user)
        if str(item.what) == "Record the informal agreement"
    ]


def test_the_home_page_asks_the_panel_to_record_the_agreement_only_while_it_can_be():
    """As the workspace: not before every party consented, and not once it is recorded."""
    org = cb.full_organization()
    case = _seated_informal(org)
    assert _agreement_cards(org, case) == []  # the parties have not consented yet
    _consented(org, case)
    assert _agreement_cards(org, case)
    informal.agreement_record(
        case=case, obligations=_obligations(), summary="Agreed at the meeting.", by=org["dana"].user
    )
    case.refresh_from_db()
    assert case.stage == Stage.AGREEMENT
    assert _agreement_cards(org, case) == []
