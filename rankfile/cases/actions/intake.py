"""Every write to reports: start, save (sealed, each save a version), send on a path, acknowledge, withdraw, messages.

The reporter's own steps are recorded on the ledger as the reporter's, without naming them: the ledger says that the
reporter of report 12 sent it, not who that is. Handlers act under their own names.
"""

import json
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.cases import notify, queries, routing
from rankfile.cases import policy as case_policy
from rankfile.cases.models import (
    Handler,
    Message,
    MessageSide,
    NamedConflict,
    Report,
    ReportPath,
    ReportStatus,
    StatusStep,
)
from rankfile.cases.queries import AttachedFile, OpenedMessage
from rankfile.cases.timers import ACKNOWLEDGE
from rankfile.deadlines import actions as deadlines
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema
from rankfile.org import queries as org_queries
from rankfile.org.models import Person
from rankfile.transactions import action
from rankfile.vault import documents, keys
from rankfile.vault.errors import VaultError
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import Document, Keypair, Version

REPORTER = ledger.Actor("reporter")  # the reporter of the report an entry names, whoever they are

REPORT_STARTED = schema.define(
    "cases.report_started",
    label=gettext_lazy("A report was started"),
    fields={"report": schema.ID, "path": schema.CODE, "anonymous": schema.BOOL},
)
REPORT_SAVED = schema.define(
    "cases.report_saved",
    label=gettext_lazy("A report was saved"),
    fields={"report": schema.ID, "version": schema.COUNT, "sealed": schema.HASH},
)
REPORT_SENT = schema.define(
    "cases.report_sent",
    label=gettext_lazy("A report was sent"),
    fields={
        "report": schema.ID,
        "path": schema.CODE,
        "body": schema.optional(schema.ID),
        "handlers": schema.COUNT,
        "fell_back": schema.BOOL,
    },
    checkpoint_after=True,
)
REPORT_READ = schema.define(
    "cases.report_read",
    label=gettext_lazy("A report was read"),
    fields={"report": schema.ID, "version": schema.COUNT, "document": schema.ID, "as": schema.CODE},
)
REPORT_ACKNOWLEDGED = schema.define(
    "cases.report_acknowledged", label=gettext_lazy("A report was acknowledged"), fields={"report": schema.ID}
)
REPORT_WITHDRAWN = schema.define(
    "cases.report_withdrawn",
    label=gettext_lazy("A report was withdrawn"),
    fields={"report": schema.ID, "path": schema.CODE},
)
EVIDENCE_ADDED = schema.define(
    "cases.evidence_added",
    label=gettext_lazy("Evidence was added to a report"),
    fields={"report": schema.ID, "document": schema.ID, "sealed": schema.HASH},
)
MESSAGE_SENT = schema.define(
    "cases.message_sent",
    label=gettext_lazy("A message was sent about a report"),
    fields={"report": schema.ID, "message": schema.ID, "side": schema.CODE, "note": schema.BOOL, "sealed": schema.HASH},
)

# What a report holds, all sealed together; none of it is required but what happened.
CONTENT_FIELDS = ("what_happened", "when", "where", "who", "witnesses", "wishes", "contact")
CONTENT_LIMIT = 50_000  # characters per field


class ReportRead(documents.Purpose):
    """A read of a report's content, on the ledger: by whom (the entry's actor) and in which capacity."""

    def __init__(self, *, report: Report, actor: Any, capacity: str) -> None:
        self.report, self.actor, self.capacity = report, actor, capacity

    def record_open(self, *, version: Version, reader: Keypair) -> None:
        ledger.record(
            actor=self.actor,
            action=REPORT_READ,
            subject=self.report,
            data={
                "report": self.report.pk,
                "version": version.number,
                "document": version.document_id,
                "as": self.capacity,
            },
        )


