"""Reads for recovery by trustees: who may hold a share, the recovery key and its trustees, open requests.

No read here returns material or says which documents a request is about: trustees decide on who asked and why.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count

from rankfile import policy
from rankfile.accounts.models import User
from rankfile.accounts.policy import recovery_trustee_pool_ids
from rankfile.errors import NotAllowed
from rankfile.ledger import hooks as ledger_hooks
from rankfile.ledger.hooks import ActorReference
from rankfile.ledger.models import Entry
from rankfile.vault.models import KeyHolder, Keypair, Recovery, RecoveryKey, RecoveryPurpose, RecoveryShare
from rankfile.vault.recovery import active_recovery_key

# The ledger actions that open a request (rankfile.accounts.recovery): their actor is who asked.
_REQUEST_ACTIONS = ("accounts.access_restore_requested", "accounts.hand_over_requested")


@dataclass(frozen=True)
class Candidate:
    user: User
    has_key: bool  # has signed in since keys existed, so a share can be sealed to them


@dataclass(frozen=True)
class TrusteeRow:
    user: User
    share_usable: bool  # False once their key pair was retired by a password reset: the share is lost
    eligible: bool  # still sits on the oversight body


@dataclass(frozen=True)
class RequestRow:
    recovery: Recovery
    restores_access: bool  # False: a hand-over to new readers
    about: list[str]  # whose access is restored, or who receives the material
    anonymous_readers: int  # receivers known only by a receipt code
    asked_by: str
    requested_at: datetime
    approvals: int
    threshold: int
    approved_by_viewer: bool
    about_viewer: bool

    @property
    def still_needed(self) -> int:
        return max(self.threshold - self.approvals, 0)


@dataclass(frozen=True)
class RecoveryOverview:
    recovery_key: RecoveryKey | None
    trustees: list[TrusteeRow]
    open_requests: list[RequestRow]

    @property
    def usable_shares(self) -> int:
        return sum(1 for t in self.trustees if t.share_usable and t.eligible)

    @property
    def recovery_possible(self) -> bool:
        return self.recovery_key is not None and self.usable_shares >= self.recovery_key.threshold


def trustee_candidates(*, user: Any) -> list[Candidate]:
    """The people who may hold a share today, by name; those without a key yet cannot be chosen."""
    policy.require(user, "accounts.set_up_recovery")
    people = User.objects.filter(pk__in=recovery_trustee_pool_ids(), is_active=True).order_by("name", "email")
    with_keys = set(
        Keypair.objects.filter(holder=KeyHolder.PERSON, user__in=people, retired_at__isnull=True).values_list(
            "user", flat=True
        )
    )
    return [
        Candidate(user=person, has_key=person.pk in with_keys)
        for person in people
        if policy.allows(person, "accounts.be_recovery_trustee")
    ]


def recovery_overview(*, user: Any) -> RecoveryOverview:
    """The organization's recovery key, its trustees and its open requests, for site administrators and the
    operator."""
    policy.require(user, "accounts.set_up_recovery")
    recovery_key = active_recovery_key()
    if recovery_key is None:
        return RecoveryOverview(recovery_key=None, trustees=[], open_requests=[])
    trustees = []
    shares = RecoveryShare.objects.filter(recovery_key=recovery_key).select_related("trustee__user")
    for share in sorted(shares, key=lambda s: str(s.trustee.user)):
        person = share.trustee.user
        if person is None:
            continue
        trustees.append(
            TrusteeRow(
                user=person,
                share_usable=share.trustee.retired_at is None and person.is_active,
                eligible=policy.allows(person, "accounts.be_recovery_trustee"),
            )
        )
    return RecoveryOverview(recovery_key=recovery_key, trustees=trustees, open_requests=_open_requests(recovery_key))


def requests_for_trustee(*, user: Any) -> list[RequestRow]:
    """The open requests a trustee is asked to approve (and those about themselves, which others approve)."""
    policy.require(user, "accounts.view_recovery_requests")
    recovery_key = active_recovery_key()
    return _open_requests(recovery_key, viewer=user) if recovery_key is not None else []


def recovery_for_trustee(*, user: Any, pk: int) -> Recovery:
    recovery = Recovery.objects.filter(pk=pk).select_related("recovery_key").first()
    if recovery is None:
        raise NotAllowed("no such recovery request")
    policy.require(user, "accounts.approve_recovery", recovery)
    return recovery


def waiting_for(*, user: Any) -> int:
    """How many open requests wait for this trustee's approval (0 for anyone who is not a trustee)."""
    if not policy.allows(user, "accounts.view_recovery_requests"):
        return 0
    recovery_key = active_recovery_key()
    if recovery_key is None:
        return 0
    # Counted in one query, the rows of ``requests_for_trustee`` neither approved by them nor about them.
    waiting = Recovery.objects.filter(recovery_key=recovery_key, completed_at__isnull=True, cancelled_at__isnull=True)
    return waiting.exclude(approvals__trustee__user=user).exclude(targets__user=user).count()


def account_for_restore(*, user: Any, email: str) -> User | None:
    """The account a trustee asks a restoration for, by its email address."""
    policy.require(user, "accounts.view_recovery_requests")
    return User.objects.filter(email__iexact=email.strip()).first()


def open_restoration_for(*, person: User) -> Recovery | None:
    return (
        Recovery.objects.filter(
            purpose=RecoveryPurpose.RESTORE_ACCESS,
            completed_at__isnull=True,
            cancelled_at__isnull=True,
            targets__user=person,
        )
        .order_by("-pk")
        .first()
    )


def _open_requests(recovery_key: RecoveryKey, *, viewer: Any = None) -> list[RequestRow]:
    recoveries = list(
        Recovery.objects.filter(recovery_key=recovery_key, completed_at__isnull=True, cancelled_at__isnull=True)
        .annotate(approval_count=Count("approvals", distinct=True))
        .prefetch_related("targets__user")
        .order_by("requested_at", "pk")
    )
    asked: dict[int, ActorReference] = {
        subject: (actor_type, actor_id)
        for subject, actor_type, actor_id in Entry.objects.filter(
            action__in=_REQUEST_ACTIONS,
            subject_type=Recovery._meta.label_lower,
            subject_id__in=[r.pk for r in recoveries],
            actor_id__isnull=False,
        ).values_list("subject_id", "actor_type", "actor_id")
        if subject is not None and actor_id is not None
    }
    named = ledger_hooks.actors_named(references=set(asked.values()))
    asked_by = {recovery: named[actor].name for recovery, actor in asked.items() if actor in named}
    approved: set[int] = set()
    if viewer is not None:
        approved = set(
            Recovery.objects.filter(pk__in=[r.pk for r in recoveries], approvals__trustee__user=viewer).values_list(
                "pk", flat=True
            )
        )
    rows = []
    for recovery in recoveries:
        people = [t.user for t in recovery.targets.all() if t.user is not None]
        rows.append(
            RequestRow(
                recovery=recovery,
                restores_access=recovery.purpose == RecoveryPurpose.RESTORE_ACCESS,
                about=[str(p) for p in people],
                anonymous_readers=sum(1 for t in recovery.targets.all() if t.user is None),
                asked_by=asked_by.get(recovery.pk, ""),
                requested_at=recovery.requested_at,
                approvals=recovery.approval_count,
                threshold=recovery_key.threshold,
                approved_by_viewer=recovery.pk in approved,
                about_viewer=viewer is not None and any(p.pk == viewer.pk for p in people),
            )
        )
    return rows
