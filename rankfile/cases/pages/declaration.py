"""A candidate's declaration of conflicts, before seeing anything of the case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from rankfile.cases import policy as case_policy
from rankfile.cases import queries
from rankfile.cases.actions import panel
from rankfile.cases.models import (
    PanelRole,
    PanelStatus,
)
from rankfile.cases.workspace_forms import (
    DeclarationForm,
)
from rankfile.errors import InvalidInput


@never_cache
@login_required
def panel_declaration(request: HttpRequest, reference: str) -> HttpResponse:
    """A proposed candidate declares whether they have a conflict of interest, before seeing anything of the case."""
    place = queries.candidate_place(reference=reference, user=request.user)
    if place.status == PanelStatus.SEATED and place.role != PanelRole.APPEALS:
        return redirect("cases:workspace", reference=place.case.reference)
    case_policy.require_second_factor(request.user)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                panel.conflict_declare(member=place, conflict=form.cleaned_data["conflict"], by=request.user)
            except InvalidInput as error:
                error.apply_to(form)
            else:
                if form.cleaned_data["conflict"]:
                    messages.success(request, _("You declared a conflict and stepped aside. Thank you."))
                    return redirect("web:home")
                messages.success(
                    request, _("You declared no conflict. You can open the case once the panel is seated.")
                )
                return redirect("cases:panel_declaration", reference=place.case.reference)
    context = {
        "place": place,
        "case": place.case,
        "form": form,
        "declared": place.declared_at is not None,
        "read_as_handler": queries.read_as_handler(case=place.case, person=place.person),
    }
    return render(request, "cases/workspace/declaration.html", context, status=status)
