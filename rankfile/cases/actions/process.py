"""The formal track, step by step, each with its deadline from the bylaws and a timer (DESIGN.md invariant 10):

notice to the respondent (specific allegations and the provisions concerned; the panel may hold it back to prevent
retaliation, on the record) -> the respondent's response (the case goes on without one when the time is up) ->
investigation (statements, interviews, evidence, all sealed) -> evidence review by both parties with equal access,
redactions agreed with the reporter -> investigation report -> decision (``decisions.py``).

A step the case is not at is refused with the stage it is at. The respondent is presumed not responsible until the
decision; both parties see every step of their own case.
"""

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile.cases import casefiles, meanings, notify, stages
from rankfile.cases import policy as case_policy
from rankfile.cases.actions.intake import REPORTER
from rankfile.cases.actions.panel import bylaws, move, require_panelist
from rankfile.cases.models import (
    Allegation,
    Audience,
    Case,
    CaseDocument,
    CaseDocumentKind,
    Party,
    PartyRole,
    Stage,
)
from rankfile.cases.timers import (
    DECISION_TARGET,
    EVIDENCE_REVIEW,
    GIVE_NOTICE,
    RESPONSE,
    case_of,
    set_timer,
    settle_timers,
)
from rankfile.deadlines import actions as deadlines
from rankfile.deadlines.models import Deadline
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema
from rankfile.transactions import action
from rankfile.vault import documents
from rankfile.vault.keys import UnlockedKey

NOTICE_GIVEN = schema.define(
    "cases.notice_given",
    label=gettext_lazy("Notice was given to the respondent"),
    fields={"case": schema.ID, "allegations": schema.COUNT, "sealed": schema.HASH},
    checkpoint_after=True,
)
NOTICE_DELAYED = schema.define(
    "cases.notice_delayed",
    label=gettext_lazy("Notice was held back"),
    fields={"case": schema.ID, "until": schema.DATE, "reason": schema.CODE},
)
DOCUMENT_ADDED = schema.define(
    "cases.document_added",
    label=gettext_lazy("A document was added to a case"),
    fields={"case": schema.ID, "item": schema.ID, "kind": schema.CODE, "audience": schema.CODE, "sealed": schema.HASH},
)
REDACTION_AGREED = schema.define(
    "cases.redaction_agreed",
    label=gettext_lazy("A redaction was agreed"),
    fields={"case": schema.ID, "item": schema.ID},
)
EVIDENCE_SHARED = schema.define(
    "cases.evidence_shared",
    label=gettext_lazy("Evidence was shared with the parties"),
    fields={"case": schema.ID, "items": schema.COUNT, "keys": schema.COUNT},
)

NOTICE_REASONS = tuple(meanings.labels("notice_delay"))
PARTY_KINDS = (CaseDocumentKind.STATEMENT, CaseDocumentKind.EVIDENCE)
PANEL_KINDS = (
    CaseDocumentKind.STATEMENT,
    CaseDocumentKind.INTERVIEW,
    CaseDocumentKind.EVIDENCE,
    CaseDocumentKind.NOTE,
)
TEXT_LIMIT = 100_000


def proceed_without_response(deadline: Deadline) -> None:
    """The respondent did not respond in time: the case goes on without the response."""
    case = case_of(deadline)
    if case.stage == Stage.RESPONSE:
        move(case, Stage.INVESTIGATION, by=ledger.SYSTEM)


def close_review(deadline: Deadline) -> None:
    """The parties' review of the evidence ends when its time is up."""
    case = case_of(deadline)
    if case.stage == Stage.EVIDENCE_REVIEW:
        move(case, Stage.REPORT, by=ledger.SYSTEM)


