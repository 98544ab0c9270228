from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from rankfile import policy
from rankfile.errors import InvalidInput
from rankfile.org import actions, bylaws, queries
from rankfile.org.forms import BylawsAdoptForm, DirectorySearchForm, OnDateForm


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    summaries = queries.bodies_for_directory(user=request.user, day=timezone.localdate())
    return render(request, "org/body_list.html", {"summaries": summaries})


@login_required
def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    body = queries.body_for_directory(user=request.user, slug=slug)
    form = OnDateForm(request.GET or None)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data["on"]:
        day = form.cleaned_data["on"]
    seats = queries.seats_on(body=body, day=day)
    history = body.seats.select_related("person").order_by("-starts_on", "person__name")
    page = Paginator(history, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "org/body_detail.html",
        {"body": body, "form": form, "day": day, "seats": seats, "history": page, "today": timezone.localdate()},
    )


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    people = queries.people_for_directory(user=request.user, day=timezone.localdate(), search=search)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "org/person_list.html", {"form": form, "page": page, "search": search})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = queries.person_for_directory(user=request.user, pk=pk)
    return _person_page(request, person)


@login_required
def my_membership(request: HttpRequest) -> HttpResponse:
    person = queries.person_of(user=request.user)
    if person is None:
        return render(request, "org/no_membership.html")
    return _person_page(request, person, mine=True)


def _person_page(request: HttpRequest, person: queries.Person, *, mine: bool = False) -> HttpResponse:
    may_see_status = policy.allows(request.user, "org.view_status_history", person)
    today = timezone.localdate()
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "mine": mine,
            "seats": queries.seat_history(person=person),
            "status_today": queries.status_on(person=person, day=today) if may_see_status else None,
            "status_history": queries.status_history(person=person) if may_see_status else None,
            "today": today,
        },
    )


@login_required
def bylaws_current(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "org.view_directory")
    today = timezone.localdate()
    version = queries.bylaws_in_force(day=today)
    document = version.document if version else bylaws.defaults()
    return render(
        request,
        "org/bylaws.html",
        {
            "version": version,
            "document": document,
            "toml": bylaws.to_toml(document),
            "versions": queries.bylaws_versions(),
            "may_adopt": policy.allows(request.user, "org.adopt_bylaws"),
            "today": today,
        },
    )


@login_required
def bylaws_version(request: HttpRequest, number: int) -> HttpResponse:
    version = queries.bylaws_version(user=request.user, number=number)
    if request.GET.get("format") == "toml":
        response = HttpResponse(bylaws.to_toml(version.document), content_type="application/toml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="bylaws-v{version.number}.toml"'
        return response
    return render(request, "org/bylaws_version.html", {"version": version, "toml": bylaws.to_toml(version.document)})


@login_required
def bylaws_adopt(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "org.adopt_bylaws")
    current = queries.bylaws_in_force(day=timezone.localdate())
    initial = {"document": bylaws.to_toml(current.document if current else bylaws.defaults())}
    form = BylawsAdoptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.bylaws_adopt(
                document=bylaws.from_toml(form.cleaned_data["document"]),
                effective_from=form.cleaned_data["effective_from"],
                adopted_by_vote=form.cleaned_data["adopted_by_vote"],
                by=request.user,
            )
        except InvalidInput as exc:
            for field, problems in exc.field_errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, str(problem))
        else:
            messages.success(request, _("Version %(number)d adopted.") % {"number": version.number})
            return redirect("org:bylaws_version", number=version.number)
    return render(request, "org/bylaws_adopt.html", {"form": form})
