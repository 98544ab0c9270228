"""Composition goals (docs/elections.md): members' self-identification, sealed, and counts in aggregate only.

A member's categories are a vault document sealed to their own key and to the tally key (``vault.tally``), whose
private half is in a file beside the database. Only this module opens them, and what it hands out is counts (with
those under the bylaws' minimum held back), goals met or missed, and the person's own answer to that person alone.
"""

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from rankfile.elections.models import SelfIdentification
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, Person, Seat
from rankfile.vault import documents as vault
from rankfile.vault import keys as vault_keys
from rankfile.vault.models import Keypair, Version
from rankfile.vault.tally import tally_key

KIND = "elections.self_identification"
NEW_TO_BODY = "new_to_body"


class _Counted(vault.Purpose):
    """Opened to be counted, or shown to its own member: nothing about one person is recorded; the action that
    counts records itself."""

    def record_open(self, *, version: Version, reader: Keypair) -> None:
        return None


def _rules(day: date | None = None) -> dict[str, Any]:
    from rankfile.org import bylaws

    found = org_queries.bylaws_document(day=day or timezone.localdate())
    return {
        "self_identification": {
            **bylaws.defaults()["self_identification"],
            **found.get("self_identification", {}),
        },
        "composition_goals": found.get("composition_goals", []),
    }


def categories() -> list[dict[str, str]]:
    """The categories the bylaws in force list: [{"code", "label"}]."""
    return list(_rules()["self_identification"]["categories"])


def minimum_count() -> int:
    return int(_rules()["self_identification"]["minimum_count"])


def goals_for(body: Body) -> list[dict[str, Any]]:
    return [{"binding": False, **goal} for goal in _rules()["composition_goals"] if goal.get("body") == body.slug]


def seal_answer(*, person: Person, user: Any, codes: Sequence[str]) -> SelfIdentification | None:
    """Keep ``codes`` as the person's answer (none: withdraw it). Called by the action, inside its transaction. An
    earlier answer's content is destroyed, not kept as an old version."""
    existing = SelfIdentification.objects.filter(person=person).first()
    if existing is not None:
        vault.destroy(document=existing.document)
    if not codes:
        if existing is not None:
            existing.delete()
        return None
    readers = [tally_key().keypair]
    own = vault_keys.person_key(user)
    if own is not None:
        readers.append(own)
    content = json.dumps(sorted(set(codes)))
    version = vault.seal(kind=KIND, content=content, readers=readers, document=existing.document if existing else None)
    if existing is not None:
        return existing
    return SelfIdentification.objects.create(person=person, document=version.document)


def _answers(people: Iterable[Person]) -> dict[int, set[str]]:
    """Each of ``people``'s categories, for counting here; never returned out of this module."""
    found: dict[int, set[str]] = {}
    with transaction.atomic():  # the vault opens only inside a transaction
        key = tally_key()
        rows = SelfIdentification.objects.filter(person__in=list(people)).select_related("document")
        for row in rows:
            opened = vault.open_text(vault.latest(row.document), key=key, purpose=_Counted())
            found[row.person_id] = set(json.loads(opened))
    return found


def has_answered(*, person: Person) -> bool:
    return SelfIdentification.objects.filter(person=person).exists()


def own_answer(*, person: Person) -> list[str] | None:
    """The person's own categories, for their own page only; None if they have not answered."""
    answers = _answers([person])
    return sorted(answers[person.pk]) if person.pk in answers else None


def is_new_to_body(person: Person, body: Body, day: date) -> bool:
    """New to the body: no seat on it, from the seat history, that started before ``day``."""
    return not Seat.objects.filter(person=person, body=body, starts_on__lt=day).exists()


def needed(percent: int, people: int) -> int:
    return math.ceil(percent * people / 100)


@dataclass(frozen=True)
class GoalCheck:
    goal: str
    label: str
    minimum_percent: int
    binding: bool
    need: int
    met: bool


@dataclass(frozen=True)
class Tally:
    people: int
    new_to_body: int
    categories: list[tuple[str, int | None]]  # (label, count); None where the count is held back
    goals: list[GoalCheck]
    minimum: int


