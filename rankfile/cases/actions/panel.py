"""Opening a case and seating its panel: conflicts excluded before anyone reads anything (DESIGN.md invariant 7).

Excluded automatically, with a reason code on the ledger: the parties and their advisers (once they accepted); people
a reporter named; anyone under a restriction; anyone who sat on a body with the respondent within the bylaws'
lookback years (a convention's delegates do not count: everyone shares that); the officials a process investigation
examines; and, for an appeal, everyone who was on the case's panel. Each candidate then declares conflicts, with a
second factor; only those who declared none are seated, and only then given the keys. A recusal or an upheld
challenge takes the keys back at once. Panelists come from the handling body only: never from the oversight body,
which reviews the panel (unless it is itself the body handling a process complaint).

A party's adviser is asked first, and reads nothing of the case before accepting; nobody on the other side or close to
it, nor anyone on the panel, can be one.

A person has one place on a case: the investigator never decides.
"""

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.cases import casefiles, meanings, notify, queries, routing, timers
from rankfile.cases import policy as case_policy
from rankfile.cases.actions.intake import REPORTER, documents_of, require_handler
from rankfile.cases.models import (
    Audience,
    Case,
    CaseDocumentKind,
    CaseKind,
    CaseStep,
    Challenge,
    ChallengeStatus,
    DecisionDraft,
    Handler,
    PanelMember,
    PanelRole,
    PanelStatus,
    Party,
    PartyRole,
    Report,
    ReportPath,
    ReportStatus,
    Stage,
    Track,
)
from rankfile.errors import InvalidInput
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, Person
from rankfile.transactions import action
from rankfile.vault import documents, holds
from rankfile.vault.errors import VaultError
from rankfile.vault.keys import UnlockedKey

CASE_OPENED = schema.define(
    "cases.case_opened",
    label=gettext_lazy("A case was opened"),
    fields={"case": schema.ID, "kind": schema.CODE, "track": schema.CODE, "body": schema.ID, "reports": schema.COUNT},
    checkpoint_after=True,
)
STAGE_CHANGED = schema.define(
    "cases.stage_changed",
    label=gettext_lazy("A case moved to another step"),
    fields={"case": schema.ID, "stage": schema.CODE, "track": schema.CODE},
)
PANELIST_PROPOSED = schema.define(
    "cases.panelist_proposed",
    label=gettext_lazy("A person was proposed for a panel"),
    fields={"case": schema.ID, "member": schema.ID, "person": schema.ID, "role": schema.CODE},
)
# Invariant 7: the exclusion is on the ledger, before the person could read anything.
PANELIST_EXCLUDED = schema.define(
    "cases.panelist_excluded",
    label=gettext_lazy("A person was excluded from a panel"),
    fields={"case": schema.ID, "member": schema.ID, "person": schema.ID, "reason": schema.CODE},
)
CONFLICT_DECLARED = schema.define(
    "cases.conflict_declared",
    label=gettext_lazy("A panel member declared a conflict"),
    fields={"case": schema.ID, "member": schema.ID, "conflict": schema.BOOL},
)
PANEL_SEATED = schema.define(
    "cases.panel_seated",
    label=gettext_lazy("A panel was seated"),
    fields={"case": schema.ID, "seated": schema.COUNT, "keys": schema.COUNT},
)
PANELIST_RECUSED = schema.define(
    "cases.panelist_recused",
    label=gettext_lazy("A panel member stepped down"),
    fields={
        "case": schema.ID,
        "member": schema.ID,
        "reason": schema.CODE,
        "keys_taken": schema.COUNT,
        "short": schema.BOOL,
    },
)
CHALLENGE_MADE = schema.define(
    "cases.panelist_challenged",
    label=gettext_lazy("A panel member was challenged"),
    fields={"case": schema.ID, "challenge": schema.ID, "by": schema.CODE},
)
CHALLENGE_DECIDED = schema.define(
    "cases.challenge_decided",
    label=gettext_lazy("A challenge to a panel member was decided"),
    fields={"case": schema.ID, "challenge": schema.ID, "upheld": schema.BOOL},
)
# A decision-maker who leaves the panel while a draft decision waits for agreement: if they proposed it, the draft
# ends and the others propose anew; if every decision-maker still seated has now agreed, it waits on its proposer to
# issue it.
DECISION_DRAFT_ENDED = schema.define(
    "cases.decision_draft_ended",
    label=gettext_lazy("A proposed decision ended: the one who proposed it left the panel"),
    fields={"case": schema.ID, "draft": schema.ID, "person": schema.ID},
)
DECISION_DRAFT_AGREED = schema.define(
    "cases.decision_draft_agreed",
    label=gettext_lazy("Every decision-maker left on the panel has agreed to the proposed decision"),
    fields={"case": schema.ID, "draft": schema.ID, "person": schema.ID},
)
# A party's adviser: named (before advisers had to accept, a removal was recorded as naming None), accepted or declined
# by the adviser, removed by the party. Ids and counts only.
ADVISER_NAMED = schema.define(
    "cases.adviser_named",
    label=gettext_lazy("A party named an adviser"),
    fields={"case": schema.ID, "party": schema.CODE, "adviser": schema.optional(schema.ID)},
)
ADVISER_ACCEPTED = schema.define(
    "cases.adviser_accepted",
    label=gettext_lazy("An adviser accepted"),
    fields={"case": schema.ID, "party": schema.CODE, "adviser": schema.ID, "keys": schema.COUNT},
)
ADVISER_DECLINED = schema.define(
    "cases.adviser_declined",
    label=gettext_lazy("An adviser declined"),
    fields={
        "case": schema.ID,
        "party": schema.CODE,
        "adviser": schema.ID,
        "accepted": schema.BOOL,
        "keys_taken": schema.COUNT,
    },
)
ADVISER_REMOVED = schema.define(
    "cases.adviser_removed",
    label=gettext_lazy("An adviser was removed"),
    fields={
        "case": schema.ID,
        "party": schema.CODE,
        "adviser": schema.ID,
        "accepted": schema.BOOL,
        "keys_taken": schema.COUNT,
    },
)

