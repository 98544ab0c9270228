"""Process investigations: opened from a process complaint or by the oversight body; the officials concerned are
excluded at once from both cases and never proposed for either; suspended from leadership only by a carried vote."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from rankfile.cases import casefiles
from rankfile.cases.actions import intake, investigations, panel
from rankfile.cases.actions.intake import report_content
from rankfile.cases.models import Case, CaseKind, Handler, PanelRole, PanelStatus, ReportPath, Stage
from rankfile.errors import Ineligible, InvalidInput, NotAllowed
from rankfile.governance import actions as governance
from rankfile.governance.models import VoteMethod
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org import eligibility
from rankfile.org.models import SeatBasis, SeatEndReason, SeatRole
from tests.cases import casebuilders as cb
from tests.cases.builders import member, seat

pytestmark = pytest.mark.django_db


def _oversight_vote(org: cb.Org, *, carried: bool = True) -> str:
    """A vote of the oversight commission; returns its reference."""
    oversight = org.base.oversight
    meeting = governance.meeting_create(
        bodies=[oversight], held_on=timezone.localdate(), title="Oversight commission", by=OPERATOR
    )
    people = [org[n].person for n in ("olu", "oren", "oona")]
    governance.attendance_record(meeting=meeting, present=people, by=OPERATOR)
    motion = governance.motion_make(
        meeting=meeting,
        text="That the official be suspended from leadership seats for the duration of the investigation.",
        mover=people[0],
        seconder=people[1],
        by=OPERATOR,
    )
    if carried:
        vote = governance.vote_record(motion=motion, method=VoteMethod.UNANIMOUS, by=OPERATOR)
    else:
        vote = governance.vote_record(
            motion=motion, method=VoteMethod.COUNTS, votes_for=1, votes_against=2, by=OPERATOR
        )
    return vote.reference


def _investigation(org: cb.Org, examined: Case, *names: str) -> Case:
    return investigations.investigation_open(
        by=org["olu"].user, officials=[org[n].person for n in names], examines=examined
    )


def test_invariant_7_the_officials_concerned_are_excluded_at_once_from_the_examined_case():
    org = cb.full_organization()
    examined = cb.noticed(org)
    notice = examined.documents.get(kind="notice")
    dev = org["dev"]
    assert casefiles.reads(dev.key, notice)
    assert casefiles.reads_report(examined.reports.get(), dev.key)
    case = _investigation(org, examined, "dev")
    assert (case.kind, case.track, case.stage) == (CaseKind.PROCESS, "formal", Stage.PANEL)
    assert case.body == org.base.oversight  # the bylaws name no body for process complaints
    assert case.examines == examined
    assert list(case.subjects.all()) == [dev.person]
    place = examined.panel.get(person=dev.person)
    assert (place.status, place.reason) == (PanelStatus.RECUSED, panel.SUBJECT_OF_PROCESS)
    assert not casefiles.reads(dev.key, notice)
    assert not casefiles.reads_report(examined.reports.get(), dev.key)
    assert Handler.objects.get(report=examined.reports.get(), person=dev.person).removed_at is not None
    with pytest.raises(NotAllowed):
        casefiles.open_text(item=notice, key=dev.key, actor=dev.user, capacity="panel")
    with pytest.raises(NotAllowed):
        report_content(report=examined.reports.get(), key=dev.key, actor=dev.user, capacity="handler")
    recused = json.loads(Entry.objects.get(action="cases.panelist_recused").data)
    assert recused["reason"] == "subject_of_process"
    assert recused["keys_taken"] > 0
    excluded = [json.loads(e.data) for e in Entry.objects.filter(action="cases.subject_excluded").order_by("seq")]
    assert [(e["case"], e["person"]) for e in excluded] == [(examined.pk, dev.person.pk), (case.pk, dev.person.pk)]
    scope = json.loads(Entry.objects.get(action="cases.investigation_scope").data)
    assert scope == {
        "case": case.pk,
        "examines": examined.pk,
        "subjects": 1,
        "body": None,
        "from": None,
        "until": None,
    }


def test_invariant_7_an_official_concerned_is_never_proposed_for_either_case():
    org = cb.full_organization()
    examined = cb.opened(org)
    case = _investigation(org, examined, "dale", "dora")
    on_examined = panel.panelist_propose(
        case=examined, person=org["dale"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user
    )
    assert (on_examined.status, on_examined.reason) == (PanelStatus.EXCLUDED, panel.SUBJECT_OF_PROCESS)
    on_investigation = panel.panelist_propose(
        case=case, person=org["dale"].person, role=PanelRole.DECISION_MAKER, by=org["olu"].user
    )
    assert (on_investigation.status, on_investigation.reason) == (PanelStatus.EXCLUDED, panel.SUBJECT_OF_PROCESS)
    assert panel.exclusion_reason(examined, org["dale"].person, role=PanelRole.INVESTIGATOR) == "subject_of_process"
    # Nor do they run the examined case while it has no panel, though they sit on the body handling it.
    with pytest.raises(NotAllowed):
        panel.panelist_propose(
            case=examined, person=org["dana"].person, role=PanelRole.INVESTIGATOR, by=org["dora"].user
        )
    # The oversight body's other members run the investigation; the officials concerned do not.
    fine = panel.panelist_propose(case=case, person=org["oren"].person, role=PanelRole.INVESTIGATOR, by=org["olu"].user)
    assert fine.status == PanelStatus.PROPOSED
    with pytest.raises(NotAllowed):
        panel.panelist_propose(case=case, person=org["oona"].person, role=PanelRole.INVESTIGATOR, by=org["dale"].user)


def test_the_officials_of_a_body_in_a_period_are_found_from_who_sat_on_it_then():
    org = cb.full_organization()
    disciplinary = org.disciplinary
    before = member("Bea Before")
    org_actions.person_seat(
        person=before.person, body=disciplinary, basis=SeatBasis.ELECTED, starts_on=date(2016, 1, 1), by=OPERATOR
    )
    org_actions.seat_end(
        seat=before.person.seats.get(), ends_on=date(2019, 12, 31), reason=SeatEndReason.TERM_OVER, by=OPERATOR
    )
    joined = member("Jo Joined")
    org_actions.person_seat(
        person=joined.person, body=disciplinary, basis=SeatBasis.CO_OPTED, starts_on=date(2021, 6, 1), by=OPERATOR
    )
    later = member("Lu Later")
    org_actions.person_seat(
        person=later.person, body=disciplinary, basis=SeatBasis.ELECTED, starts_on=date(2023, 1, 1), by=OPERATOR
    )
    case = investigations.investigation_open(
        by=org["olu"].user, body=disciplinary, since=date(2021, 1, 1), until=date(2021, 12, 31)
    )
    names = sorted(p.name for p in case.subjects.all())
    assert names == ["Dale Discipline", "Dana Discipline", "Dev Discipline", "Dora Discipline", "Jo Joined"]
    scope = json.loads(Entry.objects.get(action="cases.investigation_scope").data)
    assert (scope["body"], scope["from"], scope["until"], scope["subjects"]) == (
        disciplinary.pk,
        "2021-01-01",
        "2021-12-31",
        5,
    )


def test_only_a_member_of_the_oversight_body_opens_one_and_what_is_missing_is_named():
    org = cb.full_organization()
    examined = cb.opened(org)
    before = Case.objects.count()
    for outsider in ("lee", "dana", "rae"):
        with pytest.raises(NotAllowed):
            investigations.investigation_open(by=org[outsider].user, officials=[org["dev"].person], examines=examined)
    with pytest.raises(InvalidInput) as nobody:
        investigations.investigation_open(by=org["olu"].user, examines=examined)
    assert nobody.value.code == "no_subjects"
    assert "officials" in nobody.value.field_errors
    with pytest.raises(InvalidInput) as half:
        investigations.investigation_open(by=org["olu"].user, body=org.disciplinary, since=date(2021, 1, 1))
    assert half.value.code == "period"
    with pytest.raises(InvalidInput) as future:
        investigations.investigation_open(
            by=org["olu"].user,
            body=org.disciplinary,
            since=date(2021, 1, 1),
            until=timezone.localdate() + timedelta(days=3),
        )
    assert "until" in future.value.field_errors
    with pytest.raises(InvalidInput) as empty:
        investigations.investigation_open(
            by=org["olu"].user, body=org.disciplinary, since=date(2010, 1, 1), until=date(2010, 12, 31)
        )
    assert empty.value.code == "nobody_sat"
    with pytest.raises(InvalidInput) as own:
        investigations.investigation_open(by=org["olu"].user, officials=[org["olu"].person])
    assert own.value.code == "opener_concerned"
    assert Case.objects.count() == before
    assert not Entry.objects.filter(action="cases.investigation_scope").exists()


def test_a_process_complaint_opens_a_process_case_whose_handlers_name_the_officials():
    org = cb.full_organization()
    examined = cb.seated(org)
    rae = org["rae"]
    report, _code, _key = intake.report_start(reporter=rae.user, path=ReportPath.FORMAL)
    intake.report_save(report=report, content={"what_happened": "The panel ignored my evidence."}, key=rae.key)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key, process_complaint=True)
    report.refresh_from_db()
    assert report.handling_body == org.base.oversight
    intake.report_acknowledge(report=report, by=org["olu"].user)
    case = panel.case_open(report=report, by=org["olu"].user, key=org["olu"].key)
    assert case.kind == CaseKind.PROCESS
    with pytest.raises(NotAllowed):
        investigations.investigation_scope_add(case=case, officials=[org["dev"].person], by=org["dana"].user)
    investigations.investigation_scope_add(
        case=case, officials=[org["dev"].person], examines=examined, by=org["olu"].user
    )
    place = examined.panel.get(person=org["dev"].person)
    assert (place.status, place.reason) == (PanelStatus.RECUSED, panel.SUBJECT_OF_PROCESS)
    assert not casefiles.reads_report(examined.reports.get(), org["dev"].key)
    other = cb.opened(org, cb.formal_report(org, reporter="lee", respondent="ray"))
    with pytest.raises(InvalidInput) as refused:
        investigations.investigation_scope_add(case=case, examines=other, by=org["olu"].user)
    assert refused.value.code == "examines"
    case.refresh_from_db()
    assert case.examines == examined
    with pytest.raises(InvalidInput) as conduct:
        investigations.investigation_scope_add(case=examined, officials=[org["dale"].person], by=org["dana"].user)
    assert conduct.value.code == "not_process"


def test_invariant_9_an_official_is_suspended_from_leadership_only_by_a_carried_vote():
    org = cb.full_organization()
    dev = org["dev"]
    seat(dev, org.steering)
    examined = cb.seated(org)
    case = _investigation(org, examined, "dev")
    review = timezone.localdate() + timedelta(days=30)

    def suspend(reference: str, who: str = "dev", on: Case = case):
        return investigations.subject_suspend(
            case=on,
            person=org[who].person,
            vote_reference=reference,
            reasons="Dev sat on the panel while under a conflict.",
            review_on=review,
            by=org["olu"].user,
        )

    with pytest.raises(InvalidInput) as none:
        suspend("OC-1999-M1")
    assert none.value.code == "no_such_vote"
    failed = _oversight_vote(org, carried=False)
    with pytest.raises(InvalidInput) as lost:
        suspend(failed)
    assert lost.value.code == "vote_not_carried"
    steering = cb.steering_vote(org)
    with pytest.raises(InvalidInput) as wrong_body:
        suspend(steering)
    assert wrong_body.value.code == "not_the_empowered_body"
    carried = _oversight_vote(org)
    with pytest.raises(InvalidInput) as not_subject:
        suspend(carried, who="lee")
    assert not_subject.value.code == "not_a_subject"
    with pytest.raises(InvalidInput) as conduct:
        investigations.subject_suspend(
            case=examined,
            person=dev.person,
            vote_reference=carried,
            reasons="x",
            review_on=review,
            by=org["dana"].user,
        )
    assert conduct.value.code == "not_process"
    with pytest.raises(NotAllowed):
        investigations.subject_suspend(
            case=case, person=dev.person, vote_reference=carried, reasons="x", review_on=review, by=org["lee"].user
        )
    assert not case.interim_measures.exists()
    assert dev.person.seats.get(body=org.steering).ends_on is None

    measure = suspend(carried)
    assert measure.vote_reference == carried
    assert (measure.kind, measure.person) == ("suspended_from_leadership", dev.person)
    assert dev.person.seats.get(body=org.steering).end_reason == SeatEndReason.SUSPENDED_PENDING_INVESTIGATION
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert eligibility.check(dev.person, org.steering, tomorrow) == eligibility.Ineligible(
        eligibility.RESTRICTED_PENDING_CASE
    )
    with pytest.raises(Ineligible) as refused:
        org_actions.person_seat(
            person=dev.person,
            body=org.steering,
            basis=SeatBasis.ELECTED,
            role=SeatRole.MEMBER,
            starts_on=tomorrow,
            by=OPERATOR,
        )
    assert refused.value.code == "RESTRICTED_PENDING_CASE"
    entry = json.loads(Entry.objects.get(action="cases.interim_imposed").data)
    assert entry["vote"] is not None
    assert entry["reason"] == "process_investigation"
    assert all("conflict" not in e.data for e in Entry.objects.filter(action__startswith="cases.interim"))
    # The reasons are sealed for whoever runs the investigation (the oversight body, until a panel is seated, who
    # then read them as the panel), never for the official.
    reasons = case.documents.get(kind="measure")
    assert casefiles.reads(org["oren"].key, reasons)
    assert not casefiles.reads(dev.key, reasons)
    for name, role in (("olu", "investigator"), ("oren", "decision_maker"), ("oona", "decision_maker")):
        place = panel.panelist_propose(case=case, person=org[name].person, role=role, by=org["olu"].user)
        panel.conflict_declare(member=place, conflict=False, by=org[name].user)
    panel.panel_seat(case=case, by=org["olu"].user, key=org["olu"].key)
    case.refresh_from_db()
    assert case.stage == Stage.NOTICE
    assert casefiles.reads(org["oona"].key, reasons)
