"""What waits for a person in reports and cases: the next step of each case that is theirs to take, with its due
date, on the page where it is taken. Reads only (import-linter keeps it from importing the actions)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Exists, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from rankfile import policy
from rankfile.cases import policy as case_policy
from rankfile.cases import queries, stages, timers
from rankfile.cases.models import (
    Case,
    CaseDocumentKind,
    PanelMember,
    PanelStatus,
    Party,
    PartyRole,
    Report,
    ReportStatus,
    Stage,
)
from rankfile.vault.keys import UnlockedKey
from rankfile.waiting import Item

# What the process waits on from the people running a case, at each stage: the step, what to call it, and the
# timer whose due date it has. A step the person's rule does not allow (only decision-makers decide) is left out.
PANEL_NEXT: dict[str, tuple[str, Any, str]] = {
    Stage.PANEL: ("seat", _("Choose the panel (the people who investigate and decide)"), ""),
    Stage.NOTICE: (
        "notice_give",
        _("Draft the notice, have the reporter agree, then give it"),
        timers.GIVE_NOTICE.code,
    ),
    Stage.INVESTIGATION: ("review_open", _("Investigate, then share the evidence with both parties"), ""),
    Stage.REPORT: ("investigation_report", _("File the investigation report"), ""),
    Stage.DECISION: ("decision", _("Decide and issue the decision"), timers.DECISION_TARGET.code),
    Stage.AGREEMENT: ("agreement", _("Record the informal agreement"), ""),
}


# Reports to acknowledge, and cases, listed at most on the home page (each asks a few questions of its own).
LISTED_AT_MOST = 10


def _due(case: Case, code: str) -> Any:
    """When the case's open timer of kind ``code`` is due (None for no code or no such timer)."""
    found = queries.case_deadlines(case=case, kinds=(code,)) if code else []
    return found[0].due_at if found else None


def _case_words(case: Case) -> str:
    return str(_("Case %(reference)s") % {"reference": case.reference})


def _as_runner(case: Case, user: Any) -> list[Item]:
    url = reverse("cases:workspace", args=[case.reference])
    if case.stage == Stage.APPEAL:
        items = []
        appeal = case.appeals.order_by("-pk").first()
        if appeal is not None and appeal.record_sent_at is None and policy.allows(user, "cases.sit_on_case", case):
            what = _("Send the panel's record to the appeals body")
            items.append(Item(what, _case_words(case), url, _due(case, timers.SEND_RECORD.code)))
        return items
    step_name, what, code = PANEL_NEXT.get(case.stage, ("", "", ""))
    if not step_name or not policy.allows(user, stages.step_named(step_name).rule, case):
        return []
    return [Item(what, _case_words(case), url, _due(case, code))]


def _as_party(case: Case, party: Party) -> list[Item]:
    url = reverse("cases:party_case", args=[case.reference])
    where = _case_words(case)
    if case.stage == Stage.NOTICE and party.role == PartyRole.REPORTER and party.notice_agreed_at is None:
        drafted = case.documents.filter(kind=CaseDocumentKind.NOTICE, shared_at__isnull=True).exists()
        if drafted:
            why = _("The respondent is not told anything until you agree.")
            return [
                Item(_("Read the draft notice and agree to it"), where, url, _due(case, timers.GIVE_NOTICE.code), why)
            ]
    if case.stage == Stage.RESPONSE and party.role == PartyRole.RESPONDENT:
        why = _("If you do not respond in time, the case goes on without your response.")
        return [Item(_("Send your response to the notice"), where, url, _due(case, timers.RESPONSE.code), why)]
    if case.stage == Stage.EVIDENCE_REVIEW and party.review_done_at is None:
        what = _("Review the evidence, then say you have finished")
        return [Item(what, where, url, _due(case, timers.EVIDENCE_REVIEW.code))]
    appealed = case.appeals.filter(by_role=party.role).exists()
    if case.stage == Stage.APPEAL_WINDOW and party.appeal_waived_at is None and not appealed:
        why = _("When the time is up, the decision is final and takes effect.")
        due = _due(case, timers.APPEAL_WINDOW.code)
        return [Item(_("Appeal the decision, or say you will not"), where, url, due, why)]
    return []


