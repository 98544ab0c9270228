"""Who may read the ledger's entries. Entries hold no case content, but who did what, when, is still only
for the oversight body (and, until bodies exist, the site administrators)."""

from collections.abc import Callable
from typing import Any

import rules
from django.db.models import Q

from rankfile.policy import rule_set

_oversight_predicates: list[Callable[[Any], bool]] = []


def oversight_role(predicate: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """Register ``predicate(user) -> bool``: True for members of the oversight body."""
    _oversight_predicates.append(predicate)
    return predicate


_kept_from_site_admins: list[Q] = []


def only_for_the_oversight_body(entries: Q) -> Q:
    """Register entries (a filter) that only the oversight body may see: those that would tell a site
    administrator that a report exists. Parts register theirs when their app is ready."""
    _kept_from_site_admins.append(entries)
    return entries


def is_on_the_oversight_body(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active) and any(
        p(user) for p in _oversight_predicates
    )


def hidden_from(user: Any) -> Q | None:
    """The entries this watcher may not see; None when they may see all."""
    if is_on_the_oversight_body(user) or not _kept_from_site_admins:
        return None
    hidden = Q()
    for entries in _kept_from_site_admins:
        hidden |= entries
    return hidden


@rules.predicate
def watches_the_ledger(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(getattr(user, "is_site_admin", False)) or any(p(user) for p in _oversight_predicates)


rule_set.add_rule("ledger.view_entries", watches_the_ledger)
