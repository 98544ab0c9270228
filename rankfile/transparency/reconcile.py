"""Transparency reports reconciled with the ledger, for `rankfile ledger verify`: each report's period, the
checkpoint it was computed at and its figures (by their hash) must be what the entry that drafted it says, so a
published report cannot be quietly rewritten in the database."""

from collections.abc import Iterator

from rankfile.ledger import reconcile
from rankfile.ledger.reconcile import Checked, Column, Made, Mismatch, stored_json_sha256
from rankfile.transparency import actions
from rankfile.transparency.models import TransparencyReport


def lower(value: str) -> str:
    return value.lower()


def reports() -> Made:
    return Made(
        table=TransparencyReport._meta.db_table,
        rows=TransparencyReport.objects.all(),
        actions=(actions.REPORT_DRAFTED,),
        subject_type="transparency.transparencyreport",
        names_row="report",
        columns=(
            Column("period", "period", lower),
            Column("checkpoint_size", "checkpoint_size"),
            Column("checkpoint_root", "checkpoint_root"),
            Column("figures", "figures", stored_json_sha256, hashed=True),
        ),
    )


def check() -> Iterator[Mismatch | Checked]:
    yield from reconcile.check_made(reports())


reconcile.register("transparency", check)
