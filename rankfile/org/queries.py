"""Reads of the organization: status on a date, rosters on a date, seat histories, shared bodies."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from rankfile import policy, prepared
from rankfile.errors import NotAllowed
from rankfile.ledger.models import Entry
from rankfile.org import bylaws
from rankfile.org.models import Body, BodyKind, BylawsVersion, Person, Restriction, Seat, StatusChange
from rankfile.per_request import remembered


def _in_effect(day: date) -> Q:
    return Q(effective_from__lte=day) & (Q(until__isnull=True) | Q(until__gt=day))


def status_on(*, person: Person, day: date) -> str | None:
    """The membership status in effect on ``day``; None if the person was never a member by then."""
    return remembered(("org.status_on", person.pk, day), lambda: _status_on(person=person, day=day))


def _status_on(*, person: Person, day: date) -> str | None:
    # Plain SQL: the eligibility check asks this on every seating, and query building would dominate.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status FROM {StatusChange._meta.db_table} WHERE person_id = %s AND effective_from <= %s "  # noqa: S608
            "AND (until IS NULL OR until > %s) ORDER BY effective_from DESC, id DESC LIMIT 1",
            [person.pk, day, day],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def people_with_status(*, status: str, day: date) -> QuerySet[Person]:
    """Everyone whose status on ``day`` was ``status``."""
    return Person.objects.annotate(status_then=_status_then(day)).filter(status_then=status)


def _status_then(day: date) -> Subquery:
    """The status in effect on ``day`` of the person of the outer query."""
    return Subquery(
        StatusChange.objects.filter(_in_effect(day), person=OuterRef("pk"))
        .order_by("-effective_from", "-pk")
        .values("status")[:1]
    )


@dataclass(frozen=True)
class OwnStanding:
    """A person's membership as their home page says it when it is not active: the change in effect (its status,
    since when, until when, whether a final decision's sanction made it) and the restrictions that hold."""

    change: StatusChange
    restrictions: list[Restriction]

    @property
    def by_sanction(self) -> bool:
        return self.change.reason_code == "sanction"


def own_standing(*, user: Any, day: date) -> OwnStanding | None:
    """The signed-in person's membership when it is not active, else None. An active member's answer is the status
    the menu already asked for this request (``status_on`` is remembered): no query of its own."""
    person = person_of(user=user)
    if person is None or status_on(person=person, day=day) in (None, "active"):
        return None
    change = person.status_changes.filter(_in_effect(day)).order_by("-effective_from", "-pk").first()
    if change is None:
        return None
    return OwnStanding(change=change, restrictions=restrictions_in_effect(person=person, day=day))


def status_history(*, person: Person) -> QuerySet[StatusChange]:
    return person.status_changes.select_related("decided_by_body").order_by("effective_from", "pk")


def resigned_while_a_case_was_open(*, person: Person) -> bool:
    """Shown when the person applies to rejoin."""
    return person.status_changes.filter(status="resigned", case_open=True).exists()


def _sitting(day: date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gt=day))


def seats_on(*, body: Body, day: date) -> QuerySet[Seat]:
    """Who sat on ``body`` on ``day`` (a seat counts from its first day up to the day before it ended)."""
    return body.seats.filter(_sitting(day)).order_by("role", "pk")


def logins_seated_on(*, body_id: int, day: date) -> set[int]:
    """The logins of the people sitting on the body on ``day`` (the recovery trustees, on a trustee's every page:
    built once a day, ``prepared``)."""
    logins = prepared.rows(
        "org.logins_seated_on",
        lambda body_id: (
            Seat.objects.filter(_sitting(day), body_id=body_id, person__user__isnull=False)
            .order_by("role", "pk")
            .values_list("person__user_id")
        ),
        on=day,
        body_id=body_id,
    )
    return {user_id for (user_id,) in logins}


