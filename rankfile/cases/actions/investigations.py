"""Process investigations: a case about how officials or a body handled another case (DESIGN.md invariant 7).

One is opened from a process-complaint report (``panel.case_open`` makes it a process case), or directly by a member
of the oversight body, naming the case examined (if any) and the officials concerned, or a body and a period: then
the officials are everyone who sat on that body at some time in it, from the seat history. It is handled by the body
the bylaws name for process complaints, else the oversight body.

The officials concerned (the case's subjects) are excluded at once from both cases: recused from the examined case's
panel (reason ``subject_of_process``), removed as handlers of its reports, and every key of either case taken back;
``panel.exclusion_reason`` keeps them from ever being proposed for either. They may be suspended from leadership seats
for the duration only by a recorded, carried vote of the handling body or of the body the bylaws empower to override
decisions: an interim measure that cites the vote.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.cases import policy as case_policy
from rankfile.cases.actions import interim
from rankfile.cases.actions.panel import (
    CASE_OPENED,
    SUBJECT_OF_PROCESS,
    keep_out,
    next_reference,
    remove_member,
    require_manager,
    role_body,
    step,
)
from rankfile.cases.models import Case, CaseKind, InterimKind, InterimMeasure, PanelStatus, Stage, Track
from rankfile.errors import InvalidInput
from rankfile.governance import queries as governance_queries
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, Person
from rankfile.transactions import action

SCOPE_SET = schema.define(
    "cases.investigation_scope",
    label=gettext_lazy("A process investigation was opened"),
    fields={
        "case": schema.ID,
        "examines": schema.optional(schema.ID),
        "subjects": schema.COUNT,
        "body": schema.optional(schema.ID),
        "from": schema.optional(schema.DATE),
        "until": schema.optional(schema.DATE),
    },
    checkpoint_after=True,
)
# Invariant 7: each official's exclusion from a case, with the keys taken back, before they could read more.
SUBJECT_EXCLUDED = schema.define(
    "cases.subject_excluded",
    label=gettext_lazy("An official under investigation was taken out of a case"),
    fields={"case": schema.ID, "investigation": schema.ID, "person": schema.ID, "keys_taken": schema.COUNT},
)

LONGEST_PERIOD_YEARS = 20


def handling_body(day: date | None = None) -> Body | None:
    return role_body("process_complaints", day) or role_body("oversight", day)


def _require_oversight_member(user: Any) -> Person:
    """Someone sitting today on the body the bylaws name as the oversight body, with a second factor."""
    policy.require(user, "cases.oversee")
    case_policy.require_second_factor(user)
    person = org_queries.person_of(user=user)
    assert person is not None  # the rule holds only for a person
    return person


def officials_of(*, body: Body, since: date, until: date) -> list[Person]:
    """Everyone who sat on ``body`` at some time from ``since`` to ``until``: those sitting on the first day, and
    those whose seats began after it, within the period."""
    seats = list(org_queries.seats_on(body=body, day=since).select_related("person"))
    seats += list(body.seats.filter(starts_on__gt=since, starts_on__lte=until).select_related("person"))
    return list({seat.person_id: seat.person for seat in seats}.values())


def _period(body: Body | None, since: date | None, until: date | None) -> tuple[date, date] | None:
    if body is None and since is None and until is None:
        return None
    today = timezone.localdate()
    problems: dict[str, list[str]] = {}
    if body is None:
        problems["body"] = [_("Choose the body whose officials are concerned.")]
    if since is None or until is None or since > until:
        problems["since"] = [_("Give the period: a first day on or before the last.")]
    elif until > today:
        problems["until"] = [_("The period ends today at the latest: who sat on a body is known up to today.")]
    elif (until - since).days > round(365.25 * LONGEST_PERIOD_YEARS):
        problems["since"] = [_("Give a period of at most %(years)s years.") % {"years": LONGEST_PERIOD_YEARS}]
    if problems:
        raise InvalidInput(_("The period is not complete."), code="period", field_errors=problems)
    assert since is not None
    assert until is not None
    return since, until


def _exclude_subjects(investigation: Case, people: Sequence[Person], cases: Sequence[Case], *, by: Any) -> None:
    """Take the officials out of ``cases`` (the examined case, the investigation): recused from a panel they are on,
    removed as handlers of the reports, every key taken back; each exclusion on the ledger."""
    for person in people:
        for case in cases:
            keys = 0
            for member in case.panel.filter(person=person, status__in=[PanelStatus.PROPOSED, PanelStatus.SEATED]):
                keys += remove_member(member, status=PanelStatus.RECUSED, reason=SUBJECT_OF_PROCESS, by=by)
            keys += keep_out(case, person)
            ledger.record(
                actor=by,
                action=SUBJECT_EXCLUDED,
                subject=case,
                data={"case": case.pk, "investigation": investigation.pk, "person": person.pk, "keys_taken": keys},
            )


def _scope(
    case: Case,
    *,
    examines: Case | None,
    officials: Sequence[Person],
    period: tuple[date, date] | None,
    body: Body | None,
    by: Any,
) -> Case:
    newly_examined = examines is not None and case.examines_id is None
    if examines is not None:
        if examines.pk == case.pk or examines.examines_id == case.pk:
            message = _("A process investigation cannot examine itself.")
            raise InvalidInput(message, code="examines", field_errors={"examines": [message]})
        case.examines = examines
        case.save(update_fields=["examines"])
    people = {p.pk: p for p in officials}
    if period is not None and body is not None:
        people.update({p.pk: p for p in officials_of(body=body, since=period[0], until=period[1])})
    earlier = list(case.subjects.all())
    new = [p for p in people.values() if all(p.pk != e.pk for e in earlier)]
    case.subjects.add(*new)
    ledger.record(
        actor=by,
        action=SCOPE_SET,
        subject=case,
        data={
            "case": case.pk,
            "examines": case.examines_id,
            "subjects": len(new),
            "body": body.pk if body is not None and period is not None else None,
            "from": period[0].isoformat() if period else None,
            "until": period[1].isoformat() if period else None,
        },
    )
    both = [c for c in (case.examines, case) if c is not None]
    _exclude_subjects(case, new, both, by=by)
    if newly_examined and case.examines is not None:
        _exclude_subjects(case, earlier, [case.examines], by=by)
    return case


@action
def investigation_open(
    *,
    by: Any,
    officials: Sequence[Person] = (),
    examines: Case | None = None,
    body: Body | None = None,
    since: date | None = None,
    until: date | None = None,
) -> Case:
    """A member of the oversight body opens a process investigation directly: about the officials named, and/or
    everyone who sat on ``body`` from ``since`` to ``until``; optionally about how they handled ``examines``. It goes
    to the body the bylaws name for process complaints (else the oversight body), and the officials are excluded
    from both cases at once."""
    opener = _require_oversight_member(by)
    period = _period(body, since, until)
    if not officials and period is None:
        message = _("Name the officials concerned, or a body and a period.")
        raise InvalidInput(message, code="no_subjects", field_errors={"officials": [message]})
    if period is not None and body is not None and not officials_of(body=body, since=period[0], until=period[1]):
        message = _("Nobody sat on %(body)s in that period.") % {"body": body.name}
        raise InvalidInput(message, code="nobody_sat", field_errors={"since": [message]})
    concerned = {p.pk for p in officials}
    if period is not None and body is not None:
        concerned |= {p.pk for p in officials_of(body=body, since=period[0], until=period[1])}
    if opener.pk in concerned:
        raise InvalidInput(
            _("You are among the officials concerned; another member of the oversight body opens this."),
            code="opener_concerned",
        )
    handler = handling_body()
    if handler is None:
        raise InvalidInput(_("The bylaws name no oversight body to handle this."), code="no_body")
    case = Case.objects.create(
        reference=next_reference(timezone.localdate()),
        kind=CaseKind.PROCESS,
        track=Track.FORMAL,
        body=handler,
    )
    step(
        case,
        by=by,
        action=CASE_OPENED,
        data={"case": case.pk, "kind": case.kind, "track": case.track, "body": handler.pk, "reports": 0},
    )
    return _scope(case, examines=examines, officials=officials, period=period, body=body, by=by)


@action
def investigation_scope_add(
    *, case: Case, by: Any, officials: Sequence[Person] = (), examines: Case | None = None
) -> Case:
    """For a process investigation opened from a report: whoever runs it names the case examined (once) and the
    officials concerned (more may be added, never removed). They are excluded from both cases at once."""
    require_manager(case, by)
    if case.kind != CaseKind.PROCESS:
        raise InvalidInput(_("Only a process investigation examines officials."), code="not_process")
    if not case.is_open:
        raise InvalidInput(_("This case is closed."), code="closed")
    if examines is not None and case.examines_id is not None and case.examines_id != examines.pk:
        message = _("This investigation already examines case %(ref)s.") % {"ref": case.examines.reference}  # type: ignore[union-attr]
        raise InvalidInput(message, code="examines", field_errors={"examines": [message]})
    if not officials and examines is None:
        message = _("Name the officials concerned or the case examined.")
        raise InvalidInput(message, code="no_subjects", field_errors={"officials": [message]})
    me = org_queries.person_of(user=by)
    if me is not None and any(p.pk == me.pk for p in officials):  # pragma: no cover - they would not run it
        raise InvalidInput(_("You are among the officials concerned."), code="opener_concerned")
    return _scope(case, examines=examines, officials=officials, period=None, body=None, by=by)


@action
def subject_suspend(
    *, case: Case, person: Person, vote_reference: str, reasons: str, review_on: date | None, by: Any
) -> InterimMeasure:
    """Suspend an official under investigation from leadership seats for the duration, citing a recorded vote that
    carried, of the handling body or of the body the bylaws empower to override decisions. The measure names the vote;
    their seats on offices end, and the eligibility check refuses them until it is lifted."""
    interim.require_handling(case, by)
    if case.kind != CaseKind.PROCESS:
        raise InvalidInput(
            _("Only an official under a process investigation is suspended by a vote."), code="not_process"
        )
    if not case.subjects.filter(pk=person.pk).exists():
        message = _("%(name)s is not among the officials this investigation examines.") % {"name": person.name}
        raise InvalidInput(message, code="not_a_subject", field_errors={"person": [message]})
    vote = governance_queries.vote_by_reference(reference=vote_reference)
    if vote is None:
        message = _("No recorded vote has the reference “%(ref)s”.") % {"ref": vote_reference}
        raise InvalidInput(message, code="no_such_vote", field_errors={"vote_reference": [message]})
    if not vote.carried:
        message = _("Vote %(ref)s did not carry.") % {"ref": vote.reference}
        raise InvalidInput(message, code="vote_not_carried", field_errors={"vote_reference": [message]})
    empowered = [b.pk for b in (case.body, case_policy.empowered_body()) if b is not None]
    if not vote.motion.meeting.bodies.filter(pk__in=empowered).exists():
        message = _("Vote %(ref)s is not a vote of %(body)s or of the body the bylaws empower.") % {
            "ref": vote.reference,
            "body": case.body.name,
        }
        raise InvalidInput(message, code="not_the_empowered_body", field_errors={"vote_reference": [message]})
    if case.stage in (Stage.FINAL, Stage.CLOSED):  # pragma: no cover - impose refuses it too
        raise InvalidInput(_("This case is closed."), code="closed")
    return interim.impose(
        case=case,
        person=person,
        kind=InterimKind.SUSPENDED_FROM_LEADERSHIP,
        reason_code="process_investigation",
        reasons=reasons,
        review_on=review_on,
        vote=vote,
        by=by,
    )
