"""Every write to the organization: one atomic function per use case, each on the ledger."""

import functools
from collections.abc import Callable, Collection
from datetime import date, timedelta
from typing import Any, NoReturn, ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import mail, policy, transactions
from rankfile.errors import Held, Ineligible, InvalidInput, RankfileError
from rankfile.ledger import actions as ledger
from rankfile.ledger import reconcile
from rankfile.ledger import schema as ls
from rankfile.ledger.policy import only_for_the_oversight_body
from rankfile.org import bylaws, eligibility, hooks, queries
from rankfile.org.models import (
    Body,
    BodyKind,
    BylawsVersion,
    EligibilityOverride,
    MembershipStatus,
    Person,
    Restriction,
    RestrictionKind,
    RestrictionSource,
    Seat,
    SeatBasis,
    SeatEndReason,
    SeatRole,
    StatusChange,
)
from rankfile.transactions import action

PERSON_CREATED = ls.define(
    "org.person_created", label=gettext_lazy("A person was added"), fields={"user": ls.optional(ls.ID)}
)
ACCOUNT_LINKED = ls.define(
    "org.account_linked",
    label=gettext_lazy("An account was linked to a person on the membership list"),
    fields={"account": ls.ID, "by_invitation": ls.BOOL},
)
STATUS_CHANGED = ls.define(
    "org.membership_status_changed",
    label=gettext_lazy("A membership status changed"),
    fields={
        "status": ls.CODE,
        "from": ls.DATE,
        "until": ls.optional(ls.DATE),
        "reason": ls.CODE,
        "body": ls.optional(ls.ID),
        "case_open": ls.BOOL,
    },
)
BODY_CREATED = ls.define(
    "org.body_created", label=gettext_lazy("A body was created"), fields={"kind": ls.CODE, "parent": ls.optional(ls.ID)}
)
# Each entry below holds every field of the row it makes that the organization acts on, so that `rankfile ledger
# verify` can reconcile the row with it (rankfile.org.reconcile); version 2 added those the first version lacked.
PERSON_SEATED = ls.define(
    "org.person_seated",
    label=gettext_lazy("A person was seated on a body"),
    fields={
        "person": ls.ID,
        "body": ls.ID,
        "role": ls.CODE,
        "basis": ls.CODE,
        "from": ls.DATE,
        "term_ends": ls.optional(ls.DATE),
        "override": ls.optional(ls.ID),
        "vote": ls.optional(ls.ID),  # the carried vote that elected them
    },
    version=2,
)
SEAT_ENDED = ls.define("org.seat_ended", label=gettext_lazy("A seat ended"), fields={"on": ls.DATE, "reason": ls.CODE})
RESTRICTION_IMPOSED = ls.define(
    "org.restriction_imposed",
    label=gettext_lazy("A restriction was imposed"),
    fields={"person": ls.ID, "kind": ls.CODE, "from": ls.DATE, "until": ls.optional(ls.DATE), "source": ls.CODE},
    version=2,
)
RESTRICTION_LIFTED = ls.define(
    "org.restriction_lifted", label=gettext_lazy("A restriction was lifted"), fields={"on": ls.DATE}
)
# An override is flagged to the oversight body: it signs a checkpoint at once, so it cannot be quietly undone.
# Flagged to the oversight body: someone who resigned while a case about them was open is a member again. That a case
# was open is for the oversight body, not site administrators.
REJOINED_AFTER_OPEN_CASE = ls.define(
    "org.rejoined_after_open_case",
    label=gettext_lazy("A person rejoined while a case about them was open"),
    fields={"person": ls.ID, "from": ls.DATE},
    flagged=True,
)
only_for_the_oversight_body(Q(action=REJOINED_AFTER_OPEN_CASE))
# For the same reason, so is a change of membership made while a case about the person was open.
only_for_the_oversight_body(Q(action=STATUS_CHANGED, data__contains='"case_open":true'))
# Not a member (any more): becoming active from one of these is joining again.
_OUTSIDE = frozenset({MembershipStatus.RESIGNED, MembershipStatus.LAPSED, MembershipStatus.EXPELLED})
# "sha256": of the meeting and the vote it cites (reconcile.text_sha256).
ELIGIBILITY_OVERRIDDEN = ls.define(
    "org.eligibility_overridden",
    label=gettext_lazy("A person the eligibility check refused was seated anyway"),
    fields={"person": ls.ID, "body": ls.ID, "reason": ls.CODE, "sha256": ls.HASH},
    version=2,
    checkpoint_after=True,
    flagged=True,
)

