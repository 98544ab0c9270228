"""Who may do what with accounts."""

from collections.abc import Callable
from typing import Any

import rules

from rankfile import policy, prepared
from rankfile.ledger.actions import Actor
from rankfile.ledger.policy import watches_the_ledger
from rankfile.per_request import remembered
from rankfile.policy import rule_set
from rankfile.vault.models import RecoveryShare


@rules.predicate
def is_site_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_site_admin)


rule_set.add_rule("accounts.invite_person", is_site_admin)
rule_set.add_rule("accounts.list_invitations", is_site_admin)
rule_set.add_rule("accounts.revoke_invitation", is_site_admin)


# Recovery by trustees (rankfile.accounts.recovery). Who may hold a share is the organization's to say:
# ``org.policy`` registers the rule "accounts.be_recovery_trustee" and a pool to list the people it allows.

TrusteePool = Callable[[], set[int]]
_trustee_pools: list[TrusteePool] = []


def recovery_trustee_pool(pool: TrusteePool) -> TrusteePool:
    """Register ``pool() -> user ids``: the people "accounts.be_recovery_trustee" may allow today, to list them."""
    _trustee_pools.append(pool)
    return pool


def recovery_trustee_pool_ids() -> set[int]:
    return set().union(*(pool() for pool in _trustee_pools))


@rules.predicate
def acts_for_the_installation(actor: Any) -> bool:
    if isinstance(actor, Actor):
        return actor.type == "operator"
    return bool(is_site_admin(actor))


def _current_shares(user: Any) -> Any:
    """The user's shares held through their current key pair: one sealed to a key pair retired after a password
    reset is lost."""
    return RecoveryShare.objects.filter(trustee__user=user, trustee__retired_at__isnull=True)


@rules.predicate
def holds_a_share_of_the_recovery_key(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # Asked by the layout on every page: built once a day (``prepared``).
    return remembered(
        ("accounts.holds_a_share", user.pk),
        lambda: bool(prepared.rows("accounts.holds_a_share", _a_current_share, user_id=user.pk)),
    )


def _a_current_share(*, user_id: int) -> Any:
    shares = RecoveryShare.objects.filter(trustee__user_id=user_id, trustee__retired_at__isnull=True)
    return shares.filter(recovery_key__replaced_at__isnull=True).values_list("pk")[:1]


@rules.predicate
def holds_a_share_for(user: Any, recovery: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active or recovery is None:
        return False
    return _current_shares(user).filter(recovery_key_id=recovery.recovery_key_id).exists()


@rules.predicate
def may_be_a_recovery_trustee(user: Any) -> bool:
    return policy.allows(user, "accounts.be_recovery_trustee")


@rules.predicate
def is_that_person(actor: Any, user: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and user is not None and actor.pk == user.pk)


# A trustee who has left the oversight body keeps their sealed share but may no longer use it.
is_a_recovery_trustee = holds_a_share_of_the_recovery_key & may_be_a_recovery_trustee

rule_set.add_rule("accounts.set_up_recovery", acts_for_the_installation)
rule_set.add_rule("accounts.view_recovery_requests", is_a_recovery_trustee)
rule_set.add_rule("accounts.approve_recovery", holds_a_share_for & may_be_a_recovery_trustee)
rule_set.add_rule("accounts.request_access_restore", is_that_person | is_a_recovery_trustee)
# Site administrators and the oversight body, as for the ledger, until the cases part names who hands cases over.
rule_set.add_rule("accounts.request_hand_over", watches_the_ledger)