def _clean_content(content: dict[str, Any]) -> dict[str, str]:
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise InvalidInput(f"unknown report fields: {', '.join(sorted(unknown))}", code="unknown_field")
    cleaned = {name: str(content.get(name) or "").strip() for name in CONTENT_FIELDS}
    too_long = [name for name, value in cleaned.items() if len(value) > CONTENT_LIMIT]
    if too_long:
        message = _("This is longer than %(limit)s characters; shorten it, or attach it as a file.") % {
            "limit": f"{CONTENT_LIMIT:,}"
        }
        raise InvalidInput(message, code="too_long", field_errors={name: [message] for name in too_long})
    return cleaned


def readers_of(report: Report) -> list[Keypair]:
    """Who can open the report's content now: the reporter (with their current key), and each current handler with
    a key."""
    reporter = queries.reporters_key(report)
    readers = [reporter] if reporter is not None else []
    for handler in report.handlers.filter(removed_at__isnull=True).select_related("person__user"):
        key = keys.person_key(handler.person.user) if handler.person.user else None
        if key is not None:
            readers.append(key)
    return readers


def _step(report: Report) -> None:
    StatusStep.objects.create(report=report, status=report.status, path=report.path)


@action
def report_start(*, reporter: Any, path: str = ReportPath.RECORD_ONLY) -> tuple[Report, str | None, UnlockedKey | None]:
    """A new draft. A signed-in reporter's own key reads it; anyone else gets a receipt code, returned once.

    Returns the report, the receipt code (anonymous only) and the receipt's unlocked key (anonymous only).
    """
    if path not in ReportPath.values:
        raise InvalidInput(_("Choose what you would like to happen with your report."), code="path")
    code, unlocked = None, None
    if getattr(reporter, "is_authenticated", False):
        key = keys.person_key(reporter)
        if key is None:
            raise InvalidInput(_("Sign out and in again to set up your key, then start the report."), code="no_key")
    else:
        code, unlocked = keys.receipt_key_create()
        key = unlocked.keypair
        reporter = None
    version = documents.seal(kind="report", content=json.dumps(dict.fromkeys(CONTENT_FIELDS, "")), readers=[key])
    report = Report.objects.create(reporter=reporter, reporter_key=key, path=path, content=version.document)
    _step(report)
    ledger.record(
        actor=REPORTER,
        action=REPORT_STARTED,
        subject=report,
        data={"report": report.pk, "path": path, "anonymous": code is not None},
    )
    return report, code, unlocked


@action
def report_save(*, report: Report, content: dict[str, Any], key: UnlockedKey) -> Version:
    """A new version of the report's content (earlier versions are kept); drafts autosave through this."""
    policy.require(key, "cases.hold_reporter_key", report)  # only the reporter changes their report
    if report.status in (ReportStatus.WITHDRAWN, ReportStatus.CLOSED):
        raise InvalidInput(_("This report is closed; it cannot be changed."), code="closed")
    version = documents.seal(
        kind="report", content=json.dumps(_clean_content(content)), readers=readers_of(report), document=report.content
    )
    ledger.record(
        actor=REPORTER,
        action=REPORT_SAVED,
        subject=report,
        data={"report": report.pk, "version": version.number, "sealed": bytes(version.sealed_hash).hex()},
    )
    return version


@action
def report_evidence_add(*, report: Report, upload: documents.Upload, key: UnlockedKey) -> Version:
    """Attach a file (checked for size and type before anything is stored, then sealed as it streams)."""
    policy.require(key, "cases.hold_reporter_key", report)  # only the reporter changes their report
    if report.status in (ReportStatus.WITHDRAWN, ReportStatus.CLOSED, ReportStatus.DELETED, ReportStatus.PURGED):
        raise InvalidInput(_("This report is closed; nothing can be added."), code="closed")
    version = documents.seal_file(kind="evidence", upload=upload, readers=readers_of(report))
    report.evidence.add(version.document)
    ledger.record(
        actor=REPORTER,
        action=EVIDENCE_ADDED,
        subject=report,
        data={"report": report.pk, "document": version.document_id, "sealed": bytes(version.sealed_hash).hex()},
    )
    return version


def message_open(*, message: Message, key: UnlockedKey, actor: Any, capacity: str) -> str:
    """One message, opened with ``key``; the opening is a read of the report on the ledger."""
    version = documents.latest(message.content)
    with documents.reading(version, key):
        return documents.open_text(
            version, key=key, purpose=ReportRead(report=message.report, actor=actor, capacity=capacity)
        )


