"""Who acted, for the ledger (its hooks, registered when this app is ready): a signed-in account is recorded as its
person, and pages name people, accounts that belong to no person, and the accounts that old entries name; and the
bodies that entries are about."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from rankfile import policy
from rankfile.ledger import hooks
from rankfile.ledger.hooks import ActorReference, NamedActor, NamedSubject
from rankfile.org.models import Body, LegacyLedgerActor, Person

PERSON = Person._meta.label_lower  # "org.person": the person's id
ACCOUNT = get_user_model()._meta.label_lower  # "accounts.user": an account that belongs to no person


def person_of_account(account: Any) -> ActorReference | None:
    try:
        person = account.person
    except Person.DoesNotExist:
        return None
    return PERSON, person.pk


def _current_references(accounts: set[int]) -> dict[int, ActorReference]:
    """What old entries' account ids mean: the person noted when the ledger began naming people; for an account the
    note lacks (an entry recorded the old way while the upgrade ran), the account's person now; else the account."""
    noted = dict(LegacyLedgerActor.objects.filter(account_id__in=accounts).values_list("account_id", "person_id"))
    missing = accounts - set(noted)
    people_now = dict(Person.objects.filter(user_id__in=missing).values_list("user_id", "pk")) if missing else {}
    current: dict[int, ActorReference] = {}
    for account in accounts:
        person = noted[account] if account in noted else people_now.get(account)
        current[account] = (PERSON, person) if person is not None else (ACCOUNT, account)
    return current


def actors_named(references: set[ActorReference]) -> dict[ActorReference, NamedActor]:
    legacy = _current_references({i for kind, i in references if kind == hooks.LEGACY_ACCOUNT})
    current = {
        reference: legacy[reference[1]] if reference[0] == hooks.LEGACY_ACCOUNT else reference
        for reference in references
    }
    person_ids = {i for kind, i in current.values() if kind == PERSON}
    account_ids = {i for kind, i in current.values() if kind == ACCOUNT}
    people = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "name")) if person_ids else {}
    accounts = {a.pk: str(a) for a in get_user_model().objects.filter(pk__in=account_ids)} if account_ids else {}
    named: dict[ActorReference, NamedActor] = {}
    for reference, (kind, i) in current.items():
        if kind == PERSON and i in people:
            url = reverse("org:person_detail", args=[i])
            named[reference] = NamedActor(name=people[i], person_id=i, url=url)
        elif kind == ACCOUNT and i in accounts:
            named[reference] = NamedActor(name=accounts[i])
    return named


def references_of_person(person_id: int) -> list[ActorReference]:
    references: list[ActorReference] = [(PERSON, person_id)]
    account = Person.objects.filter(pk=person_id).values_list("user_id", flat=True).first()
    noted = dict(
        LegacyLedgerActor.objects.filter(Q(person_id=person_id) | Q(account_id=account)).values_list(
            "account_id", "person_id"
        )
    )
    references += [(hooks.LEGACY_ACCOUNT, a) for a, person in noted.items() if person == person_id]
    if account is not None and account not in noted:
        references.append((hooks.LEGACY_ACCOUNT, account))
    return references


def actors_found(words: str, most: int) -> list[hooks.ActorFound]:
    """People, and accounts that belong to no person, whose name contains ``words``: at most ``most`` + 1 of each,
    with every reference their entries carry (three queries, whoever matches)."""
    people = list(
        Person.objects.filter(name__icontains=words)
        .order_by("name", "pk")
        .values_list("pk", "name", "user_id")[: most + 1]
    )
    accounts = list(
        get_user_model()
        .objects.filter(Q(name__icontains=words) | Q(name="", email__icontains=words), person__isnull=True)
        .order_by("name", "email", "pk")[: most + 1]
    )
    person_ids = {pk for pk, _name, _account in people}
    account_ids = {account for _pk, _name, account in people if account is not None} | {a.pk for a in accounts}
    noted = (
        dict(
            LegacyLedgerActor.objects.filter(Q(person_id__in=person_ids) | Q(account_id__in=account_ids)).values_list(
                "account_id", "person_id"
            )
        )
        if people or accounts
        else {}
    )
    found = []
    for pk, name, account in people:
        references: list[ActorReference] = [(PERSON, pk)]
        references += [(hooks.LEGACY_ACCOUNT, a) for a, person in noted.items() if person == pk]
        if account is not None and account not in noted:
            references.append((hooks.LEGACY_ACCOUNT, account))
        found.append(hooks.ActorFound(name=name, references=tuple(sorted(references))))
    for login in accounts:
        references = [(ACCOUNT, login.pk)]
        # Old entries of this account mean it unless the account belonged to a person then.
        if noted.get(login.pk) is None:
            references.append((hooks.LEGACY_ACCOUNT, login.pk))
        name = str(_("%(name)s (an account, not on the membership list)") % {"name": str(login)})
        found.append(hooks.ActorFound(name=name, references=tuple(sorted(references))))
    return found


def bodies_named(reader: Any, ids: set[int]) -> dict[int, NamedSubject]:
    """A body by its name, linked to its page for those who may see the directory."""
    linked = policy.allows(reader, "org.view_directory")
    return {
        pk: NamedSubject(words=name, url=reverse("org:body_detail", args=[slug]) if linked else "")
        for pk, name, slug in Body.objects.filter(pk__in=ids).values_list("pk", "name", "slug")
    }


def caucus_seat_entries(reader: Any, entries: list[Any]) -> set[int]:
    """Entries that would tell ``reader`` who sits on a caucus: every page that lists entries withholds them."""
    from django.utils import timezone

    from rankfile.org import queries as org_queries

    return org_queries.caucus_seat_entries_withheld(user=reader, entries=entries, day=timezone.localdate())


hooks.register_account_actor("org", person_of_account)
hooks.register_entry_withholder("org", caucus_seat_entries)
hooks.register_subject_namer(Body._meta.label_lower, bodies_named)
hooks.register_actor_namer("org", actors_named)
hooks.register_person_references("org", references_of_person)
hooks.register_actor_search("org", actors_found)


def cosignatures_required() -> int:
    """The bylaws in force today: how many trusted witnesses must have cosigned a checkpoint (docs/ledger.md)."""
    from django.utils import timezone

    from rankfile.org import queries as org_queries

    return int(org_queries.bylaws_document(day=timezone.localdate())["ledger"]["cosignatures_required"])


hooks.register_cosignature_requirement("org", cosignatures_required)
