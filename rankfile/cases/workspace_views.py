"""The case pages: the panel's workspace, a candidate's declaration, a party's page, the appeals body's page, the
decision letter as a PDF, the members' list of overrides, and the oversight body's page to open a process
investigation.

Thin, like every view: who may open a page is the policy's and the actions' to say (anyone else finds nothing here,
exactly as for a case that does not exist: DESIGN.md invariant 11); every step is an action, and a step the case is
not at is refused by the action with the stage it is at. Case documents open with the key unlocked in this browser,
and every opening is a read on the ledger (invariant 6).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rankfile import policy
from rankfile.cases import (
    actions,
    casefiles,
    closing,
    decisions,
    informal,
    interim,
    investigations,
    panel,
    process,
    queries,
    stages,
)
from rankfile.cases import policy as case_policy
from rankfile.cases.actions import REPORTER
from rankfile.cases.models import (
    AppealGround,
    AppealOutcome,
    Case,
    CaseDocument,
    CaseDocumentKind,
    CaseKind,
    Challenge,
    ChallengeStatus,
    Decision,
    FindingOutcome,
    InterimMeasure,
    ObligationStatus,
    PanelMember,
    PanelRole,
    PanelStatus,
    Party,
    PartyRole,
    Report,
    Stage,
    Track,
)
from rankfile.cases.views import CONTENT_HEADINGS, FILE_PROBLEMS, download, file_problem, opens_reports
from rankfile.cases.workspace_forms import (
    AdviserEmailForm,
    AdviserForm,
    AfterWithdrawalForm,
    AgreementForm,
    AllegationFormSet,
    AppealDecisionForm,
    AppealForm,
    ChallengeDecisionForm,
    ChallengeForm,
    DeclarationForm,
    DocumentForm,
    EvidenceReviewForm,
    FindingsForm,
    InterimImposeForm,
    InterimReviewForm,
    InvestigationOpenForm,
    JoinForm,
    NoticeDelayForm,
    ObligationFormSet,
    ObligationSettleForm,
    PartyDocumentForm,
    ProposeForm,
    RedactionForm,
    ReportTextForm,
    ResponseForm,
    ScopeForm,
    SubjectSuspendForm,
    allegations_of,
    notice_errors_to,
    obligation_errors_to,
    obligations_of,
)
from rankfile.deadlines import kinds
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.governance import feeds
from rankfile.org.models import Person
from rankfile.vault import sessions
from rankfile.vault.errors import VaultError
from rankfile.vault.keys import UnlockedKey

# Steps shown under "What you can do now"; the others are by what they act on (an obligation, a measure, a scope).
INLINE_STEPS = {
    "withdrawal",
    "propose",
    "seat",
    "notice_draft",
    "notice_give",
    "notice_delay",
    "document",
    "redaction",
    "review_open",
    "investigation_report",
    "decision",
    "join",
    "appeal_record_send",
}
# Deadlines a party is shown: never the panel's own (a notice held back is not announced to the respondent).
PARTY_DEADLINES = (
    process.EVIDENCE_REVIEW.code,
    process.DECISION_TARGET.code,
    decisions.APPEAL_WINDOW.code,
    decisions.APPEAL_DECISION.code,
)
RESPONDENT_DEADLINES = (process.RESPONSE.code,)
STRUCTURED = (
    CaseDocumentKind.NOTICE,
    CaseDocumentKind.DECISION,
    CaseDocumentKind.APPEAL_DECISION,
    CaseDocumentKind.APPEAL,
    CaseDocumentKind.AGREEMENT,
)


# --- what every case page shares -------------------------------------------------------------------------------------


def _key(request: HttpRequest) -> UnlockedKey:
    key = sessions.unlocked_key(request)
    if key is None:
        raise VaultError("sign in again to open case material in this browser", code="locked")
    return key


@dataclass(frozen=True)
class OpenedDocument:
    """A case document as this reader opened it: its text (or, for a notice, a decision or an appeal, what it says),
    or its sealed file name, type and size. ``readable`` is False when the reader's key is not among its readers."""

    item: CaseDocument
    readable: bool
    text: str = ""
    content: dict[str, Any] | None = None
    file_name: str = ""
    file_type: str = ""
    file_size: int = 0


def _open(item: CaseDocument, *, key: UnlockedKey, actor: Any, capacity: str) -> OpenedDocument:
    if not casefiles.reads(key, item):
        return OpenedDocument(item=item, readable=False)
    try:
        if item.is_file:
            opened = casefiles.open_file(item=item, key=key, actor=actor, capacity=capacity)
            return OpenedDocument(
                item=item,
                readable=True,
                file_name=opened.name,
                file_type=opened.content_type,
                file_size=opened.size,
            )
        text = casefiles.open_text(item=item, key=key, actor=actor, capacity=capacity)
    except (NotAllowed, VaultError):
        return OpenedDocument(item=item, readable=False)
    content = None
    if item.kind in STRUCTURED:
        try:
            content = _presented(dict(json.loads(text)))
        except (ValueError, TypeError):
            content = None
    return OpenedDocument(item=item, readable=True, text=text, content=content)


def _presented(content: dict[str, Any]) -> dict[str, Any]:
    """A notice, decision or appeal with the labels people read beside its codes."""
    if "findings" in content:
        content["finding_rows"] = [
            {"number": int(n), "outcome": str(FindingOutcome(o).label) if o in FindingOutcome.values else o}
            for n, o in sorted(content["findings"].items(), key=lambda pair: int(pair[0]))
        ]
    if "grounds" in content:
        content["ground_labels"] = [
            str(AppealGround(g).label) if g in AppealGround.values else g for g in content["grounds"]
        ]
    if "outcome" in content:
        outcome = content["outcome"]
        content["outcome_label"] = str(AppealOutcome(outcome).label) if outcome in AppealOutcome.values else outcome
    if "obligations" in content:
        content["obligation_rows"] = [
            {
                "number": o.get("number"),
                "side": str(PartyRole(o["by_role"]).label) if o.get("by_role") in PartyRole.values else "",
                "what": o.get("what", ""),
                "due_on": o.get("due_on", ""),
            }
            for o in content["obligations"]
        ]
    return content


