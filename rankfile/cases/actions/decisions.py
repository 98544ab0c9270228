"""Decisions that bind and execute themselves (DESIGN.md invariant 8).

The decision-makers (never the investigator) find on each allegation, to the case's standard of proof, give their
reasons and choose sanctions from the bylaws' catalog; both parties are told at the same moment. When the appeal
window closes (a timer) or the appeals body decides, the decision is final, and the same action applies its
sanctions: membership status, seats ended, a bar from office until a date; interim measures end; the bodies
concerned are told. No leadership body ratifies anything.

A final decision changes in two ways only: an appeal decided by the appeals body on a listed ground, or an override
citing a carried vote of the body the bylaws empower (normally the convention), which is flagged on the ledger, sent
to the oversight body at once and listed for the membership. Any other attempt is refused, and the attempt itself is
recorded.
"""

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.cases import casefiles, holds, meanings, notify, stages
from rankfile.cases import policy as case_policy
from rankfile.cases.actions import interim
from rankfile.cases.actions.panel import (
    NO_MFA,
    PANELIST_EXCLUDED,
    bylaws,
    decision_makers,
    draft_of,
    exclusion_reason,
    move,
    require_panelist,
    role_body,
    yet_to_agree,
)
from rankfile.cases.actions.process import (
    DECISION_TARGET,
    case_of,
    checked_text,
    party_actor,
    set_timer,
    settle_timers,
)
from rankfile.cases.models import (
    Appeal,
    AppealGround,
    AppealOutcome,
    Audience,
    Case,
    CaseDocumentKind,
    Decision,
    DecisionAgreement,
    DecisionDraft,
    DecisionStatus,
    Finding,
    FindingOutcome,
    Override,
    PanelMember,
    PanelRole,
    PanelStatus,
    Sanction,
    Stage,
)
from rankfile.cases.timers import APPEAL_DECISION, APPEAL_WINDOW, SEND_RECORD
from rankfile.deadlines import actions as deadlines
from rankfile.deadlines.models import Deadline
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.governance import queries as governance_queries
from rankfile.governance.models import CaseEffect, Vote
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema
from rankfile.ledger.reconcile import json_sha256
from rankfile.org import actions as org
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, MembershipStatus, Restriction, RestrictionKind, RestrictionSource, SeatEndReason
from rankfile.transactions import action
from rankfile.vault import documents
from rankfile.vault.keys import UnlockedKey

# The entries that make a decision and move it (issued, under appeal, final or replaced) hold what `rankfile ledger
# verify` reconciles its rows with (rankfile.cases.reconcile): version 2 added what the first lacked. "findings" are
# "<allegation number>:<outcome>"; "sanction_terms" the sanction_sha256 of each of "sanction_codes", in order.
DECISION_ISSUED = schema.define(
    "cases.decision_issued",
    label=gettext_lazy("A decision was issued"),
    fields={
        "case": schema.ID,
        "decision": schema.ID,
        "responsible": schema.COUNT,
        "not_responsible": schema.COUNT,
        "sanctions": schema.COUNT,
        "on_appeal": schema.BOOL,
        "sealed": schema.HASH,
        "standard": schema.CODE,
        "letter": schema.ID,
        "decided_by": schema.ID,
        "findings": schema.list_of(schema.CODE),
        "sanction_codes": schema.list_of(schema.CODE),
        "sanction_terms": schema.list_of(schema.HASH),
    },
    version=2,
    checkpoint_after=True,
)
DECISION_FINAL = schema.define(
    "cases.decision_final",
    label=gettext_lazy("A decision became final and took effect"),
    fields={
        "case": schema.ID,
        "decision": schema.ID,
        "on": schema.DATE,
        "status_changed": schema.BOOL,
        "seats_ended": schema.COUNT,
        "restrictions": schema.COUNT,
        "measures_lifted": schema.COUNT,
    },
    version=2,
    checkpoint_after=True,
)
APPEAL_LODGED = schema.define(
    "cases.appeal_lodged",
    label=gettext_lazy("An appeal was lodged"),
    fields={
        "case": schema.ID,
        "appeal": schema.ID,
        "decision": schema.ID,
        "by": schema.CODE,
        "grounds": schema.COUNT,
        "hearing": schema.COUNT,
    },
    version=2,
)
APPEAL_RECORD_SENT = schema.define(
    "cases.appeal_record_sent",
    label=gettext_lazy("The record was sent to the appeals body"),
    fields={"case": schema.ID, "appeal": schema.ID, "keys": schema.COUNT},
)
# "decision": the one appealed; "replacement": the appeals body's own, when it replaced it.
APPEAL_DECIDED = schema.define(
    "cases.appeal_decided",
    label=gettext_lazy("An appeal was decided"),
    fields={
        "case": schema.ID,
        "appeal": schema.ID,
        "outcome": schema.CODE,
        "decision": schema.ID,
        "replacement": schema.optional(schema.ID),
    },
    version=2,
)
# Flagged: the oversight body sees every override and every refused attempt to change a decision.
DECISION_OVERRIDDEN = schema.define(
    "cases.decision_overridden",
    label=gettext_lazy("A decision was overridden by a vote"),
    fields={"case": schema.ID, "decision": schema.ID, "override": schema.ID, "vote": schema.ID, "body": schema.ID},
    flagged=True,
    checkpoint_after=True,
)
CHANGE_REFUSED = schema.define(
    "cases.decision_change_refused",
    label=gettext_lazy("An attempt to change a final decision was refused"),
    fields={"case": schema.ID, "decision": schema.ID, "attempt": schema.CODE, "reason": schema.CODE},
    flagged=True,
)

