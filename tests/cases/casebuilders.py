"""Cases at each stage, built through the actions: an organization with a disciplinary, appeals, oversight and
steering body and a convention; a formal report; its case; the panel seated; and so on to a decision."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from rankfile.cases.actions import decisions, intake, panel, process
from rankfile.cases.models import (
    Case,
    Decision,
    DecisionDraft,
    DecisionStatus,
    FindingOutcome,
    PanelRole,
    Report,
    ReportPath,
)
from rankfile.deadlines.actions import tick
from rankfile.governance import actions as governance
from rankfile.governance.models import CaseEffect, VoteMethod
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org import bylaws
from rankfile.org.models import Body, SeatBasis, SeatRole
from rankfile.vault.keys import UnlockedKey
from tests.cases.builders import Member, Organization, member, organization, seat
from tests.org.builders import body


@dataclass
class Org:
    base: Organization
    appeals: Body
    convention: Body

    def __getitem__(self, name: str) -> Member:
        return self.base.people[name]

    @property
    def disciplinary(self) -> Body:
        return self.base.disciplinary

    @property
    def steering(self) -> Body:
        return self.base.steering


def full_organization() -> Org:
    base = organization()
    appeals = body("appeals-committee", kind="appeals")
    convention = body("convention", kind="convention")
    for name in ("Abe Appeals", "Ada Appeals", "Ari Appeals"):
        who = member(name)
        seat(who, appeals)
        base.people[name.split()[0].lower()] = who
    chair = member("Cleo Chair")
    org_actions.person_seat(
        person=chair.person,
        body=convention,
        basis=SeatBasis.ELECTED,
        role=SeatRole.CHAIR,
        starts_on=date(2020, 1, 1),
        by=OPERATOR,
    )
    base.people["cleo"] = chair
    for name in ("One Delegate", "Two Delegate"):
        who = member(name)
        seat(who, convention)
        base.people[name.split()[0].lower()] = who
    document = bylaws.defaults()
    document["roles"].update(
        disciplinary="disciplinary-committee",
        oversight="oversight-commission",
        support_team="support-team",
        appeals="appeals-committee",
        convention="convention",
    )
    org_actions.bylaws_adopt(
        document=document, effective_from=date(2020, 1, 2), adopted_by_vote="Convention 2019, motion 2", by=OPERATOR
    )
    return Org(base=base, appeals=appeals, convention=convention)


WHAT = {"what_happened": "What happened, in the reporter's words.", "when": "Last spring"}


def formal_report(org: Org, *, reporter: str = "rae", respondent: str = "ray", anonymous: bool = False) -> Report:
    if anonymous:
        report, _code, key = intake.report_start(reporter=AnonymousUser(), path=ReportPath.FORMAL)
        assert key is not None
    else:
        who = org[reporter]
        report, _code, _unlocked = intake.report_start(reporter=who.user, path=ReportPath.FORMAL)
        key = who.key
    intake.report_save(report=report, content=WHAT, key=key)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=key, respondent=org[respondent].person)
    intake.report_acknowledge(report=report, by=org["dana"].user)
    report.refresh_from_db()
    return report


def opened(org: Org, report: Report | None = None) -> Case:
    report = report or formal_report(org)
    return panel.case_open(report=report, by=org["dana"].user, key=org["dana"].key)


def proposed_and_declared(org: Org, case: Case, people: Mapping[str, str]) -> None:
    for name, role in people.items():
        member_ = panel.panelist_propose(case=case, person=org[name].person, role=role, by=org["dana"].user)
        panel.conflict_declare(member=member_, conflict=False, by=org[name].user)


STANDARD_PANEL = {"dana": PanelRole.INVESTIGATOR, "dev": PanelRole.DECISION_MAKER, "dora": PanelRole.DECISION_MAKER}


def seated(org: Org, case: Case | None = None) -> Case:
    case = case or opened(org)
    proposed_and_declared(org, case, STANDARD_PANEL)
    panel.panel_seat(case=case, by=org["dana"].user, key=org["dana"].key)
    case.refresh_from_db()
    return case


ALLEGATIONS = [
    {"text": "Unwanted touching at the branch meeting of 3 March.", "provisions": "Code of conduct 2.1"},
    {"text": "Threatening messages afterwards.", "provisions": "Code of conduct 2.4"},
]


def noticed(org: Org, case: Case | None = None, *, reporter_key: UnlockedKey | None = None) -> Case:
    case = case or seated(org)
    give_notice(org, case, reporter_key=reporter_key)
    case.refresh_from_db()
    return case


def give_notice(org: Org, case: Case, *, reporter_key: UnlockedKey | None = None) -> None:
    """Draft the notice, every reporter agrees to it (an anonymous one with ``reporter_key``), the notice is given."""
    process.notice_draft(case=case, allegations=ALLEGATIONS, by=org["dana"].user)
    members = {who.person.pk: who for who in org.base.people.values()}
    for party in case.parties.filter(role="reporter"):
        if party.person_id is None:
            assert reporter_key is not None, "an anonymous reporter agrees with their receipt's key"
            process.notice_agree(case=case, key=reporter_key, by=None)
        else:
            who = members[party.person_id]
            process.notice_agree(case=case, key=who.key, by=who.user)
    process.notice_give(case=case, by=org["dana"].user, key=org["dana"].key)


def investigating(org: Org, case: Case | None = None) -> Case:
    case = case or noticed(org)
    process.response_file(case=case, text="I deny both.", key=org["ray"].key, by=org["ray"].user)
    case.refresh_from_db()
    return case


def after(days: int) -> object:
    return timezone.now() + timedelta(days=days, hours=1)


def reviewed(org: Org, case: Case | None = None) -> Case:
    case = case or investigating(org)
    statement = process.document_add(
        case=case, kind="statement", title="Witness statement", text="I saw it.", by=org["dana"].user
    )
    process.evidence_review_open(case=case, items=[statement], by=org["dana"].user, key=org["dana"].key)
    tick(now=after(11))  # type: ignore[arg-type]
    case.refresh_from_db()
    return case


def for_decision(org: Org, case: Case | None = None) -> Case:
    case = case or reviewed(org)
    process.investigation_report_file(case=case, text="The investigation found…", by=org["dana"].user)
    case.refresh_from_db()
    return case


def decided(org: Org, *, sanctions: tuple[str, ...] = ("expulsion",), case: Case | None = None) -> Decision:
    """The decision Dev proposed, issued once each other seated decision-maker agreed to it."""
    case = case or for_decision(org)
    made = decisions.decision_issue(
        case=case,
        findings={1: FindingOutcome.RESPONSIBLE, 2: FindingOutcome.NOT_RESPONSIBLE},
        rationale="On the evidence, allegation 1 is more likely than not to have happened.",
        sanctions=list(sanctions),
        by=org["dev"].user,
    )
    people = {who.person.pk: who for who in org.base.people.values()}
    while isinstance(made, DecisionDraft):
        other = people[decisions.yet_to_agree(made)[0].person_id]
        made = decisions.decision_agree(case=case, key=other.key, by=other.user)
    return made


def convention_vote(
    org: Org,
    *,
    text: str = "That the decision in the case be set aside.",
    about: str = "ray",
    case: Case | None = None,
    effect: str = CaseEffect.OVERRIDE,
) -> str:
    """A carried vote of the convention on a motion about ``about`` (the respondent) that names ``case`` (by default
    the respondent's latest case with a final decision) and what it does to its decision; returns its reference."""
    if case is None and effect:
        case = Case.objects.filter(decisions__status=DecisionStatus.FINAL).order_by("-pk").first()
    chair = org["cleo"]
    meeting = governance.meeting_create(
        bodies=[org.convention], held_on=timezone.localdate(), title="Special convention", by=chair.user
    )
    governance.attendance_record(
        meeting=meeting, present=[chair.person, org["one"].person, org["two"].person], by=chair.user
    )
    motion = governance.motion_make(
        meeting=meeting,
        text=text,
        mover=org["one"].person,
        seconder=org["two"].person,
        concerns=[org[about].person] if about else [],
        case_reference=case.reference if case is not None and effect else "",
        case_effect=effect if case is not None else "",
        by=chair.user,
    )
    vote = governance.vote_record(motion=motion, method=VoteMethod.UNANIMOUS, by=chair.user)
    return vote.reference


def steering_vote(org: Org) -> str:
    lee = org["lee"]
    org_actions.person_seat(
        person=org["dale"].person,
        body=org.steering,
        basis=SeatBasis.ELECTED,
        role=SeatRole.CHAIR,
        starts_on=date(2020, 1, 1),
        by=OPERATOR,
    )
    meeting = governance.meeting_create(
        bodies=[org.steering], held_on=timezone.localdate(), title="Steering committee", by=org["dale"].user
    )
    governance.attendance_record(meeting=meeting, present=[lee.person, org["dale"].person], by=org["dale"].user)
    motion = governance.motion_make(
        meeting=meeting,
        text="A mistrial is declared.",
        mover=lee.person,
        seconder=org["dale"].person,
        by=org["dale"].user,
    )
    return governance.vote_record(motion=motion, method=VoteMethod.UNANIMOUS, by=org["dale"].user).reference