def messages_open(
    *, report: Report, key: UnlockedKey, actor: Any, capacity: str, internal_notes: bool = False
) -> list[OpenedMessage]:
    """The report's messages (or its handlers' internal notes), each opened with ``key`` where it can be (a message
    sent before this person handled the report may not be theirs to open), with the names, types and sizes of their
    attachments: every opening is on the ledger."""
    found = (
        report.messages.filter(internal_note=internal_notes)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("sent_at", "pk")
    )
    opened = []
    for message in found:
        text: str | None
        try:
            text = message_open(message=message, key=key, actor=actor, capacity=capacity)
        except (NotAllowed, VaultError):
            text = None
        attachments = files_open(
            report=report,
            files=sorted(message.attachments.all(), key=lambda d: d.pk),
            key=key,
            actor=actor,
            capacity=capacity,
        )
        opened.append(
            OpenedMessage(
                message=message,
                author=message.author.name if message.author else "",
                from_reporter=message.side == MessageSide.REPORTER,
                text=text,
                attachments=tuple(attachments),
            )
        )
    return opened


def files_open(
    *, report: Report, files: Sequence[Document], key: UnlockedKey, actor: Any, capacity: str
) -> list[AttachedFile]:
    """The sealed name, type and size of each of the report's ``files`` that ``key`` opens; each opening is a read
    of the report on the ledger. The contents stay unread."""
    opened = []
    for document in files:
        try:
            version = documents.latest(document)
            with documents.reading(version, key):
                found = documents.open_file(
                    version, key=key, purpose=ReportRead(report=report, actor=actor, capacity=capacity)
                )
        except (NotAllowed, VaultError):
            opened.append(AttachedFile(document_id=document.pk, name=None))
        else:
            opened.append(
                AttachedFile(document_id=document.pk, name=found.name, content_type=found.content_type, size=found.size)
            )
    return opened


def evidence_open(*, report: Report, key: UnlockedKey, actor: Any, capacity: str) -> list[AttachedFile]:
    """The report's evidence, oldest first, as ``files_open`` opens it."""
    evidence = list(report.evidence.order_by("pk"))
    return files_open(report=report, files=evidence, key=key, actor=actor, capacity=capacity)


def report_file_open(
    *, report: Report, document_pk: int, key: UnlockedKey, actor: Any, capacity: str
) -> documents.OpenedFile:
    """One of the report's files, to download: its evidence or a message's attachment (an internal note's only for
    a handler). The opening is on the ledger before anything is decrypted; the chunks decrypt as they are read."""
    if report.destroyed_at is not None:
        raise NotAllowed("the report's content was destroyed")
    document = queries.report_file(report=report, pk=document_pk, with_internal_notes=capacity == "handler")
    version = documents.latest(document)
    with documents.reading(version, key):
        return documents.open_file(version, key=key, purpose=ReportRead(report=report, actor=actor, capacity=capacity))


def report_seen(*, report: Report, key: UnlockedKey) -> None:
    """The reporter opened their report's page: what came before is no longer news to them.

    A marker for their list of reports, not a change to the report, so not on the ledger (like the time of a
    sign-in): recording each visit would only keep a diary of the reporter's comings and goings."""
    policy.require(key, "cases.hold_reporter_key", report)  # only the reporter changes their report
    report.reporter_seen_at = timezone.now()
    Report.objects.filter(pk=report.pk).update(reporter_seen_at=report.reporter_seen_at)


def report_content(
    *, report: Report, key: UnlockedKey, actor: Any, capacity: str, version: Version | None = None
) -> dict[str, str]:
    """The latest content (or ``version``, its latest as ``documents.latest_for_reader`` found it), opened for the
    reporter or a handler; the read is on the ledger."""
    version = version or documents.latest(report.content)
    with documents.reading(version, key):
        text = documents.open_text(version, key=key, purpose=ReportRead(report=report, actor=actor, capacity=capacity))
    return dict(json.loads(text))