# Reason codes: what the ledger and the pages say about an exclusion, and nothing more.
PARTY = "party"
NAMED_BY_REPORTER = "named_by_reporter"
RESTRICTED = "restricted"
SHARED_BODY = "shared_body"
SUBJECT_OF_PROCESS = "subject_of_process"
SAT_ON_PANEL = "sat_on_panel"
NOT_ON_THE_BODY = "not_on_the_body"
NO_ACCOUNT = "no_account"
DECLARED = "declared_conflict"
CHALLENGE_UPHELD = "challenge_upheld"
STEPPED_DOWN = "stepped_down"
NO_MFA = "no_mfa"  # no second factor, which case roles need
REASONS = meanings.labels("panel_exclusion")


def bylaws(day: date | None = None) -> dict[str, Any]:
    return org_queries.bylaws_document(day=day or timezone.localdate())


def role_body(role: str, day: date | None = None) -> Body | None:
    return org_queries.role_body(role, day)


def step(case: Case, *, by: Any, action: str, data: dict[str, Any]) -> CaseStep:
    """A step of the case's timeline, with the ledger entry that records it (the step knows its number, for the
    link to the entry's inclusion proof)."""
    seq = ledger.next_seq()
    made = CaseStep.objects.create(case=case, stage=case.stage, track=case.track, ledger_seq=seq)
    ledger.record(seq=seq, actor=by, action=action, subject=case, data=data)
    return made


def move(case: Case, stage: str, *, by: Any) -> None:
    """Change the case's stage (the caller checked that the move is allowed), with its step and ledger entry."""
    case.stage = stage
    case.save(update_fields=["stage"])
    step(case, by=by, action=STAGE_CHANGED, data={"case": case.pk, "stage": stage, "track": case.track})


