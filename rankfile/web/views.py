import sys

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rankfile import policy
from rankfile.accounts import recovery_queries
from rankfile.accounts.mfa import has_mfa
from rankfile.cases import queries as case_queries
from rankfile.cases import waiting as case_waiting
from rankfile.elections import waiting as election_waiting
from rankfile.governance import waiting as governance_waiting
from rankfile.ledger.policy import is_on_the_oversight_body
from rankfile.org import queries as org_queries
from rankfile.policy import public_page
from rankfile.vault import sessions
from rankfile.voice import waiting as voice_waiting
from rankfile.waiting import Item, in_order
from rankfile.web import overdue
from rankfile.web.problems import busy_problem, database_unavailable, generic_problem


@public_page
def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {}
    if request.user.is_authenticated:
        context["has_mfa"] = has_mfa(request.user)
        context["waiting"] = waiting_for(request)
        context["my_reports"] = case_queries.own_reports(user=request.user)
        standing = org_queries.own_standing(user=request.user, day=timezone.localdate())
        context["own_standing"] = standing
        if standing is not None and standing.by_sanction:
            context["finality"] = case_queries.finality_of(
                person=standing.change.person, reference=standing.change.decided_by_reference
            )
        if is_on_the_oversight_body(request.user):
            context["held_refusals"] = org_queries.held_refusals_count()
    return render(request, "web/home.html", context)


def waiting_for(request: HttpRequest) -> list[Item]:
    """What waits for the signed-in person, everywhere in the product, the overdue first."""
    user = request.user
    items = case_waiting.waiting_for(user=user, key=sessions.unlocked_key(request))
    items += election_waiting.waiting_for(user=user)
    items += governance_waiting.waiting_for(user=user)
    items += voice_waiting.waiting_for(user=user)
    approvals = recovery_queries.waiting_for(user=user)
    if approvals:
        what = ngettext(
            "Approve or refuse a recovery request", "Approve or refuse %(count)d recovery requests", approvals
        ) % {"count": approvals}
        why = _("You hold a share of the recovery key: someone lost their password and needs the trustees' approval.")
        items.append(Item(what, "", reverse("accounts:recovery_requests"), why=why))
    if policy.allows(user, "deadlines.view_overdue"):
        late, earliest = overdue.overdue_summary(user=user, now=timezone.now())
        if late:
            what = ngettext(
                "Look into %(count)d overdue deadline or mandate",
                "Look into %(count)d overdue deadlines or mandates",
                late,
            ) % {"count": late}
            if is_on_the_oversight_body(user):
                why = _("Your body watches that deadlines and mandates are kept.")
            else:  # a site administrator on no watching body: shown the overdue mandates, never a case's deadline
                why = _(
                    "As a site administrator you see the mandates that are overdue; the oversight body watches that "
                    "deadlines and mandates are kept."
                )
            items.append(Item(what, "", reverse("web:overdue"), earliest, why))
    return in_order(items)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return generic_problem(request, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return generic_problem(request, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return generic_problem(request, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django calls this while handling the error, so the error is at hand: a database busy or out of reach for a
    moment is a 503 that says when to try again, anything else a 500."""
    if database_unavailable(sys.exc_info()[1]):
        return busy_problem(request)
    return generic_problem(request, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return generic_problem(request, status=403)
