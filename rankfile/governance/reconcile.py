"""Mandates reconciled with the ledger entries that made and changed them, for `rankfile ledger verify`: each
mandate (its adoption, the terms in force, its status and progress as the latest entries say), each version of its
terms, and each progress update."""

from collections.abc import Iterator
from typing import Any

from rankfile.governance import mandates
from rankfile.governance.models import Mandate, MandateStatus, MandateTerms, ProgressUpdate, TermsChange
from rankfile.ledger import reconcile
from rankfile.ledger.reconcile import (
    MISSING,
    Checked,
    Column,
    Fact,
    Made,
    Mismatch,
    differs,
    flag,
    iso_date,
    stored_json,
    text_sha256,
)

_MANDATES = Mandate._meta.db_table
_TERMS = (mandates.MANDATE_ADOPTED, mandates.MANDATE_TERMS_CHANGED)


def _progress_sha256(text: str, links: Any, delivered: str) -> str:
    return text_sha256(text, *stored_json(links), delivered)


def _terms_columns() -> tuple[Column, ...]:
    return (
        Column("responsible_body", "responsible_body"),
        Column("due_on", "due", iso_date),
        Column("visibility", "visibility"),
        Column(("title", "text"), "sha256", text_sha256, hashed=True),
    )


def terms_versions() -> Made:
    return Made(
        table=MandateTerms._meta.db_table,
        rows=MandateTerms.objects.all(),
        actions=_TERMS,
        subject_type="governance.mandate",
        subject_field="mandate",
        columns=(
            Column("mandate", "mandate"),
            Column("number", "terms"),
            Column("change", "change"),
            Column("vote", "vote"),
            Column("due_within_days", "within_days"),
            *_terms_columns(),
        ),
    )


def progress_updates() -> Made:
    return Made(
        table=ProgressUpdate._meta.db_table,
        rows=ProgressUpdate.objects.all(),
        actions=(mandates.PROGRESS_POSTED,),
        subject_type="governance.mandate",
        subject_field="mandate",
        names_row="update",
        columns=(
            Column("id", "update"),
            Column("mandate", "mandate"),
            Column("number", "number"),
            Column("status", "status"),
            Column("percent", "percent"),
            Column("on_behalf", "on_behalf", flag),
            Column("posted_on", "on", iso_date),
            Column(("text", "links", "delivered"), "sha256", _progress_sha256, hashed=True),
        ),
    )


def adoptions() -> Made:
    return Made(
        table=_MANDATES,
        rows=Mandate.objects.all(),
        actions=(mandates.MANDATE_ADOPTED,),
        subject_type="governance.mandate",
        columns=(
            Column("adopted_by_vote", "vote"),
            Column("adopting_body", "adopting_body"),
            Column("adopted_on", "on", iso_date),
        ),
    )


def _as_the_ledger_says(facts: dict[int, Fact]) -> dict[int, dict[str, tuple[Any, int]]]:
    """Per mandate, what its row should hold now, each value with the entry that set it last."""
    said: dict[int, dict[str, tuple[Any, int]]] = {}
    for seq, fact in facts.items():  # in order of seq
        data = fact.data
        now = said.setdefault(fact.subject_id or 0, {"status": (MandateStatus.NOT_STARTED, seq)})
        if fact.action == mandates.PROGRESS_POSTED:
            now["status"] = (data.get("status"), seq)
            if data.get("percent") is not None:
                now["percent"] = (data["percent"], seq)
            if data.get("status") == MandateStatus.DONE:
                now["done_on"] = (data.get("on", MISSING), seq)
            continue
        now["terms_number"] = (data.get("terms"), seq)
        now["terms"] = (data, seq)
        if data.get("change") == TermsChange.RESCINDED:
            now["status"] = (MandateStatus.RESCINDED, seq)
            now["rescinded_on"] = (data.get("on", MISSING), seq)
    return said


def _terms_in_force() -> Iterator[Mismatch]:
    said = _as_the_ledger_says(reconcile.entries_of(*_TERMS, mandates.PROGRESS_POSTED))
    columns = _terms_columns()
    fields = [name for column in columns for name in column.fields]
    rows = Mandate.objects.order_by("pk").values_list(
        "pk", "terms_number", "status", "percent", "done_on", "rescinded_on", *fields
    )
    for pk, number, status, percent, done_on, rescinded_on, *values in rows.iterator():
        now = said.get(pk)
        if now is None:
            continue  # a mandate without an adoption: the adoptions' check names it
        if "terms" in now:
            terms, seq = now["terms"]
            row = dict(zip(fields, values, strict=True))
            for column in columns:
                problem = differs(column, column.form(*(row[name] for name in column.fields)), terms, seq=seq)
                if problem is not None:
                    yield Mismatch(_MANDATES, pk, problem)
        current = {
            "terms_number": number,
            "status": status,
            "percent": percent,
            "done_on": iso_date(done_on),
            "rescinded_on": iso_date(rescinded_on),
        }
        for name, value in current.items():
            expected, said_by = now.get(name, (None, None))
            if value == expected or expected is MISSING:
                continue
            if said_by is None:
                yield Mismatch(_MANDATES, pk, f"field {name} is {reconcile.shown(value)}, but no ledger entry set it")
            else:
                yield Mismatch(
                    _MANDATES,
                    pk,
                    f"field {name} is {reconcile.shown(value)}, the ledger says {reconcile.shown(expected)} "
                    f"(entry {said_by})",
                )


def check() -> Iterator[Mismatch | Checked]:
    yield from reconcile.check_made(adoptions())
    yield from _terms_in_force()
    yield from reconcile.check_made(terms_versions())
    yield from reconcile.check_made(progress_updates())


reconcile.register("governance", check)
