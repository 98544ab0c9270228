"""Timers on mandates (invariant 10): a reminder to the responsible body before; when overdue, one alert to the
oversight body and one to the members of the body's parent, however often the timers run."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from rankfile.deadlines import actions as deadlines
from rankfile.governance import mandates, queries
from rankfile.governance.mandates import MilestoneSpec
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from tests.governance.builders import mandate, organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return organization()


def test_invariant_10_every_mandate_and_dated_milestone_has_a_timer(org):
    today = timezone.localdate()
    adopted = mandate(
        org, milestones=[MilestoneSpec("Draft", today + timedelta(days=30)), MilestoneSpec("Consult the branches")]
    )
    [timer] = deadlines.open_deadlines_for(adopted)
    assert (timer.kind, timer.body, timer.due_at) == (
        "governance.mandate_due",
        org.steering,
        mandates.due_at(today + timedelta(days=90)),
    )
    assert timer.remind_at == timer.due_at - timedelta(days=7)
    draft, consult = adopted.milestones.order_by("position")
    [milestone_timer] = deadlines.open_deadlines_for(draft)
    assert milestone_timer.kind == "governance.milestone_due"
    assert deadlines.open_deadlines_for(consult) == []  # no date, no deadline


def test_invariant_10_an_overdue_mandate_escalates_once_however_often_the_timers_run(org):
    late = mandate(org, adopted_days_ago=100, days=90)
    first, second = deadlines.tick(), deadlines.tick()
    [timer] = deadlines.open_deadlines_for(late)
    assert (first.missed, second.missed) == ([timer.pk], [])
    assert Entry.objects.filter(action="deadlines.missed").count() == 1
    oversight_alert, parent_alert = sorted(mail.outbox, key=lambda m: m.to[0] != "watcher1@example.org")
    assert sorted(oversight_alert.to) == ["watcher1@example.org", "watcher2@example.org"]
    assert oversight_alert.subject.endswith('A deadline was missed: carrying out a mandate, "Publish an apology"')
    assert 'carrying out a mandate, "Publish an apology" (due ' in oversight_alert.body
    assert sorted(parent_alert.to) == ["nat1@example.org", "nat2@example.org", "nat3@example.org"]
    assert parent_alert.subject.endswith(f"Mandate {late.reference} is overdue")
    assert "Steering Committee" in parent_alert.body
    assert len(mail.outbox) == 2
    deadlines.tick(now=timezone.now() + timedelta(days=30))
    assert len(mail.outbox) == 2


def test_an_overdue_mandate_is_marked_overdue_everywhere(org):
    late = mandate(org, adopted_days_ago=100, days=90, visibility="public")
    mandate(org, days=30, visibility="public")
    assert late.is_overdue
    assert [m.is_overdue for m in queries.mandates(user=OPERATOR)] == [True, False]
    assert [vars(m)["overdue"] for m in queries.mandates(user=OPERATOR)] == [True, False]  # the sorting annotation
    assert [m.is_overdue for m in queries.public_mandates()] == [True, False]
    assert queries.mandate_for(user=OPERATOR, reference=late.reference).is_overdue
    assert queries.tracker_counts(user=OPERATOR)["overdue"] == 1
    deadlines.tick()
    kinds = [event.kind for event in queries.mandate_history(user=OPERATOR, mandate=late)]
    assert kinds == ["adopted", "overdue"]


def test_the_responsible_body_is_reminded_once_before_the_due_date(org):
    soon = mandate(org, days=5)
    [timer] = deadlines.open_deadlines_for(soon)
    assert timer.remind_at == timer.due_at - timedelta(days=1)  # a short mandate: a day before
    before = timer.due_at - timedelta(hours=12)
    assert deadlines.tick(now=before).reminded == [timer.pk]
    assert deadlines.tick(now=before).reminded == []
    [reminder] = mail.outbox
    assert sorted(reminder.to) == ["steward1@example.org", "steward2@example.org", "steward3@example.org"]
    assert soon.reference in reminder.subject
    assert f"/mandates/{soon.reference}/" in reminder.body


def test_a_body_without_a_parent_leaves_the_alert_to_the_oversight_body(org):
    mandate(org, adopted_days_ago=100, days=90, responsible=org.national)
    deadlines.tick()
    [alert] = mail.outbox
    assert sorted(alert.to) == ["watcher1@example.org", "watcher2@example.org"]


def test_a_done_mandate_is_never_escalated(org):
    adopted = mandate(org, days=10)
    mandates.progress_post(mandate=adopted, status="done", delivered="Done early.", by=OPERATOR)
    assert deadlines.tick(now=timezone.now() + timedelta(days=20)).missed == []
    assert mail.outbox == []


def test_the_oversight_alert_names_the_milestone_and_its_mandate(org):
    today = timezone.localdate()
    adopted = mandate(org, days=90, milestones=[MilestoneSpec("Draft the text", today + timedelta(days=10))])
    deadlines.tick(now=timezone.now() + timedelta(days=12))
    [alert] = [m for m in mail.outbox if "deadline was missed" in m.subject]
    assert alert.subject.endswith(f'reaching a milestone of a mandate, "Draft the text, of {adopted.title}"')
