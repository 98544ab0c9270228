from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rankfile import policy
from rankfile.errors import Ineligible, InvalidInput, NotAllowed
from rankfile.org import actions, bylaws, eligibility, hooks, queries
from rankfile.org.forms import (
    BodyCreateForm,
    BylawsAdoptForm,
    DirectorySearchForm,
    OnDateForm,
    PersonCreateForm,
    PersonEmailForm,
    SeatEndForm,
    SeatForm,
    StatusChangeForm,
)
from rankfile.org.models import BodyKind, MembershipStatus, Seat, SeatBasis, SeatEndReason, SeatRole


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
    hidden = queries.roster_hidden(user=request.user, body=body, day=timezone.localdate())
    seats = [] if hidden else roster_rows(queries.seats_on(body=body, day=day))
    history = (
        body.seats.none() if hidden else body.seats.select_related("person").order_by("-starts_on", "person__name")
    )
    page = Paginator(history, 50).get_page(request.GET.get("page"))
    context = {
        "body": body,
        "form": form,
        "day": day,
        "seats": seats,
        "history": page,
        "history_rows": history_rows(page.object_list),
        "today": timezone.localdate(),
    }
    caucus_seat = queries.caucus_seat_of(user=request.user, body=body, day=timezone.localdate())
    return render(
        request,
        "org/body_detail.html",
        {**context, "roster_hidden": hidden, "is_caucus": body.kind == BodyKind.CAUCUS, "caucus_seat": caucus_seat},
    )


@login_required
@require_POST
def caucus_leave(request: HttpRequest, slug: str) -> HttpResponse:
    """The member leaves a caucus (a body of kind *caucus*) they sit on; to anyone else the address is not found."""
    body = queries.body_for_directory(user=request.user, slug=slug)
    seat = queries.caucus_seat_of(user=request.user, body=body, day=timezone.localdate())
    if seat is None:
        raise NotAllowed("no such seat")
    actions.caucus_seat_leave(seat=seat, by=request.user)
    messages.success(request, _("You have left %(body)s.") % {"body": body.name})
    return redirect("org:body_detail", slug=body.slug)


@dataclass(frozen=True)
class RosterRow:
    name: str
    url: str
    role: str  # empty for a plain member
    basis: str
    since: str


def roster_rows(seats: Iterable[Seat]) -> list[RosterRow]:
    """A roster as plain text, prepared once: a convention's roster has hundreds of rows."""
    roles, bases = dict(SeatRole.choices), dict(SeatBasis.choices)
    person_url = reverse("org:person_detail", args=[0]).removesuffix("0/")
    dates: dict[date, str] = {}
    seats = list(seats)
    names = queries.names_of(person_ids={seat.person_id for seat in seats})
    rows = []
    # Chairs first, then by role, then by name.
    for seat in sorted(seats, key=lambda seat: (seat.role != SeatRole.CHAIR, seat.role, names[seat.person_id])):
        since = dates.get(seat.starts_on)
        if since is None:
            since = dates[seat.starts_on] = _("since %(date)s") % {"date": date_format(seat.starts_on)}
        rows.append(
            RosterRow(
                name=names[seat.person_id],
                url=f"{person_url}{seat.person_id}/",
                role="" if seat.role == SeatRole.MEMBER else str(roles[seat.role]),
                basis=str(bases[seat.basis]),
                since=since,
            )
        )
    return rows


@dataclass(frozen=True)
class HistoryRow:
    name: str
    url: str
    role: str
    starts: str
    ends: str
    end_reason: str


