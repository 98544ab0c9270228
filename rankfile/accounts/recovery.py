"""Recovery by trustees: the organization's recovery key, held in shares by members of the oversight body, and its
two uses: restoring a person's access after a password reset, and handing material to new readers when every
reader is gone. Each step is an action on the ledger; the cryptography is ``rankfile.vault.recovery``.

The ledger entries hold ids and counts only. Emails say that something waits or happened, never what material.
"""

import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import mail, policy
from rankfile.accounts.models import User
from rankfile.errors import Conflict, InvalidInput, NotAllowed, RankfileError
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema as ls
from rankfile.transactions import action
from rankfile.vault import keys
from rankfile.vault import recovery as vault_recovery
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import (
    KeyHolder,
    Keypair,
    Recovery,
    RecoveryKey,
    RecoveryPurpose,
    RecoveryShare,
    Version,
)

log = logging.getLogger(__name__)

MIN_THRESHOLD = vault_recovery.MIN_THRESHOLD
MAX_TRUSTEES = 255  # Shamir's scheme over GF(256): at most 255 shares

RECOVERY_KEY_CREATED = ls.define(
    "accounts.recovery_key_created",
    label=gettext_lazy("The organization's recovery key was made and shared among trustees"),
    fields={"recovery_key": ls.ID, "threshold": ls.COUNT, "trustees": ls.COUNT},
    checkpoint_after=True,
)
ACCESS_RESTORE_REQUESTED = ls.define(
    "accounts.access_restore_requested",
    label=gettext_lazy("Trustees were asked to restore someone's access"),
    fields={"recovery_key": ls.ID, "user": ls.ID, "versions": ls.COUNT, "unrecoverable": ls.COUNT},
)
HAND_OVER_REQUESTED = ls.define(
    "accounts.hand_over_requested",
    label=gettext_lazy("Trustees were asked to hand someone's material over"),
    fields={"recovery_key": ls.ID, "versions": ls.COUNT, "readers": ls.COUNT},
    flagged=True,
)
# Every use of the recovery key is shown to the oversight body, and signs a checkpoint once it is complete.
RECOVERY_APPROVED = ls.define(
    "accounts.recovery_approved",
    label=gettext_lazy("Trustees approved a recovery"),
    fields={"approvals": ls.COUNT, "threshold": ls.COUNT},
    flagged=True,
)
ACCESS_RESTORED = ls.define(
    "accounts.access_restored",
    label=gettext_lazy("Someone's access was restored by the trustees"),
    fields={"user": ls.ID, "versions": ls.COUNT},
    checkpoint_after=True,
    flagged=True,
)
MATERIAL_HANDED_OVER = ls.define(
    "accounts.material_handed_over",
    label=gettext_lazy("Material was handed over by the trustees"),
    fields={"versions": ls.COUNT, "readers": ls.COUNT},
    checkpoint_after=True,
    flagged=True,
)
RECOVERY_CANCELLED = ls.define(
    "accounts.recovery_cancelled", label=gettext_lazy("A recovery request was cancelled"), fields={"reason": ls.CODE}
)


@action
def recovery_setup(*, trustees: Sequence[User], threshold: int, by: Any) -> RecoveryKey:
    """Make the organization's recovery key and seal one share of it to each trustee; any ``threshold`` of them
    together can use it. ``by`` is a site administrator, or OPERATOR on the command line."""
    policy.require(by, "accounts.set_up_recovery")
    # One setup at a time: the ledger's append lock serializes this transaction with any other until it ends.
    ledger.lock_for_append()
    if vault_recovery.active_recovery_key() is not None:
        raise Conflict(
            _("The organization already has a recovery key. Its trustees are listed on the recovery page."),
            code="recovery_key_exists",
        )
    keypairs, problems = _trustee_keypairs(trustees)
    most = max(len(trustees), MIN_THRESHOLD)
    if type(threshold) is not int or not MIN_THRESHOLD <= threshold <= most:
        problems["threshold"] = [
            _("Choose how many trustees must agree: a number from %(low)d to %(high)d (the number of trustees).")
            % {"low": MIN_THRESHOLD, "high": most}
        ]
    if problems:
        raise InvalidInput(
            " ".join(str(p) for field in problems.values() for p in field),
            code="recovery_setup_invalid",
            field_errors=problems,
        )
    recovery_key = vault_recovery.recovery_key_create(trustees=keypairs, threshold=threshold)
    ledger.record(
        actor=by,
        action=RECOVERY_KEY_CREATED,
        subject=recovery_key,
        data={"recovery_key": recovery_key.pk, "threshold": threshold, "trustees": len(keypairs)},
    )
    people = list(trustees)
    _tell_trustees_they_hold_a_share(people, threshold=threshold)  # sent once the transaction commits
    return recovery_key


