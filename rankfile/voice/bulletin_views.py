"""The discussion bulletin's pages: thin. Each parses, calls an action or a query, and renders; access is decided in
voice/policy.py. The Atom feed is for signed-in readers only (a feed reader that cannot sign in gets the sign-in
page): the bulletin is members' business, and a secret address would outlive a membership."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rankfile import policy
from rankfile.errors import Conflict, InvalidInput
from rankfile.governance import feeds
from rankfile.governance.templatetags.governance_text import markdown
from rankfile.voice import bulletin
from rankfile.voice import bulletin_queries as queries
from rankfile.voice.bulletin_forms import ContributionForm, EditForm, RejectForm
from rankfile.voice.bulletin_models import BulletinIssue, Contribution


@login_required
def bulletin_index(request: HttpRequest) -> HttpResponse:
    """The bulletin: its issues; the member's own contributions; for the editors, what waits for them."""
    context = {
        "issues": queries.issues(user=request.user),
        "editors": queries.editors(),
        "every_days": bulletin.bulletin_rules()["bulletin_every_days"],
        "next_due": bulletin.next_issue_due(),
        "may_contribute": policy.allows(request.user, "voice.contribute"),
        "edits": policy.allows(request.user, "voice.edit_bulletin"),
        "mine": queries.my_contributions(user=request.user),
        "to_review": queries.to_review(user=request.user),
        "accepted": queries.accepted_waiting(user=request.user),
        "rejected": queries.rejected_for_oversight(user=request.user),
    }
    return render(request, "voice/bulletin/index.html", context)


@login_required
def contribution_new(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "voice.contribute")
    form = ContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contribution = bulletin.contribution_submit(**form.cleaned_data, by=request.user)
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("Your contribution is with the editors."))
            return redirect("voice:contribution_detail", pk=contribution.pk)
    context = {"form": form, "editors": queries.editors()}
    return render(request, "voice/bulletin/contribution_new.html", context, status=400 if form.errors else 200)


def _contribution_page(
    request: HttpRequest, contribution: Contribution, *, reject_form: RejectForm | None = None
) -> HttpResponse:
    reviews = policy.allows(request.user, "voice.review_contribution", contribution)
    context = {
        "contribution": contribution,
        "versions": queries.versions(contribution=contribution),
        "edit": queries.edit_waiting(contribution=contribution),
        "reviews": reviews,
        "answers_edit": policy.allows(request.user, "voice.answer_edit", contribution),
        "reject_form": reject_form or RejectForm(),
    }
    return render(
        request, "voice/bulletin/contribution_detail.html", context, status=400 if reject_form is not None else 200
    )


@login_required
def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A contribution: its text, where it stands, its versions; the editors' and the author's steps."""
    return _contribution_page(request, queries.contribution_for(user=request.user, pk=pk))


def _one_step(request: HttpRequest, step: Callable[[], object], done: str, pk: int) -> HttpResponse:
    try:
        step()
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("voice:contribution_detail", pk=pk)


@require_POST
@login_required
def contribution_accept(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = queries.contribution_for(user=request.user, pk=pk)
    return _one_step(
        request,
        lambda: bulletin.contribution_accept(contribution=contribution, by=request.user),
        _("The contribution is accepted for the next issue."),
        pk,
    )


@require_POST
@login_required
def contribution_reject(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = queries.contribution_for(user=request.user, pk=pk)
    policy.require(request.user, "voice.review_contribution", contribution)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            bulletin.contribution_reject(contribution=contribution, reason=form.cleaned_data["reason"], by=request.user)
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("The contribution is rejected. Its author reads your reason."))
            return redirect("voice:contribution_detail", pk=pk)
    return _contribution_page(request, contribution, reject_form=form)


@login_required
def contribution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """An editor proposes an edit; it becomes the text only if the author accepts it."""
    contribution = queries.contribution_for(user=request.user, pk=pk)
    policy.require(request.user, "voice.review_contribution", contribution)
    initial = {"title": contribution.title, "body": contribution.body}
    form = EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            bulletin.edit_propose(contribution=contribution, **form.cleaned_data, by=request.user)
        except InvalidInput as exc:
            exc.apply_to(form)
        except Conflict as exc:
            messages.error(request, str(exc))
            return redirect("voice:contribution_detail", pk=pk)
        else:
            messages.success(request, _("Your edit is proposed. The author accepts or declines it."))
            return redirect("voice:contribution_detail", pk=pk)
    context = {"contribution": contribution, "form": form}
    return render(request, "voice/bulletin/contribution_edit.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def edit_accept(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = queries.contribution_for(user=request.user, pk=pk)
    return _one_step(
        request,
        lambda: bulletin.edit_answer(contribution=contribution, agree=True, by=request.user),
        _("You accepted the edit: it is your contribution's text now."),
        pk,
    )


@require_POST
@login_required
def edit_decline(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = queries.contribution_for(user=request.user, pk=pk)
    return _one_step(
        request,
        lambda: bulletin.edit_answer(contribution=contribution, agree=False, by=request.user),
        _("You declined the edit: your text stays as it was."),
        pk,
    )


@require_POST
@login_required
def issue_publish(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "voice.edit_bulletin")
    try:
        issue = bulletin.issue_publish(by=request.user)
    except Conflict as exc:
        messages.error(request, str(exc))
        return redirect("voice:bulletin")
    messages.success(request, _("Issue %(number)d is published.") % {"number": issue.number})
    return redirect("voice:issue_detail", number=issue.number)


@login_required
def issue_detail(request: HttpRequest, number: int) -> HttpResponse:
    issue = queries.issue_for(user=request.user, number=number)
    context = {"issue": issue, "contributions": queries.contents(issue=issue)}
    return render(request, "voice/bulletin/issue_detail.html", context)


def issue_print_html(issue: BulletinIssue) -> str:
    """An issue as HTML for WeasyPrint: every contribution, its author and its text."""
    context = {
        "issue": issue,
        "contributions": queries.contents(issue=issue),
        "org_name": settings.ORG_NAME,
        "today": timezone.localdate(),
    }
    return render_to_string("voice/bulletin/issue_print.html", context)


@login_required
def issue_pdf(request: HttpRequest, number: int) -> HttpResponse:
    """An issue, printable (a PDF)."""
    issue = queries.issue_for(user=request.user, number=number)
    return feeds.pdf_response(issue_print_html(issue), filename=f"bulletin-{issue.number}.pdf")


@login_required
def bulletin_feed(request: HttpRequest) -> HttpResponse:
    """The latest published contributions as an Atom feed, for a signed-in reader of the bulletin."""
    contributions = queries.latest_contributions(user=request.user)
    feed = Atom1Feed(
        title=_("%(org)s: the members' bulletin") % {"org": settings.ORG_NAME},
        link=settings.BASE_URL + reverse("voice:bulletin"),
        description=_("Contributions published in the members' discussion bulletin."),
        feed_url=settings.BASE_URL + reverse("voice:bulletin_feed"),
        language=get_language(),
    )
    for contribution in contributions:
        assert contribution.issue is not None
        feed.add_item(
            title=contribution.title,
            link=settings.BASE_URL + reverse("voice:issue_detail", args=[contribution.issue.number]),
            description=str(markdown(contribution.body)),
            unique_id=settings.BASE_URL + reverse("voice:contribution_detail", args=[contribution.pk]),
            author_name=contribution.author.name,
            pubdate=contribution.issue.published_at,
            updateddate=contribution.issue.published_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    feed.write(response, "utf-8")
    return response
