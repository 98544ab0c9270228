from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from rankfile import policy
from rankfile.org import queries
from rankfile.org.forms import DirectorySearchForm, OnDateForm


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
