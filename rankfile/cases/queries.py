"""Reads for the reporting pages: a reporter's reports, a handler's inbox, where a report stands, who read it, its
messages, and what a reporter is shown before choosing a path (support, the people who might handle it)."""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from rankfile import policy
from rankfile.cases import meanings
from rankfile.cases import policy as case_policy
from rankfile.cases.models import (
    Appeal,
    Case,
    CaseDocument,
    Challenge,
    Decision,
    DecisionStatus,
    Handler,
    InterimMeasure,
    Message,
    MessageSide,
    Obligation,
    Override,
    PanelMember,
    PanelRole,
    PanelStatus,
    Party,
    Readmission,
    Report,
    ReportPath,
    ReportStatus,
    Stage,
    StatusStep,
    SupportiveMeasure,
)
from rankfile.deadlines import actions as deadlines
from rankfile.deadlines.models import Deadline
from rankfile.errors import NotAllowed
from rankfile.governance import queries as governance_queries
from rankfile.ledger import hooks as ledger_hooks
from rankfile.ledger.models import Entry
from rankfile.org import eligibility
from rankfile.org import hooks as org_hooks
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, BodyKind, EligibilityOverride, Person
from rankfile.per_request import remembered
from rankfile.vault import keys
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import Document, Keypair

READ_ACTION = "cases.report_read"  # rankfile.cases.actions.REPORT_READ
STEPPED_DOWN_ACTION = "cases.handler_stepped_down"  # rankfile.cases.actions.intake.HANDLER_STEPPED_DOWN


# Steps the reporter takes themselves are not news to them; the others are (an acknowledgement, a closing, a purge).
REPORTERS_OWN_STEPS = (
    ReportStatus.DRAFT,
    ReportStatus.RECORDED,
    ReportStatus.SUBMITTED,
    ReportStatus.WITHDRAWN,
    ReportStatus.DELETED,
)


def _with_updates(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Each report with ``updated``: a step, a message from its handlers or a decision on a supportive measure since
    its reporter last opened its page (or, if they never did, since it was made)."""
    seen = Coalesce(OuterRef("reporter_seen_at"), OuterRef("created_at"))
    step = StatusStep.objects.filter(report=OuterRef("pk"), at__gt=seen).exclude(status__in=REPORTERS_OWN_STEPS)
    message = Message.objects.filter(
        report=OuterRef("pk"), side=MessageSide.HANDLERS, internal_note=False, sent_at__gt=seen
    )
    measure = SupportiveMeasure.objects.filter(report=OuterRef("pk")).filter(
        Q(decided_at__gt=seen) | Q(ended_at__gt=seen)
    )
    updated = ExpressionWrapper(Q(Exists(step)) | Q(Exists(message)) | Q(Exists(measure)), output_field=BooleanField())
    # The case each report became, if any, and its stage: what tells two reports of the same day apart.
    became = Case.objects.filter(reports=OuterRef("pk")).order_by("pk")
    return reports.annotate(
        updated=updated,
        case_reference=Subquery(became.values("reference")[:1]),
        case_stage=Subquery(became.values("stage")[:1]),
    ).select_related("respondent")


def reports_of(*, user: Any) -> QuerySet[Report]:
    """The signed-in person's own reports, newest first, each marked ``updated`` when there is news for them."""
    if not getattr(user, "is_authenticated", False):
        return Report.objects.none()
    reports = Report.objects.filter(reporter_id=user.pk).select_related("handling_body").order_by("-created_at", "-pk")
    return _with_updates(reports)


def made_reports(*, user: Any) -> bool:
    """Whether the signed-in person made any report themselves (without ``reports_of``'s news of each)."""
    return bool(getattr(user, "is_authenticated", False)) and Report.objects.filter(reporter_id=user.pk).exists()


def own_reports(*, user: Any) -> list[Report]:
    """``reports_of`` as a list, its questions about news asked only of someone who has made a report: most people
    have made none, and one plain question tells them apart."""
    return list(reports_of(user=user)) if made_reports(user=user) else []


def reports_of_key(*, key: UnlockedKey | None) -> QuerySet[Report]:
    """The reports a receipt code (or any unlocked key) opens as their reporter, marked ``updated`` likewise."""
    if key is None:
        return Report.objects.none()
    return _with_updates(Report.objects.filter(reporter_key=key.keypair).order_by("-created_at", "-pk"))


def reporters_key(report: Report) -> Keypair | None:
    """The key that reads and writes the report as its reporter now: a signed-in reporter's current key (after a
    password reset a new one, to which the trustees' restoration gives what the old one could read), or the receipt
    key of a reporter without an account."""
    if report.reporter_id is not None:
        current = keys.person_key(report.reporter)
        if current is not None:
            return current
    return report.reporter_key if report.reporter_key.retired_at is None else None


def report_for_reporter(*, pk: int, user: Any, key: UnlockedKey | None) -> Report:
    """The report, if this visitor made it: their key opens it, or it is their signed-in account's.

    The second case lets the page say "sign in again" when the account's key is not unlocked in this browser."""
    report = Report.objects.filter(pk=pk).select_related("handling_body", "respondent").first()
    if report is None:
        raise NotAllowed("no such report")
    case_policy.require_reporter(report, user=user, key=key)
    return report


# A report still to be dealt with as a report; every other status a handler can see is finished (closed, withdrawn,
# deleted), and so is a report that became a case, which the case carries on.
OPEN_REPORT_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACKNOWLEDGED)


