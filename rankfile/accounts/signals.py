"""Consequences of what allauth does for us: its changes to sign-in go on the ledger, a password reset
lifts a sign-in pause, and signing out destroys the key unlocked for the session."""

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set, user_logged_out
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from axes.utils import reset as axes_reset
from django.dispatch import receiver

from rankfile.accounts import actions
from rankfile.vault import sessions as vault_sessions


@receiver(password_reset)
def lift_lockout_after_password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    axes_reset(username=user.email)
    actions.security_change_record(user=user, action=actions.PASSWORD_CHANGED, data={"by_reset": True})


@receiver(user_logged_out)
def lock_the_key_on_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Django flushes the session next; the cookie is dropped on the way out (VaultCookieMiddleware).
    if request is not None:
        vault_sessions.session_lock(request)


@receiver(password_changed)
@receiver(password_set)
def record_password_change(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    actions.security_change_record(user=user, action=actions.PASSWORD_CHANGED, data={"by_reset": False})


@receiver(authenticator_added)
def record_second_factor_added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    actions.security_change_record(user=user, action=actions.SECOND_FACTOR_ADDED, data={"kind": authenticator.type})


@receiver(authenticator_removed)
def record_second_factor_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    actions.security_change_record(user=user, action=actions.SECOND_FACTOR_REMOVED, data={"kind": authenticator.type})


@receiver(authenticator_reset)
def record_recovery_codes_regenerated(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    actions.security_change_record(user=user, action=actions.RECOVERY_CODES_REGENERATED)