def _trustee_keypairs(trustees: Sequence[User]) -> tuple[list[Keypair], dict[str, list[str]]]:
    """Each trustee's current key pair, and what is wrong with the choice, by form field."""
    problems: list[str] = []
    if len({t.pk for t in trustees}) != len(trustees):
        problems.append(_("Each trustee can be chosen once."))
    if len(trustees) < MIN_THRESHOLD:
        problems.append(_("Choose at least %(count)d trustees.") % {"count": MIN_THRESHOLD})
    if len(trustees) > MAX_TRUSTEES:
        problems.append(_("Choose at most %(count)d trustees.") % {"count": MAX_TRUSTEES})
    keypairs = []
    for trustee in trustees:
        if not policy.allows(trustee, "accounts.be_recovery_trustee"):
            problems.append(
                _("%(name)s does not sit on the body the bylaws name as the oversight body.") % {"name": trustee}
            )
            continue
        keypair = keys.person_key(trustee)
        if keypair is None:
            problems.append(
                _("%(name)s has no key yet: they need to sign in once before they can hold a share.")
                % {"name": trustee}
            )
            continue
        keypairs.append(keypair)
    return keypairs, ({"trustees": problems} if problems else {})


def restore_access_after_password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """allauth's ``password_reset`` signal: ask the trustees to give back what the person's old key could read.

    A refusal must not undo the reset the person has just made: it is logged instead.
    """
    try:
        access_restore_request(user=user, by=user)
    except RankfileError:
        log.exception("the restoration of access after a password reset could not be requested")


@action
def access_restore_request(*, user: User, by: Any) -> Recovery | None:
    """Ask the trustees to seal to the person's current key what their retired key pairs could open and their
    current key cannot yet. None when there is nothing to restore, or no recovery key to restore it with.

    An open request for the same material is kept as it is; one that no longer fits (the person reset their
    password again, or more became restorable) is cancelled and replaced.
    """
    policy.require(by, "accounts.request_access_restore", user)
    recovery_key = vault_recovery.active_recovery_key()
    current = keys.person_key(user)
    if recovery_key is None or current is None:
        return None
    retired = Keypair.objects.filter(holder=KeyHolder.PERSON, user=user, retired_at__isnull=False)
    missing = Version.objects.filter(wrapped_keys__keypair__in=retired).exclude(wrapped_keys__keypair=current)
    # Versions sealed before the recovery key existed have no data key for it: nobody can restore them.
    wanted = list(missing.filter(wrapped_keys__keypair=recovery_key.keypair).distinct().order_by("pk"))
    unrecoverable = missing.exclude(wrapped_keys__keypair=recovery_key.keypair).distinct().count()

    wanted_ids = {v.pk for v in wanted}
    for earlier in _open_restorations(user):
        same_target = set(earlier.targets.values_list("pk", flat=True)) == {current.pk}
        if same_target and set(earlier.versions.values_list("pk", flat=True)) == wanted_ids:
            return earlier
        vault_recovery.recovery_cancel(recovery=earlier)
        ledger.record(actor=by, action=RECOVERY_CANCELLED, subject=earlier, data={"reason": "superseded"})
    if not wanted:
        return None
    recovery = vault_recovery.recovery_request(
        purpose=RecoveryPurpose.RESTORE_ACCESS, versions=wanted, targets=[current]
    )
    ledger.record(
        actor=by,
        action=ACCESS_RESTORE_REQUESTED,
        subject=recovery,
        data={
            "recovery_key": recovery_key.pk,
            "user": user.pk,
            "versions": len(wanted),
            "unrecoverable": unrecoverable,
        },
    )
    threshold = recovery_key.threshold
    _tell_trustees_a_request_waits(recovery)  # sent once the transaction commits
    _tell_the_person_restoration_waits(user, threshold=threshold)  # sent once the transaction commits
    return recovery


def _open_restorations(user: User) -> list[Recovery]:
    return list(
        Recovery.objects.select_for_update()
        .filter(
            purpose=RecoveryPurpose.RESTORE_ACCESS,
            completed_at__isnull=True,
            cancelled_at__isnull=True,
            pk__in=Recovery.targets.through.objects.filter(keypair__user=user).values("recovery"),
        )
        .order_by("pk")
    )


