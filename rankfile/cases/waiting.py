"""What waits for a person in reports and cases: the next step of each case that is theirs to take, with its due
date, on the page where it is taken. Reads only (import-linter keeps it from importing the actions)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from rankfile import policy, prepared
from rankfile.cases import policy as case_policy
from rankfile.cases import queries, stages, timers
from rankfile.cases.models import (
    Appeal,
    Case,
    CaseDocumentKind,
    DecisionAgreement,
    DecisionDraft,
    Obligation,
    PanelMember,
    PanelRole,
    PanelStatus,
    Party,
    PartyRole,
    Report,
    ReportStatus,
    Stage,
    Track,
)
from rankfile.deadlines.models import Deadline
from rankfile.org.models import Seat
from rankfile.per_request import remembered
from rankfile.vault.keys import UnlockedKey
from rankfile.waiting import Item


@dataclass(frozen=True)
class Asked:
    """How the home page asks for a step of ``stages.STEPS``: in the person's words, with the timer whose due date
    it has and, where it needs one, a sentence more."""

    what: Any
    timer: str = ""
    why: Any = ""


# The steps the home page asks for. Which of them is a person's next one is ``stages.next_step``'s answer, the
# same as the case pages' (``stages.WAITED_ON``), among those open at the case's stage to them.
ASKED: dict[str, Asked] = {
    "seat": Asked(_("Choose the panel (the people who investigate and decide)")),
    "notice_give": Asked(_("Draft the notice, have the reporter agree, then give it"), timers.GIVE_NOTICE.code),
    "review_open": Asked(_("Investigate, then share the evidence with both parties")),
    "investigation_report": Asked(_("File the investigation report")),
    "decision_agree": Asked(
        _("Agree to the decision another decision-maker proposed"),
        timers.DECISION_TARGET.code,
        _("It is issued once every decision-maker has agreed to it."),
    ),
    "decision": Asked(_("Decide and issue the decision"), timers.DECISION_TARGET.code),
    "agreement": Asked(_("Record the informal agreement")),
    "appeal_record_send": Asked(_("Send the panel's record to the appeals body"), timers.SEND_RECORD.code),
    "appeal_decide": Asked(_("Decide the appeal"), timers.APPEAL_DECISION.code),
    "notice_agree": Asked(
        _("Read the draft notice and agree to it"),
        timers.GIVE_NOTICE.code,
        _("The respondent is not told anything until you agree."),
    ),
    "respond": Asked(
        _("Send your response to the notice"),
        timers.RESPONSE.code,
        _("If you do not respond in time, the case goes on without your response."),
    ),
    "review_finish": Asked(_("Review the evidence, then say you have finished"), timers.EVIDENCE_REVIEW.code),
    "appeal": Asked(
        _("Appeal the decision, or say you will not"),
        timers.APPEAL_WINDOW.code,
        _("When the time is up, the decision is final and takes effect."),
    ),
}


# The same step, when it waits on the one who proposed the decision to issue it (the others left have all agreed).
ISSUE_AGREED = Asked(
    _("Issue the decision every decision-maker agreed to"),
    timers.DECISION_TARGET.code,
    _("A decision-maker who had not agreed left the panel; everyone still on it has agreed."),
)


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


def _report_words(report: Report) -> str:
    """Which report a card is about, for its handler: its path, when it was received and how long it has waited
    (reports have no reference, and the reporter's name is not the card's to show)."""
    if report.sent_at is None:
        return ""
    sent = timezone.localtime(report.sent_at)
    now = timezone.now()
    words = {"path": report.get_path_display(), "moment": date_format(sent, "j F Y, H:i")}
    if (now - sent).total_seconds() < 60:  # timesince would say "0 minutes"
        return str(_("%(path)s received %(moment)s, just now") % words)
    return str(
        _("%(path)s received %(moment)s, waiting for %(waited)s") % {**words, "waited": timesince(sent, now, depth=1)}
    )


def _next_asked(case: Case, by: str, waits_on: Callable[[str], bool]) -> str | None:
    """The step the process waits on from ``by`` at the case's stage (``stages.next_step``), of those the home page
    asks for and ``waits_on`` keeps (the case's own records, the person's rule)."""
    return stages.next_step(name for name in stages.open_at(case.stage, by) & ASKED.keys() if waits_on(name))


def _item(case: Case, name: str, url: str, due: DueDates) -> Item:
    asked = ASKED[name]
    return Item(asked.what, _case_words(case), url, due.get((case.pk, asked.timer)) if asked.timer else None, asked.why)


def _holds(user: Any, held: set[tuple[int, str]], case: Case, rule: str) -> bool:
    """A rule on a listed case: from the answers asked for the whole list (``case_policy.panel_rules_on``)."""
    if rule in case_policy.PANEL_RULES:
        return (case.pk, rule) in held
    return policy.allows(user, rule, case)


def _as_hearing_appeal(case: Case, user: Any, held: set[tuple[int, str]], due: DueDates) -> list[Item]:
    name = _next_asked(case, stages.APPEALS, lambda step: _holds(user, held, case, stages.step_named(step).rule))
    return [_item(case, name, reverse("cases:appeal_case", args=[case.reference]), due)] if name else []


# For each listed case with a proposed decision: whether the person agreed to it, and whether it waits on them, who
# proposed it, to issue it (every decision-maker still seated has agreed).
@dataclass(frozen=True)
class Draft:
    agreed: bool
    to_issue: bool


Drafts = dict[int, Draft]
DECIDING = frozenset({"decision", "decision_agree"})  # the steps that ask about a proposed decision


def _proposed_decisions(cases: list[Case], user: Any) -> Drafts:
    """The latest open draft decision of each of ``cases``, whether ``user`` agreed to it and whether it waits on
    ``user`` to issue it, in one query."""
    agreed = Exists(DecisionAgreement.objects.filter(draft=OuterRef("pk"), person__user_id=user.pk))
    # A decision-maker still seated who has not agreed to the draft.
    outstanding = Exists(
        PanelMember.objects.filter(
            case_id=OuterRef("case_id"), status=PanelStatus.SEATED, role=PanelRole.DECISION_MAKER
        ).exclude(person_id__in=DecisionAgreement.objects.filter(draft=OuterRef(OuterRef("pk"))).values("person_id"))
    )
    mine = Q(proposed_by__user_id=user.pk)
    drafts = DecisionDraft.objects.filter(
        case_id__in=[case.pk for case in cases], ended_at__isnull=True, decision__isnull=True
    ).annotate(
        agreed=ExpressionWrapper(agreed, output_field=BooleanField()),
        to_issue=ExpressionWrapper(mine & ~outstanding, output_field=BooleanField()),
    )
    # A new proposal ends the one before it: the latest open draft of a case is its only one.
    return {
        case_id: Draft(bool(was_agreed), bool(to_issue))
        for case_id, was_agreed, to_issue in drafts.order_by("pk").values_list("case_id", "agreed", "to_issue")
    }


def _agreement_not_open(cases: list[Case]) -> frozenset[int]:
    """Those of ``cases`` whose informal agreement cannot be recorded (as the workspace works it out): not on the
    informal track, recorded already (it has obligations), or a party has not consented yet; in one query for the
    list, whatever its cases' stages."""
    gone = {case.pk for case in cases if case.track != Track.INFORMAL}
    blocked = Case.objects.filter(pk__in=[case.pk for case in cases], track=Track.INFORMAL).filter(
        Exists(Obligation.objects.filter(case_id=OuterRef("pk")))
        | Exists(Party.objects.filter(case_id=OuterRef("pk"), consented_to_informal_at=None))
    )
    return frozenset(gone | set(blocked.values_list("pk", flat=True)))


