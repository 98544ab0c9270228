"""What every case page shares: the page and its forms, running a posted step, opening a case's documents."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile.cases import casefiles, meanings, queries, stages, timers
from rankfile.cases import policy as case_policy
from rankfile.cases.actions import intake, panel, process
from rankfile.cases.actions.intake import REPORTER
from rankfile.cases.models import (
    Case,
    CaseDocument,
    CaseDocumentKind,
    Challenge,
    Decision,
    InterimMeasure,
    PanelMember,
    PanelRole,
    Party,
    PartyRole,
    Report,
    Stage,
    Track,
)
from rankfile.cases.pages.reports import CONTENT_HEADINGS, FILE_PROBLEMS, file_problem
from rankfile.deadlines import kinds
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.vault import documents, sessions
from rankfile.vault.errors import VaultError
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import Version

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Deadlines a party is shown: never the panel's own (a notice held back is not announced to the respondent).
PARTY_DEADLINES = (
    timers.EVIDENCE_REVIEW.code,
    timers.DECISION_TARGET.code,
    timers.APPEAL_WINDOW.code,
    timers.APPEAL_DECISION.code,
)
RESPONDENT_DEADLINES = (timers.RESPONSE.code,)
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

    @property
    def file_type_label(self) -> Any:
        return queries.FILE_TYPE_LABELS.get(self.file_type, _("a file"))


def _open(
    item: CaseDocument, version: Version | None, *, key: UnlockedKey, actor: Any, capacity: str
) -> OpenedDocument:
    """``item`` opened at ``version``, its latest, which ``key`` reads (None: the key is not among its readers)."""
    if version is None:
        return OpenedDocument(item=item, readable=False)
    try:
        if item.is_file:
            opened = casefiles.open_file(item=item, key=key, actor=actor, capacity=capacity, version=version)
            return OpenedDocument(
                item=item,
                readable=True,
                file_name=opened.name,
                file_type=opened.content_type,
                file_size=opened.size,
            )
        text = casefiles.open_text(item=item, key=key, actor=actor, capacity=capacity, version=version)
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
        content["standard_label"] = standard_label(content["standard_of_proof"])
        content["standard_sentence"] = meanings.sentence("standard_of_proof", content["standard_of_proof"])
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
                "due_on": _day_or_text(o.get("due_on", "")),
            }
            for o in content["obligations"]
        ]
    return content


def _day_or_text(value: str) -> date | str:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


def standard_label(code: str) -> "StrOrPromise":
    """The standard of proof in words, as the sentence "… (the standard of proof)" says it."""
    return meanings.label("standard_of_proof", code)


# What each place on a panel does, said beside the word.
ROLES_EXPLAINED: dict[str, "StrOrPromise"] = {
    PanelRole.INVESTIGATOR: gettext_lazy("gathers the statements and evidence and writes the report; does not decide"),
    PanelRole.DECISION_MAKER: gettext_lazy(
        "decides on each allegation, from the report and the evidence; never the investigator"
    ),
    PanelRole.APPEALS: gettext_lazy("hears an appeal against the decision"),
}


def roles_explained(rows: list[dict[str, Any]]) -> dict[str, "StrOrPromise"]:
    """What the places on this panel do, for the roles it has."""
    present = {row["member"].role for row in rows}
    return {role: explained for role, explained in ROLES_EXPLAINED.items() if role in present}


def opened_documents(
    case: Case,
    *,
    key: UnlockedKey,
    actor: Any,
    capacity: str,
    own_only: bool,
    items: list[CaseDocument] | None = None,
) -> list[OpenedDocument]:
    """The case's documents this key reads, each opened (and each opening on the ledger). With ``own_only``, the
    others are left out altogether: a party is not shown what exists for the panel alone. ``items``: the case's
    documents, when the page has read them already (``queries.case_documents``)."""
    items = list(queries.case_documents(case=case)) if items is None else items
    readable = casefiles.readable_versions(items=items, key=key)
    found = []
    for item in items:
        version = readable.get(item.document_id)
        if own_only and version is None:
            continue
        found.append(_open(item, version, key=key, actor=actor, capacity=capacity))
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

    @property
    def name(self) -> str:
        return queries.report_name(self.report)


def opened_reports(case: Case, *, key: UnlockedKey, actor: Any, capacity: str) -> list[OpenedReport]:
    reports = list(queries.case_reports(case=case))
    readable = documents.latest_for_reader([report.content_id for report in reports], key)
    found = []
    for report in reports:
        if report.destroyed_at is not None:
            found.append(OpenedReport(report=report, readable=False, destroyed=True))
            continue
        version = readable.get(report.content_id)
        if version is None:
            found.append(OpenedReport(report=report, readable=False))
            continue
        try:
            content = intake.report_content(report=report, key=key, actor=actor, capacity=capacity, version=version)
        except (NotAllowed, VaultError):
            found.append(OpenedReport(report=report, readable=False))
            continue
        evidence = intake.evidence_open(report=report, key=key, actor=actor, capacity=capacity)
        sections = tuple((CONTENT_HEADINGS[name], content[name]) for name in intake.CONTENT_FIELDS if content.get(name))
        found.append(OpenedReport(report=report, readable=True, sections=sections, evidence=tuple(evidence)))
    return found


def deadline_rows(case: Case, wanted: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [
        {"kind": d.kind, "label": kinds.kind_of(d.kind).label, "due_at": d.due_at, "missed_at": d.missed_at}
        for d in queries.case_deadlines(case=case, kinds=wanted)
    ]


def panel_rows(case: Case, *, members: list[PanelMember] | None = None) -> list[dict[str, Any]]:
    """The panel's rows (``members``, when the page has read them already: ``queries.panel_of``)."""
    return [
        {
            "member": member,
            "reason": meanings.label("panel_exclusion", member.reason) if member.reason else "",
        }
        for member in (queries.panel_of(case=case) if members is None else members)
    ]


