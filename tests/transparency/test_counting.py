"""What the mandates and concerns sections count: each record in one state, by its due date and when it was met."""

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from rankfile.governance.models import Mandate, MandateStatus
from rankfile.transparency.figures import concern_states, mandate_states
from rankfile.transparency.periods import Period
from rankfile.voice import actions as voice
from rankfile.voice.models import Concern
from tests.cases import casebuilders as cb
from tests.governance.builders import mandate, organization

pytestmark = pytest.mark.django_db


def test_mandates_due_in_the_period_are_done_late_overdue_open_or_rescinded() -> None:
    base = mandate(organization(), days=400)  # open, due after the period below ends
    today = timezone.localdate()
    for n, (status, due_on, done_on) in enumerate(
        [
            (MandateStatus.DONE, today - timedelta(days=50), today - timedelta(days=60)),
            (MandateStatus.DONE, today - timedelta(days=50), today - timedelta(days=40)),
            (MandateStatus.DONE, today - timedelta(days=40), today - timedelta(days=30)),
            (MandateStatus.IN_PROGRESS, today - timedelta(days=1), None),
            (MandateStatus.BLOCKED, today + timedelta(days=5), None),
            (MandateStatus.RESCINDED, today - timedelta(days=5), None),
            (MandateStatus.DONE, today - timedelta(days=500), today - timedelta(days=600)),  # before the period
        ]
    ):
        copy = Mandate.objects.get(pk=base.pk)
        copy.pk = None
        copy.reference = f"{base.reference}-{n}"
        copy.status, copy.due_on, copy.done_on = status, due_on, done_on
        copy.save()
    period = Period(code="X", starts_on=today - timedelta(days=100), ends_on=today + timedelta(days=100))
    assert mandate_states(period=period, now=timezone.now()) == Counter(
        {"done": 1, "late": 2, "overdue": 1, "open": 1, "rescinded": 1}
    )


def test_concerns_due_in_the_period_are_answered_in_time_late_not_answered_or_not_yet_due() -> None:
    org = cb.full_organization()
    now = timezone.now()
    for n, (due_in_days, answered_in_days) in enumerate([(-10, -12), (-10, -5), (-3, None), (4, None), (4, -1)]):
        concern = voice.concern_raise(
            body=org.steering,
            title=f"Concern {n}",
            text="Please answer.",
            anonymous=False,
            private=False,
            by=org["rae"].user,
        )
        answered = None if answered_in_days is None else now + timedelta(days=answered_in_days)
        Concern.objects.filter(pk=concern.pk).update(due_at=now + timedelta(days=due_in_days), answered_at=answered)
    start = datetime.combine(date(2000, 1, 1), datetime.min.time(), tzinfo=timezone.get_current_timezone())
    assert concern_states(start=start, end=now + timedelta(days=30), now=now) == Counter(
        {"on_time": 2, "late": 1, "unanswered": 1, "open": 1}
    )