def reports_to_handle(*, user: Any, finished: bool = False) -> QuerySet[Report]:
    """Reports the signed-in person currently handles, newest first: open ones, or with ``finished`` the others (the
    page names the case each became: ``inbox_reports``). A report in a case is handled only by those who run the case
    (``handled_reports_q``), so the case's page is theirs to open. Each report once (a person handles a report at
    most once), so that the list is counted and sliced in the database."""
    if not getattr(user, "is_authenticated", False):
        return Report.objects.none()
    if not finished:
        # An open report is in no case: the rule is then being its current handler, a plain query.
        found = Report.objects.filter(case_policy.handled_reports_in_no_case_q(user), status__in=OPEN_REPORT_STATUSES)
    else:
        in_a_case = Exists(Case.reports.through.objects.filter(report=OuterRef("pk")))
        found = Report.objects.filter(case_policy.handled_reports_q(user)).filter(
            ~Q(status__in=OPEN_REPORT_STATUSES) | in_a_case
        )
    return found.order_by("-sent_at", "-pk")


# What a row of the handlers' list of reports shows, read as plain values (no model per row).
INBOX_REPORT_COLUMNS = ("pk", "sent_at", "reporter_id", "path", "process_complaint", "status")


@dataclass(frozen=True)
class InboxReport:
    pk: int
    sent_at: datetime | None
    anonymous: bool  # no account: replies only through the report's messages
    path: str
    process_complaint: bool
    status: str
    due_at: datetime | None  # the earliest open deadline
    case_reference: str = ""  # the case the report became, if it did (which its handler runs: handled_reports_q)


def inbox_reports(*, rows: Iterable[dict[str, Any]]) -> list[InboxReport]:
    """The reports of one page of the inbox (``INBOX_REPORT_COLUMNS``), each with its next deadline and the case it
    became (one query each for the page)."""
    listed = list(rows)
    if not listed:
        return []
    pks = [row["pk"] for row in listed]
    due: dict[int, datetime] = dict(
        Deadline.objects.filter(
            subject_type=Report._meta.label_lower, subject_id__in=pks, met_at__isnull=True, cancelled_at__isnull=True
        )
        .order_by("-due_at")
        .values_list("subject_id", "due_at")
    )  # the last one written for a report is its soonest
    became: dict[int, str] = dict(
        Case.reports.through.objects.filter(report_id__in=pks)
        .order_by("-case_id")
        .values_list("report_id", "case__reference")
    )  # the first case, where a report is in several
    return [
        InboxReport(
            pk=row["pk"],
            sent_at=row["sent_at"],
            anonymous=row["reporter_id"] is None,
            path=row["path"],
            process_complaint=row["process_complaint"],
            status=row["status"],
            due_at=due.get(row["pk"]),
            case_reference=became.get(row["pk"], ""),
        )
        for row in listed
    ]


def report_for_handler(*, pk: int, user: Any) -> Report:
    """The report, for one of its current handlers only (anyone else: not found)."""
    report = Report.objects.filter(pk=pk).select_related("handling_body", "respondent").first()
    if report is None:
        raise NotAllowed("no such report")
    policy.require(user, "cases.handle_report", report)
    return report


def steps_of(*, report: Report) -> QuerySet[StatusStep]:
    return report.steps.order_by("at", "pk")


def open_deadlines(*, report: Report) -> list[Deadline]:
    return deadlines.open_deadlines_for(report)


def current_handlers(*, report: Report) -> list[Person]:
    """The people handling the report now, by name (so that the reporter can raise a conflict)."""
    handlers = Handler.objects.filter(report=report, removed_at__isnull=True).select_related("person")
    return sorted((handler.person for handler in handlers), key=lambda person: (person.name, person.pk))


def current_handler(*, report: Report, person_pk: int) -> Person:
    """One of the people handling the report now; anyone else is not found."""
    handler = (
        Handler.objects.filter(report=report, person_id=person_pk, removed_at__isnull=True)
        .select_related("person")
        .first()
    )
    if handler is None:
        raise NotAllowed("no such handler of this report")
    return handler.person


def last_step_down(*, report: Report) -> datetime | None:
    """When a handler last stepped aside from the report because of a conflict (from the ledger: the conflict itself
    is nowhere), for the reporter's page; None if none ever did."""
    entry = (
        Entry.objects.filter(action=STEPPED_DOWN_ACTION, subject_type=Report._meta.label_lower, subject_id=report.pk)
        .order_by("-seq")
        .first()
    )
    return entry.recorded_at_time if entry is not None else None


@dataclass(frozen=True)
class Read:
    who: str  # a handler's name; empty for the reporter's own reads
    by_reporter: bool
    what: str  # "report", "message", "file" or "measure" (a request for a supportive measure)
    count: int
    at: datetime
    document: int | None = None  # the file read, for a "file": each file is a line of its own


def _files_of(report: Report) -> set[int]:
    """The sealed files of a report: its evidence and its messages' attachments."""
    evidence = set(report.evidence.values_list("pk", flat=True))
    attached = Message.attachments.through.objects.filter(message__report=report).values_list("document_id", flat=True)
    return evidence | set(attached)


def read_as_handler(*, case: Case, person: Person) -> bool:
    """Whether ``person`` opened a report of ``case`` while handling it, before the case opened or while running it
    (the reads on the ledger); their declaration as a candidate for its panel then says so."""
    return Entry.objects.filter(
        action=READ_ACTION,
        subject_type=Report._meta.label_lower,
        subject_id__in=list(case.reports.values_list("pk", flat=True)),
        actor_type=Person._meta.label_lower,
        actor_id=person.pk,
    ).exists()


