"""The tracker: every mandate a person may see, filterable, overdue first; a mandate's page with its terms,
milestones, progress and history, and the form its responsible body reports progress with. The public tracker
shows public mandates only, to anyone.

For recorders (the chair, vice chair or secretary of a meeting's body, and site administrators): creating a
meeting, and on its page the agenda, attendance, departures, minutes, motions, their votes and the mandates a
carried vote adopts; on a mandate's page, amending, extending or rescinding it by a vote. Each form posts to its
own address, which is "not found" to anyone else; a refused form comes back with each problem by its field."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rankfile import policy
from rankfile.errors import Ineligible, InvalidInput, NotAllowed
from rankfile.governance import actions, feeds, links, mandates, queries, seating
from rankfile.governance.forms import (
    AgendaForm,
    AttendanceForm,
    DepartForm,
    EligibilityOverrideForm,
    MandateAdoptForm,
    MandateAmendForm,
    MandateExtendForm,
    MandateRescindForm,
    MeetingCreateForm,
    MeetingFilterForm,
    MinutesForm,
    MotionForm,
    ProgressForm,
    SeatByVoteForm,
    TrackerFilterForm,
    VoteForm,
    milestone_lines,
)
from rankfile.governance.mandates import MilestoneSpec
from rankfile.governance.models import Mandate, MandateStatus, Meeting, MotionStatus, Visibility
from rankfile.org import eligibility
from rankfile.policy import public_page

PAGE_SIZE = 50


@dataclass(frozen=True)
class TrackerRow:
    url: str
    title: str
    reference: str
    members_only: bool
    responsible: str
    due: str
    overdue: bool
    status: str
    percent: int | None  # None once done or rescinded
    done: str  # "done on 3 May 2026", or empty
    late: bool
    adopting: str
    adopted: str


def tracker_rows(found: Iterable[dict[str, Any]], *, public: bool) -> list[TrackerRow]:
    """A page of the tracker as plain text, prepared once (links, days and statuses in words), where the template
    would work each out per row."""
    name = "governance:public_mandate_detail" if public else "governance:mandate_detail"
    mandate_url = reverse(name, args=["0"]).removesuffix("0/")
    statuses = {value: str(label) for value, label in MandateStatus.choices}
    done_on = _("done on %(day)s")
    months: dict[int, str] = {}

    def day(value: date) -> str:
        """As the date filter writes "j F Y", with each month's name translated once."""
        month = months.get(value.month)
        if month is None:
            month = months[value.month] = str(MONTHS[value.month])
        return f"{value.day} {month} {value.year:04d}"

    return [
        TrackerRow(
            url=f"{mandate_url}{quote(row['reference'])}/",
            title=row["title"],
            reference=row["reference"],
            members_only=not public and row["visibility"] == Visibility.MEMBERS,
            responsible=row["responsible_body__name"],
            due=day(row["due_on"]),
            overdue=row["overdue"],
            status=statuses[row["status"]],
            percent=row["percent"] if row["still_open"] else None,
            done=done_on % {"day": day(row["done_on"])} if row["done_on"] else "",
            late=bool(row["done_on"] and row["done_on"] > row["due_on"]),
            adopting=row["adopting_body__name"],
            adopted=day(row["adopted_on"]),
        )
        for row in found
    ]


def _tracker_page(request: HttpRequest, *, user: Any, public: bool) -> HttpResponse:
    form = TrackerFilterForm(request.GET or None, bodies=queries.tracker_bodies(user=user, public=public))
    filters = form.filters()
    found = queries.public_mandates(**filters) if public else queries.mandates(user=user, **filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = page.object_list
    assert isinstance(shown, QuerySet)  # a slice of ``found``, not yet read
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/tracker.html",
        {
            "form": form,
            "page": page,
            "rows": tracker_rows(queries.tracker_lines(found, shown=shown), public=public),
            "counts": queries.tracker_counts(user=user, body=filters.get("body")),
            "query": query.urlencode(),
            "public": public,
            "may_subscribe": not public and queries.sees_members_mandates(user),
            "may_see_meetings": not public and policy.allows(user, "governance.view_meetings"),
            "feed_address": None if public else queries.calendar_feed_address(user=user),
        },
    )