def timeline_rows(case: Case) -> list[dict[str, Any]]:
    """Each step of the case as its pages list it: when (in the local time, as machine-readable and as read), what,
    and the address of the inclusion proof of the ledger entry that recorded it."""
    rows = []
    for step in queries.case_timeline(case=case):
        at = timezone.localtime(step.at)
        rows.append(
            {
                "at": date_format(at, "c"),
                "when": date_format(at, "j F Y, H:i"),
                "label": step.label,
                "proof_url": reverse("ledger:entry_proof", args=[step.ledger_seq]) if step.ledger_seq else "",
            }
        )
    return rows


def decision_rows(case: Case) -> list[Decision]:
    return list(case.decisions.order_by("issued_at", "pk"))


def allegation_numbers(case: Case) -> list[int]:
    return list(case.allegations.values_list("number", flat=True))


def sanctions_catalog() -> list[dict[str, Any]]:
    return list(panel.bylaws()["sanctions"])


def measure_rows(
    case: Case, *, person: Any = None, measures: list[InterimMeasure] | None = None
) -> list[dict[str, Any]]:
    """The interim measures' rows (only those on ``person`` when given; ``measures``, when the page has read them
    already: ``queries.case_interim_measures``)."""
    if measures is None:
        measures = list(queries.case_interim_measures(case=case, person=person))
    return [{"measure": m, "reason": meanings.label("interim_reason", m.reason_code)} for m in measures]


def consent_rows(case: Case) -> list[Party]:
    return list(case.parties.order_by("role", "pk")) if case.track == Track.INFORMAL else []


class Forms(dict[str, Any]):
    """A page's forms by name, each made the first time the page asks for it (a template's ``forms.name`` included):
    a page shows the forms of the steps open to this person only, and a form's choices may take a query to make."""

    def __init__(self, makers: dict[str, Callable[[], Any]]) -> None:
        super().__init__()
        self._makers = makers

    def __missing__(self, name: str) -> Any:
        made = self[name] = self._makers[name]()
        return made


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
    """The case, for someone who runs it (``cases.run_case``, asked once), with a second factor."""
    case = queries.case_for_panel(reference=reference, user=request.user)
    case_policy.require_second_factor(request.user)
    return case


