"""The appeals body's page: the complete record, and the decision."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from rankfile.cases import policy as case_policy
from rankfile.cases import queries, stages
from rankfile.cases.actions import decisions
from rankfile.cases.models import (
    Case,
    ChallengeStatus,
)
from rankfile.cases.pages.common import (
    Page,
    StepHandler,
    allegation_numbers,
    case_standing,
    challenge_decide_step,
    deadline_rows,
    decision_rows,
    key_or_locked,
    not_valid,
    opened_documents,
    opened_reports,
    panel_rows,
    posted_block,
    refused_step,
    roles_explained,
    run_posted_step,
    sanctions_catalog,
    step_blocks,
    timeline_rows,
)
from rankfile.cases.pages.reports import opens_reports
from rankfile.cases.workspace_forms import (
    AppealDecisionForm,
    ChallengeDecisionForm,
)
from rankfile.errors import InvalidInput


def _appeals_allowed(case: Case) -> set[str]:
    allowed = stages.open_at(case.stage, stages.APPEALS)
    if not case.challenges.filter(status=ChallengeStatus.PENDING).exists():
        allowed.discard("challenge_decide")
    return allowed


def _appeal_decide(page: Page) -> str | None:
    form = page.forms["decide"]
    appeal = page.case.appeals.filter(decided_at__isnull=True).order_by("-pk").first()
    if not form.is_valid():
        not_valid(page, "appeal_decide")
        return None
    try:
        if appeal is None:
            stages.require_open(page.case, "appeal_decide")
            raise InvalidInput(_("There is no appeal to decide."), code="no_appeal")
        decisions.appeal_decide(
            appeal=appeal,
            outcome=form.cleaned_data["outcome"] or "",
            rationale=form.cleaned_data["rationale"],
            findings=form.findings(),
            sanctions=list(form.cleaned_data["sanctions"]),
            by=page.user,
        )
    except InvalidInput as error:
        refused_step(page, "appeal_decide", form, error)
        return None
    return _("The appeal is decided. The decision is final and has taken effect; both parties are told.")


APPEAL_HANDLERS: dict[str, StepHandler] = {"appeal_decide": _appeal_decide, "challenge_decide": challenge_decide_step}


@never_cache
@login_required
@opens_reports
def appeal_case(request: HttpRequest, reference: str) -> HttpResponse:
    """The appeals body's page: where the appeal stands and the decision to make, then the complete record (as the
    appellant and the panel sent it), then a challenge to decide, if any."""
    case = queries.case_for_appeals(reference=reference, user=request.user)
    case_policy.require_second_factor(request.user)
    key = key_or_locked(request)
    page = Page(request=request, case=case, key=key, allowed=_appeals_allowed(case))
    status = 200
    posted = request.POST.get("step", "") if request.method == "POST" else ""

    def make_forms() -> dict[str, Any]:
        def bound(step: str) -> dict[str, Any]:
            return {"data": request.POST} if step == stages.form_of(posted) else {}

        return {
            "decide": AppealDecisionForm(
                numbers=allegation_numbers(case), catalog=sanctions_catalog(), prefix="decide", **bound("decide")
            ),
            "challenge": ChallengeDecisionForm(prefix="challenge", **bound("challenge")),
        }

    page.forms = make_forms()
    if request.method == "POST":
        done = run_posted_step(page, APPEAL_HANDLERS)
        if done is not None:
            messages.success(request, done)
            return redirect("cases:appeal_case", reference=case.reference)
        status = 400
        case.refresh_from_db()
        page.allowed = _appeals_allowed(case)
    deadlines = deadline_rows(case)
    next_block, other_blocks = step_blocks(page.allowed)
    rows = panel_rows(case)
    context = {
        "case": case,
        "standing": case_standing(case, deadlines),
        "next_block": next_block,
        "other_blocks": other_blocks,
        "posted_step": posted_block(request),
        "roles_explained": roles_explained(rows),
        "allowed": page.allowed,
        "forms": page.forms,
        "problem": page.problem,
        "timeline": timeline_rows(case),
        "documents": opened_documents(case, key=key, actor=request.user, capacity="appeals", own_only=False),
        "deadlines": deadlines,
        "panel_rows": rows,
        "challenges": list(case.challenges.select_related("member__person").order_by("made_at", "pk")),
        "decisions": decision_rows(case),
        "appeals": list(case.appeals.order_by("lodged_at", "pk")),
        "pdf_url_name": "cases:workspace_decision_pdf",
        "file_url_name": "cases:workspace_file",
        "reports": opened_reports(case, key=key, actor=request.user, capacity="appeals"),
        "report_file_url_name": "cases:workspace_report_file",
    }
    return render(request, "cases/workspace/appeal.html", context, status=status)
