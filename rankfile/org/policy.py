"""Who may change the map of the organization. Until bylaws name the bodies for it, site administrators; the
system (sanctions, timers) and the operator's command line act by their own authority, recorded as such."""

from datetime import date
from typing import Any

import rules
from django.utils import timezone

from rankfile.accounts.mfa import case_role
from rankfile.accounts.policy import recovery_trustee_pool
from rankfile.ledger.actions import Actor
from rankfile.ledger.policy import oversight_role
from rankfile.org import queries
from rankfile.org.models import BodyKind
from rankfile.per_request import remembered
from rankfile.policy import rule_set

# Bodies whose members handle cases or watch over them: they must use a second factor.
CASE_HANDLING_KINDS = frozenset({BodyKind.DISCIPLINARY, BodyKind.APPEALS, BodyKind.OVERSIGHT})


@oversight_role
def sits_on_the_oversight_body(user: Any) -> bool:
    return queries.holds_seat_on_kind(user=user, kinds=frozenset({BodyKind.OVERSIGHT}), day=timezone.localdate())


@case_role
def sits_on_a_case_handling_body(user: Any) -> bool:
    return queries.holds_seat_on_kind(user=user, kinds=CASE_HANDLING_KINDS, day=timezone.localdate())


@rules.predicate
def acts_for_the_installation(actor: Any) -> bool:
    if isinstance(actor, Actor):
        return actor.type in ("system", "operator")
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active and actor.is_site_admin)


rule_set.add_rule("org.manage_people", acts_for_the_installation)
rule_set.add_rule("org.manage_bodies", acts_for_the_installation)
rule_set.add_rule("org.seat_people", acts_for_the_installation)
rule_set.add_rule("org.restrict_people", acts_for_the_installation)
rule_set.add_rule("org.adopt_bylaws", acts_for_the_installation)


@rules.predicate
def is_member_in_good_standing(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    person = queries.person_of(user=user)
    return person is not None and queries.status_on(person=person, day=timezone.localdate()) == "active"


@rules.predicate
def is_site_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_site_admin)


@rules.predicate
def is_that_person(user: Any, person: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and person is not None and person.user_id == user.pk)


@rules.predicate
def sits_on_that_caucus(user: Any, seat: Any) -> bool:
    """The seat is the user's own, today, on a body of kind *caucus*: the one seat its holder ends themselves."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or seat is None:
        return False
    mine = queries.caucus_seat_of(user=user, body=seat.body, day=timezone.localdate())
    return mine is not None and mine.pk == seat.pk


rule_set.add_rule("org.leave_caucus_seat", sits_on_that_caucus)

watches_over = rules.predicate(sits_on_the_oversight_body)
rule_set.add_rule("org.view_directory", is_member_in_good_standing | is_site_admin | watches_over)
rule_set.add_rule("org.view_status_history", is_that_person | is_site_admin | watches_over)
# Finding anyone on the membership list, whatever their status (members find only members in good standing).
rule_set.add_rule("org.view_whole_membership", is_site_admin | watches_over)


@recovery_trustee_pool
def seated_on_the_bylaws_oversight_body() -> set[int]:
    """The logins of the people sitting today on the body the bylaws in force name as the oversight body."""
    day = timezone.localdate()
    return remembered(("org.bylaws_oversight_logins", day), lambda: _seated_on_the_bylaws_oversight_body(day))


def _seated_on_the_bylaws_oversight_body(day: date) -> set[int]:
    slug = queries.bylaws_document(day=day)["roles"].get("oversight", "")
    body = queries.body_named(slug) if slug else None
    if body is None:
        return set()
    return queries.logins_seated_on(body_id=body.pk, day=day)


@rules.predicate
def sits_on_the_bylaws_oversight_body(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.pk in seated_on_the_bylaws_oversight_body()


# Shares of the organization's recovery key go only to the oversight body the bylaws name (docs/recovery.md).
rule_set.add_rule("accounts.be_recovery_trustee", sits_on_the_bylaws_oversight_body)
