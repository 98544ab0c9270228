"""The panel's workspace: where the case stands and the one step it waits on from this panelist, then the case's
material, then every other step the stage allows (folded away), and the deadlines, the panel and the timeline."""

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rankfile.cases import casefiles, queries, stages
from rankfile.cases import policy as case_policy
from rankfile.cases.actions import closing, decisions, informal, intake, interim, investigations, panel, process
from rankfile.cases.models import (
    Appeal,
    Case,
    CaseDocumentKind,
    CaseKind,
    Challenge,
    ChallengeStatus,
    DecisionDraft,
    FindingOutcome,
    InterimMeasure,
    Obligation,
    ObligationStatus,
    PanelMember,
    PanelRole,
    PanelStatus,
    Report,
    Stage,
    Track,
)
from rankfile.cases.pages import letters
from rankfile.cases.pages.common import (
    NOT_DONE,
    ROLES_EXPLAINED,
    Forms,
    Page,
    StepHandler,
    allegation_numbers,
    case_standing,
    challenge_decide_step,
    consent_rows,
    deadline_rows,
    decision_rows,
    examined_case,
    key_or_locked,
    measure_rows,
    not_valid,
    not_yours_problem,
    opened_documents,
    opened_reports,
    panel_rows,
    posted_block,
    reader_case,
    refused_step,
    roles_explained,
    run_posted_step,
    sanctions_catalog,
    standard_label,
    step_blocks,
    through_form,
    timeline_rows,
    workspace_case,
)
from rankfile.cases.pages.reports import download, opens_reports
from rankfile.cases.workspace_forms import (
    AfterWithdrawalForm,
    AgreementForm,
    AllegationFormSet,
    ChallengeDecisionForm,
    DocumentForm,
    EvidenceReviewForm,
    FindingsForm,
    InterimImposeForm,
    InterimReviewForm,
    JoinForm,
    NoticeDelayForm,
    ObligationFormSet,
    ObligationSettleForm,
    ProposeForm,
    RedactionForm,
    ReportTextForm,
    ScopeForm,
    SubjectSuspendForm,
    allegations_of,
    notice_errors_to,
    obligation_errors_to,
    obligations_of,
)
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.org.models import Person


class _Records:
    """What the workspace reads of its case, each asked once per view (and again after a posted step, which may have
    changed it): the panel, the challenges, the interim measures, the obligations, the officials examined, the appeals
    and the decision proposed. Its steps, its forms and its text are worked out from these lists, which belong to the
    one case and do not grow with the organization."""

    def __init__(self, case: Case) -> None:
        self.case = case

    @cached_property
    def panel(self) -> list[PanelMember]:
        return list(queries.panel_of(case=self.case))

    def place_of(self, user: Any) -> PanelMember | None:
        """The signed-in person's seat on the panel."""
        me = case_policy.person_id_of(user)
        seated = [m for m in self.panel if m.status == PanelStatus.SEATED and m.person_id == me]
        return min(seated, key=lambda m: m.pk, default=None)

    def declaration_awaited(self, user: Any) -> bool:
        """Whether the signed-in person is proposed for the panel and has not declared yet."""
        me = case_policy.person_id_of(user)
        return any(m.status == PanelStatus.PROPOSED and m.declared_at is None and m.person_id == me for m in self.panel)

    @cached_property
    def challenges(self) -> list[Challenge]:
        return list(self.case.challenges.select_related("member__person").order_by("made_at", "pk"))

    @cached_property
    def measures(self) -> list[InterimMeasure]:
        return list(queries.case_interim_measures(case=self.case))

    @cached_property
    def obligations(self) -> list[Obligation]:
        return list(queries.case_obligations(case=self.case))

    @cached_property
    def subjects(self) -> list[Person]:
        """The officials a process investigation examines (a conduct case has none)."""
        if self.case.kind != CaseKind.PROCESS:
            return []
        return list(self.case.subjects.order_by("name", "pk"))

    @cached_property
    def appeals(self) -> list[Appeal]:
        return list(self.case.appeals.order_by("lodged_at", "pk"))

    @cached_property
    def draft(self) -> DecisionDraft | None:
        return decisions.draft_of(self.case)


