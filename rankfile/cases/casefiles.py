"""Who reads what in a case, and the one way a case's documents are sealed, shared, opened and taken back.

Readers follow the case (DESIGN.md invariant 5): the seated panel reads everything; while an appeal is heard, so do
the appeals body's people hearing it; each party, and the adviser they named once the adviser accepted, reads what is
addressed to them: what is for both parties, and what is for their side. Nobody else, whatever their role or rank.
What reaches a party's side while their adviser has not accepted yet is held for the adviser (``vault.holds``), who
reads none of it before they accept.

Every opening is a read on the ledger (invariant 6), recorded before anything is decrypted.
"""

import json
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from rankfile.cases.actions.intake import documents_of
from rankfile.cases.models import Audience, Case, CaseDocument, PanelMember, PanelRole, PanelStatus, Party, PartyRole
from rankfile.cases.policy import own_key
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema
from rankfile.vault import documents, keys
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import Keypair, Version

CASE_READ = schema.define(
    "cases.case_read",
    label=gettext_lazy("Case material was read"),
    fields={"case": schema.ID, "document": schema.ID, "version": schema.COUNT, "as": schema.CODE},
)

# Who, besides the panel, each audience reaches.
_SIDES = {
    Audience.PANEL: (),
    Audience.PARTIES: (PartyRole.REPORTER, PartyRole.RESPONDENT),
    Audience.REPORTER: (PartyRole.REPORTER,),
    Audience.RESPONDENT: (PartyRole.RESPONDENT,),
}
PANEL_ROLES = (PanelRole.INVESTIGATOR, PanelRole.DECISION_MAKER)


class CaseRead(documents.Purpose):
    """A read of a case document, on the ledger: by whom (the entry's actor) and in which capacity."""

    def __init__(self, *, case: Case, actor: Any, capacity: str) -> None:
        self.case, self.actor, self.capacity = case, actor, capacity

    def record_open(self, *, version: Version, reader: Keypair) -> None:
        ledger.record(
            actor=self.actor,
            action=CASE_READ,
            subject=self.case,
            data={
                "case": self.case.pk,
                "document": version.document_id,
                "version": version.number,
                "as": self.capacity,
            },
        )


def person_key(person: Any) -> Keypair | None:
    """The current key of a person's login, if they have one."""
    return keys.person_key(person.user) if person is not None and person.user_id else None


def seated(case: Case, *, roles: Sequence[str] = PANEL_ROLES) -> QuerySet[PanelMember]:
    return case.panel.filter(status=PanelStatus.SEATED, role__in=list(roles)).select_related("person__user")


# Who reads the whole case: the panel, and the appeals body's people hearing an appeal (seated only once one is
# lodged).
HEARING_ROLES = (*PANEL_ROLES, PanelRole.APPEALS)


def panel_keys(case: Case) -> list[Keypair]:
    found = [person_key(member.person) for member in seated(case, roles=HEARING_ROLES)]
    return [key for key in found if key is not None]


def party_keys(case: Case, role: str) -> list[Keypair]:
    """A side's keys: each party's own (a receipt key, for an anonymous reporter) and their adviser's."""
    found: list[Keypair] = []
    for party in case.parties.filter(role=role).select_related(
        "keypair", "adviser__user", "person__user", "adviser_hold"
    ):
        found += _one_party_keys(party)
    return found


def adviser_reader(party: Party) -> Keypair | None:
    """Who reads for the party's adviser: their own key once they accepted; until then the hold that keeps it for
    them."""
    if party.accepted_adviser is not None:
        return person_key(party.accepted_adviser)
    hold = party.adviser_hold
    return hold if hold is not None and hold.retired_at is None else None


def _one_party_keys(party: Party) -> list[Keypair]:
    found = [own_key(party), adviser_reader(party)]
    return [key for key in found if key is not None]


def readers_for(case: Case, audience: str, party: Party | None = None) -> list[Keypair]:
    """The panel, and the parties ``audience`` reaches; for one side's document, only ``party`` if given (one
    reporter does not read another's)."""
    readers = panel_keys(case)
    if party is not None and audience in (Audience.REPORTER, Audience.RESPONDENT):
        readers += _one_party_keys(party)
    else:
        for role in _SIDES[Audience(audience)]:
            readers += party_keys(case, role)
    unique: dict[int, Keypair] = {key.pk: key for key in readers}
    return list(unique.values())