def history_rows(seats: Iterable[Seat]) -> list[HistoryRow]:
    """A page of a body's seat history as plain text, prepared once (fifty rows, each with a link and two dates)."""
    roles, reasons = dict(SeatRole.choices), dict(SeatEndReason.choices)
    person_url = reverse("org:person_detail", args=[0]).removesuffix("0/")
    dates: dict[date, str] = {}

    def day_text(day: date | None) -> str:
        if day is None:
            return str(_("still sitting"))
        if day not in dates:
            dates[day] = date_format(day)
        return dates[day]

    return [
        HistoryRow(
            name=seat.person.name,
            url=f"{person_url}{seat.person_id}/",
            role=str(roles.get(seat.role, seat.role)),
            starts=day_text(seat.starts_on),
            ends=day_text(seat.ends_on),
            end_reason=str(reasons.get(seat.end_reason, seat.end_reason)),
        )
        for seat in seats
    ]


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    people = queries.people_for_directory(user=request.user, day=timezone.localdate(), search=search)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    may_manage = policy.allows(request.user, "org.manage_people")
    whole = policy.allows(request.user, "org.view_whole_membership")
    if whole:
        for person in page.object_list:
            status = person.status_then
            person.status_words = MembershipStatus(status).label if status else _("no membership yet")
    context = {"form": form, "page": page, "search": search, "may_manage": may_manage, "whole_membership": whole}
    return render(request, "org/person_list.html", context)


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
            # Their own page shows every seat; another's hides seats on caucuses the reader does not sit on.
            "seats": queries.seat_history(person=person)
            if mine or person.user_id == request.user.pk
            else queries.seat_history(person=person).exclude(queries.hidden_rosters_q(user=request.user, day=today)),
            "status_today": queries.status_on(person=person, day=today) if may_see_status else None,
            "status_history": queries.status_history(person=person) if may_see_status else None,
            "today": today,
            "may_manage": policy.allows(request.user, "org.manage_people"),
        },
    )


@login_required
def bylaws_current(request: HttpRequest) -> HttpResponse:
    """The bylaws in force today, or on the date asked (``?on=``); ``?format=toml`` downloads them, and
    ``?format=defaults`` Rankfile's built-in defaults, as ``rankfile bylaws show`` and ``export`` do."""
    policy.require(request.user, "org.view_directory")
    today = timezone.localdate()
    form = OnDateForm(request.GET or None)
    day = (form.cleaned_data["on"] or today) if form.is_valid() else today
    version = queries.bylaws_in_force(day=day)
    document = version.document if version else bylaws.defaults()
    wanted = request.GET.get("format")
    if wanted in ("toml", "defaults"):
        if wanted == "defaults":
            version, document = None, bylaws.defaults()
        name = f"bylaws-v{version.number}.toml" if version else "bylaws-defaults.toml"
        response = HttpResponse(bylaws.to_toml(document), content_type="application/toml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "org/bylaws.html",
        {
            "version": version,
            "cited": hooks.cited_vote(version.adopted_by_vote, request.user) if version else None,
            "document": document,
            "roles": queries.bylaws_roles_in_words(document=document),
            "deadlines": queries.bylaws_deadlines_in_words(document=document),
            "toml": bylaws.to_toml(document),
            "versions": queries.bylaws_versions(),
            "may_adopt": policy.allows(request.user, "org.adopt_bylaws"),
            "today": today,
            "day": day,
            "form": form,
        },
    )


@login_required
def bylaws_version(request: HttpRequest, number: int) -> HttpResponse:
    version = queries.bylaws_version(user=request.user, number=number)
    if request.GET.get("format") == "toml":
        response = HttpResponse(bylaws.to_toml(version.document), content_type="application/toml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="bylaws-v{version.number}.toml"'
        return response
    context = {
        "version": version,
        "cited": hooks.cited_vote(version.adopted_by_vote, request.user),
        "toml": bylaws.to_toml(version.document),
    }
    return render(request, "org/bylaws_version.html", context)


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
            exc.apply_to(form)
        else:
            messages.success(request, _("Version %(number)d adopted.") % {"number": version.number})
            return redirect("org:bylaws_version", number=version.number)
    return render(request, "org/bylaws_adopt.html", {"form": form})


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "org.manage_people")
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = actions.person_create_with_membership(
                name=data["name"],
                email=data["email"],
                member_number=data["member_number"],
                joined_on=data["joined_on"],
                by=request.user,
            )
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.name})
            return redirect("org:person_detail", pk=person.pk)
    return render(request, "org/manage_form.html", {"form": form, "title": _("Add a person"), "submit": _("Add")})