# --- where the case stands, and the steps of a page -------------------------------------------------------------------

# Where each stage stands, in a line, and what happens in it; the deadline the stage runs against, if any.
STANDINGS: dict[str, tuple["StrOrPromise", "StrOrPromise"]] = {
    Stage.PANEL: (
        gettext_lazy("Choosing the panel"),
        gettext_lazy(
            "People from the disciplinary body are proposed. Each declares any conflict of interest before seeing "
            "anything; those with none are seated, and only then can they open the case."
        ),
    ),
    Stage.NOTICE: (
        gettext_lazy("Preparing the notice to the respondent"),
        gettext_lazy(
            "The panel writes down each allegation and the rules concerned. The reporter agrees to what it discloses "
            "before the respondent receives it."
        ),
    ),
    Stage.RESPONSE: (
        gettext_lazy("Waiting for the respondent's response"),
        gettext_lazy(
            "The respondent has the notice and answers it in writing. Without a response by the deadline, the case "
            "goes on without it."
        ),
    ),
    Stage.INVESTIGATION: (
        gettext_lazy("The investigator is gathering statements and evidence"),
        gettext_lazy("Then the evidence is shared with both parties at the same moment, for them to review."),
    ),
    Stage.EVIDENCE_REVIEW: (
        gettext_lazy("Both parties are reviewing the evidence"),
        gettext_lazy(
            "Each party reads the evidence shared with both and says when they have finished. The review closes "
            "when both have, or at its deadline."
        ),
    ),
    Stage.REPORT: (
        gettext_lazy("Waiting for the investigator's report"),
        gettext_lazy("The report says what was heard, read and found, for the decision-makers and both parties."),
    ),
    Stage.DECISION: (
        gettext_lazy("Waiting for the decision"),
        gettext_lazy(
            "The decision-makers (panelists other than the investigator) decide on each allegation whether it is "
            "proven. Both parties are told at the same moment."
        ),
    ),
    Stage.APPEAL_WINDOW: (
        gettext_lazy("Decided, open to appeal"),
        gettext_lazy(
            "Either party may appeal on the listed grounds until the appeal window closes. Then the decision is "
            "final and takes effect by itself."
        ),
    ),
    Stage.APPEAL: (
        gettext_lazy("The appeal is before the appeals body"),
        gettext_lazy("The appeals body hears it on the complete record. What it decides is final and takes effect."),
    ),
    Stage.FINAL: (
        gettext_lazy("Decided and final"),
        gettext_lazy(
            "The decision has taken effect and can no longer be appealed. Only an override or a re-admission, each "
            "citing a carried vote of the body the bylaws empower, changes it, and each is on the record."
        ),
    ),
    Stage.AGREEMENT: (
        gettext_lazy("An informal agreement is in force"),
        gettext_lazy(
            "Each side keeps its obligations by their dates. When all are met, the case closes; one not met sends "
            "the case on as a formal case."
        ),
    ),
    Stage.CLOSED: (gettext_lazy("Closed"), gettext_lazy("Nothing more happens in this case.")),
}
# Where the case stands, said to the party the stage waits on or speaks of ("you", not "the respondent").
PARTY_STANDINGS: dict[tuple[str, str], tuple["StrOrPromise", "StrOrPromise"]] = {
    (PartyRole.RESPONDENT, Stage.RESPONSE): (
        gettext_lazy("Waiting for your response"),
        gettext_lazy(
            "You have the notice and answer it in writing. If you do not respond by the deadline, the case goes on "
            "without your response."
        ),
    ),
    (PartyRole.REPORTER, Stage.NOTICE): (
        STANDINGS[Stage.NOTICE][0],
        gettext_lazy(
            "The panel writes down each allegation and the rules concerned. You agree to what it discloses before "
            "the respondent receives it."
        ),
    ),
    (PartyRole.RESPONDENT, Stage.APPEAL_WINDOW): (
        STANDINGS[Stage.APPEAL_WINDOW][0],
        gettext_lazy(
            "You may appeal on the listed grounds until the appeal window closes, and so may the reporter. Then the "
            "decision is final and takes effect by itself."
        ),
    ),
    (PartyRole.REPORTER, Stage.APPEAL_WINDOW): (
        STANDINGS[Stage.APPEAL_WINDOW][0],
        gettext_lazy(
            "You may appeal on the listed grounds until the appeal window closes, and so may the respondent. Then the "
            "decision is final and takes effect by itself."
        ),
    ),
}
STAGE_DEADLINES: dict[str, str] = {
    Stage.NOTICE: timers.GIVE_NOTICE.code,
    Stage.RESPONSE: timers.RESPONSE.code,
    Stage.EVIDENCE_REVIEW: timers.EVIDENCE_REVIEW.code,
    Stage.REPORT: timers.DECISION_TARGET.code,
    Stage.DECISION: timers.DECISION_TARGET.code,
    Stage.APPEAL_WINDOW: timers.APPEAL_WINDOW.code,
    Stage.APPEAL: timers.APPEAL_DECISION.code,
}