def add(
    *,
    case: Case,
    kind: str,
    audience: str,
    added_by_role: str,
    text: str | None = None,
    upload: documents.Upload | None = None,
    title: str = "",
    redaction_of: CaseDocument | None = None,
    party: Party | None = None,
) -> CaseDocument:
    """Seal a new document to its audience (and the recovery key); called inside the caller's action. A document
    of one side, given ``party``, is for that party alone besides the panel."""
    readers = readers_for(case, audience, party)
    if upload is not None:
        version = documents.seal_file(kind=f"case_{kind}", upload=upload, readers=readers)
    else:
        version = documents.seal(kind=f"case_{kind}", content=text or "", readers=readers)
    return CaseDocument.objects.create(
        case=case,
        kind=kind,
        title=title,
        document=version.document,
        audience=audience,
        is_file=upload is not None,
        redaction_of=redaction_of,
        added_by_role=added_by_role,
        party=party,
    )


def add_json(*, case: Case, kind: str, audience: str, added_by_role: str, content: dict[str, Any]) -> CaseDocument:
    return add(case=case, kind=kind, audience=audience, added_by_role=added_by_role, text=json.dumps(content))


def widen(*, item: CaseDocument, audience: str, key: UnlockedKey) -> int:
    """Share a document with a wider audience, with ``key`` (a reader of it); returns how many keys were added."""
    granted = 0
    for reader in readers_for(item.case, audience, item.party):
        granted += documents.grant(document=item.document, to=reader, by=key)
    item.audience = audience
    item.save(update_fields=["audience"])
    return granted


def give(*, case: Case, to: Keypair, key: UnlockedKey, with_reports: bool) -> int:
    """Give ``to`` every document of the case its audiences reach, opened with ``key`` (a reader of them): a new
    panelist, an appeals body member, the hold for a party's adviser. With ``with_reports``, the reports' content
    and shared files too (not the handlers' internal notes)."""
    granted = 0
    reaches: dict[tuple[str, int | None], bool] = {}  # (audience, party): whether ``to`` is among its readers
    for item in case.documents.select_related("document", "party"):
        audience = (item.audience, item.party_id)
        if audience not in reaches:
            reaches[audience] = to.pk in {reader.pk for reader in readers_for(case, item.audience, item.party)}
        if reaches[audience]:
            granted += documents.grant(document=item.document, to=to, by=key)
    if with_reports:
        for report in case.reports.all():
            for document in documents_of(report, with_internal_notes=False):
                granted += documents.grant(document=document, to=to, by=key)
    return granted


def take_back(*, case: Case, person: Any) -> int:
    """Take every key of the case (and of its reports) from ``person`` at once: a recusal, an upheld challenge, an
    exclusion. Every key pair they ever had loses it, so a restoration cannot bring it back."""
    own = person_key(person)
    if own is None:
        return 0
    removed = 0
    for item in case.documents.select_related("document"):
        removed += documents.revoke(document=item.document, reader=own)
    for report in case.reports.all():
        for document in documents_of(report, with_internal_notes=True):
            removed += documents.revoke(document=document, reader=own)
    return removed


def reads(key: UnlockedKey, item: CaseDocument) -> bool:
    return documents.latest(item.document).wrapped_keys.filter(keypair=key.keypair).exists()


def reads_report(report: Any, key: UnlockedKey) -> bool:
    return documents.latest(report.content).wrapped_keys.filter(keypair=key.keypair).exists()


def readable_versions(*, items: Sequence[CaseDocument], key: UnlockedKey) -> dict[int, Version]:
    """The latest version of each of these case documents that ``key`` reads, by document id (``reads`` for a list,
    in one query; the versions open without asking for their key again)."""
    return documents.latest_for_reader([item.document_id for item in items], key)


def open_text(
    *, item: CaseDocument, key: UnlockedKey, actor: Any, capacity: str, version: Version | None = None
) -> str:
    """A document's text (its latest version, or ``version``, from ``readable_versions``), opened with ``key``; the
    read is on the ledger."""
    version = version or documents.latest(item.document)
    with documents.reading(version, key):
        return documents.open_text(version, key=key, purpose=CaseRead(case=item.case, actor=actor, capacity=capacity))


def open_file(
    *, item: CaseDocument, key: UnlockedKey, actor: Any, capacity: str, version: Version | None = None
) -> documents.OpenedFile:
    version = version or documents.latest(item.document)
    with documents.reading(version, key):
        return documents.open_file(version, key=key, purpose=CaseRead(case=item.case, actor=actor, capacity=capacity))
