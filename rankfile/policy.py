"""The one way code asks "may this person do this?".

Permissions are ``rules`` predicates registered in each app's ``policy.py``. We test them with
``rules.test_rule`` on our own rule set, never through ``User.has_perm``: Django answers True for any
superuser before a backend runs, and access to cases must follow assignment, never rank (invariant 5).
"""

from typing import Any

import rules

from rankfile.errors import NotAllowed

rule_set = rules.RuleSet()


def allows(actor: Any, permission: str, target: Any = None) -> bool:
    return bool(rule_set.test_rule(permission, actor, target))


def require(actor: Any, permission: str, target: Any = None) -> None:
    """Raise NotAllowed, which looks exactly like "not found", unless ``actor`` holds ``permission``."""
    if not allows(actor, permission, target):
        raise NotAllowed(f"{permission} refused")