def _documents(case: Case, *, key: UnlockedKey, actor: Any, capacity: str, own_only: bool) -> list[OpenedDocument]:
    """The case's documents this key reads, each opened (and each opening on the ledger). With ``own_only``, the
    others are left out altogether: a party is not shown what exists for the panel alone."""
    found = []
    for item in queries.case_documents(case=case):
        if own_only and not casefiles.reads(key, item):
            continue
        found.append(_open(item, key=key, actor=actor, capacity=capacity))
    return found


@dataclass(frozen=True)
class OpenedReport:
    """One of the case's reports as this reader opened it (each opening a read on the ledger): its content, by
    heading, and its evidence files. ``readable`` is False when the reader's key is not among its readers."""

    report: Report
    readable: bool
    destroyed: bool = False
    sections: tuple[tuple[Any, str], ...] = ()
    evidence: tuple[queries.AttachedFile, ...] = ()


def _reports(case: Case, *, key: UnlockedKey, actor: Any, capacity: str) -> list[OpenedReport]:
    found = []
    for report in queries.case_reports(case=case):
        if report.destroyed_at is not None:
            found.append(OpenedReport(report=report, readable=False, destroyed=True))
            continue
        try:
            content = actions.report_content(report=report, key=key, actor=actor, capacity=capacity)
        except (NotAllowed, VaultError):
            found.append(OpenedReport(report=report, readable=False))
            continue
        evidence = actions.evidence_open(report=report, key=key, actor=actor, capacity=capacity)
        sections = tuple(
            (CONTENT_HEADINGS[name], content[name]) for name in actions.CONTENT_FIELDS if content.get(name)
        )
        found.append(OpenedReport(report=report, readable=True, sections=sections, evidence=tuple(evidence)))
    return found


def _deadline_rows(case: Case, wanted: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [
        {"label": kinds.kind_of(d.kind).label, "due_at": d.due_at, "missed_at": d.missed_at}
        for d in queries.case_deadlines(case=case, kinds=wanted)
    ]


def _panel_rows(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "member": member,
            "reason": panel.REASONS.get(member.reason, member.reason) if member.reason else "",
        }
        for member in queries.panel_of(case=case)
    ]


def _decision_rows(case: Case) -> list[Decision]:
    return list(case.decisions.order_by("issued_at", "pk"))


def _allegation_numbers(case: Case) -> list[int]:
    return list(case.allegations.values_list("number", flat=True))


def _catalog() -> list[dict[str, Any]]:
    return list(panel.bylaws()["sanctions"])


def _measure_rows(case: Case, *, person: Any = None) -> list[dict[str, Any]]:
    return [
        {"measure": m, "reason": interim.REASONS.get(m.reason_code, m.reason_code)}
        for m in queries.case_interim_measures(case=case, person=person)
    ]


def _consent_rows(case: Case) -> list[Party]:
    return list(case.parties.order_by("role", "pk")) if case.track == Track.INFORMAL else []


@dataclass
class Page:
    """One request to a case page: the forms it shows, and what went wrong with the step that was posted."""

    request: HttpRequest
    case: Case
    key: UnlockedKey
    allowed: set[str]
    forms: dict[str, Any] = field(default_factory=dict)
    problem: str = ""

    @property
    def user(self) -> Any:
        return self.request.user

    @property
    def post(self) -> Any:
        return self.request.POST


StepHandler = Callable[[Page], str | None]


def _refused(page: Page, step: str, form: Any, error: InvalidInput) -> None:
    if step in page.allowed and form is not None:
        error.apply_to(form)
    page.problem = str(error.message)


def _not_valid(page: Page, step: str) -> None:
    """A form that did not validate: where the step is not possible now, say so as the action would."""
    if step not in page.allowed:
        try:
            stages.require_open(page.case, step)
        except InvalidInput as error:
            page.problem = str(error.message)
            return
        page.problem = _("That step is not yours to take in this case.")


def _file_refused(error: VaultError, form: forms.Form) -> None:
    if error.code not in FILE_PROBLEMS:
        raise error
    form.add_error("file", file_problem(error))


NOT_DONE = object()  # what ``_through`` returns when the step was refused


def _through(
    page: Page,
    step: str,
    run: Callable[[dict[str, Any]], Any],
    *,
    not_yours: bool = False,
) -> Any:
    """Validate the step's form and run its action with the cleaned data; what the action returns, or NOT_DONE with
    the problem (and the form's errors, a refused file's too) on the page. With ``not_yours``, an action's refusal
    of the person (a step on a thing of this case that is not theirs to take) is said as such, not as "not found"."""
    form = page.forms[stages.step_named(step).form]
    if not form.is_valid():
        _not_valid(page, step)
        return NOT_DONE
    try:
        return run(form.cleaned_data)
    except InvalidInput as error:
        _refused(page, step, form, error)
    except VaultError as error:
        _file_refused(error, form)
    except NotAllowed:
        if not not_yours:
            raise
        _not_yours(page)
    return NOT_DONE


def _post(page: Page, handlers: dict[str, StepHandler]) -> str | None:
    """Run the posted step; its success message, or None with the problem and the forms' errors on ``page``."""
    step = page.post.get("step", "")
    handler = handlers.get(step)
    if handler is None:
        raise InvalidInput(_("Choose one of the steps on the page."), code="step")
    result = handler(page)
    if (
        result is None
        and not page.problem
        and not any(getattr(f, "errors", None) for f in page.forms.values() if f is not None)
    ):
        page.problem = _("Please check what you entered.")
    return result


# --- the panel's workspace -------------------------------------------------------------------------------------------


def _place(case: Case, user: Any) -> PanelMember | None:
    return case.panel.filter(person__user_id=user.pk, status=PanelStatus.SEATED).first()


def _panel_allowed(case: Case, place: PanelMember | None, user: Any) -> set[str]:
    allowed = stages.open_at(case.stage, stages.PANEL)
    role = place.role if place else None
    if role is None:
        allowed &= stages.BEFORE_SEATING
    if role != PanelRole.INVESTIGATOR:
        allowed.discard("investigation_report")
    if role != PanelRole.DECISION_MAKER:
        allowed.discard("decision")
    if "notice_give" in allowed and (process.draft_notice_of(case) is None or process.reporters_yet_to_agree(case)):
        allowed.discard("notice_give")
    if case.stage != Stage.PANEL:
        # Later, only to fill a place: someone stepped down or was removed and the panel is short.
        if casefiles.seated(case).count() >= int(panel.bylaws()["panel"]["quorum"]):
            allowed.discard("propose")
        if not case.panel.filter(status=PanelStatus.PROPOSED).exists():
            allowed.discard("seat")
    if (
        "appeal_record_send" in allowed
        and not case.appeals.filter(record_sent_at__isnull=True, decided_at__isnull=True).exists()
    ):
        allowed.discard("appeal_record_send")
    if "challenge_decide" in allowed and not case.challenges.filter(status=ChallengeStatus.PENDING).exists():
        allowed.discard("challenge_decide")
    return allowed - _more_unavailable(case, user)


