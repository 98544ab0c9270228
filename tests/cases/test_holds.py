"""Invariant 8: a final decision holds the respondent's status, seats and restrictions. The status page, the member
import (page preview and command), the seat page, lifting a restriction and an eligibility override all fail to undo
it, and each attempt is flagged on the ledger and emailed to the oversight body. An override by the convention's
carried vote ends the hold; an interim measure holds its restriction until the panel lifts it."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from rankfile.cases import decisions, interim
from rankfile.cases.models import Decision, DecisionStatus, InterimKind
from rankfile.deadlines.actions import tick
from rankfile.errors import Held, Ineligible
from rankfile.ledger import schema
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org import eligibility, importing
from rankfile.org import queries as org_queries
from rankfile.org.models import Restriction, SeatBasis
from tests.cases import casebuilders as cb
from tests.cases.builders import seat
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db

REFUSED = "org.held_change_refused"


def expelled(org: cb.Org) -> None:
    """Ray sits on the steering committee; a decision expels him and bars him from office; nobody appeals."""
    seat(org["ray"], org.steering)
    decision = cb.decided(org, sanctions=("expulsion", "bar_from_office"))
    tick(now=cb.after(15))  # type: ignore[arg-type]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.FINAL


def attempts() -> list[tuple[str, str, int | None]]:
    refused = Entry.objects.filter(action=REFUSED).order_by("seq")
    return [(json.loads(e.data)["attempt"], e.actor_type, e.actor_id) for e in refused]


def oversight_told(mailoutbox: list) -> bool:
    oversight = {"olu@example.org", "oren@example.org", "oona@example.org"}
    return any("attempt to undo a final decision" in m.subject and oversight <= set(m.to) for m in mailoutbox)


@pytest.fixture
def org():
    return cb.full_organization()


def test_invariant_8_the_status_page_cannot_undo_a_final_expulsion_and_the_attempt_is_flagged(
    org, admin, mailoutbox, django_capture_on_commit_callbacks
):
    expelled(org)
    ray = org["ray"].person
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(admin).post(
            f"/org/people/{ray.pk}/status/",
            {"status": "active", "effective_from": timezone.localdate().isoformat(), "reason_code": "reinstated"},
        )
    assert response.status_code == 200
    assert "A final decision holds Ray Respondent" in response.content.decode()
    assert org_queries.status_on(person=ray, day=timezone.localdate()) == "expelled"
    assert attempts() == [("status", "accounts.user", admin.pk)]
    assert REFUSED in schema.flagged_actions()
    assert oversight_told(mailoutbox)


def test_invariant_8_any_other_status_is_refused_too_and_the_held_one_is_not(org):
    expelled(org)
    ray = org["ray"].person
    for status in ("resigned", "lapsed", "on_leave", "suspended"):
        with pytest.raises(Held):
            org_actions.membership_status_change(
                person=ray, status=status, effective_from=timezone.localdate(), reason_code="by_hand", by=cb.OPERATOR
            )
    assert [a for a, *_ in attempts()] == ["status"] * 4


def test_invariant_8_the_seat_page_cannot_seat_an_expelled_member_and_the_attempt_is_flagged(
    org, admin, mailoutbox, django_capture_on_commit_callbacks
):
    expelled(org)
    ray = org["ray"].person
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(admin).post(
            f"/org/people/{ray.pk}/seat/",
            {
                "body": org.steering.pk,
                "role": "member",
                "basis": "elected",
                "starts_on": (timezone.localdate() + timedelta(days=365 * 4)).isoformat(),
            },
        )
    page = response.content.decode()
    assert eligibility.NOT_A_MEMBER_IN_GOOD_STANDING in page
    assert "expel" not in page.lower()  # the reason code tells nothing of the case
    assert not ray.seats.filter(ends_on__isnull=True).exists()
    assert attempts() == [("seat", "accounts.user", admin.pk)]
    assert oversight_told(mailoutbox)


def test_invariant_8_the_member_import_cannot_reactivate_an_expelled_member(org, tmp_path):
    expelled(org)
    ray = org["ray"].person
    text = f"Name,Email,Status\n{ray.name},{ray.email},active\n"
    member_file = importing.member_file_parse(text=text)
    mapping = importing.mapping_detect(headers=member_file.headers)
    preview = importing.members_import(member_file=member_file, mapping=mapping, by=cb.OPERATOR, dry_run=True)
    assert not preview.committed
    assert preview.statuses["active"] == 0
    assert [p.row for p in preview.problems] == [2]
    assert "A final decision holds" in preview.problems[0].message
    assert attempts() == []  # a preview is not an attempt

    path = tmp_path / "members.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_members", str(path), stdout=StringIO(), stderr=StringIO())
    assert org_queries.status_on(person=ray, day=timezone.localdate()) == "expelled"
    assert [a for a, *_ in attempts()] == ["import"]


def test_invariant_8_the_bar_from_office_is_lifted_by_no_one_but_the_case(org):
    expelled(org)
    ray = org["ray"].person
    [bar] = Restriction.objects.filter(person=ray, kind="barred_from_office")
    with pytest.raises(Held):
        org_actions.restriction_lift(restriction=bar, lifted_on=timezone.localdate(), by=cb.OPERATOR)
    bar.refresh_from_db()
    assert bar.lifted_on is None
    with pytest.raises(Held):
        org_actions.eligibility_override_record(
            person=ray,
            body=org.steering,
            reason_code=eligibility.NOT_A_MEMBER_IN_GOOD_STANDING,
            meeting_reference="Steering committee, May",
            vote_reference="SC-2026-M1",
            by=cb.OPERATOR,
        )
    assert [a for a, *_ in attempts()] == ["restriction_lift", "eligibility_override"]


def test_invariant_8_an_override_by_the_conventions_carried_vote_ends_the_hold(org):
    expelled(org)
    ray = org["ray"].person
    decision = Decision.objects.get(case__respondent=ray, status=DecisionStatus.FINAL)
    decisions.decision_override(decision=decision, vote_reference=cb.convention_vote(org), by=org["cleo"].user)
    assert org_queries.status_on(person=ray, day=timezone.localdate()) == "active"
    assert not Restriction.objects.filter(person=ray, lifted_on__isnull=True).exists()
    # The hold is gone: the status is the members' business again, and nothing was refused on the way.
    org_actions.membership_status_change(
        person=ray, status="on_leave", effective_from=timezone.localdate(), reason_code="leave", by=cb.OPERATOR
    )
    assert attempts() == []


def test_invariant_8_an_interim_measure_holds_its_restriction_until_the_panel_lifts_it(org):
    case = cb.noticed(org)
    dana = org["dana"]
    measure = interim.interim_measure_impose(
        case=case,
        kind=InterimKind.SUSPENDED_FROM_MEMBERSHIP,
        reason_code="risk_to_others",
        reasons="A risk to others at branch meetings.",
        review_on=timezone.localdate() + timedelta(days=30),
        by=dana.user,
    )
    assert measure.restriction_id is not None
    restriction = Restriction.objects.get(pk=measure.restriction_id)
    with pytest.raises(Held):
        org_actions.restriction_lift(restriction=restriction, lifted_on=timezone.localdate(), by=cb.OPERATOR)
    with pytest.raises(Ineligible):
        org_actions.person_seat(
            person=org["ray"].person,
            body=org.steering,
            basis=SeatBasis.ELECTED,
            starts_on=timezone.localdate(),
            by=cb.OPERATOR,
        )
    assert [a for a, *_ in attempts()] == ["restriction_lift", "seat"]
    interim.interim_measure_lift(measure=measure, by=dana.user)
    restriction.refresh_from_db()
    assert restriction.lifted_on is not None
