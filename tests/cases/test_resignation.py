"""Resigning does not end a case: the resignation is marked as made while a case was open, the case goes on as it
was, and a rejoin is flagged for the oversight body and told to the disciplinary body, without case detail."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from rankfile.cases.actions import process
from rankfile.cases.models import Case, Stage
from rankfile.deadlines.actions import tick
from rankfile.ledger import schema
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.ledger.policy import hidden_from
from rankfile.org import actions as org_actions
from rankfile.org import hooks
from rankfile.org import queries as org_queries
from rankfile.org.models import Person
from tests.cases import casebuilders as cb

pytestmark = pytest.mark.django_db


def _status(person: Person, status: str, *, days: int = 0, reason: str = "own_request"):
    return org_actions.membership_status_change(
        person=person,
        status=status,
        effective_from=timezone.localdate() + timedelta(days=days),
        reason_code=reason,
        by=OPERATOR,
    )


def _snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    return (
        case.stage,
        case.track,
        case.closed_at,
        case.steps.count(),
        case.documents.count(),
        case.parties.count(),
        case.panel.count(),
    )


def test_a_respondent_who_resigns_keeps_his_case_going():
    org = cb.full_organization()
    ray = org["ray"]
    case = cb.noticed(org)
    before = _snapshot(case)
    change = _status(ray.person, "resigned")
    assert change.case_open is True
    assert org_queries.resigned_while_a_case_was_open(person=ray.person)
    entry = Entry.objects.filter(action="org.membership_status_changed").order_by("-seq")[0]
    assert json.loads(entry.data)["case_open"] is True
    assert "C-" not in entry.data
    assert _snapshot(case) == before  # nothing in the case changed
    # The case goes on: the respondent still responds, and the panel still investigates.
    process.response_file(case=case, text="I deny both.", key=ray.key, by=ray.user)
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION


def test_a_resignation_without_an_open_case_is_not_marked():
    org = cb.full_organization()
    assert _status(org["lee"].person, "resigned").case_open is False
    decision = cb.decided(org, sanctions=("warning",))
    tick(now=cb.after(15))  # type: ignore[arg-type]
    decision.case.refresh_from_db()
    assert decision.case.stage == Stage.FINAL
    assert _status(org["ray"].person, "resigned").case_open is False
    assert not hooks.in_an_open_case(org["rae"].person)  # a reporter is not "in a case" as its subject


def test_a_respondent_who_resigned_during_a_case_is_flagged_when_he_rejoins(
    mailoutbox, django_capture_on_commit_callbacks
):
    org = cb.full_organization()
    ray = org["ray"]
    case = cb.noticed(org)
    _status(ray.person, "resigned")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _status(ray.person, "active", days=30, reason="rejoined")
    flagged = Entry.objects.get(action="org.rejoined_after_open_case")
    assert flagged.action in schema.flagged_actions()
    assert json.loads(flagged.data) == {
        "person": ray.person.pk,
        "from": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    told = [m for m in mailoutbox if "rejoined" in m.subject]
    disciplinary = {org[n].user.email for n in ("dana", "dev", "dora", "dale")}
    assert {a for m in told for a in m.to} == disciplinary
    for message in told:
        assert "Ray Respondent" in message.body
        assert case.reference not in message.body
        assert "Code of conduct" not in message.body
        assert "touching" not in message.body.lower()
    assert _status(ray.person, "on_leave", days=40).case_open is False
    _status(ray.person, "active", days=50)  # back from leave: not a rejoin
    assert Entry.objects.filter(action="org.rejoined_after_open_case").count() == 1


def test_a_member_who_resigned_with_no_case_open_rejoins_unflagged(mailoutbox, django_capture_on_commit_callbacks):
    org = cb.full_organization()
    lee = org["lee"]
    _status(lee.person, "resigned")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _status(lee.person, "active", days=10, reason="rejoined")
    assert not Entry.objects.filter(action="org.rejoined_after_open_case").exists()
    assert not [m for m in mailoutbox if "rejoined" in m.subject]


def test_the_flagged_rejoin_is_kept_from_site_administrators_who_are_not_on_the_oversight_body():
    org = cb.full_organization()
    cb.noticed(org)
    _status(org["ray"].person, "resigned")
    _status(org["ray"].person, "active", days=5, reason="rejoined")
    hidden = hidden_from(org["lee"].user)
    assert hidden is not None
    assert Entry.objects.filter(hidden, action="org.rejoined_after_open_case").exists()
    assert hidden_from(org["olu"].user) is None