def _more_unavailable(case: Case, user: Any) -> set[str]:
    """Steps of the informal track, interim measures, withdrawals, joined reports and process investigations that
    this case does not call for now."""
    gone: set[str] = set()
    informal_case = case.track == Track.INFORMAL
    if not informal_case or case.obligations.exists() or case.parties.filter(consented_to_informal_at=None).exists():
        gone.add("agreement")
    if not informal_case or not case.obligations.filter(status=ObligationStatus.OPEN).exists():
        gone.add("obligation")
    if case.kind != CaseKind.CONDUCT or case.respondent_id is None:
        gone.add("interim")
    if not case.interim_measures.filter(lifted_at__isnull=True).exists():
        gone |= {"interim_review", "interim_lift"}
    if not queries.withdrawal_undecided(case=case):
        gone.add("withdrawal")
    if not queries.reports_to_join(case=case, user=user).exists():
        gone.add("join")
    if case.kind != CaseKind.PROCESS:
        gone |= {"scope", "suspend"}
    elif not case.subjects.exists():
        gone.add("suspend")
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


def _panel_forms(case: Case, user: Any, *, data: Any = None, files: Any = None, posted: str = "") -> dict[str, Any]:
    """Every form of the workspace, unbound (or, for the step ``posted``, bound to what was posted)."""

    def bound(step: str) -> dict[str, Any]:
        return {"data": data, "files": files} if step == stages.form_of(posted) else {}

    numbers = _allegation_numbers(case)
    return {
        "propose": ProposeForm(
            candidates=queries.panel_candidates(case=case, day=timezone.localdate()),
            prefix="propose",
            **bound("propose"),
        ),
        "delay": NoticeDelayForm(prefix="delay", **bound("delay")),
        "notice": AllegationFormSet(prefix="notice", **bound("notice")),
        "document": DocumentForm(prefix="document", **bound("document")),
        "redaction": RedactionForm(documents=_redactable(case), prefix="redaction", **bound("redaction")),
        "review": EvidenceReviewForm(documents=_reviewable(case), prefix="review", **bound("review")),
        "report": ReportTextForm(prefix="report", **bound("report")),
        "decision": FindingsForm(numbers=numbers, catalog=_catalog(), prefix="decision", **bound("decision")),
        "challenge": ChallengeDecisionForm(prefix="challenge", **bound("challenge")),
        **_more_panel_forms(case, user, bound),
    }


