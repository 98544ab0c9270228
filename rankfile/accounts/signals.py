"""Consequences of what allauth does for us: a password reset lifts a sign-in pause."""

from typing import Any

from allauth.account.signals import password_reset
from axes.utils import reset as axes_reset
from django.dispatch import receiver


@receiver(password_reset)
def lift_lockout_after_password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    axes_reset(username=user.email)