# What was attempted against a hold, in words: on the Ledger page, and in the oversight body's email when the refusal
# gives none more precise.
HELD_ATTEMPTS = {
    "status": gettext_lazy("a change of membership status"),
    "seat": gettext_lazy("a seat on a body"),
    "eligibility_override": gettext_lazy("an override of eligibility"),
    "restriction_lift": gettext_lazy("lifting a restriction"),
    "import": gettext_lazy("a change of status by the member import"),
}
# Someone tried to change what a final decision or an interim measure holds in place. Flagged: the oversight body is
# emailed at once and signs a checkpoint, so the attempt cannot be quietly erased. That a case lies behind it is for
# the oversight body, not site administrators.
HELD_CHANGE_REFUSED = ls.define(
    "org.held_change_refused",
    label=gettext_lazy("A change a decision holds in place was refused"),
    fields={"person": ls.ID, "attempt": ls.CODE, "import_of": ls.optional(ls.HASH)},
    checkpoint_after=True,
    flagged=True,
    worded=("attempt", HELD_ATTEMPTS),
)
only_for_the_oversight_body(Q(action=HELD_CHANGE_REFUSED))

_P = ParamSpec("_P")
_R = TypeVar("_R")


def held_refusal_record(*, person_id: int, attempt: str, by: Any, words: str = "", import_of: str = "") -> None:
    """Record a refused attempt on held state, flagged, in a transaction of its own, and email the oversight body.
    ``words``: what was attempted, in words ("a seat on the Steering Committee"); by default the attempt's.
    ``import_of``: for the member import, the hash of its file and of what was held (``importing.held_import_key``)."""
    with transaction.atomic():
        person = Person.objects.get(pk=person_id)
        data: dict[str, Any] = {"person": person.pk, "attempt": attempt}
        if import_of:
            data["import_of"] = import_of
        ledger.record(actor=by, action=HELD_CHANGE_REFUSED, subject=person, data=data)
        addresses = [address for _pk, address in queries.oversight_addresses()]
        said = words or str(HELD_ATTEMPTS.get(attempt, attempt.replace("_", " ")))
        _tell_oversight_of_attempt(addresses, name=person.name, attempt=said)  # sent once the transaction commits


def _tell_oversight_of_attempt(addresses: list[str], *, name: str, attempt: str) -> None:
    mail.send("org/email/held_change_refused", {"name": name, "attempt": attempt}, addresses)


