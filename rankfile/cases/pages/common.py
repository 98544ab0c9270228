"""What every case page shares: the page and its forms, running a posted step, opening a case's documents."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext as _

from rankfile.cases import casefiles, meanings, queries, stages
from rankfile.cases import policy as case_policy
from rankfile.cases.actions import decisions, intake, panel, process
from rankfile.cases.actions.intake import REPORTER
from rankfile.cases.models import (
    Case,
    CaseDocument,
    CaseDocumentKind,
    Challenge,
    Decision,
    Party,
    PartyRole,
    Report,
    Track,
)
from rankfile.cases.pages.reports import CONTENT_HEADINGS, FILE_PROBLEMS, file_problem
from rankfile.deadlines import kinds
from rankfile.errors import InvalidInput, NotAllowed
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


def key_or_locked(request: HttpRequest) -> UnlockedKey:
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
    if "standard_of_proof" in content:
        content["standard_of_proof"] = meanings.label("standard_of_proof", content["standard_of_proof"])
    if "findings" in content:
        content["finding_rows"] = [
            {"number": int(n), "outcome": meanings.label("finding", o)}
            for n, o in sorted(content["findings"].items(), key=lambda pair: int(pair[0]))
        ]
    if "grounds" in content:
        content["ground_labels"] = [meanings.label("appeal_ground", g) for g in content["grounds"]]
    if "outcome" in content:
        content["outcome_label"] = meanings.label("appeal_outcome", content["outcome"])
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


def opened_documents(
    case: Case, *, key: UnlockedKey, actor: Any, capacity: str, own_only: bool
) -> list[OpenedDocument]:
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


def opened_reports(case: Case, *, key: UnlockedKey, actor: Any, capacity: str) -> list[OpenedReport]:
    found = []
    for report in queries.case_reports(case=case):
        if report.destroyed_at is not None:
            found.append(OpenedReport(report=report, readable=False, destroyed=True))
            continue
        try:
            content = intake.report_content(report=report, key=key, actor=actor, capacity=capacity)
        except (NotAllowed, VaultError):
            found.append(OpenedReport(report=report, readable=False))
            continue
        evidence = intake.evidence_open(report=report, key=key, actor=actor, capacity=capacity)
        sections = tuple((CONTENT_HEADINGS[name], content[name]) for name in intake.CONTENT_FIELDS if content.get(name))
        found.append(OpenedReport(report=report, readable=True, sections=sections, evidence=tuple(evidence)))
    return found


def deadline_rows(case: Case, wanted: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [
        {"label": kinds.kind_of(d.kind).label, "due_at": d.due_at, "missed_at": d.missed_at}
        for d in queries.case_deadlines(case=case, kinds=wanted)
    ]


def panel_rows(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "member": member,
            "reason": meanings.label("panel_exclusion", member.reason) if member.reason else "",
        }
        for member in queries.panel_of(case=case)
    ]


def decision_rows(case: Case) -> list[Decision]:
    return list(case.decisions.order_by("issued_at", "pk"))


def allegation_numbers(case: Case) -> list[int]:
    return list(case.allegations.values_list("number", flat=True))


def sanctions_catalog() -> list[dict[str, Any]]:
    return list(panel.bylaws()["sanctions"])


def measure_rows(case: Case, *, person: Any = None) -> list[dict[str, Any]]:
    return [
        {"measure": m, "reason": meanings.label("interim_reason", m.reason_code)}
        for m in queries.case_interim_measures(case=case, person=person)
    ]


def consent_rows(case: Case) -> list[Party]:
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


def refused_step(page: Page, step: str, form: Any, error: InvalidInput) -> None:
    if step in page.allowed and form is not None:
        error.apply_to(form)
    page.problem = str(error.message)


def not_valid(page: Page, step: str) -> None:
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


NOT_DONE = object()  # what ``through_form`` returns when the step was refused


def through_form(
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
        not_valid(page, step)
        return NOT_DONE
    try:
        return run(form.cleaned_data)
    except InvalidInput as error:
        refused_step(page, step, form, error)
    except VaultError as error:
        _file_refused(error, form)
    except NotAllowed:
        if not not_yours:
            raise
        not_yours_problem(page)
    return NOT_DONE


def run_posted_step(page: Page, handlers: dict[str, StepHandler]) -> str | None:
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


def not_yours_problem(page: Page) -> None:
    page.problem = _("That step is not yours to take in this case.")


def challenge_decide_step(page: Page) -> str | None:
    form = page.forms["challenge"]
    challenge: Challenge = queries.case_challenge(case=page.case, pk=page.post.get("challenge"))
    if not form.is_valid():
        page.problem = _("Choose whether the challenge is upheld or rejected.")
        return None
    try:
        panel.challenge_decide(challenge=challenge, upheld=form.cleaned_data["upheld"], by=page.user)
    except InvalidInput as error:
        refused_step(page, "challenge_decide", form, error)
        return None
    if form.cleaned_data["upheld"]:
        return _("The challenge was upheld: the panelist left the panel and can no longer open the case.")
    return _("The challenge was rejected.")


def decision_letter(case: Case, decision: Decision) -> CaseDocument:
    item = case.documents.filter(document_id=decision.letter_id).first()
    if item is None:
        raise NotAllowed("no letter")
    return item


def page_actor(request: HttpRequest) -> Any:
    return request.user if request.user.is_authenticated else REPORTER


def reader_case(request: HttpRequest, reference: str) -> tuple[Case, str]:
    """The case, for its panel (or those who run it before seating) or the appeals body's people hearing it."""
    try:
        return workspace_case(request, reference), "panel"
    except NotAllowed:
        case = queries.case_for_appeals(reference=reference, user=request.user)
        case_policy.require_second_factor(request.user)
        return case, "appeals"


def examined_case(form: forms.Form) -> tuple[bool, Case | None]:
    """The case named by reference in ``form`` (None if none was named); False when none has that reference."""
    reference = (form.cleaned_data.get("examines") or "").strip()
    if not reference:
        return True, None
    found = queries.case_by_reference_or_none(reference=reference)
    if found is None:
        form.add_error("examines", _("No case has the reference “%(ref)s”.") % {"ref": reference})
        return False, None
    return True, found


def workspace_case(request: HttpRequest, reference: str) -> Case:
    case = queries.case_for_panel(reference=reference, user=request.user)
    panel.require_manager(case, request.user)  # and a second factor
    return case
