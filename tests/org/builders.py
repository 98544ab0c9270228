"""A small organization for tests, built through the actions (so every step is on the ledger)."""

from datetime import date

from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions
from rankfile.org.models import Body, Person


def enrolled(name: str, *, since: date = date(2005, 1, 1), **kwargs: object) -> Person:
    person = actions.person_create(name=name, by=OPERATOR, **kwargs)  # type: ignore[arg-type]
    actions.membership_status_change(
        person=person, status="active", effective_from=since, reason_code="joined", by=OPERATOR
    )
    return person


def body(slug: str, *, kind: str = "leadership", **kwargs: object) -> Body:
    return actions.body_create(name=slug.replace("-", " ").title(), slug=slug, kind=kind, by=OPERATOR, **kwargs)  # type: ignore[arg-type]
