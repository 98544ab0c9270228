"""Interim measures: the seated panel suspends the respondent from membership or from leadership seats while the case
is open; the eligibility check refuses them with a code that says nothing more; reviewed on a timer; lifted by the
panel or by the final decision."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from rankfile.cases import casefiles, stages
from rankfile.cases.actions import interim
from rankfile.cases.models import Case, DecisionStatus, InterimKind, InterimMeasure, Stage
from rankfile.deadlines.actions import tick
from rankfile.deadlines.models import Deadline
from rankfile.errors import Ineligible, InvalidInput, NotAllowed
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org import eligibility
from rankfile.org import queries as org_queries
from rankfile.org.models import Restriction, SeatBasis, SeatEndReason
from tests.cases import casebuilders as cb
from tests.cases.builders import seat
from tests.cases.helpers import signed_in
from tests.org.builders import body

pytestmark = pytest.mark.django_db

REASONS = "Ray was seen waiting outside Rae's home after the branch meeting."


def _suspend(org: cb.Org, case: Case, kind: str = InterimKind.SUSPENDED_FROM_LEADERSHIP, days: int = 30):
    return interim.interim_measure_impose(
        case=case,
        kind=kind,
        reason_code="risk_to_reporter",
        reasons=REASONS,
        review_on=timezone.localdate() + timedelta(days=days),
        by=org["dana"].user,
    )


def _review_timers(measure: InterimMeasure, **state: object) -> list[Deadline]:
    return list(Deadline.objects.filter(kind="cases.interim_review", subject_id=measure.pk, **state))


def test_invariant_9_a_respondent_suspended_from_leadership_loses_his_seats_and_is_refused_pending_case():
    org = cb.full_organization()
    ray = org["ray"]
    seat(ray, org.steering)
    caucus = body("womens-caucus", kind="caucus")
    seat(ray, caucus)
    case = cb.seated(org)
    today = timezone.localdate()
    measure = _suspend(org, case)
    restriction = Restriction.objects.get(pk=measure.restriction_id)
    assert (restriction.kind, restriction.source) == ("suspended_from_leadership", "interim_measure")
    assert restriction.source_reference == f"{case.reference}/M{measure.pk}"
    tomorrow = today + timedelta(days=1)
    held = {s.body.slug for s in org_queries.seats_on_any_body(person=ray.person, day=tomorrow)}
    assert held == {"womens-caucus"}  # a caucus is not an office
    ended = ray.person.seats.get(body=org.steering)
    assert ended.end_reason == SeatEndReason.SUSPENDED_PENDING_INVESTIGATION
    # Still a member in good standing, but refused any office with a code that reveals nothing else.
    assert org_queries.status_on(person=ray.person, day=today) == "active"
    verdict = eligibility.check(ray.person, org.steering, tomorrow)
    assert verdict == eligibility.Ineligible(eligibility.RESTRICTED_PENDING_CASE)
    with pytest.raises(Ineligible) as refused:
        org_actions.person_seat(
            person=ray.person, body=org.steering, basis=SeatBasis.ELECTED, starts_on=tomorrow, by=OPERATOR
        )
    assert refused.value.code == "RESTRICTED_PENDING_CASE"
    for secret in ("case", "risk", "reporter", "home", case.reference.lower()):
        assert secret not in str(refused.value).lower()
    assert eligibility.check(ray.person, caucus, tomorrow) == eligibility.Eligible()


def test_invariant_9_a_respondent_suspended_from_membership_is_not_a_member_in_good_standing():
    org = cb.full_organization()
    ray = org["ray"]
    caucus = body("womens-caucus", kind="caucus")
    case = cb.seated(org)
    measure = _suspend(org, case, kind=InterimKind.SUSPENDED_FROM_MEMBERSHIP)
    assert Restriction.objects.get(pk=measure.restriction_id).kind == "not_in_good_standing"
    today = timezone.localdate()
    assert org_queries.status_on(person=ray.person, day=today) == "active"  # the history is not rewritten
    for anywhere in (org.steering, caucus):
        assert eligibility.check(ray.person, anywhere, today) == eligibility.Ineligible(
            eligibility.NOT_A_MEMBER_IN_GOOD_STANDING
        )


def test_invariant_3_the_reasons_are_sealed_for_the_panel_and_the_respondent_and_the_ledger_holds_codes():
    org = cb.full_organization()
    case = cb.seated(org)
    measure = _suspend(org, case)
    item = case.documents.get(kind="measure")
    assert item.document_id == measure.reasons_id
    text = casefiles.open_text(item=item, key=org["ray"].key, actor=org["ray"].user, capacity="respondent")
    assert text == REASONS
    assert casefiles.reads(org["dev"].key, item)
    assert not casefiles.reads(org["rae"].key, item)
    assert not casefiles.reads(org["lee"].key, item)
    entry = json.loads(Entry.objects.get(action="cases.interim_imposed").data)
    assert entry == {
        "case": case.pk,
        "measure": measure.pk,
        "person": org["ray"].person.pk,
        "kind": "suspended_from_leadership",
        "reason": "risk_to_reporter",
        "review": measure.review_on.isoformat(),
        "seats_ended": 0,
        "vote": None,
        "sealed": entry["sealed"],
    }
    assert all("waiting outside" not in e.data for e in Entry.objects.all())


def test_a_measure_is_refused_with_a_clear_message_and_nothing_changes():
    org = cb.full_organization()
    case = cb.seated(org)
    today = timezone.localdate()
    ledger_before = Entry.objects.count()
    for outsider in ("lee", "olu", "rae", "ray"):
        with pytest.raises(NotAllowed):
            interim.interim_measure_impose(
                case=case,
                kind=InterimKind.SUSPENDED_FROM_LEADERSHIP,
                reason_code="risk_to_reporter",
                reasons=REASONS,
                review_on=today + timedelta(days=30),
                by=org[outsider].user,
            )
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"reason_code": "because"}, "reason", "reason_code"),
        ({"review_on": today}, "review_on", "review_on"),
        ({"review_on": today + timedelta(days=365)}, "review_on", "review_on"),
        ({"kind": "banished"}, "kind", "kind"),
        ({"reasons": "  "}, "empty", "reasons"),
    ]
    for changes, code, field in cases:
        arguments: dict[str, Any] = {
            "case": case,
            "kind": InterimKind.SUSPENDED_FROM_LEADERSHIP,
            "reason_code": "risk_to_reporter",
            "reasons": REASONS,
            "review_on": today + timedelta(days=30),
            "by": org["dana"].user,
            **changes,
        }
        with pytest.raises(InvalidInput) as refused:
            interim.interim_measure_impose(**arguments)
        assert refused.value.code == code
        assert field in refused.value.field_errors
    assert Entry.objects.count() == ledger_before
    assert not InterimMeasure.objects.exists()
    assert not Restriction.objects.filter(person=org["ray"].person).exists()
    _suspend(org, case)
    with pytest.raises(InvalidInput) as twice:
        _suspend(org, case)
    assert twice.value.code == "already_in_force"
    assert case.interim_measures.count() == 1


def test_once_the_decision_is_issued_no_interim_measure_is_imposed_its_sanctions_or_appeal_take_over():
    org = cb.full_organization()
    case = cb.decided(org, sanctions=("warning",)).case
    assert case.stage == Stage.APPEAL_WINDOW
    assert not stages.is_open(case, "interim")
    ledger_before = Entry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        _suspend(org, case)
    assert refused.value.code == "wrong_stage"
    assert Entry.objects.count() == ledger_before
    assert not InterimMeasure.objects.exists()
    assert not Restriction.objects.filter(person=org["ray"].person).exists()
    # Before the decision, from the notice to the decision stage, the seated panel may impose one.
    assert {Stage.NOTICE, Stage.RESPONSE, Stage.DECISION} <= set(stages.step_named("interim").stages)
    assert not {Stage.PANEL, Stage.APPEAL_WINDOW, Stage.APPEAL, Stage.FINAL} & set(stages.step_named("interim").stages)


def test_invariant_10_the_review_date_has_a_timer_that_escalates_once_and_the_review_continues_it(mailoutbox):
    org = cb.full_organization()
    case = cb.seated(org)
    measure = _suspend(org, case, days=10)
    assert len(_review_timers(measure, met_at__isnull=True, cancelled_at__isnull=True)) == 1
    mailoutbox.clear()
    tick(now=cb.after(11))  # type: ignore[arg-type]
    tick(now=cb.after(12))  # type: ignore[arg-type]
    assert len(_review_timers(measure, missed_at__isnull=False)) == 1
    alerted = {a for m in mailoutbox for a in m.to}
    assert org["olu"].user.email in alerted
    assert not alerted & {org["rae"].user.email, org["ray"].user.email}
    # The panel reviews it late: it continues to a new date, with a new timer; the old one is met.
    new_date = timezone.localdate() + timedelta(days=40)
    with pytest.raises(InvalidInput) as too_far:
        interim.interim_measure_review(
            measure=measure, review_on=timezone.localdate() + timedelta(days=120), by=org["dana"].user
        )
    assert too_far.value.code == "review_on"
    interim.interim_measure_review(measure=measure, review_on=new_date, by=org["dev"].user)
    measure.refresh_from_db()
    assert measure.review_on == new_date
    assert measure.lifted_at is None
    assert len(_review_timers(measure, met_at__isnull=False)) == 1
    assert len(_review_timers(measure, met_at__isnull=True, cancelled_at__isnull=True)) == 1
    assert json.loads(Entry.objects.get(action="cases.interim_reviewed").data) == {
        "case": case.pk,
        "measure": measure.pk,
        "review": new_date.isoformat(),
    }
    with pytest.raises(NotAllowed):
        interim.interim_measure_review(measure=measure, review_on=new_date, by=org["lee"].user)


def test_the_panel_lifts_a_measure_and_the_person_may_be_seated_again_through_the_check():
    org = cb.full_organization()
    ray = org["ray"]
    case = cb.seated(org)
    measure = _suspend(org, case)
    interim.interim_measure_lift(measure=measure, by=org["dana"].user)
    measure.refresh_from_db()
    assert measure.lifted_at is not None
    assert Restriction.objects.get(pk=measure.restriction_id).lifted_on == timezone.localdate()
    assert not _review_timers(measure, met_at__isnull=True, cancelled_at__isnull=True)
    assert eligibility.check(ray.person, org.steering, timezone.localdate()) == eligibility.Eligible()
    with pytest.raises(InvalidInput) as again:
        interim.interim_measure_lift(measure=measure, by=org["dana"].user)
    assert again.value.code == "lifted"
    assert Entry.objects.filter(action="cases.interim_lifted").count() == 1


def test_invariant_8_the_final_decision_lifts_the_interim_measures_and_their_timers():
    org = cb.full_organization()
    ray = org["ray"]
    case = cb.seated(org)
    measure = _suspend(org, case, kind=InterimKind.SUSPENDED_FROM_MEMBERSHIP, days=60)
    decision = cb.decided(
        org,
        sanctions=("warning",),
        case=cb.for_decision(org, cb.reviewed(org, cb.investigating(org, cb.noticed(org, case)))),
    )
    tick(now=cb.after(11 + 15))  # type: ignore[arg-type]
    decision.refresh_from_db()
    measure.refresh_from_db()
    assert decision.status == DecisionStatus.FINAL
    assert measure.lifted_at is not None
    assert Restriction.objects.get(pk=measure.restriction_id).lifted_on is not None
    assert not _review_timers(measure, met_at__isnull=True, cancelled_at__isnull=True)
    assert json.loads(Entry.objects.get(action="cases.decision_final").data)["measures_lifted"] == 1
    later = timezone.localdate() + timedelta(days=1)
    assert eligibility.check(ray.person, org.steering, later) == eligibility.Eligible()


def _mail_to(mailoutbox: list, who: cb.Member) -> list[str]:
    return [m.subject for m in mailoutbox if who.user.email in m.to]


def test_a_measure_before_the_notice_takes_effect_and_the_respondent_is_told_of_it_only_with_the_notice(
    mailoutbox, django_capture_on_commit_callbacks
):
    org = cb.full_organization()
    ray, rae = org["ray"], org["rae"]
    seat(ray, org.steering)
    case = cb.seated(org)  # the notice is not given yet
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _suspend(org, case)
    # The measure holds at once: his office ended, the eligibility check refuses him with its code alone.
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert eligibility.check(ray.person, org.steering, tomorrow) == eligibility.Ineligible(
        eligibility.RESTRICTED_PENDING_CASE
    )
    # The reporter is told; nothing tells the respondent, by email or on his pages, that there is a case.
    measure_subject = f"[{settings.ORG_NAME}] An interim measure in case {case.reference}"
    assert _mail_to(mailoutbox, rae) == [measure_subject]
    assert _mail_to(mailoutbox, ray) == []
    ray_client = signed_in(ray.user, ray.key)
    assert ray_client.get(f"/cases/mine/{case.reference}/").status_code == 404
    assert case.reference not in ray_client.get("/cases/mine/").content.decode()

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cb.give_notice(org, case)
    assert _mail_to(mailoutbox, ray) == [f"[{settings.ORG_NAME}] Notice in case {case.reference}", measure_subject]
    assert f"[{settings.ORG_NAME}] Notice in case {case.reference}" in _mail_to(mailoutbox, rae)
    assert measure_subject not in _mail_to(mailoutbox, rae)  # told once, when it was imposed
    page = ray_client.get(f"/cases/mine/{case.reference}/").content.decode()
    assert "suspended from leadership" in page.lower()


def test_a_measure_lifted_before_the_notice_is_never_told_to_the_respondent(
    mailoutbox, django_capture_on_commit_callbacks
):
    org = cb.full_organization()
    case = cb.seated(org)
    with django_capture_on_commit_callbacks(execute=True):
        measure = _suspend(org, case)
        interim.interim_measure_lift(measure=measure, by=org["dana"].user)
        cb.give_notice(org, case)
    assert _mail_to(mailoutbox, org["ray"]) == [f"[{settings.ORG_NAME}] Notice in case {case.reference}"]


def test_after_the_notice_a_measure_is_told_to_both_parties_at_once(mailoutbox, django_capture_on_commit_callbacks):
    org = cb.full_organization()
    case = cb.noticed(org)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _suspend(org, case)
    subject = f"[{settings.ORG_NAME}] An interim measure in case {case.reference}"
    assert _mail_to(mailoutbox, org["ray"]) == [subject]
    assert _mail_to(mailoutbox, org["rae"]) == [subject]
