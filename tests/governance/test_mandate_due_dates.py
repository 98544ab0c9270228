"""A mandate's due date is a local date; it is due at the end of that day in the organization's time zone,
whatever the server's, across changes to and from daylight saving time."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from rankfile.deadlines import actions as deadlines
from rankfile.errors import InvalidInput
from rankfile.governance import mandates
from rankfile.governance.models import MandateTerms
from rankfile.ledger.actions import OPERATOR
from tests.governance.builders import convention_vote, mandate, organization

pytestmark = pytest.mark.django_db

ONE_MICROSECOND = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("zone", "adopted_on", "due_on", "midnight_utc", "day_hours"),
    [
        # Berlin springs forward on 29 March 2026: that day has 23 hours; its end is 22:00 UTC (CEST, +2).
        ("Europe/Berlin", date(2025, 12, 29), date(2026, 3, 29), datetime(2026, 3, 29, 22, 0, tzinfo=UTC), 23),
        # New York springs forward on 8 March 2026: its end is 04:00 UTC the next day (EDT, -4).
        ("America/New_York", date(2025, 12, 8), date(2026, 3, 8), datetime(2026, 3, 9, 4, 0, tzinfo=UTC), 23),
        # Berlin falls back on 25 October 2026: 25 hours; its end is 23:00 UTC (CET, +1).
        ("Europe/Berlin", date(2026, 7, 27), date(2026, 10, 25), datetime(2026, 10, 25, 23, 0, tzinfo=UTC), 25),
        # New York falls back on 1 November 2026: its end is 05:00 UTC the next day (EST, -5).
        ("America/New_York", date(2026, 8, 3), date(2026, 11, 1), datetime(2026, 11, 2, 5, 0, tzinfo=UTC), 25),
    ],
)
def test_within_90_days_is_due_at_the_end_of_the_local_day_across_dst(
    zone, adopted_on, due_on, midnight_utc, day_hours
):
    with override_settings(TIME_ZONE=zone):
        org = organization()
        adopted = mandate(org, vote=convention_vote(org, held_on=adopted_on), days=90)
        assert (adopted.adopted_on, adopted.due_on) == (adopted_on, due_on)
        assert MandateTerms.objects.get(mandate=adopted).due_within_days == 90
        [timer] = deadlines.open_deadlines_for(adopted)
        assert timer.due_at + ONE_MICROSECOND == midnight_utc  # the day's last moment
        start_of_day = timezone.make_aware(datetime.combine(due_on, datetime.min.time()))
        assert midnight_utc - start_of_day == timedelta(hours=day_hours)
        # Not missed a minute before the local midnight; missed at it.
        assert deadlines.tick(now=midnight_utc - timedelta(minutes=1)).missed == []
        assert deadlines.tick(now=midnight_utc).missed == [timer.pk]


def test_the_same_due_date_ends_at_different_instants_in_different_zones():
    ends = {}
    for zone in ("Europe/Berlin", "America/New_York", "UTC"):
        with override_settings(TIME_ZONE=zone):
            ends[zone] = mandates.due_at(date(2026, 3, 8)) + ONE_MICROSECOND
    assert ends == {
        "Europe/Berlin": datetime(2026, 3, 8, 23, 0, tzinfo=UTC),
        "America/New_York": datetime(2026, 3, 9, 4, 0, tzinfo=UTC),  # already in daylight time
        "UTC": datetime(2026, 3, 9, 0, 0, tzinfo=UTC),
    }


def test_a_due_date_may_be_given_as_a_date_but_not_before_the_vote():
    org = organization()
    vote = convention_vote(org, held_on=date(2026, 5, 16))
    adopted = mandate(org, vote=vote, days=None, due_on=date(2026, 6, 30))
    assert adopted.due_on == date(2026, 6, 30)
    assert MandateTerms.objects.get(mandate=adopted).due_within_days is None
    for wrong in ({"due_on": date(2026, 5, 15)}, {"due_on": date(2026, 6, 30), "due_within_days": 14}, {}):
        with pytest.raises(InvalidInput) as refused:
            mandates.mandate_adopt(vote=vote, title="x", text="x", responsible_body=org.steering, by=OPERATOR, **wrong)
        assert refused.value.code in ("due_before_vote", "due_required")