def caucuses_hidden_from(*, user: Any, day: date) -> QuerySet[Body]:
    """The one rule of who learns who sits on a caucus (a body of kind *caucus*): those who sit on it on ``day``, and
    nobody else, not by rank either. These are the caucuses whose seats ``user`` may not see."""
    user_id = getattr(user, "pk", None) or 0  # 0: nobody's account (a visitor sits on nothing)
    mine = Seat.objects.filter(_sitting(day), person__user_id=user_id, body__kind=BodyKind.CAUCUS)
    return Body.objects.filter(kind=BodyKind.CAUCUS).exclude(pk__in=mine.values("body_id"))


def hidden_rosters_q(*, user: Any, day: date, prefix: str = "") -> Q:
    """Seats that ``user`` may not see: those on a caucus they do not sit on (``caucuses_hidden_from``)."""
    return Q(**{f"{prefix}body_id__in": caucuses_hidden_from(user=user, day=day).values("pk")})


def roster_hidden(*, user: Any, body: Body, day: date) -> bool:
    """Whether ``body``'s roster is hidden from ``user``: a caucus they do not sit on."""
    return body.kind == BodyKind.CAUCUS and caucuses_hidden_from(user=user, day=day).filter(pk=body.pk).exists()


def caucus_seat_entries_withheld(*, user: Any, entries: Iterable[Any], day: date) -> set[int]:
    """The seqs of ledger entries that would tell ``user`` who sits on a caucus they do not sit on
    (``caucuses_hidden_from``): those about a seat on it (their subject, or a ``seat`` in their data) and those naming
    a person and it (``person`` and ``body`` in their data, as an eligibility override). The stored entries never
    change; pages show them without subject, data or who acted. One query, and one more where there are caucuses."""
    entries = list(entries)
    if not entries:
        return set()
    hidden = set(caucuses_hidden_from(user=user, day=day).values_list("pk", flat=True))
    if not hidden:
        return set()
    seats: dict[int, set[int]] = {}
    bodies: dict[int, set[int]] = {}
    for entry in entries:
        data = _entry_data(entry)
        if entry.subject_type == Seat._meta.label_lower and entry.subject_id is not None:
            seats.setdefault(entry.subject_id, set()).add(entry.seq)
        if isinstance(data.get("seat"), int):
            seats.setdefault(data["seat"], set()).add(entry.seq)
        if isinstance(data.get("person"), int) and isinstance(data.get("body"), int):
            bodies.setdefault(data["body"], set()).add(entry.seq)
    withheld = {seq for pk, seqs in bodies.items() if pk in hidden for seq in seqs}
    if seats:
        for pk in Seat.objects.filter(pk__in=seats, body_id__in=hidden).values_list("pk", flat=True):
            withheld |= seats[pk]
    return withheld


def _entry_data(entry: Any) -> dict[str, Any]:
    try:
        data = json.loads(entry.data)
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def bodies_for_seating() -> QuerySet[Body]:
    """The bodies a page may seat someone on, or elect to: every body but a caucus, whose seats are its members' own
    business (a caucus is formed and joined in members' voice, docs/voice.md)."""
    return Body.objects.exclude(kind=BodyKind.CAUCUS).order_by("name")


def caucus_seat_of(*, user: Any, body: Body, day: date) -> Seat | None:
    """The seat ``user`` holds on ``day`` on ``body`` if it is a caucus: the one they may leave from its page."""
    user_id = getattr(user, "pk", None)
    if body.kind != BodyKind.CAUCUS or user_id is None:
        return None
    return Seat.objects.filter(_sitting(day), body=body, person__user_id=user_id).order_by("pk").first()


def seats_on_any_body(*, person: Person, day: date) -> QuerySet[Seat]:
    """Every seat ``person`` holds on ``day``, on any body."""
    return person.seats.filter(_sitting(day)).select_related("body").order_by("pk")


