"""The reporting pages: make a report, come back to it, follow it; and the pages of the people who handle reports.

A report opens only with the key unlocked in this browser's session: the account's key, unlocked at sign-in, or an
anonymous reporter's, unlocked with their receipt code. Without it the page says to sign in again.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import get_usage

from rankfile.accounts.mfa import mfa_required_view
from rankfile.cases import policy as case_policy
from rankfile.cases import queries, waiting
from rankfile.cases.actions import intake, measures, panel, retention
from rankfile.cases.forms import EvidenceForm, MeasureForm, MessageForm, ReceiptForm, ReportForm, SendForm
from rankfile.cases.models import Case, CaseKind, Report, ReportPath, ReportStatus, Stage, SupportiveMeasure
from rankfile.deadlines import kinds
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger import receipts, schema
from rankfile.ledger.models import Entry
from rankfile.policy import public_page
from rankfile.vault import documents, sessions
from rankfile.vault.errors import VaultError
from rankfile.vault.keys import UnlockedKey

# Reports started without an account: each makes a key (costly on purpose), so a few per client and a ceiling for
# everyone together. django-ratelimit keeps only counters under hashed keys, gone when their window ends.
ANONYMOUS_STARTS_PER_CLIENT = "10/h"
ANONYMOUS_STARTS_OVERALL = "200/h"

CONTENT_HEADINGS = {
    "what_happened": _lazy("What happened"),
    "when": _lazy("When"),
    "where": _lazy("Where"),
    "who": _lazy("Who was involved"),
    "witnesses": _lazy("Who saw, heard or was told"),
    "wishes": _lazy("What should happen"),
    "contact": _lazy("How to make contact"),
}
INBOX_PAGE_SIZE = 50
_REPORT_PATHS = dict(ReportPath.choices)
_REPORT_STATUSES = dict(ReportStatus.choices)
HANDLER_FORM_LABELS = {"message": _lazy("Message to the reporter"), "note": _lazy("Internal note")}

View = Callable[..., HttpResponseBase]

FINISHED = (ReportStatus.WITHDRAWN, ReportStatus.CLOSED, ReportStatus.DELETED, ReportStatus.PURGED)
SENT = (ReportStatus.SUBMITTED, ReportStatus.ACKNOWLEDGED)
FILE_PROBLEMS = ("too_large", "file_type")  # the vault's refusals of an upload, shown by the file's field
UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|]')
RECEIPT_CODE = re.compile(r"\d{4}(?:-\d{4}){4}")  # as the code is shown (rankfile.vault.keys)


def _locked(message: str) -> VaultError:
    return VaultError(message, code="locked")


def opens_reports(view: View) -> View:
    """When no key is unlocked in this browser, say how to get it back instead of refusing."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except VaultError as error:
            if error.code != "locked":
                raise
            if request.headers.get("HX-Request"):
                return render(request, "cases/save_status.html", {"problem": _("Not saved: sign in again.")})
            return render(request, "cases/locked.html", status=403)

    return wrapper


def _reporter_report(request: HttpRequest, pk: int) -> tuple[Report, UnlockedKey]:
    key = sessions.unlocked_key(request)
    report = queries.report_for_reporter(pk=pk, user=request.user, key=key)
    if key is None or not case_policy.holds_reporter_key(report, key):
        raise _locked(_("Sign in again to open your reports."))
    return report, key


def _deadline_rows(report: Report) -> list[dict[str, Any]]:
    return [
        {"kind": deadline.kind, "label": kinds.kind_of(deadline.kind).label, "due_at": deadline.due_at}
        for deadline in queries.open_deadlines(report=report)
    ]


def _around(request: HttpRequest) -> dict[str, Any]:
    """What every reporter's page shows around its own content: support, the bodies of each path, and whether this
    browser holds an anonymous reporter's key (then the page offers to end the session)."""
    day = timezone.localdate()
    return {
        "support": queries.support_resources(day=day),
        "bodies": queries.reporting_bodies(day=day),
        "anonymous_session": not request.user.is_authenticated and sessions.unlocked_key(request) is not None,
    }


def file_problem(error: VaultError) -> str:
    """The vault's words for a refused upload, as a sentence."""
    text = capfirst(str(error.message).strip().rstrip("."))
    return f"{text}."


def _upload_refused(error: VaultError, form: forms.Form, field: str) -> None:
    if error.code not in FILE_PROBLEMS:
        raise error
    form.add_error(field, file_problem(error))


