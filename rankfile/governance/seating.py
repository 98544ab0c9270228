"""Seats and eligibility decided by a recorded vote: a carried vote of an electing body seats the person its motion
is about, through the one seating action and its eligibility check (DESIGN.md invariant 9); a carried vote of the
body the bylaws empower overrides the eligibility check for one person and one body. Both need a motion about the
person (who is then interested: they neither move, second nor count), a recorder of the meeting, and each is on the
ledger with the recorder who entered it. Neither gets past what a final decision or an interim measure holds."""

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.errors import Held, InvalidInput
from rankfile.governance import queries
from rankfile.governance.actions import refuse
from rankfile.governance.models import Vote
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema as ls
from rankfile.org import actions as org
from rankfile.org import eligibility, hooks
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, BodyKind, EligibilityOverride, Person, Seat, SeatBasis, SeatRole
from rankfile.transactions import action

SEATED_BY_VOTE = ls.define(
    "governance.seated_by_vote",
    label=gettext_lazy("A person was seated by a vote"),
    fields={"vote": ls.ID, "seat": ls.ID, "person": ls.ID, "body": ls.ID},
)
ELIGIBILITY_OVERRIDDEN_BY_VOTE = ls.define(
    "governance.eligibility_overridden_by_vote",
    label=gettext_lazy("A vote seated a person the eligibility check refused"),
    fields={"vote": ls.ID, "override": ls.ID, "person": ls.ID, "body": ls.ID, "reason": ls.CODE},
    flagged=True,
    checkpoint_after=True,
)


def overriding_body() -> Body | None:
    """Whose carried vote may override the eligibility check: the bylaws' `roles.overrides`, else the convention."""
    return org_queries.role_body("overrides") or org_queries.role_body("convention")


def electing_bodies(body: Body) -> list[Body]:
    """Who may elect someone to ``body``: the body itself (co-option), the body above it, and the convention."""
    found = [body, *([body.parent] if body.parent is not None else [])]
    convention = org_queries.role_body("convention")
    found += [convention] if convention is not None else list(Body.objects.filter(kind=BodyKind.CONVENTION))
    return found


def _about(vote: Vote, person: Person) -> None:
    if not vote.motion.concerns.filter(pk=person.pk).exists():
        refuse(
            "person",
            _("Motion %(ref)s is not about %(name)s: name them among the people the motion is about.")
            % {"ref": vote.reference, "name": person.name},
            code="motion_not_about_them",
        )


def _not_held(person: Person, *, attempt: str, words: str = "") -> None:
    """What a final decision or an interim measure holds, no vote gets past; the attempt is flagged."""
    if hooks.holds_on(person):
        refusal = Held(_("A final decision or an interim measure holds this person's eligibility; a vote cannot."))
        refusal.held = (person.pk, attempt)
        refusal.held_words = words
        raise refusal


@org.records_held_refusals
@action
def seat_by_election(
    *,
    vote: Vote,
    person: Person,
    body: Body,
    starts_on: date,
    by: Any,
    role: str = SeatRole.MEMBER,
    term_ends_on: date | None = None,
) -> Seat:
    """Seat ``person`` on ``body`` as the carried ``vote`` decided, citing it on the seat. The eligibility check runs
    as for every seat; an unused eligibility override (itself by vote) for this person and body is used if needed."""
    meeting = vote.motion.meeting
    policy.require(by, "governance.record_meeting", meeting)
    if not vote.carried:
        refuse("vote", _("Vote %(ref)s did not carry.") % {"ref": vote.reference}, code="vote_not_carried")
    electing = {b.pk for b in electing_bodies(body)}
    if not meeting.bodies.filter(pk__in=electing).exists():
        refuse(
            "body",
            _("Vote %(ref)s was not taken by %(body)s, the body above it or the convention.")
            % {"ref": vote.reference, "body": body.name},
            code="not_an_electing_body",
        )
    _about(vote, person)
    if not isinstance(eligibility.check(person, body, starts_on), eligibility.Eligible):
        _not_held(person, attempt="seat", words=_("a seat on %(body)s") % {"body": body.name})
    override = EligibilityOverride.objects.filter(person=person, body=body, seat__isnull=True).order_by("-pk").first()
    # The recorder acts for the electing body; the seat is made by the one seating action, on the system's account.
    seat = org.person_seat(
        person=person,
        body=body,
        basis=SeatBasis.ELECTED,
        role=role,
        starts_on=starts_on,
        term_ends_on=term_ends_on,
        override=override,
        cited_vote=(vote.pk, vote.reference),
        by=ledger.SYSTEM,
    )
    ledger.record(
        actor=by,
        action=SEATED_BY_VOTE,
        subject=seat,
        data={"vote": vote.pk, "seat": seat.pk, "person": person.pk, "body": body.pk},
    )
    return seat


@org.records_held_refusals
@action
def eligibility_override_by_vote(*, vote_reference: str, person: Person, body: Body, by: Any) -> EligibilityOverride:
    """Let ``person`` be seated on ``body`` although the eligibility check refuses them, citing a carried vote of
    the body the bylaws empower, on a motion about them. Flagged; listed for the membership on the Overrides page."""
    empowered = overriding_body()
    vote = queries.carried_vote_of(empowered, vote_reference=vote_reference, power=_("override the eligibility check"))
    policy.require(by, "governance.record_binding_vote", empowered)
    _about(vote, person)
    verdict = eligibility.check(person, body, timezone.localdate())
    if isinstance(verdict, eligibility.Eligible):
        raise InvalidInput(
            _("%(name)s may take a seat on %(body)s already; there is nothing to override.")
            % {"name": person.name, "body": body.name},
            code="eligible",
        )
    _not_held(person, attempt="eligibility_override")
    override = org.eligibility_override_record(
        person=person,
        body=body,
        reason_code=verdict.reason_code,
        meeting_reference=vote.motion.meeting.reference,
        vote_reference=vote.reference,
        by=ledger.SYSTEM,
    )
    ledger.record(
        actor=by,
        action=ELIGIBILITY_OVERRIDDEN_BY_VOTE,
        subject=override,
        data={
            "vote": vote.pk,
            "override": override.pk,
            "person": person.pk,
            "body": body.pk,
            "reason": verdict.reason_code.lower(),
        },
    )
    return override
