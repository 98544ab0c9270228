"""Who may do what with accounts."""

from typing import Any

import rules

from rankfile.policy import rule_set


@rules.predicate
def is_site_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_site_admin)


rule_set.add_rule("accounts.invite_person", is_site_admin)
rule_set.add_rule("accounts.list_invitations", is_site_admin)
rule_set.add_rule("accounts.revoke_invitation", is_site_admin)