GROUNDS = tuple(AppealGround.values)
STANDARDS = tuple(meanings.labels("standard_of_proof"))
_T = TypeVar("_T")


def finalize_on_window(deadline: Deadline) -> None:
    """The appeal window closed with no appeal pending: the decision is final and takes effect."""
    case = case_of(deadline)
    decision = case.decisions.filter(status=DecisionStatus.ISSUED).order_by("-pk").first()
    if case.stage == Stage.APPEAL_WINDOW and decision is not None:
        finalize(decision=decision, by=ledger.SYSTEM)


def sanction_sha256(*, code: str, label: str, terms: dict[str, Any]) -> str:
    """How a decision's entry holds each sanction: the hash of its code, label and catalog terms."""
    return json_sha256({"code": code, "label": label, "terms": terms})


def finding_code(*, number: int, outcome: str) -> str:
    """How a decision's entry holds each finding: ``1:responsible``."""
    return f"{number}:{outcome}"


def _catalog(day: date) -> dict[str, dict[str, Any]]:
    return {entry["code"]: entry for entry in bylaws(day)["sanctions"]}


def _clean_decision(
    case: Case, findings: Mapping[int, str], sanctions: Sequence[str], standard: str
) -> tuple[dict[int, str], list[dict[str, Any]]]:
    numbers = list(case.allegations.values_list("number", flat=True))
    problems: dict[str, list[str]] = {}
    cleaned: dict[int, str] = {}
    for number in numbers:
        outcome = findings.get(number) or findings.get(str(number))  # type: ignore[call-overload]
        if outcome not in FindingOutcome.values:
            problems[f"finding_{number}"] = [_("Find on allegation %(n)s: responsible or not.") % {"n": number}]
        else:
            cleaned[number] = outcome
    unknown = {str(k) for k in findings} - {str(n) for n in numbers}
    if unknown:
        problems["findings"] = [_("There is no allegation %(n)s.") % {"n": ", ".join(sorted(unknown))}]
    if standard not in STANDARDS:
        problems["standard_of_proof"] = [_("Choose the standard of proof.")]
    catalog = _catalog(timezone.localdate())
    chosen = []
    for code in dict.fromkeys(sanctions):
        if code not in catalog:
            problems["sanctions"] = [_("“%(code)s” is not in the bylaws' catalog of sanctions.") % {"code": code}]
        else:
            chosen.append(catalog[code])
    if chosen and FindingOutcome.RESPONSIBLE not in cleaned.values():
        problems["sanctions"] = [
            _("A sanction needs a finding of responsibility: the respondent is presumed not responsible.")
        ]
    if problems:
        raise InvalidInput(_("The decision is not complete."), code="decision_incomplete", field_errors=problems)
    return cleaned, chosen


