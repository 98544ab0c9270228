"""A party's page of their own case, and the page where a party's adviser, asked, accepts or declines."""

from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rankfile import policy
from rankfile.cases import casefiles, queries, stages, waiting
from rankfile.cases import policy as case_policy
from rankfile.cases.actions import decisions, informal, panel, process
from rankfile.cases.models import (
    Case,
    CaseDocument,
    CaseDocumentKind,
    Obligation,
    PanelMember,
    PanelStatus,
    Party,
    PartyRole,
    Track,
)
from rankfile.cases.pages.common import (
    NOT_DONE,
    PARTY_DEADLINES,
    RESPONDENT_DEADLINES,
    Forms,
    Page,
    StepHandler,
    case_standing,
    deadline_rows,
    decision_rows,
    key_or_locked,
    measure_rows,
    not_valid,
    opened_documents,
    page_actor,
    panel_rows,
    posted_block,
    refused_step,
    roles_explained,
    run_posted_step,
    step_blocks,
    through_form,
    timeline_rows,
)
from rankfile.cases.pages.reports import download, opens_reports
from rankfile.cases.workspace_forms import (
    AdviserEmailForm,
    AdviserForm,
    AppealForm,
    ChallengeForm,
    PartyDocumentForm,
    ResponseForm,
)
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.org.models import Person
from rankfile.vault import sessions
from rankfile.vault.keys import UnlockedKey


def party_visit(request: HttpRequest, reference: str) -> tuple[Case, Party, UnlockedKey]:
    """The case and the visitor's side of it: with the key unlocked in this browser (a receipt code's, or the
    account's). Without a key, the page says how to get it back, whatever the reference."""
    key = key_or_locked(request)
    case = queries.case_by_reference(reference=reference)
    party = case_policy.require_party(case, key)
    return case, party, key


def _is_own(party: Party, request: HttpRequest) -> bool:
    """The party themselves, signed in (not their adviser, not a receipt code)."""
    return case_policy.is_party_themselves(party, user=request.user, key=None)


def _is_self(party: Party, request: HttpRequest, key: UnlockedKey) -> bool:
    """The party themselves: signed in, or a reporter without an account holding their receipt code's key (never
    their adviser)."""
    return case_policy.is_party_themselves(party, user=request.user, key=key)


class _Records:
    """What a party's page reads of the case, each asked once per view (and again after a posted step): its
    documents, its panel and its obligations. The steps open to the party and the page's text are worked out from
    these lists, which belong to the one case."""

    def __init__(self, case: Case) -> None:
        self.case = case

    @cached_property
    def documents(self) -> list[CaseDocument]:
        return list(queries.case_documents(case=self.case))

    @cached_property
    def panel(self) -> list[PanelMember]:
        return list(queries.panel_of(case=self.case))

    @cached_property
    def obligations(self) -> list[Obligation]:
        return list(queries.case_obligations(case=self.case))

    @property
    def challengeable(self) -> list[PanelMember]:
        return [m for m in self.panel if m.status in (PanelStatus.PROPOSED, PanelStatus.SEATED)]

    def redaction_to_agree(self) -> bool:
        return any(d.kind == CaseDocumentKind.REDACTED and d.reporter_agreed_at is None for d in self.documents)

    def draft_notice(self) -> bool:
        """Whether a draft of the notice waits (``process.draft_notice_of``: one not given yet)."""
        return any(d.kind == CaseDocumentKind.NOTICE and d.shared_at is None for d in self.documents)