def read_log(*, report: Report) -> list[Read]:
    """Every opening of the report, its messages, files and requests for support, from the ledger; the reporter's
    own reads as theirs.

    Reads by one person of one kind within the same minute (one page showing several messages) are one line; a file's
    reads, of that one file."""
    entries = Entry.objects.filter(
        action=READ_ACTION, subject_type=Report._meta.label_lower, subject_id=report.pk
    ).order_by("seq")
    files = _files_of(report)
    requests = set(report.supportive_measures.values_list("details_id", flat=True))
    rows: list[tuple[str, int | None, str, datetime, int | None]] = []
    for entry in entries:
        at = parse_datetime(entry.recorded_at)
        if at is None:
            continue
        document = json.loads(entry.data).get("document")
        if document == report.content_id:
            what = "report"
        elif document in files:
            what = "file"
        elif document in requests:
            what = "measure"
        else:
            what = "message"
        rows.append((entry.actor_type, entry.actor_id, what, at, document if what == "file" else None))
    named = ledger_hooks.actors_named(
        references={(kind, i) for kind, i, _, _, _ in rows if kind != "reporter" and i is not None}
    )
    log: list[Read] = []
    for kind, actor_id, what, at, file in rows:
        by_reporter = kind == "reporter"
        actor = None if by_reporter or actor_id is None else named.get((kind, actor_id))
        who = actor.name if actor is not None else ""
        last = log[-1] if log else None
        if (
            last is not None
            and (last.who, last.by_reporter, last.what, last.document) == (who, by_reporter, what, file)
            and last.at.replace(second=0, microsecond=0) == at.replace(second=0, microsecond=0)
        ):
            log[-1] = Read(who=who, by_reporter=by_reporter, what=what, count=last.count + 1, at=last.at, document=file)
        else:
            log.append(Read(who=who, by_reporter=by_reporter, what=what, count=1, at=at, document=file))
    return list(reversed(log))


FILE_TYPE_LABELS = {
    "image/jpeg": _("JPEG picture"),
    "image/png": _("PNG picture"),
    "image/gif": _("GIF picture"),
    "image/webp": _("WebP picture"),
    "image/heic": _("HEIC picture"),
    "application/pdf": _("PDF document"),
    "audio/mpeg": _("MP3 recording"),
    "audio/mp4": _("M4A recording"),
    "audio/m4a": _("M4A recording"),
    "audio/ogg": _("Ogg recording"),
    "audio/x-wav": _("WAV recording"),
    "audio/x-flac": _("FLAC recording"),
    "audio/amr": _("AMR recording"),
    "video/mp4": _("MP4 video"),
    "video/webm": _("WebM video"),
    "video/quicktime": _("QuickTime video"),
    "text/plain": _("Plain text"),
}


@dataclass(frozen=True)
class AttachedFile:
    """A sealed file of a report, as its sealed name, type and size say (opening them is a read on the ledger)."""

    document_id: int
    name: str | None  # None when this key is not among its readers
    content_type: str = ""
    size: int = 0

    @property
    def type_label(self) -> Any:
        return FILE_TYPE_LABELS.get(self.content_type, self.content_type)


@dataclass(frozen=True)
class OpenedMessage:
    message: Message
    author: str  # a handler's name; empty when the reporter wrote it
    from_reporter: bool
    text: str | None  # None when this key is not among its readers (sent before this person handled the report)
    attachments: tuple[AttachedFile, ...] = ()


def report_file(*, report: Report, pk: int, with_internal_notes: bool) -> Document:
    """One sealed file of the report: its evidence, or an attachment of one of its messages (of an internal note
    only for the handlers). Anything else is not found."""
    found = report.evidence.filter(pk=pk).first()
    if found is None:
        messages = report.messages.all() if with_internal_notes else report.messages.filter(internal_note=False)
        found = Document.objects.filter(pk=pk, pk__in=messages.values("attachments")).first()
    if found is None:
        raise NotAllowed("no such file on this report")
    return found


def measures_of(*, report: Report) -> QuerySet[SupportiveMeasure]:
    """The report's requests for supportive measures, oldest first."""
    return report.supportive_measures.select_related("decided_by").order_by("requested_at", "pk")