def _label(goal: str) -> str:
    if goal == NEW_TO_BODY:
        return ""
    return next((c["label"] for c in categories() if c["code"] == goal), goal)


def _meets(person: Person, goal: str, answers: dict[int, set[str]], body: Body, day: date) -> bool:
    if goal == NEW_TO_BODY:
        return is_new_to_body(person, body, day)
    return goal in answers.get(person.pk, set())


def _checks(people: Sequence[Person], answers: dict[int, set[str]], body: Body, day: date) -> list[GoalCheck]:
    checks = []
    for goal in goals_for(body):
        need = needed(int(goal["minimum_percent"]), len(people))
        have = sum(1 for p in people if _meets(p, goal["goal"], answers, body, day))
        checks.append(
            GoalCheck(
                goal=goal["goal"],
                label=_label(goal["goal"]),
                minimum_percent=int(goal["minimum_percent"]),
                binding=bool(goal["binding"]),
                need=need,
                met=have >= need,
            )
        )
    return checks


def tally(*, people: Sequence[Person], body: Body, day: date) -> Tally:
    """The composition of ``people`` (a slate, or those elected) in aggregate. A category's count is held back
    when it, or the rest of the group, is under the bylaws' minimum: a count of everyone tells as much as one."""
    answers = _answers(people)
    minimum = minimum_count()
    counts = Counter(code for codes in answers.values() for code in codes)
    shown: list[tuple[str, int | None]] = []
    for category in categories():
        n = counts[category["code"]]
        shown.append((category["label"], n if n >= minimum and len(people) - n >= minimum else None))
    return Tally(
        people=len(people),
        new_to_body=sum(1 for p in people if is_new_to_body(p, body, day)),
        categories=shown,
        goals=_checks(people, answers, body, day),
        minimum=minimum,
    )


def apply_goals(
    *, winners: list[int], order: list[int], people: dict[int, Person], body: Body, day: date
) -> tuple[list[int], dict[str, Any]]:
    """Check the body's goals against the winners (candidates by id, in the order elected; ``order`` every candidate
    as counted; ``people`` their persons). A binding goal missed is the method's own rule, in the bylaws' order of
    goals: the next candidate in line who meets it takes the place of the last-elected winner who does not, as long
    as that change leaves every other binding goal that is met still met (else the winner placed above them, else
    the next candidate in line); repeated until the goal is met or no such change is left. Returns the winners and
    what to record: each goal met or missed, each place given."""
    answers = _answers(people.values())
    chosen = list(winners)
    replaced: list[dict[str, Any]] = []
    binding = [goal for goal in goals_for(body) if goal["binding"]]

    def meets(pk: int, goal: dict[str, Any]) -> bool:
        return _meets(people[pk], goal["goal"], answers, body, day)

    def met(goal: dict[str, Any], group: list[int]) -> bool:
        return sum(1 for pk in group if meets(pk, goal)) >= needed(int(goal["minimum_percent"]), len(group))

    def swapped(giver: int, taker: int) -> list[int]:
        return [taker if pk == giver else pk for pk in chosen]

    for goal in binding:
        while not met(goal, chosen):
            kept = [other for other in binding if other is not goal and met(other, chosen)]
            givers = [pk for pk in reversed(chosen) if not meets(pk, goal)]
            takers = [
                pk for pk in order if pk not in chosen and meets(pk, goal) and not any(r["out"] == pk for r in replaced)
            ]
            change = next(
                (
                    (giver, taker)
                    for taker in takers
                    for giver in givers
                    if all(met(other, swapped(giver, taker)) for other in kept)
                ),
                None,
            )
            if change is None:
                break
            giver, taker = change
            chosen = swapped(giver, taker)
            replaced.append({"out": giver, "in": taker, "goal": goal["goal"]})
    checks = _checks([people[pk] for pk in chosen], answers, body, day)
    record = {
        "goals": [
            {"goal": c.goal, "minimum_percent": c.minimum_percent, "binding": c.binding, "need": c.need, "met": c.met}
            for c in checks
        ],
        "replaced": replaced,
    }
    return chosen, record
