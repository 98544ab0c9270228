"""The tracker's queries: what each viewer sees, filters, overdue first, and a mandate's history."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rankfile.deadlines import actions as deadlines
from rankfile.errors import NotAllowed
from rankfile.governance import mandates, queries
from rankfile.ledger.actions import OPERATOR
from tests.governance.builders import convention_vote, login, mandate, organization, person_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def org():
    return organization()


def test_public_queries_show_no_members_only_mandate(org, member, anonymous):
    private = mandate(org, visibility="members")
    public = mandate(org, visibility="public")
    ally = login("Al Ally")  # signed in, not a member
    person_for(member)
    assert list(queries.public_mandates()) == [public]
    for outsider in (anonymous, ally):
        assert list(queries.mandates(user=outsider)) == [public]
        assert queries.tracker_counts(user=outsider)["not_started"] == 1
        with pytest.raises(NotAllowed):
            queries.mandate_for(user=outsider, reference=private.reference)
        with pytest.raises(NotAllowed):
            queries.mandate_history(user=outsider, mandate=private)
    assert queries.mandate_for(user=anonymous, reference=public.reference.lower()) == public
    assert set(queries.mandates(user=member)) == {private, public}
    with pytest.raises(NotAllowed):
        queries.mandate_for(user=member, reference="CONV-1999-M1.1")


def test_the_tracker_puts_overdue_first_and_filters_by_body_status_and_due_date(org):
    later = mandate(org, days=60)
    late = mandate(org, adopted_days_ago=100, days=90)
    sooner = mandate(org, days=10, responsible=org.national)
    done = mandate(org, days=5)
    mandates.progress_post(mandate=done, status="done", delivered="Delivered.", by=OPERATOR)
    rescinded = mandate(org, days=1)
    mandates.mandate_rescind(mandate=rescinded, vote=convention_vote(org), by=OPERATOR)
    tracker = queries.mandates(user=OPERATOR)
    assert list(tracker) == [late, sooner, later, rescinded, done]
    assert [m.is_overdue for m in tracker] == [True, False, False, False, False]
    assert list(queries.mandates(user=OPERATOR, body=org.national)) == [sooner]
    assert list(queries.mandates(user=OPERATOR, status="done")) == [done]
    assert list(queries.mandates(user=OPERATOR, overdue=True)) == [late]
    assert list(queries.mandates(user=OPERATOR, due_from=TODAY, due_until=TODAY + timedelta(days=10))) == [
        sooner,
        rescinded,
        done,
    ]
    assert list(queries.mandates(user=OPERATOR, adopted_by=org.steering)) == []
    counts = queries.tracker_counts(user=OPERATOR)
    assert (counts["not_started"], counts["done"], counts["rescinded"], counts["overdue"]) == (3, 1, 1, 1)


def test_the_history_of_a_mandate_tells_what_happened_in_order(org):
    adopted = mandate(org, days=30)
    mandates.progress_post(mandate=adopted, status="in_progress", text="Started.", percent=20, by=OPERATOR)
    mandates.mandate_amend(mandate=adopted, vote=convention_vote(org), due_on=TODAY, by=OPERATOR)
    deadlines.tick()  # due tonight: the reminder (a day before) is due
    mandates.progress_post(mandate=adopted, status="done", delivered="Published.", by=OPERATOR)
    history = queries.mandate_history(user=OPERATOR, mandate=adopted)
    assert [event.kind for event in history] == ["adopted", "progress", "amended", "reminded", "done"]
    assert history[2].terms is not None
    assert history[2].terms.due_on == TODAY
    assert all(event.ledger_seq for event in history if event.kind != "reminded")
    timer = queries.timer_of(mandate=adopted)
    assert timer is not None
    assert timer.met_at is not None