def _panel_allowed(case: Case, records: _Records, user: Any) -> set[str]:
    allowed = stages.open_at(case.stage, stages.PANEL)
    place = records.place_of(user)
    role = place.role if place else None
    if role is None:
        allowed &= stages.BEFORE_SEATING
    if role != PanelRole.INVESTIGATOR:
        allowed.discard("investigation_report")
    if role != PanelRole.DECISION_MAKER:
        allowed.discard("decision")
    if "decision_agree" in allowed and not _draft_to_agree(records, place):
        allowed.discard("decision_agree")
    if "notice_give" in allowed and (process.draft_notice_of(case) is None or process.reporters_yet_to_agree(case)):
        allowed.discard("notice_give")
    if case.stage != Stage.PANEL:
        # Later, only to fill a place: someone stepped down or was removed and the panel is short.
        seated = [m for m in records.panel if m.status == PanelStatus.SEATED and m.role in casefiles.PANEL_ROLES]
        if len(seated) >= int(panel.bylaws()["panel"]["quorum"]):
            allowed.discard("propose")
        if not any(m.status == PanelStatus.PROPOSED for m in records.panel):
            allowed.discard("seat")
    if "appeal_record_send" in allowed and not any(
        a.record_sent_at is None and a.decided_at is None for a in records.appeals
    ):
        allowed.discard("appeal_record_send")
    me = case_policy.person_id_of(user)
    if "challenge_decide" in allowed and not any(
        c.status == ChallengeStatus.PENDING and c.member.person_id != me for c in records.challenges
    ):
        allowed.discard("challenge_decide")  # none, or only the one about this panelist, whom the others decide on
    return allowed - _more_unavailable(case, records, user, allowed)


def _not_yet(case: Case, records: _Records, allowed: set[str]) -> frozenset[str]:
    """Steps open to the panel that the process does not wait on yet: seating before enough candidates declared no
    conflict, a new draft of the notice while the reporter has still to answer the last one."""
    waiting: set[str] = set()
    if "seat" in allowed and case.stage == Stage.PANEL:
        declared = [
            m
            for m in records.panel
            if m.status == PanelStatus.PROPOSED and m.declared_at is not None and m.role != PanelRole.APPEALS
        ]
        if len(declared) < int(panel.bylaws()["panel"]["size"]):
            waiting.add("seat")
    if "notice_draft" in allowed and process.draft_notice_of(case) is not None:
        waiting.add("notice_draft")
    if "decision" in allowed and "decision_agree" not in allowed and records.draft is not None:
        waiting.add("decision")  # proposed and agreed to: it waits on the other decision-makers
    return frozenset(waiting)


def _draft_to_agree(records: _Records, place: PanelMember | None) -> bool:
    """Whether a decision another decision-maker proposed waits for this one's agreement."""
    draft = records.draft
    return (
        draft is not None
        and place is not None
        and place.role == PanelRole.DECISION_MAKER
        and (decisions.waits_on(draft, place) or decisions.agreed_by_all(draft, place))
    )


def _more_unavailable(case: Case, records: _Records, user: Any, allowed: set[str]) -> set[str]:
    """Steps of the informal track, interim measures, withdrawals, joined reports and process investigations that
    this case does not call for now."""
    gone: set[str] = set()
    informal_case = case.track == Track.INFORMAL
    if not informal_case or records.obligations or case.parties.filter(consented_to_informal_at=None).exists():
        gone.add("agreement")
    if not informal_case or not any(o.status == ObligationStatus.OPEN for o in records.obligations):
        gone.add("obligation")
    if case.kind != CaseKind.CONDUCT or case.respondent_id is None:
        gone.add("interim")
    if not any(m.lifted_at is None for m in records.measures):
        gone |= {"interim_review", "interim_lift"}
    if not queries.withdrawal_undecided(case=case):
        gone.add("withdrawal")
    if case.kind != CaseKind.PROCESS:
        gone |= {"scope", "suspend"}
    elif not records.subjects:
        gone.add("suspend")
    if "join" in allowed and not queries.reports_to_join(case=case, user=user).exists():
        gone.add("join")
    return gone