def measure_of(*, report: Report, pk: Any) -> SupportiveMeasure:
    """One of the report's supportive measures; anything else is not found."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise NotAllowed("no such measure") from None
    measure = report.supportive_measures.filter(pk=number).first()
    if measure is None:
        raise NotAllowed("no such measure on this report")
    return measure


@dataclass(frozen=True)
class Hotline:
    name: str
    contact: str
    url: str  # the contact as a link, when it is a web address


@dataclass(frozen=True)
class SupportContact:
    """Someone the bylaws name to turn to for support, and how to reach them."""

    name: str
    reach: str
    url: str  # how to reach them as a link, when it is a web or an email address

    @property
    def is_web_page(self) -> bool:
        return self.url.startswith("https://")


@dataclass(frozen=True)
class CaucusSupport:
    caucus: Body
    contacts: list[SupportContact]


@dataclass(frozen=True)
class SupportResources:
    team: Body | None
    team_people: list[str]
    team_contacts: list[SupportContact]
    caucuses: list[CaucusSupport]
    contacts: list[SupportContact]  # the bylaws' contacts for no caucus and not the support team
    hotlines: list[Hotline]
    # Members' caucuses whose conveners listed them, each with the page to write to its conveners (org.hooks).
    member_caucuses: list[org_hooks.SupportListing] = field(default_factory=list)
    # The body a report sent as "Support only" goes to (the support team, else the oversight body): it can put a
    # reporter in touch with a caucus that published no contact.
    support_only_body: Body | None = None


def _role_body(role: str, *, day: date) -> Body | None:
    slug = org_queries.bylaws_document(day=day)["roles"].get(role, "")
    return Body.objects.filter(slug=slug).first() if slug else None


def _names_on(body: Body, *, day: date) -> list[str]:
    ids = set(org_queries.seats_on(body=body, day=day).values_list("person_id", flat=True))
    return sorted(org_queries.names_of(person_ids=ids).values())


def support_resources(*, day: date) -> SupportResources:
    """Who a reporter can turn to, whatever they decide: the support team, the caucuses, outside hotlines."""
    team = _role_body("support_team", day=day)
    hotlines = [
        Hotline(name=name, contact=contact, url=contact if contact.startswith(("https://", "http://")) else "")
        for name, contact in settings.SUPPORT_HOTLINES
    ]
    by_body: dict[str, list[SupportContact]] = {}
    for contact in org_queries.bylaws_document(day=day).get("support_contacts", []):
        by_body.setdefault(contact.get("body", ""), []).append(_support_contact(contact))
    caucuses = list(Body.objects.filter(kind=BodyKind.CAUCUS).order_by("name"))
    listed = {caucus.slug for caucus in caucuses} | ({team.slug} if team else set())
    return SupportResources(
        team=team,
        team_people=_names_on(team, day=day) if team else [],
        team_contacts=by_body.get(team.slug, []) if team else [],
        caucuses=[CaucusSupport(caucus=caucus, contacts=by_body.get(caucus.slug, [])) for caucus in caucuses],
        contacts=[contact for slug, found in by_body.items() if slug not in listed for contact in found],
        hotlines=hotlines,
        member_caucuses=org_hooks.support_listings(),
        support_only_body=team or _role_body("oversight", day=day),
    )


@dataclass(frozen=True)
class RespondentSupport:
    """What the respondent's support card offers: never the caucuses, whose members may include the people his case
    is about, nor the support team that stands by reporters."""

    contacts: list[SupportContact]  # the bylaws' contacts meant for anyone (for no caucus and not the support team)
    process_complaints: Body | None  # where a complaint about how the process is handled goes


def respondent_support(*, day: date) -> RespondentSupport:
    team = _role_body("support_team", day=day)
    kept_for_reporters = set(Body.objects.filter(kind=BodyKind.CAUCUS).values_list("slug", flat=True))
    if team is not None:
        kept_for_reporters.add(team.slug)
    contacts = [
        _support_contact(contact)
        for contact in org_queries.bylaws_document(day=day).get("support_contacts", [])
        if contact.get("body", "") not in kept_for_reporters
    ]
    process_body = _role_body("process_complaints", day=day) or _role_body("oversight", day=day)
    return RespondentSupport(contacts=contacts, process_complaints=process_body)


EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE_NUMBER = re.compile(r"\+?[0-9][0-9 ()./-]{5,}[0-9]")


def _support_contact(contact: dict[str, str]) -> SupportContact:
    reach = contact["reach"]
    url = ""
    if reach.startswith("https://"):
        url = reach
    elif EMAIL_ADDRESS.fullmatch(reach):
        url = f"mailto:{reach}"
    elif PHONE_NUMBER.fullmatch(reach):
        url = "tel:" + re.sub(r"[^0-9+]", "", reach.replace("(0)", ""))  # "+44 (0)20": the 0 is dialled at home only
    return SupportContact(name=contact["name"], reach=reach, url=url)


@dataclass(frozen=True)
class ReportingBodies:
    disciplinary: Body | None
    support_team: Body | None
    process_complaints: Body | None
    oversight: Body | None


def reporting_bodies(*, day: date) -> ReportingBodies:
    """The bodies the bylaws name for each path (a path whose body is not named goes to the oversight body)."""
    oversight = _role_body("oversight", day=day)
    return ReportingBodies(
        disciplinary=_role_body("disciplinary", day=day) or oversight,
        support_team=_role_body("support_team", day=day) or oversight,
        process_complaints=_role_body("process_complaints", day=day) or oversight,
        oversight=oversight,
    )


def possible_handlers(*, day: date) -> QuerySet[Person]:
    """Everyone sitting today on a body a report may go to, or on the oversight body: names the reporter may rule
    out before sending."""
    bodies = reporting_bodies(day=day)
    ids: set[int] = set()
    for body in {b.pk: b for b in vars(bodies).values() if b is not None}.values():
        ids |= set(org_queries.seats_on(body=body, day=day).values_list("person_id", flat=True))
    return Person.objects.filter(pk__in=ids).order_by("name", "pk")


def directory_people(*, user: Any, day: date) -> QuerySet[Person]:
    """Members a signed-in reporter may name as the person a report is about (the member directory)."""
    if not policy.allows(user, "org.view_directory"):
        return Person.objects.none()
    return org_queries.people_for_directory(user=user, day=day).exclude(user_id=user.pk)


OFFICIAL_MATCHES = 20  # the most members a search for an official offers to choose from


def officials_named(*, people: QuerySet[Person], text: str) -> list[Person]:
    """The members of ``people`` (the directory the person may search) whose name is ``text`` exactly, ignoring
    case: at most two, enough to tell one from several."""
    wanted = text.strip()
    if not wanted:
        return []
    return list(people.filter(name__iexact=wanted)[:2])


def officials_matching(*, people: QuerySet[Person], text: str) -> list[Person]:
    """The members of ``people`` whose name has ``text`` in it, by name: at most OFFICIAL_MATCHES and one more, so
    that the form can say there are too many to choose from."""
    wanted = text.strip()
    if not wanted:
        return []
    return list(people.filter(name__icontains=wanted)[: OFFICIAL_MATCHES + 1])


# --- cases: the panel's workspace, the parties' pages, the appeals body's page, the list of overrides -------------


def case_by_reference(*, reference: str) -> Case:
    if not reference.isprintable():  # a NUL or a control character: no reference has one (PostgreSQL refuses a NUL)
        raise NotAllowed("no such case")
    case = Case.objects.filter(reference=reference).select_related("body", "respondent").first()
    if case is None:
        raise NotAllowed("no such case")
    return case


def case_for_panel(*, reference: str, user: Any) -> Case:
    """The case, for someone who runs it (its seated panel; before seating, the handling body's people who are not
    excluded). The appeals body's people hearing an appeal have their own page; anyone else: not found."""
    case = case_by_reference(reference=reference)
    policy.require(user, "cases.run_case", case)
    return case


