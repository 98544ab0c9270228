"""Transparency report pages: thin. Each parses, calls an action or a query, and renders; access is decided in
policy.py."""

import csv
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from rankfile import policy
from rankfile.errors import InvalidInput
from rankfile.governance import feeds
from rankfile.policy import public_page
from rankfile.transparency import actions, queries
from rankfile.transparency.figures import transparency_rules
from rankfile.transparency.forms import DraftForm, PublishForm
from rankfile.transparency.models import TransparencyReport
from rankfile.transparency.periods import periods_begun
from rankfile.transparency.sections import report_sections

# Each code, for machines, beside its words, for people (docs/transparency.md, "The spreadsheet").
CSV_COLUMNS = [
    "section",
    "section in words",
    "row",
    "row in words",
    "column",
    "column in words",
    "value",
    "note",
]


def _periods_to_draft() -> list[tuple[str, str]]:
    today = timezone.localdate()
    return periods_begun(months=int(transparency_rules(day=today)["period_months"]), today=today)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    may_draft = policy.allows(request.user, "transparency.draft")
    form = DraftForm(request.POST or None, periods=_periods_to_draft()) if may_draft else None
    if request.method == "POST":
        policy.require(request.user, "transparency.draft")
        assert form is not None
        if form.is_valid():
            try:
                report = actions.report_draft(period=form.cleaned_data["period"], by=request.user)
            except InvalidInput as exc:
                exc.apply_to(form)
            else:
                messages.success(
                    request, _("The report is drafted. Read it, then put it to the body that publishes it.")
                )
                return redirect("transparency:report_detail", pk=report.pk)
    context = {"reports": queries.reports_for(user=request.user), "form": form}
    return render(request, "transparency/report_list.html", context, status=400 if form and form.errors else 200)


def _report_context(report: TransparencyReport, *, public: bool) -> dict[str, Any]:
    prefix = "transparency:public_" if public else "transparency:report_"
    return {
        "report": report,
        "sections": report_sections(report),
        "public": public,
        "pdf_url": reverse(prefix + "pdf", kwargs={"pk": report.pk}),
        "csv_url": reverse(prefix + "csv", kwargs={"pk": report.pk}),
        "org_name": settings.ORG_NAME,
    }


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = queries.report_for(user=request.user, pk=pk)
    context = {
        **_report_context(report, public=False),
        "may_publish": policy.allows(request.user, "transparency.publish", report),
    }
    return render(request, "transparency/report_detail.html", context)


def _pdf(report: TransparencyReport, *, public: bool) -> HttpResponse:
    # The printed report has the tables alone: the charts repeat their numbers, and take a third of the time.
    context = {**_report_context(report, public=public), "printing": True}
    html = render_to_string("transparency/report_print.html", context)
    return feeds.pdf_response(html, filename=f"transparency-{report.period}.pdf")


def _csv(report: TransparencyReport) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="transparency-{report.period}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for section in report_sections(report):
        for row in section.csv_rows:
            cells = [section.key, section.title, *row, *[""] * (len(CSV_COLUMNS) - 2 - len(row))]
            writer.writerow([feeds.spreadsheet_safe(cell) for cell in cells])
    return response


@login_required
@require_safe
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf(queries.report_for(user=request.user, pk=pk), public=False)


@login_required
@require_safe
def report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return _csv(queries.report_for(user=request.user, pk=pk))


@login_required
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = queries.report_for(user=request.user, pk=pk)
    policy.require(request.user, "transparency.publish", report)
    votes = queries.votes_to_publish(report=report)
    form = PublishForm(request.POST or None, votes=votes)
    if request.method == "POST" and form.is_valid():
        try:
            actions.report_publish(
                report=report,
                vote_reference=form.cleaned_data["vote"].reference,
                audience=form.cleaned_data["audience"],
                by=request.user,
            )
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("The report is published, as it was drafted."))
            return redirect("transparency:report_detail", pk=report.pk)
    context = {"report": report, "form": form, "no_vote_yet": not votes}
    return render(request, "transparency/report_publish.html", context, status=400 if form.errors else 200)


@public_page
def public_list(request: HttpRequest) -> HttpResponse:
    return render(request, "transparency/public_list.html", {"reports": queries.public_reports()})


@public_page
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = queries.public_report(pk=pk)
    return render(request, "transparency/report_detail.html", _report_context(report, public=True))


@public_page
@require_safe
def public_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf(queries.public_report(pk=pk), public=True)


@public_page
@require_safe
def public_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return _csv(queries.public_report(pk=pk))