@action
def report_send(
    *,
    report: Report,
    path: str,
    key: UnlockedKey,
    respondent: Person | None = None,
    process_complaint: bool = False,
    named_conflicts: Sequence[Person] = (),
) -> Report:
    """Record privately, or send on a path: routed around conflicts, with a deadline to acknowledge it."""
    policy.require(key, "cases.hold_reporter_key", report)  # only the reporter changes their report
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RECORDED):
        raise InvalidInput(_("This report was already sent."), code="already_sent")
    if path not in ReportPath.values:
        raise InvalidInput(_("Choose what you would like to happen with your report."), code="path")
    latest_text = documents.open_text(
        documents.latest(report.content), key=key, purpose=ReportRead(report=report, actor=REPORTER, capacity="sending")
    )
    if not json.loads(latest_text).get("what_happened", "").strip():
        message = _("Write what happened before you send the report.")
        raise InvalidInput(message, code="empty", field_errors={"what_happened": [message]})
    report.path = path
    report.respondent = respondent
    report.process_complaint = process_complaint
    NamedConflict.objects.filter(report=report).delete()
    NamedConflict.objects.bulk_create(
        NamedConflict(report=report, person=p) for p in {p.pk: p for p in named_conflicts}.values()
    )
    if path == ReportPath.RECORD_ONLY:
        report.status = ReportStatus.RECORDED
        report.save(update_fields=["path", "respondent", "process_complaint", "status"])
        _step(report)
        return report
    today = timezone.localdate()
    reporter_person = org_queries.person_of(user=report.reporter) if report.reporter else None
    chosen = routing.route(
        path=path,
        process_complaint=process_complaint,
        day=today,
        respondent=respondent,
        reporter=reporter_person,
        named_conflicts=list(named_conflicts),
    )
    report.handling_body = chosen.body
    report.status = ReportStatus.SUBMITTED
    report.sent_at = timezone.now()
    report.save(update_fields=["path", "respondent", "process_complaint", "handling_body", "status", "sent_at"])
    if chosen.body is not None:
        Handler.objects.bulk_create(Handler(report=report, person=p, body=chosen.body) for p in chosen.people)
    # The content goes to the handlers: a new version sealed to them too (the drafts before it stay the reporter's),
    # and so does the evidence attached.
    readers = readers_of(report)
    documents.seal(kind="report", content=latest_text, readers=readers, document=report.content)
    for evidence in report.evidence.all():
        for reader in readers:
            documents.grant(document=evidence, to=reader, by=key)
    _step(report)
    days = int(org_queries.bylaws_document(day=today)["deadlines"]["acknowledge_report"])
    due = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(23, 59)))
    deadlines.deadline_set(
        kind=ACKNOWLEDGE.code,
        subject=report,
        due_at=due,
        body=chosen.body,
        remind_before=timedelta(days=1),
        by=REPORTER,
    )
    ledger.record(
        actor=REPORTER,
        action=REPORT_SENT,
        subject=report,
        data={
            "report": report.pk,
            "path": path,
            "body": chosen.body.pk if chosen.body else None,
            "handlers": len(chosen.people),
            "fell_back": chosen.fell_back,
        },
    )
    notify.handlers(report, chosen.people)
    return report


def require_handler(*, report: Report, user: Any) -> None:
    """A current handler of the report, with a second factor (a handler without one is told to enable it)."""
    policy.require(user, "cases.handle_report", report)
    case_policy.require_second_factor(user)


@action
def report_acknowledge(*, report: Report, by: Any) -> Report:
    require_handler(report=report, user=by)
    if report.status != ReportStatus.SUBMITTED:
        raise InvalidInput(_("This report is not waiting to be acknowledged."), code="not_waiting")
    report.status = ReportStatus.ACKNOWLEDGED
    report.acknowledged_at = timezone.now()
    report.save(update_fields=["status", "acknowledged_at"])
    _step(report)
    for deadline in deadlines.open_deadlines_for(report):
        if deadline.kind == ACKNOWLEDGE.code:
            deadlines.deadline_met(deadline=deadline, by=by)
    ledger.record(actor=by, action=REPORT_ACKNOWLEDGED, subject=report, data={"report": report.pk})
    notify.reporter_of_update(report)
    return report