@dataclass(frozen=True)
class Standing:
    """Where the case stands, for the top of its pages: a line, with its deadline, and what happens now."""

    line: str
    explained: "StrOrPromise"


def case_standing(
    case: Case,
    deadlines: list[dict[str, Any]],
    *,
    for_panel: bool = False,
    party_role: str = "",
    appeal_waived_at: datetime | None = None,
) -> Standing:
    """Where ``case`` stands, with the due date of the stage's deadline among ``deadlines`` (those this reader is
    shown); ``for_panel`` adds what the panel alone knows (a withdrawal to decide on); ``party_role``, on a party's
    own page, speaks to them where the stage is theirs; ``appeal_waived_at``: when that party gave up their appeal."""
    line, explained = PARTY_STANDINGS.get((party_role, case.stage), STANDINGS[case.stage])
    draft = case.stage == Stage.NOTICE and process.draft_notice_of(case) is not None
    if draft and process.reporters_yet_to_agree(case) and party_role == PartyRole.REPORTER:
        line = gettext_lazy("Waiting for you to agree to the draft notice")
        explained = gettext_lazy(
            "You read the draft first and agree to what it discloses; then the panel gives it to the respondent."
        )
    elif draft and process.reporters_yet_to_agree(case):
        line = gettext_lazy("Waiting for the reporter to agree to the draft notice")
        explained = gettext_lazy(
            "The reporter reads the draft first and agrees to what it discloses; then the panel gives it to the "
            "respondent."
        )
    if case.stage == Stage.APPEAL_WINDOW and appeal_waived_at is not None:
        line = gettext_lazy("Decided; you gave up your appeal")
        explained = _(
            "You gave up your appeal on %(day)s. The decision becomes final when the appeal window closes, unless "
            "the other party appeals before then."
        ) % {"day": date_format(timezone.localtime(appeal_waived_at), "j F Y")}
    if for_panel and queries.withdrawal_undecided(case=case):
        line = gettext_lazy("The reporter withdrew")
        explained = gettext_lazy(
            "The panel decides whether to close the case, or to go on without the reporter where others are at risk."
        )
    due = next((row for row in deadlines if row["kind"] == STAGE_DEADLINES.get(case.stage)), None)
    if due is None:
        return Standing(line=str(line), explained=explained)
    day = date_format(timezone.localtime(due["due_at"]), "j F Y")
    if due["missed_at"]:
        text = _("%(where)s — it was due %(day)s; the oversight body was told") % {"where": line, "day": day}
    elif case.stage == Stage.APPEAL_WINDOW:
        text = _("%(where)s — until %(day)s") % {"where": line, "day": day}
    else:
        text = _("%(where)s — due %(day)s") % {"where": line, "day": day}
    return Standing(line=text, explained=explained)


