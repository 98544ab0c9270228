"""Pages for recovery by trustees: the setup (site administrators) and the requests waiting for approval
(trustees). Thin: parse, call an action or a query, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rankfile.accounts import recovery, recovery_queries
from rankfile.accounts.mfa import mfa_required_view
from rankfile.accounts.recovery_forms import RecoverySetupForm, RestoreAskForm
from rankfile.errors import Conflict, InvalidInput
from rankfile.vault import sessions


@login_required
def recovery_setup(request: HttpRequest) -> HttpResponse:
    overview = recovery_queries.recovery_overview(user=request.user)
    if overview.recovery_key is not None:
        return render(request, "accounts/recovery_setup.html", {"overview": overview})
    candidates = recovery_queries.trustee_candidates(user=request.user)
    eligible = [c.user for c in candidates if c.has_key]
    form = RecoverySetupForm(request.POST or None, eligible=eligible)
    if request.method == "POST" and form.is_valid():
        try:
            recovery_key = recovery.recovery_setup(
                trustees=list(form.cleaned_data["trustees"]),
                threshold=form.cleaned_data["threshold"],
                by=request.user,
            )
        except InvalidInput as exc:
            exc.apply_to(form)
        except Conflict as exc:
            messages.error(request, str(exc.message))
            return redirect("accounts:recovery_setup")
        else:
            messages.success(
                request,
                _("The recovery key is set up: any %(threshold)d of its %(count)d trustees can use it together.")
                % {"threshold": recovery_key.threshold, "count": recovery_key.share_count},
            )
            return redirect("accounts:recovery_setup")
    return render(
        request,
        "accounts/recovery_setup.html",
        {
            "overview": overview,
            "form": form,
            "can_choose": len(eligible) >= recovery.MIN_THRESHOLD,
            "without_key": [c.user for c in candidates if not c.has_key],
            "min_threshold": recovery.MIN_THRESHOLD,
        },
    )


@login_required
@mfa_required_view
def recovery_requests(request: HttpRequest) -> HttpResponse:
    rows = recovery_queries.requests_for_trustee(user=request.user)
    form = RestoreAskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = recovery_queries.account_for_restore(user=request.user, email=form.cleaned_data["email"])
        if person is None:
            form.add_error("email", _("No account has this email address."))
        else:
            waiting = recovery_queries.open_restoration_for(person=person)
            try:
                asked = recovery.access_restore_request(user=person, by=request.user)
            except InvalidInput as exc:
                exc.apply_to(form)
            else:
                if asked is None:
                    messages.info(request, _("Nothing waits to be restored for %(name)s.") % {"name": person})
                elif waiting is not None and asked.pk == waiting.pk:
                    messages.info(request, _("A restoration for %(name)s already waits below.") % {"name": person})
                else:
                    messages.success(
                        request, _("The trustees are asked to restore the access of %(name)s.") % {"name": person}
                    )
                return redirect("accounts:recovery_requests")
    return render(
        request,
        "accounts/recovery_requests.html",
        {"rows": rows, "form": form, "key_unlocked": sessions.unlocked_key(request) is not None},
    )


@login_required
@mfa_required_view
def recovery_approve(request: HttpRequest, pk: int) -> HttpResponse:
    recovery_request = recovery_queries.recovery_for_trustee(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("accounts:recovery_requests")
    key = sessions.unlocked_key(request)
    if key is None:
        messages.error(request, _("Sign in again to use your share: this browser holds no unlocked key."))
        return redirect("accounts:recovery_requests")
    try:
        complete = recovery.recovery_approve_as_trustee(
            recovery=recovery_request,
            by=request.user,  # type: ignore[arg-type]
            key=key,
        )
    except (InvalidInput, Conflict) as exc:
        messages.error(request, str(exc.message))
        return redirect("accounts:recovery_requests")
    if complete:
        messages.success(request, _("Yours was the last approval needed: the request is carried out."))
    else:
        still = recovery_request.recovery_key.threshold - recovery_request.approvals.count()
        messages.success(
            request,
            ngettext(
                "Your approval is recorded. %(count)d more trustee must approve.",
                "Your approval is recorded. %(count)d more trustees must approve.",
                still,
            )
            % {"count": still},
        )
    return redirect("accounts:recovery_requests")