def _more_panel_forms(case: Case, user: Any, bound: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    people = queries.directory_people(user=user, day=timezone.localdate())
    return {
        "agreement": AgreementForm(prefix="agreement", **bound("agreement")),
        "obligations": ObligationFormSet(prefix="obligations", **bound("agreement")),
        "obligation": ObligationSettleForm(prefix="obligation", **bound("obligation")),
        "interim": InterimImposeForm(
            reasons={code: label for code, label in interim.REASONS.items() if code != "process_investigation"},
            prefix="interim",
            **bound("interim"),
        ),
        "interim_review": InterimReviewForm(prefix="interim_review", **bound("interim_review")),
        "withdrawal": AfterWithdrawalForm(
            reasons=dict(closing.PROCEED_REASONS), prefix="withdrawal", **bound("withdrawal")
        ),
        "join": JoinForm(reports=queries.reports_to_join(case=case, user=user), prefix="join", **bound("join")),
        "scope": ScopeForm(people=people, prefix="scope", **bound("scope")),
        "suspend": SubjectSuspendForm(
            subjects=case.subjects.order_by("name", "pk"), prefix="suspend", **bound("suspend")
        ),
    }


def _propose(page: Page) -> str | None:
    member = _through(
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
    case = _through(
        page,
        "notice_delay",
        lambda data: process.notice_delay(
            case=page.case, until=data["until"], reason_code=data["reason_code"], by=page.user
        ),
    )
    if case is NOT_DONE:
        return None
    return _("The notice is held back, on the record, until %(day)s at the latest.") % {
        "day": case.notice_delayed_until.strftime("%d %B %Y")
    }


def _notice(page: Page) -> str | None:
    formset = page.forms["notice"]
    if not formset.is_valid():
        _not_valid(page, "notice_draft")
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
    added = _through(
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
    done = _through(
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
    shared = _through(
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
    filed = _through(
        page,
        "investigation_report",
        lambda data: process.investigation_report_file(case=page.case, text=data["text"], by=page.user),
    )
    if filed is NOT_DONE:
        return None
    return _("The investigation report was filed for the decision-makers and both parties.")


def _decision(page: Page) -> str | None:
    form = page.forms["decision"]
    issued = _through(
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
    return _("The decision was issued; both parties are told at the same moment. It is open to appeal.")


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


def _challenge_decide(page: Page) -> str | None:
    form = page.forms["challenge"]
    challenge: Challenge = queries.case_challenge(case=page.case, pk=page.post.get("challenge"))
    if not form.is_valid():
        page.problem = _("Choose whether the challenge is upheld or rejected.")
        return None
    try:
        panel.challenge_decide(challenge=challenge, upheld=form.cleaned_data["upheld"], by=page.user)
    except InvalidInput as error:
        _refused(page, "challenge_decide", form, error)
        return None
    if form.cleaned_data["upheld"]:
        return _("The challenge was upheld: the panelist left the panel and can no longer open the case.")
    return _("The challenge was rejected.")


def _recuse(page: Page) -> str | None:
    place = case_policy.require_seat(page.user, page.case)
    try:
        panel.panelist_recuse(member=place, by=page.user)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    return _("You stepped down from the panel of %(case)s and can no longer open it.") % {"case": page.case.reference}


def _not_yours(page: Page) -> None:
    page.problem = _("That step is not yours to take in this case.")


def _agreement(page: Page) -> str | None:
    summary, formset = page.forms["agreement"], page.forms["obligations"]
    if not (summary.is_valid() and formset.is_valid()):
        _not_valid(page, "agreement")
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
        _not_yours(page)
        return None
    return _("The agreement was recorded and sealed for both parties; each obligation has its timer.")


def _obligation(page: Page) -> str | None:
    obligation = queries.case_obligation(case=page.case, pk=page.post.get("obligation"))
    form = page.forms["obligation"]
    if not form.is_valid():
        _not_valid(page, "obligation")
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
        _not_yours(page)
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
    done = _through(
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
    if not queries.respondent_told(case=page.case):
        return _(
            "The measure is in force until it is reviewed or lifted; the respondent's seats on offices ended. The "
            "respondent is told of it with the notice, not before."
        )
    return _("The measure is in force until it is reviewed or lifted; the respondent's seats on offices ended.")


def _posted_measure(page: Page) -> InterimMeasure:
    return queries.case_interim_measure(case=page.case, pk=page.post.get("measure"))


def _interim_review(page: Page) -> str | None:
    measure = _posted_measure(page)
    done = _through(
        page,
        "interim_review",
        lambda data: interim.interim_measure_review(measure=measure, review_on=data["review_on"], by=page.user),
        not_yours=True,
    )
    if done is NOT_DONE:
        return None
    return _("The measure continues; it is to be reviewed by %(day)s.") % {"day": done.review_on.strftime("%d %B %Y")}


def _interim_lift(page: Page) -> str | None:
    measure = _posted_measure(page)
    try:
        interim.interim_measure_lift(measure=measure, by=page.user)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    except NotAllowed:
        _not_yours(page)
        return None
    return _("The measure was lifted. Seats it ended stay ended: they are regained only through the eligibility check.")


def _withdrawal(page: Page) -> str | None:
    form = page.forms["withdrawal"]
    if not form.is_valid():
        _not_valid(page, "withdrawal")
        return None
    proceeds = bool(form.cleaned_data["proceeds"])
    try:
        closing.case_after_withdrawal(
            case=page.case, proceeds=proceeds, reason_code=form.cleaned_data["reason_code"] or "", by=page.user
        )
    except InvalidInput as error:
        _refused(page, "withdrawal", form, error)
        return None
    except NotAllowed:
        _not_yours(page)
        return None
    if proceeds:
        return _("The case goes on without the reporter; the parties are told.")
    return _("The case is closed; its timers are cancelled and its interim measures ended. The parties are told.")


def _join(page: Page) -> str | None:
    form = page.forms["join"]
    if not form.is_valid():
        _not_valid(page, "join")
        return None
    report: Report = form.cleaned_data["report"]
    try:
        panel.case_report_join(case=page.case, report=report, by=page.user, key=page.key)
    except InvalidInput as error:
        _refused(page, "join", form, error)
        return None
    except NotAllowed:
        _not_yours(page)
        return None
    return _("Report %(n)s joined the case: its reporter is a party, and the panel can read it.") % {"n": report.pk}


def _examined(form: forms.Form) -> tuple[bool, Case | None]:
    """The case named by reference in ``form`` (None if none was named); False when none has that reference."""
    reference = (form.cleaned_data.get("examines") or "").strip()
    if not reference:
        return True, None
    found = queries.case_by_reference_or_none(reference=reference)
    if found is None:
        form.add_error("examines", _("No case has the reference “%(ref)s”.") % {"ref": reference})
        return False, None
    return True, found


def _scope(page: Page) -> str | None:
    form = page.forms["scope"]
    if not form.is_valid():
        _not_valid(page, "scope")
        return None
    known, examined = _examined(form)
    if not known:
        return None
    try:
        investigations.investigation_scope_add(
            case=page.case, officials=list(form.cleaned_data["officials"]), examines=examined, by=page.user
        )
    except InvalidInput as error:
        _refused(page, "scope", form, error)
        return None
    except NotAllowed:
        _not_yours(page)
        return None
    return _("The scope was widened; the officials concerned were taken out of both cases.")


def _suspend(page: Page) -> str | None:
    done = _through(
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
    "appeal_record_send": _record,
    "challenge_decide": _challenge_decide,
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


def _workspace_case(request: HttpRequest, reference: str) -> Case:
    case = queries.case_for_panel(reference=reference, user=request.user)
    panel.require_manager(case, request.user)  # and a second factor
    return case


@never_cache
@login_required
@opens_reports
def case_workspace(request: HttpRequest, reference: str) -> HttpResponse:
    """The panel's workspace: the timeline, the documents, the deadlines, the panel, the challenges to decide, and a
    form for each step the stage allows."""
    case = _workspace_case(request, reference)
    if queries.declaration_awaited(case=case, user=request.user):
        # A candidate declares before seeing anything of the case, even as a member of the handling body.
        return redirect("cases:panel_declaration", reference=case.reference)
    key = _key(request)
    place = _place(case, request.user)
    page = Page(request=request, case=case, key=key, allowed=_panel_allowed(case, place, request.user))
    status = 200
    if request.method == "POST":
        posted = request.POST.get("step", "")
        page.forms = _panel_forms(case, request.user, data=request.POST, files=request.FILES, posted=posted)
        done = _post(page, PANEL_HANDLERS)
        if done is not None:
            messages.success(request, done)
            if posted == "recuse":
                return redirect("cases:my_cases")
            return redirect("cases:workspace", reference=case.reference)
        status = 400
        case.refresh_from_db()
        page.allowed = _panel_allowed(case, _place(case, request.user), request.user)
    else:
        page.forms = _panel_forms(case, request.user)
    context = {
        "case": case,
        "place": place,
        "allowed": page.allowed,
        "forms": page.forms,
        "problem": page.problem,
        "timeline": queries.case_timeline(case=case),
        "documents": _documents(case, key=key, actor=request.user, capacity="panel", own_only=False),
        "deadlines": _deadline_rows(case),
        "panel_rows": _panel_rows(case),
        "challenges": list(case.challenges.select_related("member__person").order_by("made_at", "pk")),
        "decisions": _decision_rows(case),
        "appeals": list(case.appeals.order_by("lodged_at", "pk")),
        "pdf_url_name": "cases:workspace_decision_pdf",
        "file_url_name": "cases:workspace_file",
        "next_steps": page.allowed & INLINE_STEPS,
        "reports": _reports(case, key=key, actor=request.user, capacity="panel"),
        "report_file_url_name": "cases:workspace_report_file",
        "consents": _consent_rows(case),
        "obligations": list(queries.case_obligations(case=case)),
        "measures": _measure_rows(case),
        "posted_measure": _int_or_none(request.POST.get("measure")) if request.method == "POST" else None,
        "withdrawal_undecided": queries.withdrawal_undecided(case=case),
        "subjects": list(case.subjects.order_by("name", "pk")),
    }
    return render(request, "cases/workspace/panel.html", context, status=status)


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
    case, capacity = _reader_case(request, reference)
    item = queries.case_document(case=case, pk=pk)
    if not item.is_file:
        raise NotAllowed("no such file")
    return download(casefiles.open_file(item=item, key=_key(request), actor=request.user, capacity=capacity))


@never_cache
@require_GET
@login_required
@opens_reports
def workspace_report_file(request: HttpRequest, reference: str, report_pk: int, pk: int) -> HttpResponseBase:
    """A file of one of the case's reports, for the panel or the appeals body hearing it; the download is a read of
    the report on the ledger."""
    case, capacity = _reader_case(request, reference)
    report = queries.case_report(case=case, pk=report_pk)
    key = _key(request)
    return download(
        actions.report_file_open(report=report, document_pk=pk, key=key, actor=request.user, capacity=capacity)
    )


def _reader_case(request: HttpRequest, reference: str) -> tuple[Case, str]:
    """The case, for its panel (or those who run it before seating) or the appeals body's people hearing it."""
    try:
        return _workspace_case(request, reference), "panel"
    except NotAllowed:
        case = queries.case_for_appeals(reference=reference, user=request.user)
        case_policy.require_second_factor(request.user)
        return case, "appeals"


# --- a candidate's declaration ---------------------------------------------------------------------------------------


@never_cache
@login_required
def panel_declaration(request: HttpRequest, reference: str) -> HttpResponse:
    """A proposed candidate declares whether they have a conflict of interest, before seeing anything of the case."""
    place = queries.candidate_place(reference=reference, user=request.user)
    if place.status == PanelStatus.SEATED and place.role != PanelRole.APPEALS:
        return redirect("cases:workspace", reference=place.case.reference)
    case_policy.require_second_factor(request.user)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                panel.conflict_declare(member=place, conflict=form.cleaned_data["conflict"], by=request.user)
            except InvalidInput as error:
                error.apply_to(form)
            else:
                if form.cleaned_data["conflict"]:
                    messages.success(request, _("You declared a conflict and stepped aside. Thank you."))
                    return redirect("web:home")
                messages.success(
                    request, _("You declared no conflict. You can open the case once the panel is seated.")
                )
                return redirect("cases:panel_declaration", reference=place.case.reference)
    context = {"place": place, "case": place.case, "form": form, "declared": place.declared_at is not None}
    return render(request, "cases/workspace/declaration.html", context, status=status)


# --- a party's page --------------------------------------------------------------------------------------------------


def _party_case(request: HttpRequest, reference: str) -> tuple[Case, Party, UnlockedKey]:
    """The case and the visitor's side of it: with the key unlocked in this browser (a receipt code's, or the
    account's). Without a key, the page says how to get it back, whatever the reference."""
    key = _key(request)
    case = queries.case_by_reference(reference=reference)
    party = case_policy.require_party(case, key)
    return case, party, key


def _actor(request: HttpRequest) -> Any:
    return request.user if request.user.is_authenticated else REPORTER


def _is_own(party: Party, request: HttpRequest) -> bool:
    """The party themselves, signed in (not their adviser, not a receipt code)."""
    return case_policy.is_party_themselves(party, user=request.user, key=None)


def _is_self(party: Party, request: HttpRequest, key: UnlockedKey) -> bool:
    """The party themselves: signed in, or a reporter without an account holding their receipt code's key (never
    their adviser)."""
    return case_policy.is_party_themselves(party, user=request.user, key=key)


def _party_allowed(case: Case, party: Party, request: HttpRequest, key: UnlockedKey) -> set[str]:
    allowed = stages.open_at(case.stage, stages.PARTY)
    themselves = _is_self(party, request, key)
    if (
        case.track != Track.INFORMAL
        or not themselves
        or party.consented_to_informal_at is not None
        or case.obligations.exists()
    ):
        allowed.discard("informal_consent")
    if case.track != Track.INFORMAL or not themselves:
        allowed.discard("informal_decline")
    if party.role != PartyRole.RESPONDENT:
        allowed.discard("respond")
    if (
        party.role != PartyRole.REPORTER
        or not case.documents.filter(kind=CaseDocumentKind.REDACTED, reporter_agreed_at__isnull=True).exists()
    ):
        allowed.discard("redaction_agree")
    if party.role != PartyRole.REPORTER or party.notice_agreed_at is not None or process.draft_notice_of(case) is None:
        allowed.discard("notice_agree")
    if not themselves:
        allowed -= {"adviser", "review_finish", "appeal_waive"}  # the party's own choices, not an adviser's
    if party.review_done_at is not None:
        allowed.discard("review_finish")
    if party.appeal_waived_at is not None:
        allowed -= {"appeal_waive", "appeal"}
    if "adviser" not in allowed or party.adviser_id is None:
        allowed.discard("adviser_remove")
    if not _challengeable(case).exists():
        allowed.discard("challenge")
    return allowed


def _challengeable(case: Case) -> Any:
    return queries.panel_of(case=case).filter(status__in=[PanelStatus.PROPOSED, PanelStatus.SEATED])


def _party_forms(case: Case, party: Party, request: HttpRequest, *, posted: str = "") -> dict[str, Any]:
    def bound(step: str) -> dict[str, Any]:
        return {"data": request.POST, "files": request.FILES} if step == stages.form_of(posted) else {}

    adviser: forms.Form
    if party.person is None:
        adviser = AdviserEmailForm(prefix="adviser", **bound("adviser"))
    else:
        search_url = reverse("cases:party_adviser_search", args=[case.reference])
        adviser = AdviserForm(search_url=search_url, prefix="adviser", **bound("adviser"))
    return {
        "response": ResponseForm(prefix="response", **bound("response")),
        "document": PartyDocumentForm(prefix="document", **bound("document")),
        "adviser": adviser,
        "challenge": ChallengeForm(members=_challengeable(case), prefix="challenge", **bound("challenge")),
        "appeal": AppealForm(prefix="appeal", **bound("appeal")),
    }


def _response(page: Page) -> str | None:
    sent = _through(
        page,
        "respond",
        lambda data: process.response_file(case=page.case, text=data["text"], key=page.key, by=page.user),
    )
    if sent is NOT_DONE:
        return None
    return _("Your response was sent to the panel.")


def _party_document(page: Page) -> str | None:
    added = _through(
        page,
        "party_document",
        lambda data: process.party_document_add(
            case=page.case,
            kind=data["kind"],
            title=data["title"],
            text=data["text"],
            upload=data["file"],
            key=page.key,
            by=page.user,
        ),
    )
    if added is NOT_DONE:
        return None
    return _("It was added for the panel and your side of the case.")


def _agree(page: Page) -> str | None:
    item = queries.case_document(case=page.case, pk=page.post.get("item"))
    policy.require(page.key, "cases.read_document", item)  # addressed to this party
    try:
        process.redaction_agree(item=item, key=page.key, by=page.user)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    return _("You agreed to the redacted copy. The panel can now share it.")


def _agree_notice(page: Page) -> str | None:
    try:
        process.notice_agree(case=page.case, key=page.key, by=page.user)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    return _("You agreed to the draft notice. The panel can now give it to the respondent.")


def _named_adviser(page: Page, form: forms.Form) -> Person | None:
    """The person the adviser form names, or None with the reason on the form: an email address of an account, or a
    name of the member list that only one member has."""
    if "email" in form.cleaned_data:
        found = queries.person_with_account(email=form.cleaned_data["email"])
        if found is None:
            form.add_error("email", _("Nobody with an account here has this email address."))
        return found
    party = case_policy.require_party(page.case, page.key)
    text = form.cleaned_data["adviser"]
    named = queries.adviser_named(case=page.case, party=party, user=page.user, text=text, day=timezone.localdate())
    if len(named) > 1:
        form.add_error("adviser", _("Several members have this name: type the email address of the one you mean."))
        return None
    if not named:
        form.add_error(
            "adviser",
            _(
                "Nobody here has this name or email address. Type the name as the member list has it (the "
                "suggestions below help), or the email address of their account."
            ),
        )
        return None
    return named[0]


def _adviser(page: Page) -> str | None:
    form = page.forms["adviser"]
    if not form.is_valid():
        _not_valid(page, "adviser")
        return None
    adviser = _named_adviser(page, form)
    if adviser is None:
        return None
    try:
        panel.adviser_name(case=page.case, adviser=adviser, key=page.key, by=page.user)
    except InvalidInput as error:
        _refused(page, "adviser", form, error)
        return None
    return _(
        "%(name)s was asked to be your adviser. They read nothing of the case until they accept; this page shows "
        "when they do."
    ) % {"name": adviser.name}


def _adviser_remove(page: Page) -> str | None:
    if "adviser_remove" not in page.allowed:
        page.problem = _("You have no adviser in this case.")
        return None
    try:
        panel.adviser_name(case=page.case, adviser=None, key=page.key, by=page.user)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    return _("You have no adviser in this case now. They can no longer read anything of it.")


def _challenge(page: Page) -> str | None:
    done = _through(
        page,
        "challenge",
        lambda data: panel.panelist_challenge(
            case=page.case,
            member=data["member"],
            grounds=data["grounds"],
            key=page.key,
            by=page.user,
        ),
    )
    if done is NOT_DONE:
        return None
    return _("Your challenge was sent; the rest of the panel decides it.")


def _appeal(page: Page) -> str | None:
    done = _through(
        page,
        "appeal",
        lambda data: decisions.appeal_lodge(
            case=page.case,
            grounds=list(data["grounds"]),
            statement=data["statement"],
            key=page.key,
            by=page.user,
        ),
    )
    if done is NOT_DONE:
        return None
    return _("Your appeal was lodged; the appeals body will decide it.")


def _themselves(page: Page, refusal: str = "") -> bool:
    party = case_policy.party_for_key(page.case, page.key)
    if party is None or not _is_self(party, page.request, page.key):
        page.problem = refusal or _("Only the party themselves can agree to the informal track or withdraw from it.")
        return False
    return True


def _review_finish(page: Page) -> str | None:
    if not _themselves(page, _("Only the party themselves says they have finished reviewing the evidence.")):
        return None
    try:
        closed = process.evidence_review_finish(case=page.case, key=page.key, by=page.user)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    if closed:
        return _("Every party has finished reviewing the evidence: the review is closed and the investigator reports.")
    return _(
        "The panel knows you have finished reviewing the evidence. The review closes when everyone has, or at "
        "its deadline."
    )


def _appeal_waive(page: Page) -> str | None:
    if not _themselves(page, _("Only the party themselves can give up their appeal.")):
        return None
    if page.post.get("confirm") != "yes":
        page.problem = _("Tick the box to confirm that you will not appeal. This cannot be undone.")
        return None
    try:
        final = decisions.appeal_waive(case=page.case, key=page.key, by=page.user)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    if final:
        return _("Every party gave up their appeal: the decision is final and has taken effect.")
    return _(
        "You will not appeal. The decision becomes final when the other party does the same, or when the "
        "appeal window closes."
    )


def _consent(page: Page) -> str | None:
    if not _themselves(page):
        return None
    try:
        informal.informal_consent_give(case=page.case, key=page.key, by=page.user)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    return _("You agreed to try the informal track. You can withdraw at any time; the case then goes on formally.")


def _decline(page: Page) -> str | None:
    if not _themselves(page):
        return None
    try:
        informal.informal_consent_withdraw(case=page.case, key=page.key, by=page.user)
    except InvalidInput as error:
        page.problem = str(error.message)
        return None
    return _("The case left the informal track and goes on as a formal case. Both parties are told.")


PARTY_HANDLERS: dict[str, StepHandler] = {
    "informal_consent": _consent,
    "informal_decline": _decline,
    "respond": _response,
    "party_document": _party_document,
    "redaction_agree": _agree,
    "notice_agree": _agree_notice,
    "review_finish": _review_finish,
    "appeal_waive": _appeal_waive,
    "adviser": _adviser,
    "adviser_remove": _adviser_remove,
    "challenge": _challenge,
    "appeal": _appeal,
}


@never_cache
@opens_reports
def party_case(request: HttpRequest, reference: str) -> HttpResponse:
    """A party's page of their own case: every step, what is addressed to them, their deadlines and what they can
    do now."""
    case, party, key = _party_case(request, reference)
    page = Page(request=request, case=case, key=key, allowed=_party_allowed(case, party, request, key))
    status = 200
    if request.method == "POST":
        page.forms = _party_forms(case, party, request, posted=request.POST.get("step", ""))
        done = _post(page, PARTY_HANDLERS)
        if done is not None:
            messages.success(request, done)
            return redirect("cases:party_case", reference=case.reference)
        status = 400
        case.refresh_from_db()
        party.refresh_from_db()
        page.allowed = _party_allowed(case, party, request, key)
    else:
        page.forms = _party_forms(case, party, request)
    wanted = PARTY_DEADLINES + (RESPONDENT_DEADLINES if party.role == PartyRole.RESPONDENT else ())
    documents = _documents(case, key=key, actor=_actor(request), capacity=party.role, own_only=True)
    context = {
        "case": case,
        "party": party,
        "allowed": page.allowed,
        "forms": page.forms,
        "problem": page.problem,
        "timeline": queries.case_timeline(case=case),
        "documents": documents,
        "redactions": [d for d in documents if d.item.kind == CaseDocumentKind.REDACTED and d.readable],
        "deadlines": _deadline_rows(case, wanted),
        "panel_rows": [
            r for r in _panel_rows(case) if r["member"].status in (PanelStatus.PROPOSED, PanelStatus.SEATED)
        ],
        "decisions": [d for d in _decision_rows(case) if casefiles.reads(key, _letter(case, d))],
        "pdf_url_name": "cases:party_decision_pdf",
        "file_url_name": "cases:party_file",
        "is_own": _is_own(party, request),
        "informal": case.track == Track.INFORMAL or case.obligations.exists(),
        "obligations": list(queries.case_obligations(case=case)),
        "measures": _measure_rows(case, person=case.respondent) if case.respondent_id else [],
        "adviser_matches": _adviser_suggestions(request, case, party),
    }
    return render(request, "cases/workspace/party.html", context, status=status)


def _adviser_suggestions(request: HttpRequest, case: Case, party: Party) -> list[Person]:
    """After a name that matched nobody exactly, the people it partly matches, for the page's suggestions."""
    if request.method != "POST" or request.POST.get("step") != "adviser":
        return []
    text = request.POST.get("adviser-adviser", "")
    return queries.adviser_matches(case=case, party=party, user=request.user, search=text, day=timezone.localdate())


@never_cache
@require_GET
@opens_reports
def party_adviser_search(request: HttpRequest, reference: str) -> HttpResponse:
    """The suggestions for the adviser field as the party types: at most a few members who could be their adviser,
    never anyone who cannot (the parties, the panel, those close to the other side)."""
    case, party, key = _party_case(request, reference)
    case_policy.require_party_themselves(party, user=request.user, key=key)  # only the party names their adviser
    matches = queries.adviser_matches(
        case=case,
        party=party,
        user=request.user,
        search=request.GET.get("adviser-adviser", ""),
        day=timezone.localdate(),
    )
    return render(request, "cases/workspace/_adviser_matches.html", {"adviser_matches": matches})


@never_cache
@require_GET
@opens_reports
def party_file(request: HttpRequest, reference: str, pk: int) -> HttpResponseBase:
    case, party, key = _party_case(request, reference)
    item = queries.case_document(case=case, pk=pk)
    if not item.is_file:
        raise NotAllowed("no such file")
    return download(casefiles.open_file(item=item, key=key, actor=_actor(request), capacity=party.role))


@never_cache
def my_cases(request: HttpRequest) -> HttpResponse:
    """The cases in which the visitor is a party, or a party's adviser."""
    key = sessions.unlocked_key(request)
    if not request.user.is_authenticated and key is None:
        return redirect_to_login(request.get_full_path())
    rows = list(queries.cases_as_party(user=request.user, key=key))
    return render(request, "cases/workspace/mine.html", {"cases": rows, "locked": key is None})


# --- a party's adviser, asked -------------------------------------------------------------------------------------


@never_cache
@login_required
@opens_reports
def adviser_invitation(request: HttpRequest, reference: str, party_pk: int) -> HttpResponse:
    """The person a party named as their adviser: what it means, and accept or decline, before anything of the case
    is theirs to read. Once they accepted, they may step down here."""
    party = queries.adviser_place(reference=reference, party_pk=party_pk, user=request.user)
    problem, status = "", 200
    if request.method == "POST":
        status = 400
        step = request.POST.get("step", "")
        try:
            if step == "accept":
                panel.adviser_accept(party=party, key=_key(request), by=request.user)
                messages.success(request, _("You accepted. You now read what the party reads in this case."))
                return redirect("cases:party_case", reference=party.case.reference)
            if step == "decline":
                accepted = party.adviser_accepted_at is not None
                panel.adviser_decline(party=party, by=request.user)
                messages.success(
                    request,
                    _("You stepped down as adviser. You can no longer read the case.")
                    if accepted
                    else _("You declined. The party is told, and nothing of the case was shown to you."),
                )
                return redirect("web:home")
            problem = _("Accept or decline.")
        except InvalidInput as error:
            problem = str(error.message)
            party.refresh_from_db()
    context = {"party": party, "case": party.case, "problem": problem}
    return render(request, "cases/workspace/advise.html", context, status=status)


# --- the appeals body ------------------------------------------------------------------------------------------------


def _appeals_allowed(case: Case) -> set[str]:
    allowed = stages.open_at(case.stage, stages.APPEALS)
    if not case.challenges.filter(status=ChallengeStatus.PENDING).exists():
        allowed.discard("challenge_decide")
    return allowed


def _appeal_decide(page: Page) -> str | None:
    form = page.forms["decide"]
    appeal = page.case.appeals.filter(decided_at__isnull=True).order_by("-pk").first()
    if not form.is_valid():
        _not_valid(page, "appeal_decide")
        return None
    try:
        if appeal is None:
            stages.require_open(page.case, "appeal_decide")
            raise InvalidInput(_("There is no appeal to decide."), code="no_appeal")
        decisions.appeal_decide(
            appeal=appeal,
            outcome=form.cleaned_data["outcome"] or "",
            rationale=form.cleaned_data["rationale"],
            findings=form.findings(),
            sanctions=list(form.cleaned_data["sanctions"]),
            by=page.user,
        )
    except InvalidInput as error:
        _refused(page, "appeal_decide", form, error)
        return None
    return _("The appeal is decided. The decision is final and has taken effect; both parties are told.")


APPEAL_HANDLERS: dict[str, StepHandler] = {"appeal_decide": _appeal_decide, "challenge_decide": _challenge_decide}


@never_cache
@login_required
@opens_reports
def appeal_case(request: HttpRequest, reference: str) -> HttpResponse:
    """The appeals body's page: the complete record (as the appellant and the panel sent it), and the decision."""
    case = queries.case_for_appeals(reference=reference, user=request.user)
    case_policy.require_second_factor(request.user)
    key = _key(request)
    page = Page(request=request, case=case, key=key, allowed=_appeals_allowed(case))
    status = 200
    posted = request.POST.get("step", "") if request.method == "POST" else ""

    def make_forms() -> dict[str, Any]:
        def bound(step: str) -> dict[str, Any]:
            return {"data": request.POST} if step == stages.form_of(posted) else {}

        return {
            "decide": AppealDecisionForm(
                numbers=_allegation_numbers(case), catalog=_catalog(), prefix="decide", **bound("decide")
            ),
            "challenge": ChallengeDecisionForm(prefix="challenge", **bound("challenge")),
        }

    page.forms = make_forms()
    if request.method == "POST":
        done = _post(page, APPEAL_HANDLERS)
        if done is not None:
            messages.success(request, done)
            return redirect("cases:appeal_case", reference=case.reference)
        status = 400
        case.refresh_from_db()
        page.allowed = _appeals_allowed(case)
    context = {
        "case": case,
        "allowed": page.allowed,
        "forms": page.forms,
        "problem": page.problem,
        "timeline": queries.case_timeline(case=case),
        "documents": _documents(case, key=key, actor=request.user, capacity="appeals", own_only=False),
        "deadlines": _deadline_rows(case),
        "panel_rows": _panel_rows(case),
        "challenges": list(case.challenges.select_related("member__person").order_by("made_at", "pk")),
        "decisions": _decision_rows(case),
        "appeals": list(case.appeals.order_by("lodged_at", "pk")),
        "pdf_url_name": "cases:workspace_decision_pdf",
        "file_url_name": "cases:workspace_file",
        "reports": _reports(case, key=key, actor=request.user, capacity="appeals"),
        "report_file_url_name": "cases:workspace_report_file",
    }
    return render(request, "cases/workspace/appeal.html", context, status=status)


# --- the decision letter ---------------------------------------------------------------------------------------------


def _letter(case: Case, decision: Decision) -> CaseDocument:
    item = case.documents.filter(document_id=decision.letter_id).first()
    if item is None:
        raise NotAllowed("no letter")
    return item


def _letter_pdf(case: Case, decision: Decision, *, key: UnlockedKey, actor: Any, capacity: str) -> HttpResponse:
    """The decision letter as a PDF: opening it is a read on the ledger, and it is never kept in a cache."""
    item = _letter(case, decision)
    letter = json.loads(casefiles.open_text(item=item, key=key, actor=actor, capacity=capacity))
    notice = process.notice_of(case, key=key, actor=actor, capacity=capacity) if casefiles.reads(key, item) else {}
    texts = {int(a["number"]): a for a in notice.get("allegations", [])}
    findings = [
        {
            "number": int(number),
            "outcome": outcome,
            "text": texts.get(int(number), {}).get("text", ""),
            "provisions": texts.get(int(number), {}).get("provisions", ""),
        }
        for number, outcome in sorted(letter.get("findings", {}).items(), key=lambda pair: int(pair[0]))
    ]
    html = render_to_string(
        "cases/workspace/decision_letter.html",
        {
            "case": case,
            "decision": decision,
            "letter": letter,
            "findings": findings,
            "org_name": settings.ORG_NAME,
            "today": timezone.localdate(),
        },
    )
    response = feeds.pdf_response(html, filename=f"{case.reference}-decision-{decision.pk}.pdf")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
@opens_reports
def workspace_decision_pdf(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, capacity = _reader_case(request, reference)
    decision = queries.case_decision(case=case, pk=pk)
    return _letter_pdf(case, decision, key=_key(request), actor=request.user, capacity=capacity)


@require_GET
@opens_reports
def party_decision_pdf(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, party, key = _party_case(request, reference)
    decision = queries.case_decision(case=case, pk=pk)
    policy.require(key, "cases.read_document", _letter(case, decision))  # addressed to this party
    return _letter_pdf(case, decision, key=key, actor=_actor(request), capacity=party.role)


# --- the oversight body: a process investigation -----------------------------------------------------------------


@never_cache
@login_required
def investigation_new(request: HttpRequest) -> HttpResponse:
    """A member of the oversight body opens a process investigation: the officials concerned (or everyone who sat on
    a body in a period), and optionally the case examined. Anyone else finds nothing here."""
    today = timezone.localdate()
    policy.require(request.user, "cases.oversee")  # only the oversight body opens one directly
    case_policy.require_second_factor(request.user)
    form = InvestigationOpenForm(
        request.POST if request.method == "POST" else None,
        people=queries.directory_people(user=request.user, day=today),
        bodies=queries.bodies_for_investigation(),
    )
    status, problem = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            known, examined = _examined(form)
            if known:
                data = form.cleaned_data
                try:
                    case = investigations.investigation_open(
                        by=request.user,
                        officials=list(data["officials"]),
                        examines=examined,
                        body=data["body"],
                        since=data["since"],
                        until=data["until"],
                    )
                except InvalidInput as error:
                    error.apply_to(form)
                    problem = str(error.message)
                else:
                    messages.success(
                        request,
                        _("Process investigation %(ref)s is open; the officials concerned were taken out of it.")
                        % {"ref": case.reference},
                    )
                    if policy.allows(request.user, "cases.manage_case", case):
                        return redirect("cases:workspace", reference=case.reference)
                    return redirect("cases:investigation_new")
    return render(request, "cases/workspace/investigation_new.html", {"form": form, "problem": problem}, status=status)
