"""Statement and membership-wide meeting pages: thin. Each parses, calls an action or a query, and renders; access
is decided in policy.py. The public pages (the list of public statements and apologies, each one's page and the
Atom feed) answer signed-out visitors and never hold a members-only statement."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rankfile import policy
from rankfile.errors import Conflict, InvalidInput
from rankfile.governance.policy import bodies_recorded_by
from rankfile.org.models import Body
from rankfile.policy import public_page
from rankfile.voice import members_meetings, queries, statement_queries, statements
from rankfile.voice.models import Statement
from rankfile.voice.statement_forms import CaucusStatementForm, MembersMeetingForm, RevisionForm, StatementForm

PAGE_SIZE = 25


def _tried(form: Any, run: Any) -> Any:
    """Run the action with the form's data; a refusal goes back on the form. None when it was refused."""
    try:
        return run(form.cleaned_data)
    except (InvalidInput, Conflict) as exc:
        if isinstance(exc, InvalidInput):
            exc.apply_to(form)
        else:
            form.add_error(None, str(exc))
        return None


# --- statements, for the members ------------------------------------------------------------------------------------


@login_required
def statement_list(request: HttpRequest) -> HttpResponse:
    found = statement_queries.statements(user=request.user)
    context = {
        "page": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
        "may_publish": statement_queries.bodies_speaking_for(user=request.user).exists(),
    }
    return render(request, "voice/statements/list.html", context)


@login_required
def statement_new(request: HttpRequest) -> HttpResponse:
    bodies = statement_queries.bodies_speaking_for(user=request.user)
    policy.require(request.user, "governance.record_some_meeting")
    votes = statement_queries.votes_to_cite(bodies=bodies)
    form = StatementForm(
        request.POST or None,
        bodies=bodies,
        mandates=statement_queries.mandates_to_fulfil(bodies=bodies),
        votes=votes,
    )
    if request.method == "POST" and form.is_valid():
        statement = _tried(form, lambda data: statements.statement_publish(**data, by=request.user))
        if statement is not None:
            messages.success(request, _("The statement is published."))
            return redirect("voice:statement_detail", reference=statement.reference)
    context = {"form": form, "no_vote_yet": not votes}
    return render(request, "voice/statements/new.html", context, status=400 if form.errors else 200)


@login_required
def caucus_statement_new(request: HttpRequest, pk: int) -> HttpResponse:
    caucus = queries.caucus_for(user=request.user, pk=pk)
    policy.require(request.user, "voice.convene", caucus)
    form = CaucusStatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        statement = _tried(
            form, lambda data: statements.caucus_statement_publish(caucus=caucus, **data, by=request.user)
        )
        if statement is not None:
            messages.success(request, _("The statement is published as the caucus's."))
            return redirect("voice:statement_detail", reference=statement.reference)
    context = {"form": form, "caucus": caucus}
    return render(request, "voice/statements/caucus_new.html", context, status=400 if form.errors else 200)


def _statement_context(request: HttpRequest, statement: Statement, *, user: Any, public: bool) -> dict[str, Any]:
    versions = [
        (version, statement_queries.adoption_of(user=user, version=version))
        for version in statement_queries.versions_of(statement=statement)
    ]
    return {
        "statement": statement,
        "latest": versions[0][0],
        "latest_adoption": versions[0][1],
        "earlier": versions[1:],
        "mandate": statement_queries.mandate_shown(user=user, statement=statement),
        "public": public,
    }