@login_required
def tracker(request: HttpRequest) -> HttpResponse:
    return _tracker_page(request, user=request.user, public=False)


@public_page
def public_tracker(request: HttpRequest) -> HttpResponse:
    return _tracker_page(request, user=AnonymousUser(), public=True)


def _mandate_context(*, user: Any, mandate: Mandate, public: bool = False) -> dict[str, Any]:
    # Read once, for their own sections and for the history.
    terms = list(queries.terms_of(mandate=mandate))
    updates = list(queries.updates_of(mandate=mandate))
    timers = queries.timers_of(mandate=mandate)
    return {
        "mandate": mandate,
        "linked": links.links_to(mandate, user, public=public),
        "terms": terms,
        "milestones": queries.milestones_of(mandate=mandate),
        "updates": updates,
        "timer": queries.timer_of(mandate=mandate, timers=timers),
        "history": queries.mandate_history(user=user, mandate=mandate, terms=terms, updates=updates, timers=timers),
        "today": timezone.localdate(),
    }


def _change_forms(request: HttpRequest, mandate: Mandate, bound: dict[str, Any]) -> dict[str, Any]:
    """The forms that amend, extend or rescind the mandate, for whoever records a body whose vote may change it."""
    if not mandate.is_open or not policy.allows(request.user, "governance.change_mandate", mandate):
        return {}
    votes = queries.votes_to_change(user=request.user, mandate=mandate)
    unreached = queries.milestones_of(mandate=mandate).filter(reached_on__isnull=True)
    forms = {
        "amend_form": MandateAmendForm(
            votes=votes,
            prefix="amend",
            initial={
                "title": mandate.title,
                "text": mandate.text,
                "responsible_body": mandate.responsible_body_id,
                "visibility": mandate.visibility,
                "milestones": milestone_lines(unreached),
            },
        ),
        "extend_form": MandateExtendForm(votes=votes, prefix="extend"),
        "rescind_form": MandateRescindForm(votes=votes, prefix="rescind"),
    }
    forms.update(bound)
    return forms


def _mandate_page(
    request: HttpRequest, mandate: Mandate, *, form: Any = None, bound: dict[str, Any] | None = None
) -> HttpResponse:
    may_post = mandate.is_open and policy.allows(request.user, "governance.post_progress", mandate)
    if form is None and may_post:
        open_milestones = queries.milestones_of(mandate=mandate).filter(reached_on__isnull=True)
        form = ProgressForm(initial={"status": mandate.status, "percent": mandate.percent}, milestones=open_milestones)
    bound = bound or {}
    context = _mandate_context(user=request.user, mandate=mandate)
    context.update(
        {
            "form": form if may_post or (form is not None and form.errors) else None,
            "following": queries.is_following(user=request.user, mandate=mandate),
            "may_follow": policy.allows(request.user, "governance.follow_mandate", mandate),
            "followers": queries.followers_count(mandate=mandate),
            "may_see_meetings": policy.allows(request.user, "governance.view_meetings"),
            "public": False,
            **_change_forms(request, mandate, bound),
        }
    )
    failed = (form is not None and form.errors) or any(f.errors for f in bound.values())
    return render(request, "governance/mandate_detail.html", context, status=400 if failed else 200)


@login_required
def mandate_detail(request: HttpRequest, reference: str) -> HttpResponse:
    mandate = queries.mandate_for(user=request.user, reference=reference)
    if request.method != "POST":
        return _mandate_page(request, mandate)
    # Whoever may see the mandate but not report on it is told "not found", as for any refusal.
    policy.require(request.user, "governance.post_progress", mandate)
    open_milestones = queries.milestones_of(mandate=mandate).filter(reached_on__isnull=True)
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
    return _mandate_page(request, mandate, form=form)


