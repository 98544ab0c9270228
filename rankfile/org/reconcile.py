"""The organization's records reconciled with the ledger entries that made them, for `rankfile ledger verify`
(DESIGN.md invariant 8): membership status history, seats and their ends, restrictions and their lifting,
eligibility overrides, and the versions of the bylaws."""

from collections.abc import Iterator

from rankfile.ledger import reconcile
from rankfile.ledger.reconcile import (
    Checked,
    Column,
    Made,
    Mismatch,
    SetLater,
    flag,
    iso_date,
    lower,
    or_none,
    stored_json_sha256,
)
from rankfile.org import actions
from rankfile.org.models import BylawsVersion, EligibilityOverride, Restriction, Seat, StatusChange


def status_history() -> Made:
    return Made(
        table=StatusChange._meta.db_table,
        rows=StatusChange.objects.all(),
        actions=(actions.STATUS_CHANGED,),
        subject_type="org.person",
        subject_field="person",
        columns=(
            Column("status", "status"),
            Column("effective_from", "from", iso_date),
            Column("until", "until", iso_date),
            Column("reason_code", "reason"),
            Column("decided_by_body", "body"),
            Column("case_open", "case_open", flag),
        ),
    )


def seats() -> Made:
    return Made(
        table=Seat._meta.db_table,
        rows=Seat.objects.all(),
        actions=(actions.PERSON_SEATED,),
        subject_type="org.seat",
        columns=(
            Column("person", "person"),
            Column("body", "body"),
            Column("role", "role"),
            Column("basis", "basis"),
            Column("starts_on", "from", iso_date),
            Column("term_ends_on", "term_ends", iso_date),
            # The override that let an ineligible person take the seat (its reverse one-to-one).
            Column("eligibility_override", "override"),
        ),
    )


def seat_ends() -> SetLater:
    return SetLater(
        table=Seat._meta.db_table,
        rows=Seat.objects.all(),
        action=actions.SEAT_ENDED,
        subject_type="org.seat",
        columns=(Column("ends_on", "on", iso_date), Column("end_reason", "reason", or_none)),
    )


def restrictions() -> Made:
    return Made(
        table=Restriction._meta.db_table,
        rows=Restriction.objects.all(),
        actions=(actions.RESTRICTION_IMPOSED,),
        subject_type="org.restriction",
        columns=(
            Column("person", "person"),
            Column("kind", "kind"),
            Column("starts_on", "from", iso_date),
            Column("ends_on", "until", iso_date),
            Column("source", "source"),
        ),
    )


def restrictions_lifted() -> SetLater:
    return SetLater(
        table=Restriction._meta.db_table,
        rows=Restriction.objects.all(),
        action=actions.RESTRICTION_LIFTED,
        subject_type="org.restriction",
        columns=(Column("lifted_on", "on", iso_date),),
    )


def eligibility_overrides() -> Made:
    return Made(
        table=EligibilityOverride._meta.db_table,
        rows=EligibilityOverride.objects.all(),
        actions=(actions.ELIGIBILITY_OVERRIDDEN,),
        subject_type="org.eligibilityoverride",
        columns=(
            Column("person", "person"),
            Column("body", "body"),
            Column("reason_code", "reason", lower),
            Column(("meeting_reference", "vote_reference"), "sha256", reconcile.text_sha256, hashed=True),
        ),
    )


def bylaws_versions() -> Made:
    return Made(
        table=BylawsVersion._meta.db_table,
        rows=BylawsVersion.objects.all(),
        actions=(actions.BYLAWS_ADOPTED,),
        subject_type="org.bylawsversion",
        columns=(
            Column("number", "version"),
            Column("effective_from", "from", iso_date),
            Column("document", "sha256", stored_json_sha256, hashed=True),
        ),
    )


def check() -> Iterator[Mismatch | Checked]:
    yield from reconcile.check_made(status_history())
    yield from reconcile.check_made(seats())
    yield from reconcile.check_set_later(seat_ends())
    yield from reconcile.check_made(restrictions())
    yield from reconcile.check_set_later(restrictions_lifted())
    yield from reconcile.check_made(eligibility_overrides())
    yield from reconcile.check_made(bylaws_versions())


reconcile.register("org", check)
