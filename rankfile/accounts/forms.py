from typing import Any

from allauth.account import forms as allauth_forms
from allauth.core import context as allauth_context
from django import forms
from django.contrib import messages
from django.contrib.auth import password_validation
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from rankfile.accounts import actions
from rankfile.vault import sessions as vault_sessions
from rankfile.vault.keys import UnlockedKey

KEY_NOT_UNLOCKED = _(
    "Case material could not be unlocked with this password: it was set outside this site's own pages. To read case "
    "material, reset your password by email; the trustees can then restore what you could read before."
)


class InvitationAcceptForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        required=False,
        help_text=_("How others in the organization will see you. You can leave it empty."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", _("The two passwords are not the same. Type them again."))
        return cleaned


class InvitationCreateForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("The program that will use it, so that you know which token to revoke."),
    )


class LoginForm(allauth_forms.LoginForm):
    """Sign-in; once the password is verified, the person's private key is unlocked for the session.

    The unlock happens before any second-factor step, while the password is at hand; the key is usable only once
    the person is signed in (rankfile.vault.sessions binds it to them).
    """

    def login(self, request: HttpRequest, redirect_url: str | None = None) -> HttpResponse:
        response: HttpResponse = super().login(request, redirect_url=redirect_url)
        password = self.cleaned_data.get("password")
        if self.user is not None and password:
            unlocked = actions.vault_key_unlock(user=self.user, password=password)
            if unlocked is None:
                messages.warning(request, KEY_NOT_UNLOCKED)
            else:
                vault_sessions.session_unlock(request, response, unlocked)
        return response


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    """A new password, and the same private key wrapped under it (``unlocked`` after ``save``)."""

    unlocked: UnlockedKey | None = None

    def save(self) -> None:
        request: Any = allauth_context.request
        self.unlocked = actions.password_change(
            user=self.user,
            old_password=self.cleaned_data["oldpassword"],
            new_password=self.cleaned_data["password1"],
            unlocked=vault_sessions.unlocked_key(request) if request is not None else None,
        )
        if self.unlocked is None and request is not None:
            messages.warning(request, KEY_NOT_UNLOCKED)


class SetPasswordForm(allauth_forms.SetPasswordForm):
    """A first password for an account that had none, and a key pair with it."""

    unlocked: UnlockedKey | None = None

    def save(self) -> None:
        self.unlocked = actions.password_set(user=self.user, password=self.cleaned_data["password1"])


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    """A new password from a reset link: a new key pair; what the old one could read stays locked until
    trustees restore it (the page after the reset says so)."""

    def save(self) -> None:
        actions.password_set(user=self.user, password=self.cleaned_data["password1"])
        request: Any = allauth_context.request
        if request is not None:
            vault_sessions.session_lock(request)
