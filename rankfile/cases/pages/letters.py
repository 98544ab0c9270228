"""The decision letter, as a PDF, for the panel and the parties.

One letter for everyone who may open it (the panel, the appeals body's people, both parties and their advisers), so
it holds only what all of them may see: the respondent and the panel by name, the reporter never by name (the notice
told the respondent only what the reporter agreed to disclose), the allegations in the notice's words only for a key
that reads the notice. It says where the decision stands on the day it is printed: the time to appeal while it runs,
the dates of the sanctions once the decision is final.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from rankfile import policy
from rankfile.cases import casefiles, meanings, queries, stages
from rankfile.cases.actions import decisions, process
from rankfile.cases.models import Case, Decision, DecisionDraft, DecisionStatus, PanelRole, PartyRole
from rankfile.cases.pages.common import decision_letter, key_or_locked, page_actor, reader_case
from rankfile.cases.pages.party import party_visit
from rankfile.cases.pages.reports import opens_reports
from rankfile.governance import feeds
from rankfile.org.models import MembershipStatus, Person
from rankfile.vault.keys import UnlockedKey

LETTER_DATE = "j F Y"  # the one way the letter writes a date: 7 December 2026


def in_words(day: date | datetime) -> str:
    """A date as the letter writes it; a moment is the day it falls on in the organization's time zone."""
    if isinstance(day, datetime):
        day = timezone.localdate(day)
    return date_format(day, LETTER_DATE)


@dataclass(frozen=True)
class LetterFinding:
    number: int
    text: str  # the allegation in the notice's words; empty for a key that does not read the notice
    provisions: str
    outcome: str
    outcome_sentence: str


@dataclass(frozen=True)
class LetterPanelist:
    name: str
    role: str
    does: str


@dataclass(frozen=True)
class LetterSanction:
    label: str
    terms: list[str]


def _length(*, days: int = 0, years: int = 0) -> str:
    if years:
        return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def sanction_terms(terms: Mapping[str, Any], *, starts_on: date | None) -> list[str]:
    """What a sanction does, in sentences, with its dates once the decision is final (``starts_on``, the day it took
    effect); before that, from the day it will be final. The dates are those ``decisions.finalize`` applies."""
    said: list[str] = []
    status = terms.get("membership_status", "")
    days = int(terms.get("suspension_days", 0) or 0)
    years = int(terms.get("bars_from_office_years", 0) or 0)
    if status == MembershipStatus.SUSPENDED and days and starts_on:
        said.append(
            _("Suspended from membership for %(length)s, from %(start)s until %(end)s.")
            % {
                "length": _length(days=days),
                "start": in_words(starts_on),
                "end": in_words(starts_on + timedelta(days=days)),
            }
        )
    elif status == MembershipStatus.SUSPENDED and days:
        said.append(
            _("Suspended from membership for %(length)s from the day the decision is final.")
            % {"length": _length(days=days)}
        )
    elif status == MembershipStatus.SUSPENDED:
        said.append(_("Suspended from membership, with no end date."))
    elif status == MembershipStatus.EXPELLED:
        said.append(
            _("Expelled from membership on %(start)s.") % {"start": in_words(starts_on)}
            if starts_on
            else _("Expelled from membership on the day the decision is final.")
        )
    elif status:
        said.append(
            _("Membership status becomes “%(status)s”.")
            % {"status": MembershipStatus(status).label if status in MembershipStatus.values else status}
        )
    if terms.get("removes_from_office"):
        said.append(
            _("Removed from every seat held on a body of the organization, on %(start)s.")
            % {"start": in_words(starts_on)}
            if starts_on
            else _("Removed from every seat held on a body of the organization, on the day the decision is final.")
        )
    if years and starts_on:
        said.append(
            _("Barred from office for %(length)s, from %(start)s until %(end)s.")
            % {
                "length": _length(years=years),
                "start": in_words(starts_on),
                "end": in_words(decisions.years_after(starts_on, years)),
            }
        )
    elif years:
        said.append(
            _("Barred from office for %(length)s from the day the decision is final.")
            % {"length": _length(years=years)}
        )
    if not said:
        said.append(_("It is on record; it changes neither membership nor seats."))
    return said


def _findings(letter: Mapping[str, Any], notice: Mapping[str, Any]) -> list[LetterFinding]:
    texts = {int(a["number"]): a for a in notice.get("allegations", [])}
    return [
        LetterFinding(
            number=int(number),
            text=texts.get(int(number), {}).get("text", ""),
            provisions=texts.get(int(number), {}).get("provisions", ""),
            outcome=meanings.label("finding", outcome),
            outcome_sentence=meanings.sentence("finding", outcome),
        )
        for number, outcome in sorted(letter.get("findings", {}).items(), key=lambda pair: int(pair[0]))
    ]


def _notice(case: Case, *, key: UnlockedKey, actor: Any, capacity: str) -> dict[str, Any]:
    """The notice as given, for a key that reads it (its opening a read on the ledger); nothing for any other."""
    item = process.given_notice(case)
    if item is None or not policy.allows(key, "cases.read_document", item):
        return {}
    return dict(json.loads(casefiles.open_text(item=item, key=key, actor=actor, capacity=capacity)))