def download_name(name: str) -> str:
    """The sealed file name, safe to offer for saving: no control or direction characters, no path, no quotes."""
    printable = "".join(character for character in name if character.isprintable())
    cleaned = UNSAFE_IN_FILE_NAMES.sub("_", printable).strip(" .")
    return cleaned[:150] or "file"


def download(opened: documents.OpenedFile) -> StreamingHttpResponse:
    """A decrypted file, streamed as it is decrypted, to be saved rather than shown (and never kept in a cache: the
    views are ``never_cache``). Its length is stated, so that a transfer cut short by a changed file is noticed."""
    content_type = opened.content_type or "application/octet-stream"
    if content_type == "text/plain":
        content_type += "; charset=utf-8"
    response = StreamingHttpResponse(opened.chunks, content_type=content_type)
    response["Content-Length"] = str(opened.size)
    response["Content-Disposition"] = content_disposition_header(True, download_name(opened.name)) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _evidence_add(request: HttpRequest, report: Report, key: UnlockedKey) -> tuple[EvidenceForm, bool]:
    """The reporter's upload, sealed onto the report; the form (with the reason where it was refused) and whether the
    file was added."""
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            intake.report_evidence_add(report=report, upload=upload, key=key)
        except InvalidInput as error:
            error.apply_to(form)
        except VaultError as error:
            _upload_refused(error, form, "file")
        else:
            # The file's name is case material: the page lists it from the vault, never a cookie or the sessions.
            messages.success(request, _("Your file was added."))
            return form, True
    return form, False


# --- the reporter's pages ------------------------------------------------------------------------------------------


def _start_limits() -> list[tuple[Any, str]]:
    return [("ip", ANONYMOUS_STARTS_PER_CLIENT), (lambda group, request: "everyone", ANONYMOUS_STARTS_OVERALL)]


def _anonymous_start_allowed(request: HttpRequest) -> bool:
    for key, rate in _start_limits():
        usage = get_usage(request, group="cases.report_start", key=key, rate=rate, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            return False
    for key, rate in _start_limits():
        get_usage(request, group="cases.report_start", key=key, rate=rate, increment=True)
    return True


@never_cache
@opens_reports
@public_page
def report_start(request: HttpRequest) -> HttpResponse:
    """What reporting means and where it can go; then a new draft (with a receipt code, for anyone not signed in)."""
    problem, status = "", 200
    signed_in = bool(request.user.is_authenticated)
    if request.method == "POST":
        if signed_in:
            if sessions.unlocked_key(request) is None:
                raise _locked(_("Sign in again to open your reports."))
            try:
                report, _code, _key = intake.report_start(reporter=request.user)
            except InvalidInput as error:
                problem, status = str(error.message), 400
            else:
                return redirect("cases:report", pk=report.pk)
        elif not _anonymous_start_allowed(request):
            problem, status = _("Too many reports were started from here just now. Wait an hour and try again."), 429
        else:
            report, code, unlocked = intake.report_start(reporter=request.user)
            assert code is not None
            assert unlocked is not None
            # Shown this once, never stored: the response is the only place the code appears.
            response = render(request, "cases/receipt_code.html", {"report": report, "code": code, **_around(request)})
            sessions.session_unlock(request, response, unlocked)
            return response
    context = {
        "problem": problem,
        "signed_in": signed_in,
        "my_reports": (
            queries.reports_of(user=request.user)
            if signed_in
            else queries.reports_of_key(key=sessions.unlocked_key(request))  # opened with a code in this browser
        ),
        **_around(request),
    }
    return render(request, "cases/start.html", context, status=status)


@never_cache
@public_page
def report_receipt(request: HttpRequest) -> HttpResponse:
    """Back to a report made without an account, with its receipt code."""
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and request.user.is_authenticated:
        form.add_error(None, _("You are signed in. Sign out first to open a report made without an account."))
        status = 400
    elif request.method == "POST" and form.is_valid():
        response = HttpResponseRedirect(reverse("cases:report_start"))
        try:
            unlocked = sessions.receipt_unlock(request, response, form.cleaned_data["code"])
        except VaultError as error:
            if error.code == "rate_limited":
                form.add_error(None, _("Too many tries with receipt codes from here. Wait an hour and try again."))
                status = 429
            else:
                form.add_error(
                    "code", _("This code does not open any report. Check each digit and try again: it has 20 digits.")
                )
                status = 400
        else:
            report = queries.reports_of_key(key=unlocked).first()
            if report is not None:
                response["Location"] = reverse("cases:report", args=[report.pk])
            return response
    elif request.method == "POST":
        status = 400
    return render(request, "cases/receipt.html", {"form": form, **_around(request)}, status=status)


RECEIPT_FILE = _lazy(
    "%(site)s: your receipt code\n"
    "\n"
    "%(code)s\n"
    "\n"
    "This code is the only way back to the report you made without an account, on %(date)s.\n"
    "To use it, open %(url)s\n"
    "(\u201cMake a report\u201d, then \u201cI have a receipt code\u201d) and enter it.\n"
    "\n"
    "Nobody can recover it for you. Anyone who has it can read your report and your messages:\n"
    "keep this file where nobody else looks, or delete it once the code is safe.\n"
)


@never_cache
@require_POST
@public_page
def report_receipt_download(request: HttpRequest) -> HttpResponse:
    """The receipt code just shown, as a small text file to keep: the page posts it back, since it is stored nowhere."""
    form = ReceiptForm(request.POST)
    if not form.is_valid() or not RECEIPT_CODE.fullmatch(form.cleaned_data["code"]):
        return redirect("cases:report_start")
    text = str(RECEIPT_FILE) % {
        "site": settings.ORG_NAME,
        "code": form.cleaned_data["code"],
        "date": date_format(timezone.localdate(), "j F Y"),
        "url": request.build_absolute_uri(reverse("cases:report_receipt")),
    }
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, _("receipt code.txt")) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@public_page
def report_session_end(request: HttpRequest) -> HttpResponse:
    """An anonymous reporter closes their report in this browser: the session and its key are gone."""
    response = redirect("cases:report_start")
    if not request.user.is_authenticated:
        sessions.session_lock(request, response)
        request.session.flush()
        messages.success(request, _("This session has ended. Only your receipt code opens your report again."))
    return response