def _reviewable(case: Case) -> Any:
    return queries.case_documents(case=case).exclude(
        kind__in=[
            CaseDocumentKind.REDACTED,
            CaseDocumentKind.CHALLENGE,
            CaseDocumentKind.NOTE,
            CaseDocumentKind.NOTICE,
            CaseDocumentKind.DECISION,
            CaseDocumentKind.APPEAL,
            CaseDocumentKind.APPEAL_DECISION,
            CaseDocumentKind.MEASURE,
            CaseDocumentKind.AGREEMENT,
            CaseDocumentKind.INVESTIGATION_REPORT,
        ]
    )


def _redactable(case: Case) -> Any:
    return _reviewable(case).filter(redaction_of__isnull=True)


def _panel_forms(case: Case, user: Any, *, data: Any = None, files: Any = None, posted: str = "") -> Forms:
    """Every form of the workspace, unbound (or, for the step ``posted``, bound to what was posted), each made when
    the page first asks for it: the page shows the forms of the steps open to this person only."""

    def bound(step: str) -> dict[str, Any]:
        return {"data": data, "files": files} if step == stages.form_of(posted) else {}

    return Forms(
        {
            "propose": lambda: ProposeForm(
                candidates=queries.panel_candidates(case=case, day=timezone.localdate()),
                prefix="propose",
                **bound("propose"),
            ),
            "delay": lambda: NoticeDelayForm(prefix="delay", **bound("delay")),
            "notice": lambda: AllegationFormSet(prefix="notice", **bound("notice")),
            "document": lambda: DocumentForm(prefix="document", **bound("document")),
            "redaction": lambda: RedactionForm(documents=_redactable(case), prefix="redaction", **bound("redaction")),
            "review": lambda: EvidenceReviewForm(documents=_reviewable(case), prefix="review", **bound("review")),
            "report": lambda: ReportTextForm(prefix="report", **bound("report")),
            "decision": lambda: FindingsForm(
                numbers=allegation_numbers(case), catalog=sanctions_catalog(), prefix="decision", **bound("decision")
            ),
            "challenge": lambda: ChallengeDecisionForm(prefix="challenge", **bound("challenge")),
            **_more_panel_forms(case, user, bound),
        }
    )


def _more_panel_forms(case: Case, user: Any, bound: Callable[[str], dict[str, Any]]) -> dict[str, Callable[[], Any]]:
    return {
        "agreement": lambda: AgreementForm(prefix="agreement", **bound("agreement")),
        "obligations": lambda: ObligationFormSet(prefix="obligations", **bound("agreement")),
        "obligation": lambda: ObligationSettleForm(prefix="obligation", **bound("obligation")),
        "interim": lambda: InterimImposeForm(
            reasons={code: label for code, label in interim.REASONS.items() if code != "process_investigation"},
            prefix="interim",
            **bound("interim"),
        ),
        "interim_review": lambda: InterimReviewForm(prefix="interim_review", **bound("interim_review")),
        "withdrawal": lambda: AfterWithdrawalForm(
            reasons=dict(closing.PROCEED_REASONS), prefix="withdrawal", **bound("withdrawal")
        ),
        "join": lambda: JoinForm(reports=queries.reports_to_join(case=case, user=user), prefix="join", **bound("join")),
        "scope": lambda: ScopeForm(
            people=queries.directory_people(user=user, day=timezone.localdate()), prefix="scope", **bound("scope")
        ),
        "suspend": lambda: SubjectSuspendForm(
            subjects=case.subjects.order_by("name", "pk"), prefix="suspend", **bound("suspend")
        ),
    }


def _propose(page: Page) -> str | None:
    member = through_form(
        page,
        "propose",
        lambda data: panel.panelist_propose(case=page.case, person=data["person"], role=data["role"], by=page.user),
    )
    if member is NOT_DONE:
        return None
    if member.status == PanelStatus.EXCLUDED:
        return _("%(name)s cannot sit on this case (%(reason)s) and sees nothing of it; this is on the record.") % {
            "name": member.person.name,
            "reason": panel.REASONS.get(member.reason, member.reason),
        }
    return _("%(name)s was proposed and is asked to declare any conflict of interest.") % {"name": member.person.name}


def _seat(page: Page) -> str | None:
    try:
        seated = panel.panel_seat(case=page.case, by=page.user, key=page.key)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    return _("Seated: %(names)s. They can now open the case.") % {"names": ", ".join(m.person.name for m in seated)}