def next_reference(day: date) -> str:
    prefix = f"C-{day.year}-"
    numbers = [
        int(r.rsplit("-", 1)[1])
        for r in Case.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
        if r.rsplit("-", 1)[1].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _reporter_party(case: Case, report: Report) -> Party:
    person = org_queries.person_of(user=report.reporter) if report.reporter_id else None
    return Party.objects.create(
        case=case,
        role=PartyRole.REPORTER,
        person=person,
        keypair=None if person is not None else report.reporter_key,
        report=report,
    )


@action
def case_open(*, report: Report, by: Any, key: UnlockedKey) -> Case:
    """A case from a report on the informal or formal path, opened by one of its handlers (who reads it, and so can
    give it to the panel). A report about how officials handled something opens a process investigation."""
    require_handler(report=report, user=by)
    if report.path not in (ReportPath.FORMAL, ReportPath.INFORMAL):
        raise InvalidInput(_("Only an informal or a formal report opens a case."), code="wrong_path")
    if report.status != ReportStatus.ACKNOWLEDGED:
        raise InvalidInput(_("Acknowledge the report before opening a case."), code="not_acknowledged")
    if report.cases.exists():
        raise InvalidInput(_("This report already has a case."), code="already_open")
    if not report.process_complaint and report.respondent is None:
        raise InvalidInput(_("A case about conduct needs the person it is about."), code="no_respondent")
    if report.handling_body is None:
        raise InvalidInput(_("This report has no handling body."), code="no_body")
    today = timezone.localdate()
    case = Case.objects.create(
        reference=next_reference(today),
        kind=CaseKind.PROCESS if report.process_complaint else CaseKind.CONDUCT,
        track=Track.INFORMAL if report.path == ReportPath.INFORMAL else Track.FORMAL,
        body=report.handling_body,
        respondent=report.respondent,
    )
    case.reports.add(report)
    _reporter_party(case, report)
    if report.respondent is not None:
        Party.objects.create(case=case, role=PartyRole.RESPONDENT, person=report.respondent)
    step(
        case,
        by=by,
        action=CASE_OPENED,
        data={"case": case.pk, "kind": case.kind, "track": case.track, "body": case.body_id, "reports": 1},
    )
    return case


REPORT_JOINED = schema.define(
    "cases.report_joined",
    label=gettext_lazy("A report was joined to a case"),
    fields={"case": schema.ID, "report": schema.ID, "keys": schema.COUNT},
)


@action
def case_report_join(*, case: Case, report: Report, by: Any, key: UnlockedKey) -> Case:
    """Another report about the same respondent joins an open case, by someone who handles it and sits on the
    case's panel (or runs the case): its reporter becomes a party, and the seated panel receives it."""
    require_handler(report=report, user=by)
    require_manager(case, by)
    if not case.is_open:
        raise InvalidInput(_("This case is closed."), code="closed")
    if report.status != ReportStatus.ACKNOWLEDGED or report.path not in (ReportPath.FORMAL, ReportPath.INFORMAL):
        raise InvalidInput(_("Only an acknowledged informal or formal report joins a case."), code="wrong_report")
    if report.cases.exists():
        raise InvalidInput(_("This report already has a case."), code="already_open")
    if case.respondent_id is None or report.respondent_id != case.respondent_id:
        raise InvalidInput(_("A report joins a case about the same person."), code="other_respondent")
    if not (policy.allows(by, "cases.own_key", key) and casefiles.reads_report(report, key)):
        raise InvalidInput(_("Only someone who can read the report can give it to the panel."), code="cannot_give")
    case.reports.add(report)
    _reporter_party(case, report)
    granted = 0
    for member in casefiles.seated(case, roles=casefiles.HEARING_ROLES):
        own = casefiles.person_key(member.person)
        if own is not None:
            for document in documents_of(report, with_internal_notes=False):
                granted += documents.grant(document=document, to=own, by=key)
    ledger.record(
        actor=by,
        action=REPORT_JOINED,
        subject=case,
        data={"case": case.pk, "report": report.pk, "keys": granted},
    )
    return case


def exclusion_reason(case: Case, person: Person, *, role: str, day: date | None = None) -> str | None:
    """Why ``person`` may not sit on ``case`` (a reason code), or None."""
    day = day or timezone.localdate()
    if person.user_id is None:
        return NO_ACCOUNT
    parties = case.parties.all()
    if any(person.pk in (p.person_id, p.accepted_adviser_id) for p in parties):
        return PARTY
    if case.reports.filter(named_conflicts__person=person).exists():
        return NAMED_BY_REPORTER
    if case.subjects.filter(pk=person.pk).exists() or case.process_investigations.filter(subjects=person).exists():
        return SUBJECT_OF_PROCESS
    if role == PanelRole.APPEALS and case.panel.filter(person=person).exclude(role=PanelRole.APPEALS).exists():
        return SAT_ON_PANEL
    if org_queries.restriction_kinds_in_effect(person=person, day=day):
        return RESTRICTED
    years = int(bylaws(day)["panel"]["shared_body_lookback_years"])
    if routing.shared_a_body(person, case.respondent, day=day, years=years):
        return SHARED_BODY
    return None


def _bodies_for(case: Case, role: str) -> list[Body]:
    """Where a panelist may come from: the handling body only (``queries.panel_bodies``: never the oversight body,
    which reviews the panel); for an appeal, the appeals body."""
    if role == PanelRole.APPEALS:
        appeals = role_body("appeals")
        return [appeals] if appeals is not None else []
    return queries.panel_bodies(case=case)


def _sits_on(person: Person, bodies: list[Body], day: date) -> Body | None:
    for body in bodies:
        if org_queries.seats_on(body=body, day=day).filter(person=person).exists():
            return body
    return None


def require_manager(case: Case, user: Any) -> Person:
    """Someone who runs the case: a seated panelist, or (while there is no panel yet) someone sitting on the
    handling body who is not excluded from it. With a second factor."""
    policy.require(user, "cases.run_case", case)
    case_policy.require_second_factor(user)
    person = org_queries.person_of(user=user)
    assert person is not None  # the rule holds only for a person
    return person


def require_panelist(case: Case, user: Any, *, roles: tuple[str, ...] = casefiles.PANEL_ROLES) -> PanelMember:
    """A seated, non-recused panelist of the case in one of ``roles``, with a second factor."""
    member = case_policy.require_seat(user, case, hearing=PanelRole.APPEALS in roles)
    if member.role not in roles:
        names = ", ".join(str(PanelRole(r).label) for r in roles)
        raise InvalidInput(
            _("Only the case's %(roles)s can take this step; you are its %(role)s.")
            % {"roles": names, "role": member.get_role_display()},
            code="wrong_panel_role",
        )
    return member


@action
def panelist_propose(*, case: Case, person: Person, role: str, by: Any) -> PanelMember:
    """Propose someone for the panel. A conflicted person is excluded at once, on the ledger, and never reads
    anything; anyone else is asked to declare their conflicts."""
    if role == PanelRole.APPEALS:
        raise InvalidInput(_("The appeals body's members join when an appeal is lodged."), code="wrong_panel_role")
    if role not in PanelRole.values:
        raise InvalidInput(
            _("Choose investigator or decision-maker."),
            code="role",
            field_errors={"role": [_("Choose investigator or decision-maker.")]},
        )
    require_manager(case, by)
    if not case.is_open:
        raise InvalidInput(_("This case is closed."), code="closed")
    known = case.panel.filter(person=person).first()
    if known is not None:
        message = _(
            "%(name)s is already on this case as its %(role)s (%(status)s); a person has one place on a case."
        ) % {
            "name": person.name,
            "role": known.get_role_display(),
            "status": known.get_status_display(),
        }
        raise InvalidInput(message, code="one_place", field_errors={"person": [message]})
    day = timezone.localdate()
    body = _sits_on(person, _bodies_for(case, role), day)
    reason = exclusion_reason(case, person, role=role, day=day) or (None if body else NOT_ON_THE_BODY)
    member = PanelMember.objects.create(
        case=case,
        person=person,
        body=body or case.body,
        role=role,
        status=PanelStatus.EXCLUDED if reason else PanelStatus.PROPOSED,
        reason=reason or "",
        removed_at=timezone.now() if reason else None,
    )
    if reason:
        keep_out(case, person)
        ledger.record(
            actor=by,
            action=PANELIST_EXCLUDED,
            subject=case,
            data={"case": case.pk, "member": member.pk, "person": person.pk, "reason": reason},
        )
        return member
    ledger.record(
        actor=by,
        action=PANELIST_PROPOSED,
        subject=case,
        data={"case": case.pk, "member": member.pk, "person": person.pk, "role": role},
    )
    notify.ask_to_declare(case, person)
    return member


@action
def conflict_declare(*, member: PanelMember, conflict: bool, by: Any) -> PanelMember:
    """The candidate declares, themselves and with a second factor, whether they have a conflict. One who has one
    leaves the panel (recorded as a recusal, with no detail)."""
    policy.require(by, "cases.hold_place", member)  # the candidate themselves
    case_policy.require_second_factor(by)
    if member.status != PanelStatus.PROPOSED or member.declared_at is not None:
        raise InvalidInput(_("This declaration was already made."), code="already_declared")
    member.declared_at = timezone.now()
    if conflict:
        member.status, member.reason, member.removed_at = PanelStatus.RECUSED, DECLARED, member.declared_at
    member.save(update_fields=["declared_at", "status", "reason", "removed_at"])
    ledger.record(
        actor=by,
        action=CONFLICT_DECLARED,
        subject=member.case,
        data={"case": member.case_id, "member": member.pk, "conflict": conflict},
    )
    return member


@action
def panel_seat(*, case: Case, by: Any, key: UnlockedKey) -> list[PanelMember]:
    """Seat everyone proposed who declared no conflict, checking each again (a restriction or a seat may have come
    since), and give them the case with ``key``: the seater's, who must read the case's reports. The first seating
    needs the full panel the bylaws set, with an investigator and a decision-maker; it moves a formal case to the
    notice, an informal one to making the agreement."""
    require_manager(case, by)
    if not case.is_open:
        raise InvalidInput(_("This case is closed."), code="closed")
    policy.require(by, "cases.own_key", key)  # the seater gives the case with their own key
    first = case.stage == Stage.PANEL
    first_report = case.reports.first()
    if first and first_report is not None and not casefiles.reads_report(first_report, key):
        raise InvalidInput(
            _("Only someone who can read the case's report can give it to the panel."), code="cannot_give"
        )
    day = timezone.localdate()
    ready = list(
        case.panel.filter(status=PanelStatus.PROPOSED, declared_at__isnull=False)
        .exclude(role=PanelRole.APPEALS)
        .select_related("person__user")
    )
    still: list[PanelMember] = []
    for member in ready:
        reason = exclusion_reason(case, member.person, role=member.role, day=day)
        if reason is None and not policy.allows(member.person.user, "cases.second_factor"):
            message = _("%(name)s has no second factor; nobody is seated on a panel without one.") % {
                "name": member.person.name
            }
            raise InvalidInput(message, code="no_mfa")
        if reason is not None:
            remove_member(member, status=PanelStatus.EXCLUDED, reason=reason, by=by)
        else:
            still.append(member)
    if not still:
        raise InvalidInput(_("Nobody proposed has declared yet; there is no one to seat."), code="nobody_ready")
    if first:
        size = int(bylaws(day)["panel"]["size"])
        roles = {m.role for m in still}
        if len(still) < size:
            raise InvalidInput(
                _("The bylaws set a panel of %(size)s; %(ready)s proposed have declared no conflict.")
                % {"size": size, "ready": len(still)},
                code="panel_too_small",
            )
        if PanelRole.INVESTIGATOR not in roles or PanelRole.DECISION_MAKER not in roles:
            raise InvalidInput(
                _("A panel needs an investigator and a decision-maker, who are different people."),
                code="panel_roles",
            )
    now = timezone.now()
    for member in still:
        member.status, member.seated_at = PanelStatus.SEATED, now
        member.save(update_fields=["status", "seated_at"])
    granted = 0
    for member in still:
        own = casefiles.person_key(member.person)
        if own is not None:
            granted += casefiles.give(case=case, to=own, key=key, with_reports=True)
    ledger.record(
        actor=by, action=PANEL_SEATED, subject=case, data={"case": case.pk, "seated": len(still), "keys": granted}
    )
    if first:
        move(case, Stage.NOTICE if case.track == Track.FORMAL else Stage.AGREEMENT, by=by)
        if case.track == Track.FORMAL:
            timers.set_timer(case, timers.GIVE_NOTICE, days=int(bylaws()["deadlines"]["give_notice"]), by=by)
    return still


def keep_out(case: Case, person: Person) -> int:
    """Someone excluded from the case loses whatever they could read of it, its reports included (they may have
    handled one), at once."""
    Handler.objects.filter(report__in=case.reports.all(), person=person, removed_at__isnull=True).update(
        removed_at=timezone.now()
    )
    return casefiles.take_back(case=case, person=person)


def decision_makers(case: Case) -> list[PanelMember]:
    """The case's seated decision-makers, in the order they were seated."""
    return list(casefiles.seated(case, roles=(PanelRole.DECISION_MAKER,)).order_by("seated_at", "pk"))


def draft_of(case: Case) -> DecisionDraft | None:
    """The draft decision waiting for the decision-makers' agreement, if any."""
    return (
        case.decision_drafts.filter(ended_at__isnull=True, decision__isnull=True)
        .select_related("proposed_by")
        .order_by("-pk")
        .first()
    )


def yet_to_agree(draft: DecisionDraft) -> list[PanelMember]:
    """The seated decision-makers who have not agreed to ``draft``."""
    agreed = set(draft.agreements.values_list("person_id", flat=True))
    return [member for member in decision_makers(draft.case) if member.person_id not in agreed]


def _draft_after_leaving(member: PanelMember, *, by: Any) -> None:
    """A decision-maker left while a draft decision waited: never leave it waiting on nobody. Proposed by them, it
    ends (the others propose anew); otherwise, once everyone still seated has agreed, it waits on its proposer."""
    draft = draft_of(member.case) if member.role == PanelRole.DECISION_MAKER else None
    if draft is None:
        return
    data = {"case": member.case_id, "draft": draft.pk, "person": member.person_id}
    if draft.proposed_by_id == member.person_id:
        draft.ended_at = timezone.now()
        draft.save(update_fields=["ended_at"])
        ledger.record(actor=by, action=DECISION_DRAFT_ENDED, subject=member.case, data=data)
    elif not draft.agreements.filter(person_id=member.person_id).exists() and not yet_to_agree(draft):
        ledger.record(actor=by, action=DECISION_DRAFT_AGREED, subject=member.case, data=data)


def remove_member(member: PanelMember, *, status: str, reason: str, by: Any) -> int:
    member.status, member.reason, member.removed_at = status, reason, timezone.now()
    member.save(update_fields=["status", "reason", "removed_at"])
    taken = keep_out(member.case, member.person)
    case = member.case
    quorum = int(bylaws()["panel"]["quorum"])
    short = (
        case.is_open
        and member.role != PanelRole.APPEALS
        and (casefiles.seated(case).count() < quorum and case.stage != Stage.PANEL)
    )
    action_kind = PANELIST_RECUSED if status == PanelStatus.RECUSED else PANELIST_EXCLUDED
    data: dict[str, Any] = {"case": case.pk, "member": member.pk, "reason": reason}
    if action_kind is PANELIST_RECUSED:
        data.update({"keys_taken": taken, "short": short})
    else:
        data["person"] = member.person_id
    ledger.record(actor=by, action=action_kind, subject=case, data=data)
    _draft_after_leaving(member, by=by)
    return taken


@action
def panelist_recuse(*, member: PanelMember, by: Any) -> PanelMember:
    """A panelist steps down: every key of the case is taken from them at once."""
    policy.require(by, "cases.hold_place", member)  # only the panelist; a party challenges
    if member.status not in (PanelStatus.PROPOSED, PanelStatus.SEATED):
        raise InvalidInput(_("You are no longer on this panel."), code="not_on_panel")
    remove_member(member, status=PanelStatus.RECUSED, reason=STEPPED_DOWN, by=by)
    return member


@action
def panelist_challenge(*, case: Case, member: PanelMember, grounds: str, key: UnlockedKey, by: Any) -> Challenge:
    """A party challenges a panelist, giving grounds (sealed, for the panel and the challenger's side)."""
    party = case_policy.require_party(case, key)
    if member.case_id != case.pk or member.status not in (PanelStatus.PROPOSED, PanelStatus.SEATED):
        raise InvalidInput(_("Challenge someone who is on the panel."), code="not_on_panel")
    text = (grounds or "").strip()
    if not text:
        message = _("Say why this panelist should not hear the case.")
        raise InvalidInput(message, code="empty", field_errors={"grounds": [message]})
    audience = Audience.REPORTER if party.role == PartyRole.REPORTER else Audience.RESPONDENT
    item = casefiles.add(
        case=case, kind=CaseDocumentKind.CHALLENGE, audience=audience, added_by_role=party.role, text=text, party=party
    )
    challenge = Challenge.objects.create(case=case, member=member, by_role=party.role, grounds=item.document)
    actor = REPORTER if party.role == PartyRole.REPORTER and party.person is None else by
    ledger.record(
        actor=actor,
        action=CHALLENGE_MADE,
        subject=case,
        data={"case": case.pk, "challenge": challenge.pk, "by": party.role},
    )
    return challenge


@action
def challenge_decide(*, challenge: Challenge, upheld: bool, by: Any) -> Challenge:
    """The rest of the panel decides a challenge; the challenged panelist takes no part. Upheld, they leave the
    panel and lose the case's keys at once."""
    case = challenge.case
    deciding = require_panelist(case, by, roles=(*casefiles.PANEL_ROLES, PanelRole.APPEALS))
    if deciding.pk == challenge.member_id:
        raise InvalidInput(_("A challenged panelist does not decide their own challenge."), code="own_challenge")
    if challenge.status != ChallengeStatus.PENDING:
        raise InvalidInput(_("This challenge was already decided."), code="decided")
    challenge.status = ChallengeStatus.UPHELD if upheld else ChallengeStatus.REJECTED
    challenge.decided_at, challenge.decided_by = timezone.now(), deciding.person
    challenge.save(update_fields=["status", "decided_at", "decided_by"])
    ledger.record(
        actor=by,
        action=CHALLENGE_DECIDED,
        subject=case,
        data={"case": case.pk, "challenge": challenge.pk, "upheld": upheld},
    )
    if upheld:
        remove_member(challenge.member, status=PanelStatus.RECUSED, reason=CHALLENGE_UPHELD, by=by)
    return challenge


# --- a party's adviser -----------------------------------------------------------------------------------------------


def _party_actor(party: Party, by: Any) -> Any:
    return REPORTER if party.role == PartyRole.REPORTER and party.person is None else by


def cannot_advise_message() -> str:
    """The one refusal for anyone who cannot advise a party: it says nothing of why (the other side, the panel)."""
    return _("This person cannot be your adviser in this case. Choose someone else.")


def _adviser_leaves(party: Party) -> tuple[bool, int]:
    """The party's adviser is one no more: what was held for them is discarded, and anything of the case they read
    as the adviser is taken from them at once. Returns whether they had accepted, and how many keys were taken."""
    accepted = party.adviser_accepted_at is not None
    taken = 0
    if party.adviser_hold is not None and party.adviser_hold.retired_at is None:
        taken += holds.hold_discard(hold=party.adviser_hold)
    if accepted and party.adviser is not None:
        taken += casefiles.take_back(case=party.case, person=party.adviser)
    party.adviser, party.adviser_accepted_at, party.adviser_hold = None, None, None
    party.save(update_fields=["adviser", "adviser_accepted_at", "adviser_hold"])
    return accepted, taken


@action
def adviser_name(*, case: Case, adviser: Person | None, key: UnlockedKey, by: Any) -> Party:
    """A party names an adviser (or, with None, ends having one), themselves. The adviser is asked by email and
    reads nothing until they accept: what the party's side reads is held for them until then, with what reaches it
    meanwhile. Nobody on the other side or close to it, nor anyone on the panel (``queries.cannot_advise``), can be
    an adviser, and the refusal says no more than that."""
    party = case_policy.require_party(case, key)
    case_policy.require_party_themselves(party, user=by, key=key)  # only the party names their adviser
    if not case.is_open:
        raise InvalidInput(_("This case is closed."), code="closed")
    if adviser is None and party.adviser is None:
        raise InvalidInput(_("You have no adviser in this case."), code="no_adviser")
    own = None
    if adviser is not None:
        if adviser.pk == party.adviser_id:
            message = _("%(name)s is already your adviser in this case, or was asked to be.") % {"name": adviser.name}
            raise InvalidInput(message, code="adviser_already", field_errors={"adviser": [message]})
        if adviser.pk in queries.cannot_advise(case=case, party=party):
            message = cannot_advise_message()
            raise InvalidInput(message, code="cannot_advise", field_errors={"adviser": [message]})
        own = casefiles.person_key(adviser)
        if own is None:
            message = _("The adviser needs an account with a key (they sign in once to set it up).")
            raise InvalidInput(message, code="adviser_no_key", field_errors={"adviser": [message]})
    actor = _party_actor(party, by)
    if party.adviser is not None:
        before = party.adviser
        accepted, taken = _adviser_leaves(party)
        ledger.record(
            actor=actor,
            action=ADVISER_REMOVED,
            subject=case,
            data={
                "case": case.pk,
                "party": party.role,
                "adviser": before.pk,
                "accepted": accepted,
                "keys_taken": taken,
            },
        )
    if adviser is None or own is None:
        return party
    party.adviser, party.adviser_accepted_at = adviser, None
    party.adviser_hold = holds.hold_create(for_key=own)
    party.save(update_fields=["adviser", "adviser_accepted_at", "adviser_hold"])
    casefiles.give(case=case, to=party.adviser_hold, key=key, with_reports=False)
    ledger.record(
        actor=actor,
        action=ADVISER_NAMED,
        subject=case,
        data={"case": case.pk, "party": party.role, "adviser": adviser.pk},
    )
    notify.ask_to_advise(party, adviser)
    return party


def _require_adviser(party: Party, by: Any) -> Person:
    return case_policy.require_named_adviser(party, user=by)


@action
def adviser_accept(*, party: Party, key: UnlockedKey, by: Any) -> Party:
    """The named adviser accepts, with their own key: only now do they receive what the party's side reads (what
    was held for them) and become the party's adviser. Everything that rules out an adviser is checked again."""
    adviser = _require_adviser(party, by)
    policy.require(by, "cases.own_key", key)  # an adviser accepts with their own key
    if party.adviser_accepted_at is not None:
        raise InvalidInput(_("You already accepted."), code="adviser_accepted")
    case = party.case
    if not case.is_open:
        raise InvalidInput(_("This case is closed."), code="closed")
    if adviser.pk in queries.cannot_advise(case=case, party=party):
        raise InvalidInput(
            _("You cannot be this party's adviser in this case. Decline, and they can name someone else."),
            code="cannot_advise",
        )
    given = 0
    if party.adviser_hold is not None:
        try:
            given = holds.hold_release(hold=party.adviser_hold, key=key)
        except VaultError:
            raise InvalidInput(
                _(
                    "Your key changed since you were asked (after a password reset), so what was kept for you cannot "
                    "be opened. Decline, and ask the party to name you again."
                ),
                code="adviser_key_changed",
            ) from None
    party.adviser_accepted_at, party.adviser_hold = timezone.now(), None
    party.save(update_fields=["adviser_accepted_at", "adviser_hold"])
    ledger.record(
        actor=by,
        action=ADVISER_ACCEPTED,
        subject=case,
        data={"case": case.pk, "party": party.role, "adviser": adviser.pk, "keys": given},
    )
    notify.adviser_answered(party, _("Your adviser accepted"))
    return party


@action
def adviser_decline(*, party: Party, by: Any) -> Party:
    """The named adviser declines, or an adviser who accepted steps down: what was held for them is discarded and
    what they read of the case is taken back at once."""
    adviser = _require_adviser(party, by)
    accepted, taken = _adviser_leaves(party)
    ledger.record(
        actor=by,
        action=ADVISER_DECLINED,
        subject=party.case,
        data={
            "case": party.case_id,
            "party": party.role,
            "adviser": adviser.pk,
            "accepted": accepted,
            "keys_taken": taken,
        },
    )
    notify.adviser_answered(party, _("Your adviser stepped down") if accepted else _("The adviser you asked declined"))
    return party
