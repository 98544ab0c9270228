"""Invitations that name a person on the membership list (rankfile.accounts.hooks): who may be named, and linking
the account to them once the invitation is accepted; and who sits on the oversight body, to be told of a site
administrator making another."""

from collections.abc import Collection
from typing import Any

from rankfile.accounts import hooks
from rankfile.org import actions, queries
from rankfile.org.models import Person


def _invitable() -> Any:
    return Person.objects.filter(user__isnull=True).exclude(email="")


def invitable_people() -> list[hooks.Invitable]:
    people = _invitable().order_by("name", "pk").values_list("pk", "name", "email")
    return [hooks.Invitable(pk=pk, name=name, email=email) for pk, name, email in people]


def invitable_person(pk: int) -> hooks.Invitable | None:
    found = _invitable().filter(pk=pk).values_list("pk", "name", "email").first()
    return hooks.Invitable(pk=found[0], name=found[1], email=found[2]) if found else None


def people_names(pks: Collection[int]) -> dict[int, str]:
    return dict(Person.objects.filter(pk__in=list(pks)).values_list("pk", "name"))


def link_on_acceptance(person_pk: int, user: Any) -> None:
    person = Person.objects.get(pk=person_pk)
    actions.person_account_link(person=person, user=user, by=user, by_invitation=True)


def oversight_addresses() -> list[str]:
    return [address for _pk, address in queries.oversight_addresses()]


hooks.register_invitable(listing=invitable_people, finder=invitable_person)
hooks.register_accept_listener(link_on_acceptance)
hooks.register_name_lookup(people_names)
hooks.register_oversight_addresses(oversight_addresses)