def _delay(page: Page) -> str | None:
    case = through_form(
        page,
        "notice_delay",
        lambda data: process.notice_delay(
            case=page.case, until=data["until"], reason_code=data["reason_code"], by=page.user
        ),
    )
    if case is NOT_DONE:
        return None
    return _("The notice is held back, on the record, until %(day)s at the latest.") % {
        "day": date_format(case.notice_delayed_until)
    }


def _notice(page: Page) -> str | None:
    formset = page.forms["notice"]
    if not formset.is_valid():
        not_valid(page, "notice_draft")
        return None
    allegations, positions = allegations_of(formset)
    try:
        process.notice_draft(case=page.case, allegations=allegations, by=page.user)
    except InvalidInput as error:
        if "notice_draft" in page.allowed:
            notice_errors_to(formset, positions, error.field_errors)
        page.problem = str(error.message)
        return None
    return _("The draft notice went to the reporter, who agrees to what it discloses before it is given.")


def _give_notice(page: Page) -> str | None:
    try:
        process.notice_give(case=page.case, by=page.user, key=page.key)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    return _("The notice was given to the respondent and the reporter. The time for the response has started.")


def _document(page: Page) -> str | None:
    added = through_form(
        page,
        "document",
        lambda data: process.document_add(
            case=page.case,
            kind=data["kind"],
            title=data["title"],
            text=data["text"],
            upload=data["file"],
            by=page.user,
        ),
    )
    if added is NOT_DONE:
        return None
    return _("The document was added, sealed for the panel.")


def _redaction(page: Page) -> str | None:
    done = through_form(
        page,
        "redaction",
        lambda data: process.document_add(
            case=page.case,
            kind=CaseDocumentKind.REDACTED,
            text=data["text"],
            upload=data["file"],
            redaction_of=data["original"],
            by=page.user,
        ),
    )
    if done is NOT_DONE:
        return None
    return _("The redacted copy was added. The reporter reads it and is asked to agree before it is shared.")


def _review(page: Page) -> str | None:
    shared = through_form(
        page,
        "review_open",
        lambda data: process.evidence_review_open(
            case=page.case, items=list(data["items"]), by=page.user, key=page.key
        ),
    )
    if shared is NOT_DONE:
        return None
    return _("%(count)s documents were shared with both parties at the same moment; the review period has started.") % {
        "count": shared
    }


def _report(page: Page) -> str | None:
    filed = through_form(
        page,
        "investigation_report",
        lambda data: process.investigation_report_file(case=page.case, text=data["text"], by=page.user),
    )
    if filed is NOT_DONE:
        return None
    return _("The investigation report was filed for the decision-makers and both parties.")


def _decision(page: Page) -> str | None:
    form = page.forms["decision"]
    issued = through_form(
        page,
        "decision",
        lambda data: decisions.decision_issue(
            case=page.case,
            findings=form.findings(),
            rationale=data["rationale"],
            sanctions=list(data["sanctions"]),
            by=page.user,
        ),
    )
    if issued is NOT_DONE:
        return None
    if isinstance(issued, DecisionDraft):
        return _(
            "Your decision was proposed to the other decision-makers; it is issued once each of them agrees to it."
        )
    return _("The decision was issued; both parties are told at the same moment. It is open to appeal.")


def _decision_agree(page: Page) -> str | None:
    try:
        agreed = decisions.decision_agree(case=page.case, key=page.key, by=page.user)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    if isinstance(agreed, DecisionDraft):
        return _("You agreed to the proposed decision; it is issued once the other decision-makers agree too.")
    place = _Records(page.case).place_of(page.user)
    if place is not None and agreed.decided_by_id == place.person_id:  # they proposed it: it went out in their name
        return _(
            "You issued the decision every decision-maker on the panel agreed to. Both parties are told at the same "
            "moment; it is open to appeal."
        )
    return _(
        "You agreed, and so did every decision-maker: the decision was issued. Both parties are told at the same "
        "moment; it is open to appeal."
    )


