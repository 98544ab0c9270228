"""Questions the ledger asks of the parts above it, which it cannot import (DESIGN.md layers): who a signed-in
account is in the organization, and who an entry's actor is, for the pages that show entries.

An entry records who acted as a reference, a type and an id, the way it records its subject: ``org.person`` and the
person's id for an account that belongs to a person, ``accounts.user`` and the account's id for one that does not
(a site administrator who is not a member). Entries recorded before that say ``person`` with the *account's* id
(docs/ledger.md); ``org`` registers the answers when its app is ready and knows how those map. With nothing
registered, an account is recorded as itself and nobody is named.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ActorReference = tuple[str, int]

# What entries said for a signed-in account before they named the account's person: the account's id.
LEGACY_ACCOUNT = "person"


@dataclass(frozen=True)
class NamedActor:
    """Who an actor reference is: a person (``person_id`` and ``url``, their page in the directory) or an account
    that belongs to no person (its account name, no page)."""

    name: str
    person_id: int | None = None
    url: str = ""


AccountActorFinder = Callable[[Any], ActorReference | None]
ActorNamer = Callable[[set[ActorReference]], dict[ActorReference, NamedActor]]
PersonReferenceFinder = Callable[[int], list[ActorReference]]

_account_actor_finders: dict[str, AccountActorFinder] = {}
_actor_namers: dict[str, ActorNamer] = {}
_person_reference_finders: dict[str, PersonReferenceFinder] = {}


def register_account_actor(name: str, finder: AccountActorFinder) -> AccountActorFinder:
    """``finder(account)``: the reference an entry records for this signed-in account, or None to leave it to
    others (and, when nobody answers, record the account itself)."""
    _account_actor_finders[name] = finder
    return finder


def register_actor_namer(name: str, namer: ActorNamer) -> ActorNamer:
    """``namer(references)``: who each of the references it knows is, in a constant number of queries (pages ask
    for all their entries at once)."""
    _actor_namers[name] = namer
    return namer


def register_person_references(name: str, finder: PersonReferenceFinder) -> PersonReferenceFinder:
    """``finder(person_id)``: every reference that entries use for this person, old ones included."""
    _person_reference_finders[name] = finder
    return finder


def account_actor(*, account: Any) -> ActorReference | None:
    for finder in _account_actor_finders.values():
        reference = finder(account)
        if reference is not None:
            return reference
    return None


def actors_named(*, references: set[ActorReference]) -> dict[ActorReference, NamedActor]:
    named: dict[ActorReference, NamedActor] = {}
    if not references:
        return named
    for namer in _actor_namers.values():
        named.update(namer(references - set(named)))
    return named


def references_of_person(*, person_id: int) -> list[ActorReference]:
    return [reference for finder in _person_reference_finders.values() for reference in finder(person_id)]
