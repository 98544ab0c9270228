"""The members' page of overrides and re-admissions, with the forms by which a recorder of the body the bylaws
empower records one, citing its carried vote. Everything else about the case stays with the case.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from rankfile import policy
from rankfile.cases import policy as case_policy
from rankfile.cases import queries
from rankfile.cases.actions import decisions, readmission
from rankfile.cases.models import Decision
from rankfile.cases.workspace_forms import DecisionByVoteForm
from rankfile.errors import InvalidInput

Record = Callable[[Decision, str], Any]


@never_cache
@login_required
def overrides(request: HttpRequest) -> HttpResponse:
    """Every final decision set aside, and every expelled member re-admitted, by a recorded vote: when, which case,
    which vote. Nothing of the case."""
    override_rows = queries.overrides_for(user=request.user)
    readmission_rows = queries.readmissions_for(user=request.user)
    eligibility_rows = queries.eligibility_overrides_for(user=request.user)
    overriding, readmitting = case_policy.empowered_body(), case_policy.readmitting_body()
    forms = {
        "override": DecisionByVoteForm(prefix="override")
        if policy.allows(request.user, "cases.override_decision")
        else None,
        "readmission": DecisionByVoteForm(prefix="readmission")
        if policy.allows(request.user, "cases.readmit")
        else None,
    }
    status = 200
    if request.method == "POST":
        step = request.POST.get("step", "")
        record: dict[str, Record] = {
            "override": lambda d, v: decisions.decision_override(decision=d, vote_reference=v, by=request.user),
            "readmission": lambda d, v: readmission.readmission_record(decision=d, vote_reference=v, by=request.user),
        }
        if step not in record or forms[step] is None:
            status = 400
            messages.error(request, _("Choose an override or a re-admission."))
        else:
            form = DecisionByVoteForm(request.POST, prefix=step)
            forms[step] = form
            if _carried_out(form, record[step]):
                done = _("The override was recorded.") if step == "override" else _("The re-admission was recorded.")
                messages.success(request, done)
                return redirect("cases:overrides")
            status = 400
    context = {
        "rows": override_rows,
        "readmissions": readmission_rows,
        "eligibility_overrides": eligibility_rows,
        "override_form": forms["override"],
        "readmission_form": forms["readmission"],
        "overriding_body": overriding,
        "readmitting_body": readmitting,
    }
    return render(request, "cases/workspace/overrides.html", context, status=status)


def _carried_out(form: DecisionByVoteForm, record: Record) -> bool:
    if not form.is_valid():
        return False
    decision = queries.final_decision_of(case_reference=form.cleaned_data["case_reference"])
    if decision is None:
        form.add_error("case_reference", _("No final decision has this case reference."))
        return False
    try:
        record(decision, form.cleaned_data["vote_reference"])
    except InvalidInput as exc:
        exc.apply_to(form)
        return False
    return True
