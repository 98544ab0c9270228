"""Reading the ledger: its size, tree nodes, proofs, the signing key, entries for the oversight page."""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from rankfile import policy
from rankfile.errors import NotAllowed
from rankfile.ledger import hooks, merkle, schema, signing
from rankfile.ledger import policy as ledger_policy
from rankfile.ledger.models import Checkpoint, Entry, Node


def ledger_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(seq) FROM {Entry._meta.db_table}")  # noqa: S608 (fixed name)
        return cursor.fetchone()[0] or 0


class DatabaseNodes:
    """The tree's complete subtrees from the database: leaves from entries (level 0), the rest from nodes.

    Plain SQL: every append and every proof asks for a handful of these, and query building would dominate.
    """

    def nodes(self, keys: Sequence[tuple[int, int]]) -> Mapping[tuple[int, int], bytes]:
        found: dict[tuple[int, int], bytes] = {}
        leaf_seqs = [index + 1 for level, index in keys if level == 0]
        inner = [(level, index) for level, index in keys if level > 0]
        with connection.cursor() as cursor:
            if leaf_seqs:
                marks = ", ".join(["%s"] * len(leaf_seqs))
                cursor.execute(
                    f"SELECT seq, leaf_hash FROM {Entry._meta.db_table} WHERE seq IN ({marks})",  # noqa: S608
                    leaf_seqs,
                )
                for seq, leaf in cursor.fetchall():
                    found[(0, seq - 1)] = bytes(leaf)
            if inner:
                condition = " OR ".join(["(level = %s AND position = %s)"] * len(inner))
                cursor.execute(
                    f"SELECT level, position, hash FROM {Node._meta.db_table} WHERE {condition}",  # noqa: S608
                    [value for key in inner for value in key],
                )
                for level, index, node_hash in cursor.fetchall():
                    found[(level, index)] = bytes(node_hash)
        missing = set(keys) - set(found)
        if missing:
            raise LookupError(f"the ledger's tree is missing nodes {sorted(missing)[:5]}; run `rankfile ledger verify`")
        return found


def tree_head() -> tuple[int, bytes]:
    """The ledger's size and root now, as a backup records them beside its copy of the database."""
    size = ledger_size()
    return size, merkle.tree_root(DatabaseNodes(), size)


def checkpoint_notes() -> list[str]:
    """Every signed checkpoint, oldest first, byte for byte as signed and sent."""
    return list(Checkpoint.objects.order_by("size").values_list("note", flat=True))


def ledger_key() -> tuple[signing.LedgerKey, bool]:
    """The organization's ledger signing key (created on first use) and whether it was just created."""
    return signing.load_or_create_key(path=settings.LEDGER_KEY_FILE, name=settings.LEDGER_ORIGIN)


def existing_ledger_key() -> signing.LedgerKey | None:
    """The ledger signing key if it is there; never made here (a verifier must not make the key it checks with)."""
    return signing.load_key(path=settings.LEDGER_KEY_FILE, name=settings.LEDGER_ORIGIN)


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


@dataclass(frozen=True)
class InclusionProof:
    seq: int
    leaf_hash: bytes
    checkpoint: Checkpoint
    proof: list[bytes]

    @property
    def verified(self) -> bool:
        return merkle.verify_inclusion(
            self.leaf_hash, self.seq - 1, self.checkpoint.size, self.proof, bytes(self.checkpoint.root)
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "leaf_index": self.seq - 1,
            "leaf_hash": self.leaf_hash.hex(),
            "tree_size": self.checkpoint.size,
            "root": bytes(self.checkpoint.root).hex(),
            "proof": [element.hex() for element in self.proof],
            "checkpoint": self.checkpoint.note,
        }