@never_cache
@opens_reports
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft opens in the form; a report recorded or sent shows where it stands."""
    report, key = _reporter_report(request, pk)
    if report.status == ReportStatus.DRAFT:
        return _report_form(request, report, key)
    return _report_status(request, report, key)


@never_cache
@opens_reports
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report, key = _reporter_report(request, pk)
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RECORDED):
        return redirect("cases:report", pk=report.pk)
    return _report_form(request, report, key)


def _saved_at() -> str:
    return _("Saved at %(time)s.") % {"time": time_format(timezone.localtime(), "H:i")}


def _may_delete(report: Report) -> bool:
    return report.path == ReportPath.RECORD_ONLY and report.status in (ReportStatus.DRAFT, ReportStatus.RECORDED)


def _report_form(request: HttpRequest, report: Report, key: UnlockedKey) -> HttpResponse:
    status = 200
    evidence_form = EvidenceForm()
    form: ReportForm | None = None
    if request.method == "POST" and request.POST.get("step") == "evidence":
        evidence_form, added = _evidence_add(request, report, key)
        if added:
            return redirect(request.path)
        status = 400
    elif request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                intake.report_save(report=report, content=form.content(), key=key)
            except InvalidInput as error:
                error.apply_to(form)
            else:
                messages.success(request, _saved_at())
                if "continue" in request.POST:
                    return redirect("cases:report_send", pk=report.pk)
                return redirect(request.path)
        status = 400
    if form is None:
        content = intake.report_content(report=report, key=key, actor=intake.REPORTER, capacity="reporter")
        form = ReportForm(initial=content)
    context = {
        "report": report,
        "form": form,
        "evidence": intake.evidence_open(report=report, key=key, actor=intake.REPORTER, capacity="reporter"),
        "evidence_form": evidence_form,
        "may_delete": _may_delete(report),
        **_around(request),
    }
    return render(request, "cases/report_form.html", context, status=status)


@require_POST
@opens_reports
def report_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft as typed so far (HTMX); answers with the words for the page's status line."""
    report, key = _reporter_report(request, pk)
    if not request.headers.get("HX-Request"):
        return redirect("cases:report", pk=report.pk)
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RECORDED):
        return render(request, "cases/save_status.html", {"problem": _("Not saved: this report was already sent.")})
    form = ReportForm(request.POST, draft=True)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return render(request, "cases/save_status.html", {"problem": _("Not saved: %(why)s") % {"why": first}})
    try:
        intake.report_save(report=report, content=form.content(), key=key)
    except InvalidInput as error:
        return render(request, "cases/save_status.html", {"problem": _("Not saved: %(why)s") % {"why": error.message}})
    return render(request, "cases/save_status.html", {"saved": _saved_at()})


