"""Reads of statements and membership-wide meetings, each filtered by policy: what a person may not read does not
exist for them. ``public_statements`` never holds a members-only one, whoever asks."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from rankfile import policy
from rankfile.errors import NotAllowed
from rankfile.governance.links import MandateLink, register_mandate_linker
from rankfile.governance.models import Mandate, MandateStatus, Meeting, Visibility, Vote, VoteResult
from rankfile.governance.policy import bodies_recorded_by
from rankfile.ledger import hooks as ledger_hooks
from rankfile.ledger.hooks import NamedSubject
from rankfile.org import hooks
from rankfile.org import queries as org_queries
from rankfile.org.models import Body
from rankfile.voice.models import Concern, MembersMeeting, Petition, Statement, StatementVersion

# --- statements -----------------------------------------------------------------------------------------------------


def statements(*, user: Any) -> QuerySet[Statement]:
    """Every statement ``user`` may read, the latest revised first."""
    found = Statement.objects.select_related("body", "caucus")
    if policy.allows(user, "voice.view"):  # as members' meetings and mandates are read
        return found
    return found.filter(visibility=Visibility.PUBLIC)


def public_statements() -> QuerySet[Statement]:
    """The public statements and apologies, for anyone: never a members-only one."""
    return Statement.objects.filter(visibility=Visibility.PUBLIC).select_related("body", "caucus")


def statement_for(*, user: Any, reference: str) -> Statement:
    found = Statement.objects.select_related("body", "caucus", "mandate").filter(reference=reference).first()
    if found is None or not policy.allows(user, "voice.see_statement", found):
        raise NotAllowed("no such statement")
    return found


def public_statement_for(*, reference: str) -> Statement:
    return statement_for(user=AnonymousUser(), reference=reference)


def versions_of(*, statement: Statement) -> list[StatementVersion]:
    """Every version, the latest first."""
    return list(statement.versions.select_related("vote__motion__meeting"))


@dataclass(frozen=True)
class Adoption:
    """How a version's adopting vote is named to a reader: the motion and its meeting, linked, for those who read
    meetings; the body and the day for anyone else."""

    taken_on: date
    body: str
    motion: str = ""
    url: str = ""


def adoption_of(*, user: Any, version: StatementVersion) -> Adoption | None:
    vote = version.vote
    if vote is None or version.statement.body is None:
        return None
    cited = hooks.cited_vote(vote.reference, user)
    body = version.statement.body.name
    if cited is None:
        return Adoption(taken_on=vote.taken_on, body=body)
    return Adoption(taken_on=vote.taken_on, body=body, motion=cited.motion, url=cited.url)


def mandates_to_fulfil(*, bodies: QuerySet[Body]) -> QuerySet[Mandate]:
    """Open mandates of the bodies given: those their statement may fulfil."""
    return (
        Mandate.objects.filter(responsible_body__in=bodies)
        .exclude(status__in=[MandateStatus.DONE, MandateStatus.RESCINDED])
        .select_related("responsible_body")
        .order_by("responsible_body__name", "due_on", "pk")
    )


def votes_to_cite(
    *, bodies: QuerySet[Body], statement: Statement | None = None, most: int = 100
) -> list[tuple[str, str]]:
    """The carried votes of ``bodies`` a statement (or its new version) may cite, newest first, as (reference, the
    vote in words); for a new version, not one that adopted an earlier version of it."""
    found = (
        Vote.objects.filter(result=VoteResult.CARRIED, motion__meeting__bodies__in=bodies)
        .select_related("motion__meeting")
        .distinct()
        .order_by("-taken_on", "-pk")
    )
    if statement is not None:
        found = found.exclude(pk__in=statement.versions.exclude(vote=None).values("vote_id"))
    return [
        (
            vote.reference,
            _("%(meeting)s, %(day)s: “%(motion)s”")
            % {
                "meeting": vote.motion.meeting.title,
                "day": formats.date_format(vote.taken_on),
                "motion": vote.motion.title,
            },
        )
        for vote in found[:most]
    ]


def bodies_speaking_for(*, user: Any) -> QuerySet[Body]:
    """The bodies whose statements ``user`` may publish: those whose meetings they record; never a caucus's body."""
    return bodies_recorded_by(user).exclude(kind="caucus")


