"""The one way code asks "may this person do this?".

Permissions are ``rules`` predicates registered in each app's ``policy.py``. We test them with
``rules.test_rule`` on our own rule set, never through ``User.has_perm``: Django answers True for any
superuser before a backend runs, and access to cases must follow assignment, never rank (invariant 5).
"""

from collections.abc import Callable
from typing import Any, TypeVar

import rules

from rankfile.errors import NotAllowed

rule_set = rules.RuleSet()

View = TypeVar("View", bound=Callable[..., Any])


def allows(actor: Any, permission: str, target: Any = None) -> bool:
    return bool(rule_set.test_rule(permission, actor, target))


def require(actor: Any, permission: str, target: Any = None) -> None:
    """Raise NotAllowed, which looks exactly like "not found", unless ``actor`` holds ``permission``."""
    if not allows(actor, permission, target):
        raise NotAllowed(f"{permission} refused")


def public_page(view: View) -> View:
    """Mark a page that answers signed-out visitors itself, so that its "not found" stays "not found".

    Every other page sends a signed-out visitor to the sign-in page, which brings them back after signing in.
    """
    view.public_page = True  # type: ignore[attr-defined]
    return view
