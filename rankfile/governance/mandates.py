"""Every write to mandates: adoption by a vote, changes of terms by a later vote, progress, following; and their
timers (DESIGN.md invariant 10).

A mandate is due by the end of its due day in the organization's time zone. The responsible body is reminded
before; when the day has passed, the deadline engine alerts the oversight body and flags the miss on the ledger,
and this part emails the members of the responsible body's parent. Only a carried vote of the adopting body, or of
a later convention, amends, extends or rescinds a mandate; each change is a new version of its terms.
"""

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail, send_mass_mail
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy, transactions
from rankfile.deadlines import actions as deadlines
from rankfile.deadlines import kinds
from rankfile.deadlines.models import Deadline
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.governance.actions import clean_text, refuse, require_unlocked, sha256
from rankfile.governance.models import (
    CalendarFeed,
    Mandate,
    MandateFollow,
    MandateStatus,
    MandateTerms,
    Milestone,
    ProgressUpdate,
    TermsChange,
    Visibility,
    Vote,
)
from rankfile.governance.policy import posts_as_member
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema as ls
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, BodyKind
from rankfile.transactions import action

log = logging.getLogger(__name__)

_TERMS = {
    "mandate": ls.ID,
    "vote": ls.ID,
    "terms": ls.COUNT,
    "change": ls.CODE,
    "responsible_body": ls.ID,
    "due": ls.DATE,
    "within_days": ls.optional(ls.COUNT),
    "visibility": ls.CODE,
    "milestones": ls.COUNT,
    "sha256": ls.HASH,
    "on": ls.DATE,  # the day of the vote: a mandate is adopted, or rescinded, on it
}
# Version 2 of these added the days that the mandate's row keeps ("on"), so that `rankfile ledger verify` can
# reconcile the rows with them (rankfile.governance.reconcile).
MANDATE_ADOPTED = ls.define(
    "governance.mandate_adopted",
    label=gettext_lazy("A mandate was adopted"),
    fields={**_TERMS, "adopting_body": ls.ID},
    version=2,
    checkpoint_after=True,
)
MANDATE_TERMS_CHANGED = ls.define(
    "governance.mandate_terms_changed",
    label=gettext_lazy("A mandate's terms were changed by a vote"),
    fields=_TERMS,
    version=2,
    checkpoint_after=True,
)
PROGRESS_POSTED = ls.define(
    "governance.progress_posted",
    label=gettext_lazy("Progress on a mandate was posted"),
    fields={
        "mandate": ls.ID,
        "update": ls.ID,
        "number": ls.COUNT,
        "status": ls.CODE,
        "percent": ls.optional(ls.COUNT),
        "milestones": ls.COUNT,
        "links": ls.COUNT,
        "on_behalf": ls.BOOL,
        "sha256": ls.HASH,
        "on": ls.DATE,
    },
    version=2,
)
MANDATE_FOLLOWED = ls.define(
    "governance.mandate_followed", label=gettext_lazy("Someone followed a mandate"), fields={"mandate": ls.ID}
)
MANDATE_UNFOLLOWED = ls.define(
    "governance.mandate_unfollowed",
    label=gettext_lazy("Someone stopped following a mandate"),
    fields={"mandate": ls.ID},
)
CALENDAR_FEED_RENEWED = ls.define(
    "governance.calendar_feed_renewed",
    label=gettext_lazy("A private calendar address was renewed"),
    fields={"feed": ls.ID, "renewals": ls.COUNT},
)
CALENDAR_FEED_STOPPED = ls.define(
    "governance.calendar_feed_stopped",
    label=gettext_lazy("A private calendar address was stopped"),
    fields={"feed": ls.ID},
)

TEXT_LIMIT = 20_000
MAX_DAYS = 3650
MAX_MILESTONES = 20
MAX_LINKS = 10
_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class MilestoneSpec:
    title: str
    due_on: date | None = None


def due_at(day: date) -> datetime:
    """The end of ``day`` in the organization's time zone: its last moment there (23:59:59.999999), whatever
    the length of the day (23 or 25 hours when the clocks change) and wherever the server is."""
    return timezone.make_aware(datetime.combine(day, time.max))


