"""Every write to accounts: one function per use case, each atomic."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import mail, policy
from rankfile.accounts import hooks, mfa
from rankfile.accounts.models import ApiToken, Invitation, User
from rankfile.accounts.queries import (
    API_TOKEN_PREFIX,
    API_TOKEN_SHOWN,
    INVITATION_PROBLEMS,
    api_token_hash,
    invitation_state,
    token_hash,
)
from rankfile.errors import Conflict, InvalidInput, NotAllowed
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema as ledger_schema
from rankfile.vault import keys as vault_keys
from rankfile.vault.errors import VaultError
from rankfile.vault.keys import UnlockedKey

INVITATION_CREATED = ledger_schema.define(
    "accounts.invitation_created",
    label=gettext_lazy("An invitation was sent"),
    fields={
        "site_admin": ledger_schema.BOOL,
        "expires": ledger_schema.DATE,
        "person": ledger_schema.optional(ledger_schema.ID),
    },
)
INVITATION_REVOKED = ledger_schema.define(
    "accounts.invitation_revoked",
    label=gettext_lazy("An invitation was withdrawn"),
    fields={"reason": ledger_schema.CODE},
)
# A site administrator (or the operator, from the command line) making another: flagged, and the oversight body is
# emailed at once, as for every other act the oversight body watches.
SITE_ADMIN_INVITED = ledger_schema.define(
    "accounts.site_admin_invited",
    label=gettext_lazy("Someone was invited to be a site administrator"),
    fields={"invitation": ledger_schema.ID},
    checkpoint_after=True,
    flagged=True,
)
ACCOUNT_CREATED = ledger_schema.define(
    "accounts.account_created",
    label=gettext_lazy("An account was created"),
    fields={"site_admin": ledger_schema.BOOL, "invitation": ledger_schema.optional(ledger_schema.ID)},
)


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    url: str  # carries the secret token; shown once, never stored


EMAIL_MAX_LENGTH = 254  # RFC 5321 path limit, and the column's size


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise InvalidInput(
            _("Enter a valid email address."), field_errors={"email": [_("Enter a valid email address.")]}
        ) from None
    return email


def _address_taken(email: str) -> bool:
    return (
        User.objects.filter(email__iexact=email).exists() or EmailAddress.objects.filter(email__iexact=email).exists()
    )


@transaction.atomic
def invitation_create(
    *, email: str, name: str = "", by: User | None, makes_site_admin: bool = False, person: int | None = None
) -> IssuedInvitation:
    """Invite a person by email. ``by`` is None only for the command line, run by the operator. ``person`` names
    someone on the membership list: the account becomes theirs, and the email must be the one on their record (an
    empty one is theirs), so that an invitation sent elsewhere cannot take over their membership."""
    if by is not None:
        policy.require(by, "accounts.invite_person")
    named = None
    if person is not None:
        named = hooks.invitable_person(person)
        if named is None:
            message = _("Choose someone from the list: they have an email address on record and no account yet.")
            raise InvalidInput(message, code="not_invitable", field_errors={"person": [message]})
        email = email or named.email
        name = name or named.name
    email = _clean_email(email)
    if named is not None and email != named.email:
        message = _(
            "%(name)s's membership record has the address %(email)s: the invitation goes there, so that nobody else "
            "can take over their membership. Leave the address empty to use it."
        ) % {"name": named.name, "email": named.email}
        raise InvalidInput(message, code="not_their_address", field_errors={"email": [message]})
    name = name.strip()
    if len(name) > 200:
        raise InvalidInput(_("The name is too long."), field_errors={"name": [_("Use at most 200 characters.")]})
    if _address_taken(email):
        message = _("There is already an account for this email address. They can sign in or reset their password.")
        raise InvalidInput(message, code="account_exists", field_errors={"email": [message]})
    now = timezone.now()
    # A new invitation replaces any earlier one still open for the same address.
    for earlier in Invitation.objects.select_for_update().filter(email=email, accepted_at=None, revoked_at=None):
        earlier.revoked_at = now
        earlier.save(update_fields=["revoked_at"])
        ledger.record(
            actor=by or ledger.OPERATOR, action=INVITATION_REVOKED, subject=earlier, data={"reason": "replaced"}
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        name=name,
        token_hash=token_hash(token),
        invited_by=by,
        makes_site_admin=makes_site_admin,
        names_person=named.pk if named is not None else None,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    ledger.record(
        actor=by or ledger.OPERATOR,
        action=INVITATION_CREATED,
        subject=invitation,
        data={
            "site_admin": makes_site_admin,
            "expires": invitation.expires_at.date().isoformat(),
            **({"person": named.pk} if named is not None else {}),
        },
    )
    if makes_site_admin:
        ledger.record(
            actor=by or ledger.OPERATOR,
            action=SITE_ADMIN_INVITED,
            subject=invitation,
            data={"invitation": invitation.pk},
        )
        _tell_oversight_of_site_admin(invitation=invitation, by=by)
    url = settings.BASE_URL + reverse("accounts:invitation_accept", kwargs={"token": token})
    _send_invitation(invitation=invitation, url=url)  # sent once the transaction commits
    return IssuedInvitation(invitation=invitation, url=url)


def _tell_oversight_of_site_admin(*, invitation: Invitation, by: User | None) -> None:
    context = {
        "invited": invitation.name or invitation.email,
        "email": invitation.email,
        "by": (by.name or by.email) if by is not None else "",
    }
    mail.send("accounts/email/site_admin_invited", context, hooks.oversight_addresses())


def _send_invitation(*, invitation: Invitation, url: str) -> None:
    context = {"invitation": invitation, "url": url, "valid_days": settings.INVITATION_VALID_DAYS}
    mail.send("accounts/email/invitation", context, [invitation.email])


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    policy.require(by, "accounts.revoke_invitation", invitation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise Conflict(_("This invitation was already accepted."), code="invitation_used")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        ledger.record(actor=by, action=INVITATION_REVOKED, subject=invitation, data={"reason": "withdrawn"})
    return invitation


@transaction.atomic
def account_create(
    *, email: str, password: str, name: str = "", is_site_admin: bool = False, invitation: Invitation | None = None
) -> User:
    """Create a login with a verified email address. Called by invitation_accept and the demo."""
    email = _clean_email(email)
    if _address_taken(email):
        raise InvalidInput(_("There is already an account for this email address."), code="account_exists")
    user = User(email=email, name=name.strip(), is_site_admin=is_site_admin)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(_("Choose a stronger password."), field_errors={"password1": exc.messages}) from None
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    actor = user if invitation is not None else ledger.OPERATOR
    ledger.record(
        actor=actor,
        action=ACCOUNT_CREATED,
        subject=user,
        data={"site_admin": is_site_admin, "invitation": invitation.pk if invitation else None},
    )
    _vault_key_create(user=user, password=password, actor=actor)
    return user


@transaction.atomic
def invitation_accept(*, token: str, password: str, name: str = "") -> User:
    """Turn an open invitation into an account. The row lock makes a link usable exactly once."""
    invitation = open_invitation_for_update(token=token)
    user = account_create(
        email=invitation.email,
        password=password,
        name=name or invitation.name,
        is_site_admin=invitation.makes_site_admin,
        invitation=invitation,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.names_person is not None:
        hooks.invitation_accepted(person_pk=invitation.names_person, user=user)  # the account becomes theirs
    return user


def open_invitation_for_update(*, token: str) -> Invitation:
    """The open invitation for ``token``, locked; raises with a message that says what went wrong."""
    invitation = Invitation.objects.select_for_update().filter(token_hash=token_hash(token)).first()
    state = invitation_state(invitation)
    if invitation is None or state != "open":
        raise Conflict(INVITATION_PROBLEMS[state], code=f"invitation_{state}")
    return invitation


SECOND_FACTOR_ADDED = ledger_schema.define(
    "accounts.second_factor_added",
    label=gettext_lazy("A second factor was added to an account"),
    fields={"kind": ledger_schema.CODE},
)
SECOND_FACTOR_REMOVED = ledger_schema.define(
    "accounts.second_factor_removed",
    label=gettext_lazy("A second factor was removed from an account"),
    fields={"kind": ledger_schema.CODE},
)
RECOVERY_CODES_REGENERATED = ledger_schema.define(
    "accounts.recovery_codes_regenerated", label=gettext_lazy("New recovery codes were made"), fields={}
)
PASSWORD_CHANGED = ledger_schema.define(
    "accounts.password_changed", label=gettext_lazy("A password was changed"), fields={"by_reset": ledger_schema.BOOL}
)


@transaction.atomic
def security_change_record(*, user: User, action: str, data: dict[str, object] | None = None) -> None:
    """Put a change allauth made to a person's sign-in (a second factor, a password) on the ledger."""
    ledger.record(actor=user, action=action, subject=user, data=data or {})


