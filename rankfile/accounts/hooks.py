"""Questions accounts asks of the parts above it, which it cannot import (DESIGN.md layers).

The organization registers, when its app is ready, the people an invitation may name (those on the membership list
with an email address and no account yet) and what accepting such an invitation does: the new account becomes that
person's; and who the oversight body is, to tell of a site administrator making another. With nothing registered,
an invitation names nobody, an account is linked to no one and nobody is told.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Invitable:
    """A person an invitation may name: their record's id, name and email address."""

    pk: int
    name: str
    email: str


InvitableList = Callable[[], list[Invitable]]
InvitableFinder = Callable[[int], Invitable | None]
AcceptListener = Callable[[int, Any], None]
NameLookup = Callable[[Collection[int]], dict[int, str]]
AddressList = Callable[[], list[str]]

_invitable_lists: list[InvitableList] = []
_invitable_finders: list[InvitableFinder] = []
_accept_listeners: list[AcceptListener] = []
_name_lookups: list[NameLookup] = []
_oversight_lists: list[AddressList] = []


def register_invitable(*, listing: InvitableList, finder: InvitableFinder) -> None:
    """``listing()``: everyone an invitation may name, by name; ``finder(pk)``: that one person, or None when an
    invitation may not name them (not on the list, or with an account already)."""
    _invitable_lists.append(listing)
    _invitable_finders.append(finder)


def register_accept_listener(listener: AcceptListener) -> None:
    """``listener(person_pk, user)``: called inside the acceptance's transaction, for an invitation that names a
    person; it links the new account to that person, or raises to refuse the acceptance."""
    _accept_listeners.append(listener)


def register_name_lookup(lookup: NameLookup) -> None:
    """``lookup(pks)``: the names of the people on the membership list with those ids, in one query."""
    _name_lookups.append(lookup)


def register_oversight_addresses(listing: AddressList) -> None:
    """``listing()``: the email addresses of the people sitting on the oversight body today."""
    _oversight_lists.append(listing)


def oversight_addresses() -> list[str]:
    return sorted({address for listing in _oversight_lists for address in listing()})


def invitable_people() -> list[Invitable]:
    return [person for listing in _invitable_lists for person in listing()]


def invitable_person(pk: int) -> Invitable | None:
    return next((found for finder in _invitable_finders if (found := finder(pk)) is not None), None)


def invitation_accepted(*, person_pk: int, user: Any) -> None:
    for listener in _accept_listeners:
        listener(person_pk, user)


def named_people(pks: Collection[int]) -> dict[int, str]:
    """The names of the people invitations name, by their id; one question of each part registered."""
    names: dict[int, str] = {}
    if pks:
        for lookup in _name_lookups:
            names.update(lookup(pks))
    return names
