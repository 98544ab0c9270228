"""Every read of accounts used by views and the command line."""

import hashlib
from typing import Literal

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rankfile import policy
from rankfile.accounts.models import ApiToken, Invitation, User
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


# API tokens: ``rf_`` and 43 characters of a random 32-byte secret. Stored as an HMAC-SHA256 keyed with the
# installation's secret key: a copy of the database alone cannot be used to test guesses, and checking a token is
# one hash, not a slow password hash (the secret has 256 bits; nothing to stretch).
API_TOKEN_PREFIX = "rf_"  # noqa: S105 (what every token begins with, not a secret)
API_TOKEN_SHOWN = 10  # the characters kept to tell a person's tokens apart: "rf_" and seven of the secret


def api_token_hash(token: str, *, secret: str | bytes | None = None) -> str:
    return salted_hmac("rankfile.accounts.api_token", token, secret=secret, algorithm="sha256").hexdigest()


def api_token_in_use(*, token: str) -> ApiToken | None:
    """The live token of an active person that ``token`` is, if any (under the secret key or one it replaced)."""
    if not token.startswith(API_TOKEN_PREFIX) or len(token) > 100:
        return None
    hashes = [api_token_hash(token, secret=s) for s in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]
    return (
        ApiToken.objects.filter(token_hash__in=hashes, revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def api_token_of(*, user: User, pk: int) -> ApiToken:
    """One of the person's own tokens; anyone else's is not found."""
    token = ApiToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise NotAllowed("not this person's token")
    return token