# A person's key pair (rankfile.vault.keys): made with their first password, wrapped again under each new password
# they choose knowing the old one, replaced when they set one without it (a reset by email).
VAULT_KEY_CREATED = ledger_schema.define(
    "accounts.vault_key_created",
    label=gettext_lazy("An encryption key was created"),
    fields={"keypair": ledger_schema.ID},
)
VAULT_KEY_REWRAPPED = ledger_schema.define(
    "accounts.vault_key_rewrapped",
    label=gettext_lazy("An encryption key was protected with a new password"),
    fields={"keypair": ledger_schema.ID},
)
VAULT_KEY_REPLACED = ledger_schema.define(
    "accounts.vault_key_replaced",
    label=gettext_lazy("An encryption key was replaced"),
    fields={"keypair": ledger_schema.ID, "retired": ledger_schema.ID},
)


def _vault_key_create(*, user: User, password: str, actor: object) -> UnlockedKey:
    unlocked = vault_keys.person_key_create(user=user, password=password)
    ledger.record(actor=actor, action=VAULT_KEY_CREATED, subject=user, data={"keypair": unlocked.keypair.pk})
    return unlocked


@transaction.atomic
def vault_key_unlock(*, user: User, password: str) -> UnlockedKey | None:
    """At sign-in, once the password is verified: the person's private key, for the session to keep.

    An account from before key pairs existed gets one now. None when the key does not open with this password (it
    was set outside Rankfile's pages): the person signs in, and a reset by email gives them a new key.
    """
    try:
        unlocked = vault_keys.person_key_unlock(user=user, password=password)
    except VaultError:
        return None
    if unlocked is None:
        unlocked = _vault_key_create(user=user, password=password, actor=user)
    return unlocked