def waiting_for(*, user: Any, key: UnlockedKey | None = None) -> list[Item]:
    """Everything in reports and cases that waits for ``user`` (unordered: ``rankfile.waiting.in_order``)."""
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[Item] = []
    to_acknowledge = Report.objects.filter(
        case_policy.handled_reports_q(user), status=ReportStatus.SUBMITTED
    ).distinct()
    soonest = list(queries.soonest_first(to_acknowledge)[: LISTED_AT_MOST + 1])
    for report in soonest[:LISTED_AT_MOST]:
        sent = timezone.localtime(report.sent_at) if report.sent_at else None
        items.append(
            Item(
                _("Acknowledge a report"),
                str(_("A report sent on %(day)s") % {"day": date_format(sent, "j F Y")}) if sent else "",
                reverse("cases:handler_report", args=[report.pk]),
                report.next_due,
            )
        )
    proposed = PanelMember.objects.filter(
        person__user_id=user.pk, status=PanelStatus.PROPOSED, declared_at__isnull=True
    ).exclude(case__stage__in=[Stage.FINAL, Stage.CLOSED])
    for member in proposed.select_related("case"):
        items.append(
            Item(
                _("Say whether you have a conflict of interest"),
                _case_words(member.case),
                reverse("cases:panel_declaration", args=[member.case.reference]),
                why=_("You were proposed for the panel. You see nothing of the case before you answer."),
            )
        )
    cases = list(queries.soonest_first(queries.cases_to_handle(user=user))[: LISTED_AT_MOST + 1])
    if len(soonest) > LISTED_AT_MOST or len(cases) > LISTED_AT_MOST:
        # Beyond that, one line to the handlers' list, which shows them a page at a time.
        why = _("Only those whose deadlines come first are listed here.")
        items.append(Item(_("See every report and case you handle"), "", reverse("cases:inbox"), why=why))
    for case in cases[:LISTED_AT_MOST]:
        if case.stage == Stage.APPEAL and policy.allows(user, "cases.hear_appeal", case):
            url = reverse("cases:appeal_case", args=[case.reference])
            items.append(Item(_("Decide the appeal"), _case_words(case), url, _due(case, timers.APPEAL_DECISION.code)))
        elif policy.allows(user, "cases.run_case", case):
            items.extend(_as_runner(case, user))
    for case in queries.cases_as_party(user=user, key=key).exclude(stage__in=[Stage.FINAL, Stage.CLOSED]):
        party = case_policy.party_of_login(case, user) or case_policy.party_for_key(case, key)
        if party is not None and case_policy.party_told(case, party):
            items.extend(_as_party(case, party))
    for party in queries.adviser_invitations(user=user):
        url = reverse("cases:adviser_invitation", args=[party.case.reference, party.pk])
        items.append(Item(_("Accept or decline being an adviser"), _case_words(party.case), url))
    return items


def menu_for(*, user: Any) -> dict[str, bool]:
    """Which case pages the menu offers: the handlers' list to anyone who handles a report or has a place on a case
    (or may run one); "My cases" to anyone who is a party or an accepted adviser in one they have been told of."""
    if not getattr(user, "is_authenticated", False):
        return {"handles_cases": False, "has_own_cases": False}
    person_id = case_policy.person_id_of(user)
    # One query, whatever the number of cases: the page itself decides what each person sees.
    handles: Any = Value(False, output_field=BooleanField())
    if person_id is not None:
        today = timezone.localdate()
        sits_on_a_handling_body = Case.objects.filter(
            Q(stage=Stage.PANEL, body__seats__person_id=person_id, body__seats__starts_on__lte=today)
            & (Q(body__seats__ends_on__isnull=True) | Q(body__seats__ends_on__gt=today))
        )
        handling = Report.objects.filter(handlers__person_id=person_id, handlers__removed_at__isnull=True)
        handles = (
            Exists(handling) | Exists(PanelMember.objects.filter(person_id=person_id)) | Exists(sits_on_a_handling_body)
        )
    found = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            handles=handles,
            own=Exists(Case.objects.filter(case_policy.login_party_q(user, prefix="parties__") & case_policy.told_q())),
        )
        .values_list("handles", "own")
        .first()
    )
    handles_cases, own = found if found is not None else (False, False)
    return {"handles_cases": handles_cases, "has_own_cases": own}