def officers_addresses_by_body(*, body_ids: Iterable[int], day: date) -> list[tuple[str, int]]:
    """(email, body id) for the chairs, vice chairs and secretaries sitting on ``day`` on each of the bodies."""
    seats = (
        Seat.objects.filter(_sitting(day), body_id__in=list(body_ids), role__in=["chair", "vice_chair", "secretary"])
        .exclude(person__user__isnull=True)
        .exclude(person__user__email="")
        .select_related("person__user")
    )
    return sorted({(seat.person.user.email, seat.body_id) for seat in seats if seat.person.user is not None})


def oversight_addresses() -> list[tuple[int, str]]:
    """(person, email) for everyone sitting on an oversight body today."""
    today = timezone.localdate()
    seats = Seat.objects.filter(_sitting(today), body__kind=BodyKind.OVERSIGHT).select_related("person__user")
    found: dict[int, str] = {}
    for seat in seats:
        address = seat.person.user.email if seat.person.user else seat.person.email
        if address:
            found[seat.person_id] = address
    return sorted(found.items())


def names_of(*, person_ids: Iterable[int]) -> dict[int, str]:
    """Names by id, in batches the database accepts. For rosters: joining a large body's seats to every person
    costs more on PostgreSQL, and a prefetch of a thousand people is an expression too deep for SQLite."""
    return dict(Person.objects.filter(pk__in=list(person_ids)).values_list("pk", "name"))


def seat_history(*, person: Person) -> QuerySet[Seat]:
    """Every seat a person ever held, on every body."""
    return person.seats.select_related("body").order_by("starts_on", "pk")


def standing_on(*, person: Person, day: date) -> tuple[str | None, set[str]]:
    """The status and the kinds of restriction in effect on ``day``, in one query: what the eligibility check reads.

    The rules of ``status_on`` and ``restriction_kinds_in_effect``.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 's', status FROM (SELECT status FROM {StatusChange._meta.db_table} "  # noqa: S608
            "WHERE person_id = %s AND effective_from <= %s AND (until IS NULL OR until > %s) "
            "ORDER BY effective_from DESC, id DESC LIMIT 1) latest "
            f"UNION ALL SELECT DISTINCT 'r', kind FROM {Restriction._meta.db_table} "
            "WHERE person_id = %s AND starts_on <= %s AND (ends_on IS NULL OR ends_on > %s) "
            "AND (lifted_on IS NULL OR lifted_on > %s)",
            [person.pk, day, day, person.pk, day, day, day],
        )
        rows = cursor.fetchall()
    status = next((value for source, value in rows if source == "s"), None)
    return status, {value for source, value in rows if source == "r"}


def restriction_kinds_in_effect(*, person: Person, day: date) -> set[str]:
    """The kinds of restriction that hold on ``day`` (plain SQL, for the eligibility check)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT kind FROM {Restriction._meta.db_table} WHERE person_id = %s AND starts_on <= %s "  # noqa: S608
            "AND (ends_on IS NULL OR ends_on > %s) AND (lifted_on IS NULL OR lifted_on > %s)",
            [person.pk, day, day, day],
        )
        return {kind for (kind,) in cursor.fetchall()}


def restrictions_in_effect(*, person: Person, day: date) -> list[Restriction]:
    candidates = person.restrictions.filter(starts_on__lte=day)
    return [r for r in candidates if r.in_effect_on(day)]


@dataclass(frozen=True)
class SharedBody:
    body: Body
    since: date
    until: date | None  # None: both still sit there


def shared_bodies(*, first: Person, second: Person, since: date | None = None) -> list[SharedBody]:
    """Bodies on which both people sat at the same time (overlapping seats), for conflict checks."""
    shared: dict[int, SharedBody] = {}
    theirs = list(second.seats.select_related("body"))
    for mine in first.seats.select_related("body"):
        for other in theirs:
            if mine.body_id != other.body_id:
                continue
            start = max(mine.starts_on, other.starts_on)
            ends = [d for d in (mine.ends_on, other.ends_on) if d is not None]
            end = min(ends) if ends else None
            if end is not None and end <= start:
                continue
            if since is not None and end is not None and end <= since:
                continue
            known = shared.get(mine.body_id)
            if known is None or start < known.since:
                shared[mine.body_id] = SharedBody(body=mine.body, since=start, until=end)
    return sorted(shared.values(), key=lambda s: (s.since, s.body.name))


