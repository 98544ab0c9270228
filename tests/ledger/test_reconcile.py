"""Invariant 8: `rankfile ledger verify` reconciles the live records with the ledger entries that made them.

An attacker who owns the database drops the triggers that keep decisions binding and rewrites the rows that a final
decision holds in place: the decision's status, a sanction, a finding, the respondent's membership status, a seat's
end, a restriction's end, an override. The entries cannot be changed unnoticed, so each rewrite disagrees with the
entry that made the row, and verify names the table, the row and the field."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from importlib import import_module
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rankfile.cases import triggers as decision_triggers
from rankfile.cases.actions import decisions, readmission
from rankfile.cases.models import AppealOutcome, Decision, DecisionStatus, Finding, Sanction
from rankfile.deadlines.actions import tick
from rankfile.governance import mandates
from rankfile.governance.models import CaseEffect, Mandate, MandateStatus, MandateTerms, Vote
from rankfile.ledger import actions as ledger
from rankfile.ledger import reconcile
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org.models import BylawsVersion, EligibilityOverride, Restriction, Seat, StatusChange
from tests.cases import casebuilders as cb
from tests.cases.builders import member, seat
from tests.cases.test_holds import convention_motion_about
from tests.governance import builders as gb
from tests.ledger.helpers import execute

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def decision_triggers_dropped() -> Iterator[None]:
    """What an attacker with the database does first."""
    decision_triggers.drop(connection)
    try:
        yield
    finally:
        decision_triggers.create(connection)


def verify() -> str:
    """Run `rankfile ledger verify`; what it printed, whether it passed or not."""
    out = StringIO()
    try:
        call_command("ledger", "verify", stdout=out, stderr=StringIO())
    except CommandError as exc:
        return f"{out.getvalue()}\nFAILED: {exc}"
    return out.getvalue()


def entry(action: str) -> Entry:
    return Entry.objects.filter(action=action).latest("seq")


@pytest.fixture
def org() -> cb.Org:
    return cb.full_organization()


@pytest.fixture
def expelled(org: cb.Org) -> Decision:
    """Ray sits on the steering committee; a decision expels him and bars him from office; nobody appeals."""
    seat(org["ray"], org.steering)
    decision = cb.decided(org, sanctions=("expulsion", "bar_from_office"))
    tick(now=cb.after(15))  # type: ignore[arg-type]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.FINAL
    return decision


def test_invariant_8_verify_passes_a_clean_database_and_says_how_many_records_it_reconciled(expelled):
    out = verify()
    assert "FAILED" not in out, out
    result = reconcile.reconcile()
    assert result.ok, [str(m) for m in result.mismatches]
    assert f"{sum(result.rows.values()):,} live records reconciled with the entries that made them" in out
    assert result.rows["cases_decision"] == 1
    assert result.rows["cases_finding"] == 2
    assert result.rows["cases_sanction"] == 2
    assert result.rows["org_statuschange"] == StatusChange.objects.count()
    assert result.rows["org_seat"] == Seat.objects.count()
    assert {"org", "cases", "governance"} <= set(reconcile.registered())


def test_invariant_8_verify_passes_after_an_appeal_replaced_a_decision_and_an_override_set_one_aside(org):
    original = cb.decided(org)
    appeal = decisions.appeal_lodge(
        case=original.case,
        grounds=["disproportionate_sanction"],
        statement="Expulsion is too much.",
        key=org["ray"].key,
        by=org["ray"].user,
    )
    decisions.appeal_record_send(appeal=appeal, by=org["dana"].user, key=org["dana"].key)
    replaced = decisions.appeal_decide(
        appeal=appeal,
        outcome=AppealOutcome.VARIED,
        rationale="Suspension is proportionate.",
        findings={1: "responsible", 2: "not_responsible"},
        sanctions=["suspension", "bar_from_office"],
        by=org["abe"].user,
    )
    decisions.decision_override(decision=replaced, vote_reference=cb.convention_vote(org), by=org["cleo"].user)
    original.refresh_from_db()
    assert original.status == DecisionStatus.REPLACED
    assert Restriction.objects.filter(lifted_on__isnull=False).exists()

    result = reconcile.reconcile()
    assert result.ok, [str(m) for m in result.mismatches]
    assert result.rows["cases_decision"] == 2
    assert result.rows["cases_override"] == 1
    assert "FAILED" not in verify()


def test_invariant_8_verify_finds_a_rewritten_decision_row(expelled):
    final = entry(decisions.DECISION_FINAL)
    with decision_triggers_dropped():
        execute("UPDATE cases_decision SET status = 'replaced' WHERE id = %s", [expelled.pk])
    out = verify()
    assert (
        f"cases_decision row {expelled.pk}: field status is 'replaced', the ledger says 'final' (entry {final.seq})"
        in out
    )
    assert "FAILED: 1 live record(s) do NOT match the ledger." in out


def test_invariant_8_verify_finds_a_deleted_sanction(expelled):
    with decision_triggers_dropped():
        execute("DELETE FROM cases_sanction WHERE decision_id = %s AND code = 'expulsion'", [expelled.pk])
    out = verify()
    assert (
        f"cases_sanction: the sanction of decision {expelled.pk} with code 'expulsion', made by entry "
        f"{expelled.ledger_seq}, is missing"
    ) in out
    assert "FAILED: 1 live record(s) do NOT match the ledger." in out


def test_invariant_8_verify_finds_a_sanction_whose_terms_were_softened(expelled):
    bar = Sanction.objects.get(decision=expelled, code="bar_from_office")
    with decision_triggers_dropped():
        execute("UPDATE cases_sanction SET terms = %s WHERE id = %s", ['{"code": "bar_from_office"}', bar.pk])
    out = verify()
    assert (
        f"cases_sanction row {bar.pk}: fields code, label and terms do not match the ledger's hash "
        f"(entry {expelled.ledger_seq})"
    ) in out


def test_invariant_8_verify_finds_a_changed_finding_outcome(expelled):
    finding = Finding.objects.get(decision=expelled, allegation__number=1)
    with decision_triggers_dropped():
        execute("UPDATE cases_finding SET outcome = 'not_responsible' WHERE id = %s", [finding.pk])
    out = verify()
    assert (
        f"cases_finding row {finding.pk}: field outcome is 'not_responsible', the ledger says 'responsible' "
        f"(entry {expelled.ledger_seq})"
    ) in out


def test_invariant_8_verify_finds_a_rewritten_membership_status(org, expelled):
    change = StatusChange.objects.get(person=org["ray"].person, status="expelled")
    execute("UPDATE org_statuschange SET status = 'active' WHERE id = %s", [change.pk])
    out = verify()
    assert (
        f"org_statuschange row {change.pk}: field status is 'active', the ledger says 'expelled' "
        f"(entry {change.ledger_seq})"
    ) in out


def test_invariant_8_verify_finds_a_seat_given_back(org, expelled):
    steering_seat = Seat.objects.get(person=org["ray"].person, body=org.steering)
    ended = entry(org_actions.SEAT_ENDED)
    assert ended.subject_id == steering_seat.pk
    assert steering_seat.ends_on is not None
    execute("UPDATE org_seat SET ends_on = NULL, end_reason = '' WHERE id = %s", [steering_seat.pk])
    out = verify()
    assert (
        f"org_seat row {steering_seat.pk}: field ends_on is empty, the ledger says "
        f"'{steering_seat.ends_on.isoformat()}' (entry {ended.seq})"
    ) in out
    assert (
        f"org_seat row {steering_seat.pk}: field end_reason is empty, the ledger says 'removed_by_sanction' "
        f"(entry {ended.seq})"
    ) in out


def test_invariant_8_verify_finds_a_restriction_cut_short(org, expelled):
    bar = Restriction.objects.get(person=org["ray"].person)
    assert bar.ends_on is not None
    tomorrow = timezone.localdate() + timedelta(days=1)
    execute("UPDATE org_restriction SET ends_on = %s WHERE id = %s", [tomorrow, bar.pk])
    out = verify()
    assert (
        f"org_restriction row {bar.pk}: field ends_on is '{tomorrow.isoformat()}', the ledger says "
        f"'{bar.ends_on.isoformat()}' (entry {bar.ledger_seq})"
    ) in out


def test_invariant_8_verify_finds_a_restriction_lifted_without_an_entry(org, expelled):
    bar = Restriction.objects.get(person=org["ray"].person)
    today = timezone.localdate()
    execute("UPDATE org_restriction SET lifted_on = %s WHERE id = %s", [today, bar.pk])
    out = verify()
    assert f"org_restriction row {bar.pk}: field lifted_on is '{today.isoformat()}', but no ledger entry set it" in out


def test_invariant_8_verify_finds_a_deleted_override(org, expelled):
    override = decisions.decision_override(
        decision=expelled, vote_reference=cb.convention_vote(org), by=org["cleo"].user
    )
    with decision_triggers_dropped():
        execute("DELETE FROM cases_override WHERE id = %s", [override.pk])
    out = verify()
    assert (
        f"cases_override: row {override.pk}, made by entry {override.ledger_seq} (cases.decision_overridden), "
        "is missing"
    ) in out


def test_invariant_8_verify_finds_an_override_citing_another_vote(org, expelled):
    override = decisions.decision_override(
        decision=expelled, vote_reference=cb.convention_vote(org), by=org["cleo"].user
    )
    with decision_triggers_dropped():
        execute("UPDATE cases_override SET vote_reference = 'STEERING-M1' WHERE id = %s", [override.pk])
    out = verify()
    assert (
        f"cases_override row {override.pk}: field vote_reference is 'STEERING-M1', the ledger says "
        f"'{override.vote_reference}' (entry {override.ledger_seq})"
    ) in out


def test_invariant_8_verify_finds_rows_that_no_entry_made(org, expelled):
    ray = org["ray"].person
    today = timezone.localdate()
    execute(
        "INSERT INTO org_statuschange (person_id, status, effective_from, reason_code, reason, decided_by_reference,"
        " case_open) VALUES (%s, 'active', %s, 'reinstated', '', '', %s)",
        [ray.pk, today + timedelta(days=1), False],
    )
    inserted = StatusChange.objects.get(person=ray, reason_code="reinstated")
    joined = StatusChange.objects.filter(person=ray, reason_code="joined").get()
    created = Entry.objects.get(action=org_actions.PERSON_CREATED, subject_id=ray.pk)
    # A row pointed at an entry of another action, and one at the entry that made another row.
    execute("UPDATE org_statuschange SET ledger_seq = %s WHERE id = %s", [created.seq, joined.pk])
    lee_seat = Seat.objects.get(person=org["lee"].person)
    steering_seat_entry = steering_seat_of(org).ledger_seq
    execute("UPDATE org_seat SET ledger_seq = %s WHERE id = %s", [lee_seat.ledger_seq, steering_seat_of(org).pk])
    out = verify()
    assert f"org_statuschange row {inserted.pk}: no ledger entry made it (its ledger_seq is empty)" in out
    assert (
        f"org_statuschange row {joined.pk}: its ledger_seq {created.seq} is an entry of org.person_created about "
        f"org.person {ray.pk}, not of org.membership_status_changed"
    ) in out
    # The entry that made Ray's "joined" row is now carried by no row.
    assert f"org_statuschange: no row carries entry {joined.ledger_seq} (org.membership_status_changed about" in out
    steering_seat = steering_seat_of(org)
    assert (
        f"org_seat row {steering_seat.pk}: its ledger_seq {lee_seat.ledger_seq} is the entry that made "
        f"row {lee_seat.pk}"
    ) in out
    assert (
        f"org_seat: row {steering_seat.pk}, made by entry {steering_seat_entry} (org.person_seated), is missing" in out
    )


def steering_seat_of(org: cb.Org) -> Seat:
    return Seat.objects.get(person=org["ray"].person, body=org.steering)


def test_invariant_8_verify_finds_a_rewritten_decision_before_it_is_final(org):
    decision = cb.decided(org)
    execute("UPDATE cases_decision SET status = 'final', final_at = %s WHERE id = %s", [timezone.now(), decision.pk])
    out = verify()
    assert (
        f"cases_decision row {decision.pk}: field status is 'final', the ledger says 'issued' "
        f"(entry {decision.ledger_seq})"
    ) in out
    assert (
        f"cases_decision row {decision.pk}: field final_at is '{timezone.localdate().isoformat()}', but no ledger"
        in out
    )


def test_invariant_8_verify_finds_a_rewritten_eligibility_override_and_bylaws(org):
    steering = org.steering
    ana = org["lee"].person
    override = org_actions.eligibility_override_record(
        person=ana,
        body=steering,
        reason_code="BARRED_FROM_OFFICE",
        meeting_reference="national committee 2024-04-20",
        vote_reference="motion 4, 12-3",
        by=OPERATOR,
    )
    execute("UPDATE org_eligibilityoverride SET vote_reference = 'motion 9' WHERE id = %s", [override.pk])
    bylaws = BylawsVersion.objects.latest("number")
    execute("UPDATE org_bylawsversion SET document = %s WHERE id = %s", ['{"roles": {}}', bylaws.pk])
    out = verify()
    assert (
        f"org_eligibilityoverride row {override.pk}: fields meeting_reference and vote_reference do not match the "
        f"ledger's hash (entry {override.ledger_seq})"
    ) in out
    assert (
        f"org_bylawsversion row {bylaws.pk}: field document does not match the ledger's hash "
        f"(entry {bylaws.ledger_seq})"
    ) in out
    assert EligibilityOverride.objects.count() == 1


def test_invariant_9_verify_finds_a_seat_cut_loose_from_the_override_vote_that_allowed_it(org):
    lee = org["lee"].person
    org_actions.restriction_impose(
        person=lee,
        kind="barred_from_office",
        starts_on=timezone.localdate() - timedelta(days=30),
        source="vote",
        source_reference="national committee, motion 2",
        by=OPERATOR,
    )
    override = org_actions.eligibility_override_record(
        person=lee,
        body=org.appeals,
        reason_code="BARRED_FROM_OFFICE",
        meeting_reference="national committee 2024-04-20",
        vote_reference="motion 4, 12-3",
        by=OPERATOR,
    )
    seated = org_actions.person_seat(
        person=lee, body=org.appeals, basis="appointed", starts_on=timezone.localdate(), override=override, by=OPERATOR
    )
    assert "FAILED" not in verify()

    execute("UPDATE org_eligibilityoverride SET seat_id = NULL WHERE id = %s", [override.pk])
    out = verify()
    assert (
        f"org_seat row {seated.pk}: field eligibility_override is empty, the ledger says {override.pk} "
        f"(entry {seated.ledger_seq})"
    ) in out


def test_invariant_8_verify_finds_a_mandate_marked_done_and_its_terms_rewritten():
    gov = gb.organization()
    mandate = gb.mandate(gov)
    mandates.progress_post(mandate=mandate, status=MandateStatus.IN_PROGRESS, percent=40, by=OPERATOR)
    terms = MandateTerms.objects.get(mandate=mandate)
    assert "FAILED" not in verify()

    execute("UPDATE governance_mandate SET status = 'done', percent = 100 WHERE id = %s", [mandate.pk])
    later = terms.due_on + timedelta(days=365)
    execute("UPDATE governance_mandateterms SET due_on = %s WHERE id = %s", [later, terms.pk])
    out = verify()
    posted = entry(mandates.PROGRESS_POSTED)
    assert (
        f"governance_mandate row {mandate.pk}: field status is 'done', the ledger says 'in_progress' "
        f"(entry {posted.seq})"
    ) in out
    assert f"governance_mandate row {mandate.pk}: field percent is 100, the ledger says 40 (entry {posted.seq})" in out
    assert (
        f"governance_mandateterms row {terms.pk}: field due_on is '{later.isoformat()}', the ledger says "
        f"'{terms.due_on.isoformat()}' (entry {terms.ledger_seq})"
    ) in out
    assert Mandate.objects.get(pk=mandate.pk).ledger_seq == terms.ledger_seq


def test_invariant_8_reconciliation_reads_each_table_in_bulk_whatever_its_size(org, expelled):
    with CaptureQueriesContext(connection) as before:
        reconcile.reconcile()
    for name in ("Tess", "Theo", "Tilda", "Toby", "Tove"):
        seat(member(f"{name} Extra"), org.steering)
    with CaptureQueriesContext(connection) as after:
        result = reconcile.reconcile()
    assert result.ok, [str(m) for m in result.mismatches]
    assert result.rows["org_seat"] == Seat.objects.count()
    assert len(after.captured_queries) == len(before.captured_queries)


def test_invariant_8_an_entry_recorded_before_it_held_every_field_is_compared_on_those_it_holds(org):
    """An installation's older entries (schema version 1) lack the fields added since: nothing to compare them with."""
    lee = org["lee"].person
    with transaction.atomic():
        old = Seat.objects.create(
            person=lee,
            body=org.appeals,
            basis="elected",
            starts_on=date(2021, 1, 1),
            term_ends_on=date(2023, 1, 1),
            ledger_seq=ledger.next_seq(),
        )
        ledger.record(
            seq=old.ledger_seq,
            actor=OPERATOR,
            action=org_actions.PERSON_SEATED,
            subject=old,
            data={"person": lee.pk, "body": org.appeals.pk, "role": "member", "basis": "elected", "from": "2021-01-01"},
        )
    assert "FAILED" not in verify()

    execute("UPDATE org_seat SET role = 'chair' WHERE id = %s", [old.pk])
    assert (
        f"org_seat row {old.pk}: field role is 'chair', the ledger says 'member' (entry {old.ledger_seq})" in verify()
    )