def _party_allowed(case: Case, records: _Records, party: Party, request: HttpRequest, key: UnlockedKey) -> set[str]:
    allowed = stages.open_at(case.stage, stages.PARTY)
    themselves = _is_self(party, request, key)
    if (
        case.track != Track.INFORMAL
        or not themselves
        or party.consented_to_informal_at is not None
        or records.obligations
    ):
        allowed.discard("informal_consent")
    if case.track != Track.INFORMAL or not themselves:
        allowed.discard("informal_decline")
    if party.role != PartyRole.RESPONDENT:
        allowed.discard("respond")
    if party.role != PartyRole.REPORTER or not records.redaction_to_agree():
        allowed.discard("redaction_agree")
    if party.role != PartyRole.REPORTER or party.notice_agreed_at is not None or not records.draft_notice():
        allowed.discard("notice_agree")
    if not themselves:
        allowed -= {"adviser", "review_finish", "appeal_waive"}  # the party's own choices, not an adviser's
    if party.review_done_at is not None:
        allowed.discard("review_finish")
    if party.appeal_waived_at is not None:
        allowed -= {"appeal_waive", "appeal"}
    if "adviser" not in allowed or party.adviser_id is None:
        allowed.discard("adviser_remove")
    if not records.challengeable:
        allowed.discard("challenge")
    return allowed


def _challengeable(case: Case) -> Any:
    return queries.panel_of(case=case).filter(status__in=[PanelStatus.PROPOSED, PanelStatus.SEATED])


def _party_forms(case: Case, party: Party, request: HttpRequest, *, posted: str = "") -> Forms:
    """The party's forms, unbound (or, for the step ``posted``, bound to what was posted), each made when the page
    first asks for it."""

    def bound(step: str) -> dict[str, Any]:
        return {"data": request.POST, "files": request.FILES} if step == stages.form_of(posted) else {}

    def adviser() -> forms.Form:
        if party.person is None:
            return AdviserEmailForm(prefix="adviser", **bound("adviser"))
        search_url = reverse("cases:party_adviser_search", args=[case.reference])
        return AdviserForm(search_url=search_url, prefix="adviser", **bound("adviser"))

    return Forms(
        {
            "response": lambda: ResponseForm(prefix="response", **bound("response")),
            "document": lambda: PartyDocumentForm(prefix="document", **bound("document")),
            "adviser": adviser,
            "challenge": lambda: ChallengeForm(members=_challengeable(case), prefix="challenge", **bound("challenge")),
            "appeal": lambda: AppealForm(prefix="appeal", **bound("appeal")),
        }
    )


def _response(page: Page) -> str | None:
    sent = through_form(
        page,
        "respond",
        lambda data: process.response_file(case=page.case, text=data["text"], key=page.key, by=page.user),
    )
    if sent is NOT_DONE:
        return None
    return _("Your response was sent to the panel.")


