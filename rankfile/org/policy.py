"""Who may change the map of the organization. Until bylaws name the bodies for it, site administrators; the
system (sanctions, timers) and the operator's command line act by their own authority, recorded as such."""

from typing import Any

import rules

from rankfile.ledger.actions import Actor
from rankfile.policy import rule_set


@rules.predicate
def acts_for_the_installation(actor: Any) -> bool:
    if isinstance(actor, Actor):
        return actor.type in ("system", "operator")
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active and actor.is_site_admin)


rule_set.add_rule("org.manage_people", acts_for_the_installation)
rule_set.add_rule("org.manage_bodies", acts_for_the_installation)
rule_set.add_rule("org.seat_people", acts_for_the_installation)
rule_set.add_rule("org.restrict_people", acts_for_the_installation)