def _decision_check(request: HttpRequest, page: Page) -> HttpResponse | None:
    """What the decision will say, to check before it goes out: each finding, the reasons, and each sanction with
    its dates were it final when the appeal window closes; "Issue" or "Go back and change it". None when the decision
    is not complete: the step then runs, and its refusal says what to fix."""
    form = page.forms["decision"]
    try:
        findings, sanctions = decisions.decision_checked(
            case=page.case,
            findings=form.findings(),
            rationale=form.cleaned_data["rationale"],
            sanctions=list(form.cleaned_data["sanctions"]),
        )
    except InvalidInput:
        return None
    final_on = _final_on()
    place = _Records(page.case).place_of(request.user)
    others = [m for m in decisions.decision_makers(page.case) if place is None or m.pk != place.pk]
    context = {
        "case": page.case,
        "form": form,
        "findings": [(number, FindingOutcome(outcome).label) for number, outcome in sorted(findings.items())],
        "rationale": form.cleaned_data["rationale"],
        "sanctions": [
            {"label": entry["label"], "terms": letters.sanction_terms(entry, starts_on=final_on)} for entry in sanctions
        ],
        "final_on": final_on,
        "others": [member.person.name for member in others],
        "standard": standard_label(page.case.standard_of_proof),
    }
    return render(request, "cases/workspace/decision_check.html", context)


def _final_on() -> date:
    """The day a decision issued today is final if nobody appeals."""
    return timezone.localdate() + timedelta(days=int(panel.bylaws()["deadlines"]["appeal_window"]))


def _record(page: Page) -> str | None:
    appeal = page.case.appeals.filter(decided_at__isnull=True).order_by("-pk").first()
    try:
        if appeal is None:
            stages.require_open(page.case, "appeal_record_send")
            raise InvalidInput(_("There is no appeal to send the record to."), code="no_appeal")
        decisions.appeal_record_send(appeal=appeal, by=page.user, key=page.key)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    return _("The panel's record was sent to the appeals body's people hearing the appeal.")


def _recuse(page: Page) -> str | None:
    place = case_policy.require_seat(page.user, page.case)
    try:
        panel.panelist_recuse(member=place, by=page.user)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    return _("You stepped down from the panel of %(case)s and can no longer open it.") % {"case": page.case.reference}


def _agreement(page: Page) -> str | None:
    summary, formset = page.forms["agreement"], page.forms["obligations"]
    if not (summary.is_valid() and formset.is_valid()):
        not_valid(page, "agreement")
        return None
    obligations, positions = obligations_of(formset)
    try:
        informal.agreement_record(
            case=page.case, obligations=obligations, summary=summary.cleaned_data["summary"], by=page.user
        )
    except InvalidInput as error:
        page.problem = str(error.message)
        if "agreement" in page.allowed:
            obligation_errors_to(formset, positions, error.field_errors)
            for problem in error.field_errors.get("summary", []):
                summary.add_error("summary", str(problem))
            for problem in error.field_errors.get("obligations", []):
                page.problem = str(problem)
        return None
    except NotAllowed:
        not_yours_problem(page)
        return None
    return _("The agreement was recorded and sealed for both parties; each obligation has its timer.")


def _obligation(page: Page) -> str | None:
    obligation = queries.case_obligation(case=page.case, pk=page.post.get("obligation"))
    form = page.forms["obligation"]
    if not form.is_valid():
        not_valid(page, "obligation")
        page.problem = page.problem or _("Say whether the obligation was met.")
        return None
    try:
        if form.cleaned_data["outcome"] == "met":
            informal.obligation_meet(obligation=obligation, by=page.user)
        else:
            informal.obligation_breach(obligation=obligation, by=page.user)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    except NotAllowed:
        not_yours_problem(page)
        return None
    if form.cleaned_data["outcome"] == "breached":
        return _("Obligation %(n)s was recorded as not met: the case goes on as a formal case.") % {
            "n": obligation.number
        }
    page.case.refresh_from_db()
    if page.case.stage == Stage.CLOSED:
        return _("Every obligation was met: the case is closed and both parties are told.")
    return _("Obligation %(n)s was recorded as met.") % {"n": obligation.number}


def _interim(page: Page) -> str | None:
    done = through_form(
        page,
        "interim",
        lambda data: interim.interim_measure_impose(
            case=page.case,
            kind=data["kind"],
            reason_code=data["reason_code"],
            reasons=data["reasons"],
            review_on=data["review_on"],
            by=page.user,
        ),
        not_yours=True,
    )
    if done is NOT_DONE:
        return None
    if not case_policy.respondent_told(page.case):
        return _(
            "The measure is in force until it is reviewed or lifted; the respondent's seats on offices ended. The "
            "respondent is told of it with the notice, not before."
        )
    return _("The measure is in force until it is reviewed or lifted; the respondent's seats on offices ended.")