@public_page
def public_mandate_detail(request: HttpRequest, reference: str) -> HttpResponse:
    anyone = AnonymousUser()
    mandate = queries.mandate_for(user=anyone, reference=reference)
    context = _mandate_context(user=anyone, mandate=mandate, public=True)
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


@public_page
def private_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """The members' feed at the member's private address, for calendar apps, which cannot sign in."""
    user = queries.calendar_feed_owner(token=token)
    found = queries.mandates(user=user, **TrackerFilterForm(request.GET or None).filters())
    response = feeds.calendar_response(found, name=_("Mandates due"))
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_POST
def calendar_feed_renew(request: HttpRequest) -> HttpResponse:
    mandates.calendar_feed_renew(by=request.user)
    messages.success(request, _("Your private calendar address is ready. Any earlier one no longer works."))
    return redirect(reverse("governance:tracker") + "#calendar-heading")


@login_required
@require_POST
def calendar_feed_stop(request: HttpRequest) -> HttpResponse:
    mandates.calendar_feed_stop(by=request.user)
    messages.success(request, _("Your private calendar address no longer works."))
    return redirect(reverse("governance:tracker") + "#calendar-heading")


@public_page
def public_calendar(request: HttpRequest) -> HttpResponse:
    found = queries.public_mandates(**TrackerFilterForm(request.GET or None).filters())
    return feeds.calendar_response(found, name=_("Public mandates due"), public=True)


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    found = queries.mandates(user=request.user, **TrackerFilterForm(request.GET or None).filters())
    return feeds.csv_response(found, filename="mandates.csv")


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    form = MeetingFilterForm(request.GET or None)
    found = queries.meetings(user=request.user, **form.filters())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "may_create": policy.allows(request.user, "governance.record_some_meeting"),
    }
    return render(request, "governance/meeting_list.html", context)


@login_required
def meeting_detail(request: HttpRequest, reference: str) -> HttpResponse:
    meeting = queries.meeting_for(user=request.user, reference=reference)
    return _meeting_page(request, meeting)


def _recording_forms(meeting: Meeting) -> dict[str, Any]:
    """The recorder's forms on a meeting's page; none but the minutes once its record is locked."""
    forms: dict[str, Any] = {"minutes_form": MinutesForm(prefix="minutes")}
    if meeting.is_locked:
        return forms
    present = queries.present_now(meeting=meeting)
    forms.update(
        {
            "agenda_form": AgendaForm(prefix="agenda", initial={"agenda": meeting.agenda}),
            "attendance_form": _attendance_form(meeting),
            "depart_form": DepartForm(prefix="depart", present=present),
            "motion_form": _motion_form(meeting),
        }
    )
    return forms


def _attendance_form(meeting: Meeting, data: Any = None) -> AttendanceForm:
    form = AttendanceForm(
        data,
        prefix="attendance",
        seated=queries.seated_for_attendance(meeting=meeting),
        others=queries.people_to_invite(meeting=meeting),
    )
    if meeting.ends_on is None:
        del form.fields["day"]
    return form


def _motion_form(meeting: Meeting, data: Any = None) -> MotionForm:
    return MotionForm(
        data,
        prefix="motion",
        voters=queries.present_now(meeting=meeting, with_a_vote=True),
        minutes=queries.minutes_to_approve(meeting=meeting),
        people=queries.people_a_motion_may_concern(),
    )


def _meeting_page(request: HttpRequest, meeting: Meeting, *, bound: dict[str, Any] | None = None) -> HttpResponse:
    may_record = policy.allows(request.user, "governance.record_meeting", meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "attended": queries.attended(meeting=meeting),
        "motions": queries.motion_records(meeting=meeting),
        "minutes": queries.minutes_of(meeting=meeting),
        "may_record": may_record,
        "may_record_binding": policy.allows(request.user, "governance.record_binding_vote", meeting),
    }
    if may_record:
        context.update(_recording_forms(meeting))
        context.update(bound or {})
        context["quorum"] = queries.quorum_of(meeting=meeting)
    failed = any(form.errors for form in (bound or {}).values())
    return render(request, "governance/meeting_detail.html", context, status=400 if failed else 200)


