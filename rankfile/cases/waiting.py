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
    Appeal,
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
from rankfile.deadlines.models import Deadline
from rankfile.per_request import remembered
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


# When each open timer of the listed cases is due, by (case pk, timer code): the soonest of each kind.
DueDates = dict[tuple[int, str], Any]


def _due_dates(cases: list[Case]) -> DueDates:
    """The open deadlines of ``cases``, in one query."""
    found: DueDates = {}
    open_ones = Deadline.objects.filter(
        subject_type=Case._meta.label_lower,
        subject_id__in=[case.pk for case in cases],
        met_at__isnull=True,
        cancelled_at__isnull=True,
    )
    for case_pk, kind, due_at in open_ones.order_by("due_at", "pk").values_list("subject_id", "kind", "due_at"):
        found.setdefault((case_pk, kind), due_at)
    return found


def _case_words(case: Case) -> str:
    return str(_("Case %(reference)s") % {"reference": case.reference})


def _holds(user: Any, held: set[tuple[int, str]], case: Case, rule: str) -> bool:
    """A rule on a listed case: from the answers asked for the whole list (``case_policy.panel_rules_on``)."""
    if rule in case_policy.PANEL_RULES:
        return (case.pk, rule) in held
    return policy.allows(user, rule, case)


def _as_runner(case: Case, user: Any, held: set[tuple[int, str]], due: DueDates, appeal: Appeal | None) -> list[Item]:
    url = reverse("cases:workspace", args=[case.reference])
    if case.stage == Stage.APPEAL:
        items = []
        if appeal is not None and appeal.record_sent_at is None and _holds(user, held, case, "cases.sit_on_case"):
            what = _("Send the panel's record to the appeals body")
            items.append(Item(what, _case_words(case), url, due.get((case.pk, timers.SEND_RECORD.code))))
        return items
    step_name, what, code = PANEL_NEXT.get(case.stage, ("", "", ""))
    if not step_name or not _holds(user, held, case, stages.step_named(step_name).rule):
        return []
    return [Item(what, _case_words(case), url, due.get((case.pk, code)) if code else None)]


def _as_party(case: Case, party: Party, due: DueDates) -> list[Item]:
    url = reverse("cases:party_case", args=[case.reference])
    where = _case_words(case)
    if case.stage == Stage.NOTICE and party.role == PartyRole.REPORTER and party.notice_agreed_at is None:
        drafted = case.documents.filter(kind=CaseDocumentKind.NOTICE, shared_at__isnull=True).exists()
        if drafted:
            why = _("The respondent is not told anything until you agree.")
            what = _("Read the draft notice and agree to it")
            return [Item(what, where, url, due.get((case.pk, timers.GIVE_NOTICE.code)), why)]
    if case.stage == Stage.RESPONSE and party.role == PartyRole.RESPONDENT:
        why = _("If you do not respond in time, the case goes on without your response.")
        return [Item(_("Send your response to the notice"), where, url, due.get((case.pk, timers.RESPONSE.code)), why)]
    if case.stage == Stage.EVIDENCE_REVIEW and party.review_done_at is None:
        what = _("Review the evidence, then say you have finished")
        return [Item(what, where, url, due.get((case.pk, timers.EVIDENCE_REVIEW.code)))]
    window_open = case.stage == Stage.APPEAL_WINDOW and party.appeal_waived_at is None
    if window_open and not case.appeals.filter(by_role=party.role).exists():
        why = _("When the time is up, the decision is final and takes effect.")
        what = _("Appeal the decision, or say you will not")
        return [Item(what, where, url, due.get((case.pk, timers.APPEAL_WINDOW.code)), why)]
    return []


def waiting_for(*, user: Any, key: UnlockedKey | None = None) -> list[Item]:
    """Everything in reports and cases that waits for ``user`` (unordered: ``rankfile.waiting.in_order``)."""
    if not getattr(user, "is_authenticated", False):
        return []
    # The menu's one query says whether they handle anything and are a party anywhere: most people are neither, and
    # are spared the questions below (the menu asks the same conditions, broader: handling any report, any place on
    # a panel, a seat on the body of a case waiting for its panel; a party in a case they have been told of).
    menu = menu_for(user=user)
    items = _as_handler(user) if menu["handles_cases"] else []
    # A key other than the login's own (a receipt code's) may open cases the menu does not know of.
    if menu["has_own_cases"] or (key is not None and not policy.allows(user, "cases.own_key", key)):
        items += _as_party_in(user, key)
    for party in queries.adviser_invitations(user=user):
        url = reverse("cases:adviser_invitation", args=[party.case.reference, party.pk])
        items.append(Item(_("Accept or decline being an adviser"), _case_words(party.case), url))
    return items


def _as_handler(user: Any) -> list[Item]:
    """The reports to acknowledge, the declarations to make and the next steps of the cases ``user`` runs."""
    items: list[Item] = []
    to_acknowledge = Report.objects.filter(
        case_policy.handled_reports_q(user, statuses=[ReportStatus.SUBMITTED]), status=ReportStatus.SUBMITTED
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
    listed = cases[:LISTED_AT_MOST]
    # Each listed case's next step from answers asked once for the whole list, not case by case.
    held = case_policy.panel_rules_on(user, listed)
    due = _due_dates(listed) if listed else {}
    appeals = _latest_appeals([case for case in listed if case.stage == Stage.APPEAL])
    for case in listed:
        if case.stage == Stage.APPEAL and (case.pk, "cases.hear_appeal") in held:
            url = reverse("cases:appeal_case", args=[case.reference])
            what = _("Decide the appeal")
            items.append(Item(what, _case_words(case), url, due.get((case.pk, timers.APPEAL_DECISION.code))))
        elif (case.pk, "cases.run_case") in held:
            items.extend(_as_runner(case, user, held, due, appeals.get(case.pk)))
    return items


def _as_party_in(user: Any, key: UnlockedKey | None) -> list[Item]:
    """The next step of each open case in which the visitor is a party (signed in, or by the key unlocked)."""
    items: list[Item] = []
    as_party = list(queries.cases_as_party(user=user, key=key).exclude(stage__in=[Stage.FINAL, Stage.CLOSED]))
    due = _due_dates(as_party) if as_party else {}
    for case in as_party:
        party = case_policy.party_of_login(case, user) or case_policy.party_for_key(case, key)
        if party is not None and case_policy.party_told(case, party):
            items.extend(_as_party(case, party, due))
    return items


def _latest_appeals(cases: list[Case]) -> dict[int, Appeal]:
    """The latest appeal of each of ``cases``, in one query (none for no cases)."""
    latest: dict[int, Appeal] = {}
    if cases:
        for appeal in Appeal.objects.filter(case__in=cases).order_by("pk"):
            latest[appeal.case_id] = appeal
    return latest


def menu_for(*, user: Any) -> dict[str, bool]:
    """Which case pages the menu offers: the handlers' list to anyone who handles a report or has a place on a case
    (or may run one); "My cases" to anyone who is a party or an accepted adviser in one they have been told of."""
    if not getattr(user, "is_authenticated", False):
        return {"handles_cases": False, "has_own_cases": False}
    return remembered(("cases.menu_for", user.pk), lambda: _menu_for(user))


def _menu_for(user: Any) -> dict[str, bool]:
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