def _runner_waits_on(
    case: Case,
    user: Any,
    name: str,
    held: set[tuple[int, str]],
    appeal: Appeal | None,
    drafts: Drafts,
    agreement_not_open: frozenset[int] = frozenset(),
) -> bool:
    # Seating again after the panel stage only fills a place; the record is sent once for each appeal.
    if name == "seat" and case.stage != Stage.PANEL:
        return False
    if name == "agreement" and case.pk in agreement_not_open:
        return False  # recorded already, or waiting on a party's consent
    if name in ("decision", "decision_agree"):
        # A proposed decision waits on each decision-maker who has not agreed to it, and on nobody else; once all
        # those still seated have (one who had not left), on the one who proposed it, to issue it.
        draft = drafts.get(case.pk)
        agreed = draft is not None and draft.agreed
        if name == "decision_agree" and (draft is None or (agreed and not draft.to_issue)):
            return False
        if name == "decision" and agreed:
            return False  # proposed or agreed to: it waits on the others
    if name == "appeal_record_send" and (appeal is None or appeal.record_sent_at is not None):
        return False
    return _holds(user, held, case, stages.step_named(name).rule)


def _as_runner(
    case: Case,
    user: Any,
    held: set[tuple[int, str]],
    due: DueDates,
    appeal: Appeal | None,
    drafts: Drafts,
    agreement_not_open: frozenset[int] = frozenset(),
) -> list[Item]:
    name = _next_asked(
        case,
        stages.PANEL,
        lambda step: _runner_waits_on(case, user, step, held, appeal, drafts, agreement_not_open),
    )
    if name is None:
        return []
    url = reverse("cases:workspace", args=[case.reference])
    draft = drafts.get(case.pk)
    if name == "decision_agree" and draft is not None and draft.to_issue:
        return [
            Item(ISSUE_AGREED.what, _case_words(case), url, due.get((case.pk, ISSUE_AGREED.timer)), ISSUE_AGREED.why)
        ]
    return [_item(case, name, url, due)]


def _party_waits_on(case: Case, party: Party, name: str) -> bool:
    if name == "notice_agree":
        return (
            party.role == PartyRole.REPORTER
            and party.notice_agreed_at is None
            and case.documents.filter(kind=CaseDocumentKind.NOTICE, shared_at__isnull=True).exists()
        )
    if name == "respond":
        return party.role == PartyRole.RESPONDENT
    if name == "review_finish":
        return party.review_done_at is None
    if name == "appeal":
        return party.appeal_waived_at is None and not case.appeals.filter(by_role=party.role).exists()
    return False