def test_invariant_8_the_migrations_give_earlier_records_the_entries_that_made_them(org, expelled):
    """Decisions, findings, sanctions, overrides and mandates made before they carried ledger_seq get it from the
    entries, so that an installation that upgrades still verifies."""
    decisions.decision_override(decision=expelled, vote_reference=cb.convention_vote(org), by=org["cleo"].user)
    mandates.mandate_adopt(
        vote=Vote.objects.get(reference=cb.convention_vote(org, text="That the steering committee reports back.")),
        title="Report back",
        text="The steering committee reports back to the members.",
        responsible_body=org.steering,
        due_within_days=30,
        by=OPERATOR,
    )
    with decision_triggers_dropped():
        for table in ("cases_decision", "cases_finding", "cases_sanction", "cases_override", "governance_mandate"):
            execute(f"UPDATE {table} SET ledger_seq = NULL")  # noqa: S608 (fixed names)
    assert "cases_override row" in verify()

    editor = SimpleNamespace(connection=connection)
    for module in (
        "cases.migrations.0008_decision_rows_carry_their_ledger_entry",
        "governance.migrations.0003_mandate_ledger_seq",
    ):
        import_module(f"rankfile.{module}").carry_their_entries(django_apps, editor)
    out = verify()
    assert "FAILED" not in out, out
    assert Decision.objects.get(pk=expelled.pk).ledger_seq == entry(decisions.DECISION_ISSUED).seq


