"""Every write to statements: a body publishes one (or an apology) adopted by a carried vote of its own, and gives it
a new version by another vote; a caucus's conveners publish one as the caucus's. Each is one atomic action on the
ledger, which holds the text's SHA-256, never the text.

A caucus's statement is on the ledger as the system's: which convener published it would tell who belongs."""

import hashlib
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.errors import InvalidInput
from rankfile.governance import queries as governance_queries
from rankfile.governance.models import Mandate, Visibility, Vote
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema as ls
from rankfile.org.models import Body
from rankfile.transactions import action
from rankfile.voice.models import Caucus, Statement, StatementKind, StatementVersion

STATEMENT_PUBLISHED = ls.define(
    "voice.statement_published",
    label=gettext_lazy("A statement was published"),
    fields={
        "statement": ls.ID,
        "kind": ls.CODE,
        "visibility": ls.CODE,
        "body": ls.optional(ls.ID),
        "caucus": ls.optional(ls.ID),
        "vote": ls.optional(ls.ID),
        "mandate": ls.optional(ls.ID),
        "sha256": ls.HASH,
    },
)
STATEMENT_REVISED = ls.define(
    "voice.statement_revised",
    label=gettext_lazy("A new version of a statement was published"),
    fields={"statement": ls.ID, "version": ls.COUNT, "vote": ls.optional(ls.ID), "sha256": ls.HASH},
)

TEXT_LIMIT = 20_000


def _refuse(field: str, message: str, *, code: str) -> InvalidInput:
    return InvalidInput(message, code=code, field_errors={field: [message]})


def _words(title: str, text: str) -> tuple[str, str]:
    title, text = (title or "").strip(), (text or "").strip()
    if not title or len(title) > 200:
        raise _refuse("title", _("Write a title, in at most 200 characters."), code="title")
    if not text or len(text) > TEXT_LIMIT:
        message = _("Write the statement, in at most %(most)s characters.") % {"most": f"{TEXT_LIMIT:,}"}
        raise _refuse("text", message, code="text")
    return title, text


def _sha256(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\n\n{text}".encode()).hexdigest()


def _adopting_vote(body: Body, vote_reference: str) -> Vote:
    return governance_queries.carried_vote_of(body, vote_reference=vote_reference, power=_("adopt its statement"))


def _next_reference(year: int) -> str:
    taken = Statement.objects.filter(reference__startswith=f"ST-{year}-").count()
    return f"ST-{year}-{taken + 1}"


def _check_choices(kind: str, visibility: str) -> None:
    if kind not in StatementKind.values:
        raise _refuse("kind", _("Choose a statement or an apology."), code="kind")
    if visibility not in Visibility.values:
        raise _refuse("visibility", _("Choose who may read it."), code="visibility")


def _create(
    *,
    body: Body | None,
    caucus: Caucus | None,
    kind: str,
    visibility: str,
    title: str,
    text: str,
    vote: Vote | None,
    mandate: Mandate | None,
    actor: Any,
) -> Statement:
    now = timezone.now()
    statement = Statement.objects.create(
        ledger_seq=ledger.next_seq(),
        reference=_next_reference(now.year),
        kind=kind,
        body=body,
        caucus=caucus,
        visibility=visibility,
        mandate=mandate,
        title=title,
        published_at=now,
        revised_at=now,
    )
    version = StatementVersion.objects.create(
        statement=statement,
        number=1,
        title=title,
        text=text,
        vote=vote,
        sha256=_sha256(title, text),
        published_at=now,
        ledger_seq=statement.ledger_seq,
    )
    ledger.record(
        seq=statement.ledger_seq,
        actor=actor,
        action=STATEMENT_PUBLISHED,
        subject=statement,
        data={
            "statement": statement.pk,
            "kind": kind,
            "visibility": visibility,
            "body": body.pk if body is not None else None,
            "caucus": caucus.pk if caucus is not None else None,
            "vote": vote.pk if vote is not None else None,
            "mandate": mandate.pk if mandate is not None else None,
            "sha256": version.sha256,
        },
    )
    return statement


@action
def statement_publish(
    *,
    body: Body,
    kind: str,
    visibility: str,
    title: str,
    text: str,
    vote_reference: str,
    by: Any,
    mandate: Mandate | None = None,
) -> Statement:
    """A body publishes a statement (or an apology) that a carried vote of that body adopted. It may fulfil one of
    the mandates the body is responsible for: the two are linked."""
    policy.require(by, "voice.publish_statement", body)
    _check_choices(kind, visibility)
    title, text = _words(title, text)
    vote = _adopting_vote(body, vote_reference)
    if mandate is not None and mandate.responsible_body_id != body.pk:
        message = _("Only a mandate the %(body)s is responsible for can be fulfilled by its statement.") % {
            "body": body.name
        }
        raise _refuse("mandate", message, code="not_its_mandate")
    return _create(
        body=body,
        caucus=None,
        kind=kind,
        visibility=visibility,
        title=title,
        text=text,
        vote=vote,
        mandate=mandate,
        actor=by,
    )


@action
def caucus_statement_publish(
    *, caucus: Caucus, kind: str, visibility: str, title: str, text: str, by: Any
) -> Statement:
    """A caucus's conveners publish a statement as the caucus's. It is public only if the caucus shows itself."""
    policy.require(by, "voice.convene", caucus)
    _check_choices(kind, visibility)
    title, text = _words(title, text)
    if visibility == Visibility.PUBLIC and not caucus.listed:
        message = _("A caucus that does not show its name to the members publishes for the members only.")
        raise _refuse("visibility", message, code="caucus_not_listed")
    return _create(
        body=None,
        caucus=caucus,
        kind=kind,
        visibility=visibility,
        title=title,
        text=text,
        vote=None,
        mandate=None,
        actor=ledger.SYSTEM,
    )


@action
def statement_revise(*, statement: Statement, title: str, text: str, by: Any, vote_reference: str = "") -> Statement:
    """A new version of the statement's words; the earlier ones stay readable. A body's new version cites a carried
    vote of its own that adopted no earlier version of this statement."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    policy.require(by, "voice.revise_statement", statement)
    title, text = _words(title, text)
    vote = None
    if statement.body is not None:
        vote = _adopting_vote(statement.body, vote_reference)
        if statement.versions.filter(vote=vote).exists():
            message = _("Vote %(ref)s adopted an earlier version: a new version needs a vote of its own.") % {
                "ref": vote.reference
            }
            raise _refuse("vote_reference", message, code="vote_used")
    now = timezone.now()
    version = StatementVersion.objects.create(
        ledger_seq=ledger.next_seq(),
        statement=statement,
        number=statement.version_number + 1,
        title=title,
        text=text,
        vote=vote,
        sha256=_sha256(title, text),
        published_at=now,
    )
    statement.title, statement.version_number, statement.revised_at = title, version.number, now
    statement.save(update_fields=["title", "version_number", "revised_at"])
    ledger.record(
        seq=version.ledger_seq,
        actor=ledger.SYSTEM if statement.caucus_id else by,
        action=STATEMENT_REVISED,
        subject=statement,
        data={
            "statement": statement.pk,
            "version": version.number,
            "vote": vote.pk if vote is not None else None,
            "sha256": version.sha256,
        },
    )
    return statement