def statements_fulfilling(mandate: Mandate, reader: Any, *, public: bool) -> list[MandateLink]:
    """The statements that fulfil ``mandate``, for its page: on the public page, only public ones, to their public
    page."""
    found = Statement.objects.filter(mandate=mandate).order_by("published_at", "pk")
    links = []
    for statement in found:
        if public and not statement.is_public:
            continue
        if not public and not policy.allows(reader, "voice.see_statement", statement):
            continue
        name = "voice:public_statement_detail" if public else "voice:statement_detail"
        words = _("Fulfilled by an apology") if statement.kind == "apology" else _("Fulfilled by a statement")
        links.append(MandateLink(words=words, title=statement.title, url=reverse(name, args=[statement.reference])))
    return links


register_mandate_linker("voice.statements", statements_fulfilling)


def statements_named(reader: Any, ids: set[int]) -> dict[int, NamedSubject]:
    """How the ledger's pages name a statement: its reference, linked to the page the reader may open (the members'
    page, or the public one for a public statement); never its title, which may be the members' only."""
    members = policy.allows(reader, "voice.view")
    named = {}
    for pk, reference, visibility in Statement.objects.filter(pk__in=ids).values_list("pk", "reference", "visibility"):
        if members:
            url = reverse("voice:statement_detail", args=[reference])
        elif visibility == Visibility.PUBLIC:
            url = reverse("voice:public_statement_detail", args=[reference])
        else:
            url = ""
        named[pk] = NamedSubject(words=_("statement %(reference)s") % {"reference": reference}, url=url)
    return named


ledger_hooks.register_subject_namer(Statement._meta.label_lower, statements_named)


def mandate_shown(*, user: Any, statement: Statement) -> tuple[Mandate, str] | None:
    """The mandate a statement fulfils, with the page the reader may open: the public one where the reader does not
    read members' mandates."""
    mandate = statement.mandate
    if mandate is None or not policy.allows(user, "governance.view_mandate", mandate):
        return None
    if policy.allows(user, "governance.view_members_mandates"):
        return mandate, reverse("governance:mandate_detail", args=[mandate.reference])
    return mandate, reverse("governance:public_mandate_detail", args=[mandate.reference])


# --- membership-wide meetings ---------------------------------------------------------------------------------------


def members_meetings(*, user: Any) -> QuerySet[MembersMeeting]:
    if not policy.allows(user, "governance.view_meetings"):
        return MembersMeeting.objects.none()
    return MembersMeeting.objects.select_related("meeting")


def members_meeting_for(*, user: Any, reference: str) -> MembersMeeting:
    found = MembersMeeting.objects.select_related("meeting").filter(meeting__reference=reference).first()
    if found is None or not policy.allows(user, "governance.view_meetings"):
        raise NotAllowed("no such meeting")
    return found


def petitions_for_the_members() -> QuerySet[Petition]:
    """Carried petitions whose item is on no meeting yet: what a membership-wide meeting may take up."""
    return (
        Petition.objects.filter(reached_at__isnull=False, placed_on__isnull=True)
        .select_related("body")
        .order_by("reached_at", "pk")
    )


def concerns_for_the_members() -> QuerySet[Concern]:
    """Concerns the members read (not private) and not closed: what a membership-wide meeting may discuss."""
    return Concern.objects.filter(private=False, closed_at__isnull=True).select_related("body").order_by("raised_at")


def is_attending(*, user: Any, members_meeting: MembersMeeting) -> bool:
    person = org_queries.person_of(user=user) if getattr(user, "is_authenticated", False) else None
    return person is not None and members_meeting.meeting.attendance.filter(person=person, departed=False).exists()


def attending_count(*, members_meeting: MembersMeeting) -> int:
    return members_meeting.meeting.attendance.filter(departed=False).count()


def upcoming(meeting: Meeting) -> bool:
    return meeting.last_day >= timezone.localdate()