def test_invariant_8_verify_passes_a_readmission_and_finds_one_rewritten(org, expelled):
    vote = convention_motion_about(org, ("ray",), "That Ray Respondent be re-admitted.", CaseEffect.READMISSION)
    readmitted = readmission.readmission_record(decision=expelled, vote_reference=vote, by=org["cleo"].user)
    result = reconcile.reconcile()
    assert result.ok, [str(m) for m in result.mismatches]
    assert result.rows["cases_readmission"] == 1
    execute("UPDATE cases_readmission SET person_id = %s WHERE id = %s", [org["lee"].person.pk, readmitted.pk])
    out = verify()
    rewritten = f"cases_readmission row {readmitted.pk}: field person is {org['lee'].person.pk}, the ledger says"
    assert rewritten in out
    assert "FAILED" in out


def test_invariant_8_verify_finds_an_override_credited_to_someone_else(org, expelled):
    override = decisions.decision_override(
        decision=expelled, vote_reference=cb.convention_vote(org), by=org["cleo"].user
    )
    assert reconcile.reconcile().ok
    with decision_triggers_dropped():
        execute("UPDATE cases_override SET made_by_id = %s WHERE id = %s", [org["lee"].user.pk, override.pk])
    out = verify()
    assert f"field made_by is {org['lee'].user.pk}, the ledger says {org['cleo'].user.pk}" in out