@action
def report_withdraw(*, report: Report, key: UnlockedKey) -> Report:
    """The reporter withdraws. The body may still proceed where others are at risk (stated on the form)."""
    policy.require(key, "cases.hold_reporter_key", report)  # only the reporter changes their report
    if report.status in (ReportStatus.WITHDRAWN, ReportStatus.CLOSED):
        raise InvalidInput(_("This report is already closed."), code="closed")
    report.status = ReportStatus.WITHDRAWN
    report.withdrawn_at = timezone.now()
    report.save(update_fields=["status", "withdrawn_at"])
    _step(report)
    for deadline in deadlines.open_deadlines_for(report):
        deadlines.deadline_cancel(deadline=deadline, by=REPORTER)
    ledger.record(
        actor=REPORTER, action=REPORT_WITHDRAWN, subject=report, data={"report": report.pk, "path": report.path}
    )
    # A case built on the report does not end with it: the people running it decide whether to go on.
    notify.panel_of_withdrawal(report)
    return report


@action
def message_send(
    *,
    report: Report,
    text: str,
    key: UnlockedKey,
    by: Any,
    internal_note: bool = False,
    attachments: Sequence[documents.Upload] = (),
) -> Message:
    """A sealed message: from the reporter to the handlers, or from a handler to the reporter (or, as an internal
    note, to the other handlers only)."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(
            _("Write a message first."), code="empty", field_errors={"text": [_("Write a message first.")]}
        )
    if len(text) > CONTENT_LIMIT:
        raise InvalidInput(_("This message is too long."), code="too_long")
    from_reporter = case_policy.holds_reporter_key(report, key)
    if from_reporter:
        if internal_note:
            raise NotAllowed("reporters write messages, not internal notes")
        side, author = MessageSide.REPORTER, None
    else:
        require_handler(report=report, user=by)
        side, author = MessageSide.HANDLERS, org_queries.person_of(user=by)
    readers = readers_of(report)
    if internal_note:
        readers = [r for r in readers if not case_policy.is_reporters_keypair(report, r)]
    version = documents.seal(kind="message", content=text, readers=readers)
    message = Message.objects.create(
        report=report, side=side, author=author, internal_note=internal_note, content=version.document
    )
    for upload in attachments:
        message.attachments.add(documents.seal_file(kind="attachment", upload=upload, readers=readers).document)
    ledger.record(
        actor=REPORTER if from_reporter else by,
        action=MESSAGE_SENT,
        subject=report,
        data={
            "report": report.pk,
            "message": message.pk,
            "side": side,
            "note": internal_note,
            "sealed": bytes(version.sealed_hash).hex(),
        },
    )
    if not from_reporter and not internal_note:
        notify.reporter_of_update(report)
    return message


HANDLER_STEPPED_DOWN = schema.define(
    "cases.handler_stepped_down",
    label=gettext_lazy("A handler stepped down from a report for a conflict"),
    fields={"report": schema.ID, "handlers": schema.COUNT, "fell_back": schema.BOOL},
    flagged=True,
)


@action
def report_step_down(*, report: Report, by: Any, key: UnlockedKey) -> Report:
    """A handler with a conflict (they know the people involved, or it concerns their body) steps down: they are
    taken off the report and lose access at once; if too few remain, the oversight body's people join, given access
    with the stepping-down handler's key before it is taken away. Flagged for the oversight body."""
    require_handler(report=report, user=by)
    person = org_queries.person_of(user=by)
    handler = report.handlers.get(person=person, removed_at__isnull=True)  # require_handler: there is one
    handler.removed_at = timezone.now()
    handler.save(update_fields=["removed_at"])
    fell_back = _refill_handlers(report, key=key, also_excluded=[handler.person])
    for document in documents_of(report, with_internal_notes=True):
        documents.revoke(document=document, reader=key.keypair)
    ledger.record(
        actor=by,
        action=HANDLER_STEPPED_DOWN,
        subject=report,
        data={
            "report": report.pk,
            "handlers": report.handlers.filter(removed_at__isnull=True).count(),
            "fell_back": fell_back,
        },
    )
    notify.reporter_of_update(report)  # her page says someone stepped aside, never why
    return report