def case_for_appeals(*, reference: str, user: Any) -> Case:
    """The case, for the appeals body's people seated to hear its appeal; anyone else: not found."""
    case = case_by_reference(reference=reference)
    policy.require(user, "cases.hear_appeal", case)
    return case


def candidate_place(*, reference: str, user: Any) -> PanelMember:
    """The signed-in person's place on a case's panel, proposed or otherwise (for the declaration page)."""
    case = case_by_reference(reference=reference)
    policy.require(user, "cases.declare", case)
    places = case.panel.filter(person__user_id=user.pk, status__in=[PanelStatus.PROPOSED, PanelStatus.SEATED])
    place = places.select_related("case").order_by("-pk").first()
    assert place is not None  # the rule holds only for such a place
    return place


def declaration_awaited(*, case: Case, user: Any) -> bool:
    """Whether the signed-in person is proposed for the case's panel and has not declared yet."""
    if not getattr(user, "is_authenticated", False):
        return False
    return case.panel.filter(person__user_id=user.pk, status=PanelStatus.PROPOSED, declared_at__isnull=True).exists()


def cases_as_party(*, user: Any, key: UnlockedKey | None) -> QuerySet[Case]:
    """The cases in which the visitor is a party (or a party's accepted adviser): as a signed-in person, or with the
    key a receipt code unlocked in this browser. A respondent's side learns of a case with the notice, not before (the
    panel may hold it back to prevent retaliation); on the informal track, when it reaches the agreement (nothing
    happens there without their consent)."""
    found = Q(pk__in=[])
    if getattr(user, "is_authenticated", False):
        found |= case_policy.login_party_q(user, prefix="parties__")
    if key is not None:
        found |= Q(parties__keypair=key.keypair)
    # One filter(): the party matched and its role are the same row.
    return Case.objects.filter(found & case_policy.told_q()).distinct().order_by("-opened_at", "-pk")


def cases_to_handle(*, user: Any, finished: bool = False) -> QuerySet[Case]:
    """The open cases the signed-in person has a place on (proposed, seated, hearing an appeal), and those still
    without a panel that they may run (they sit on the handling body and are not excluded from the case), newest
    first; with ``finished``, the final or closed cases they ran or sat on. One query, whatever the number of cases,
    counted and sliced in the database: the rule is ``policy.runs_cases_q``, the same as ``cases.run_case``, and the
    person's places are one list the query reads once (not a question asked of each case)."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    person_id = case_policy.person_id_of(user) or 0  # no person has the id 0
    places = PanelMember.objects.filter(person_id=person_id)
    done = Q(stage__in=[Stage.FINAL, Stage.CLOSED])
    if finished:
        seated = Q(pk__in=places.filter(status=PanelStatus.SEATED).values("case_id"))
        found = done & (seated | case_policy.runs_cases_q(user))
    else:
        placed = Q(pk__in=places.filter(status__in=[PanelStatus.PROPOSED, PanelStatus.SEATED]).values("case_id"))
        found = ~done & (placed | Q(Q(stage=Stage.PANEL) & case_policy.runs_cases_q(user)))
    return Case.objects.filter(found).order_by("-opened_at", "-pk")


def _next_due(subject_type: str) -> Subquery:
    """The soonest open deadline of the row's subject (a report or a case), for ordering a list by it."""
    open_ones = Deadline.objects.filter(
        subject_type=subject_type, subject_id=OuterRef("pk"), met_at__isnull=True, cancelled_at__isnull=True
    )
    return Subquery(open_ones.order_by("due_at").values("due_at")[:1])


def soonest_first(found: QuerySet[Any]) -> QuerySet[Any]:
    """Reports or cases, those whose next deadline comes first at the top (those without one last)."""
    return found.annotate(next_due=_next_due(found.model._meta.label_lower)).order_by(
        F("next_due").asc(nulls_last=True), "pk"
    )


@dataclass(frozen=True)
class TimelineStep:
    stage: str
    label: str
    track: str
    at: datetime
    ledger_seq: int | None  # the ledger entry that recorded the step, for its inclusion proof


def case_timeline(*, case: Case) -> list[TimelineStep]:
    """Each step of the case, as both parties see it, with the number of the ledger entry that recorded it."""
    return [
        TimelineStep(
            stage=step.stage,
            label=str(step.get_stage_display()),
            track=step.track,
            at=step.at,
            ledger_seq=step.ledger_seq,
        )
        for step in case.steps.order_by("at", "pk")
    ]


