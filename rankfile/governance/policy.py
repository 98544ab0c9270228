"""Who may record meetings, post progress on mandates, see and follow them.

Whoever writes a body's record sits on that body: a site administrator who does not is refused exactly as if the
meeting or the mandate did not exist (DESIGN.md invariants 5 and 11). The system (a member's own attendance at a
meeting of all members) and the operator's command line act by their own authority, recorded as such.

- Recording a meeting (attendance, agenda, minutes, motions, votes, the mandates a vote adopts or changes): the
  chair, vice chair or secretary sitting today on one of the meeting's bodies.
- Changing a mandate (amend, extend, rescind, citing a vote): the recorders of the body that adopted it or of a
  convention; the action checks that the vote cited may change it.
- Posting progress on a mandate: whoever sits today on the responsible body (the command line, on its behalf: the
  update and its ledger entry say so).
- Seeing meetings and members-only mandates: members in good standing, the oversight body, site administrators
  (and the command line), and (for a mandate) whoever sits on the responsible body. Public mandates: anyone.
- Following a mandate: anyone signed in who may see it.
"""

from collections.abc import Iterable
from typing import Any

import rules
from django.db.models import QuerySet
from django.utils import timezone

from rankfile.governance.models import Mandate, Meeting, Visibility
from rankfile.ledger.actions import Actor
from rankfile.org.models import Body, BodyKind, Seat, SeatRole
from rankfile.org.policy import acts_for_the_installation, is_member_in_good_standing, watches_over
from rankfile.per_request import remembered
from rankfile.policy import rule_set

RECORDING_ROLES = (SeatRole.CHAIR, SeatRole.VICE_CHAIR, SeatRole.SECRETARY)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _sits_on(user: Any, bodies: Iterable[Body], *, roles: Iterable[str] | None = None) -> bool:
    if not _signed_in(user):
        return False
    today = timezone.localdate()
    listed = list(bodies)
    seats = Seat.objects.filter(person__user_id=user.pk, body__in=listed, starts_on__lte=today).exclude(
        ends_on__lte=today
    )
    if roles is not None:
        roles = tuple(roles)
        seats = seats.filter(role__in=roles)
    key = ("governance.sits_on", user.pk, tuple(sorted(body.pk for body in listed)), roles, today)
    return remembered(key, seats.exists)


def _bodies_of(target: Any) -> list[Body]:
    if isinstance(target, Meeting):
        return list(target.bodies.all())
    if isinstance(target, Body):
        return [target]
    return list(target or [])


@rules.predicate
def records_for(user: Any, target: Any) -> bool:
    """The chair, vice chair or secretary of one of the bodies (a meeting's, or those given)."""
    return _sits_on(user, _bodies_of(target), roles=RECORDING_ROLES)


@rules.predicate
def acts_by_its_own_authority(actor: Any) -> bool:
    """The system and the operator's command line; never a person, whatever their rank."""
    return isinstance(actor, Actor) and actor.type in ("system", "operator")


def bodies_recorded_by(user: Any) -> QuerySet[Body]:
    """The bodies whose meetings ``user`` may record: those on which they sit today as chair, vice chair or
    secretary (all of them for the command line). Never a caucus of the older kind (a body of kind *caucus*): a
    meeting's page names who attends with a vote, which would tell every member who sits on it."""
    if acts_by_its_own_authority(user):
        return Body.objects.exclude(kind=BodyKind.CAUCUS).order_by("name")
    if not _signed_in(user):
        return Body.objects.none()
    today = timezone.localdate()
    seats = Seat.objects.filter(person__user_id=user.pk, role__in=RECORDING_ROLES, starts_on__lte=today).exclude(
        ends_on__lte=today
    )
    return Body.objects.filter(pk__in=seats.values("body_id")).exclude(kind=BodyKind.CAUCUS).order_by("name")


@rules.predicate
def records_for_some_body(user: Any) -> bool:
    return bodies_recorded_by(user).exists()


@rules.predicate
def records_for_a_body_that_may_change(user: Any, mandate: Mandate | None) -> bool:
    """Recorder of the body that adopted the mandate, or of a convention: the only bodies whose votes change it."""
    if mandate is None:
        return False
    bodies = [mandate.adopting_body, *Body.objects.filter(kind=BodyKind.CONVENTION)]
    return _sits_on(user, bodies, roles=RECORDING_ROLES)


@rules.predicate
def sits_on_the_responsible_body(user: Any, mandate: Mandate | None) -> bool:
    return mandate is not None and _sits_on(user, [mandate.responsible_body])


@rules.predicate
def is_public(user: Any, mandate: Mandate | None) -> bool:
    return mandate is not None and mandate.visibility == Visibility.PUBLIC


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return _signed_in(user)


# The command line and the timers act for the installation, as site administrators do.
sees_members_business = is_member_in_good_standing | acts_for_the_installation | watches_over


@rules.predicate
def is_the_operator(actor: Any) -> bool:
    """Whoever runs Rankfile's commands on the server (the CLI acts as the operator)."""
    return isinstance(actor, Actor) and actor.type == "operator"


# A body's record is written by those who sit on it, never by a site administrator by virtue of the role.
rule_set.add_rule("governance.record_meeting", acts_by_its_own_authority | records_for)
# What a vote does to a final decision or to the eligibility check is entered by a recorder who sits on the body,
# never by a site administrator by virtue of the role (DESIGN.md invariant 5).
rule_set.add_rule("governance.record_binding_vote", is_the_operator | records_for)
rule_set.add_rule("governance.record_some_meeting", acts_by_its_own_authority | records_for_some_body)
rule_set.add_rule("governance.change_mandate", acts_by_its_own_authority | records_for_a_body_that_may_change)
rule_set.add_rule("governance.view_meetings", sees_members_business)
rule_set.add_rule("governance.view_members_mandates", sees_members_business)
rule_set.add_rule("governance.view_mandate", is_public | sees_members_business | sits_on_the_responsible_body)
rule_set.add_rule("governance.post_progress", sits_on_the_responsible_body | acts_by_its_own_authority)
rule_set.add_rule(
    "governance.follow_mandate",
    is_signed_in & (is_public | sees_members_business | sits_on_the_responsible_body),
)


def posts_as_member(user: Any, mandate: Mandate) -> bool:
    """True when the poster sits on the responsible body; False when the command line posts on its behalf."""
    return bool(sits_on_the_responsible_body(user, mandate))