def holds_seat_on_kind(*, user: Any, kinds: frozenset[str], day: date) -> bool:
    """Does this login's person sit, on ``day``, on a body of one of ``kinds``?"""
    if not getattr(user, "is_authenticated", False):
        return False
    # The layout asks on every page: built once a day (``prepared``).
    return remembered(
        ("org.holds_seat_on_kind", user.pk, kinds, day),
        lambda: bool(
            prepared.rows(
                ("org.holds_seat_on_kind", kinds),
                lambda user_id: Seat.objects.filter(
                    _sitting(day), person__user_id=user_id, body__kind__in=kinds
                ).values_list("pk")[:1],
                on=day,
                user_id=user.pk,
            )
        ),
    )


def bodies_sat_on(*, person_id: int, day: date) -> frozenset[int]:
    """The bodies the person sits on on ``day``: asked once per page view, for every card and rule that asks
    whether they sit on a body."""
    return remembered(
        ("org.bodies_sat_on", person_id, day),
        lambda: frozenset(Seat.objects.filter(_sitting(day), person_id=person_id).values_list("body_id", flat=True)),
    )


def person_of(*, user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return remembered(("org.person_of", user.pk), lambda: _person_of(user.pk))


def _person_of(user_id: int) -> Person | None:
    # Asked on every page (the layout's questions start from it): built once a day (``prepared``).
    found = prepared.objects(
        "org.person_of", lambda user_id: Person.objects.filter(user_id=user_id)[:1], user_id=user_id
    )
    return found[0] if found else None  # type: ignore[return-value]


@dataclass(frozen=True)
class BodySummary:
    body: Body
    sitting: int


def bodies_for_directory(*, user: Any, day: date) -> list[BodySummary]:
    policy.require(user, "org.view_directory")
    counts = dict(
        Seat.objects.filter(_sitting(day)).values_list("body_id").annotate(n=Count("pk")).values_list("body_id", "n")
    )
    return [BodySummary(body=b, sitting=counts.get(b.pk, 0)) for b in Body.objects.select_related("parent")]


def body_for_directory(*, user: Any, slug: str) -> Body:
    policy.require(user, "org.view_directory")
    body = Body.objects.filter(slug=slug).select_related("parent").first()
    if body is None:
        raise NotAllowed("no such body")
    return body


def people_for_directory(*, user: Any, day: date, search: str = "") -> QuerySet[Person]:
    """Members in good standing on ``day``, with their current seats (names, branches, bodies; no contact). The site
    administrator and the oversight body find everyone on the membership list, with their status that day in
    ``status_then`` (None for a person with no membership record yet)."""
    policy.require(user, "org.view_directory")
    people: QuerySet[Person]
    if policy.allows(user, "org.view_whole_membership"):
        people = Person.objects.annotate(status_then=_status_then(day))
    else:
        people = people_with_status(status="active", day=day)
    if search:
        people = people.filter(name__icontains=search)
    return people.order_by("name").prefetch_related(
        Prefetch(
            "seats",
            queryset=Seat.objects.filter(_sitting(day))
            .exclude(hidden_rosters_q(user=user, day=day))
            .select_related("body"),
            to_attr="current_seats",
        )
    )


def person_for_directory(*, user: Any, pk: int) -> Person:
    policy.require(user, "org.view_directory")
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise NotAllowed("no such person")
    return person


def bylaws_in_force(*, day: date) -> BylawsVersion | None:
    """The version in force on ``day``: the latest to take effect by then (of two on one day, the later adopted).
    Asked once per page view: a case's page reads the bylaws for its steps, its forms and its sanctions."""
    return remembered(("org.bylaws_in_force", day), lambda: _bylaws_in_force(day))


def _bylaws_in_force(day: date) -> BylawsVersion | None:
    found = prepared.objects(
        "org.bylaws_in_force",
        lambda: BylawsVersion.objects.filter(effective_from__lte=day).order_by("-effective_from", "-number")[:1],
        on=day,
    )
    return found[0] if found else None  # type: ignore[return-value]


def bylaws_document(*, day: date) -> dict[str, Any]:
    """What the bylaws say on ``day``; the defaults where no version was adopted yet, and for any key adopted
    before it existed."""
    version = bylaws_in_force(day=day)
    return bylaws.with_defaults(version.document) if version else bylaws.defaults()


def role_body(role: str, day: date | None = None) -> Body | None:
    """The body the bylaws in force on ``day`` (today if not given) give ``role``, if any."""
    slug = bylaws_document(day=day or timezone.localdate())["roles"].get(role, "")
    return remembered(("org.body_named", slug), lambda: body_named(slug)) if slug else None


def body_named(slug: str) -> Body | None:
    """The body of ``slug`` (the bylaws name their bodies so): asked by many pages, built once a day (``prepared``)."""
    found = prepared.objects(("org.body_named", slug), lambda: Body.objects.filter(slug=slug)[:1])
    return found[0] if found else None  # type: ignore[return-value]


def bylaws_roles_in_words(*, document: dict[str, Any]) -> list[tuple[str, Body | None]]:
    """Each role of ``document`` in words, and the body it names (None: not named, or no such body)."""
    slugs = {slug for slug in document["roles"].values() if slug}
    bodies = {body.slug: body for body in Body.objects.filter(slug__in=slugs)}
    return [
        (str(bylaws.ROLE_WORDS.get(role, role.replace("_", " ").capitalize())), bodies.get(slug))
        for role, slug in document["roles"].items()
    ]


def bylaws_deadlines_in_words(*, document: dict[str, Any]) -> list[tuple[str, int]]:
    return [
        (str(bylaws.DEADLINE_WORDS.get(name, name.replace("_", " ").capitalize())), days)
        for name, days in document["deadlines"].items()
    ]


def bylaws_versions() -> QuerySet[BylawsVersion]:
    return BylawsVersion.objects.order_by("-number")


def bylaws_version(*, user: Any, number: int) -> BylawsVersion:
    policy.require(user, "org.view_directory")
    version = BylawsVersion.objects.filter(number=number).first()
    if version is None:
        raise NotAllowed("no such version")
    return version


def seat_for_management(*, pk: int) -> Seat:
    """A seat a site administrator may end: never one on a caucus, which they do not see (its member leaves it)."""
    seat = Seat.objects.filter(pk=pk).exclude(body__kind=BodyKind.CAUCUS).select_related("person", "body").first()
    if seat is None:
        raise NotAllowed("no such seat")
    return seat


def held_import_recorded(*, person_id: int, import_of: str) -> bool:
    """Whether a refused member import's attempt on the person's held state (``import_of``, the hash of its file and
    of the holds it met) is on the ledger already."""
    return Entry.objects.filter(
        action="org.held_change_refused",
        subject_type=Person._meta.label_lower,
        subject_id=person_id,
        data__contains=f'"import_of":"{import_of}"',
    ).exists()


def held_refusals_count() -> int:
    """How many attempts to undo what a final decision holds were refused (each flagged on the ledger), in one
    query: for the oversight body's home page, which alone may see those entries."""
    return Entry.objects.filter(action="org.held_change_refused").count()


def unlinked_account_of(*, person: Person) -> Any:
    """The account with the address on ``person``'s record that belongs to nobody on the membership list, if any:
    the only account a site administrator may link to them (one account per person, never another's address)."""
    if not person.email or person.user_id is not None:
        return None
    accounts = get_user_model().objects.filter(email__iexact=person.email, person__isnull=True)
    return accounts.first()
