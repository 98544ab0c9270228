"""Invariant 8: a final decision holds the respondent's status, seats and restrictions. The status page, the member
import (page preview and command), the seat page, lifting a restriction and an eligibility override all fail to undo
it, and each attempt is flagged on the ledger and emailed to the oversight body. An override by the convention's
carried vote ends the hold; an interim measure holds its restriction until the panel lifts it."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from rankfile.cases.actions import decisions, interim, readmission
from rankfile.cases.models import Decision, DecisionStatus, InterimKind
from rankfile.deadlines.actions import tick
from rankfile.errors import Held, Ineligible, InvalidInput, NotAllowed
from rankfile.governance import seating
from rankfile.governance.models import CaseEffect
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
    return oversight <= {m.to[0] for m in mailoutbox if "attempt to undo a final decision" in m.subject}


def told(mailoutbox: list) -> str:
    """The first email to the oversight body about a refused attempt."""
    return next(m.body for m in mailoutbox if "attempt to undo a final decision" in m.subject)


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
    # Nothing in the form can fix a hold: the summary says it was refused, not what to fix.
    assert "This was refused" in response.content.decode()
    assert "Please fix the following" not in response.content.decode()
    assert "This attempt is recorded on the ledger, and the oversight body has been told of it." in (
        response.content.decode()
    )
    assert org_queries.status_on(person=ray, day=timezone.localdate()) == "expelled"
    assert attempts() == [("status", "accounts.user", admin.pk)]
    assert REFUSED in schema.flagged_actions()
    assert oversight_told(mailoutbox)
    assert "for Ray Respondent (a change of membership status to active)." in told(mailoutbox)
    # The flagged line says what was attempted, in words, not only in the technical details.
    ledger_page = signed_in(org["olu"].user).get("/ledger/").content.decode()
    flagged = ledger_page[ledger_page.index('id="flagged-entries"') :]
    assert "A change a decision holds in place was refused: a change of membership status" in flagged
    # The oversight body's home page counts the refused attempts and links to that list; a member's does not.
    home = signed_in(org["olu"].user).get("/").content.decode()
    assert "1 attempt to undo what a final decision holds in place was refused." in home
    assert 'href="/ledger/#flagged-heading"' in home
    assert "Attempts to undo a final decision" not in signed_in(org["one"].user).get("/").content.decode()


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
    four_years_on = timezone.localdate() + timedelta(days=365 * 4)
    said = eligibility.reason_in_words(eligibility.NOT_A_MEMBER_IN_GOOD_STANDING, on_date=four_years_on)
    assert said in page  # a sentence, not a code
    assert eligibility.NOT_A_MEMBER_IN_GOOD_STANDING not in page
    assert "expel" not in page.lower()  # the reason tells nothing of the case
    assert "This attempt is recorded on the ledger, and the oversight body has been told of it." in page
    assert "Only a recorded vote" not in page  # no vote gets past what a decision holds
    assert not ray.seats.filter(ends_on__isnull=True).exists()
    assert attempts() == [("seat", "accounts.user", admin.pk)]
    assert oversight_told(mailoutbox)
    assert "for Ray Respondent (a seat on Steering Committee)." in told(mailoutbox)


def test_invariant_8_the_member_import_cannot_reactivate_an_expelled_member_and_its_preview_is_flagged(
    org, admin, tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    expelled(org)
    ray = org["ray"].person
    text = f"Name,Email,Status\n{ray.name},{ray.email},active\n{ray.name},{ray.email},active\n"
    member_file = importing.member_file_parse(text=text)
    mapping = importing.mapping_detect(headers=member_file.headers)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        preview = importing.members_import(member_file=member_file, mapping=mapping, by=admin, dry_run=True)
    assert not preview.committed
    assert preview.statuses["active"] == 0
    assert {p.row for p in preview.problems} == {2, 3}
    assert "A final decision holds" in preview.problems[0].message
    # The page imports nothing its preview refused: the preview is the attempt, flagged once for the person.
    assert attempts() == [("import", "accounts.user", admin.pk)]
    assert oversight_told(mailoutbox)
    assert "for Ray Respondent (a change of status by the member import)." in told(mailoutbox)
    # The page's preview of the same file says so under the refusal; it is the same attempt, on the ledger once.
    upload = SimpleUploadedFile("members.csv", text.encode(), content_type="text/csv")
    page = signed_in(admin).post("/org/import/", {"file": upload, "date_format": "iso"}).content.decode()
    assert "A final decision holds" in page
    assert "this attempt is recorded on the ledger, and the oversight body has been told of it." in page
    assert len(attempts()) == 1

    path = tmp_path / "members.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_members", str(path), stdout=StringIO(), stderr=StringIO())
    assert org_queries.status_on(person=ray, day=timezone.localdate()) == "expelled"
    assert [a for a, *_ in attempts()] == ["import"]
    # Another file is another attempt.
    other = importing.member_file_parse(text=f"Name,Email,Status\n{ray.name},{ray.email},on_leave\n")
    importing.members_import(member_file=other, mapping=mapping, by=admin, dry_run=True)
    assert [a for a, *_ in attempts()] == ["import"] * 2


def test_invariant_8_checking_a_refused_import_again_flags_it_once_per_file_and_hold(
    org, admin, mailoutbox, django_capture_on_commit_callbacks
):
    expelled(org)
    ray = org["ray"].person
    text = f"Name,Email,Status\n{ray.name},{ray.email},active\n"
    upload = SimpleUploadedFile("members.csv", text.encode(), content_type="text/csv")
    client = signed_in(admin)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/org/import/", {"file": upload, "date_format": "iso"})
    assert "A final decision holds" in first.content.decode()
    again = {"content": text, "date_format": "iso", "column_0": "name", "column_1": "email", "column_2": "status"}
    for _click in range(3):  # "Check again", three times
        with django_capture_on_commit_callbacks(execute=True):
            page = client.post("/org/import/", again).content.decode()
        assert "this attempt is recorded on the ledger, and the oversight body has been told of it." in page
    assert attempts() == [("import", "accounts.user", admin.pk)]
    assert len([m for m in mailoutbox if "attempt to undo a final decision" in m.subject]) == 3  # each of oversight
    entry = Entry.objects.get(action=REFUSED)
    assert json.loads(entry.data)["import_of"] == importing.held_import_key(person_id=ray.pk, file_text=text)


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


def convention_motion_about(org: cb.Org, person_names: tuple[str, ...], text: str, effect: str = "") -> str:
    """A carried vote of the convention on a motion about the person named (or nobody) that, with ``effect``, names
    the latest case with a final decision and what it does to it; its reference."""
    return cb.convention_vote(org, text=text, about=person_names[0] if person_names else "", effect=effect)


def the_final_decision(org: cb.Org) -> Decision:
    return Decision.objects.get(case__respondent=org["ray"].person, status=DecisionStatus.FINAL)


def test_invariant_8_a_readmission_citing_the_steering_committee_is_refused_and_recorded(org):
    expelled(org)
    decision = the_final_decision(org)
    with pytest.raises(NotAllowed):  # he records for the steering committee, not for the convention
        readmission.readmission_record(decision=decision, vote_reference=cb.steering_vote(org), by=org["dale"].user)
    [entry] = Entry.objects.filter(action="cases.decision_change_refused")
    assert json.loads(entry.data)["attempt"] == "readmission"
    assert (entry.actor_type, entry.actor_id) == ("org.person", org["dale"].person.pk)
    assert org_queries.status_on(person=org["ray"].person, day=timezone.localdate()) == "expelled"


def test_a_readmission_needs_a_motion_about_the_member(org):
    expelled(org)
    vote = convention_motion_about(org, (), "That the convention welcomes new members.", CaseEffect.READMISSION)
    with pytest.raises(InvalidInput) as refused:
        readmission.readmission_record(decision=the_final_decision(org), vote_reference=vote, by=org["cleo"].user)
    assert refused.value.code == "motion_not_about_them"


def test_invariant_8_the_conventions_readmission_is_seen_by_every_member_and_the_oversight_body(
    org, mailoutbox, django_capture_on_commit_callbacks
):
    expelled(org)
    ray = org["ray"].person
    vote = convention_motion_about(org, ("ray",), "That Ray Respondent be re-admitted.", CaseEffect.READMISSION)
    cleo = signed_in(org["cleo"].user)
    overrides_page = cleo.get("/decisions/overrides/").content.decode()
    assert "Record a re-admission" in overrides_page
    with django_capture_on_commit_callbacks(execute=True):
        response = cleo.post(
            "/decisions/overrides/",
            {"step": "readmission", "readmission-case_reference": the_final_decision(org).case.reference,
             "readmission-vote_reference": vote},
        )  # fmt: skip
    assert response.status_code == 302
    assert org_queries.status_on(person=ray, day=timezone.localdate()) == "active"
    # The bar from office stands: a re-admission makes a member, not an officer.
    assert eligibility.check(ray, org.steering, timezone.localdate()) == eligibility.Ineligible(
        eligibility.BARRED_FROM_OFFICE
    )
    entry = Entry.objects.get(action="cases.readmitted")
    assert "cases.readmitted" in schema.flagged_actions()
    assert (entry.actor_type, entry.actor_id) == ("org.person", org["cleo"].person.pk)
    assert any("re-admitted" in m.subject for m in mailoutbox)
    listed = signed_in(org["lee"].user).get("/decisions/overrides/").content.decode()
    assert "Members re-admitted" in listed
    assert ray.name in listed
    assert vote in listed
    assert "Record a re-admission" not in listed  # not a recorder of the convention
    # A second re-admission of the same decision is refused with a clear message.
    again = cleo.post(
        "/decisions/overrides/",
        {"step": "readmission", "readmission-case_reference": the_final_decision(org).case.reference,
         "readmission-vote_reference": vote},
    )  # fmt: skip
    assert again.status_code == 400
    assert "already re-admitted" in again.content.decode()


def test_invariant_8_no_vote_overrides_the_eligibility_of_someone_a_final_decision_holds(org):
    expelled(org)
    vote = convention_motion_about(org, ("ray",), "That Ray Respondent may sit on the steering committee.")
    with pytest.raises(Held):
        seating.eligibility_override_by_vote(
            vote_reference=vote, person=org["ray"].person, body=org.steering, by=org["cleo"].user
        )
    assert attempts() == [("eligibility_override", "org.person", org["cleo"].person.pk)]


def test_invariant_8_a_bylaws_change_to_the_sanctions_does_not_reach_back_to_a_final_decision(org):
    expelled(org)
    ray = org["ray"].person
    [bar] = Restriction.objects.filter(person=ray, kind="barred_from_office")
    document = org_queries.bylaws_document(day=timezone.localdate())
    for entry in document["sanctions"]:
        entry.update({"membership_status": "", "bars_from_office_years": 0})  # the catalog gutted
    org_actions.bylaws_adopt(
        document=document, effective_from=timezone.localdate(), adopted_by_vote="Convention, motion 9", by=cb.OPERATOR
    )
    # A decision keeps the terms it was made with: the expulsion and the bar stand as they were.
    assert org_queries.status_on(person=ray, day=timezone.localdate()) == "expelled"
    bar_then = bar.ends_on
    bar.refresh_from_db()
    assert (bar.ends_on, bar.lifted_on) == (bar_then, None)
    with pytest.raises(Held):
        org_actions.membership_status_change(
            person=ray, status="active", effective_from=timezone.localdate(), reason_code="new_bylaws", by=cb.OPERATOR
        )


def test_an_override_needs_a_motion_about_the_respondent(org):
    expelled(org)
    vote = cb.convention_vote(org, about="")
    with pytest.raises(InvalidInput) as refused:
        decisions.decision_override(decision=the_final_decision(org), vote_reference=vote, by=org["cleo"].user)
    assert refused.value.code == "motion_not_about_them"


def test_invariant_5_a_site_administrator_cannot_record_an_override_or_a_readmission(org, admin):
    expelled(org)
    vote = cb.convention_vote(org)
    client = signed_in(admin)
    page = client.get("/decisions/overrides/").content.decode()
    assert "Record an override" not in page
    assert "Record a re-admission" not in page
    reference = the_final_decision(org).case.reference
    for step in ("override", "readmission"):
        response = client.post(
            "/decisions/overrides/",
            {"step": step, f"{step}-case_reference": reference, f"{step}-vote_reference": vote},
        )
        assert response.status_code == 400
    assert org_queries.status_on(person=org["ray"].person, day=timezone.localdate()) == "expelled"
