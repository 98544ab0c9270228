"""Questions the ledger asks of the parts above it, which it cannot import (DESIGN.md layers): who a signed-in
account is in the organization, who an entry's actor is, and what an entry's subject is, for the pages that show
entries.

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


@dataclass(frozen=True)
class NamedSubject:
    """What an entry is about, as one reader may see it: words ("case C-2026-4", "the Steering Committee") and its
    page, only when that reader may open it."""

    words: str
    url: str = ""


@dataclass(frozen=True)
class ActorFound:
    """Someone whose name matched a search of who acted: a person or an account that belongs to no person, by name,
    with every reference that entries use for them (old ones included)."""

    name: str
    references: tuple[ActorReference, ...]


AccountActorFinder = Callable[[Any], ActorReference | None]
# (words, at most) -> the people and accounts whose name contains the words, by name, at most that many and one more.
ActorSearch = Callable[[str, int], list[ActorFound]]
ActorNamer = Callable[[set[ActorReference]], dict[ActorReference, NamedActor]]
PersonReferenceFinder = Callable[[int], list[ActorReference]]
# (reader, subject ids of one type) -> what each is, for that reader; ids it does not name are left out.
SubjectNamer = Callable[[Any, set[int]], dict[int, NamedSubject]]
# (reader, entries) -> the seqs of those entries whose subject, data and actor that reader may not see.
EntryWithholder = Callable[[Any, list[Any]], set[int]]

_account_actor_finders: dict[str, AccountActorFinder] = {}
_actor_namers: dict[str, ActorNamer] = {}
_person_reference_finders: dict[str, PersonReferenceFinder] = {}
_subject_namers: dict[str, SubjectNamer] = {}
_entry_withholders: dict[str, EntryWithholder] = {}
_actor_searches: dict[str, ActorSearch] = {}


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


def register_actor_search(name: str, search: ActorSearch) -> ActorSearch:
    """``search(words, most)``: the people and accounts whose name contains ``words`` (in any case), by name, at most
    ``most`` + 1 of them (so that the caller knows there are more), in a constant number of queries."""
    _actor_searches[name] = search
    return search


def register_subject_namer(subject_type: str, namer: SubjectNamer) -> SubjectNamer:
    """``namer(reader, ids)``: what the subjects of ``subject_type`` ("cases.case") with these ids are, and a link to
    each one's page where ``reader`` may open it, in a constant number of queries however many ids."""
    _subject_namers[subject_type] = namer
    return namer


def register_entry_withholder(name: str, withholder: EntryWithholder) -> EntryWithholder:
    """``withholder(reader, entries)``: the seqs of the entries whose subject, recorded data and actor would tell
    ``reader`` what they may not learn (who sits on a caucus), in a constant number of queries however many entries.
    Pages still list such an entry, by what happened, with "a member" and no data: the stored entry never changes."""
    _entry_withholders[name] = withholder
    return withholder


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


def actors_found(*, words: str, most: int) -> list[ActorFound]:
    """Who, among those the parts know, has ``words`` in their name: at most ``most`` + 1, sorted by name."""
    found = [actor for search in _actor_searches.values() for actor in search(words, most)]
    return sorted(found, key=lambda actor: (actor.name.casefold(), actor.references))[: most + 1]


def references_of_person(*, person_id: int) -> list[ActorReference]:
    return [reference for finder in _person_reference_finders.values() for reference in finder(person_id)]


def subjects_named(*, reader: Any, references: set[ActorReference]) -> dict[ActorReference, NamedSubject]:
    """What each (subject type, id) is, for ``reader``: asked of the part that registered its type, once a type."""
    by_type: dict[str, set[int]] = {}
    for subject_type, subject_id in references:
        by_type.setdefault(subject_type, set()).add(subject_id)
    named: dict[ActorReference, NamedSubject] = {}
    for subject_type, ids in by_type.items():
        namer = _subject_namers.get(subject_type)
        if namer is not None:
            named.update({(subject_type, i): subject for i, subject in namer(reader, ids).items() if i in ids})
    return named


def entries_withheld(*, reader: Any, entries: list[Any]) -> set[int]:
    withheld: set[int] = set()
    for withholder in _entry_withholders.values():
        withheld |= withholder(reader, entries)
    return withheld


CosignatureRequirement = Callable[[], int]
_cosignature_requirements: dict[str, CosignatureRequirement] = {}


def register_cosignature_requirement(name: str, requirement: CosignatureRequirement) -> CosignatureRequirement:
    """``requirement()``: how many trusted witnesses must have cosigned a checkpoint before it is accepted (the
    organization's bylaws say; ``org`` registers it)."""
    _cosignature_requirements[name] = requirement
    return requirement


def cosignatures_required() -> int:
    """The largest number any registered rule asks for; 0 with none registered."""
    return max((requirement() for requirement in _cosignature_requirements.values()), default=0)
