from typing import Any

from allauth.account import forms as allauth_forms
from allauth.core import context as allauth_context
from django import forms
from django.contrib import messages
from django.contrib.auth import password_validation
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rankfile.accounts import actions, hooks
from rankfile.accounts.adapter import note_revoked_tokens
from rankfile.accounts.policy import holds_a_share_of_the_recovery_key
from rankfile.vault import sessions as vault_sessions
from rankfile.vault.keys import UnlockedKey

KEY_NOT_UNLOCKED = _(
    "Case material could not be unlocked with this password: it was set outside this site's own pages. To read case "
    "material, reset your password by email; the trustees can then restore what you could read before."
)


TRUSTEE_RESET = _(
    "You hold a share of the recovery key. Resetting your password by email would lose it with your old key, and it "
    "is not re-issued by itself. If you know your password, change it here instead: a change keeps your share. If you "
    "have forgotten it, tell the other trustees and the site administrators before you reset it."
)


def password_help(user: Any) -> str:
    """Under a field that asks for the current password: the way to reset it, or, for a trustee, what a reset costs."""
    if holds_a_share_of_the_recovery_key(user):
        return format_html('<span class="trustee-warning">{}</span>', TRUSTEE_RESET)
    return format_html(
        '<a href="{}">{}</a> {}',
        reverse("account_reset_password"),
        _("Forgot your password?"),
        _("A reset locks your reports and case files until the trustees restore your access."),
    )


def tell_of_revoked_tokens(request: HttpRequest | None, revoked: tuple[str, ...]) -> None:
    """On the next page and in the email that follows a new password: the API tokens it revoked, by name."""
    if request is None or not revoked:
        return
    note_revoked_tokens(request, revoked)
    names = ", ".join(f"“{name}”" for name in revoked)
    message = ngettext(
        "Your API token %(names)s was revoked with your old password: make a new one for the program that used it.",
        "Your %(count)d API tokens (%(names)s) were revoked with your old password: make new ones for the programs "
        "that used them.",
        len(revoked),
    ) % {"count": len(revoked), "names": names}
    messages.warning(request, message)


def in_our_words(form: forms.Form, labels: dict[str, Any]) -> None:
    """allauth's fields with our labels, and without its Title Case placeholders (a label says it already)."""
    for name, label in labels.items():
        form.fields[name].label = label
        form.fields[name].widget.attrs.pop("placeholder", None)


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
    person = forms.TypedChoiceField(
        label=_("Who (on the membership list)"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "Members with an email address on record and no account yet. Their account becomes theirs on the "
            "membership list; leave the address below empty to use the one on their record."
        ),
        error_messages={"invalid_choice": _("Choose someone from the list.")},
    )
    email = forms.EmailField(label=_("Email address"), max_length=254, required=False)
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    site_admin = forms.BooleanField(
        label=_("Make them a site administrator too"),
        required=False,
        help_text=_(
            "They may then invite others and run the installation, as you do. It gives no access to any report or "
            "case. The oversight body is told, and the ledger flags it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.TypedChoiceField)
        people = [(found.pk, f"{found.name} ({found.email})") for found in hooks.invitable_people()]
        person.choices = [("", _("Someone not on the list (a site administrator, say)")), *people]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("person") is None and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter the email address, or choose someone from the list."))
        return cleaned


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = password_help(None)

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {"oldpassword": _("Your current password"), "password1": _("New password")}
        in_our_words(self, {**labels, "password2": _("New password again")})
        self.fields["oldpassword"].help_text = password_help(self.user)

    def save(self) -> None:
        request: Any = allauth_context.request
        changed = actions.password_change(
            user=self.user,
            old_password=self.cleaned_data["oldpassword"],
            new_password=self.cleaned_data["password1"],
            unlocked=vault_sessions.unlocked_key(request) if request is not None else None,
        )
        self.unlocked = changed.unlocked
        if self.unlocked is None and request is not None:
            messages.warning(request, KEY_NOT_UNLOCKED)
        tell_of_revoked_tokens(request, changed.revoked_tokens)


class SetPasswordForm(allauth_forms.SetPasswordForm):
    """A first password for an account that had none, and a key pair with it."""

    unlocked: UnlockedKey | None = None

    def save(self) -> None:
        changed = actions.password_set(user=self.user, password=self.cleaned_data["password1"])
        self.unlocked = changed.unlocked
        tell_of_revoked_tokens(allauth_context.request, changed.revoked_tokens)


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    """A new password from a reset link: a new key pair; what the old one could read stays locked until
    trustees restore it (the page after the reset says so)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self, {"password1": _("New password"), "password2": _("New password again")})

    @property
    def loses_a_recovery_share(self) -> bool:
        """The person holds a share of the recovery key, which this reset would lose."""
        return self.user is not None and bool(holds_a_share_of_the_recovery_key(self.user))

    def save(self) -> None:
        changed = actions.password_set(user=self.user, password=self.cleaned_data["password1"])
        request: Any = allauth_context.request
        if request is not None:
            vault_sessions.session_lock(request)
        tell_of_revoked_tokens(request, changed.revoked_tokens)


class ReauthenticateForm(allauth_forms.ReauthenticateForm):
    """The password asked for again before a sensitive change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self, {"password": _("Your password")})
        self.fields["password"].help_text = password_help(self.user)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """The email address a reset link is sent to."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_our_words(self, {"email": _("Your email address")})
