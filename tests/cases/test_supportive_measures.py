"""Supportive measures: requested by the reporter, decided by handlers regardless of findings, reviewed on time."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from rankfile.cases import timers
from rankfile.cases.actions import intake, measures
from rankfile.cases.models import MeasureStatus, ReportPath
from rankfile.deadlines import actions as deadlines
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger.models import Entry
from rankfile.vault import documents
from tests.cases.builders import organization
from tests.vault.helpers import LedgeredRead

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    org = organization()
    rae = org.people["rae"]
    report, _, _ = intake.report_start(reporter=rae.user)
    intake.report_save(report=report, content={"what_happened": "..."}, key=rae.key)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key, respondent=org.people["ray"].person)
    return org, report


def test_a_granted_measure_is_supportive_sealed_and_has_a_review_timer(sent):
    org, report = sent
    rae, dev = org.people["rae"], org.people["dev"]
    measure = measures.measure_request(
        report=report, kind="excusal", details="Excuse me from the Tuesday branch meetings.", key=rae.key
    )
    assert documents.open_text(documents.latest(measure.details), key=dev.key, purpose=LedgeredRead()).startswith(
        "Excuse"
    )
    measures.measure_decide(measure=measure, granted=True, by=dev.user)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.GRANTED
    assert measure.review_on == timezone.localdate() + timedelta(days=30)
    [review] = deadlines.open_deadlines_for(measure)
    assert review.kind == timers.SUPPORTIVE_REVIEW.code
    entries = [json.loads(e.data) for e in Entry.objects.filter(action__startswith="cases.supportive_measure")]
    assert {e["nature"] for e in entries} == {"supportive"}
    assert "Tuesday" not in "".join(e.data for e in Entry.objects.all())


def test_a_review_continues_or_ends_the_measure_and_meets_its_timer(sent):
    org, report = sent
    dev = org.people["dev"]
    measure = measures.measure_request(report=report, kind="no_contact", details="", key=org.people["rae"].key)
    measures.measure_decide(measure=measure, granted=True, by=dev.user)
    measures.measure_review(measure=measure, continued=True, by=dev.user)
    assert len(deadlines.open_deadlines_for(measure)) == 1
    measures.measure_review(measure=measure, continued=False, by=dev.user)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.ENDED
    assert deadlines.open_deadlines_for(measure) == []


def test_a_missed_review_escalates(sent):
    org, report = sent
    measure = measures.measure_request(report=report, kind="other", details="", key=org.people["rae"].key)
    measures.measure_decide(measure=measure, granted=True, by=org.people["dev"].user)
    missed = deadlines.tick(now=timezone.now() + timedelta(days=31)).missed
    assert measure.pk in {
        d.subject_id for d in deadlines.Deadline.objects.filter(pk__in=missed, kind=timers.SUPPORTIVE_REVIEW.code)
    }


def test_only_the_reporter_requests_and_only_handlers_decide(sent):
    org, report = sent
    with pytest.raises(NotAllowed):
        measures.measure_request(report=report, kind="excusal", details="", key=org.people["lee"].key)
    measure = measures.measure_request(report=report, kind="excusal", details="", key=org.people["rae"].key)
    with pytest.raises(NotAllowed):
        measures.measure_decide(measure=measure, granted=True, by=org.people["lee"].user)
    measures.measure_decide(measure=measure, granted=False, by=org.people["dev"].user)
    with pytest.raises(InvalidInput, match="already decided"):
        measures.measure_decide(measure=measure, granted=True, by=org.people["dev"].user)


def test_an_unknown_kind_is_refused_by_its_field(sent):
    org, report = sent
    with pytest.raises(InvalidInput) as refused:
        measures.measure_request(report=report, kind="punishment", details="", key=org.people["rae"].key)
    assert "kind" in refused.value.field_errors