def _as_party(case: Case, party: Party, due: DueDates) -> list[Item]:
    name = _next_asked(case, stages.PARTY, lambda step: _party_waits_on(case, party, step))
    return [_item(case, name, reverse("cases:party_case", args=[case.reference]), due)] if name else []


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
        items.append(
            Item(
                _("Acknowledge a report"),
                _report_words(report),
                reverse("cases:handler_report", args=[report.pk]),
                report.next_due,
            )
        )
    # By the person (whose places the planner looks up); no person has the id 0.
    proposed = PanelMember.objects.filter(
        person_id=case_policy.person_id_of(user) or 0, status=PanelStatus.PROPOSED, declared_at__isnull=True
    ).exclude(case__stage__in=[Stage.FINAL, Stage.CLOSED])
    declaring: set[int] = set()
    for member in proposed.select_related("case"):
        declaring.add(member.case_id)
        items.append(
            Item(
                _("Say whether you have a conflict of interest"),
                _case_words(member.case),
                reverse("cases:panel_declaration", args=[member.case.reference]),
                why=_("You were proposed for the panel. You see nothing of the case before you answer."),
            )
        )
    cases = cases_due_first(user=user)
    if len(soonest) > LISTED_AT_MOST or len(cases) > LISTED_AT_MOST:
        # Beyond that, one line to the handlers' list, which shows them a page at a time.
        why = _("Only those whose deadlines come first are listed here.")
        items.append(Item(_("See every report and case you handle"), "", reverse("cases:inbox"), why=why))
    # One card for a case being declared on: the declaration comes first, and nothing of the case before it.
    listed = [case for case in cases[:LISTED_AT_MOST] if case.pk not in declaring]
    # Each listed case's next step from answers asked once for the whole list, not case by case.
    held = case_policy.panel_rules_on(user, listed)
    due = _due_dates(listed) if listed else {}
    appeals = _latest_appeals([case for case in listed if case.stage == Stage.APPEAL])
    deciding = [case for case in listed if DECIDING & stages.open_at(case.stage, stages.PANEL)]
    drafts = _proposed_decisions(deciding, user) if deciding else {}
    agreement_not_open = _agreement_not_open(listed) if listed else frozenset()
    for case in listed:
        hearing = _as_hearing_appeal(case, user, held, due)
        if hearing:
            items.extend(hearing)
        elif (case.pk, "cases.run_case") in held:
            items.extend(_as_runner(case, user, held, due, appeals.get(case.pk), drafts, agreement_not_open))
    return items


def cases_due_first(*, user: Any) -> list[Case]:
    """The first ``LISTED_AT_MOST + 1`` of ``queries.soonest_first(queries.cases_to_handle(user=user))``, without
    ordering every case the person handles by its next deadline (a panelist on 7,000 panels): the cases with an open
    deadline, soonest first, then those without one, by number, which is where that order puts them."""
    person_id = case_policy.person_id_of(user) or 0  # no person has the id 0
    today = timezone.localdate()
    # What ``cases_to_handle`` implies, in a form the database can look up rather than ask of every case: a place on
    # its panel, or a case waiting for its panel on a body the person sits on today.
    places = PanelMember.objects.filter(person_id=person_id, status__in=[PanelStatus.PROPOSED, PanelStatus.SEATED])
    seats = Seat.objects.filter(person_id=person_id, starts_on__lte=today).exclude(ends_on__lte=today)
    looked_up = Q(pk__in=places.values("case_id")) | Q(stage=Stage.PANEL, body__in=seats.values("body_id"))
    handled = queries.cases_to_handle(user=user)
    timed = Deadline.objects.filter(
        subject_type=Case._meta.label_lower, met_at__isnull=True, cancelled_at__isnull=True
    ).values("subject_id")
    first = list(queries.soonest_first(handled.filter(pk__in=timed))[: LISTED_AT_MOST + 1])
    rest = list(handled.filter(looked_up).exclude(pk__in=timed).order_by("pk")[: LISTED_AT_MOST + 1])
    return (first + rest)[: LISTED_AT_MOST + 1]


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
    # One query, whatever the number of cases, built once a day (``prepared``): the page itself decides what each
    # person sees.
    if person_id is None:
        found = prepared.rows("cases.menu_for_a_login", _menu_query, user_id=user.pk)
    else:
        found = prepared.rows("cases.menu_for_a_person", _menu_query, user_id=user.pk, person_id=person_id)
    handles_cases, own = found[0] if found else (False, False)
    return {"handles_cases": bool(handles_cases), "has_own_cases": bool(own)}


def _menu_query(*, user_id: int, person_id: int | None = None) -> QuerySet[Any]:
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
    own = case_policy.told_party_somewhere(user_id=user_id, person_id=person_id)
    return (
        get_user_model()
        .objects.filter(pk=user_id)
        .annotate(handles=handles, own=ExpressionWrapper(own, output_field=BooleanField()))
        .values_list("handles", "own")[:1]
    )
