"""The demo organization's last convention: its delegates, votes and mandates, a mix of done, in progress and
overdue, all on the ledger."""

import pytest
from django.db import transaction
from django.utils import timezone

from rankfile.deadlines import actions as deadlines
from rankfile.governance import demo as governance_demo
from rankfile.governance import queries
from rankfile.governance.models import Mandate, Meeting
from rankfile.ledger.actions import OPERATOR
from rankfile.org import demo
from rankfile.org.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Loaded once for the module: each test runs in a transaction of its own inside this one, rolled back after the
    last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo.load(members=120)
        governance_demo.load()  # as `rankfile demo` does, after the organization
        yield
        transaction.set_rollback(True)


def test_the_last_convention_adopted_mandates_in_every_state(loaded):
    convention = Meeting.objects.get(bodies__slug="convention")
    assert convention.reference == f"CONV-{convention.held_on.year}"
    assert convention.is_locked  # the national committee approved its minutes
    standing = queries.quorum_of(meeting=convention)
    assert standing.quorate
    assert standing.bodies[0].seated == 41
    votes = [(m.reference.rsplit("-", 1)[1], m.status) for m in queries.motions_of(meeting=convention)]
    assert votes[-2:] == [("M8", "failed"), ("M9", "withdrawn")]
    tracker = list(queries.mandates(user=OPERATOR))
    assert len(tracker) == 7
    states = {(m.title, m.status, m.is_overdue) for m in tracker}
    assert ("Publish an apology", "blocked", True) in states
    assert ("Publish the convention's perspectives", "in_progress", True) in states
    assert ("Appoint an elections committee", "done", False) in states
    assert ("Form an independent commission on sexual misconduct", "done", False) in states
    assert ("Prepare a special convention", "not_started", False) in states
    assert [m.is_overdue for m in tracker][:2] == [True, True]  # overdue first
    assert {m.visibility for m in queries.public_mandates()} == {"public"}
    assert queries.public_mandates().count() == 4


def test_the_demo_tracker_escalates_what_is_overdue_once(loaded):
    first, second = deadlines.tick(), deadlines.tick()
    overdue = Mandate.objects.filter(
        status__in=["not_started", "in_progress", "blocked"], due_on__lt=timezone.localdate()
    )
    assert len(first.missed) == overdue.count() == 2
    assert second.missed == []


def test_mo_member_follows_and_holds_no_office(loaded):
    mo = Person.objects.get(name="Mo Member")
    assert [m.title for m in queries.followed_by(user=mo.user)] == [
        "Publish the convention's perspectives",
        "Publish an apology",
    ]
    today = timezone.localdate()
    assert [s.body.slug for s in mo.seats.filter(ends_on__isnull=True)] == ["branch-eastgate"]
    assert not mo.seats.filter(starts_on__lte=today, ends_on__gt=today).exclude(body__kind="branch").exists()