def _remind_before(start: date, due: date) -> timedelta:
    """A week before a long mandate; a quarter of the time, at least a day, before a short one."""
    return timedelta(days=max(1, min(7, (due - start).days // 4)))


def mandate_url(mandate: Mandate) -> str:
    return f"{settings.BASE_URL}/mandates/{mandate.reference}/"


def _addresses_on(body: Body | None) -> list[str]:
    """The email of everyone sitting on ``body`` today (their login's, or the one on file)."""
    if body is None:
        return []
    found = set()
    for seat in org_queries.seats_on(body=body, day=timezone.localdate()).select_related("person__user"):
        person = seat.person
        address = person.user.email if person.user is not None and person.user.is_active else person.email
        if address:
            found.add(address.lower())
    return sorted(found)


def _mail(template: str, *, context: dict[str, Any], recipients: list[str]) -> None:
    context = {"org_name": settings.ORG_NAME, "base_url": settings.BASE_URL, **context}
    send_mail(
        subject=render_to_string(f"governance/email/{template}_subject.txt", context).strip(),
        message=render_to_string(f"governance/email/{template}_message.txt", context),
        from_email=None,
        recipient_list=recipients,
    )


def _remind_responsible_body(deadline: Deadline) -> None:
    mandate = Mandate.objects.select_related("responsible_body").get(pk=deadline.subject_id)
    recipients = _addresses_on(mandate.responsible_body)
    if recipients:
        _mail(
            "mandate_reminder",
            context={"mandate": mandate, "due_at": deadline.due_at, "url": mandate_url(mandate)},
            recipients=recipients,
        )


def _alert_parent_body(deadline: Deadline) -> None:
    mandate = Mandate.objects.select_related("responsible_body__parent").get(pk=deadline.subject_id)
    parent = mandate.responsible_body.parent
    recipients = _addresses_on(parent)
    if not recipients:
        log.warning("mandate %s is overdue and its body has no parent with members to tell", mandate.pk)
        return
    _mail(
        "mandate_overdue",
        context={"mandate": mandate, "parent": parent, "due_at": deadline.due_at, "url": mandate_url(mandate)},
        recipients=recipients,
    )


def _remind_of_milestone(deadline: Deadline) -> None:
    milestone = Milestone.objects.select_related("mandate__responsible_body").get(pk=deadline.subject_id)
    recipients = _addresses_on(milestone.mandate.responsible_body)
    if recipients:
        _mail(
            "milestone_reminder",
            context={
                "milestone": milestone,
                "mandate": milestone.mandate,
                "due_at": deadline.due_at,
                "url": mandate_url(milestone.mandate),
            },
            recipients=recipients,
        )


def _mandate_named(deadline: Deadline) -> str:
    return str(Mandate.objects.values_list("title", flat=True).get(pk=deadline.subject_id))


def _milestone_named(deadline: Deadline) -> str:
    milestone = Milestone.objects.select_related("mandate").get(pk=deadline.subject_id)
    return _("%(milestone)s, of %(mandate)s") % {"milestone": milestone.title, "mandate": milestone.mandate.title}


MANDATE_DUE = kinds.register(
    kinds.Kind(
        code="governance.mandate_due",
        label=gettext_lazy("carrying out a mandate"),
        on_reminder=_remind_responsible_body,
        on_missed=_alert_parent_body,
        describe=_mandate_named,
    )
)
MILESTONE_DUE = kinds.register(
    kinds.Kind(
        code="governance.milestone_due",
        label=gettext_lazy("reaching a milestone of a mandate"),
        on_reminder=_remind_of_milestone,
        describe=_milestone_named,
    )
)


def _set_mandate_timer(mandate: Mandate, *, start: date, by: Any) -> Deadline:
    return deadlines.deadline_set(
        kind=MANDATE_DUE.code,
        subject=mandate,
        due_at=due_at(mandate.due_on),
        body=mandate.responsible_body,
        remind_before=_remind_before(start, mandate.due_on),
        by=by,
    )


def _set_milestone_timer(milestone: Milestone, *, start: date, body: Body, by: Any) -> None:
    if milestone.due_on is not None:
        deadlines.deadline_set(
            kind=MILESTONE_DUE.code,
            subject=milestone,
            due_at=due_at(milestone.due_on),
            body=body,
            remind_before=_remind_before(start, milestone.due_on),
            by=by,
        )


def _cancel_timers(subject: Mandate | Milestone, *, by: Any) -> None:
    for deadline in deadlines.open_deadlines_for(subject):
        deadlines.deadline_cancel(deadline=deadline, by=by)


def _due(*, start: date, due_on: date | None, within_days: int | None) -> date:
    if (due_on is None) == (within_days is None):
        refuse("due_on", _("Give a due date, or a number of days from the vote."), code="due_required")
    if within_days is not None:
        if type(within_days) is not int or not 1 <= within_days <= MAX_DAYS:
            refuse("due_within_days", _("From 1 to %(most)d days.") % {"most": MAX_DAYS}, code="bad_days")
        return start + timedelta(days=within_days)
    assert due_on is not None
    if due_on < start:
        refuse("due_on", _("The due date cannot be before the vote."), code="due_before_vote")
    return due_on


def _milestones(specs: Sequence[MilestoneSpec], *, start: date, due: date) -> list[MilestoneSpec]:
    if len(specs) > MAX_MILESTONES:
        refuse("milestones", _("At most %(most)d milestones.") % {"most": MAX_MILESTONES}, code="too_many_milestones")
    cleaned = []
    for spec in specs:
        title = clean_text(spec.title, field="milestones", limit=200, required=True)
        if spec.due_on is not None and not start <= spec.due_on <= due:
            refuse(
                "milestones",
                _("A milestone's date falls between the vote and the mandate's due date."),
                code="milestone_out_of_range",
            )
        cleaned.append(MilestoneSpec(title=title, due_on=spec.due_on))
    return cleaned


def _visibility(value: str) -> str:
    if value not in Visibility.values:
        refuse("visibility", _("Choose members only or public."), code="bad_visibility")
    return value


def _require_carried(vote: Vote) -> None:
    if not vote.carried:
        raise InvalidInput(_("Only a carried motion binds anyone."), code="vote_not_carried")


def _adopting_body(vote: Vote, given: Body | None) -> Body:
    bodies = list(vote.motion.meeting.bodies.all())
    if given is not None:
        if given.pk not in {b.pk for b in bodies}:
            refuse("adopting_body", _("The adopting body is one of the bodies that met."), code="not_a_meeting_body")
        return given
    conventions = [b for b in bodies if b.kind == BodyKind.CONVENTION]
    if len(bodies) == 1:
        return bodies[0]
    if len(conventions) == 1:
        return conventions[0]
    refuse("adopting_body", _("Say which of the bodies that met adopted it."), code="adopting_body_required")


def _terms_data(mandate: Mandate, terms: MandateTerms) -> dict[str, Any]:
    return {
        "mandate": mandate.pk,
        "vote": terms.vote_id,
        "terms": terms.number,
        "change": terms.change,
        "responsible_body": terms.responsible_body_id,
        "due": terms.due_on.isoformat(),
        "within_days": terms.due_within_days,
        "visibility": terms.visibility,
        "milestones": mandate.milestones.filter(dropped_in_terms__isnull=True).count(),
        "sha256": sha256(f"{terms.title}\n{terms.text}"),
        "on": terms.vote.taken_on.isoformat(),
    }


def _add_milestones(mandate: Mandate, specs: Sequence[MilestoneSpec], *, terms_number: int) -> list[Milestone]:
    last = mandate.milestones.order_by("-position").first()
    start = (last.position + 1) if last else 1
    return Milestone.objects.bulk_create(
        Milestone(mandate=mandate, position=start + n, title=s.title, due_on=s.due_on, added_in_terms=terms_number)
        for n, s in enumerate(specs)
    )


@action
def mandate_adopt(
    *,
    vote: Vote,
    title: str,
    text: str,
    responsible_body: Body,
    by: Any,
    due_on: date | None = None,
    due_within_days: int | None = None,
    visibility: str = Visibility.MEMBERS,
    milestones: Sequence[MilestoneSpec] = (),
    adopting_body: Body | None = None,
) -> Mandate:
    """A mandate that a carried motion created: what must be done, by which body, by when (a date, or within N
    days of the vote), seen by members or the public, with optional milestones. Its timer starts now."""
    vote = Vote.objects.select_related("motion__meeting").get(pk=vote.pk)
    meeting = vote.motion.meeting
    policy.require(by, "governance.record_meeting", meeting)
    require_unlocked(meeting)
    _require_carried(vote)
    adopter = _adopting_body(vote, adopting_body)
    title = clean_text(title, field="title", limit=200, required=True)
    text = clean_text(text, field="text", limit=TEXT_LIMIT, required=True)
    due = _due(start=vote.taken_on, due_on=due_on, within_days=due_within_days)
    specs = _milestones(milestones, start=vote.taken_on, due=due)
    visibility = _visibility(visibility)
    number = vote.mandates.count() + 1
    seq = ledger.next_seq()  # the mandate and its first terms carry the entry of their adoption
    mandate = None
    try:
        with transactions.part():
            mandate = Mandate.objects.create(
                ledger_seq=seq,
                reference=f"{vote.reference}.{number}",
                adopted_by_vote=vote,
                adopting_body=adopter,
                adopted_on=vote.taken_on,
                title=title,
                text=text,
                responsible_body=responsible_body,
                due_on=due,
                visibility=visibility,
            )
    except IntegrityError:
        raise InvalidInput(
            _("Another mandate was adopted from this vote meanwhile; try again."), code="retry"
        ) from None
    terms = MandateTerms.objects.create(
        ledger_seq=seq,
        mandate=mandate,
        number=1,
        change=TermsChange.ADOPTED,
        vote=vote,
        title=title,
        text=text,
        responsible_body=responsible_body,
        due_on=due,
        due_within_days=due_within_days,
        visibility=visibility,
    )
    added = _add_milestones(mandate, specs, terms_number=1)
    ledger.record(
        seq=terms.ledger_seq,
        actor=by,
        action=MANDATE_ADOPTED,
        subject=mandate,
        data={**_terms_data(mandate, terms), "adopting_body": adopter.pk},
    )
    _set_mandate_timer(mandate, start=vote.taken_on, by=by)
    for milestone in added:
        _set_milestone_timer(milestone, start=vote.taken_on, body=responsible_body, by=by)
    return mandate


def _require_power_to_change(mandate: Mandate, vote: Vote) -> None:
    """Only a carried vote of the adopting body, or of a convention, taken after the adoption; once per vote."""
    _require_carried(vote)
    if vote.pk == mandate.adopted_by_vote_id or mandate.terms.filter(vote=vote).exists():
        raise InvalidInput(_("This vote has already set this mandate's terms."), code="vote_already_used")
    # Later: on a later day, or recorded after the adopting vote on the same day.
    if (vote.taken_on, vote.pk) < (mandate.adopted_on, mandate.adopted_by_vote_id):
        raise InvalidInput(_("The vote was taken before the mandate was adopted."), code="vote_before_adoption")
    bodies = vote.motion.meeting.bodies.all()
    if not any(b.pk == mandate.adopting_body_id or b.kind == BodyKind.CONVENTION for b in bodies):
        raise InvalidInput(
            _("Only a vote of the body that adopted the mandate, or of a later convention, can change it."),
            code="not_the_adopting_body",
        )


def _change_terms(
    *,
    mandate: Mandate,
    vote: Vote,
    change: str,
    by: Any,
    title: str | None = None,
    text: str | None = None,
    responsible_body: Body | None = None,
    due_on: date | None = None,
    due_within_days: int | None = None,
    visibility: str | None = None,
    milestones: Sequence[MilestoneSpec] | None = None,
) -> MandateTerms:
    vote = Vote.objects.select_related("motion__meeting").get(pk=vote.pk)
    policy.require(by, "governance.record_meeting", vote.motion.meeting)
    require_unlocked(vote.motion.meeting)
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if not mandate.is_open:
        raise InvalidInput(
            _("This mandate is done or rescinded; adopt a new one for further work."), code="mandate_closed"
        )
    _require_power_to_change(mandate, vote)
    new_title = clean_text(title, field="title", limit=200, required=True) if title is not None else mandate.title
    new_text = clean_text(text, field="text", limit=TEXT_LIMIT, required=True) if text is not None else mandate.text
    new_body = responsible_body or mandate.responsible_body
    if due_on is not None or due_within_days is not None:
        new_due = _due(start=vote.taken_on, due_on=due_on, within_days=due_within_days)
        within = due_within_days
    else:
        new_due = mandate.due_on
        within = mandate.terms.order_by("-number").values_list("due_within_days", flat=True).first()
    new_visibility = _visibility(visibility) if visibility is not None else mandate.visibility
    specs = _milestones(milestones, start=vote.taken_on, due=new_due) if milestones is not None else None
    if change == TermsChange.EXTENDED and new_due <= mandate.due_on:
        refuse("due_on", _("An extension gives a later due date."), code="not_later")
    changed = (new_title, new_text, new_body.pk, new_due, new_visibility) != (
        mandate.title,
        mandate.text,
        mandate.responsible_body_id,
        mandate.due_on,
        mandate.visibility,
    )
    if change == TermsChange.AMENDED and not changed and specs is None:
        raise InvalidInput(_("The amendment changes nothing."), code="nothing_changed")
    due_moved = new_due != mandate.due_on
    body_moved = new_body.pk != mandate.responsible_body_id
    number = mandate.terms_number + 1
    terms = MandateTerms.objects.create(
        ledger_seq=ledger.next_seq(),
        mandate=mandate,
        number=number,
        change=change,
        vote=vote,
        title=new_title,
        text=new_text,
        responsible_body=new_body,
        due_on=new_due,
        due_within_days=within,
        visibility=new_visibility,
    )
    mandate.title, mandate.text, mandate.responsible_body = new_title, new_text, new_body
    mandate.due_on, mandate.visibility, mandate.terms_number = new_due, new_visibility, number
    if change == TermsChange.RESCINDED:
        mandate.status = MandateStatus.RESCINDED
        mandate.rescinded_on = vote.taken_on
    mandate.save()
    dropped: list[Milestone] = []
    added: list[Milestone] = []
    if specs is not None:
        dropped = list(mandate.milestones.filter(dropped_in_terms__isnull=True, reached_on__isnull=True))
        Milestone.objects.filter(pk__in=[m.pk for m in dropped]).update(dropped_in_terms=number)
        added = _add_milestones(mandate, specs, terms_number=number)
    ledger.record(
        seq=terms.ledger_seq, actor=by, action=MANDATE_TERMS_CHANGED, subject=mandate, data=_terms_data(mandate, terms)
    )
    open_milestones = list(mandate.milestones.filter(dropped_in_terms__isnull=True, reached_on__isnull=True))
    if change == TermsChange.RESCINDED:
        _cancel_timers(mandate, by=by)
        for milestone in open_milestones:
            _cancel_timers(milestone, by=by)
    else:
        if due_moved or body_moved:
            _cancel_timers(mandate, by=by)
            _set_mandate_timer(mandate, start=vote.taken_on, by=by)
        for milestone in dropped:
            _cancel_timers(milestone, by=by)
        new_ones = {m.pk for m in added}
        for milestone in open_milestones:
            if milestone.pk in new_ones:
                _set_milestone_timer(milestone, start=vote.taken_on, body=new_body, by=by)
            elif body_moved:
                _cancel_timers(milestone, by=by)
                _set_milestone_timer(milestone, start=vote.taken_on, body=new_body, by=by)
    _tell_followers_on_commit(mandate, event=change, skip_user=None)
    return terms


@action
def mandate_amend(
    *,
    mandate: Mandate,
    vote: Vote,
    by: Any,
    title: str | None = None,
    text: str | None = None,
    responsible_body: Body | None = None,
    due_on: date | None = None,
    due_within_days: int | None = None,
    visibility: str | None = None,
    milestones: Sequence[MilestoneSpec] | None = None,
) -> MandateTerms:
    """New terms, set by ``vote``; what is not given stays. Given ``milestones`` replace those not yet reached.
    The earlier terms stay visible as they were."""
    return _change_terms(
        mandate=mandate,
        vote=vote,
        change=TermsChange.AMENDED,
        by=by,
        title=title,
        text=text,
        responsible_body=responsible_body,
        due_on=due_on,
        due_within_days=due_within_days,
        visibility=visibility,
        milestones=milestones,
    )


@action
def mandate_extend(
    *, mandate: Mandate, vote: Vote, by: Any, due_on: date | None = None, due_within_days: int | None = None
) -> MandateTerms:
    """A later due date (a date, or within N days of ``vote``): the old timer is cancelled, a new one set."""
    return _change_terms(
        mandate=mandate,
        vote=vote,
        change=TermsChange.EXTENDED,
        by=by,
        due_on=due_on,
        due_within_days=due_within_days,
    )


@action
def mandate_rescind(*, mandate: Mandate, vote: Vote, by: Any) -> MandateTerms:
    """The mandate no longer binds: its timers are cancelled; it stays on the record as rescinded."""
    return _change_terms(mandate=mandate, vote=vote, change=TermsChange.RESCINDED, by=by)


def _links(links: Sequence[str]) -> list[str]:
    cleaned = [link.strip() for link in links if link and link.strip()]
    if len(cleaned) > MAX_LINKS:
        refuse("links", _("At most %(most)d links.") % {"most": MAX_LINKS}, code="too_many_links")
    for link in cleaned:
        try:
            if len(link) > 500:
                raise ValidationError("too long")
            _url(link)
        except ValidationError:
            refuse("links", _("Each link is a web address starting with https:// or http://."), code="bad_link")
    return cleaned


@action
def progress_post(
    *,
    mandate: Mandate,
    status: str,
    by: Any,
    text: str = "",
    percent: int | None = None,
    links: Sequence[str] = (),
    delivered: str = "",
    milestones_reached: Sequence[Milestone] = (),
) -> ProgressUpdate:
    """The responsible body reports progress: a status (not started, in progress, blocked, done), an optional
    percentage, text and links. Done needs a short account of what was delivered; blocked, a word on why.
    Followers are emailed once it is committed."""
    policy.require(by, "governance.post_progress", mandate)
    mandate = Mandate.objects.select_for_update().select_related("responsible_body").get(pk=mandate.pk)
    if not mandate.is_open:
        raise InvalidInput(_("This mandate is done or rescinded."), code="mandate_closed")
    if status not in (MandateStatus.NOT_STARTED, MandateStatus.IN_PROGRESS, MandateStatus.BLOCKED, MandateStatus.DONE):
        refuse("status", _("Choose not started, in progress, blocked or done."), code="bad_status")
    text = clean_text(text, field="text", limit=TEXT_LIMIT)
    delivered = clean_text(delivered, field="delivered", limit=TEXT_LIMIT)
    if status == MandateStatus.DONE and not delivered:
        refuse("delivered", _("Say briefly what was delivered."), code="delivered_required")
    if status != MandateStatus.DONE and delivered:
        refuse("delivered", _("What was delivered is said when the mandate is done."), code="not_done")
    if status == MandateStatus.BLOCKED and not text:
        refuse("text", _("Say what blocks it."), code="reason_required")
    if percent is not None and (type(percent) is not int or not 0 <= percent <= 100):
        refuse("percent", _("A whole number from 0 to 100."), code="bad_percent")
    if status == MandateStatus.DONE:
        percent = 100
    cleaned_links = _links(links)
    current = {m.pk: m for m in mandate.milestones.filter(dropped_in_terms__isnull=True, reached_on__isnull=True)}
    reached = []
    for milestone in milestones_reached:
        if milestone.pk not in current:
            refuse("milestones_reached", _("Choose milestones of this mandate not yet reached."), code="bad_milestone")
        reached.append(current[milestone.pk])
    today = timezone.localdate()
    last = mandate.updates.order_by("-number").first()
    on_behalf = not posts_as_member(by, mandate)
    update = ProgressUpdate.objects.create(
        ledger_seq=ledger.next_seq(),
        mandate=mandate,
        number=(last.number + 1) if last else 1,
        status=status,
        percent=percent,
        text=text,
        links=cleaned_links,
        delivered=delivered,
        posted_by=org_queries.person_of(user=by),
        on_behalf=on_behalf,
        posted_on=today,
    )
    update.milestones_reached.set(reached)
    Milestone.objects.filter(pk__in=[m.pk for m in reached]).update(reached_on=today)
    mandate.status = status
    if percent is not None:
        mandate.percent = percent
    if status == MandateStatus.DONE:
        mandate.done_on = today
    mandate.save(update_fields=["status", "percent", "done_on"])
    ledger.record(
        seq=update.ledger_seq,
        actor=by,
        action=PROGRESS_POSTED,
        subject=mandate,
        data={
            "mandate": mandate.pk,
            "update": update.pk,
            "number": update.number,
            "status": status,
            "percent": percent,
            "milestones": len(reached),
            "links": len(cleaned_links),
            "on_behalf": on_behalf,
            "sha256": sha256("\n".join([text, *cleaned_links, delivered])),
            "on": today.isoformat(),
        },
    )
    for milestone in reached:
        for deadline in deadlines.open_deadlines_for(milestone):
            deadlines.deadline_met(deadline=deadline, by=by)
    if status == MandateStatus.DONE:
        for deadline in deadlines.open_deadlines_for(mandate):
            deadlines.deadline_met(deadline=deadline, by=by)
        for milestone in mandate.milestones.filter(dropped_in_terms__isnull=True, reached_on__isnull=True):
            _cancel_timers(milestone, by=by)
    _tell_followers_on_commit(mandate, event="progress", skip_user=by)
    return update


@action
def mandate_follow(*, mandate: Mandate, by: Any) -> MandateFollow:
    """Be emailed of each progress update and change of terms. Following twice is following once."""
    policy.require(by, "governance.follow_mandate", mandate)
    existing = MandateFollow.objects.filter(mandate=mandate, user=by, ended_at__isnull=True).first()
    if existing is not None:
        return existing
    follow = MandateFollow.objects.create(mandate=mandate, user=by)
    ledger.record(actor=by, action=MANDATE_FOLLOWED, subject=mandate, data={"mandate": mandate.pk})
    return follow


@action
def mandate_unfollow(*, mandate: Mandate, by: Any) -> bool:
    """Stop the emails; False if not following."""
    if not getattr(by, "is_authenticated", False):
        return False
    stopped = MandateFollow.objects.filter(mandate=mandate, user=by, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    if stopped:
        ledger.record(actor=by, action=MANDATE_UNFOLLOWED, subject=mandate, data={"mandate": mandate.pk})
    return bool(stopped)


@action
def calendar_feed_renew(*, by: Any) -> CalendarFeed:
    """A new private address for the members' calendar feed; the previous one stops working at once. For a member
    who may see the members' mandates, signed in (calendar apps cannot sign in; the address stands for them)."""
    if not getattr(by, "is_authenticated", False):
        raise NotAllowed("a private calendar belongs to a login")
    policy.require(by, "governance.view_members_mandates")
    feed = CalendarFeed.objects.select_for_update().filter(user_id=by.pk).first()
    if feed is None:
        feed = CalendarFeed(user=by, renewals=0)
    else:
        feed.renewals += 1
    feed.salt = secrets.token_urlsafe(32)
    feed.token_sha256 = sha256(feed.token())
    feed.changed_at = timezone.now()
    feed.save()
    ledger.record(
        actor=by, action=CALENDAR_FEED_RENEWED, subject=feed, data={"feed": feed.pk, "renewals": feed.renewals}
    )
    return feed


@action
def calendar_feed_stop(*, by: Any) -> bool:
    """The private address stops working, and no other replaces it; False if there was none."""
    if not getattr(by, "is_authenticated", False):
        return False
    feed = CalendarFeed.objects.select_for_update().filter(user_id=by.pk, token_sha256__isnull=False).first()
    if feed is None:
        return False
    feed.salt, feed.token_sha256, feed.changed_at = "", None, timezone.now()
    feed.save(update_fields=["salt", "token_sha256", "changed_at"])
    ledger.record(actor=by, action=CALENDAR_FEED_STOPPED, subject=feed, data={"feed": feed.pk})
    return True


def _tell_followers_on_commit(mandate: Mandate, *, event: str, skip_user: Any) -> None:
    skip = skip_user.pk if getattr(skip_user, "is_authenticated", False) else None
    # Robust: the change is committed whatever the mail server does; a failure is logged.
    transaction.on_commit(lambda: tell_followers(mandate_id=mandate.pk, event=event, skip_user_id=skip), robust=True)


def tell_followers(*, mandate_id: int, event: str, skip_user_id: int | None = None) -> int:
    """One email to each follower who may still see the mandate (not the one who posted); returns how many."""
    mandate = Mandate.objects.select_related("responsible_body").get(pk=mandate_id)
    latest = mandate.updates.order_by("-number").first() if event == "progress" else None
    context = {
        "org_name": settings.ORG_NAME,
        "mandate": mandate,
        "event": event,
        "update": latest,
        "url": mandate_url(mandate),
    }
    subject = render_to_string("governance/email/mandate_update_subject.txt", context).strip()
    message = render_to_string("governance/email/mandate_update_message.txt", context)
    outgoing = []
    for follow in MandateFollow.objects.filter(mandate=mandate, ended_at__isnull=True).select_related("user"):
        user = follow.user
        if user.pk == skip_user_id or not user.is_active or not user.email:
            continue
        if not policy.allows(user, "governance.view_mandate", mandate):
            continue
        outgoing.append((subject, message, None, [user.email]))
    if outgoing:
        send_mass_mail(outgoing, fail_silently=False)
    return len(outgoing)