def inclusion_proof(*, seq: int, checkpoint: Checkpoint | None = None) -> InclusionProof:
    """Proof that entry ``seq`` is in the tree signed by ``checkpoint`` (default: the latest that covers it)."""
    checkpoint = checkpoint or Checkpoint.objects.filter(size__gte=seq).order_by("-size").first()
    entry = Entry.objects.filter(seq=seq).first()
    if entry is None or checkpoint is None or checkpoint.size < seq:
        raise LookupError(f"no signed checkpoint covers entry {seq} yet")
    proof = merkle.tree_inclusion_proof(DatabaseNodes(), seq - 1, checkpoint.size)
    return InclusionProof(seq=seq, leaf_hash=bytes(entry.leaf_hash), checkpoint=checkpoint, proof=proof)


@dataclass(frozen=True)
class CheckpointStatus:
    checkpoint: Checkpoint
    signature_valid: bool
    matches_current_tree: bool

    @property
    def ok(self) -> bool:
        return self.signature_valid and self.matches_current_tree


def checkpoint_status(checkpoint: Checkpoint) -> CheckpointStatus:
    """Is the signature good, and does the stored tree still have this root at this size? (O(log n), no full scan.)"""
    key, _ = ledger_key()
    try:
        head = signing.open_note(checkpoint.note, verifier=key.verifier)
        signature_valid = head.size == checkpoint.size and head.root == bytes(checkpoint.root)
    except signing.CheckpointError:
        signature_valid = False
    try:
        matches = merkle.tree_root(DatabaseNodes(), checkpoint.size) == bytes(checkpoint.root)
    except LookupError:
        matches = False
    return CheckpointStatus(checkpoint=checkpoint, signature_valid=signature_valid, matches_current_tree=matches)


def entries_for_oversight(
    *,
    user: Any,
    action: str = "",
    subject_type: str = "",
    person_id: int | None = None,
    acted_as: Sequence[hooks.ActorReference] = (),
    since: str = "",
    until: str = "",
) -> QuerySet[Entry]:
    """``person_id``: entries that person acted in; ``acted_as``: entries of these actor references (an account that
    belongs to no person, as ``who_acted`` lists it)."""
    policy.require(user, "ledger.view_entries")
    entries = _visible(Entry.objects.order_by("-seq"), user=user)
    if action:
        entries = entries.filter(_actions_named(action))
    if subject_type:
        entries = entries.filter(subject_type=subject_type)
    if person_id is not None:
        entries = entries.filter(_acted_as(hooks.references_of_person(person_id=person_id)))
    if acted_as:
        entries = entries.filter(_acted_as(list(acted_as)))
    if since:
        entries = entries.filter(recorded_at__gte=since)
    if until:
        entries = entries.filter(recorded_at__lt=until)
    if since or until:
        # Newest first by the time recorded, which follows the entries' order: the index of times then finds the
        # newest entries of the range directly, where walking back by number reads everything after the range first.
        entries = entries.order_by("-recorded_at", "-seq")
    return entries