def _party_document(page: Page) -> str | None:
    added = through_form(
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
        not_valid(page, "adviser")
        return None
    adviser = _named_adviser(page, form)
    if adviser is None:
        return None
    try:
        panel.adviser_name(case=page.case, adviser=adviser, key=page.key, by=page.user)
    except InvalidInput as error:
        refused_step(page, "adviser", form, error)
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
    done = through_form(
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
    done = through_form(
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
    """A party's page of their own case: where it stands and their next step, then what is addressed to them, then
    what else they can do, their deadlines and every step of the case."""
    case, party, key = party_visit(request, reference)
    records = _Records(case)
    page = Page(request=request, case=case, key=key, allowed=_party_allowed(case, records, party, request, key))
    status = 200
    if request.method == "POST":
        page.forms = _party_forms(case, party, request, posted=request.POST.get("step", ""))
        checking = _response_check(page)
        if checking == "confirm":
            return _response_confirm(request, case, party, page)
        if checking != "change":
            done = run_posted_step(page, PARTY_HANDLERS)
            if done is not None:
                messages.success(request, done)
                return redirect("cases:party_case", reference=case.reference)
            status = 400
            case.refresh_from_db()
            party.refresh_from_db()
            records = _Records(case)
            page.allowed = _party_allowed(case, records, party, request, key)
    else:
        page.forms = _party_forms(case, party, request)
    wanted = PARTY_DEADLINES + (RESPONDENT_DEADLINES if party.role == PartyRole.RESPONDENT else ())
    # And the timer of each step open to the party, the due date the home page gives it (the reporter's agreement
    # to the notice has the notice's).
    wanted += tuple(waiting.ASKED[name].timer for name in sorted(page.allowed) if name in waiting.ASKED)
    documents = opened_documents(
        case, key=key, actor=page_actor(request), capacity=party.role, own_only=True, items=records.documents
    )
    deadlines = deadline_rows(case, wanted)
    next_block, other_blocks = step_blocks(page.allowed)
    rows = panel_rows(case, members=records.challengeable)
    issued = decision_rows(case)
    letters_read = {d.item.document_id for d in documents if d.readable}  # the party's documents, each read already
    context = {
        "case": case,
        "party": party,
        "standing": case_standing(case, deadlines, party_role=party.role, appeal_waived_at=party.appeal_waived_at),
        "next_block": next_block,
        "other_blocks": other_blocks,
        "posted_step": posted_block(request),
        "roles_explained": roles_explained(rows),
        "allowed": page.allowed,
        "forms": page.forms,
        "problem": page.problem,
        "timeline": timeline_rows(case),
        "documents": documents,
        "redactions": [d for d in documents if d.item.kind == CaseDocumentKind.REDACTED and d.readable],
        "deadlines": deadlines,
        "panel_rows": rows,
        "decisions": [d for d in issued if d.letter_id in letters_read],
        "decided": bool(issued),
        "pdf_url_name": "cases:party_decision_pdf",
        "file_url_name": "cases:party_file",
        "is_own": _is_own(party, request),
        "informal": case.track == Track.INFORMAL or bool(records.obligations),
        "obligations": records.obligations,
        "measures": measure_rows(case, person=case.respondent) if case.respondent_id else [],
        "adviser_matches": _adviser_suggestions(request, case, party),
        **_surroundings(request, respondent=party.role == PartyRole.RESPONDENT),
    }
    return render(request, "cases/workspace/party.html", context, status=status)


def _surroundings(request: HttpRequest, *, respondent: bool = False) -> dict[str, Any]:
    """What a reporter's pages show around their content, on a party's page too: the way out and support (for the
    respondent, what is meant for him: never the survivors' caucuses)."""
    day = timezone.localdate()
    return {
        "support": None if respondent else queries.support_resources(day=day),
        "respondent_support": queries.respondent_support(day=day) if respondent else None,
        "anonymous_session": not request.user.is_authenticated,  # a receipt code's key opened this page
    }


def _response_check(page: Page) -> str:
    """A response goes only once the respondent saw what will be sent: "confirm" (show it, to send or to change),
    "change" (the form again, with the text), or "" (send it now, or let the step say what is wrong)."""
    if page.post.get("step") != "respond" or "respond" not in page.allowed or page.post.get("confirm") == "yes":
        return ""
    if page.post.get("change"):
        return "change"
    form = page.forms["response"]
    return "confirm" if form.is_valid() and form.cleaned_data["text"].strip() else ""  # the action says what is wrong


def _response_confirm(request: HttpRequest, case: Case, party: Party, page: Page) -> HttpResponse:
    context = {
        "case": case,
        "party": party,
        "text": page.forms["response"].cleaned_data["text"],
        **_surroundings(request, respondent=party.role == PartyRole.RESPONDENT),
    }
    return render(request, "cases/workspace/respond_confirm.html", context)


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
    case, party, key = party_visit(request, reference)
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
    case, party, key = party_visit(request, reference)
    item = queries.case_document(case=case, pk=pk)
    if not item.is_file:
        raise NotAllowed("no such file")
    return download(casefiles.open_file(item=item, key=key, actor=page_actor(request), capacity=party.role))


@never_cache
def my_cases(request: HttpRequest) -> HttpResponse:
    """The cases in which the visitor is a party, or a party's adviser."""
    key = sessions.unlocked_key(request)
    if not request.user.is_authenticated and key is None:
        return redirect_to_login(request.get_full_path())
    rows = list(queries.cases_as_party(user=request.user, key=key))
    return render(request, "cases/workspace/mine.html", {"cases": rows, "locked": key is None})


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
                panel.adviser_accept(party=party, key=key_or_locked(request), by=request.user)
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