def records_held_refusals(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """After the refused action has rolled back, record the attempt that a hold refused (flagged)."""

    @functools.wraps(func)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return func(*args, **kwargs)
        except RankfileError as exc:
            # In bulk the refusal has broken the caller's transaction; the bulk caller records it after rolling back.
            if exc.held is not None and not transaction.get_connection().needs_rollback:
                person_id, attempt = exc.held
                held_refusal_record(person_id=person_id, attempt=attempt, by=kwargs.get("by"), words=exc.held_words)
            raise

    return run


def _held_status(person: Person, day: date) -> hooks.Hold | None:
    return next((hold for hold in hooks.holds_on(person) if hold.holds_status_on(day)), None)


def _refuse(field: str, message: str, *, code: str | None = None) -> NoReturn:
    raise InvalidInput(message, code=code, field_errors={field: [message]})


def _choice(value: str, choices: type[Any], field: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise InvalidInput(
            _("%(value)r is not one of: %(allowed)s.") % {"value": value, "allowed": allowed},
            field_errors={field: [_("Choose one of: %(allowed)s.") % {"allowed": allowed}]},
        )
    return value


def _text(value: str, *, field: str, limit: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        _refuse(field, _("This is required."))
    if len(value) > limit:
        message = _("Use at most %(limit)d characters.") % {"limit": limit}
        raise InvalidInput(message, field_errors={field: [message]})
    return value


@action
def person_create(*, name: str, by: Any, email: str = "", member_number: str = "", user: Any = None) -> Person:
    policy.require(by, "org.manage_people")
    name = _text(name, field="name", limit=200, required=True)
    member_number = _text(member_number, field="member_number", limit=64)
    try:
        # The unique constraint finds a member number in use; asking first would cost every import row a query.
        with transactions.part():
            person = Person.objects.create(
                name=name, email=(email or "").strip().lower(), member_number=member_number, user=user
            )
    except IntegrityError:
        # In bulk the transaction cannot be asked why; the import tries again row by row, where it can.
        if member_number and (transactions.in_bulk() or Person.objects.filter(member_number=member_number).exists()):
            message = _("Member number %(number)s belongs to someone else.") % {"number": member_number}
            _refuse("member_number", message, code="duplicate_member_number")
        raise
    ledger.record(actor=by, action=PERSON_CREATED, subject=person, data={"user": user.pk if user else None})
    return person


# Flagged for the oversight body: the address on a record is where an invitation naming the person goes, so changing
# it could hand someone else the account a member is invited to make.
PERSON_EMAIL_CHANGED = ls.define(
    "org.person_email_changed",
    label=gettext_lazy("The email address on a person's record was changed"),
    fields={"person": ls.ID, "emptied": ls.BOOL},
    flagged=True,
)
EMAIL_MAX_LENGTH = 254  # RFC 5321's limit on an address, as for accounts


@action
def person_email_change(*, person: Person, email: str, by: Any) -> Person:
    """Change the email address on a person's membership record: where an invitation naming them goes, and what the
    member import matches them by. Empty, the record has none. No two people share an address. An account they have
    keeps signing in with its own address; the ledger holds that the address changed, never the address."""
    policy.require(by, "org.manage_people")
    address = (email or "").strip().lower()
    if address:
        try:
            if len(address) > EMAIL_MAX_LENGTH:
                raise ValidationError("too long")
            validate_email(address)
        except ValidationError:
            _refuse("email", _("Enter an email address such as name@example.org, or leave it empty."), code="invalid")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if address == person.email:
        _refuse("email", _("That is the address on the record already."), code="unchanged")
    other = Person.objects.filter(email__iexact=address).exclude(pk=person.pk).first() if address else None
    if other is not None:
        message = _("%(email)s is the address on %(name)s's record: each person's address is their own.") % {
            "email": address,
            "name": other.name,
        }
        _refuse("email", message, code="address_taken")
    person.email = address
    person.save(update_fields=["email"])
    ledger.record(
        actor=by, action=PERSON_EMAIL_CHANGED, subject=person, data={"person": person.pk, "emptied": not address}
    )
    return person


@action
def person_account_link(*, person: Person, user: Any, by: Any, by_invitation: bool = False) -> Person:
    """Make ``user`` the account of ``person``: one account per person, and one person per account. Only an account
    with the address on the person's record is linked, so that an account cannot take over someone else's membership.
    ``by`` is the site administrator who links it, or the new account itself accepting an invitation that names the
    person (checked when it was sent)."""
    if not by_invitation:
        policy.require(by, "org.manage_people")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id is not None:
        message = _("%(name)s already has an account: each person has one.") % {"name": person.name}
        raise InvalidInput(message, code="person_has_an_account")
    if Person.objects.filter(user_id=user.pk).exists():
        raise InvalidInput(_("This account already belongs to someone on the membership list."), code="account_taken")
    if not person.email or person.email != user.email.lower():
        message = _("Only an account with the address on %(name)s's record can be linked to it.") % {
            "name": person.name
        }
        raise InvalidInput(message, code="not_their_address")
    person.user = user
    person.save(update_fields=["user"])
    ledger.record(
        actor=by, action=ACCOUNT_LINKED, subject=person, data={"account": user.pk, "by_invitation": by_invitation}
    )
    return person


@records_held_refusals
@action
def membership_status_change(
    *,
    person: Person,
    status: str,
    effective_from: date,
    reason_code: str,
    by: Any,
    until: date | None = None,
    reason: str = "",
    decided_by_body: Body | None = None,
    decided_by_reference: str = "",
    case_open: bool = False,
) -> StatusChange:
    """Add a step to a person's membership history; nothing earlier is changed.

    A resignation while the person is the respondent in an open case is marked ``case_open`` whatever the caller
    says, and the case goes on; when such a person becomes active again, the rejoin is flagged on the ledger and
    the parts that registered for it (the disciplinary body) are told."""
    policy.require(by, "org.manage_people")
    _choice(status, MembershipStatus, "status")
    if until is not None and until <= effective_from:
        _refuse("until", _("The end date must be after the start date."))
    if until is not None and status not in (MembershipStatus.ON_LEAVE, MembershipStatus.SUSPENDED):
        _refuse("until", _("Only a leave or a suspension can have an end date."))
    if not ls.CODE(reason_code):
        _refuse("reason_code", _("The reason code is a short word such as dues_unpaid."))
    if case_open and status != MembershipStatus.RESIGNED:
        raise InvalidInput(_("Only a resignation is marked as made while a case was open."))
    hold = _held_status(person, effective_from)
    # A later final decision's own sanction (applied by the system) may go further than an earlier one's.
    by_a_sanction = by is ledger.SYSTEM and reason_code == "sanction"
    if hold is not None and status != hold.status and not by_a_sanction:
        refusal = Held(
            _(
                "A final decision holds %(name)s's membership status as %(status)s. Only an appeal decision, an "
                "override or a re-admission, each citing a carried vote of the body the bylaws name, changes it."
            )
            % {"name": person.name, "status": MembershipStatus(hold.status).label},
        )
        refusal.held = (person.pk, "status")
        refusal.held_words = _("a change of membership status to %(status)s") % {
            "status": MembershipStatus(status).label
        }
        raise refusal
    if status == MembershipStatus.RESIGNED and not case_open:
        case_open = hooks.in_an_open_case(person)
    rejoin = (
        status == MembershipStatus.ACTIVE
        and queries.resigned_while_a_case_was_open(person=person)
        and queries.status_on(person=person, day=effective_from) in _OUTSIDE
    )
    change = StatusChange.objects.create(
        ledger_seq=ledger.next_seq(),
        person=person,
        status=status,
        effective_from=effective_from,
        until=until,
        reason_code=reason_code,
        reason=_text(reason, field="reason", limit=2000),
        decided_by_body=decided_by_body,
        decided_by_reference=_text(decided_by_reference, field="decided_by_reference", limit=120),
        case_open=case_open,
    )
    ledger.record(
        seq=change.ledger_seq,
        actor=by,
        action=STATUS_CHANGED,
        subject=person,
        data={
            "status": status,
            "from": effective_from.isoformat(),
            "until": until.isoformat() if until else None,
            "reason": reason_code,
            "body": decided_by_body.pk if decided_by_body else None,
            "case_open": case_open,
        },
    )
    if status in _OUTSIDE:
        # A membership that ends takes its caucus seats with it (a seat on another body ends by its own action).
        for seat in queries.seats_on_any_body(person=person, day=effective_from):
            if seat.body.kind == BodyKind.CAUCUS:
                _caucus_seat_ends(seat, on=effective_from, reason=SeatEndReason.MEMBERSHIP_ENDED)
    if rejoin:
        ledger.record(
            actor=by,
            action=REJOINED_AFTER_OPEN_CASE,
            subject=person,
            data={"person": person.pk, "from": effective_from.isoformat()},
        )
        hooks.rejoined(person, effective_from)
    return change


@action
def body_create(
    *,
    name: str,
    slug: str,
    kind: str,
    by: Any,
    parent: Body | None = None,
    min_size: int = 0,
    max_size: int | None = None,
    max_consecutive_terms: int | None = None,
) -> Body:
    policy.require(by, "org.manage_bodies")
    _choice(kind, BodyKind, "kind")
    if kind == BodyKind.CAUCUS and not isinstance(by, ledger.Actor):
        # A caucus is formed by its members in members' voice; only the command line keeps the old kind (old data).
        _refuse("kind", _("A caucus is formed by its members in Members' voice, not added as a body."))
    if max_size is not None and max_size < min_size:
        _refuse("max_size", _("The largest size is below the smallest."))
    if Body.objects.filter(slug=slug).exists():
        _refuse("slug", _("Another body has this short name."))
    body = Body.objects.create(
        name=_text(name, field="name", limit=200, required=True),
        slug=slug,
        kind=kind,
        parent=parent,
        min_size=min_size,
        max_size=max_size,
        max_consecutive_terms=max_consecutive_terms,
    )
    ledger.record(
        actor=by, action=BODY_CREATED, subject=body, data={"kind": kind, "parent": parent.pk if parent else None}
    )
    return body


@records_held_refusals
@action
def eligibility_override_record(
    *, person: Person, body: Body, reason_code: str, meeting_reference: str, vote_reference: str, by: Any
) -> EligibilityOverride:
    """Record the vote that lets an ineligible person be seated anyway. Flagged to the oversight body. What a final
    decision or an interim measure holds is not an eligibility question: no such vote gets past it."""
    policy.require(by, "org.seat_people")
    if reason_code not in eligibility.REASON_CODES:
        _refuse("reason_code", _("Unknown reason code."))
    if hooks.holds_on(person):
        refusal = Held(
            _("A final decision or an interim measure holds this person's eligibility; an override vote cannot.")
        )
        refusal.held = (person.pk, "eligibility_override")
        raise refusal
    override = EligibilityOverride.objects.create(
        ledger_seq=ledger.next_seq(),
        person=person,
        body=body,
        reason_code=reason_code,
        meeting_reference=_text(meeting_reference, field="meeting_reference", limit=120, required=True),
        vote_reference=_text(vote_reference, field="vote_reference", limit=120, required=True),
    )
    ledger.record(
        seq=override.ledger_seq,
        actor=by,
        action=ELIGIBILITY_OVERRIDDEN,
        subject=override,
        data={
            "person": person.pk,
            "body": body.pk,
            "reason": reason_code.lower(),
            "sha256": reconcile.text_sha256(override.meeting_reference, override.vote_reference),
        },
    )
    return override


@records_held_refusals
@action
def person_seat(
    *,
    person: Person,
    body: Body,
    basis: str,
    starts_on: date,
    by: Any,
    role: str = SeatRole.MEMBER,
    term_ends_on: date | None = None,
    override: EligibilityOverride | None = None,
    cited_vote: tuple[int | None, str] | None = None,
) -> Seat:
    """The one way onto a body. Always checks eligibility (invariant 9); only a recorded override gets past it.
    ``cited_vote`` (id, reference): the carried vote that elected the person, kept on the seat; an election cites
    its own reference with no vote id."""
    policy.require(by, "org.seat_people")
    _choice(role, SeatRole, "role")
    _choice(basis, SeatBasis, "basis")
    if term_ends_on is not None and term_ends_on <= starts_on:
        _refuse("term_ends_on", _("The term must end after it starts."))
    verdict = eligibility.check(person, body, starts_on)
    if isinstance(verdict, eligibility.Ineligible) and hooks.holds_on(person):
        # Held by a decision or a measure: no override gets past it, and the attempt is flagged. The reason code
        # stays the eligibility check's, which tells nothing of a case.
        refusal = Ineligible(_("This person cannot take this seat."), code=verdict.reason_code)
        refusal.held = (person.pk, "seat")
        refusal.held_words = _("a seat on %(body)s") % {"body": body.name}
        raise refusal
    if isinstance(verdict, eligibility.Ineligible):
        usable = (
            override is not None
            and override.person_id == person.pk
            and override.body_id == body.pk
            and override.reason_code == verdict.reason_code
            and override.seat_id is None
        )
        if not usable:
            raise Ineligible(_("This person cannot take this seat."), code=verdict.reason_code)
    seat = Seat.objects.create(
        ledger_seq=ledger.next_seq(),
        person=person,
        body=body,
        role=role,
        basis=basis,
        starts_on=starts_on,
        term_ends_on=term_ends_on,
        vote_reference=cited_vote[1] if cited_vote else "",
    )
    ledger.record(
        seq=seat.ledger_seq,
        actor=by,
        action=PERSON_SEATED,
        subject=seat,
        data={
            "person": person.pk,
            "body": body.pk,
            "role": role,
            "basis": basis,
            "from": starts_on.isoformat(),
            "term_ends": term_ends_on.isoformat() if term_ends_on else None,
            "override": override.pk if override and isinstance(verdict, eligibility.Ineligible) else None,
            "vote": cited_vote[0] if cited_vote else None,
        },
    )
    if override is not None and isinstance(verdict, eligibility.Ineligible):
        override.seat = seat  # an override seats once
        override.save(update_fields=["seat"])
    return seat


@action
def seat_end(*, seat: Seat, ends_on: date, reason: str, by: Any) -> Seat:
    policy.require(by, "org.seat_people")
    _choice(reason, SeatEndReason, "reason")
    return _seat_ended(seat=seat, ends_on=ends_on, reason=reason, recorded_as=by)


def _seat_ended(*, seat: Seat, ends_on: date, reason: str, recorded_as: Any) -> Seat:
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    if seat.ends_on is not None:
        raise InvalidInput(_("This seat has already ended."), code="seat_already_ended")
    if ends_on <= seat.starts_on:
        _refuse("ends_on", _("A seat ends after the day it starts."))
    seat.ends_on = ends_on
    seat.end_reason = reason
    seat.save(update_fields=["ends_on", "end_reason"])
    ledger.record(
        actor=recorded_as, action=SEAT_ENDED, subject=seat, data={"on": ends_on.isoformat(), "reason": reason}
    )
    return seat


def _caucus_seat_ends(seat: Seat, *, on: date, reason: str) -> Seat:
    """A caucus seat ends on the system's account: an entry naming its member as the actor would tell who sat on it."""
    return _seat_ended(
        seat=seat, ends_on=max(on, seat.starts_on + timedelta(days=1)), reason=reason, recorded_as=ledger.SYSTEM
    )


@action
def caucus_seat_leave(*, seat: Seat, by: Any) -> Seat:
    """The member leaves a caucus (a body of kind *caucus*) from its page, today. Nobody else ends such a seat: who
    sits on a caucus is its members' business, and a site administrator does not see it."""
    policy.require(by, "org.leave_caucus_seat", seat)
    return _caucus_seat_ends(seat, on=timezone.localdate(), reason=SeatEndReason.RESIGNED)


@action
def seats_end_all(
    *, person: Person, on: date, reason: str, by: Any, kinds: Collection[str] | None = None
) -> list[Seat]:
    """End every seat ``person`` holds on ``on`` (only on bodies of ``kinds``, if given), each with ``seat_end``: a
    sanction or an interim measure takes effect that day (a seat that began that day ends the day after)."""
    ended = []
    for seat in queries.seats_on_any_body(person=person, day=on):
        if kinds is None or seat.body.kind in kinds:
            ended.append(seat_end(seat=seat, ends_on=max(on, seat.starts_on + timedelta(days=1)), reason=reason, by=by))
    return ended


@action
def restriction_impose(
    *,
    person: Person,
    kind: str,
    starts_on: date,
    source: str,
    source_reference: str,
    by: Any,
    ends_on: date | None = None,
    case_reference: str = "",
) -> Restriction:
    """Called by sanctions, interim measures and recorded votes; the source is named."""
    policy.require(by, "org.restrict_people")
    _choice(kind, RestrictionKind, "kind")
    _choice(source, RestrictionSource, "source")
    if ends_on is not None and ends_on <= starts_on:
        _refuse("ends_on", _("The end date must be after the start date."))
    restriction = Restriction.objects.create(
        ledger_seq=ledger.next_seq(),
        person=person,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        source=source,
        source_reference=_text(source_reference, field="source_reference", limit=120, required=True),
        case_reference=_text(case_reference, field="case_reference", limit=120),
    )
    ledger.record(
        seq=restriction.ledger_seq,
        actor=by,
        action=RESTRICTION_IMPOSED,
        subject=restriction,
        data={
            "person": person.pk,
            "kind": kind,
            "from": starts_on.isoformat(),
            "until": ends_on.isoformat() if ends_on else None,
            "source": source,
        },
    )
    return restriction


@records_held_refusals
@action
def restriction_lift(*, restriction: Restriction, lifted_on: date, by: Any) -> Restriction:
    """Lift a restriction. One a final decision or an interim measure holds is lifted only by the case's own steps
    (the measure lifted, an appeal, an override), which end the hold first."""
    policy.require(by, "org.restrict_people")
    restriction = Restriction.objects.select_for_update().get(pk=restriction.pk)
    if restriction.lifted_on is not None:
        raise InvalidInput(_("This restriction was already lifted."), code="restriction_already_lifted")
    if any(restriction.pk in hold.restrictions for hold in hooks.holds_on(restriction.person)):
        refusal = Held(_("A final decision or an interim measure holds this restriction; it is not lifted by hand."))
        refusal.held = (restriction.person_id, "restriction_lift")
        raise refusal
    restriction.lifted_on = max(lifted_on, restriction.starts_on)
    restriction.save(update_fields=["lifted_on"])
    ledger.record(
        actor=by, action=RESTRICTION_LIFTED, subject=restriction, data={"on": restriction.lifted_on.isoformat()}
    )
    return restriction


# "sha256": of the document as adopted (reconcile.json_sha256).
BYLAWS_ADOPTED = ls.define(
    "org.bylaws_adopted",
    label=gettext_lazy("Bylaws were adopted"),
    fields={"version": ls.COUNT, "from": ls.DATE, "sha256": ls.HASH},
    version=2,
    checkpoint_after=True,
)


@action
def bylaws_adopt(*, document: dict[str, Any], effective_from: date, adopted_by_vote: str, by: Any) -> BylawsVersion:
    """A new version of the bylaws, in force from ``effective_from``; earlier versions stay as they were."""
    policy.require(by, "org.adopt_bylaws")
    vote = _text(adopted_by_vote, field="adopted_by_vote", limit=200, required=True)
    checked = bylaws.check(document, body_slugs=set(Body.objects.values_list("slug", flat=True)))
    last = BylawsVersion.objects.select_for_update().order_by("-number").first()
    version = BylawsVersion.objects.create(
        ledger_seq=ledger.next_seq(),
        number=(last.number + 1) if last else 1,
        effective_from=effective_from,
        adopted_by_vote=vote,
        document=checked,
    )
    ledger.record(
        seq=version.ledger_seq,
        actor=by,
        action=BYLAWS_ADOPTED,
        subject=version,
        data={
            "version": version.number,
            "from": effective_from.isoformat(),
            "sha256": reconcile.json_sha256(version.document),
        },
    )
    return version


@action
def person_create_with_membership(
    *, name: str, by: Any, email: str = "", member_number: str = "", joined_on: date | None = None
) -> Person:
    """A person, and if ``joined_on`` is given, their membership from that day."""
    person = person_create(name=name, email=email, member_number=member_number, by=by)
    if joined_on is not None:
        membership_status_change(
            person=person, status=MembershipStatus.ACTIVE, effective_from=joined_on, reason_code="joined", by=by
        )
    return person