def _record_decision(
    *,
    case: Case,
    findings: dict[int, str],
    sanctions: list[dict[str, Any]],
    rationale: str,
    standard: str,
    decided_by: Any,
    on_appeal: bool,
    by: Any,
) -> Decision:
    allegations = {a.number: a for a in case.allegations.all()}
    letter = casefiles.add_json(
        case=case,
        kind=CaseDocumentKind.APPEAL_DECISION if on_appeal else CaseDocumentKind.DECISION,
        audience=Audience.PARTIES,
        added_by_role="appeals" if on_appeal else "panel",
        content={
            "case": case.reference,
            "standard_of_proof": standard,
            "findings": {str(n): o for n, o in sorted(findings.items())},
            "rationale": rationale,
            "sanctions": [{"code": s["code"], "label": s["label"]} for s in sanctions],
            "on_appeal": on_appeal,
        },
    )
    seq = ledger.next_seq()  # the decision, its findings and its sanctions carry the entry that made them
    decision = Decision.objects.create(
        case=case,
        on_appeal=on_appeal,
        standard_of_proof=standard,
        letter=letter.document,
        decided_by=decided_by,
        ledger_seq=seq,
    )
    Finding.objects.bulk_create(
        Finding(decision=decision, allegation=allegations[n], outcome=o, ledger_seq=seq)
        for n, o in sorted(findings.items())
    )
    made = Sanction.objects.bulk_create(
        Sanction(decision=decision, code=s["code"], label=s["label"], terms=dict(s), ledger_seq=seq) for s in sanctions
    )
    outcomes = list(findings.values())
    ledger.record(
        seq=seq,
        actor=by,
        action=DECISION_ISSUED,
        subject=case,
        data={
            "case": case.pk,
            "decision": decision.pk,
            "responsible": outcomes.count(FindingOutcome.RESPONSIBLE),
            "not_responsible": outcomes.count(FindingOutcome.NOT_RESPONSIBLE),
            "sanctions": len(sanctions),
            "on_appeal": on_appeal,
            "sealed": bytes(documents.latest(letter.document).sealed_hash).hex(),
            "standard": standard,
            "letter": letter.document_id,
            "decided_by": decided_by.pk,
            "findings": [finding_code(number=n, outcome=o) for n, o in sorted(findings.items())],
            "sanction_codes": [s.code for s in made],
            "sanction_terms": [sanction_sha256(code=s.code, label=s.label, terms=s.terms) for s in made],
        },
    )
    return decision


# With more than one decision-maker seated, a decision is issued only once each of them agreed to the same draft:
# the first proposes it (and so agrees), each other agrees, and any new proposal starts agreement again.
DECISION_PROPOSED = schema.define(
    "cases.decision_proposed",
    label=gettext_lazy("A decision-maker proposed a decision to the others"),
    fields={
        "case": schema.ID,
        "draft": schema.ID,
        "replaced": schema.optional(schema.ID),
        "findings": schema.list_of(schema.CODE),
        "sanction_codes": schema.list_of(schema.CODE),
        "waiting_for": schema.COUNT,
    },
)
DECISION_AGREED = schema.define(
    "cases.decision_agreed",
    label=gettext_lazy("A decision-maker agreed to the proposed decision"),
    fields={"case": schema.ID, "draft": schema.ID, "person": schema.ID, "waiting_for": schema.COUNT},
)


def decision_checked(
    *, case: Case, findings: Mapping[int, str], rationale: str, sanctions: Sequence[str]
) -> tuple[dict[int, str], list[dict[str, Any]]]:
    """The findings and the catalog's sanctions a decision would carry, or the InvalidInput ``decision_issue`` would
    raise; writes nothing (the page shows it to check before it goes out)."""
    checked_text(rationale, field="rationale")
    return _clean_decision(case, findings, sanctions, case.standard_of_proof)


def _issue(
    *,
    case: Case,
    findings: dict[int, str],
    sanctions: list[dict[str, Any]],
    rationale: str,
    standard: str,
    decided_by: Any,
    by: Any,
) -> Decision:
    decision = _record_decision(
        case=case,
        findings=findings,
        sanctions=sanctions,
        rationale=rationale,
        standard=standard,
        decided_by=decided_by,
        on_appeal=False,
        by=by,
    )
    settle_timers(case, DECISION_TARGET.code, by=by)
    set_timer(case, APPEAL_WINDOW, days=int(bylaws()["deadlines"]["appeal_window"]), by=by)
    move(case, Stage.APPEAL_WINDOW, by=by)
    notify.parties(
        case,
        _("Decision in case %(case)s") % {"case": case.reference},
        _(
            "The decision in case %(case)s was issued; both parties are told at the same time. Sign in to read it. "
            "It can be appealed within %(days)s days on the grounds the bylaws list."
        )
        % {"case": case.reference, "days": bylaws()["deadlines"]["appeal_window"]},
    )
    return decision


