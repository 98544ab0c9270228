"""Who may see and do what in elections: the one place it is decided.

- Seeing elections, candidates, the published ballot trackers and results: members in good standing, the oversight
  body, site administrators (as for meetings and mandates).
- Running an election (calling it, opening voting, entering a paper count, counting, seating the winners) and
  reading why a nomination was refused: whoever sits today on the body that runs it (the bylaws' `roles.elections`,
  else the convention), and the system's timers. Never a site administrator by virtue of the role.
- Nominating: a member in good standing. Accepting or declining a nomination: the nominee alone.
- Voting online: a person on the election's roll, snapshotted when voting opened.
"""

from typing import Any

import rules
from django.db.models import Q
from django.utils import timezone

from rankfile.elections.models import Election, Elector, Nomination
from rankfile.governance.policy import sees_members_business
from rankfile.ledger.actions import Actor
from rankfile.org import queries as org_queries
from rankfile.org.models import Body
from rankfile.org.policy import is_member_in_good_standing
from rankfile.policy import rule_set


def _sits_on(user: Any, body_id: int | None) -> bool:
    if body_id is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    person = org_queries.person_of(user=user)
    return person is not None and body_id in org_queries.bodies_sat_on(person_id=person.pk, day=timezone.localdate())


def runs_elections_q(user: Any) -> Q:
    """The query form of ``runs_the_election`` for a list: elections run by a body the user sits on today."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Q(pk__in=[])
    person = org_queries.person_of(user=user)
    bodies = org_queries.bodies_sat_on(person_id=person.pk, day=timezone.localdate()) if person is not None else ()
    return Q(run_by_id__in=sorted(bodies))  # the bodies asked once per page view; none, and nothing is asked


def electing_body() -> Body | None:
    """The body the bylaws name to run elections: `roles.elections`, else the convention."""
    return org_queries.role_body("elections") or org_queries.role_body("convention")


@rules.predicate
def is_the_system(actor: Any) -> bool:
    return isinstance(actor, Actor) and actor.type in ("system", "operator")


@rules.predicate
def sits_on_the_elections_body(user: Any) -> bool:
    body = electing_body()
    return _sits_on(user, body.pk if body is not None else None)


@rules.predicate
def runs_the_election(user: Any, election: Election | None) -> bool:
    return election is not None and _sits_on(user, election.run_by_id)


@rules.predicate
def is_the_nominee(user: Any, nomination: Nomination | None) -> bool:
    return nomination is not None and getattr(user, "is_authenticated", False) and nomination.nominee.user_id == user.pk


@rules.predicate
def is_on_the_roll(user: Any, election: Election | None) -> bool:
    if election is None or not getattr(user, "is_authenticated", False):
        return False
    return Elector.objects.filter(election=election, person__user_id=user.pk).exists()


rule_set.add_rule("elections.view", sees_members_business)
rule_set.add_rule("elections.call", is_the_system | sits_on_the_elections_body)
rule_set.add_rule("elections.run", is_the_system | runs_the_election)
rule_set.add_rule("elections.nominate", is_member_in_good_standing)
rule_set.add_rule("elections.answer_nomination", is_the_nominee)
rule_set.add_rule("elections.vote", is_on_the_roll)