def checked_text(value: str, *, field: str, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        message = _("This cannot be empty.")
        raise InvalidInput(message, code="empty", field_errors={field: [message]})
    if len(text) > TEXT_LIMIT:
        message = _("This is longer than %(limit)s characters; attach it as a file.") % {"limit": f"{TEXT_LIMIT:,}"}
        raise InvalidInput(message, code="too_long", field_errors={field: [message]})
    return text


def _added(case: Case, item: CaseDocument, *, by: Any) -> CaseDocument:
    version = documents.latest(item.document)
    ledger.record(
        actor=by,
        action=DOCUMENT_ADDED,
        subject=case,
        data={
            "case": case.pk,
            "item": item.pk,
            "kind": item.kind,
            "audience": item.audience,
            "sealed": bytes(version.sealed_hash).hex(),
        },
    )
    return item


@action
def notice_delay(*, case: Case, until: date, reason_code: str, by: Any) -> Case:
    """Hold the notice back, to prevent retaliation: on the record, with a date by which it must be given."""
    require_panelist(case, by)
    stages.require_open(case, "notice_delay")
    today = timezone.localdate()
    if reason_code not in NOTICE_REASONS:
        message = _("Choose why the notice is held back.")
        raise InvalidInput(message, code="reason", field_errors={"reason_code": [message]})
    if not today < until <= today + timedelta(days=90):
        message = _("Give a date after today and within 90 days.")
        raise InvalidInput(message, code="until", field_errors={"until": [message]})
    case.notice_delayed_until = until
    case.save(update_fields=["notice_delayed_until"])
    settle_timers(case, GIVE_NOTICE.code, by=by, met=False)
    deadlines.deadline_set(
        kind=GIVE_NOTICE.code,
        subject=case,
        due_at=timezone.make_aware(datetime.combine(until, time(23, 59))),
        body=case.body,
        remind_before=timedelta(days=2),
        by=by,
    )
    ledger.record(
        actor=by,
        action=NOTICE_DELAYED,
        subject=case,
        data={"case": case.pk, "until": until.isoformat(), "reason": reason_code},
    )
    return case


NOTICE_DRAFTED = schema.define(
    "cases.notice_drafted",
    label=gettext_lazy("A notice was drafted"),
    fields={"case": schema.ID, "item": schema.ID, "allegations": schema.COUNT},
)
NOTICE_AGREED = schema.define(
    "cases.notice_agreed",
    label=gettext_lazy("The panel agreed the notice"),
    fields={"case": schema.ID, "item": schema.ID},
)


def _clean_allegations(allegations: Sequence[Any]) -> list[dict[str, Any]]:
    cleaned: list[dict[str, Any]] = []
    problems: dict[str, list[str]] = {}
    for n, allegation in enumerate(allegations, start=1):
        if not isinstance(allegation, Mapping):
            problems[f"allegation_{n}"] = [_("Give each allegation as its text and the provisions concerned.")]
            continue
        text = str(allegation.get("text") or "").strip()
        provisions = str(allegation.get("provisions") or "").strip()
        if not text:
            problems[f"allegation_{n}"] = [_("Say what is alleged: what, when, where.")]
        elif len(text) > TEXT_LIMIT:
            problems[f"allegation_{n}"] = [_("Say it in at most %(limit)s characters.") % {"limit": f"{TEXT_LIMIT:,}"}]
        if not provisions:
            problems[f"provisions_{n}"] = [_("Name the provisions of the bylaws or code of conduct concerned.")]
        elif len(provisions) > 500:
            problems[f"provisions_{n}"] = [_("Name them in at most 500 characters.")]
        cleaned.append({"number": n, "text": text, "provisions": provisions})
    if not cleaned:
        problems["allegation_1"] = [_("A notice has at least one allegation.")]
    if problems:
        raise InvalidInput(_("The notice is not complete."), code="notice_incomplete", field_errors=problems)
    return cleaned


def draft_notice_of(case: Case) -> CaseDocument | None:
    """The latest draft of the notice, while it has not been given."""
    return case.documents.filter(kind=CaseDocumentKind.NOTICE, shared_at__isnull=True).order_by("-pk").first()


def reporters_yet_to_agree(case: Case) -> list[Party]:
    return list(case.parties.filter(role=PartyRole.REPORTER, notice_agreed_at__isnull=True).order_by("pk"))


@action
def notice_draft(*, case: Case, allegations: Sequence[dict[str, str]], by: Any) -> CaseDocument:
    """The panel drafts the notice: written, specific allegations, each with the provisions concerned. The reporter
    reads the draft first and agrees to what it discloses; a new draft asks again. Nothing reaches the respondent
    until the notice is given."""
    require_panelist(case, by)
    stages.require_open(case, "notice_draft")
    cleaned = _clean_allegations(allegations)
    item = casefiles.add_json(
        case=case,
        kind=CaseDocumentKind.NOTICE,
        audience=Audience.REPORTER,
        added_by_role="panel",
        content={"allegations": cleaned, "standard_of_proof": case.standard_of_proof},
    )
    item.title = str(_("Draft notice of allegations"))
    item.save(update_fields=["title"])
    case.allegations.all().delete()  # none has a finding before the notice is given
    Allegation.objects.bulk_create(Allegation(case=case, number=a["number"]) for a in cleaned)
    case.parties.filter(role=PartyRole.REPORTER).update(notice_agreed_at=None)
    ledger.record(
        actor=by,
        action=NOTICE_DRAFTED,
        subject=case,
        data={"case": case.pk, "item": item.pk, "allegations": len(cleaned)},
    )
    notify.reporters(
        case,
        _("The draft notice in case %(case)s") % {"case": case.reference},
        _(
            "The panel drafted the notice of allegations in case %(case)s. Read it and agree to what it tells the "
            "respondent before it is given. If something should not be disclosed, do not agree: write to the people "
            "handling your report from its page (your case's page links to it)."
        )
        % {"case": case.reference},
    )
    return item


@action
def notice_agree(*, case: Case, key: UnlockedKey, by: Any) -> Party:
    """A reporter agrees to what the latest draft of the notice discloses."""
    party = case_policy.require_party(case, key, roles=[PartyRole.REPORTER])
    stages.require_open(case, "notice_agree")
    item = draft_notice_of(case)
    if item is None:
        raise InvalidInput(_("There is no draft of the notice to agree to yet."), code="no_draft")
    party.notice_agreed_at = timezone.now()
    party.save(update_fields=["notice_agreed_at"])
    ledger.record(
        actor=party_actor(party, by), action=NOTICE_AGREED, subject=case, data={"case": case.pk, "item": item.pk}
    )
    return party


@action
def notice_give(*, case: Case, by: Any, key: UnlockedKey) -> CaseDocument:
    """Give the drafted notice, once every reporter has agreed to it, to the respondent (and every party: both sides
    see the notice). Starts the time for the response, and the time for the decision."""
    require_panelist(case, by)
    stages.require_open(case, "notice_give")
    item = draft_notice_of(case)
    if item is None:
        raise InvalidInput(_("Draft the notice first; the reporter reads it before it is given."), code="no_draft")
    if reporters_yet_to_agree(case):
        raise InvalidInput(
            _("The reporter has not yet agreed to what the notice discloses. Wait for them, or change the draft."),
            code="reporter_not_agreed",
        )
    casefiles.widen(item=item, audience=Audience.PARTIES, key=key)
    item.title = str(CaseDocumentKind.NOTICE.label)
    item.shared_at = timezone.now()
    item.save(update_fields=["title", "shared_at"])
    case.noticed_at = item.shared_at
    case.save(update_fields=["noticed_at"])
    settle_timers(case, GIVE_NOTICE.code, by=by)
    document = bylaws()
    set_timer(case, RESPONSE, days=int(document["deadlines"]["respondent_response"]), by=by)
    set_timer(case, DECISION_TARGET, days=int(document["deadlines"]["decision_target"]), by=by)
    ledger.record(
        actor=by,
        action=NOTICE_GIVEN,
        subject=case,
        data={
            "case": case.pk,
            "allegations": case.allegations.count(),
            "sealed": bytes(documents.latest(item.document).sealed_hash).hex(),
        },
    )
    move(case, Stage.RESPONSE, by=by)
    notify.parties(
        case,
        _("Notice in case %(case)s") % {"case": case.reference},
        _("A written notice of allegations was issued in case %(case)s. Sign in to read it and to respond.")
        % {"case": case.reference},
    )
    in_force = case.interim_measures.filter(person=case.respondent, lifted_at__isnull=True)
    if case.respondent is not None and in_force.exists():
        # Imposed before the notice, a measure was not told to the respondent then: it is now.
        notify.interim_measure(case, roles=(PartyRole.RESPONDENT,))
    return item


def party_actor(party: Party, by: Any) -> Any:
    return REPORTER if party.role == PartyRole.REPORTER and party.person is None else by


@action
def response_file(*, case: Case, text: str, key: UnlockedKey, by: Any) -> CaseDocument:
    """The respondent's response, for the panel (both parties see the evidence at the review)."""
    party = case_policy.require_party(case, key, roles=[PartyRole.RESPONDENT])
    stages.require_open(case, "respond")
    item = casefiles.add(
        case=case,
        kind=CaseDocumentKind.RESPONSE,
        audience=Audience.RESPONDENT,
        added_by_role=party.role,
        text=checked_text(text, field="text"),
        title=str(_("Response")),
        party=party,
    )
    _added(case, item, by=by)
    settle_timers(case, RESPONSE.code, by=by)
    move(case, Stage.INVESTIGATION, by=by)
    return item


@action
def document_add(
    *,
    case: Case,
    kind: str,
    by: Any,
    title: str = "",
    text: str = "",
    upload: documents.Upload | None = None,
    redaction_of: CaseDocument | None = None,
) -> CaseDocument:
    """The investigator adds a statement, an interview record, evidence or a note (sealed, for the panel); or a
    redacted copy of a document, which the reporter reads and must agree to before it is shared."""
    owner = None
    require_panelist(case, by)
    stages.require_open(case, "document")
    if redaction_of is not None:
        if redaction_of.case_id != case.pk or redaction_of.redaction_of_id is not None:
            raise InvalidInput(_("Redact a document of this case."), code="redaction_of")
        kind, audience = CaseDocumentKind.REDACTED, Audience.REPORTER
        # The reporter whose material it is agrees to it; a panel's own document is for the first reporter's.
        owner = redaction_of.party or case.parties.filter(role=PartyRole.REPORTER).order_by("pk").first()
        title = title or f"{redaction_of.title or redaction_of.get_kind_display()} ({_('redacted')})"
    else:
        if kind not in PANEL_KINDS:
            message = _("Choose a statement, an interview record, evidence or a note.")
            raise InvalidInput(message, code="kind", field_errors={"kind": [message]})
        audience = Audience.PANEL
    if upload is None:
        text = checked_text(text, field="text")
    item = casefiles.add(
        case=case,
        kind=kind,
        audience=audience,
        added_by_role="panel",
        text=text,
        upload=upload,
        title=(title or "").strip()[:200],
        redaction_of=redaction_of,
        party=owner if redaction_of is not None else None,
    )
    return _added(case, item, by=by)


@action
def party_document_add(
    *, case: Case, kind: str, key: UnlockedKey, by: Any, title: str = "", text: str = "", upload: Any = None
) -> CaseDocument:
    """A party adds a statement or evidence, for the panel and their own side."""
    party = case_policy.require_party(case, key)
    stages.require_open(case, "party_document")
    if kind not in PARTY_KINDS:
        message = _("Choose a statement or evidence.")
        raise InvalidInput(message, code="kind", field_errors={"kind": [message]})
    if upload is None:
        text = checked_text(text, field="text")
    audience = Audience.REPORTER if party.role == PartyRole.REPORTER else Audience.RESPONDENT
    item = casefiles.add(
        case=case,
        kind=kind,
        audience=audience,
        added_by_role=party.role,
        text=text,
        upload=upload,
        title=(title or "").strip()[:200],
        party=party,
    )
    return _added(case, item, by=party_actor(party, by))


@action
def redaction_agree(*, item: CaseDocument, key: UnlockedKey, by: Any) -> CaseDocument:
    """The reporter agrees to a redacted copy being what the respondent sees."""
    party = case_policy.require_party(item.case, key, roles=[PartyRole.REPORTER])
    if item.party_id is not None and item.party_id != party.pk:
        raise NotAllowed("another reporter's material")
    if item.kind != CaseDocumentKind.REDACTED or item.reporter_agreed_at is not None:
        raise InvalidInput(_("There is nothing to agree to here."), code="not_a_redaction")
    item.reporter_agreed_at = timezone.now()
    item.save(update_fields=["reporter_agreed_at"])
    ledger.record(
        actor=party_actor(party, by),
        action=REDACTION_AGREED,
        subject=item.case,
        data={"case": item.case_id, "item": item.pk},
    )
    return item


@action
def evidence_review_open(*, case: Case, items: Sequence[CaseDocument], by: Any, key: UnlockedKey) -> int:
    """Share the evidence with both parties at the same moment, for the review period the bylaws set. A document
    with a redacted copy is shared as that copy, and only once the reporter has agreed to it; the original stays
    with the panel. The statements and responses each side gave are shared too."""
    require_panelist(case, by)
    stages.require_open(case, "review_open")
    chosen = [i for i in items if i.case_id == case.pk]
    if len(chosen) != len(items):
        raise InvalidInput(_("Choose documents of this case."), code="items")
    shared = []
    for item in chosen:
        if item.kind in (CaseDocumentKind.REDACTED, CaseDocumentKind.CHALLENGE, CaseDocumentKind.NOTE):
            raise InvalidInput(_("Share evidence, statements and responses; not notes."), code="items")
        copy = item.redactions.order_by("-pk").first()
        if copy is not None:
            if copy.reporter_agreed_at is None:
                message = _("The reporter has not agreed to the redacted copy of “%(title)s” yet.") % {
                    "title": item.title or item.get_kind_display()
                }
                raise InvalidInput(message, code="redaction_not_agreed")
            shared.append(copy)
        else:
            shared.append(item)
    shared += list(
        case.documents.filter(kind__in=[CaseDocumentKind.RESPONSE, CaseDocumentKind.STATEMENT]).exclude(
            added_by_role="panel"
        )
    )
    now = timezone.now()
    granted = 0
    for item in {i.pk: i for i in shared}.values():
        granted += casefiles.widen(item=item, audience=Audience.PARTIES, key=key)
        item.shared_at = now
        item.save(update_fields=["shared_at"])
    set_timer(case, EVIDENCE_REVIEW, days=int(bylaws()["deadlines"]["evidence_review"]), by=by)
    ledger.record(
        actor=by, action=EVIDENCE_SHARED, subject=case, data={"case": case.pk, "items": len(shared), "keys": granted}
    )
    move(case, Stage.EVIDENCE_REVIEW, by=by)
    notify.parties(
        case,
        _("Evidence to review in case %(case)s") % {"case": case.reference},
        _("The evidence in case %(case)s is ready for both parties to review. Sign in to read it and comment.")
        % {"case": case.reference},
    )
    return len(shared)


REVIEW_DONE = schema.define(
    "cases.evidence_review_done",
    label=gettext_lazy("A party finished reviewing the evidence"),
    fields={"case": schema.ID, "party": schema.CODE, "closed": schema.BOOL},
)


@action
def evidence_review_finish(*, case: Case, key: UnlockedKey, by: Any) -> bool:
    """A party says they have finished reviewing the evidence. When every party has, the review closes before its
    time is up; returns whether it closed."""
    party = case_policy.require_party(case, key)
    case_policy.require_party_themselves(party, user=by, key=key)  # their own word, never their adviser's
    stages.require_open(case, "review_finish")
    if party.review_done_at is None:
        party.review_done_at = timezone.now()
        party.save(update_fields=["review_done_at"])
    closed = not case.parties.filter(review_done_at__isnull=True).exists()
    actor = party_actor(party, by)
    ledger.record(
        actor=actor, action=REVIEW_DONE, subject=case, data={"case": case.pk, "party": party.role, "closed": closed}
    )
    if closed:
        settle_timers(case, EVIDENCE_REVIEW.code, by=actor)
        move(case, Stage.REPORT, by=actor)
    return closed


@action
def investigation_report_file(*, case: Case, text: str, by: Any) -> CaseDocument:
    """The investigator's report, after the review: for the decision-makers and both parties."""
    require_panelist(case, by, roles=("investigator",))
    stages.require_open(case, "investigation_report")
    item = casefiles.add(
        case=case,
        kind=CaseDocumentKind.INVESTIGATION_REPORT,
        audience=Audience.PARTIES,
        added_by_role="panel",
        text=checked_text(text, field="text"),
        title=str(_("Investigation report")),
    )
    _added(case, item, by=by)
    move(case, Stage.DECISION, by=by)
    notify.parties(
        case,
        _("Investigation report in case %(case)s") % {"case": case.reference},
        _("The investigation report in case %(case)s is ready; the decision comes next.") % {"case": case.reference},
    )
    return item


def given_notice(case: Case) -> CaseDocument | None:
    """The notice as it was given to the respondent (never a draft); None before it is given."""
    return case.documents.filter(kind=CaseDocumentKind.NOTICE, shared_at__isnull=False).order_by("-pk").first()


def notice_of(case: Case, *, key: UnlockedKey, actor: Any, capacity: str) -> dict[str, Any]:
    """The notice as it was given (never a draft)."""
    item = given_notice(case)
    if item is None:
        return {"allegations": []}
    return dict(json.loads(casefiles.open_text(item=item, key=key, actor=actor, capacity=capacity)))