CONFLICT_NAMED = schema.define(
    "cases.conflict_named",
    label=gettext_lazy("A reporter named a conflict of interest"),
    fields={"report": schema.ID, "handler_removed": schema.BOOL, "handlers": schema.COUNT, "fell_back": schema.BOOL},
)


def documents_of(report: Report, *, with_internal_notes: bool) -> list[Any]:
    """Every sealed document of a report: its content, evidence, messages (and internal notes) with their
    attachments, and the details of supportive measures."""
    found = [report.content, *report.evidence.all()]
    messages = report.messages.select_related("content").prefetch_related("attachments")
    for message in messages:
        if message.internal_note and not with_internal_notes:
            continue
        found += [message.content, *message.attachments.all()]
    found += [measure.details for measure in report.supportive_measures.select_related("details")]
    return found


def _refill_handlers(report: Report, *, key: UnlockedKey, also_excluded: Sequence[Person] = ()) -> bool:
    """When too few handlers remain, the oversight body's people join (none named as a conflict, nor
    ``also_excluded``), given access with ``key`` (the reporter's, or a handler's who holds it); internal notes stay
    with the handlers, who can share them. Whether anyone joined."""
    fell_back = False
    remaining = list(report.handlers.filter(removed_at__isnull=True).select_related("person"))
    today = timezone.localdate()
    needed = routing.handlers_needed(path=report.path, document=org_queries.bylaws_document(day=today))
    if len(remaining) < needed:
        reporter_person = org_queries.person_of(user=report.reporter) if report.reporter else None
        chosen = routing.route(
            path=report.path,
            process_complaint=report.process_complaint,
            day=today,
            respondent=report.respondent,
            reporter=reporter_person,
            named_conflicts=[
                *(c.person for c in report.named_conflicts.select_related("person")),
                *also_excluded,
            ],
            oversight_only=True,
        )
        known = {h.person_id for h in report.handlers.all()}
        newcomers = [p for p in chosen.people if p.pk not in known]
        if chosen.body is not None and newcomers:
            fell_back = True
            Handler.objects.bulk_create(Handler(report=report, person=p, body=chosen.body) for p in newcomers)
            for newcomer in newcomers:
                their_key = keys.person_key(newcomer.user) if newcomer.user else None
                if their_key is None:
                    continue
                for shared in documents_of(report, with_internal_notes=False):
                    documents.grant(document=shared, to=their_key, by=key)
            notify.handlers(report, newcomers)
    return fell_back


@action
def report_conflict_name(*, report: Report, person: Person, key: UnlockedKey) -> Report:
    """The reporter names someone they do not want handling the report, after it was sent (they see who holds
    it). A handler so named is removed and loses access at once; if too few handlers remain, the oversight body's
    people join, given access with the reporter's key (internal notes stay with the handlers, who can share them)."""
    policy.require(key, "cases.hold_reporter_key", report)  # only the reporter changes their report
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.ACKNOWLEDGED):
        raise InvalidInput(_("Conflicts are named for a report that was sent."), code="not_sent")
    NamedConflict.objects.get_or_create(report=report, person=person)
    handler = report.handlers.filter(person=person, removed_at__isnull=True).first()
    if handler is not None:
        handler.removed_at = timezone.now()
        handler.save(update_fields=["removed_at"])
        own = keys.person_key(person.user) if person.user else None
        if own is not None:
            for document in documents_of(report, with_internal_notes=True):
                documents.revoke(document=document, reader=own)
    fell_back = _refill_handlers(report, key=key)
    ledger.record(
        actor=REPORTER,
        action=CONFLICT_NAMED,
        subject=report,
        data={
            "report": report.pk,
            "handler_removed": handler is not None,
            "handlers": report.handlers.filter(removed_at__isnull=True).count(),
            "fell_back": fell_back,
        },
    )
    return report