@login_required
def statement_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The statement, its earlier versions, the votes that adopted them; for who speaks for it, a new version."""
    statement = statement_queries.statement_for(user=request.user, reference=reference)
    may_revise = policy.allows(request.user, "voice.revise_statement", statement)
    form = None
    votes = None
    if statement.body is not None and may_revise:
        votes = statement_queries.votes_to_cite(bodies=Body.objects.filter(pk=statement.body.pk), statement=statement)
    if request.method == "POST":
        policy.require(request.user, "voice.revise_statement", statement)
        form = RevisionForm(request.POST, votes=votes)
        if form.is_valid():
            done = _tried(form, lambda data: statements.statement_revise(statement=statement, **data, by=request.user))
            if done is not None:
                messages.success(request, _("The new version is published; the earlier ones stay readable."))
                return redirect("voice:statement_detail", reference=statement.reference)
    elif may_revise:
        latest = statement.versions.first()
        form = RevisionForm(initial={"title": statement.title, "text": latest.text if latest else ""}, votes=votes)
    context = _statement_context(request, statement, user=request.user, public=False)
    context.update({"form": form, "needs_vote": statement.body_id is not None})
    return render(request, "voice/statements/detail.html", context, status=400 if form and form.errors else 200)


# --- statements, for anyone -----------------------------------------------------------------------------------------


@public_page
def public_statement_list(request: HttpRequest) -> HttpResponse:
    found = statement_queries.public_statements()
    context = {"page": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))}
    return render(request, "voice/statements/public_list.html", context)


@public_page
def public_statement_detail(request: HttpRequest, reference: str) -> HttpResponse:
    statement = statement_queries.public_statement_for(reference=reference)
    anyone = AnonymousUser()
    return render(
        request, "voice/statements/detail.html", _statement_context(request, statement, user=anyone, public=True)
    )


@public_page
def public_statement_feed(request: HttpRequest) -> HttpResponse:
    """An Atom feed of the public statements and apologies, the latest revised first."""
    home = settings.BASE_URL + reverse("voice:public_statement_list")
    feed = Atom1Feed(
        title=_("%(org)s: public statements and apologies") % {"org": settings.ORG_NAME},
        link=home,
        description=_("What the organization's bodies and caucuses say in public."),
        feed_url=settings.BASE_URL + reverse("voice:public_statement_feed"),
        language=settings.LANGUAGE_CODE,
        feed_guid=home,
    )
    for statement in statement_queries.public_statements()[:50]:
        latest = statement.versions.first()
        url = settings.BASE_URL + reverse("voice:public_statement_detail", args=[statement.reference])
        feed.add_item(
            title=statement.title,
            link=url,
            description=latest.text if latest else "",
            unique_id=f"{url}#version-{statement.version_number}",
            pubdate=statement.published_at,
            updateddate=statement.revised_at,
            author_name=statement.speaker,
            categories=[statement.get_kind_display()],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


# --- membership-wide meetings ---------------------------------------------------------------------------------------


@login_required
def members_meeting_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "voice.view")
    context = {
        "meetings": statement_queries.members_meetings(user=request.user),
        "may_call": bodies_recorded_by(request.user).exists(),
        "today": timezone.localdate(),
    }
    return render(request, "voice/members_meetings/list.html", context)


@login_required
def members_meeting_new(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "governance.record_some_meeting")
    form = MembersMeetingForm(
        request.POST or None,
        bodies=bodies_recorded_by(request.user).exclude(kind="caucus"),
        petitions=statement_queries.petitions_for_the_members(),
        concerns=statement_queries.concerns_for_the_members(),
    )
    if request.method == "POST" and form.is_valid():
        called = _tried(form, lambda data: members_meetings.members_meeting_call(**data, by=request.user))
        if called is not None:
            messages.success(request, _("The meeting of all members is called."))
            return redirect("voice:members_meeting_detail", reference=called.meeting.reference)
    return render(request, "voice/members_meetings/new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def members_meeting_detail(request: HttpRequest, reference: str) -> HttpResponse:
    found = statement_queries.members_meeting_for(user=request.user, reference=reference)
    attending = statement_queries.is_attending(user=request.user, members_meeting=found)
    context = {
        "members_meeting": found,
        "meeting": found.meeting,
        "items": found.items.select_related("petition", "concern__body", "petition__body"),
        "attending": attending,
        "attendance": statement_queries.attending_count(members_meeting=found),
        "may_attend": not attending and policy.allows(request.user, "voice.attend_members_meeting", found),
        "upcoming": statement_queries.upcoming(found.meeting),
    }
    return render(request, "voice/members_meetings/detail.html", context)


@require_POST
@login_required
def members_meeting_attend(request: HttpRequest, reference: str) -> HttpResponse:
    found = statement_queries.members_meeting_for(user=request.user, reference=reference)
    try:
        members_meetings.members_meeting_attend(members_meeting=found, by=request.user)
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You are on the meeting's attendance."))
    return redirect("voice:members_meeting_detail", reference=found.meeting.reference)