def _posted_measure(page: Page) -> InterimMeasure:
    return queries.case_interim_measure(case=page.case, pk=page.post.get("measure"))


def _interim_review(page: Page) -> str | None:
    measure = _posted_measure(page)
    done = through_form(
        page,
        "interim_review",
        lambda data: interim.interim_measure_review(measure=measure, review_on=data["review_on"], by=page.user),
        not_yours=True,
    )
    if done is NOT_DONE:
        return None
    return _("The measure continues; it is to be reviewed by %(day)s.") % {"day": date_format(done.review_on)}


def _interim_lift(page: Page) -> str | None:
    measure = _posted_measure(page)
    try:
        interim.interim_measure_lift(measure=measure, by=page.user)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    except NotAllowed:
        not_yours_problem(page)
        return None
    return _("The measure was lifted. Seats it ended stay ended: they are regained only through the eligibility check.")


def _withdrawal(page: Page) -> str | None:
    form = page.forms["withdrawal"]
    if not form.is_valid():
        not_valid(page, "withdrawal")
        return None
    proceeds = bool(form.cleaned_data["proceeds"])
    try:
        closing.case_after_withdrawal(
            case=page.case, proceeds=proceeds, reason_code=form.cleaned_data["reason_code"] or "", by=page.user
        )
    except InvalidInput as error:
        refused_step(page, "withdrawal", form, error)
        return None
    except NotAllowed:
        not_yours_problem(page)
        return None
    if proceeds:
        return _("The case goes on without the reporter; the parties are told.")
    return _("The case is closed; its timers are cancelled and its interim measures ended. The parties are told.")


def _join(page: Page) -> str | None:
    form = page.forms["join"]
    if not form.is_valid():
        not_valid(page, "join")
        return None
    report: Report = form.cleaned_data["report"]
    try:
        panel.case_report_join(case=page.case, report=report, by=page.user, key=page.key)
    except InvalidInput as error:
        refused_step(page, "join", form, error)
        return None
    except NotAllowed:
        not_yours_problem(page)
        return None
    return _("%(report)s joined the case: its reporter is a party, and the panel can read it.") % {
        "report": queries.report_name(report)
    }


def _scope(page: Page) -> str | None:
    form = page.forms["scope"]
    if not form.is_valid():
        not_valid(page, "scope")
        return None
    known, examined = examined_case(form)
    if not known:
        return None
    try:
        investigations.investigation_scope_add(
            case=page.case, officials=list(form.cleaned_data["officials"]), examines=examined, by=page.user
        )
    except InvalidInput as error:
        refused_step(page, "scope", form, error)
        return None
    except NotAllowed:
        not_yours_problem(page)
        return None
    return _("The scope was widened; the officials concerned were taken out of both cases.")


def _suspend(page: Page) -> str | None:
    done = through_form(
        page,
        "suspend",
        lambda data: investigations.subject_suspend(
            case=page.case,
            person=data["person"],
            vote_reference=data["vote_reference"].strip(),
            reasons=data["reasons"],
            review_on=data["review_on"],
            by=page.user,
        ),
        not_yours=True,
    )
    if done is NOT_DONE:
        return None
    data = page.forms["suspend"].cleaned_data
    return _("%(name)s is suspended from leadership seats, citing vote %(vote)s, until the measure is lifted.") % {
        "name": data["person"].name,
        "vote": data["vote_reference"].strip(),
    }


PANEL_HANDLERS: dict[str, StepHandler] = {
    "notice_give": _give_notice,
    "propose": _propose,
    "seat": _seat,
    "notice_delay": _delay,
    "notice_draft": _notice,
    "document": _document,
    "redaction": _redaction,
    "review_open": _review,
    "investigation_report": _report,
    "decision": _decision,
    "decision_agree": _decision_agree,
    "appeal_record_send": _record,
    "challenge_decide": challenge_decide_step,
    "recuse": _recuse,
    "agreement": _agreement,
    "obligation": _obligation,
    "interim": _interim,
    "interim_review": _interim_review,
    "interim_lift": _interim_lift,
    "withdrawal": _withdrawal,
    "join": _join,
    "scope": _scope,
    "suspend": _suspend,
}