@dataclass(frozen=True)
class EntriesPage:
    """One page of the Ledger page's list, newest first, found without reading the whole ledger. ``total``: how many
    entries there are, known only for the whole ledger (from its last entry's number); a filtered list is not
    counted, which could mean reading a million entries, and says only which page this is."""

    entries: list[Entry]
    number: int
    per_page: int
    total: int | None
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.entries else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.entries)

    @property
    def pages(self) -> int | None:
        return None if self.total is None else max(1, -(-self.total // self.per_page))


def entries_page(
    *, user: Any, entries: QuerySet[Entry], filtered: bool, number: int, per_page: int, size: int
) -> EntriesPage:
    """Page ``number`` (from 1) of ``entries`` (``entries_for_oversight``), ``per_page`` a page, in a ledger of
    ``size`` entries (``ledger_size``). The whole ledger, unfiltered and with nothing hidden from this watcher, is
    counted by its last entry's number and paged by entry numbers (they have no gaps), so a far page costs what the
    first does, and a page past the last is the last. A filtered list is paged by position, one more entry asked
    than shown to know whether there is a next page, and not counted."""
    number = max(1, number)
    if not filtered and ledger_policy.hidden_from(user) is None:
        number = min(number, max(1, -(-size // per_page)))
        newest = size - (number - 1) * per_page
        rows = list(entries.filter(seq__lte=newest, seq__gt=newest - per_page))
        return EntriesPage(entries=rows, number=number, per_page=per_page, total=size, has_next=newest > per_page)
    start = (number - 1) * per_page
    rows = list(entries[start : start + per_page + 1])
    return EntriesPage(
        entries=rows[:per_page], number=number, per_page=per_page, total=None, has_next=len(rows) > per_page
    )


def _actions_named(action: str) -> Q:
    """One action by its name, or every action of a part by the part's name and a dot ("cases."): by the names the
    parts define, so that the index of actions finds them (a LIKE on the start of the name reads every entry on
    SQLite, whose LIKE ignores case and so cannot use the index)."""
    if not action.endswith("."):
        return Q(action=action)
    return Q(action__in=[name for name in schema.defined_actions() if name.startswith(action)])


def _acted_as(references: list[hooks.ActorReference]) -> Q:
    if not references:
        return Q(pk__in=[])
    acted = Q()
    for actor_type, actor_id in references:
        acted |= Q(actor_type=actor_type, actor_id=actor_id)
    return acted


def entry_for_proof(*, seq: int) -> Entry:
    """An entry whose proof anyone may check: the proof reveals only hashes, never the entry's content."""
    entry = Entry.objects.filter(seq=seq).first()
    if entry is None:
        raise NotAllowed("no such entry")
    return entry


def entry_for_watcher(*, seq: int, user: Any) -> Entry | None:
    """The entry, for someone who may see it on the Ledger page; None for anyone else (the proof page then shows
    hashes only, as it does to the public)."""
    if not policy.allows(user, "ledger.view_entries"):
        return None
    return _visible(Entry.objects.filter(seq=seq), user=user).first()


def subjects_seen(*, user: Any, subject_type: str, ids: set[int]) -> set[int]:
    """Which of these subjects (of one type) this watcher may know of: those whose entries the Ledger page shows them.
    Parts above reuse it so that a record is hidden wherever its entries are."""
    policy.require(user, "ledger.view_entries")
    if not ids:
        return set()
    entries = _visible(Entry.objects.filter(subject_type=subject_type, subject_id__in=ids), user=user)
    return {i for i in entries.order_by().values_list("subject_id", flat=True).distinct() if i is not None}


def recent_checkpoints(*, limit: int) -> list[Checkpoint]:
    return list(Checkpoint.objects.order_by("-size")[:limit])


def flagged_entries(*, user: Any, limit: int = 50) -> list[Entry]:
    """Entries of actions flagged for the oversight body (overrides), newest first."""
    policy.require(user, "ledger.view_entries")
    flagged = _visible(Entry.objects.filter(action__in=schema.flagged_actions()), user=user)
    # Ordered by an expression of seq, not seq itself: these actions are rare, and a planner that may walk the entries
    # in seq's order (SQLite with statistics does) reads the whole ledger to find none; this way it takes the index
    # of actions and sorts the few it finds.
    return list(flagged.order_by((F("seq") + 0).desc())[:limit])


def _visible(entries: QuerySet[Entry], *, user: Any) -> QuerySet[Entry]:
    hidden = ledger_policy.hidden_from(user)
    return entries if hidden is None else entries.exclude(hidden)


# --- who acted, as pages show it ----------------------------------------------------------------------------------

_ACTORS_IN_WORDS = {"system": _("system"), "operator": _("operator"), "reporter": _("the reporter")}


@dataclass(frozen=True)
class ActorShown:
    """Who acted, for a page: a person's name and their page in the directory for those who may see the directory,
    a neutral word for anyone else; the system, the operator and the reporter in words (never who reported)."""

    words: str
    url: str = ""


@dataclass(frozen=True)
class ShownEntry:
    """An entry as a page lists it: the entry, what happened in words, who acted and what it is about, as that page's
    reader may see them (``subject`` None when there is nothing to add to the label). ``withheld``: its subject and
    recorded data would tell this reader who sits on a caucus, so the page shows neither, and "a member" for who acted
    (hooks.register_entry_withholder)."""

    entry: Entry
    actor: ActorShown
    label: str = ""
    subject: hooks.NamedSubject | None = None
    withheld: bool = False


def _named_reference(entry: Entry) -> hooks.ActorReference | None:
    if entry.actor_type in _ACTORS_IN_WORDS or entry.actor_id is None:
        return None
    return entry.actor_type, entry.actor_id


def _subject_reference(entry: Entry) -> hooks.ActorReference | None:
    if not entry.subject_type or entry.subject_id is None:
        return None
    return entry.subject_type, entry.subject_id


def _recorded(entry: Entry) -> dict[str, Any]:
    try:
        data = json.loads(entry.data)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def entries_shown(*, entries: Iterable[Entry], with_names: bool, reader: Any = None) -> list[ShownEntry]:
    """The entries with what happened, who acted and what about, named in one go for the whole list (the hooks
    answer in bulk). A subject that is a person is named as an actor is; others by the part that made them, with a
    link only where ``reader`` may open it. An entry a part withholds from ``reader`` is shown without its subject or
    data, and whoever acted as "a member"."""
    entries = list(entries)
    withheld = hooks.entries_withheld(reader=reader, entries=entries) if entries else set()
    subjects = {r for r in map(_subject_reference, entries) if r is not None}
    named_subjects = hooks.subjects_named(reader=reader, references=subjects)
    people = {r for r in map(_named_reference, entries) if r is not None} | (subjects - set(named_subjects))
    named = hooks.actors_named(references=people)
    shown = []
    for entry in entries:
        if entry.seq in withheld:
            actor = _entry_actor(entry, named, with_names=False)
            shown.append(ShownEntry(entry=entry, actor=actor, label=schema.label_of(entry.action), withheld=True))
            continue
        subject_reference = _subject_reference(entry)
        subject = None
        if subject_reference in named_subjects:
            subject = named_subjects[subject_reference]
        elif subject_reference in named:
            person = _actor_shown(subject_reference, named, with_names=with_names)
            subject = hooks.NamedSubject(words=person.words, url=person.url)
        shown.append(
            ShownEntry(
                entry=entry,
                actor=_entry_actor(entry, named, with_names=with_names),
                label=schema.label_of(entry.action, _recorded(entry)),
                subject=subject,
            )
        )
    return shown


def _entry_actor(
    entry: Entry, named: Mapping[hooks.ActorReference, hooks.NamedActor], *, with_names: bool
) -> ActorShown:
    if entry.actor_type in _ACTORS_IN_WORDS:
        return ActorShown(words=str(_ACTORS_IN_WORDS[entry.actor_type]))
    reference = _named_reference(entry)
    if reference is None:
        return ActorShown(words=str(_("someone")))
    return _actor_shown(reference, named, with_names=with_names)


def _actor_shown(
    reference: hooks.ActorReference, named: Mapping[hooks.ActorReference, hooks.NamedActor], *, with_names: bool
) -> ActorShown:
    actor = named.get(reference)
    if actor is None:
        return ActorShown(words=str(_("an account no longer known")))
    if not with_names:
        return ActorShown(words=str(_("a member") if actor.person_id is not None else _("an account")))
    return ActorShown(words=actor.name, url=actor.url)


# A search of who acted that finds more than this many names asks for more of the name.
PEOPLE_FOUND_AT_MOST = 20


def actors_found(*, user: Any, words: str) -> list[hooks.ActorFound]:
    """The people, and the accounts that belong to no person, whose name contains ``words``, with the references
    their entries carry: the filter by person, only for those who may see the directory (the caller asks). At most
    ``PEOPLE_FOUND_AT_MOST`` and one more, so that the page can ask for more of the name."""
    policy.require(user, "ledger.view_entries")
    return hooks.actors_found(words=words, most=PEOPLE_FOUND_AT_MOST)