@action
def hand_over_request(*, versions: Sequence[Version], targets: Sequence[Keypair], by: Any) -> Recovery:
    """Ask the trustees to give new readers (``targets``' key pairs) material that nobody left can open."""
    policy.require(by, "accounts.request_hand_over")
    recovery_key = vault_recovery.active_recovery_key()
    if recovery_key is None:
        raise Conflict(
            _(
                "The organization has no recovery key yet, so nothing can be handed over. "
                "A site administrator sets one up."
            ),
            code="no_recovery_key",
        )
    versions = list({v.pk: v for v in versions}.values())
    targets = list({t.pk: t for t in targets}.values())
    if not versions:
        raise InvalidInput(_("Choose the material to hand over."), code="hand_over_nothing")
    if not targets or any(t.holder == KeyHolder.RECOVERY or t.retired_at is not None for t in targets):
        raise InvalidInput(
            _(
                "Material can be handed only to people with a current key "
                "(they have signed in since their last password reset)."
            ),
            code="hand_over_readers",
        )
    covered = set(recovery_key.keypair.wrapped_keys.filter(version__in=versions).values_list("version", flat=True))
    if len(covered) < len(versions):
        raise InvalidInput(
            _("%(count)d of these versions were sealed before the recovery key existed: nobody can hand them over.")
            % {"count": len(versions) - len(covered)},
            code="hand_over_unrecoverable",
        )
    recovery = vault_recovery.recovery_request(purpose=RecoveryPurpose.HAND_OVER, versions=versions, targets=targets)
    ledger.record(
        actor=by,
        action=HAND_OVER_REQUESTED,
        subject=recovery,
        data={"recovery_key": recovery_key.pk, "versions": len(versions), "readers": len(targets)},
    )
    _tell_trustees_a_request_waits(recovery)  # sent once the transaction commits
    return recovery


@action
def recovery_approve_as_trustee(*, recovery: Recovery, by: User, key: UnlockedKey) -> bool:
    """One trustee's approval, given with the key unlocked in their own session. True when it was the last one
    needed: the material is then sealed to the request's readers, and the person whose access it restores is told.
    """
    policy.require(by, "accounts.approve_recovery", recovery)
    if key.keypair.user_id != by.pk or key.keypair.retired_at is not None:
        raise NotAllowed("the key is not the trustee's own current key")
    recovery = Recovery.objects.select_for_update().select_related("recovery_key").get(pk=recovery.pk)
    if recovery.completed_at is not None or recovery.cancelled_at is not None:
        raise Conflict(_("This request is closed: it was completed or withdrawn."), code="recovery_closed")
    if recovery.targets.filter(user=by).exists():
        raise InvalidInput(
            _("Nobody can approve a recovery for themselves. Other trustees approve this one."), code="own_recovery"
        )
    if recovery.approvals.filter(trustee__user=by).exists():
        raise Conflict(_("You have already approved this request."), code="already_approved")
    complete = vault_recovery.recovery_approve(recovery=recovery, trustee=key)
    threshold = recovery.recovery_key.threshold
    ledger.record(
        actor=by,
        action=RECOVERY_APPROVED,
        subject=recovery,
        data={"approvals": recovery.approvals.count(), "threshold": threshold},
    )
    if not complete:
        return False
    versions = recovery.versions.count()
    targets = list(recovery.targets.select_related("user"))
    person = targets[0].user if recovery.purpose == RecoveryPurpose.RESTORE_ACCESS else None
    if person is not None:  # a restoration has one target: the person's current key pair
        ledger.record(
            actor=by, action=ACCESS_RESTORED, subject=recovery, data={"user": person.pk, "versions": versions}
        )
        _tell_the_person_access_is_restored(person)  # sent once the transaction commits
    else:
        ledger.record(
            actor=by,
            action=MATERIAL_HANDED_OVER,
            subject=recovery,
            data={"versions": versions, "readers": len(targets)},
        )
    return True


def _send(*, template: str, to: User, context: dict[str, Any]) -> None:
    mail.send(f"accounts/email/{template}", {"person": to, **context}, [to.email])


def _requests_url() -> str:
    return settings.BASE_URL + reverse("accounts:recovery_requests")


def _tell_trustees_they_hold_a_share(trustees: Sequence[User], *, threshold: int) -> None:
    for trustee in trustees:
        _send(
            template="recovery_share",
            to=trustee,
            context={"threshold": threshold, "trustees": len(trustees), "url": _requests_url()},
        )


def _tell_trustees_a_request_waits(recovery: Recovery) -> None:
    # The person a request is about approves nothing for themselves: they are not asked.
    about = set(recovery.targets.exclude(user__isnull=True).values_list("user", flat=True))
    share_holders = RecoveryShare.objects.filter(recovery_key=recovery.recovery_key_id).values("trustee")
    for trustee in User.objects.filter(
        vault_keypairs__in=share_holders, vault_keypairs__retired_at__isnull=True, is_active=True
    ).exclude(pk__in=about):
        if policy.allows(trustee, "accounts.be_recovery_trustee"):  # one who left the body may no longer approve
            _send(template="recovery_waiting", to=trustee, context={"url": _requests_url()})


def _tell_the_person_restoration_waits(person: User, *, threshold: int) -> None:
    _send(template="access_restore_requested", to=person, context={"threshold": threshold})


def _tell_the_person_access_is_restored(person: User) -> None:
    _send(template="access_restored", to=person, context={"url": settings.BASE_URL + "/"})
