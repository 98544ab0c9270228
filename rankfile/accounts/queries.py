"""Every read of accounts used by views and the command line."""

import hashlib
from typing import Literal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rankfile import policy
from rankfile.accounts.models import Invitation, User
from rankfile.errors import NotAllowed

InvitationState = Literal["open", "unknown", "expired", "used", "revoked"]

INVITATION_PROBLEMS: dict[InvitationState, Promise] = {
    "unknown": _(
        "This invitation link is not valid. Check that you copied the whole link from the email, "
        "or ask the person who invited you to send a new one."
    ),
    "expired": _("This invitation link has expired. Ask the person who invited you to send a new one."),
    "used": _("This invitation link has already been used. If you set your password with it, sign in."),
    "revoked": _(
        "This invitation link was withdrawn, or replaced by a newer one. Use the most recent email, "
        "or ask the person who invited you to send a new one."
    ),
}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_state(invitation: Invitation | None) -> InvitationState:
    if invitation is None:
        return "unknown"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= timezone.now():
        return "expired"
    return "open"


def invitation_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.filter(token_hash=token_hash(token)).first()


def invitations_visible_to(*, user: User) -> QuerySet[Invitation]:
    policy.require(user, "accounts.list_invitations")
    return Invitation.objects.select_related("invited_by", "accepted_by").order_by("-created_at")


def invitation_for_admin(*, user: User, pk: int) -> Invitation:
    policy.require(user, "accounts.list_invitations")
    invitation = Invitation.objects.filter(pk=pk).first()
    if invitation is None:
        raise NotAllowed("no such invitation")
    return invitation