def _appeal(case: Case, decision: Decision) -> dict[str, Any]:
    """The time to appeal, the grounds, how to appeal, and what became of any appeal of this decision."""
    window = queries.case_deadline_latest(case=case, kind=decisions.APPEAL_WINDOW.code)
    return {
        "open": decision.status == DecisionStatus.ISSUED and not decision.on_appeal,
        "until": in_words(window.due_at) if window is not None and not decision.on_appeal else "",
        "grounds": [meanings.meaning("appeal_ground", ground) for ground in decisions.GROUNDS],
        "step": stages.step_named("appeal").label,
        "waive_step": stages.step_named("appeal_waive").label,
        "page_url": settings.BASE_URL + reverse("cases:party_case", args=[case.reference]),
        "receipt_url": settings.BASE_URL + reverse("cases:report_receipt"),
        "lodged": [
            {
                "on": in_words(appeal.lodged_at),
                "by": PartyRole(appeal.by_role).label,
                "grounds": [meanings.label("appeal_ground", ground) for ground in appeal.grounds],
                "outcome": meanings.sentence("appeal_outcome", appeal.outcome) if appeal.outcome else "",
                "decided_on": in_words(appeal.decided_at) if appeal.decided_at else "",
            }
            for appeal in queries.decision_appeals(decision=decision)
        ],
    }


def _agreed_by(decision: Decision) -> list[Person]:
    """Who agreed to the decision another decision-maker proposed, in the order they agreed; none for a decision made
    by one decision-maker alone, or on appeal."""
    draft = DecisionDraft.objects.filter(decision=decision).first()
    if draft is None:
        return []
    agreements = draft.agreements.exclude(person_id=decision.decided_by_id).select_related("person")
    return [agreement.person for agreement in agreements.order_by("agreed_at", "pk")]


def _panel(decision: Decision) -> list[LetterPanelist]:
    """Who sat when the decision was made, and what each did in it: a decision-maker is said to have decided only if
    they did (issued it, or proposed it), to have agreed only if they did, and otherwise to have taken no part."""
    agreed = {person.pk for person in _agreed_by(decision)}
    rows = []
    for member in queries.decision_panel(decision=decision):
        does = meanings.sentence("panel_role", member.role)
        if member.role == PanelRole.DECISION_MAKER and member.person_id != decision.decided_by_id:
            if member.person_id in agreed:
                does = _("Agreed to the decision as it was proposed.")
            else:
                does = _("Took no part in this decision.")
        rows.append(LetterPanelist(name=member.person.name, role=meanings.label("panel_role", member.role), does=does))
    return rows


def letter_html(case: Case, decision: Decision, *, key: UnlockedKey, actor: Any, capacity: str) -> str:
    """The decision letter as HTML, for WeasyPrint. Opening the letter, and the notice for its allegations' words, is
    a read on the ledger."""
    letter = json.loads(
        casefiles.open_text(item=decision_letter(case, decision), key=key, actor=actor, capacity=capacity)
    )
    notice = _notice(case, key=key, actor=actor, capacity=capacity)
    starts_on = timezone.localdate(decision.final_at) if decision.final_at else None
    today = timezone.localdate()
    standard = letter.get("standard_of_proof") or decision.standard_of_proof
    return render_to_string(
        "cases/workspace/decision_letter.html",
        {
            "case": case,
            "decision": decision,
            "org_name": settings.ORG_NAME,
            "issued_on": in_words(decision.issued_at),
            "printed_on": in_words(today),
            "status": meanings.sentence("decision_status", decision.status),
            "final_on": in_words(starts_on) if starts_on else "",
            "overrides": [
                {"on": in_words(o.made_at), "body": o.body.name, "vote": o.vote_reference}
                for o in queries.decision_overrides(decision=decision)
            ],
            "reporters": case.parties.filter(role=PartyRole.REPORTER).count(),
            "respondent": case.respondent.name if case.respondent else "",
            "panel": _panel(decision),
            "decided_by": decision.decided_by.name,
            "agreed_by": [person.name for person in _agreed_by(decision)],
            "standard": meanings.meaning("standard_of_proof", standard),
            "findings": _findings(letter, notice),
            "rationale": letter.get("rationale", ""),
            "sanctions": [
                LetterSanction(label=s.label, terms=sanction_terms(s.terms, starts_on=starts_on))
                for s in decision.sanctions.order_by("pk")
            ],
            "appeal": _appeal(case, decision),
            "support": queries.support_resources(day=today),
        },
    )


def _letter_pdf(case: Case, decision: Decision, *, key: UnlockedKey, actor: Any, capacity: str) -> HttpResponse:
    """The decision letter as a PDF: opening it is a read on the ledger, and it is never kept in a cache."""
    html = letter_html(case, decision, key=key, actor=actor, capacity=capacity)
    issued = timezone.localdate(decision.issued_at).isoformat()
    kind = "decision-on-appeal" if decision.on_appeal else "decision"
    response = feeds.pdf_response(html, filename=f"{case.reference}-{kind}-{issued}.pdf")
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