# What the page says of each step: folded away, its summary; as the next step, the heading above its form.
STEP_SUMMARIES: dict[str, "StrOrPromise"] = {
    "propose": gettext_lazy("Propose a panelist"),
    "seat": gettext_lazy("Seat the panel"),
    "notice_draft": gettext_lazy("Draft the notice to the respondent"),
    "notice_give": gettext_lazy("Give the notice to the respondent"),
    "notice_delay": gettext_lazy("Hold the notice back"),
    "document": gettext_lazy("Add a document"),
    "redaction": gettext_lazy("Add a redacted copy of a document"),
    "review_open": gettext_lazy("Share the evidence with both parties"),
    "investigation_report": gettext_lazy("File the investigation report"),
    "decision_agree": gettext_lazy("Agree to the decision another decision-maker proposed"),
    "decision": gettext_lazy("Issue the decision"),
    "appeal_record_send": gettext_lazy("Send the panel's record to the appeals body"),
    "challenge_decide": gettext_lazy("Decide a challenge to a panelist"),
    "recuse": gettext_lazy("Step down from this case"),
    "agreement": gettext_lazy("Record the informal agreement"),
    "obligation": gettext_lazy("Record whether an obligation was met"),
    "interim": gettext_lazy("Impose an interim measure on the respondent"),
    "interim_review": gettext_lazy("Review or lift an interim measure"),
    "withdrawal": gettext_lazy("The reporter withdrew: go on, or close the case"),
    "join": gettext_lazy("Join another report to this case"),
    "scope": gettext_lazy("Widen what this investigation examines"),
    "suspend": gettext_lazy("Suspend an official from leadership seats"),
    "informal_consent": gettext_lazy("Try the informal track"),
    "informal_decline": gettext_lazy("Go on as a formal case instead"),
    "notice_agree": gettext_lazy("Agree to the draft notice"),
    "respond": gettext_lazy("Respond to the notice"),
    "party_document": gettext_lazy("Add a statement or evidence"),
    "redaction_agree": gettext_lazy("Agree to a redacted copy"),
    "review_finish": gettext_lazy("Say you have finished reviewing the evidence"),
    "adviser": gettext_lazy("Your adviser"),
    "challenge": gettext_lazy("Challenge a panelist"),
    "appeal": gettext_lazy("Appeal the decision"),
    "appeal_waive": gettext_lazy("Give up your appeal"),
    "appeal_decide": gettext_lazy("Decide the appeal"),
}
# Steps shown within another's block: lifting a measure beside reviewing it, removing an adviser beside naming one.
SHOWN_WITH = {"interim_lift": "interim_review", "adviser_remove": "adviser"}


@dataclass(frozen=True)
class StepBlock:
    """A step as a page shows it: its summary, and the template of its explanation and form."""

    name: str
    summary: "StrOrPromise"
    template: str


def posted_block(request: HttpRequest) -> str:
    """The block of the step that was posted (its form is shown unfolded, with what went wrong)."""
    if request.method != "POST":
        return ""
    name = str(request.POST.get("step", ""))
    return SHOWN_WITH.get(name, name)


def _block(name: str) -> StepBlock:
    return StepBlock(name=name, summary=STEP_SUMMARIES[name], template=f"cases/workspace/steps/{name}.html")


def step_blocks(
    allowed: set[str], *, not_yet: frozenset[str] = frozenset()
) -> tuple[StepBlock | None, list[StepBlock]]:
    """The one next step of this person (what the process waits on that they may take: ``stages.next_step``), and
    every other step open to them, in the table's order. ``not_yet``: steps open to them that the case's records
    say the process does not wait on yet (seating before enough candidates declared, a new draft of a notice the
    reporter has still to answer)."""
    shown = {SHOWN_WITH.get(name, name) for name in allowed}
    following = stages.next_step(shown - not_yet)
    others = [_block(s.name) for s in stages.STEPS if s.name in shown and s.name != following]
    return (_block(following) if following else None), others