def _meeting_to_record(request: HttpRequest, reference: str) -> Meeting:
    """The meeting, for whoever may record it; not found for anyone else."""
    meeting = queries.meeting_for(user=request.user, reference=reference)
    policy.require(request.user, "governance.record_meeting", meeting)
    return meeting


def _carried_out(form: Any, run: Callable[[dict[str, Any]], object]) -> bool:
    """Run the action with the form's data when it is valid; a refusal is shown on the form, by field."""
    if not form.is_valid():
        return False
    try:
        run(form.cleaned_data)
    except InvalidInput as exc:
        exc.apply_to(form)
        return False
    return True


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "governance.record_some_meeting")
    form = MeetingCreateForm(request.POST or None, bodies=queries.bodies_to_record(user=request.user))
    created: list[Meeting] = []
    if request.method == "POST":

        def run(data: dict[str, Any]) -> None:
            created.append(
                actions.meeting_create(
                    bodies=list(data["bodies"]),
                    held_on=data["held_on"],
                    ends_on=data["ends_on"],
                    title=data["title"],
                    kind=data["kind"],
                    place=data["place"],
                    agenda=data["agenda"],
                    reference=data["reference"],
                    by=request.user,
                )
            )

        if _carried_out(form, run):
            messages.success(request, _("The meeting %(reference)s was created.") % {"reference": created[0].reference})
            return redirect("governance:meeting_detail", reference=created[0].reference)
    status = 400 if form.errors else 200
    return render(request, "governance/meeting_create.html", {"form": form}, status=status)


@login_required
@require_POST
def meeting_agenda(request: HttpRequest, reference: str) -> HttpResponse:
    meeting = _meeting_to_record(request, reference)
    form = AgendaForm(request.POST, prefix="agenda")
    if _carried_out(form, lambda data: actions.agenda_set(meeting=meeting, text=data["agenda"], by=request.user)):
        messages.success(request, _("The agenda was saved."))
        return redirect("governance:meeting_detail", reference=meeting.reference)
    return _meeting_page(request, meeting, bound={"agenda_form": form})


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, reference: str) -> HttpResponse:
    meeting = _meeting_to_record(request, reference)
    form = _attendance_form(meeting, request.POST)

    def run(data: dict[str, Any]) -> None:
        actions.attendance_record(
            meeting=meeting,
            present=list(data["present"]),
            invited=list(data["invited"]),
            day=data.get("day"),
            by=request.user,
        )

    if _carried_out(form, run):
        messages.success(request, _("The attendance was recorded."))
        return redirect("governance:meeting_detail", reference=meeting.reference)
    return _meeting_page(request, meeting, bound={"attendance_form": form})


@login_required
@require_POST
def meeting_depart(request: HttpRequest, reference: str) -> HttpResponse:
    meeting = _meeting_to_record(request, reference)
    form = DepartForm(request.POST, prefix="depart", present=queries.present_now(meeting=meeting))
    if _carried_out(
        form, lambda data: actions.attendance_depart(meeting=meeting, person=data["person"], by=request.user)
    ):
        messages.success(request, _("%(name)s is marked as gone.") % {"name": form.cleaned_data["person"].name})
        return redirect("governance:meeting_detail", reference=meeting.reference)
    return _meeting_page(request, meeting, bound={"depart_form": form})


@login_required
@require_POST
def meeting_minutes(request: HttpRequest, reference: str) -> HttpResponse:
    meeting = _meeting_to_record(request, reference)
    form = MinutesForm(request.POST, prefix="minutes")
    versions: list[Any] = []

    def run(data: dict[str, Any]) -> None:
        versions.append(actions.minutes_record(meeting=meeting, text=data["text"], by=request.user))

    if _carried_out(form, run):
        messages.success(request, _("Version %(number)d of the minutes was recorded.") % {"number": versions[0].number})
        return redirect("governance:meeting_detail", reference=meeting.reference)
    return _meeting_page(request, meeting, bound={"minutes_form": form})


