"""Who may read the ledger's entries. Entries hold no case content, but who did what, when, is still only
for the oversight body (and, until bodies exist, the site administrators)."""

from collections.abc import Callable
from typing import Any

import rules

from rankfile.policy import rule_set

_oversight_predicates: list[Callable[[Any], bool]] = []


def oversight_role(predicate: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """Register ``predicate(user) -> bool``: True for members of the oversight body."""
    _oversight_predicates.append(predicate)
    return predicate


@rules.predicate
def watches_the_ledger(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(getattr(user, "is_site_admin", False)) or any(p(user) for p in _oversight_predicates)


rule_set.add_rule("ledger.view_entries", watches_the_ledger)