def case_deadlines(*, case: Case, kinds: tuple[str, ...] = ()) -> list[Deadline]:
    """The case's open deadlines, soonest first; only those of ``kinds`` when given."""
    found = deadlines.open_deadlines_for(case)
    return [d for d in found if not kinds or d.kind in kinds]


def panel_of(*, case: Case) -> QuerySet[PanelMember]:
    return case.panel.select_related("person", "body").order_by("proposed_at", "pk")


def panel_bodies(*, case: Case) -> list[Body]:
    """Where the panel of ``case`` comes from: the body handling it (the disciplinary body the bylaws name, or the one
    they name for process complaints), and no other. The oversight body does not stand by to fill a panel: it watches
    the panel's deadlines and reviews how the case was handled, so none of its members sits on one unless it is itself
    the handling body."""
    return [case.body]


def panel_candidates(*, case: Case, day: date) -> QuerySet[Person]:
    """Who may be proposed for the panel: the people sitting on the body the panel comes from (``panel_bodies``) who
    have no place on the case yet (the action excludes anyone conflicted, with a reason)."""
    ids: set[int] = set()
    for body in panel_bodies(case=case):
        ids |= set(org_queries.seats_on(body=body, day=day).values_list("person_id", flat=True))
    return Person.objects.filter(pk__in=ids).exclude(panel_places__case=case).order_by("name", "pk")


def case_documents(*, case: Case) -> QuerySet[CaseDocument]:
    return case.documents.select_related("document").order_by("added_at", "pk")


def case_document(*, case: Case, pk: Any) -> CaseDocument:
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise NotAllowed("no such document") from None
    found = case.documents.filter(pk=number).select_related("document").first()
    if found is None:
        raise NotAllowed("no such document in this case")
    return found


def case_decision(*, case: Case, pk: int) -> Decision:
    found = case.decisions.filter(pk=pk).select_related("decided_by").first()
    if found is None:
        raise NotAllowed("no such decision in this case")
    return found


def case_deadline_latest(*, case: Case, kind: str) -> Deadline | None:
    """The case's latest deadline of ``kind``, whether it is open, met, missed or cancelled."""
    return (
        Deadline.objects.filter(subject_type=case._meta.label_lower, subject_id=case.pk, kind=kind)
        .order_by("-created_at", "-pk")
        .first()
    )


def decision_panel(*, decision: Decision) -> list[PanelMember]:
    """Who sat on the case when ``decision`` was made, investigator first: the panel, or, for a decision on appeal,
    the appeals body's people hearing it. Nobody who had left by then, nobody who came later."""
    roles: list[str] = [PanelRole.APPEALS] if decision.on_appeal else [PanelRole.INVESTIGATOR, PanelRole.DECISION_MAKER]
    members = (
        decision.case.panel.filter(role__in=roles, seated_at__isnull=False, seated_at__lte=decision.issued_at)
        .filter(Q(removed_at__isnull=True) | Q(removed_at__gt=decision.issued_at))
        .select_related("person")
        .order_by("seated_at", "pk")
    )
    return sorted(members, key=lambda member: roles.index(member.role))


def decision_appeals(*, decision: Decision) -> QuerySet[Appeal]:
    return decision.appeals.select_related("body").order_by("lodged_at", "pk")


def decision_overrides(*, decision: Decision) -> QuerySet[Override]:
    return decision.overrides.select_related("body").order_by("made_at", "pk")


def case_challenge(*, case: Case, pk: Any) -> Challenge:
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise NotAllowed("no such challenge") from None
    found = case.challenges.filter(pk=number).select_related("member__person").first()
    if found is None:
        raise NotAllowed("no such challenge in this case")
    return found


@dataclass(frozen=True)
class OverrideRow:
    made_at: datetime
    case_reference: str
    vote_reference: str
    body: str
    meeting_reference: str  # the meeting whose vote it cites, for a link; empty if none is recorded


@dataclass(frozen=True)
class ReadmissionRow:
    made_at: datetime
    name: str
    case_reference: str
    vote_reference: str
    body: str
    meeting_reference: str


def readmissions_for(*, user: Any) -> list[ReadmissionRow]:
    """Every re-admission of a member a final decision expelled, for the membership and the oversight body: when,
    who, which case and which vote. Nothing of the case's content."""
    policy.require(user, "governance.view_meetings")
    rows = []
    for readmission in Readmission.objects.select_related("decision__case", "person", "body").order_by("-made_at"):
        vote = governance_queries.vote_by_reference(reference=readmission.vote_reference)
        rows.append(
            ReadmissionRow(
                made_at=readmission.made_at,
                name=readmission.person.name,
                case_reference=readmission.decision.case.reference,
                vote_reference=readmission.vote_reference,
                body=readmission.body.name,
                meeting_reference=vote.motion.meeting.reference if vote is not None else "",
            )
        )
    return rows


@dataclass(frozen=True)
class EligibilityOverrideRow:
    made_at: datetime
    name: str
    body: str
    reason: str  # what the check had refused, in words: never the code, never a case
    vote_reference: str
    meeting_reference: str


def eligibility_overrides_for(*, user: Any) -> list[EligibilityOverrideRow]:
    """Every override of the eligibility check, for the membership and the oversight body: when, for whom, on which
    body, what it overrode (the refusal's words, never a case) and which vote."""
    policy.require(user, "governance.view_meetings")
    overrides = EligibilityOverride.objects.select_related("person", "body").order_by("-created_at", "-pk")
    return [
        EligibilityOverrideRow(
            made_at=override.created_at,
            name=override.person.name,
            body=override.body.name,
            reason=eligibility.reason_in_words(override.reason_code, on_date=timezone.localdate(override.created_at))
            if override.reason_code in eligibility.EXPLAINED
            else str(meanings.NOT_LISTED.sentence),
            vote_reference=override.vote_reference,
            meeting_reference=override.meeting_reference
            if governance_queries.vote_by_reference(reference=override.vote_reference) is not None
            else "",
        )
        for override in overrides
    ]