@never_cache
@login_required
@opens_reports
def case_workspace(request: HttpRequest, reference: str) -> HttpResponse:
    """The panel's workspace: where the case stands and this panelist's next step, the case's material, the other
    steps the stage allows, the deadlines, the panel and the timeline."""
    case = workspace_case(request, reference)
    records = _Records(case)
    if records.declaration_awaited(request.user):
        # A candidate declares before seeing anything of the case, even as a member of the handling body.
        return redirect("cases:panel_declaration", reference=case.reference)
    key = key_or_locked(request)
    page = Page(request=request, case=case, key=key, allowed=_panel_allowed(case, records, request.user))
    status = 200
    if request.method == "POST":
        posted = request.POST.get("step", "")
        page.forms = _panel_forms(case, request.user, data=request.POST, files=request.FILES, posted=posted)
        checking = posted == "decision" and "decision" in page.allowed and not request.POST.get("issue")
        changing = checking and bool(request.POST.get("change"))
        if checking and not changing and page.forms["decision"].is_valid():
            checked = _decision_check(request, page)
            if checked is not None:
                return checked
        # Back from the check to change it: the workspace, its form filled in as it was.
        done = None if changing else run_posted_step(page, PANEL_HANDLERS)
        if done is not None:
            messages.success(request, done)
            if posted == "recuse":
                return redirect("cases:my_cases")
            return redirect("cases:workspace", reference=case.reference)
        status = 200 if changing else 400
        case.refresh_from_db()
        records = _Records(case)  # a step refused may still have changed the case, its panel included
        page.allowed = _panel_allowed(case, records, request.user)
    else:
        page.forms = _panel_forms(case, request.user)
    place = records.place_of(request.user)
    deadlines = deadline_rows(case)
    next_block, other_blocks = step_blocks(page.allowed, not_yet=_not_yet(case, records, page.allowed))
    if "decision_agree" in page.allowed and _draft_to_issue(records, place):
        to_issue = _("Issue the decision every decision-maker agreed to")
        if next_block is not None and next_block.name == "decision_agree":
            next_block = replace(next_block, summary=to_issue)
        other_blocks = [replace(b, summary=to_issue) if b.name == "decision_agree" else b for b in other_blocks]
    rows = panel_rows(case, members=records.panel)
    context = {
        "case": case,
        "place": place,
        "role_explained": ROLES_EXPLAINED.get(place.role, "") if place else "",
        "roles_explained": roles_explained(rows),
        "standing": case_standing(case, deadlines, for_panel=True),
        "next_block": next_block,
        "other_blocks": other_blocks,
        "posted_step": posted_block(request),
        "standard": standard_label(case.standard_of_proof),
        "allowed": page.allowed,
        "forms": page.forms,
        "problem": page.problem,
        "timeline": timeline_rows(case),
        "documents": opened_documents(case, key=key, actor=request.user, capacity="panel", own_only=False),
        "deadlines": deadlines,
        "panel_rows": rows,
        "challenges": records.challenges,
        "decisions": decision_rows(case),
        "appeals": records.appeals,
        "pdf_url_name": "cases:workspace_decision_pdf",
        "file_url_name": "cases:workspace_file",
        "reports": opened_reports(case, key=key, actor=request.user, capacity="panel"),
        "report_file_url_name": "cases:workspace_report_file",
        "consents": consent_rows(case),
        "obligations": records.obligations,
        "measures": measure_rows(case, measures=records.measures),
        "posted_measure": _int_or_none(request.POST.get("measure")) if request.method == "POST" else None,
        "withdrawal_undecided": queries.withdrawal_undecided(case=case),
        "subjects": records.subjects,
        "draft": _draft_shown(case, records, page) if "decision_agree" in page.allowed else None,
        "draft_left": _draft_left(case, records) if "decision" in page.allowed else None,
        "draft_progress": _draft_progress(records, place) if "decision_agree" not in page.allowed else None,
        "report_files": _report_files(case) if "review_open" in page.allowed else 0,
    }
    return render(request, "cases/workspace/panel.html", context, status=status)