@never_cache
@opens_reports
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose a path (and, for the disciplinary paths, who it is about); then record it or send it."""
    report, key = _reporter_report(request, pk)
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RECORDED):
        return redirect("cases:report", pk=report.pk)
    day = timezone.localdate()
    bodies = queries.reporting_bodies(day=day)
    goes_to = {
        ReportPath.SUPPORT_ONLY: bodies.support_team.name if bodies.support_team else "",
        ReportPath.INFORMAL: bodies.disciplinary.name if bodies.disciplinary else "",
        ReportPath.FORMAL: bodies.disciplinary.name if bodies.disciplinary else "",
        "process": bodies.process_complaints.name if bodies.process_complaints else "",
    }
    form = SendForm(
        request.POST if request.method == "POST" else None,
        members=queries.directory_people(user=request.user, day=day),
        handlers=queries.possible_handlers(day=day),
        recorded=report.status == ReportStatus.RECORDED,
        goes_to={str(path): name for path, name in goes_to.items()},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            path = form.cleaned_data["path"]
            disciplinary = path in (ReportPath.FORMAL, ReportPath.INFORMAL)
            try:
                intake.report_send(
                    report=report,
                    path=path,
                    key=key,
                    respondent=form.cleaned_data.get("respondent"),
                    process_complaint=disciplinary and form.cleaned_data["process_complaint"],
                    named_conflicts=list(form.cleaned_data.get("named_conflicts") or []),
                )
            except InvalidInput as error:
                error.apply_to(form)
            else:
                report.refresh_from_db()
                if path == ReportPath.RECORD_ONLY:
                    messages.success(request, _("Your report is recorded privately. Only you can read it."))
                elif report.handling_body is not None:
                    messages.success(
                        request, _("Your report was sent to the %(body)s.") % {"body": report.handling_body.name}
                    )
                else:
                    messages.success(request, _("Your report was sent."))
                return redirect("cases:report", pk=report.pk)
    context = {"report": report, "form": form, "what_is_missing": "what_happened" in str(form.non_field_errors())}
    return render(request, "cases/send.html", {**context, **_around(request)}, status=status)


FILING = "cases.report_sent"


@never_cache
@opens_reports
@require_GET
def report_filing_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The reporter's filing receipt (and a receipt for each later step of her report): a printable page, and the
    file (``?entry=N&download=1``) that anyone can check at the ledger's receipt page."""
    report, _key = _reporter_report(request, pk)
    steps = queries.ledger_steps(report=report)
    if report.sent_at is None or not any(entry.action == FILING for entry in steps):
        raise Http404
    filing = next(entry for entry in steps if entry.action == FILING)
    chosen: Entry | None = filing
    if request.GET.get("entry", "").isdigit():
        chosen = next((entry for entry in steps if str(entry.seq) == request.GET["entry"]), None)
    if chosen is None:
        raise Http404
    receipt = receipts.issue(seq=chosen.seq)
    if receipt is not None and request.GET.get("download"):
        response = HttpResponse(receipt.to_text(), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="filing-receipt-{chosen.seq}.json"'
        return response
    labels = {entry.seq: schema.label_of(entry.action) for entry in steps}
    context = {
        "report": report,
        "entry": chosen,
        "label": labels[chosen.seq],
        "receipt": receipt,
        "others": [(entry, labels[entry.seq]) for entry in steps if entry.seq != chosen.seq],
        "is_filing": chosen.seq == filing.seq,
        **_around(request),
    }
    return render(request, "cases/filing_receipt.html", context)


def _message_send(request: HttpRequest, form: MessageForm, **kwargs: Any) -> bool:
    """Send the message of a valid ``form`` (with its attachment); problems go onto the form."""
    if not form.is_valid():
        return False
    attachment = form.cleaned_data.get("attachment")
    try:
        intake.message_send(
            text=form.cleaned_data["text"], by=request.user, attachments=[attachment] if attachment else [], **kwargs
        )
    except InvalidInput as error:
        error.apply_to(form)
    except VaultError as error:
        _upload_refused(error, form, "attachment")
    else:
        return True
    return False


def _report_status(request: HttpRequest, report: Report, key: UnlockedKey) -> HttpResponse:
    intake.report_seen(report=report, key=key)
    sent = report.status in SENT
    destroyed = report.destroyed_at is not None
    form = MessageForm() if sent else None
    evidence_form = EvidenceForm() if report.status not in FINISHED else None
    measure_form = MeasureForm() if sent else None
    status = 200
    if request.method == "POST":
        step = request.POST.get("step", "message")
        if step == "message" and form is not None:
            status = 400
            form = MessageForm(request.POST, request.FILES)
            if _message_send(request, form, report=report, key=key):
                messages.success(request, _("Your message was sent."))
                return redirect("cases:report", pk=report.pk)
        elif step == "evidence" and evidence_form is not None:
            status = 400
            evidence_form, added = _evidence_add(request, report, key)
            if added:
                return redirect("cases:report", pk=report.pk)
        elif step == "measure" and measure_form is not None:
            status = 400
            measure_form = MeasureForm(request.POST)
            if measure_form.is_valid():
                try:
                    measures.measure_request(
                        report=report,
                        kind=measure_form.cleaned_data["kind"],
                        details=measure_form.cleaned_data["details"],
                        key=key,
                    )
                except InvalidInput as error:
                    error.apply_to(measure_form)
                else:
                    messages.success(
                        request, _("Your request was sent to the people handling your report. They will decide soon.")
                    )
                    return redirect("cases:report", pk=report.pk)
    thread: list[queries.OpenedMessage] = []
    evidence: list[queries.AttachedFile] = []
    case = report.cases.order_by("pk").first()
    decided_at = None
    if case is not None and case.stage in CASE_DECIDED:
        decided_at = case.decisions.order_by("issued_at", "pk").values_list("issued_at", flat=True).first()
    if not destroyed:
        thread = intake.messages_open(report=report, key=key, actor=intake.REPORTER, capacity="reporter")
        evidence = intake.evidence_open(report=report, key=key, actor=intake.REPORTER, capacity="reporter")
    context = {
        "report": report,
        "steps": queries.steps_of(report=report),
        "deadlines": _deadline_rows(report),
        "handlers": queries.current_handlers(report=report),
        "stepped_aside_at": queries.last_step_down(report=report),
        "thread": thread,
        "evidence": evidence,
        "measures": queries.measures_of(report=report),
        # After the openings above: this page's own are listed too.
        "reads": _reads_said(queries.read_log(report=report), evidence=evidence, thread=thread),
        "form": form,
        "evidence_form": evidence_form,
        "measure_form": measure_form,
        "destroyed": destroyed,
        "may_withdraw": _may_withdraw(report, case),
        "may_rule_out": report.status in SENT and (case is None or case.stage not in CASE_OVER),
        "may_delete": _may_delete(report),
        "case": case,
        "decided_at": decided_at,
        "case_over": case is not None and case.stage in CASE_OVER,
        **_around(request),
    }
    return render(request, "cases/status.html", context, status=status)


# The stages of a case once its decision is issued: a withdrawal of one of its reports no longer applies.
CASE_DECIDED = (Stage.APPEAL_WINDOW, Stage.APPEAL, Stage.FINAL)
CASE_OVER = (*CASE_DECIDED, Stage.CLOSED)


def _may_withdraw(report: Report, case: Case | None) -> bool:
    """A report is withdrawn while nothing is decided on it: not once finished, nor once its case is decided or
    closed."""
    return report.status not in FINISHED and (case is None or case.stage not in CASE_OVER)


def _reads_said(
    reads: list[queries.Read], *, evidence: list[queries.AttachedFile], thread: list[queries.OpenedMessage]
) -> list[tuple[queries.Read, str]]:
    """Each read of her report with what was read, in plain words: a file by the name she can read on this page (her
    own, or one attached to a message to her); a file she cannot read (of an internal note) stays "a file"."""
    added = {file.document_id: file.name for file in evidence if file.name}
    attached = {
        file.document_id: file.name for message in thread for file in message.attachments if file.name is not None
    }
    said: list[tuple[queries.Read, str]] = []
    for read in reads:
        if read.what == "report":
            what = _("Your account of what happened")
        elif read.what == "file" and read.document in added:
            what = _("A document you added: %(name)s") % {"name": added[read.document]}
        elif read.what == "file" and read.document in attached:
            what = _("A file attached to a message: %(name)s") % {"name": attached[read.document]}
        elif read.what == "file":
            what = _("A file")
        elif read.what == "measure":
            what = ngettext("A request for support", "%(count)d requests for support", read.count) % {
                "count": read.count
            }
        else:
            what = ngettext("A message", "%(count)d messages", read.count) % {"count": read.count}
        said.append((read, what))
    return said


@never_cache
@opens_reports
def report_read(request: HttpRequest, pk: int) -> HttpResponse:
    """What the reporter wrote (the latest version); the reading is on the ledger like anyone's."""
    report, key = _reporter_report(request, pk)
    if report.status == ReportStatus.DRAFT or report.destroyed_at is not None:
        return redirect("cases:report", pk=report.pk)
    content = intake.report_content(report=report, key=key, actor=intake.REPORTER, capacity="reporter")
    sections = [(CONTENT_HEADINGS[name], content.get(name, "")) for name in intake.CONTENT_FIELDS]
    return render(request, "cases/report_read.html", {"report": report, "sections": sections, **_around(request)})


@never_cache
@opens_reports
def report_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The consequences first; the withdrawal only when confirmed."""
    report, key = _reporter_report(request, pk)
    if not _may_withdraw(report, report.cases.order_by("pk").first()):
        return redirect("cases:report", pk=report.pk)
    if request.method == "POST":
        intake.report_withdraw(report=report, key=key)
        messages.success(request, _("Your report is withdrawn."))
        return redirect("cases:report", pk=report.pk)
    return render(request, "cases/withdraw.html", {"report": report, **_around(request)})


@never_cache
@opens_reports
def report_conflict(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    """The reporter rules out one of the people handling their report: what follows is said first."""
    report, key = _reporter_report(request, pk)
    if report.status not in SENT or report.cases.filter(stage__in=CASE_OVER).exists():  # decided: too late
        return redirect("cases:report", pk=report.pk)
    person = queries.current_handler(report=report, person_pk=person_pk)
    if request.method == "POST":
        intake.report_conflict_name(report=report, person=person, key=key)
        messages.success(
            request, _("%(name)s no longer handles your report and can no longer open it.") % {"name": person.name}
        )
        return redirect("cases:report", pk=report.pk)
    return render(request, "cases/conflict.html", {"report": report, "person": person, **_around(request)})


@never_cache
@opens_reports
def report_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A private record deleted by its reporter: what is destroyed, and what remains, is said first."""
    report, key = _reporter_report(request, pk)
    if not _may_delete(report):
        return redirect("cases:report", pk=report.pk)
    if request.method == "POST":
        retention.record_delete(report=report, key=key)
        messages.success(request, _("Your record is deleted. What it said, and its files, are destroyed for good."))
        return redirect("cases:report", pk=report.pk)
    return render(request, "cases/delete.html", {"report": report, **_around(request)})


@never_cache
@require_GET
@opens_reports
def report_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    """One of the report's files, for its reporter: the download is a read on the ledger like anyone's."""
    report, key = _reporter_report(request, pk)
    return download(
        intake.report_file_open(report=report, document_pk=file_pk, key=key, actor=intake.REPORTER, capacity="reporter")
    )


# --- the handlers' pages -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _InboxReport:
    url: str
    step_down_url: str
    received: str
    anonymous: bool
    path: str
    about_officials: bool
    status: str
    case_reference: str
    case_url: str
    due: str


def _inbox_time(at: Any) -> str:
    return date_format(timezone.localtime(at), "j F Y, H:i") if at is not None else ""


def _inbox_report(row: queries.InboxReport, report_url: str, case_url: str) -> _InboxReport:
    """A row of the handlers' list as the page shows it: links, dates and names written once here, not by the
    template for each row."""
    return _InboxReport(
        url=f"{report_url}{row.pk}/",
        step_down_url=f"{report_url}{row.pk}/step-down/",
        received=_("Received %(date)s") % {"date": _inbox_time(row.sent_at)},
        anonymous=row.anonymous,
        path=str(_REPORT_PATHS.get(row.path, row.path)),
        about_officials=row.process_complaint,
        status=str(_REPORT_STATUSES.get(row.status, row.status)),
        case_reference=row.case_reference,
        case_url=f"{case_url}{row.case_reference}/" if row.case_reference else "",
        due=_inbox_time(row.due_at) or "—",
    )


@dataclass(frozen=True)
class _InboxCase:
    reference: str
    url: str
    stage: str
    process_investigation: bool


def _rows(page: Page[Any]) -> list[Any]:
    """A page's rows; none asked of the database when its list is empty."""
    return list(page.object_list) if page.paginator.count else []


def _inbox_pages(request: HttpRequest) -> dict[str, str]:
    """The query strings of the two lists' pages: each link keeps the filter and the other list's page."""
    finished = request.GET.get("show") == "finished"
    kept = {"show": "finished"} if finished else {}

    def link(param: str, other: str) -> str:
        here = dict(kept)
        if request.GET.get(other):
            here[other] = request.GET[other]
        return urlencode({**here, param: ""})

    return {"page": link("page", "cases_page"), "cases_page": link("cases_page", "page")}


@login_required
@mfa_required_view
def inbox(request: HttpRequest) -> HttpResponse:
    """Reports sent to the signed-in person to handle, and their cases: open ones, or the finished ones on request;
    a page at a time, whatever their number, each list counted and sliced in the database and its rows read as plain
    values."""
    finished = request.GET.get("show") == "finished"
    if finished or waiting.menu_for(user=request.user)["handles_cases"]:
        reports = queries.reports_to_handle(user=request.user, finished=finished)
        cases = queries.cases_to_handle(user=request.user, finished=finished)
    else:  # the menu's one question (asked for the layout anyway) covers what both open lists ask: both are empty
        reports, cases = Report.objects.none(), Case.objects.none()
    report_page = Paginator(reports.values(*queries.INBOX_REPORT_COLUMNS), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    case_page = Paginator(cases.values_list("reference", "stage", "kind"), INBOX_PAGE_SIZE).get_page(
        request.GET.get("cases_page")
    )
    if report_page.paginator.count or case_page.paginator.count:
        case_policy.require_second_factor(request.user)
    report_url = reverse("cases:handler_report", args=[0]).removesuffix("0/")
    case_url = reverse("cases:workspace", args=["-"]).removesuffix("-/")
    stages = dict(Stage.choices)
    context = {
        "rows": [_inbox_report(row, report_url, case_url) for row in queries.inbox_reports(rows=_rows(report_page))],
        "cases": [
            _InboxCase(
                reference=reference,
                url=f"{case_url}{reference}/",
                stage=str(stages.get(stage, stage)),
                process_investigation=kind == CaseKind.PROCESS,
            )
            for reference, stage, kind in _rows(case_page)
        ],
        "report_page": report_page,
        "case_page": case_page,
        "pages": _inbox_pages(request),
        "finished": finished,
        "made_reports": queries.made_reports(user=request.user),
    }
    return render(request, "cases/inbox.html", context)


def _handler_key(request: HttpRequest, pk: int) -> tuple[Report, UnlockedKey]:
    report = queries.report_for_handler(pk=pk, user=request.user)
    intake.require_handler(report=report, user=request.user)
    key = sessions.unlocked_key(request)
    if key is None:
        raise _locked(_("Sign in again to open the reports you handle."))
    return report, key


def _measure_step(request: HttpRequest, report: Report) -> None:
    """Grant or decline a request for a supportive measure, or continue or end one in place."""
    measure = queries.measure_of(report=report, pk=request.POST.get("measure"))
    decision = request.POST.get("decision", "")
    try:
        if decision in ("grant", "decline"):
            measure = measures.measure_decide(measure=measure, granted=decision == "grant", by=request.user)
        elif decision in ("continue", "end"):
            measure = measures.measure_review(measure=measure, continued=decision == "continue", by=request.user)
        else:
            raise InvalidInput(_("Choose what to do with the request."), code="decision")
    except InvalidInput as error:
        messages.error(request, str(error.message))
        return
    messages.success(request, _measure_done(decision, measure))


def _measure_done(decision: str, measure: SupportiveMeasure) -> str:
    review = date_format(measure.review_on, "j F Y") if measure.review_on else ""
    if decision == "grant":
        return _("Granted, until a review by %(date)s. The reporter is told that there is an update.") % {
            "date": review
        }
    if decision == "continue":
        return _("It continues, until the next review by %(date)s.") % {"date": review}
    if decision == "end":
        return _("Ended. The reporter is told that there is an update.")
    return _("Declined. The reporter is told that there is an update.")


@never_cache
@opens_reports
def handler_step_down(request: HttpRequest, pk: int) -> HttpResponse:
    """A handler with a conflict steps down from a report, from a page that shows nothing of it (not read, not
    recorded as a reading): they lose access at once, and the oversight body's people join if too few remain."""
    report, key = _handler_key(request, pk)
    if request.method == "POST":
        intake.report_step_down(report=report, by=request.user, key=key)
        messages.success(request, _("You stepped down from this report. You can no longer open it."))
        return redirect("cases:inbox")
    return render(request, "cases/step_down.html", {"report": report})


@never_cache
@opens_reports
def handler_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A report for one of its handlers: its content (each reading on the ledger), acknowledgement, its files,
    messages with the reporter, the handlers' own notes and the reporter's requests for supportive measures. Anyone
    else, signed in or not, finds nothing here."""
    report, key = _handler_key(request, pk)
    message_form = MessageForm(prefix="message", label=HANDLER_FORM_LABELS["message"])
    note_form = MessageForm(prefix="note", label=HANDLER_FORM_LABELS["note"])
    status = 200
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step == "acknowledge":
            try:
                intake.report_acknowledge(report=report, by=request.user)
            except InvalidInput as error:
                messages.error(request, str(error.message))
            else:
                messages.success(request, _("Acknowledged. The reporter is told that there is an update."))
            return redirect("cases:handler_report", pk=report.pk)
        if step == "measure":
            _measure_step(request, report)
            return redirect("cases:handler_report", pk=report.pk)
        if step == "open_case":
            try:
                case = panel.case_open(report=report, by=request.user, key=key)
            except InvalidInput as error:
                messages.error(request, str(error.message))
                return redirect("cases:handler_report", pk=report.pk)
            messages.success(request, _("Case %(case)s is open: propose its panel.") % {"case": case.reference})
            return redirect("cases:workspace", reference=case.reference)
        if step in ("message", "note"):
            form = MessageForm(request.POST, request.FILES, prefix=step, label=HANDLER_FORM_LABELS[step])
            if _message_send(request, form, report=report, key=key, internal_note=step == "note"):
                messages.success(
                    request, _("Your message was sent.") if step == "message" else _("Your note was added.")
                )
                return redirect("cases:handler_report", pk=report.pk)
            status = 400
            if step == "message":
                message_form = form
            else:
                note_form = form
    destroyed = report.destroyed_at is not None
    content: dict[str, str] | None = None
    thread: list[queries.OpenedMessage] = []
    notes: list[queries.OpenedMessage] = []
    evidence: list[queries.AttachedFile] = []
    requests: list[tuple[SupportiveMeasure, str | None]] = []
    if not destroyed:
        try:
            content = intake.report_content(report=report, key=key, actor=request.user, capacity="handler")
        except NotAllowed:
            content = None  # this person's key is not among the readers (a new key after a password reset)
        thread = intake.messages_open(report=report, key=key, actor=request.user, capacity="handler")
        notes = intake.messages_open(
            report=report, key=key, actor=request.user, capacity="handler", internal_notes=True
        )
        evidence = intake.evidence_open(report=report, key=key, actor=request.user, capacity="handler")
        requests = [
            (measure, measures.measure_details_open(measure=measure, key=key, actor=request.user, capacity="handler"))
            for measure in queries.measures_of(report=report)
        ]
    context = {
        "report": report,
        "sections": [(CONTENT_HEADINGS[n], (content or {}).get(n, "")) for n in intake.CONTENT_FIELDS],
        "content_opened": content is not None,
        "destroyed": destroyed,
        "steps": queries.steps_of(report=report),
        "deadlines": _deadline_rows(report),
        "handlers": queries.current_handlers(report=report),
        "stepped_aside_at": queries.last_step_down(report=report),
        "thread": thread,
        "notes": notes,
        "evidence": evidence,
        "requests": requests,
        "message_form": message_form,
        "note_form": note_form,
        "may_acknowledge": report.status == ReportStatus.SUBMITTED,
        "case": report.cases.first(),
        "may_open_case": report.status == ReportStatus.ACKNOWLEDGED
        and report.path in (ReportPath.FORMAL, ReportPath.INFORMAL)
        and not report.cases.exists(),
    }
    return render(request, "cases/handler_report.html", context, status=status)


@never_cache
@require_GET
@opens_reports
def handler_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    """One of the report's files (an internal note's too), for one of its handlers; the download is on the ledger."""
    report, key = _handler_key(request, pk)
    return download(
        intake.report_file_open(report=report, document_pk=file_pk, key=key, actor=request.user, capacity="handler")
    )