@action
def decision_issue(
    *,
    case: Case,
    findings: Mapping[int, str],
    rationale: str,
    sanctions: Sequence[str],
    by: Any,
    standard_of_proof: str = "",
) -> Decision | DecisionDraft:
    """The decision-makers' decision: told to both parties at the same moment, then open to appeal for the days the
    bylaws set. The investigator cannot issue it. A sole decision-maker issues it at once; with others seated, it is
    proposed to them, and issued once each of them agreed to it (``decision_agree``)."""
    member = require_panelist(case, by, roles=(PanelRole.DECISION_MAKER,))
    stages.require_open(case, "decision")
    standard = standard_of_proof or case.standard_of_proof
    cleaned, chosen = _clean_decision(case, findings, sanctions, standard)
    text = checked_text(rationale, field="rationale")
    others = [m for m in decision_makers(case) if m.pk != member.pk]
    if not others:
        return _issue(
            case=case,
            findings=cleaned,
            sanctions=chosen,
            rationale=text,
            standard=standard,
            decided_by=member.person,
            by=by,
        )
    replaced = draft_of(case)
    if replaced is not None:
        replaced.ended_at = timezone.now()
        replaced.save(update_fields=["ended_at"])
    reasons = casefiles.add(
        case=case,
        kind=CaseDocumentKind.NOTE,
        audience=Audience.PANEL,
        added_by_role="panel",
        text=text,
        title=_("The reasons of a proposed decision"),
    )
    draft = DecisionDraft.objects.create(
        case=case,
        proposed_by=member.person,
        standard_of_proof=standard,
        findings={str(n): o for n, o in sorted(cleaned.items())},
        sanction_codes=[s["code"] for s in chosen],
        reasons=reasons,
    )
    DecisionAgreement.objects.create(draft=draft, person=member.person)
    ledger.record(
        actor=by,
        action=DECISION_PROPOSED,
        subject=case,
        data={
            "case": case.pk,
            "draft": draft.pk,
            "replaced": replaced.pk if replaced is not None else None,
            "findings": [finding_code(number=n, outcome=o) for n, o in sorted(cleaned.items())],
            "sanction_codes": draft.sanction_codes,
            "waiting_for": len(others),
        },
    )
    return draft


def waits_on(draft: DecisionDraft, member: PanelMember) -> bool:
    """Whether ``draft`` waits for this decision-maker's agreement."""
    return not draft.agreements.filter(person_id=member.person_id).exists()


def agreed_by_all(draft: DecisionDraft, member: PanelMember) -> bool:
    """Whether ``draft`` waits on this decision-maker to issue it: they proposed it, and every decision-maker still
    seated has agreed to it (one who had not agreed left the panel)."""
    return draft.proposed_by_id == member.person_id and not yet_to_agree(draft)


@action
def decision_agree(*, case: Case, key: UnlockedKey, by: Any) -> Decision | DecisionDraft:
    """A decision-maker agrees to the draft decision another proposed; the last to agree issues it, in the name of
    the one who proposed it. When the others left agreed to it already (someone who had not agreed left the panel),
    the one who proposed it issues it here."""
    member = require_panelist(case, by, roles=(PanelRole.DECISION_MAKER,))
    stages.require_open(case, "decision_agree")
    draft = draft_of(case)
    if draft is None or not (waits_on(draft, member) or agreed_by_all(draft, member)):
        raise InvalidInput(_("There is no proposed decision waiting for your agreement."), code="no_draft")
    if waits_on(draft, member):
        DecisionAgreement.objects.create(draft=draft, person=member.person)
        waiting = yet_to_agree(draft)
        ledger.record(
            actor=by,
            action=DECISION_AGREED,
            subject=case,
            data={"case": case.pk, "draft": draft.pk, "person": member.person.pk, "waiting_for": len(waiting)},
        )
        if waiting:
            return draft
    rationale = casefiles.open_text(item=draft.reasons, key=key, actor=by, capacity="panel")
    cleaned, chosen = _clean_decision(case, dict(draft.findings), draft.sanction_codes, draft.standard_of_proof)
    decision = _issue(
        case=case,
        findings=cleaned,
        sanctions=chosen,
        rationale=rationale,
        standard=draft.standard_of_proof,
        decided_by=draft.proposed_by,
        by=by,
    )
    draft.decision = decision
    draft.save(update_fields=["decision"])
    return decision


APPEAL_WAIVED = schema.define(
    "cases.appeal_waived",
    label=gettext_lazy("A party waived the appeal"),
    fields={"case": schema.ID, "party": schema.CODE, "final": schema.BOOL},
)