@login_required
def body_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "org.manage_bodies")
    form = BodyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            body = actions.body_create(
                name=data["name"],
                slug=data["slug"],
                kind=data["kind"],
                parent=data["parent"],
                max_size=data["max_size"],
                max_consecutive_terms=data["max_consecutive_terms"],
                by=request.user,
            )
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": body.name})
            return redirect("org:body_detail", slug=body.slug)
    return render(request, "org/manage_form.html", {"form": form, "title": _("Add a body"), "submit": _("Add")})


@login_required
def person_status_change(request: HttpRequest, pk: int) -> HttpResponse:
    policy.require(request.user, "org.manage_people")
    person = queries.person_for_directory(user=request.user, pk=pk)
    form = StatusChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.membership_status_change(
                person=person,
                status=data["status"],
                effective_from=data["effective_from"],
                until=data["until"],
                reason_code=data["reason_code"],
                reason=data["reason"],
                by=request.user,
            )
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("The status change was recorded."))
            return redirect("org:person_detail", pk=person.pk)
    title = _("Record a status change for %(name)s") % {"name": person.name}
    return render(request, "org/manage_form.html", {"form": form, "title": title, "submit": _("Record")})


@login_required
def person_email(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever manages people changes the email address on a person's record."""
    policy.require(request.user, "org.manage_people")
    person = queries.person_for_directory(user=request.user, pk=pk)
    form = PersonEmailForm(request.POST or None, initial={"email": person.email})
    if request.method == "POST" and form.is_valid():
        try:
            actions.person_email_change(person=person, email=form.cleaned_data["email"], by=request.user)
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("The email address on %(name)s's record was changed.") % {"name": person.name})
            return redirect("org:person_detail", pk=person.pk)
    account = person.user.email if person.user is not None else ""
    return render(request, "org/person_email.html", {"person": person, "form": form, "account": account})


@login_required
def person_seat(request: HttpRequest, pk: int) -> HttpResponse:
    policy.require(request.user, "org.seat_people")
    person = queries.person_for_directory(user=request.user, pk=pk)
    form = SeatForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seat = actions.person_seat(
                person=person,
                body=data["body"],
                role=data["role"],
                basis=data["basis"],
                starts_on=data["starts_on"],
                term_ends_on=data["term_ends_on"],
                by=request.user,
            )
        except Ineligible as exc:
            # A refusal by what a decision holds is flagged (actions.records_held_refusals): no vote overrides it.
            refusal = {
                "explained": eligibility.reason_in_words(exc.code, on_date=data["starts_on"]),
                "held": exc.held is not None,
            }
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("%(name)s now sits on %(body)s.") % {"name": person.name, "body": seat.body})
            return redirect("org:person_detail", pk=person.pk)
    title = _("Seat %(name)s on a body") % {"name": person.name}
    return render(
        request, "org/manage_form.html", {"form": form, "title": title, "submit": _("Seat"), "refusal": refusal}
    )


@login_required
def seat_end(request: HttpRequest, pk: int) -> HttpResponse:
    policy.require(request.user, "org.seat_people")
    seat = queries.seat_for_management(pk=pk)
    form = SeatEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.seat_end(
                seat=seat, ends_on=form.cleaned_data["ends_on"], reason=form.cleaned_data["reason"], by=request.user
            )
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("The seat was ended."))
            return redirect("org:person_detail", pk=seat.person_id)
    title = _("End %(person)s's seat on %(body)s") % {"person": seat.person, "body": seat.body}
    return render(request, "org/manage_form.html", {"form": form, "title": title, "submit": _("End the seat")})


@login_required
def person_account_link(request: HttpRequest, pk: int) -> HttpResponse:
    """A site administrator links the account with the address on a person's record to them (an account made before
    invitations named people, or by an invitation that named nobody)."""
    policy.require(request.user, "org.manage_people")
    person = queries.person_for_directory(user=request.user, pk=pk)
    account = queries.unlinked_account_of(person=person)
    if request.method == "POST" and account is not None:
        actions.person_account_link(person=person, user=account, by=request.user)
        messages.success(request, _("%(name)s's account is now linked to their membership.") % {"name": person.name})
        return redirect("org:person_detail", pk=person.pk)
    return render(request, "org/person_account.html", {"person": person, "account": account})
