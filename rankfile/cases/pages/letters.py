"""The decision letter, as a PDF, for the panel and the parties."""

import json
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from rankfile import policy
from rankfile.cases import casefiles, queries
from rankfile.cases.actions import process
from rankfile.cases.models import (
    Case,
    Decision,
)
from rankfile.cases.pages.common import decision_letter, key_or_locked, page_actor, reader_case
from rankfile.cases.pages.party import party_visit
from rankfile.cases.pages.reports import opens_reports
from rankfile.governance import feeds
from rankfile.vault.keys import UnlockedKey


def _letter_pdf(case: Case, decision: Decision, *, key: UnlockedKey, actor: Any, capacity: str) -> HttpResponse:
    """The decision letter as a PDF: opening it is a read on the ledger, and it is never kept in a cache."""
    item = decision_letter(case, decision)
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
    case, capacity = reader_case(request, reference)
    decision = queries.case_decision(case=case, pk=pk)
    return _letter_pdf(case, decision, key=key_or_locked(request), actor=request.user, capacity=capacity)


@require_GET
@opens_reports
def party_decision_pdf(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, party, key = party_visit(request, reference)
    decision = queries.case_decision(case=case, pk=pk)
    policy.require(key, "cases.read_document", decision_letter(case, decision))  # addressed to this party
    return _letter_pdf(case, decision, key=key, actor=page_actor(request), capacity=party.role)
