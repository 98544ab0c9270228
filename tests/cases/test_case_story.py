"""The story DESIGN.md tells, as one test: each step of it is blocked."""

import json
from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from rankfile.cases import casefiles
from rankfile.cases.actions import decisions
from rankfile.cases.models import Decision, DecisionStatus, Finding, Sanction, Stage
from rankfile.deadlines.actions import tick
from rankfile.errors import Held, Ineligible, NotAllowed
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org import eligibility
from rankfile.org import queries as org_queries
from rankfile.org.models import SeatBasis
from tests.cases import casebuilders as cb
from tests.cases.builders import seat

pytestmark = pytest.mark.django_db


def test_invariant_8_the_story_an_expulsion_takes_effect_by_itself_and_only_a_convention_vote_gets_past_it(
    mailoutbox, django_capture_on_commit_callbacks
):
    org = cb.full_organization()
    ray, lee = org["ray"], org["lee"]
    seat(ray, org.steering)  # the respondent sits on the leadership
    today = timezone.localdate()
    assert org_queries.seats_on_any_body(person=ray.person, day=today).count() == 1

    decision = cb.decided(org, sanctions=("expulsion", "bar_from_office"))
    case = decision.case
    assert case.stage == Stage.APPEAL_WINDOW

    # Nobody appeals; when the window closes, the decision is final and applied, with nobody else acting.
    tick(now=cb.after(15))  # type: ignore[arg-type]
    decision.refresh_from_db()
    case.refresh_from_db()
    assert decision.status == DecisionStatus.FINAL
    assert case.stage == Stage.FINAL
    assert org_queries.status_on(person=ray.person, day=today) == "expelled"
    assert org_queries.seats_on_any_body(person=ray.person, day=today + timedelta(days=1)).count() == 0

    # A steering-committee member cannot read the case…
    lee_key = lee.key
    letter = case.documents.get(kind="decision")
    assert not casefiles.reads(lee_key, letter)
    with pytest.raises(NotAllowed):
        casefiles.open_text(item=letter, key=lee_key, actor=lee.user, capacity="panel")
    # …nor change the decision: a "mistrial" is refused, and the attempt is on the ledger, flagged.
    with pytest.raises(NotAllowed):
        decisions.decision_set_aside(decision=decision, by=lee.user)
    mistrial = cb.steering_vote(org)
    # The steering committee's chair records for the steering committee, not for the convention: refused as
    # anyone is who does not record for the body the bylaws empower, and, he being an official, on the record.
    with pytest.raises(NotAllowed):
        decisions.decision_override(decision=decision, vote_reference=mistrial, by=org["dale"].user)
    attempts = Entry.objects.filter(action="cases.decision_change_refused")
    assert [json.loads(e.data)["attempt"] for e in attempts] == ["set_aside", "override"]
    assert {(e.actor_type, e.actor_id) for e in attempts} == {
        ("org.person", lee.person.pk),
        ("org.person", org["dale"].person.pk),
    }
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.FINAL

    # Years later, someone records him as a member again by hand: the decision holds his status, and the attempt is
    # flagged for the oversight body.
    later = today + timedelta(days=365 * 4)
    with pytest.raises(Held):
        org_actions.membership_status_change(
            person=ray.person,
            status="active",
            effective_from=later - timedelta(days=10),
            reason_code="rejoined",
            by=cb.OPERATOR,
        )
    assert Entry.objects.filter(action="org.held_change_refused").count() == 1
    # A nomination to the steering committee is refused with a reason code that says nothing more.
    verdict = eligibility.check(ray.person, org.steering, later)
    assert verdict == eligibility.Ineligible(eligibility.NOT_A_MEMBER_IN_GOOD_STANDING)
    with pytest.raises(Ineligible) as nope:
        org_actions.person_seat(
            person=ray.person, body=org.steering, basis=SeatBasis.ELECTED, starts_on=later, by=cb.OPERATOR
        )
    assert nope.value.code == eligibility.NOT_A_MEMBER_IN_GOOD_STANDING
    assert "case" not in str(nope.value).lower()
    assert "expel" not in str(nope.value).lower()

    # The only way through is a recorded convention vote, which the oversight body sees.
    mailoutbox.clear()
    vote = cb.convention_vote(org)
    with django_capture_on_commit_callbacks(execute=True):
        override = decisions.decision_override(decision=decision, vote_reference=vote, by=org["cleo"].user)
    assert override.vote_reference == vote
    flagged = Entry.objects.get(action="cases.decision_overridden")
    assert json.loads(flagged.data)["decision"] == decision.pk
    assert eligibility.check(ray.person, org.steering, later) == eligibility.Eligible()
    oversight = {org[n].user.email for n in ("olu", "oren", "oona")}
    alerted = [m for m in mailoutbox if "overridden" in m.subject]
    assert all(len(m.to) == 1 for m in alerted)  # one message each: nobody learns who else was told
    assert oversight <= {m.to[0] for m in alerted}


def test_invariant_8_the_database_refuses_to_change_a_final_decision_or_any_finding_or_sanction():
    org = cb.full_organization()
    decision = cb.decided(org, sanctions=("suspension",))
    finding = decision.findings.first()
    assert finding is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        Finding.objects.filter(pk=finding.pk).update(outcome="not_responsible")
    with pytest.raises(DatabaseError), transaction.atomic():
        Sanction.objects.filter(decision=decision).delete()
    decisions.appeal_waive(case=decision.case, key=org["ray"].key, by=org["ray"].user)
    decisions.appeal_waive(case=decision.case, key=org["rae"].key, by=org["rae"].user)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.FINAL
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(status=DecisionStatus.REPLACED)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.FINAL
    assert Sanction.objects.filter(decision=decision).count() == 1
