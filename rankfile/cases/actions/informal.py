"""The informal track: a facilitated agreement instead of a finding.

A case opened from an informal report is on this track. It needs every party's consent, each given with their own
key; then the seated panel records the agreement: obligations, each of one side (the reporter's or the respondent's),
what it is (sealed, in one agreement document both parties read) and a date it is due by, with a timer (a miss alerts
the oversight body, never the parties). The panel records each obligation met; when all are, the case closes. An
obligation not met (the panel records it, on its timer's miss or before), or a party declining or withdrawing consent,
sends the case to the formal track: to the notice if the panel is seated, else to seating it; open obligations'
timers are cancelled. Nothing said in the informal track is a finding.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile.cases import casefiles, notify, stages
from rankfile.cases import policy as case_policy
from rankfile.cases.actions import decisions
from rankfile.cases.actions.panel import bylaws, move, require_panelist
from rankfile.cases.actions.process import checked_text, party_actor
from rankfile.cases.models import (
    Audience,
    Case,
    CaseDocument,
    CaseDocumentKind,
    Obligation,
    ObligationStatus,
    Party,
    PartyRole,
    Stage,
    Track,
)
from rankfile.cases.timers import GIVE_NOTICE, OBLIGATION_DUE, set_timer
from rankfile.deadlines import actions as deadlines
from rankfile.deadlines.models import Deadline
from rankfile.errors import InvalidInput
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema
from rankfile.transactions import action
from rankfile.vault import documents
from rankfile.vault.keys import UnlockedKey

CONSENT_GIVEN = schema.define(
    "cases.informal_consent_given",
    label=gettext_lazy("A party agreed to informal resolution"),
    fields={"case": schema.ID, "party": schema.CODE},
)
CONSENT_WITHDRAWN = schema.define(
    "cases.informal_consent_withdrawn",
    label=gettext_lazy("A party withdrew from informal resolution"),
    fields={"case": schema.ID, "party": schema.CODE},
)
AGREEMENT_RECORDED = schema.define(
    "cases.agreement_recorded",
    label=gettext_lazy("An informal agreement was recorded"),
    fields={"case": schema.ID, "item": schema.ID, "obligations": schema.COUNT, "sealed": schema.HASH},
    checkpoint_after=True,
)
OBLIGATION_MET = schema.define(
    "cases.obligation_met",
    label=gettext_lazy("An obligation under an agreement was met"),
    fields={"case": schema.ID, "obligation": schema.ID, "late": schema.BOOL},
)
OBLIGATION_BREACHED = schema.define(
    "cases.obligation_breached",
    label=gettext_lazy("An obligation under an agreement was not met"),
    fields={"case": schema.ID, "obligation": schema.ID, "missed": schema.BOOL},
)
TRACK_CHANGED = schema.define(
    "cases.track_changed",
    label=gettext_lazy("A case changed track"),
    fields={"case": schema.ID, "track": schema.CODE, "reason": schema.CODE},
)
CASE_CLOSED = schema.define(
    "cases.case_closed",
    label=gettext_lazy("A case was closed"),
    fields={"case": schema.ID, "reason": schema.CODE, "measures_lifted": schema.COUNT},
)

# Why a case left the informal track, or closed.
BREACHED = "obligation_breached"
CONSENT_WITHDRAWN_REASON = "consent_withdrawn"
FULFILLED = "agreement_fulfilled"
LONGEST = 365  # days an obligation may run


def _obligation_of(deadline: Deadline) -> Obligation:
    return Obligation.objects.select_related("case").get(pk=deadline.subject_id)


# The subject of the timer is the obligation. A miss alerts the oversight body (minus the parties); the panel then
# decides whether it is a breach.
def _require_informal(case: Case) -> None:
    if case.track != Track.INFORMAL:
        raise InvalidInput(_("This case is on the formal track."), code="not_informal")
    if not case.is_open:
        raise InvalidInput(_("This case is closed."), code="closed")


def _consent_missing(case: Case) -> list[Party]:
    return list(case.parties.filter(consented_to_informal_at__isnull=True).order_by("role", "pk"))


@action
def informal_consent_give(*, case: Case, key: UnlockedKey, by: Any) -> Party:
    """A party agrees, with their own key, to try the informal track."""
    party = case_policy.require_party(case, key)
    _require_informal(case)
    stages.require_open(case, "informal_consent")
    if party.consented_to_informal_at is not None:
        raise InvalidInput(_("You have already agreed to the informal track."), code="already_consented")
    if case.obligations.exists():  # pragma: no cover - every party consented before the agreement
        raise InvalidInput(_("The agreement is already recorded."), code="agreement_recorded")
    party.consented_to_informal_at = timezone.now()
    party.save(update_fields=["consented_to_informal_at"])
    ledger.record(
        actor=party_actor(party, by), action=CONSENT_GIVEN, subject=case, data={"case": case.pk, "party": party.role}
    )
    return party


@action
def informal_consent_withdraw(*, case: Case, key: UnlockedKey, by: Any) -> Case:
    """A party declines the informal track, or withdraws the consent they gave, at any time before it ends: the case
    goes to the formal track."""
    party = case_policy.require_party(case, key)
    _require_informal(case)
    party.consented_to_informal_at = None
    party.save(update_fields=["consented_to_informal_at"])
    actor = party_actor(party, by)
    ledger.record(actor=actor, action=CONSENT_WITHDRAWN, subject=case, data={"case": case.pk, "party": party.role})
    _to_formal(case, reason=CONSENT_WITHDRAWN_REASON, by=actor)
    return case


def _clean_obligations(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    problems: dict[str, list[str]] = {}
    cleaned: list[dict[str, Any]] = []
    for n, item in enumerate(items, start=1):
        side = item.get("by_role") or ""
        what = (item.get("what") or "").strip()
        due_on = item.get("due_on")
        if side not in PartyRole.values:
            message = _("Say whose obligation %(n)s is: the reporter's or the respondent's.") % {"n": n}
            problems[f"by_role_{n}"] = [message]
        if not what:
            problems[f"what_{n}"] = [_("Say what obligation %(n)s is.") % {"n": n}]
        elif len(what) > 5000:
            problems[f"what_{n}"] = [_("Say what obligation %(n)s is in at most 5,000 characters.") % {"n": n}]
        if type(due_on) is not date or not today < due_on <= today + timedelta(days=LONGEST):
            problems[f"due_on_{n}"] = [
                _("Give obligation %(n)s a date after today and within %(days)s days.") % {"n": n, "days": LONGEST}
            ]
        cleaned.append({"number": n, "by_role": side, "what": what, "due_on": due_on})
    if not cleaned:
        problems["obligations"] = [_("An agreement has at least one obligation.")]
    if problems:
        raise InvalidInput(_("The agreement is not complete."), code="agreement_incomplete", field_errors=problems)
    return cleaned


@action
def agreement_record(
    *, case: Case, obligations: Sequence[Mapping[str, Any]], by: Any, summary: str = ""
) -> CaseDocument:
    """The seated panel records the agreement both parties reached, once each has consented: one sealed document for
    both parties (what each obligation is, the summary), and each obligation's side and due date in the clear, with a
    timer."""
    require_panelist(case, by)
    _require_informal(case)
    stages.require_open(case, "agreement")
    if case.obligations.exists():
        raise InvalidInput(_("The agreement is already recorded."), code="agreement_recorded")
    missing = _consent_missing(case)
    if missing:
        sides = ", ".join(sorted({str(PartyRole(p.role).label) for p in missing}))
        raise InvalidInput(
            _("Every party must agree to the informal track first; not yet: the %(sides)s.") % {"sides": sides},
            code="consent_missing",
        )
    cleaned = _clean_obligations(obligations)
    item = casefiles.add_json(
        case=case,
        kind=CaseDocumentKind.AGREEMENT,
        audience=Audience.PARTIES,
        added_by_role="panel",
        content={
            "case": case.reference,
            "summary": checked_text(summary, field="summary", required=False),
            "obligations": [{**o, "due_on": o["due_on"].isoformat()} for o in cleaned],
        },
    )
    item.title = str(_("Informal agreement"))
    item.save(update_fields=["title"])
    for entry in cleaned:
        obligation = Obligation.objects.create(
            case=case, number=entry["number"], by_role=entry["by_role"], due_on=entry["due_on"]
        )
        deadlines.deadline_set(
            kind=OBLIGATION_DUE.code,
            subject=obligation,
            due_at=timezone.make_aware(datetime.combine(obligation.due_on, time(23, 59))),
            body=case.body,
            remind_before=timedelta(days=2),
            by=by,
        )
    ledger.record(
        actor=by,
        action=AGREEMENT_RECORDED,
        subject=case,
        data={
            "case": case.pk,
            "item": item.pk,
            "obligations": len(cleaned),
            "sealed": bytes(documents.latest(item.document).sealed_hash).hex(),
        },
    )
    notify.parties(
        case,
        _("Agreement recorded in case %(case)s") % {"case": case.reference},
        _("The informal agreement in case %(case)s was recorded. Sign in to read it.") % {"case": case.reference},
    )
    return item


def _require_open_obligation(obligation: Obligation, by: Any) -> Case:
    case = obligation.case
    require_panelist(case, by)
    _require_informal(case)
    if obligation.status != ObligationStatus.OPEN:
        raise InvalidInput(
            _("Obligation %(n)s is already settled (%(status)s).")
            % {"n": obligation.number, "status": obligation.get_status_display()},
            code="settled",
        )
    return case


@action
def obligation_meet(*, obligation: Obligation, by: Any) -> Obligation:
    """The panel records an obligation met (late or not); when every obligation is, the case closes."""
    case = _require_open_obligation(obligation, by)
    obligation.status, obligation.settled_at = ObligationStatus.MET, timezone.now()
    obligation.save(update_fields=["status", "settled_at"])
    late = False
    for deadline in deadlines.open_deadlines_for(obligation):
        late = late or deadline.missed_at is not None
        deadlines.deadline_met(deadline=deadline, by=by)
    ledger.record(
        actor=by,
        action=OBLIGATION_MET,
        subject=case,
        data={"case": case.pk, "obligation": obligation.pk, "late": late},
    )
    if not case.obligations.exclude(status=ObligationStatus.MET).exists():
        _close(case, by=by)
    return obligation


@action
def obligation_breach(*, obligation: Obligation, by: Any) -> Case:
    """The panel records that an obligation was not met (its date passed, or it was broken before): the case goes to
    the formal track."""
    case = _require_open_obligation(obligation, by)
    obligation.status, obligation.settled_at = ObligationStatus.BREACHED, timezone.now()
    obligation.save(update_fields=["status", "settled_at"])
    missed = any(d.missed_at is not None for d in deadlines.open_deadlines_for(obligation))
    ledger.record(
        actor=by,
        action=OBLIGATION_BREACHED,
        subject=case,
        data={"case": case.pk, "obligation": obligation.pk, "missed": missed},
    )
    _to_formal(case, reason=BREACHED, by=by)
    return case


def _cancel_obligation_timers(case: Case, *, by: Any) -> None:
    for obligation in case.obligations.all():
        for deadline in deadlines.open_deadlines_for(obligation):
            deadlines.deadline_cancel(deadline=deadline, by=by)


def _to_formal(case: Case, *, reason: str, by: Any) -> None:
    _cancel_obligation_timers(case, by=by)
    case.track = Track.FORMAL
    case.save(update_fields=["track"])
    ledger.record(
        actor=by, action=TRACK_CHANGED, subject=case, data={"case": case.pk, "track": Track.FORMAL, "reason": reason}
    )
    seated = casefiles.seated(case).exists()
    move(case, Stage.NOTICE if seated else Stage.PANEL, by=by)
    if seated:
        set_timer(case, GIVE_NOTICE, days=int(bylaws()["deadlines"]["give_notice"]), by=by)
    notify.parties(
        case,
        _("Case %(case)s is now on the formal track") % {"case": case.reference},
        _("Case %(case)s left the informal track and goes on as a formal case. Sign in to see where it stands.")
        % {"case": case.reference},
    )


def _close(case: Case, *, by: Any) -> None:
    case.closed_at, case.close_reason = timezone.now(), FULFILLED
    case.save(update_fields=["closed_at", "close_reason"])
    lifted = decisions.lift_interim_measures(case, by=ledger.SYSTEM)
    ledger.record(
        actor=by,
        action=CASE_CLOSED,
        subject=case,
        data={"case": case.pk, "reason": FULFILLED, "measures_lifted": lifted},
    )
    move(case, Stage.CLOSED, by=by)
    notify.parties(
        case,
        _("Case %(case)s is closed") % {"case": case.reference},
        _("Every obligation of the agreement in case %(case)s was met; the case is closed.") % {"case": case.reference},
    )
