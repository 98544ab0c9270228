"""A small organization with a period's records built straight in the database (known counts), and a chair of the
oversight commission, whose carried vote publishes transparency reports."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from rankfile.cases.models import (
    Allegation,
    Case,
    CaseKind,
    Decision,
    Finding,
    FindingOutcome,
    Override,
    Report,
    ReportPath,
    ReportStatus,
    Sanction,
)
from rankfile.deadlines.models import Deadline
from rankfile.governance import actions as governance
from rankfile.governance.models import VoteMethod
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org.models import SeatBasis, SeatRole
from tests.cases import casebuilders as cb
from tests.cases.builders import Member, member

PERIOD = "2026H2"
IN_PERIOD = datetime(2026, 8, 3, 10, 0, tzinfo=UTC)
BEFORE = datetime(2026, 5, 3, 10, 0, tzinfo=UTC)


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Every ``timezone.now()``, database defaults' included, reads ``moment`` (rows the triggers keep from being
    changed afterwards are made on the day they belong to)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment)
        yield


@dataclass
class World:
    org: cb.Org
    chair: Member  # chairs the oversight commission: records its votes
    case: Case


def _reports(template: Report, *, path: str, count: int, when: datetime, **fields: object) -> None:
    made = [
        Report.objects.create(
            reporter_key=template.reporter_key,
            content=template.content,
            path=path,
            status=ReportStatus.RECORDED if path == ReportPath.RECORD_ONLY else ReportStatus.ACKNOWLEDGED,
            sent_at=None if path == ReportPath.RECORD_ONLY else when,
            **fields,
        )
        for _n in range(count)
    ]
    Report.objects.filter(pk__in=[r.pk for r in made]).update(created_at=when)


def _deadline(kind: str, *, set_at: datetime, days: float, allowed: int) -> None:
    found = Deadline.objects.create(
        kind=kind,
        subject_type="report",
        subject_id=1,
        due_at=set_at + timedelta(days=allowed),
        met_at=set_at + timedelta(days=days),
    )
    Deadline.objects.filter(pk=found.pk).update(created_at=set_at)


def world() -> World:
    """In 2026H2: reports by path (record only 8, support only 2, informal 5, formal 7, all about a person; two formal
    ones before the period); a first decision with 2 findings (1 responsible) and an expulsion; 6 acknowledgements
    after 1 to 6 days of the 3 allowed (3 late); an override of the decision."""
    org = cb.full_organization()
    chair = member("Cora Chair")
    org_actions.person_seat(
        person=chair.person,
        body=org.base.oversight,
        basis=SeatBasis.ELECTED,
        role=SeatRole.CHAIR,
        starts_on=date(2020, 1, 1),
        by=OPERATOR,
    )
    template = cb.formal_report(org)  # moved before the period, with its timers
    Report.objects.filter(pk=template.pk).update(created_at=BEFORE, sent_at=BEFORE)
    Deadline.objects.all().delete()
    respondent = org["ray"].person
    _reports(template, path=ReportPath.RECORD_ONLY, count=8, when=IN_PERIOD)
    _reports(template, path=ReportPath.SUPPORT_ONLY, count=2, when=IN_PERIOD, respondent=respondent)
    _reports(template, path=ReportPath.INFORMAL, count=5, when=IN_PERIOD, respondent=respondent)
    _reports(template, path=ReportPath.FORMAL, count=7, when=IN_PERIOD, respondent=respondent)
    _reports(template, path=ReportPath.FORMAL, count=1, when=BEFORE, respondent=respondent)
    case = Case.objects.create(
        reference="C-2026-7", kind=CaseKind.CONDUCT, body=org.disciplinary, respondent=respondent
    )
    with clock_at(IN_PERIOD):
        decision = Decision.objects.create(
            case=case, standard_of_proof="preponderance", letter=template.content, decided_by=org["dev"].person
        )
        for number, outcome in ((1, FindingOutcome.RESPONSIBLE), (2, FindingOutcome.NOT_RESPONSIBLE)):
            allegation = Allegation.objects.create(case=case, number=number)
            Finding.objects.create(decision=decision, allegation=allegation, outcome=outcome)
        Sanction.objects.create(decision=decision, code="expulsion", label="Expulsion")
    for n in range(6):
        _deadline("cases.acknowledge_report", set_at=IN_PERIOD, days=1 + n, allowed=3)
    with clock_at(IN_PERIOD + timedelta(days=30)):
        Override.objects.create(
            decision=decision, vote_reference="CONV-2026-M9", body=org.convention, made_by=org["cleo"].user
        )
    return World(org=org, chair=chair, case=case)


def oversight_vote(w: World, *, on: date | None = None) -> str:
    """A carried vote of the oversight commission (its chair records it); returns its reference."""
    meeting = governance.meeting_create(
        bodies=[w.org.base.oversight], held_on=on or timezone.localdate(), title="Oversight", by=w.chair.user
    )
    governance.attendance_record(
        meeting=meeting, present=[w.chair.person, w.org["olu"].person, w.org["oren"].person], by=w.chair.user
    )
    motion = governance.motion_make(
        meeting=meeting,
        text="That the transparency report be published.",
        mover=w.org["olu"].person,
        seconder=w.org["oren"].person,
        by=w.chair.user,
    )
    return governance.vote_record(motion=motion, method=VoteMethod.UNANIMOUS, by=w.chair.user).reference