def final_decision_of(*, case_reference: str) -> Decision | None:
    """The decision in force in the case ``case_reference`` names, if it is final; None for any other reference."""
    return (
        Decision.objects.filter(case__reference=case_reference.strip().upper(), status=DecisionStatus.FINAL)
        .select_related("case__respondent")
        .order_by("-pk")
        .first()
    )


def overrides_for(*, user: Any) -> list[OverrideRow]:
    """Every override of a final decision, for the membership and the oversight body: when, which case, which vote
    and whose. Nothing of the case's content."""
    policy.require(user, "governance.view_meetings")
    rows = []
    for override in Override.objects.select_related("decision__case", "body").order_by("-made_at", "-pk"):
        vote = governance_queries.vote_by_reference(reference=override.vote_reference)
        rows.append(
            OverrideRow(
                made_at=override.made_at,
                case_reference=override.decision.case.reference,
                vote_reference=override.vote_reference,
                body=override.body.name,
                meeting_reference=vote.motion.meeting.reference if vote is not None else "",
            )
        )
    return rows


# --- cases: the informal track, interim measures, joined reports, process investigations ------------------------


def case_reports(*, case: Case) -> QuerySet[Report]:
    """The reports a case was opened from or joined, oldest first."""
    return case.reports.select_related("respondent").order_by("sent_at", "pk")


def case_report(*, case: Case, pk: Any) -> Report:
    """One of the case's reports; any other report is not found."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise NotAllowed("no such report") from None
    found = case.reports.filter(pk=number).first()
    if found is None:
        raise NotAllowed("no such report in this case")
    return found


def reports_to_join(*, case: Case, user: Any) -> QuerySet[Report]:
    """Reports the signed-in person handles that could join the case: acknowledged, informal or formal, in no case
    yet, about the case's respondent (the action checks it all again)."""
    if not getattr(user, "is_authenticated", False) or case.respondent_id is None or not case.is_open:
        return Report.objects.none()
    return (
        Report.objects.filter(
            case_policy.handled_reports_in_no_case_q(user),
            status=ReportStatus.ACKNOWLEDGED,
            path__in=[ReportPath.FORMAL, ReportPath.INFORMAL],
            respondent_id=case.respondent_id,
        )
        .distinct()
        .order_by("sent_at", "pk")
    )


def case_obligations(*, case: Case) -> QuerySet[Obligation]:
    return case.obligations.order_by("number", "pk")


def case_obligation(*, case: Case, pk: Any) -> Obligation:
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise NotAllowed("no such obligation") from None
    found = case.obligations.filter(pk=number).select_related("case").first()
    if found is None:
        raise NotAllowed("no such obligation in this case")
    return found


def case_interim_measures(*, case: Case, person: Person | None = None) -> QuerySet[InterimMeasure]:
    """The case's interim measures (only those on ``person`` when given), in force first, then by date."""
    found = case.interim_measures.select_related("person")
    if person is not None:
        found = found.filter(person=person)
    return found.order_by(F("lifted_at").desc(nulls_first=True), "imposed_at", "pk")


def case_interim_measure(*, case: Case, pk: Any) -> InterimMeasure:
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise NotAllowed("no such measure") from None
    found = case.interim_measures.filter(pk=number).select_related("case", "person").first()
    if found is None:
        raise NotAllowed("no such measure in this case")
    return found


def withdrawal_undecided(*, case: Case) -> bool:
    """Whether a report of the open case was withdrawn and the people running it have not decided to go on."""
    if not case.is_open or case.proceeds_without_reporter:
        return False
    # Once per page view: the workspace asks it for its steps, its forms and its text.
    return remembered(
        ("cases.withdrawn_report", case.pk), lambda: case.reports.filter(status=ReportStatus.WITHDRAWN).exists()
    )


def bodies_for_investigation() -> QuerySet[Body]:
    """The bodies whose officials a process investigation may examine, by name."""
    return Body.objects.order_by("name", "pk")


def case_by_reference_or_none(*, reference: str) -> Case | None:
    """The case with this reference, for naming the case a process investigation examines."""
    reference = reference.strip()
    return Case.objects.filter(reference=reference).first() if reference and reference.isprintable() else None


def person_with_account(*, email: str) -> Person | None:
    """The person whose account has this email address (an anonymous reporter names an adviser by it)."""
    address = email.strip()
    if not address:
        return None
    return Person.objects.filter(user__email__iexact=address).select_related("user").first()


# --- cases: a party's adviser ----------------------------------------------------------------------------------------

ADVISER_MATCHES = 20  # the most people a search for an adviser answers with


