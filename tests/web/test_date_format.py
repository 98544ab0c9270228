"""One date format wherever a person reads a date."""

from datetime import date, datetime

from django.template import Context, Template
from django.utils import timezone


def test_a_date_reads_the_same_with_any_named_format():
    day = date(2026, 12, 7)
    moment = timezone.make_aware(datetime(2026, 12, 7, 14, 5))
    page = Template(
        "{{ d }}|{{ d|date }}|{{ d|date:'SHORT_DATE_FORMAT' }}|{{ d|date:'DATE_FORMAT' }}|"
        "{{ m|date:'DATETIME_FORMAT' }}|{{ m|date:'SHORT_DATETIME_FORMAT' }}"
    ).render(Context({"d": day, "m": moment}))
    assert page == "7 December 2026|" * 4 + "7 December 2026, 14:05|7 December 2026, 14:05"
