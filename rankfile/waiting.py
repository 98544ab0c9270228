"""What waits for a person: one thing to do, in plain words, with its date and the one page where it is done.

Each app says what waits in its own part (``cases.waiting``, ``accounts.queries``, ...); the home page puts the
lists together, the overdue first."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.functional import Promise


@dataclass(frozen=True)
class Item:
    what: str | Promise  # "Send your response", in the person's words
    where: str  # what it is about, in words ("Case C-2026-0003"), or ""
    url: str  # the one page where it is done
    due: datetime | None = None
    why: str | Promise = ""  # a sentence more, where the step needs explaining

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.now()


def in_order(items: Iterable[Item]) -> list[Item]:
    """Overdue first, then the soonest due, then what has no date; one card for each step of each matter, however
    many ways led to it."""
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    ordered = sorted(items, key=lambda item: (not item.overdue, item.due or far, str(item.where), str(item.what)))
    seen: set[tuple[str, str, str]] = set()
    once: list[Item] = []
    for item in ordered:
        step = (str(item.what), str(item.where), item.url)
        if step not in seen:
            seen.add(step)
            once.append(item)
    return once