def _draft_left(case: Case, records: _Records) -> dict[str, Any] | None:
    """The last proposed decision, when it ended because the one who proposed it left the panel and nobody has
    proposed another since: who proposed it, and when."""
    last = case.decision_drafts.select_related("proposed_by").order_by("-pk").first()
    if last is None or last.ended_at is None or last.decision_id is not None:
        return None
    seated = (m for m in records.panel if m.status == PanelStatus.SEATED and m.role == PanelRole.DECISION_MAKER)
    if any(member.person_id == last.proposed_by_id for member in seated):
        return None
    return {"name": last.proposed_by.name, "day": last.proposed_at}


def _draft_to_issue(records: _Records, place: PanelMember | None) -> bool:
    """Whether the proposed decision waits on this decision-maker, who proposed it, to issue it: the others still on
    the panel have all agreed (one who had not left it)."""
    draft = records.draft
    return draft is not None and place is not None and decisions.agreed_by_all(draft, place)


def _draft_shown(case: Case, records: _Records, page: Page) -> dict[str, Any] | None:
    """The proposed decision as the decision-maker asked to agree reads it: who proposed it, each finding, the reasons
    (opened with their key, a read on the ledger) and each sanction, and who has agreed so far."""
    draft = records.draft
    if draft is None:
        return None
    catalog = {entry["code"]: entry for entry in sanctions_catalog()}
    final_on = _final_on()
    return {
        "proposed_by": draft.proposed_by.name,
        "proposed_on": draft.proposed_at,
        "findings": [
            (int(n), FindingOutcome(o).label) for n, o in sorted(draft.findings.items(), key=lambda i: int(i[0]))
        ],
        "rationale": casefiles.open_text(item=draft.reasons, key=page.key, actor=page.user, capacity="panel"),
        "sanctions": [
            {"label": catalog[code]["label"], "terms": letters.sanction_terms(catalog[code], starts_on=final_on)}
            for code in draft.sanction_codes
            if code in catalog
        ],
        "final_on": final_on,
        "agreed": [a.person.name for a in draft.agreements.select_related("person").order_by("agreed_at", "pk")],
        "waiting": [m.person.name for m in decisions.yet_to_agree(draft)],
        "to_issue": _draft_to_issue(records, records.place_of(page.user)),
    }


def _draft_progress(records: _Records, place: PanelMember | None) -> dict[str, list[str]] | None:
    """Who has agreed to the proposed decision and who has yet to, for a decision-maker who proposed it or agreed
    already: the same lines the others read under "Agree to this decision"."""
    if place is None or place.role != PanelRole.DECISION_MAKER:
        return None
    draft = records.draft
    if draft is None:
        return None
    return {
        "agreed": [a.person.name for a in draft.agreements.select_related("person").order_by("agreed_at", "pk")],
        "waiting": [m.person.name for m in decisions.yet_to_agree(draft)],
    }


def _report_files(case: Case) -> int:
    """How many files the reporters attached to the case's reports: they went to the people handling the report, not
    to the respondent, so evidence sharing does not offer them until their reporter adds them to the case."""
    return sum(report.evidence.count() for report in queries.case_reports(case=case) if report.destroyed_at is None)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@never_cache
@require_GET
@login_required
@opens_reports
def workspace_file(request: HttpRequest, reference: str, pk: int) -> HttpResponseBase:
    """A file of the case, for the panel or the appeals body hearing it; the download is a read on the ledger."""
    case, capacity = reader_case(request, reference)
    item = queries.case_document(case=case, pk=pk)
    if not item.is_file:
        raise NotAllowed("no such file")
    return download(casefiles.open_file(item=item, key=key_or_locked(request), actor=request.user, capacity=capacity))


@never_cache
@require_GET
@login_required
@opens_reports
def workspace_report_file(request: HttpRequest, reference: str, report_pk: int, pk: int) -> HttpResponseBase:
    """A file of one of the case's reports, for the panel or the appeals body hearing it; the download is a read of
    the report on the ledger."""
    case, capacity = reader_case(request, reference)
    report = queries.case_report(case=case, pk=report_pk)
    key = key_or_locked(request)
    return download(
        intake.report_file_open(report=report, document_pk=pk, key=key, actor=request.user, capacity=capacity)
    )