@action
def appeal_waive(*, case: Case, key: UnlockedKey, by: Any) -> bool:
    """A party gives up their right to appeal. Once every party has, the decision is final at once, without
    waiting for the window to close; returns whether it became final."""
    party = case_policy.require_party(case, key)
    case_policy.require_party_themselves(party, user=by, key=key)  # their own choice, never their adviser's
    stages.require_open(case, "appeal_waive")
    if party.appeal_waived_at is None:
        party.appeal_waived_at = timezone.now()
        party.save(update_fields=["appeal_waived_at"])
    final = not case.parties.filter(appeal_waived_at__isnull=True).exists()
    actor = party_actor(party, by)
    ledger.record(
        actor=actor, action=APPEAL_WAIVED, subject=case, data={"case": case.pk, "party": party.role, "final": final}
    )
    if final:
        decision = case.decisions.filter(status=DecisionStatus.ISSUED).order_by("-pk").first()
        settle_timers(case, APPEAL_WINDOW.code, by=actor, met=False)
        if decision is not None:
            finalize(decision=decision, by=actor)
    return final


def _seat_appeals_body(case: Case, body: Body, *, by: Any) -> list[PanelMember]:
    """Everyone on the appeals body who may hear the case (conflicts excluded, on the ledger)."""
    day = timezone.localdate()
    hearing = []
    now = timezone.now()
    for seat in org_queries.seats_on(body=body, day=day).select_related("person__user"):
        person = seat.person
        if case.panel.filter(person=person, role=PanelRole.APPEALS).exists():
            continue
        reason = exclusion_reason(case, person, role=PanelRole.APPEALS, day=day)
        if reason is None and not policy.allows(person.user, "cases.second_factor"):
            reason = NO_MFA
        if reason is None:
            hearing.append(
                PanelMember.objects.create(
                    case=case,
                    person=person,
                    body=body,
                    role=PanelRole.APPEALS,
                    status=PanelStatus.SEATED,
                    declared_at=now,
                    seated_at=now,
                )
            )
        else:
            member, _created = PanelMember.objects.get_or_create(
                case=case,
                person=person,
                defaults={
                    "body": body,
                    "role": PanelRole.APPEALS,
                    "status": PanelStatus.EXCLUDED,
                    "reason": reason,
                    "removed_at": now,
                },
            )
            if _created:
                ledger.record(
                    actor=by,
                    action=PANELIST_EXCLUDED,
                    subject=case,
                    data={"case": case.pk, "member": member.pk, "person": person.pk, "reason": reason},
                )
    return hearing


@action
def appeal_lodge(*, case: Case, grounds: Sequence[str], statement: str, key: UnlockedKey, by: Any) -> Appeal:
    """A party appeals within the window, on grounds the bylaws list. The appeals body's people who may hear it are
    seated, and receive at once, with the appellant's key, the complete record the appellant holds, including the
    original findings; the panel has a few days to send its own material (a timer)."""
    party = case_policy.require_party(case, key)
    stages.require_open(case, "appeal")
    chosen = list(dict.fromkeys(grounds))
    listed = ", ".join(str(AppealGround(g).label) for g in GROUNDS)
    if not chosen:
        message = _("Choose at least one ground for the appeal: %(listed)s.") % {"listed": listed}
        raise InvalidInput(message, code="no_ground", field_errors={"grounds": [message]})
    unknown = [g for g in chosen if g not in GROUNDS]
    if unknown:
        message = _("An appeal is heard on these grounds only: %(listed)s. “%(ground)s” is not one of them.") % {
            "listed": listed,
            "ground": unknown[0],
        }
        raise InvalidInput(message, code="ground_not_listed", field_errors={"grounds": [message]})
    text = checked_text(statement, field="statement")
    decision = case.decisions.filter(status=DecisionStatus.ISSUED).order_by("-pk").first()
    if decision is None:  # pragma: no cover - the stage guarantees one
        raise InvalidInput(_("There is no decision to appeal."), code="no_decision")
    body = role_body("appeals") or role_body("oversight")
    if body is None:
        raise InvalidInput(_("The bylaws name no appeals body; ask the oversight body."), code="no_appeals_body")
    hearing = _seat_appeals_body(case, body, by=party_actor(party, by))
    if not hearing:
        raise InvalidInput(
            _("Nobody on the appeals body can hear this case; the oversight body must first seat someone who can."),
            code="nobody_to_hear",
        )
    item = casefiles.add(
        case=case,
        kind=CaseDocumentKind.APPEAL,
        audience=Audience.PARTIES,
        added_by_role=party.role,
        text=json.dumps({"grounds": chosen, "statement": text}),
        title=str(_("Appeal")),
    )
    appeal = Appeal.objects.create(
        case=case, decision=decision, by_role=party.role, grounds=chosen, statement=item.document, body=body
    )
    for member in hearing:
        own = casefiles.person_key(member.person)
        if own is not None:
            casefiles.give(case=case, to=own, key=key, with_reports=False)
    decision.status = DecisionStatus.UNDER_APPEAL
    decision.save(update_fields=["status"])
    actor = party_actor(party, by)
    settle_timers(case, APPEAL_WINDOW.code, by=actor)
    document = bylaws()
    set_timer(case, SEND_RECORD, days=int(document["deadlines"]["send_appeal_record"]), by=actor)
    set_timer(case, APPEAL_DECISION, days=int(document["deadlines"]["appeal_decision"]), by=actor)
    ledger.record(
        actor=actor,
        action=APPEAL_LODGED,
        subject=case,
        data={
            "case": case.pk,
            "appeal": appeal.pk,
            "decision": decision.pk,
            "by": party.role,
            "grounds": len(chosen),
            "hearing": len(hearing),
        },
    )
    move(case, Stage.APPEAL, by=actor)
    notify.parties(
        case,
        _("Appeal in case %(case)s") % {"case": case.reference},
        _("An appeal was lodged in case %(case)s; the appeals body will decide it.") % {"case": case.reference},
    )
    return appeal


