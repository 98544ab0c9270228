"""The tracker: every mandate a person may see, filterable, overdue first; a mandate's page with its terms,
milestones, progress and history, and the form its responsible body reports progress with. The public tracker
shows public mandates only, to anyone."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rankfile import policy
from rankfile.errors import InvalidInput
from rankfile.governance import feeds, mandates, queries
from rankfile.governance.forms import ProgressForm, TrackerFilterForm
from rankfile.governance.models import Mandate, MandateStatus

PAGE_SIZE = 50


def _tracker_page(request: HttpRequest, *, user: Any, public: bool) -> HttpResponse:
    form = TrackerFilterForm(request.GET or None)
    filters = form.filters()
    found = queries.public_mandates(**filters) if public else queries.mandates(user=user, **filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/tracker.html",
        {
            "form": form,
            "page": page,
            "counts": queries.tracker_counts(user=user, body=filters.get("body")),
            "query": query.urlencode(),
            "public": public,
            "today": timezone.localdate(),
        },
    )


@login_required
def tracker(request: HttpRequest) -> HttpResponse:
    return _tracker_page(request, user=request.user, public=False)


def public_tracker(request: HttpRequest) -> HttpResponse:
    return _tracker_page(request, user=AnonymousUser(), public=True)


def _mandate_context(*, user: Any, mandate: Mandate) -> dict[str, Any]:
    return {
        "mandate": mandate,
        "terms": list(queries.terms_of(mandate=mandate)),
        "milestones": queries.milestones_of(mandate=mandate),
        "updates": queries.updates_of(mandate=mandate),
        "timer": queries.timer_of(mandate=mandate),
        "history": queries.mandate_history(user=user, mandate=mandate),
        "today": timezone.localdate(),
    }


@login_required
def mandate_detail(request: HttpRequest, reference: str) -> HttpResponse:
    mandate = queries.mandate_for(user=request.user, reference=reference)
    may_post = mandate.is_open and policy.allows(request.user, "governance.post_progress", mandate)
    open_milestones = queries.milestones_of(mandate=mandate).filter(reached_on__isnull=True)
    form = None
    if request.method == "POST":
        # Whoever may see the mandate but not report on it is told "not found", as for any refusal.
        policy.require(request.user, "governance.post_progress", mandate)
        form = ProgressForm(request.POST, milestones=open_milestones)
        if form.is_valid():
            data = form.cleaned_data
            try:
                mandates.progress_post(
                    mandate=mandate,
                    status=data["status"],
                    percent=data["percent"],
                    text=data["text"],
                    links=form.link_list(),
                    delivered=data["delivered"] if data["status"] == MandateStatus.DONE else "",
                    milestones_reached=list(data.get("milestones_reached") or []),
                    by=request.user,
                )
            except InvalidInput as exc:
                exc.apply_to(form)
            else:
                messages.success(request, _("The progress update was posted."))
                return redirect("governance:mandate_detail", reference=mandate.reference)
    elif may_post:
        form = ProgressForm(initial={"status": mandate.status, "percent": mandate.percent}, milestones=open_milestones)
    context = _mandate_context(user=request.user, mandate=mandate)
    context.update(
        {
            "form": form if may_post or (form is not None and form.errors) else None,
            "following": queries.is_following(user=request.user, mandate=mandate),
            "may_follow": policy.allows(request.user, "governance.follow_mandate", mandate),
            "followers": queries.followers_count(mandate=mandate),
            "may_see_meetings": policy.allows(request.user, "governance.view_meetings"),
            "public": False,
        }
    )
    return render(request, "governance/mandate_detail.html", context, status=400 if form and form.errors else 200)


def public_mandate_detail(request: HttpRequest, reference: str) -> HttpResponse:
    anyone = AnonymousUser()
    mandate = queries.mandate_for(user=anyone, reference=reference)
    context = _mandate_context(user=anyone, mandate=mandate)
    context["public"] = True
    return render(request, "governance/mandate_detail.html", context)


@login_required
@require_POST
def mandate_follow(request: HttpRequest, reference: str) -> HttpResponse:
    mandate = queries.mandate_for(user=request.user, reference=reference)
    mandates.mandate_follow(mandate=mandate, by=request.user)
    messages.success(request, _("You follow this mandate: you will be emailed of each update."))
    return redirect("governance:mandate_detail", reference=mandate.reference)


@login_required
@require_POST
def mandate_unfollow(request: HttpRequest, reference: str) -> HttpResponse:
    mandate = queries.mandate_for(user=request.user, reference=reference)
    mandates.mandate_unfollow(mandate=mandate, by=request.user)
    messages.success(request, _("You no longer follow this mandate."))
    return redirect("governance:mandate_detail", reference=mandate.reference)


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    found = queries.mandates(user=request.user, **TrackerFilterForm(request.GET or None).filters())
    return feeds.calendar_response(found, name=_("Mandates due"))


def public_calendar(request: HttpRequest) -> HttpResponse:
    found = queries.public_mandates(**TrackerFilterForm(request.GET or None).filters())
    return feeds.calendar_response(found, name=_("Public mandates due"), public=True)


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    found = queries.mandates(user=request.user, **TrackerFilterForm(request.GET or None).filters())
    return feeds.csv_response(found, filename="mandates.csv")


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.meetings(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "governance/meeting_list.html", {"page": page})


@login_required
def meeting_detail(request: HttpRequest, reference: str) -> HttpResponse:
    meeting = queries.meeting_for(user=request.user, reference=reference)
    attendance = list(queries.attendance_of(meeting=meeting))
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": meeting,
            "with_a_vote": sum(1 for a in attendance if a.capacity == "seat"),
            "alternates": sum(1 for a in attendance if a.capacity == "alternate"),
            "invited": sum(1 for a in attendance if a.capacity == "invited"),
            "motions": queries.motions_of(meeting=meeting),
            "minutes": queries.minutes_of(meeting=meeting),
        },
    )


@login_required
def meeting_report(request: HttpRequest, reference: str) -> HttpResponse:
    """A printable report of what a meeting (a convention, usually) decided and how far each mandate has come."""
    meeting = queries.meeting_for(user=request.user, reference=reference)
    adopted = list(queries.mandates(user=request.user).filter(adopted_by_vote__motion__meeting=meeting))
    latest = {m.pk: queries.updates_of(mandate=m).first() for m in adopted}
    html = render_to_string(
        "governance/meeting_report.html",
        {
            "meeting": meeting,
            "rows": [(m, latest[m.pk]) for m in adopted],
            "overdue": sum(1 for m in adopted if m.is_overdue),
            "done": sum(1 for m in adopted if m.status == MandateStatus.DONE),
            "org_name": settings.ORG_NAME,
            "today": timezone.localdate(),
        },
    )
    return feeds.pdf_response(html, filename=f"{meeting.reference}-mandates.pdf")
