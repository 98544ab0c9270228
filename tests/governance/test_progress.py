"""Progress on a mandate: posted by whoever sits on the responsible body today (the command line on its behalf),
never by a site administrator who does not; done needs an account of what was delivered."""

from datetime import date

import pytest
from django.utils import timezone

from rankfile.deadlines import actions as deadlines
from rankfile.deadlines.models import Deadline
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.governance import mandates, queries
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from tests.governance.builders import mandate, organization, person_for, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return organization()


def test_a_member_or_site_administrator_without_a_seat_on_the_responsible_body_cannot_post_progress(
    org, leader, member, oversight, admin, anonymous
):
    adopted = mandate(org)
    seat(person_for(leader), org.steering, role="chair")
    person_for(member)  # a member in good standing, on no body
    seat(person_for(oversight), org.oversight)
    for outsider in (member, oversight, anonymous, admin):
        with pytest.raises(NotAllowed):
            mandates.progress_post(mandate=adopted, status="in_progress", text="Started.", by=outsider)
    posted = mandates.progress_post(mandate=adopted, status="in_progress", text="Started.", percent=10, by=leader)
    assert posted.posted_by is not None
    assert (posted.posted_by.name, posted.on_behalf) == ("Lee Leader", False)
    for_them = mandates.progress_post(mandate=adopted, status="in_progress", text="Drafting.", by=OPERATOR)
    assert (for_them.posted_by, for_them.on_behalf) == (None, True)
    adopted.refresh_from_db()
    assert (adopted.status, adopted.percent) == ("in_progress", 10)


def test_a_former_member_of_the_body_can_no_longer_post(org, leader):
    adopted = mandate(org)
    lee = person_for(leader)
    placed = org_actions.person_seat(
        person=lee, body=org.steering, basis="elected", starts_on=date(2020, 1, 1), by=OPERATOR
    )
    org_actions.seat_end(seat=placed, ends_on=timezone.localdate(), reason="term_over", by=OPERATOR)
    with pytest.raises(NotAllowed):
        mandates.progress_post(mandate=adopted, status="in_progress", text="Still here?", by=leader)


def test_done_requires_an_account_of_what_was_delivered(org):
    adopted = mandate(org)
    with pytest.raises(InvalidInput) as refused:
        mandates.progress_post(mandate=adopted, status="done", text="Finished.", by=OPERATOR)
    assert refused.value.code == "delivered_required"
    assert refused.value.field_errors == {"delivered": ["Say briefly what was delivered."]}
    done = mandates.progress_post(
        mandate=adopted,
        status="done",
        delivered="The apology was published on the website and read out at every branch meeting.",
        links=["https://example.org/apology"],
        by=OPERATOR,
    )
    adopted.refresh_from_db()
    assert (adopted.status, adopted.percent, adopted.done_on, done.percent) == ("done", 100, timezone.localdate(), 100)
    [timer] = Deadline.objects.filter(kind=mandates.MANDATE_DUE.code, subject_id=adopted.pk)
    assert timer.met_at is not None
    with pytest.raises(InvalidInput) as closed:
        mandates.progress_post(mandate=adopted, status="in_progress", text="More.", by=OPERATOR)
    assert closed.value.code == "mandate_closed"


def test_an_overdue_mandate_stays_overdue_until_done(org):
    late = mandate(org, adopted_days_ago=100, days=90)
    deadlines.tick()
    mandates.progress_post(mandate=late, status="blocked", text="Waiting for the lawyers.", by=OPERATOR)
    assert [m.is_overdue for m in queries.mandates(user=OPERATOR)] == [True]
    mandates.progress_post(mandate=late, status="done", delivered="Published, late.", by=OPERATOR)
    assert [m.is_overdue for m in queries.mandates(user=OPERATOR)] == [False]
    timer = Deadline.objects.get(kind=mandates.MANDATE_DUE.code, subject_id=late.pk)
    assert (timer.missed_at is not None, timer.met_at is not None) == (True, True)  # done late: both on record


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": "blocked"}, "reason_required"),
        ({"status": "in_progress", "percent": 101}, "bad_percent"),
        ({"status": "in_progress", "links": ["javascript:alert(1)"]}, "bad_link"),
        ({"status": "in_progress", "links": ["https://example.org/"] * 11}, "too_many_links"),
        ({"status": "in_progress", "delivered": "Something."}, "not_done"),
        ({"status": "rescinded"}, "bad_status"),
    ],
)
def test_an_update_says_what_it_must(org, fields, code):
    with pytest.raises(InvalidInput) as refused:
        mandates.progress_post(mandate=mandate(org), by=OPERATOR, **fields)
    assert refused.value.code == code


def test_reached_milestones_meet_their_timers(org):
    adopted = mandate(org, milestones=[mandates.MilestoneSpec("Draft", timezone.localdate())])
    draft = adopted.milestones.get()
    [timer] = deadlines.open_deadlines_for(draft)
    mandates.progress_post(mandate=adopted, status="in_progress", milestones_reached=[draft], by=OPERATOR)
    timer.refresh_from_db()
    assert timer.met_at is not None
    with pytest.raises(InvalidInput) as again:
        mandates.progress_post(mandate=adopted, status="in_progress", milestones_reached=[draft], by=OPERATOR)
    assert again.value.code == "bad_milestone"