def cannot_advise(*, case: Case, party: Party) -> set[int]:
    """The people (ids) who cannot be ``party``'s adviser in ``case``: anyone who is a party to it, on either side
    (or made one of its reports); anyone on its panel, or who ever sat on it (the appeals body's people hearing it
    too); anyone a reporter of it named as conflicted; the officials a process investigation of it examines; the
    people who handle its reports; and the adviser, named or accepted, of any other party."""
    found: set[int] = set()
    if case.respondent_id is not None:
        found.add(case.respondent_id)
    for person_id, adviser_id, pk in case.parties.values_list("person_id", "adviser_id", "pk"):
        found |= {person_id} | ({adviser_id} if pk != party.pk else set())
    reports = case.reports.all()
    found |= set(Person.objects.filter(user__reports_made__in=reports).values_list("pk", flat=True))
    found |= set(reports.values_list("named_conflicts__person_id", flat=True))
    found |= set(reports.values_list("handlers__person_id", flat=True))
    found |= set(
        case.panel.filter(
            Q(status__in=[PanelStatus.PROPOSED, PanelStatus.SEATED]) | Q(seated_at__isnull=False)
        ).values_list("person_id", flat=True)
    )
    found |= set(case.subjects.values_list("pk", flat=True))
    found |= set(case.process_investigations.values_list("subjects__pk", flat=True))
    return found - {None}


def adviser_matches(*, case: Case, party: Party, user: Any, search: str, day: date) -> list[Person]:
    """Members with an account whose name has ``search`` in it (or whose email address it is), who could be
    ``party``'s adviser; at most ADVISER_MATCHES, by name. Nothing for fewer than two characters, nor for someone
    who may not look at the member directory."""
    text = search.strip()
    if len(text) < 2 or not policy.allows(user, "org.view_directory"):
        return []
    found = (
        org_queries.people_for_directory(user=user, day=day)
        .filter(Q(name__icontains=text) | Q(user__email__iexact=text), user__isnull=False)
        .exclude(pk__in=cannot_advise(case=case, party=party))
    )
    return list(found[:ADVISER_MATCHES])


def adviser_named(*, case: Case, party: Party, user: Any, text: str, day: date) -> list[Person]:
    """Who ``text`` names, for a party naming an adviser: the person whose account has this email address, or the
    members in the directory whose name it is exactly (more than one when names are shared)."""
    wanted = text.strip()
    if not wanted:
        return []
    if "@" in wanted:
        found = person_with_account(email=wanted)
        return [found] if found is not None else []
    if not policy.allows(user, "org.view_directory"):
        return []
    return list(org_queries.people_for_directory(user=user, day=day).filter(name__iexact=wanted, user__isnull=False))


def adviser_invitations(*, user: Any) -> QuerySet[Party]:
    """The parties that named the signed-in person as their adviser and wait for their answer, in open cases."""
    if not getattr(user, "is_authenticated", False):
        return Party.objects.none()
    person_id = case_policy.person_id_of(user)
    if person_id is None:
        return Party.objects.none()
    # By the person's id, which the planner looks up, where a join to their login had it read every party.
    return (
        Party.objects.filter(adviser_id=person_id, adviser_accepted_at__isnull=True)
        .exclude(case__stage__in=[Stage.FINAL, Stage.CLOSED])
        .select_related("case", "person")
        .order_by("case__opened_at", "pk")
    )


def adviser_place(*, reference: str, party_pk: Any, user: Any) -> Party:
    """The party of case ``reference`` that named the signed-in person as their adviser (accepted or not); anyone
    else finds nothing."""
    try:
        number = int(party_pk)
    except (TypeError, ValueError):
        raise NotAllowed("no such party") from None
    found = (
        Party.objects.filter(case__reference=reference, pk=number)
        .select_related("case", "person", "adviser__user", "adviser_hold")
        .first()
    )
    if found is None:
        raise NotAllowed("no such party")
    case_policy.require_named_adviser(found, user=user)
    return found


def report_name(report: Report) -> str:
    """How a person reads which report this is: by when it was received (never its number in the database)."""
    if report.sent_at is None:
        return str(_("The report started on %(day)s") % {"day": date_format(timezone.localtime(report.created_at))})
    moment = date_format(timezone.localtime(report.sent_at), "DATETIME_FORMAT")
    return str(_("The report received on %(moment)s") % {"moment": moment})


# Entries about a report that are steps of it (not each autosave of a draft, nor each reading).
_NOT_STEPS = ("cases.report_saved", "cases.report_read")


def ledger_steps(*, report: Report) -> list[Entry]:
    """The ledger's entries about ``report`` that are steps of it, oldest first: the sending first (the filing)."""
    return list(
        Entry.objects.filter(subject_type=Report._meta.label_lower, subject_id=report.pk)
        .exclude(action__in=_NOT_STEPS)
        .order_by("seq")
    )


@dataclass(frozen=True)
class Finality:
    """How the decision that changed a person's membership became final, for their home page: ``how`` is
    ``waived`` (both parties gave up their appeal), ``appeal_decided`` (the appeals body decided an appeal) or
    ``window_closed`` (the time to appeal ended with no appeal); ``on`` is the day it happened."""

    how: str
    on: date


def finality_of(*, person: Person, reference: str) -> Finality | None:
    """How the final decision named ``reference`` (``C-2026-4/D7``, as its status change names it) about
    ``person``, its respondent, became final; None if no such decision is final."""
    _case, _slash, number = reference.rpartition("/D")
    if not number.isdigit():
        return None
    decision = (
        Decision.objects.filter(pk=int(number), case__respondent=person, status=DecisionStatus.FINAL)
        .select_related("case")
        .first()
    )
    if decision is None or decision.final_at is None:
        return None
    appeal = decision.case.appeals.filter(decided_at__isnull=False).order_by("-decided_at").first()
    if appeal is not None and appeal.decided_at is not None:
        return Finality(how="appeal_decided", on=timezone.localdate(appeal.decided_at))
    parties = decision.case.parties.all()
    if parties and all(party.appeal_waived_at is not None for party in parties):
        return Finality(how="waived", on=timezone.localdate(decision.final_at))
    return Finality(how="window_closed", on=timezone.localdate(decision.final_at))