@login_required
@require_POST
def motion_create(request: HttpRequest, reference: str) -> HttpResponse:
    meeting = _meeting_to_record(request, reference)
    form = _motion_form(meeting, request.POST)
    made: list[Any] = []

    def run(data: dict[str, Any]) -> None:
        made.append(
            actions.motion_make(
                meeting=meeting,
                text=data["text"],
                mover=data["mover"],
                seconder=data["seconder"],
                threshold=data["threshold"],
                approves_minutes=data["approves_minutes"],
                concerns=list(data["concerns"]),
                case_reference=data["case_reference"],
                case_effect=data["case_effect"],
                by=request.user,
            )
        )

    if _carried_out(form, run):
        messages.success(request, _("Motion %(reference)s was recorded.") % {"reference": made[0].reference})
        return redirect("governance:meeting_detail", reference=meeting.reference)
    return _meeting_page(request, meeting, bound={"motion_form": form})


@login_required
@require_POST
def motion_withdraw(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    meeting = _meeting_to_record(request, reference)
    motion = queries.motion_of(meeting=meeting, number=number)
    try:
        actions.motion_withdraw(motion=motion, by=request.user)
    except InvalidInput as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Motion %(reference)s was withdrawn.") % {"reference": motion.reference})
    return redirect("governance:meeting_detail", reference=meeting.reference)


@login_required
def vote_create(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    meeting = _meeting_to_record(request, reference)
    motion = queries.motion_of(meeting=meeting, number=number)
    if motion.status != MotionStatus.PENDING or meeting.is_locked:
        messages.info(request, _("Motion %(reference)s takes no vote now.") % {"reference": motion.reference})
        return redirect("governance:meeting_detail", reference=meeting.reference)
    voters = queries.present_now(meeting=meeting, with_a_vote=True)
    form = VoteForm(request.POST or None, voters=voters)
    if meeting.ends_on is None:
        del form.fields["taken_on"]
    if request.method == "POST":

        def run(data: dict[str, Any]) -> None:
            actions.vote_record(
                motion=motion,
                method=data["method"],
                roll_call=form.roll_call(),
                taken_on=data.get("taken_on"),
                by=request.user,
                **form.counts(),
            )

        if _carried_out(form, run):
            motion.refresh_from_db()
            messages.success(
                request,
                _("The vote on %(reference)s was recorded: %(status)s.")
                % {"reference": motion.reference, "status": motion.get_status_display()},
            )
            return redirect("governance:meeting_detail", reference=meeting.reference)
    context = {"meeting": meeting, "motion": motion, "form": form, "quorum": queries.quorum_of(meeting=meeting)}
    return render(request, "governance/vote_form.html", context, status=400 if form.errors else 200)


@login_required
def mandate_adopt(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    meeting = _meeting_to_record(request, reference)
    motion = queries.motion_of(meeting=meeting, number=number)
    vote = getattr(motion, "vote", None)
    if vote is None or not vote.carried or meeting.is_locked:
        messages.info(request, _("Only a carried vote at a meeting not yet locked adopts a mandate."))
        return redirect("governance:meeting_detail", reference=meeting.reference)
    form = MandateAdoptForm(request.POST or None, meeting_bodies=meeting.bodies.order_by("name"))
    adopted: list[Mandate] = []
    if request.method == "POST":

        def run(data: dict[str, Any]) -> None:
            adopted.append(
                mandates.mandate_adopt(
                    vote=vote,
                    title=data["title"],
                    text=data["text"],
                    responsible_body=data["responsible_body"],
                    due_on=data["due_on"],
                    due_within_days=data["due_within_days"],
                    visibility=data["visibility"],
                    milestones=data["milestones"],
                    adopting_body=data.get("adopting_body"),
                    by=request.user,
                )
            )

        if _carried_out(form, run):
            messages.success(request, _("Mandate %(reference)s was adopted.") % {"reference": adopted[0].reference})
            return redirect("governance:mandate_detail", reference=adopted[0].reference)
    context = {"meeting": meeting, "motion": motion, "vote": vote, "form": form}
    return render(request, "governance/mandate_adopt.html", context, status=400 if form.errors else 200)


def _carried_vote_to_act_on(request: HttpRequest, reference: str, number: int) -> tuple[Meeting, Any, Any]:
    """The meeting, motion and carried vote a recorder acts on; anything else goes back to the meeting."""
    meeting = _meeting_to_record(request, reference)
    motion = queries.motion_of(meeting=meeting, number=number)
    return meeting, motion, getattr(motion, "vote", None)


@login_required
def seat_by_vote(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """Seat the person a carried motion elected, through the one seating action and its eligibility check."""
    meeting, motion, vote = _carried_vote_to_act_on(request, reference, number)
    if vote is None or not vote.carried:
        messages.info(request, _("Only a carried vote seats someone."))
        return redirect("governance:meeting_detail", reference=meeting.reference)
    form = SeatByVoteForm(request.POST or None, people=motion.concerns.order_by("name"))
    refusal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seat = seating.seat_by_election(
                vote=vote,
                person=data["person"],
                body=data["body"],
                role=data["role"],
                starts_on=data["starts_on"],
                term_ends_on=data["term_ends_on"],
                by=request.user,
            )
        except Ineligible as exc:
            refusal = {"explained": eligibility.reason_in_words(exc.code, on_date=data["starts_on"])}
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(
                request,
                _("%(name)s now sits on %(body)s, elected by vote %(vote)s.")
                % {"name": seat.person.name, "body": seat.body.name, "vote": vote.reference},
            )
            return redirect("governance:meeting_detail", reference=meeting.reference)
    context = {
        "meeting": meeting,
        "motion": motion,
        "vote": vote,
        "form": form,
        "refusal": refusal,
        "title": _("Seat someone elected by vote %(reference)s") % {"reference": vote.reference},
        "explain": _(
            "The person must be one the motion is about. Rankfile checks their eligibility as for every seat; the "
            "seat cites this vote."
        ),
        "submit": _("Seat them"),
    }
    failed = request.method == "POST"
    return render(request, "governance/vote_action.html", context, status=400 if failed else 200)


@login_required
def eligibility_override(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """Override the eligibility check for the person a carried motion is about, citing it. Flagged."""
    meeting, motion, vote = _carried_vote_to_act_on(request, reference, number)
    policy.require(request.user, "governance.record_binding_vote", meeting)
    if vote is None or not vote.carried:
        messages.info(request, _("Only a carried vote overrides the eligibility check."))
        return redirect("governance:meeting_detail", reference=meeting.reference)
    form = EligibilityOverrideForm(request.POST or None, people=motion.concerns.order_by("name"))
    if request.method == "POST":

        def run(data: dict[str, Any]) -> None:
            seating.eligibility_override_by_vote(
                vote_reference=vote.reference, person=data["person"], body=data["body"], by=request.user
            )

        if _carried_out(form, run):
            messages.success(request, _("The eligibility override was recorded; the oversight body is told."))
            return redirect("governance:meeting_detail", reference=meeting.reference)
    context = {
        "meeting": meeting,
        "motion": motion,
        "vote": vote,
        "form": form,
        "refusal": None,
        "title": _("Override the eligibility check by vote %(reference)s") % {"reference": vote.reference},
        "explain": _(
            "Only a carried vote of the body the bylaws empower overrides the eligibility check, for one person "
            "and one body. It is flagged to the oversight body and listed for every member. What a final decision "
            "holds, no vote gets past."
        ),
        "submit": _("Record the override"),
    }
    return render(request, "governance/vote_action.html", context, status=400 if form.errors else 200)


def _change_mandate(
    request: HttpRequest,
    reference: str,
    *,
    form_class: Any,
    key: str,
    change: Callable[[Mandate, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    mandate = queries.mandate_for(user=request.user, reference=reference)
    policy.require(request.user, "governance.change_mandate", mandate)
    form = form_class(request.POST, prefix=key, votes=queries.votes_to_change(user=request.user, mandate=mandate))
    try:
        succeeded = _carried_out(form, lambda data: change(mandate, data))
    except NotAllowed:
        # The vote is of a meeting this person does not record: said as for a vote that does not exist.
        form.add_error("vote_reference", _("No vote you record has this reference."))
        succeeded = False
    if succeeded:
        messages.success(request, done)
        return redirect("governance:mandate_detail", reference=mandate.reference)
    return _mandate_page(request, mandate, bound={f"{key}_form": form})


def _changed_milestones(mandate: Mandate, specs: list[MilestoneSpec]) -> list[MilestoneSpec] | None:
    """The milestones to set, or None when the form gives back those not yet reached, unchanged."""
    unreached = queries.milestones_of(mandate=mandate).filter(reached_on__isnull=True)
    current = [MilestoneSpec(title=m.title, due_on=m.due_on) for m in unreached]
    return None if specs == current else specs


@login_required
@require_POST
def mandate_amend(request: HttpRequest, reference: str) -> HttpResponse:
    def change(mandate: Mandate, data: dict[str, Any]) -> object:
        return mandates.mandate_amend(
            mandate=mandate,
            vote=data["vote"],
            title=data["title"],
            text=data["text"],
            responsible_body=data["responsible_body"],
            due_on=data["due_on"],
            due_within_days=data["due_within_days"],
            visibility=data["visibility"],
            milestones=_changed_milestones(mandate, data["milestones"]),
            by=request.user,
        )

    return _change_mandate(
        request, reference, form_class=MandateAmendForm, key="amend", change=change, done=_("The mandate was amended.")
    )


@login_required
@require_POST
def mandate_extend(request: HttpRequest, reference: str) -> HttpResponse:
    def change(mandate: Mandate, data: dict[str, Any]) -> object:
        return mandates.mandate_extend(
            mandate=mandate,
            vote=data["vote"],
            due_on=data["due_on"],
            due_within_days=data["due_within_days"],
            by=request.user,
        )

    return _change_mandate(
        request,
        reference,
        form_class=MandateExtendForm,
        key="extend",
        change=change,
        done=_("The mandate was extended."),
    )


@login_required
@require_POST
def mandate_rescind(request: HttpRequest, reference: str) -> HttpResponse:
    def change(mandate: Mandate, data: dict[str, Any]) -> object:
        return mandates.mandate_rescind(mandate=mandate, vote=data["vote"], by=request.user)

    return _change_mandate(
        request,
        reference,
        form_class=MandateRescindForm,
        key="rescind",
        change=change,
        done=_("The mandate was rescinded."),
    )


def meeting_report_html(*, user: Any, meeting: Meeting) -> str:
    """The printable record of a meeting, as HTML for WeasyPrint: who attended, each motion and how each vote went
    (by name where recorded), the approved minutes, and how far each mandate it adopted has come."""
    adopted = list(queries.mandates(user=user).filter(adopted_by_vote__motion__meeting=meeting))
    latest = {m.pk: queries.updates_of(mandate=m).first() for m in adopted}
    return render_to_string(
        "governance/meeting_report.html",
        {
            "meeting": meeting,
            "attended": queries.attended(meeting=meeting),
            "motions": queries.motion_records(meeting=meeting),
            "minutes": queries.minutes_of(meeting=meeting),
            "rows": [(m, latest[m.pk]) for m in adopted],
            "overdue": sum(1 for m in adopted if m.is_overdue),
            "done": sum(1 for m in adopted if m.status == MandateStatus.DONE),
            "org_name": settings.ORG_NAME,
            "today": timezone.localdate(),
        },
    )


@login_required
def meeting_report(request: HttpRequest, reference: str) -> HttpResponse:
    """The printable record of a meeting (a PDF): attendance, motions and votes, minutes and its mandates."""
    meeting = queries.meeting_for(user=request.user, reference=reference)
    html = meeting_report_html(user=request.user, meeting=meeting)
    return feeds.pdf_response(html, filename=f"{meeting.reference}.pdf")
