"""The oversight body's page to open a process investigation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from rankfile import policy
from rankfile.cases import policy as case_policy
from rankfile.cases import queries
from rankfile.cases.actions import investigations
from rankfile.cases.pages.common import examined_case
from rankfile.cases.workspace_forms import (
    InvestigationOpenForm,
)
from rankfile.errors import InvalidInput


@never_cache
@login_required
def investigation_new(request: HttpRequest) -> HttpResponse:
    """A member of the oversight body opens a process investigation: the officials concerned (or everyone who sat on
    a body in a period), and optionally the case examined. Anyone else finds nothing here."""
    today = timezone.localdate()
    policy.require(request.user, "cases.oversee")  # only the oversight body opens one directly
    case_policy.require_second_factor(request.user)
    form = InvestigationOpenForm(
        request.POST if request.method == "POST" else None,
        people=queries.directory_people(user=request.user, day=today),
        bodies=queries.bodies_for_investigation(),
    )
    status, problem = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            known, examined = examined_case(form)
            if known:
                data = form.cleaned_data
                try:
                    case = investigations.investigation_open(
                        by=request.user,
                        officials=list(data["officials"]),
                        examines=examined,
                        body=data["body"],
                        since=data["since"],
                        until=data["until"],
                    )
                except InvalidInput as error:
                    error.apply_to(form)
                    problem = str(error.message)
                else:
                    messages.success(
                        request,
                        _("Process investigation %(ref)s is open; the officials concerned were taken out of it.")
                        % {"ref": case.reference},
                    )
                    if policy.allows(request.user, "cases.manage_case", case):
                        return redirect("cases:workspace", reference=case.reference)
                    return redirect("cases:investigation_new")
    return render(request, "cases/workspace/investigation_new.html", {"form": form, "problem": problem}, status=status)