@dataclass(frozen=True)
class NewPassword:
    unlocked: UnlockedKey | None  # the key for the session to keep; None when the old password did not open it
    revoked_tokens: tuple[str, ...]  # the names of the API tokens the change revoked, for the person to be told


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str, unlocked: UnlockedKey | None) -> NewPassword:
    """A new password chosen with the old one: the same private key, wrapped under the new password.

    ``unlocked`` is the key the session holds, if any; without it the old password opens the key. The key comes back
    None when neither opens it (the person is told to reset by email for a new one). Every API token stops working.
    """
    current = vault_keys.person_key(user)
    if current is not None and (unlocked is None or unlocked.keypair.pk != current.pk):
        try:
            unlocked = vault_keys.person_key_unlock(user=user, password=old_password)
        except VaultError:
            unlocked = None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    revoked = _api_tokens_revoke_all(user=user, by=user, reason="password_changed")
    if current is None:
        return NewPassword(_vault_key_create(user=user, password=new_password, actor=user), revoked)
    if unlocked is None:
        return NewPassword(None, revoked)
    vault_keys.person_key_rewrap(unlocked=unlocked, password=new_password)
    ledger.record(actor=user, action=VAULT_KEY_REWRAPPED, subject=user, data={"keypair": unlocked.keypair.pk})
    return NewPassword(unlocked, revoked)


@transaction.atomic
def password_set(*, user: User, password: str) -> NewPassword:
    """A password chosen without the old one (a reset by email, or a first password): a new key pair, and every API
    token stops working.

    The key pair the person had is retired: what it could read stays locked to them until trustees restore it.
    """
    retired = vault_keys.person_key(user)
    user.set_password(password)
    user.save(update_fields=["password"])
    revoked = _api_tokens_revoke_all(user=user, by=user, reason="password_reset")
    if retired is None:
        return NewPassword(_vault_key_create(user=user, password=password, actor=user), revoked)
    unlocked = vault_keys.person_key_create(user=user, password=password)
    ledger.record(
        actor=user,
        action=VAULT_KEY_REPLACED,
        subject=user,
        data={"keypair": unlocked.keypair.pk, "retired": retired.pk},
    )
    return NewPassword(unlocked, revoked)