@action
def appeal_record_send(*, appeal: Appeal, by: Any, key: UnlockedKey) -> int:
    """A panelist sends the panel's own material (every document of the case and its reports) to the appeals
    body's people hearing the appeal."""
    case = appeal.case
    require_panelist(case, by)
    stages.require_open(case, "appeal_record_send")
    granted = 0
    for member in casefiles.seated(case, roles=(PanelRole.APPEALS,)):
        own = casefiles.person_key(member.person)
        if own is not None:
            granted += casefiles.give(case=case, to=own, key=key, with_reports=True)
    appeal.record_sent_at = timezone.now()
    appeal.save(update_fields=["record_sent_at"])
    settle_timers(case, SEND_RECORD.code, by=by)
    ledger.record(
        actor=by, action=APPEAL_RECORD_SENT, subject=case, data={"case": case.pk, "appeal": appeal.pk, "keys": granted}
    )
    return granted


@action
def appeal_decide(
    *,
    appeal: Appeal,
    outcome: str,
    rationale: str,
    by: Any,
    findings: Mapping[int, str] | None = None,
    sanctions: Sequence[str] = (),
) -> Decision:
    """The appeals body decides: the appeal is dismissed (the decision stands and becomes final), or upheld and
    the decision replaced by the appeals body's own findings and sanctions, final at once. Either way the sanctions
    that are final take effect in this action."""
    case = appeal.case
    member = require_panelist(case, by, roles=(PanelRole.APPEALS,))
    stages.require_open(case, "appeal_decide")
    if outcome not in AppealOutcome.values:
        message = _("Choose whether the appeal is dismissed or upheld.")
        raise InvalidInput(message, code="outcome", field_errors={"outcome": [message]})
    sent_or_late = appeal.record_sent_at is not None or any(
        d.kind == SEND_RECORD.code and d.missed_at is not None
        for d in deadlines.Deadline.objects.filter(subject_type="cases.case", subject_id=case.pk)
    )
    if not sent_or_late:
        raise InvalidInput(
            _("The panel has not sent its record yet; decide once it has, or once its time has run out."),
            code="record_not_sent",
        )
    text = checked_text(rationale, field="rationale")
    original = appeal.decision
    if outcome == AppealOutcome.DISMISSED:
        casefiles.add_json(
            case=case,
            kind=CaseDocumentKind.APPEAL_DECISION,
            audience=Audience.PARTIES,
            added_by_role="appeals",
            content={"case": case.reference, "outcome": outcome, "rationale": text},
        )
        final = original
    else:
        cleaned, chosen = _clean_decision(case, findings or {}, sanctions, original.standard_of_proof)
        final = _record_decision(
            case=case,
            findings=cleaned,
            sanctions=chosen,
            rationale=text,
            standard=original.standard_of_proof,
            decided_by=member.person,
            on_appeal=True,
            by=by,
        )
        original.status = DecisionStatus.REPLACED
        original.save(update_fields=["status"])
    appeal.outcome, appeal.decided_at = outcome, timezone.now()
    appeal.save(update_fields=["outcome", "decided_at"])
    settle_timers(case, APPEAL_DECISION.code, SEND_RECORD.code, by=by)
    ledger.record(
        actor=by,
        action=APPEAL_DECIDED,
        subject=case,
        data={
            "case": case.pk,
            "appeal": appeal.pk,
            "outcome": outcome,
            "decision": original.pk,
            "replacement": final.pk if final.pk != original.pk else None,
        },
    )
    finalize(decision=final, by=by)
    return final


