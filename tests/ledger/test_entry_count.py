"""The whole ledger is counted from its last entry (it has no gaps), never by reading every row; a filtered list of
entries is counted as usual."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rankfile.ledger.models import Entry
from tests.ledger.helpers import TEST_ACTION, append

pytestmark = pytest.mark.django_db


def test_the_whole_ledger_counts_as_its_last_seq_without_counting_the_rows():
    append(7)
    with CaptureQueriesContext(connection) as captured:
        assert Entry.objects.order_by("-seq").count() == 7
    assert len(captured.captured_queries) == 1
    assert "COUNT(" not in captured.captured_queries[0]["sql"].upper()


def test_an_empty_ledger_counts_none():
    assert Entry.objects.count() == 0


def test_a_filtered_list_of_entries_is_counted_row_by_row():
    append(3)
    assert Entry.objects.filter(action=TEST_ACTION).count() == 3
    assert Entry.objects.filter(seq__gt=1).count() == 2
    assert Entry.objects.exclude(action=TEST_ACTION).count() == 0
    assert Entry.objects.all()[:2].count() == 2