@transaction.atomic
def password_reset_by_operator(*, user: User, password: str) -> tuple[str, ...]:
    """A password set on the server (`rankfile changepassword`), by the operator. The key pair stays as it was: the
    new password does not open it, and a reset by email gives the person a new one (docs/accounts.md). Every API
    token stops working; the person is told by email. Returns the names of the tokens revoked."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(_("Choose a stronger password."), field_errors={"password1": exc.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    ledger.record(actor=ledger.OPERATOR, action=PASSWORD_CHANGED, subject=user, data={"by_reset": True})
    revoked = _api_tokens_revoke_all(user=user, by=ledger.OPERATOR, reason="password_reset")
    context = {
        "person": user,
        "revoked_tokens": revoked,
        "reset_url": settings.BASE_URL + reverse("account_reset_password"),
    }
    mail.send("accounts/email/password_reset_by_operator", context, [user.email])  # sent once the transaction commits
    return revoked


API_TOKEN_CREATED = ledger_schema.define(
    "accounts.api_token_created", label=gettext_lazy("An API token was created"), fields={"token": ledger_schema.ID}
)
# Revoked by its owner (no reason), or with every other token of the person when their password changed.
API_TOKEN_REVOKED = ledger_schema.define(
    "accounts.api_token_revoked",
    label=gettext_lazy("An API token was revoked"),
    fields={"token": ledger_schema.ID, "reason": ledger_schema.optional(ledger_schema.CODE)},
)
API_TOKENS_LIVE = 10  # a person's live tokens at most: one for each program they use


@dataclass(frozen=True)
class IssuedApiToken:
    api_token: ApiToken
    token: str  # the secret, shown once, never stored


@transaction.atomic
def api_token_create(*, user: User, name: str) -> IssuedApiToken:
    """A token for a program to call the API as ``user``. Someone who handles cases needs a second factor first,
    as for the pages: a token must not be the way round it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise NotAllowed("a token is made by a signed-in person")
    mfa.require_mfa(user)
    name = (name or "").strip()
    if not name or len(name) > 100:
        message = _("Name the token after the program that uses it, in at most 100 characters.")
        raise InvalidInput(message, code="name", field_errors={"name": [message]})
    User.objects.select_for_update().filter(pk=user.pk).first()  # one count at a time, per person
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= API_TOKENS_LIVE:
        message = _("You have %(count)s tokens in use; revoke one you no longer need first.") % {
            "count": API_TOKENS_LIVE
        }
        raise InvalidInput(message, code="too_many_tokens", field_errors={"name": [message]})
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        user=user, name=name, prefix=token[:API_TOKEN_SHOWN], token_hash=api_token_hash(token)
    )
    ledger.record(actor=user, action=API_TOKEN_CREATED, subject=user, data={"token": api_token.pk})
    return IssuedApiToken(api_token=api_token, token=token)


@transaction.atomic
def api_token_revoke(*, api_token: ApiToken, by: User) -> ApiToken:
    """The token stops working at once. Only its owner revokes it (the page lists only their own)."""
    api_token = ApiToken.objects.select_for_update().get(pk=api_token.pk)
    if not getattr(by, "is_authenticated", False) or api_token.user_id != by.pk:
        raise NotAllowed("not this person's token")
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
        ledger.record(actor=by, action=API_TOKEN_REVOKED, subject=by, data={"token": api_token.pk})
    return api_token


def api_token_used(*, api_token: ApiToken) -> None:
    """When the token was last used, to the minute, for its owner to see (bookkeeping, as a login's last sign-in:
    not an action of the person, and not on the ledger)."""
    now = timezone.now()
    if api_token.last_used_at is None or now - api_token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)


def _api_tokens_revoke_all(*, user: User, by: object, reason: str) -> tuple[str, ...]:
    """Every token the person still holds stops working, each on the ledger as a revocation by its owner is: a new
    password must shut out whoever learned the old one, and a program they gave a token to with it."""
    now = timezone.now()
    revoked = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True).order_by("pk"))
    for api_token in revoked:
        api_token.revoked_at = now
        api_token.save(update_fields=["revoked_at"])
        ledger.record(actor=by, action=API_TOKEN_REVOKED, subject=user, data={"token": api_token.pk, "reason": reason})
    return tuple(api_token.name for api_token in revoked)
