from typing import Any

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from rankfile.accounts import actions, hooks, queries
from rankfile.accounts.forms import KEY_NOT_UNLOCKED, ApiTokenCreateForm, InvitationAcceptForm, InvitationCreateForm
from rankfile.errors import Conflict, InvalidInput, MfaRequired
from rankfile.policy import public_page
from rankfile.vault import sessions as vault_sessions

LOGIN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@never_cache
@sensitive_post_parameters("password1", "password2")
@public_page
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = queries.invitation_by_token(token=token)
    state = queries.invitation_state(invitation)
    if invitation is None or state != "open":
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"problem": queries.INVITATION_PROBLEMS[state], "state": state},
            status=404 if state == "unknown" else 410,
        )
    if request.user.is_authenticated:
        messages.info(request, _("You are already signed in. Sign out first to accept an invitation for someone else."))
        return redirect("web:home")
    form = InvitationAcceptForm(request.POST or None, initial={"name": invitation.name})
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.invitation_accept(
                token=token, password=form.cleaned_data["password1"], name=form.cleaned_data["name"]
            )
        except InvalidInput as exc:
            exc.apply_to(form)
        except Conflict as exc:
            return render(request, "accounts/invitation_invalid.html", {"problem": exc.message}, status=410)
        else:
            login(request, user, backend=LOGIN_BACKEND)
            messages.success(request, _("Welcome. Your account is ready."))
            response = redirect("accounts:welcome")
            unlocked = actions.vault_key_unlock(user=user, password=form.cleaned_data["password1"])
            if unlocked is None:
                messages.warning(request, KEY_NOT_UNLOCKED)
            else:
                vault_sessions.session_unlock(request, response, unlocked)
            return response
    named = hooks.named_people({invitation.names_person}) if invitation.names_person else {}
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation, "member_name": named.get(invitation.names_person or 0, "")},
    )


@login_required
def welcome(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/welcome.html")


@login_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    invitations = queries.invitations_visible_to(user=request.user)  # type: ignore[arg-type]
    # The person's page links here with ?person= to invite them by name.
    form = InvitationCreateForm(request.POST or None, initial={"person": request.GET.get("person", "")})
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = actions.invitation_create(
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                person=form.cleaned_data["person"],
                by=request.user,  # type: ignore[arg-type]
                makes_site_admin=form.cleaned_data["site_admin"],
            )
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": issued.invitation.email})
            form = InvitationCreateForm()
    shown = list(invitations[:200])
    named = hooks.named_people({invitation.names_person for invitation in shown if invitation.names_person})
    return render(
        request,
        "accounts/invitation_list.html",
        {
            "form": form,
            "issued": issued,
            # Each invitation with the name of the member it names: one query for the page, not one per row.
            "invitations": [(invitation, named.get(invitation.names_person or 0, "")) for invitation in shown],
            "invitation_valid_days": settings.INVITATION_VALID_DAYS,
            # Where email really goes out, the link goes only to the invitee: nobody else can use it first.
            "show_link": issued is not None and not settings.EMAIL_DELIVERED,
            "mail_folder": _mail_folder(),
        },
    )


def _mail_folder() -> str:
    """Where the emails go instead, when they are written to files (the demo), so that the page can say so."""
    if settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
        return str(settings.EMAIL_FILE_PATH)
    return ""


@login_required
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("accounts:invitation_list")
    invitation = queries.invitation_for_admin(user=request.user, pk=pk)  # type: ignore[arg-type]
    try:
        actions.invitation_revoke(invitation=invitation, by=request.user)  # type: ignore[arg-type]
    except Conflict as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The invitation for %(email)s was withdrawn.") % {"email": invitation.email})
    return redirect("accounts:invitation_list")


@never_cache
@login_required
def api_token_list(request: HttpRequest) -> HttpResponse:
    """A person's API tokens: make one (its secret shown on this page once) and revoke one."""
    form = ApiTokenCreateForm(request.POST or None)
    issued, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                issued = actions.api_token_create(user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
            except InvalidInput as exc:
                exc.apply_to(form)
            except MfaRequired:
                form.add_error(None, _("You handle cases: set up two-factor authentication before you make a token."))
            else:
                status, form = 200, ApiTokenCreateForm()
    context = {"form": form, "issued": issued, "tokens": queries.api_tokens_of(user=request.user)}  # type: ignore[arg-type]
    return render(request, "accounts/api_tokens.html", context, status=status)


@login_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("accounts:api_tokens")
    api_token = queries.api_token_of(user=request.user, pk=pk)  # type: ignore[arg-type]
    actions.api_token_revoke(api_token=api_token, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": api_token.name})
    return redirect("accounts:api_tokens")


class PasswordChangeView(allauth_views.PasswordChangeView):
    """allauth's page; the form re-wraps the person's key, and the session keeps it under a fresh session key."""

    def form_valid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_valid(form)
        if form.unlocked is not None:
            vault_sessions.session_unlock(self.request, response, form.unlocked)
        return response


class PasswordSetView(allauth_views.PasswordSetView):
    """allauth's page for a first password; the session keeps the new key."""

    def form_valid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_valid(form)
        if form.unlocked is not None:
            vault_sessions.session_unlock(self.request, response, form.unlocked)
        return response


password_change = PasswordChangeView.as_view()
password_set = PasswordSetView.as_view()