def years_after(day: date, years: int) -> date:
    """The day ``years`` after ``day``: how a bar from office ends, and how the decision letter says when."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year + years, day=28) + timedelta(days=1)


@action
def finalize(*, decision: Decision, by: Any) -> Decision:
    """The decision is final: its sanctions are applied here, by the system, in the same transaction; interim
    measures end; the bodies whose seats ended are told. Nobody else acts."""
    case = decision.case
    if decision.status == DecisionStatus.FINAL:
        return decision
    today = timezone.localdate()
    final_at = timezone.now()
    decision.status, decision.final_at = DecisionStatus.FINAL, final_at
    decision.save(update_fields=["status", "final_at"])
    status_changed, seats_ended, restrictions = False, 0, 0
    told: dict[int, list[str]] = {}
    respondent = case.respondent
    reference = holds.decision_reference(decision)
    if respondent is not None:
        for sanction in decision.sanctions.all():
            terms = sanction.terms
            status = terms.get("membership_status", "")
            if status:
                days = int(terms.get("suspension_days", 0) or 0)
                org.membership_status_change(
                    person=respondent,
                    status=status,
                    effective_from=today,
                    until=today + timedelta(days=days) if days and status == MembershipStatus.SUSPENDED else None,
                    reason_code="sanction",
                    decided_by_body=case.body,
                    decided_by_reference=reference,
                    by=ledger.SYSTEM,
                )
                status_changed = True
            if terms.get("removes_from_office"):
                for seat in org.seats_end_all(
                    person=respondent, on=today, reason=SeatEndReason.REMOVED_BY_SANCTION, by=ledger.SYSTEM
                ):
                    seats_ended += 1
                    told.setdefault(seat.body_id, []).append(seat.body.name)
            years = int(terms.get("bars_from_office_years", 0) or 0)
            if years:
                org.restriction_impose(
                    person=respondent,
                    kind=RestrictionKind.BARRED_FROM_OFFICE,
                    starts_on=today,
                    ends_on=years_after(today, years),
                    source=RestrictionSource.SANCTION,
                    source_reference=reference,
                    case_reference=case.reference,
                    by=ledger.SYSTEM,
                )
                restrictions += 1
    lifted = lift_interim_measures(case, by=ledger.SYSTEM)
    ledger.record(
        actor=by,
        action=DECISION_FINAL,
        subject=case,
        data={
            "case": case.pk,
            "decision": decision.pk,
            "on": timezone.localdate(final_at).isoformat(),
            "status_changed": status_changed,
            "seats_ended": seats_ended,
            "restrictions": restrictions,
            "measures_lifted": lifted,
        },
    )
    if case.stage != Stage.FINAL:
        move(case, Stage.FINAL, by=by)
    notify.parties(
        case,
        _("The decision in case %(case)s is final") % {"case": case.reference},
        _("The decision in case %(case)s is final and has taken effect.") % {"case": case.reference},
    )
    if told and respondent is not None:
        notify.seats_ended(list(told), person_name=respondent.name, day=today, handled_by=case.body)
    return decision


def lift_interim_measures(case: Case, *, by: Any) -> int:
    """End every interim measure of the case still in force (the case is decided or closed)."""
    lifted = 0
    for measure in case.interim_measures.filter(lifted_at__isnull=True):
        interim.lift(measure, by=by)  # its restriction, and its review timer (whose subject is the measure)
        lifted += 1
    return lifted


def refusal_recorded(attempt: str) -> Callable[[Callable[..., _T]], Callable[..., _T]]:
    """Run the change in its own transaction; if it is refused, record the refused attempt (flagged, for the
    oversight body) in another, and refuse."""

    def wrap(func: Callable[..., _T]) -> Callable[..., _T]:
        def run(*, decision: Decision, by: Any, **kwargs: Any) -> _T:
            try:
                with transaction.atomic():
                    return func(decision=decision, by=by, **kwargs)
            except (NotAllowed, InvalidInput) as exc:
                if not policy.allows(by, "cases.record_refused_change"):
                    raise  # someone with no seat anywhere: refused, and not let fill the oversight body's list
                with transaction.atomic():
                    ledger.record(
                        actor=by,
                        action=CHANGE_REFUSED,
                        subject=decision.case,
                        data={
                            "case": decision.case_id,
                            "decision": decision.pk,
                            "attempt": attempt,
                            "reason": exc.code or "refused",
                        },
                    )
                raise

        return functools.wraps(func)(run)

    return wrap


def motion_about(vote: Vote, case: Case, *, effect: str) -> None:
    """The cited vote's motion names this case and what it does to its final decision, and (the decision being
    about someone) names the respondent among the people it is about: interested, so their vote is not counted."""
    motion = vote.motion
    if motion.case_reference != case.reference or motion.case_effect != effect:
        message = _("Motion %(ref)s does not name case %(case)s and what it does to its decision.") % {
            "ref": vote.reference,
            "case": case.reference,
        }
        raise InvalidInput(message, code="motion_not_about_case", field_errors={"vote_reference": [message]})
    if case.respondent is not None and not motion.concerns.filter(pk=case.respondent.pk).exists():
        message = _("Motion %(ref)s is not about %(name)s: name them among the people the motion is about.") % {
            "ref": vote.reference,
            "name": case.respondent.name,
        }
        raise InvalidInput(message, code="motion_not_about_them", field_errors={"vote_reference": [message]})


@refusal_recorded("override")
def decision_override(*, decision: Decision, vote_reference: str, by: Any) -> Override:
    """Set a final decision aside by a carried vote of the body the bylaws empower (the convention, unless they
    name another). Its restrictions are lifted and a membership status it changed is restored to active; ended seats
    stay ended (a seat is regained only through the eligibility check). Flagged on the ledger, the oversight body
    alerted at once, and listed for the membership."""
    case = decision.case
    policy.require(by, "cases.override_decision", case)  # a recorder of the empowered body; nobody else
    if decision.status != DecisionStatus.FINAL:
        raise InvalidInput(_("Only a final decision is overridden; before that, it can be appealed."), code="not_final")
    if decision.overrides.exists():
        raise InvalidInput(_("This decision was already overridden."), code="already_overridden")
    body = case_policy.empowered_body()
    vote = governance_queries.carried_vote_of(body, vote_reference=vote_reference, power=_("override a final decision"))
    assert body is not None  # carried_vote_of refuses a vote of no body
    motion_about(vote, case, effect=CaseEffect.OVERRIDE)
    # The override's own entry comes first, before those of what it undoes: its row carries that entry's number.
    override = Override.objects.create(
        decision=decision, vote_reference=vote.reference, body=body, made_by=by, ledger_seq=ledger.next_seq()
    )
    ledger.record(
        seq=override.ledger_seq,
        actor=by,
        action=DECISION_OVERRIDDEN,
        subject=case,
        data={"case": case.pk, "decision": decision.pk, "override": override.pk, "vote": vote.pk, "body": body.pk},
    )
    today = timezone.localdate()
    reference = holds.decision_reference(decision)
    if case.respondent is not None:
        for restriction in Restriction.objects.filter(
            person=case.respondent, source_reference=reference, lifted_on__isnull=True
        ):
            org.restriction_lift(restriction=restriction, lifted_on=today, by=ledger.SYSTEM)
        if any(s.terms.get("membership_status") for s in decision.sanctions.all()):
            org.membership_status_change(
                person=case.respondent,
                status=MembershipStatus.ACTIVE,
                effective_from=today,
                reason_code="override",
                decided_by_body=body,
                decided_by_reference=vote.reference,
                by=ledger.SYSTEM,
            )
    notify.oversight_of_override(case_reference=case.reference, vote_reference=vote.reference)
    return override


@refusal_recorded("set_aside")
def decision_set_aside(*, decision: Decision, by: Any) -> Decision:
    """What a page or the API calls when someone asks to set a decision aside ("a mistrial", "annulled"): there is
    no such power. Refused, and the attempt is recorded for the oversight body."""
    raise NotAllowed("a decision is changed only by an appeal or a recorded override vote")
