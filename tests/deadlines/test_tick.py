"""The deadline engine (invariant 10): a reminder before, one escalation after, safe to run twice."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from rankfile.deadlines import actions, kinds
from rankfile.deadlines.models import Deadline
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org.models import SeatBasis, SeatRole
from tests.org.builders import body, enrolled

pytestmark = pytest.mark.django_db

calls: list[tuple[str, int]] = []
TEST_KIND = kinds.register(
    kinds.Kind(
        code="test.step",
        label="taking the test step",
        on_reminder=lambda d: calls.append(("reminder", d.pk)),
        on_missed=lambda d: calls.append(("missed", d.pk)),
    )
)


@pytest.fixture(autouse=True)
def _no_calls():
    calls.clear()


@pytest.fixture
def watchers():
    """Two people on the oversight body, with email addresses; one on another body."""
    oversight = body("oversight-commission", kind="oversight")
    steering = body("steering", kind="leadership")
    people = []
    for name, where in [("Olu Watcher", oversight), ("Oren Watcher", oversight), ("Lea Leader", steering)]:
        person = enrolled(name, email=f"{name.split()[0].lower()}@example.org")
        org_actions.person_seat(
            person=person,
            body=where,
            basis=SeatBasis.ELECTED,
            role=SeatRole.MEMBER,
            starts_on=date(2020, 1, 1),
            by=OPERATOR,
        )
        people.append(person)
    return people


def deadline(*, due_in: timedelta, remind_before: timedelta | None = None) -> Deadline:
    subject = body(f"subject-{Deadline.objects.count()}", kind="committee")
    return actions.deadline_set(
        kind=TEST_KIND.code, subject=subject, due_at=timezone.now() + due_in, remind_before=remind_before, by=OPERATOR
    )


def test_invariant_10_a_missed_deadline_escalates_exactly_once(watchers):
    missed = deadline(due_in=timedelta(hours=-1))
    first = actions.tick()
    second = actions.tick()
    assert (first.missed, second.missed) == ([missed.pk], [])
    assert Entry.objects.filter(action=actions.DEADLINE_MISSED).count() == 1
    assert calls == [("missed", missed.pk)]
    [alert] = mail.outbox
    assert sorted(alert.to) == ["olu@example.org", "oren@example.org"]
    assert "taking the test step" in alert.subject
    assert f"deadline {missed.pk}" not in alert.body  # no number a person cannot use: the list of what is overdue
    assert "/overdue/" in alert.body


def test_the_miss_is_flagged_on_the_ledger_with_how_many_were_alerted(watchers):
    missed = deadline(due_in=timedelta(minutes=-5))
    actions.tick()
    entry = Entry.objects.get(action=actions.DEADLINE_MISSED)
    assert entry.data == f'{{"alerted":2,"deadline":{missed.pk},"kind":"test.step"}}'


def test_a_reminder_comes_once_before_the_deadline_and_not_after_it():
    soon = deadline(due_in=timedelta(hours=5), remind_before=timedelta(days=1))
    later = deadline(due_in=timedelta(days=5), remind_before=timedelta(days=1))
    assert actions.tick().reminded == [soon.pk]
    assert actions.tick().reminded == []
    assert calls == [("reminder", soon.pk)]
    assert later.pk not in actions.tick(now=timezone.now() + timedelta(days=6)).reminded  # passed: escalated only


def test_met_and_cancelled_deadlines_never_escalate(watchers):
    met = deadline(due_in=timedelta(hours=1))
    cancelled = deadline(due_in=timedelta(hours=1))
    assert actions.deadline_met(deadline=met, by=OPERATOR)
    assert actions.deadline_cancel(deadline=cancelled, by=OPERATOR)
    assert not actions.deadline_met(deadline=cancelled, by=OPERATOR)
    assert actions.tick(now=timezone.now() + timedelta(days=2)).missed == []
    assert mail.outbox == []


def test_a_tick_that_lost_the_race_does_nothing(watchers):
    """Two runs at once: the one whose conditional update did not change the row acts on nothing."""
    missed = deadline(due_in=timedelta(hours=-1))
    stale = Deadline.objects.get(pk=missed.pk)
    assert actions.tick().missed == [missed.pk]
    assert actions._escalate(stale, now=timezone.now()) is False
    assert len(mail.outbox) == 1


def test_a_failure_rolls_the_claim_back_and_the_next_run_retries(watchers, monkeypatch):
    missed = deadline(due_in=timedelta(hours=-1))

    def mail_server_down(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(actions, "send_mail", mail_server_down)
    report = actions.tick()
    assert (report.missed, report.failed) == ([], [missed.pk])
    assert Deadline.objects.get(pk=missed.pk).missed_at is None
    assert not Entry.objects.filter(action=actions.DEADLINE_MISSED).exists()
    monkeypatch.undo()
    assert actions.tick().missed == [missed.pk]


def test_people_a_kind_excludes_are_left_out_of_the_alert(watchers):
    olu = watchers[0]
    kinds.register(kinds.Kind(code="test.private", label="a private step", excluded_from_alert=lambda d: {olu.pk}))
    subject = body("private-subject", kind="committee")
    actions.deadline_set(kind="test.private", subject=subject, due_at=timezone.now() - timedelta(1), by=OPERATOR)
    actions.tick()
    assert mail.outbox[0].to == ["oren@example.org"]


def test_a_deadline_needs_a_time_zone():
    subject = body("naive", kind="committee")
    with pytest.raises(Exception, match="time zone"):
        actions.deadline_set(kind="test.step", subject=subject, due_at=timezone.now().replace(tzinfo=None), by=OPERATOR)


def test_the_tick_command_says_what_it_did(watchers):
    deadline(due_in=timedelta(hours=-2))
    out = StringIO()
    call_command("tick", stdout=out)
    assert out.getvalue().strip() == "0 reminder(s) sent, 1 missed deadline(s) escalated."


def test_a_deadline_of_a_kind_nobody_registered_is_refused_not_given_a_silent_default():
    subject = body("unregistered", kind="committee")
    with pytest.raises(kinds.UnknownKind):
        actions.deadline_set(kind="cases.no_such_step", subject=subject, due_at=timezone.now(), by=OPERATOR)
    assert not Deadline.objects.filter(kind="cases.no_such_step").exists()
    with pytest.raises(kinds.UnknownKind):
        kinds.kind_of("cases.no_such_step")


def test_a_kind_that_describes_its_subject_names_it_in_the_oversight_alert(watchers):
    kinds.register(kinds.Kind(code="test.described", label="doing a thing", describe=lambda d: "Books & accounts"))
    subject = body("described-subject", kind="committee")
    actions.deadline_set(kind="test.described", subject=subject, due_at=timezone.now() - timedelta(1), by=OPERATOR)
    actions.tick()
    [alert] = mail.outbox
    assert alert.subject.endswith('A deadline was missed: doing a thing, "Books & accounts"')
    assert 'doing a thing, "Books & accounts" (due ' in alert.body  # as written, not HTML-escaped
    assert "nothing about the matter itself" not in alert.body


def test_a_kind_without_a_description_says_nothing_of_the_matter(watchers):
    assert TEST_KIND.describe is None
    deadline(due_in=timedelta(hours=-1))
    actions.tick()
    [alert] = mail.outbox
    assert alert.subject.endswith("A deadline was missed: taking the test step")
    assert "nothing about the matter itself is in this message" in alert.body


def test_no_kind_of_a_case_deadline_describes_its_subject():
    # Case alerts must stay content-free: whatever module registers the cases' kinds, none may name the case.
    registered = kinds._kinds.values()
    of_cases = [kind for kind in registered if kind.code.startswith("cases.")]
    assert of_cases, "the cases' deadline kinds are registered when the app is ready"
    assert [kind.code for kind in of_cases if kind.describe is not None] == []
