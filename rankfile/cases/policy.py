"""Who may learn that a report or a case exists, read it, or act on it: the one place it is decided.

Access follows assignment (DESIGN.md invariant 5): the reporter; a report's current handlers until a case opens
from it, then the people running that case; a case's seated panel (each role for its own steps); before seating,
the handling body's people who are not excluded from the case; its parties (the respondent's side from the notice)
and the advisers they named who accepted; the appeals body's people seated to hear an appeal; a candidate for the
panel, for their declaration only; and, for an override, a recorder of the body the bylaws empower. No role, rank or
seat elsewhere gives any. A refusal is the same as "not found" (invariant 11).

Each predicate is a ``rules`` predicate registered below; the queries that list what a person may see filter by the
same conditions (the ``*_q`` functions). A second factor is one more rule (``cases.second_factor``), asked once by
``require_second_factor``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import rules
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from rankfile import policy
from rankfile.accounts.mfa import has_mfa
from rankfile.cases.models import (
    Case,
    CaseDocument,
    CaseStep,
    PanelMember,
    PanelRole,
    PanelStatus,
    Party,
    PartyRole,
    Report,
    Stage,
)
from rankfile.cases.stages import APPEALS, EMPOWERED, PANEL, PARTY
from rankfile.deadlines.models import Deadline
from rankfile.errors import MfaRequired, NotAllowed
from rankfile.ledger.policy import only_for_the_oversight_body
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, Person, Restriction, Seat, SeatEndReason
from rankfile.per_request import remembered
from rankfile.policy import rule_set
from rankfile.vault import documents as vault_documents
from rankfile.vault import keys as vault_keys
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import KeyHolder, Keypair

# --- who someone is ---------------------------------------------------------------------------------------------------


def person_id_of(user: Any) -> int | None:
    """The person a signed-in login belongs to (remembered on the login object for the rest of the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_rankfile_person_id", False)
    if cached is False:
        person = org_queries.person_of(user=user)
        cached = person.pk if person is not None else None
        user._rankfile_person_id = cached
    return cached


def _sitting_today() -> Q:
    today = timezone.localdate()
    return Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gt=today))


@rules.predicate
def is_official(user: Any) -> bool:
    """Sits today on some body of the organization: someone whose attempts at what only others may do are recorded
    (anyone else's are refused and forgotten, so that nobody can fill the oversight body's list)."""
    person_id = person_id_of(user)
    return person_id is not None and Seat.objects.filter(_sitting_today(), person_id=person_id).exists()


@rules.predicate
def sits_on_oversight(user: Any) -> bool:
    """Sits today on the body the bylaws in force name as the oversight body (the one definition; ledger pages,
    process investigations and alerts all ask this)."""
    person_id = person_id_of(user)
    oversight = org_queries.role_body("oversight")
    if person_id is None or oversight is None:
        return False
    return oversight.seats.filter(_sitting_today(), person_id=person_id).exists()


@rules.predicate
def needs_no_second_factor(user: Any) -> bool:
    return not settings.RANKFILE_REQUIRE_MFA_FOR_CASE_ROLES or has_mfa(user)


def require_second_factor(user: Any) -> None:
    """Case roles need a second factor: without one, the person is told to set it up (not "not found")."""
    if not policy.allows(user, "cases.second_factor"):
        raise MfaRequired()


# --- reports ------------------------------------------------------------------------------------------------------


def handled_reports_q(user: Any, *, statuses: Iterable[str] = ()) -> Q:
    """Reports ``user`` handles now: a current handler, of a report in no case or in cases they run. Once a case
    opens from a report, its reports are for the people running the case: a handler the case excluded (he shares a
    body with its respondent) or left off its panel reads them no more. With ``statuses``, only reports in one of
    them.

    One query: each of the person's reports asks ``runs_cases_q`` of its own cases only, whose lists (the person's
    places, bodies and exclusions) the database reads once, so the rule is never run over every case."""
    person_id = person_id_of(user)
    if person_id is None:
        return Q(pk__in=[])
    handler = Q(handlers__person_id=person_id, handlers__removed_at__isnull=True)
    if statuses:
        handler &= Q(status__in=list(statuses))
    runs_it = Case.objects.filter(runs_cases_q(user), pk=OuterRef("case_id"))
    in_a_case_not_run = Case.reports.through.objects.filter(report=OuterRef("pk")).filter(~Exists(runs_it))
    return handler & Q(~Exists(in_a_case_not_run))


def handled_reports_in_no_case_q(user: Any) -> Q:
    """The reports of ``handled_reports_q`` that no case holds yet: for them that rule is being a current handler,
    asked without the two queries about the cases of every report the person handles."""
    person_id = person_id_of(user)
    if person_id is None:
        return Q(pk__in=[])
    return Q(handlers__person_id=person_id, handlers__removed_at__isnull=True, cases__isnull=True)


@rules.predicate
def handles(user: Any, report: Report | None) -> bool:
    person_id = person_id_of(user)
    if report is None or person_id is None:
        return False
    if not report.handlers.filter(person_id=person_id, removed_at__isnull=True).exists():
        return False
    return all(runs_case(user, case) for case in report.cases.select_related("body"))


@rules.predicate
def reported(user: Any, report: Report | None) -> bool:
    return bool(report is not None and getattr(user, "is_authenticated", False) and report.reporter_id == user.pk)


def holds_reporter_key(report: Report, key: UnlockedKey | None) -> bool:
    """The reporter's key: the one the report was made with (a receipt code's, or their login's), or the reporter's
    account's current key (after a password reset, the new one, to which the trustees' restoration gives what the
    old one read)."""
    return key is not None and is_reporters_keypair(report, key.keypair)


def is_reporters_keypair(report: Report, keypair: Keypair) -> bool:
    if keypair.pk == report.reporter_key_id:
        return True
    return (
        report.reporter_id is not None
        and keypair.holder == KeyHolder.PERSON
        and keypair.user_id == report.reporter_id
        and keypair.retired_at is None
    )


@rules.predicate
def is_reporters_key(key: UnlockedKey | None, report: Report | None) -> bool:
    """Asked of a key, not a login: a receipt code's key acts without an account."""
    return report is not None and holds_reporter_key(report, key)


@rules.predicate
def key_reads(key: UnlockedKey | None, item: CaseDocument | None) -> bool:
    """Asked of a key: the case document was sealed for it (its party's side, its panel)."""
    if key is None or item is None:
        return False
    return vault_documents.latest(item.document).wrapped_keys.filter(keypair=key.keypair).exists()


rule_set.add_rule("cases.hold_reporter_key", is_reporters_key)
rule_set.add_rule("cases.read_document", key_reads)


def require_reporter(report: Report, *, user: Any, key: UnlockedKey | None) -> None:
    """The reporter: their key opens the report, or it is their signed-in account's (then a page can say "sign in
    again" when the key is not unlocked in this browser); anyone else: not found."""
    if not (holds_reporter_key(report, key) or policy.allows(user, "cases.own_report", report)):
        raise NotAllowed("not the reporter")


rule_set.add_rule("cases.handle_report", handles)
rule_set.add_rule("cases.view_report", handles | reported)
rule_set.add_rule("cases.own_report", reported)


# That a report exists, or anything about one, is for its handlers and the oversight body, not site administrators.
only_for_the_oversight_body(
    Q(action__startswith="cases.") | Q(subject_type__startswith="cases.") | Q(data__contains='"kind":"cases.')
)
# The entries of a case's or a report's deadlines (set, reminded, met, cancelled, missed) name the deadline, and the
# deadline names the case.
only_for_the_oversight_body(
    Q(subject_type="deadlines.deadline", subject_id__in=Deadline.objects.filter(kind__startswith="cases.").values("pk"))
)
# What a case does to the organization's records tells of the case: a restriction from an interim measure or a
# sanction (imposed and lifted), a seat ended by either, a membership changed by a decision.
_told_by_a_case = Q(subject_type="org.restriction", subject_id__in=Restriction.objects.exclude(case_reference=""))
for _reason in (SeatEndReason.REMOVED_BY_SANCTION, SeatEndReason.SUSPENDED_PENDING_INVESTIGATION):
    _told_by_a_case |= Q(action="org.seat_ended", data__contains=f'"reason":"{_reason}"')
for _code in ("sanction", "override", "readmitted"):  # the reason codes of decisions.py and readmission.py
    _told_by_a_case |= Q(action="org.membership_status_changed", data__contains=f'"reason":"{_code}"')
only_for_the_oversight_body(_told_by_a_case)


# --- cases: who runs one -------------------------------------------------------------------------------------------


def excluded_from(case: Case) -> set[int]:
    """The people who may never run or sit on the case: parties, advisers, people a reporter named, the officials a
    process investigation of it examines, and anyone excluded or recused."""
    found: set[int] = set()
    for party in case.parties.all():
        found |= {p for p in (party.person_id, party.accepted_adviser_id) if p is not None}
    found |= set(case.reports.values_list("named_conflicts__person_id", flat=True)) - {None}
    found |= set(case.subjects.values_list("pk", flat=True))
    found |= set(case.process_investigations.values_list("subjects__pk", flat=True)) - {None}
    found |= set(
        case.panel.filter(status__in=[PanelStatus.EXCLUDED, PanelStatus.RECUSED]).values_list("person_id", flat=True)
    )
    return found


def _has_seated_panel(case: Case) -> bool:
    return case.panel.filter(status=PanelStatus.SEATED).exclude(role=PanelRole.APPEALS).exists()


def _seated_place(user: Any, case: Case | None, roles: tuple[str, ...]) -> PanelMember | None:
    person_id = person_id_of(user)
    if case is None or person_id is None:
        return None
    # The person's seated places on the case, asked once per page view whatever the role asked about (a page asks
    # whether they hear an appeal, run the case, sit on it, investigate, decide).
    places = remembered(
        ("cases.seated_places", case.pk, person_id),
        lambda: list(case.panel.filter(person_id=person_id, status=PanelStatus.SEATED).order_by("pk")),
    )
    return next((place for place in places if place.role in roles), None)


@rules.predicate
def sits_on_case(user: Any, case: Case | None) -> bool:
    """Seated on the case's panel (investigator or decision-maker)."""
    return _seated_place(user, case, (PanelRole.INVESTIGATOR, PanelRole.DECISION_MAKER)) is not None


@rules.predicate
def investigates(user: Any, case: Case | None) -> bool:
    return _seated_place(user, case, (PanelRole.INVESTIGATOR,)) is not None


@rules.predicate
def decides(user: Any, case: Case | None) -> bool:
    return _seated_place(user, case, (PanelRole.DECISION_MAKER,)) is not None


@rules.predicate
def hears_appeal(user: Any, case: Case | None) -> bool:
    return _seated_place(user, case, (PanelRole.APPEALS,)) is not None


@rules.predicate
def runs_case(user: Any, case: Case | None) -> bool:
    """Its seated panel; while it has none, the people sitting today on the handling body who are not excluded."""
    person_id = person_id_of(user)
    if case is None or person_id is None:
        return False
    if _has_seated_panel(case):
        return bool(sits_on_case(user, case))
    if person_id in excluded_from(case):
        return False
    return case.body.seats.filter(_sitting_today(), person_id=person_id).exists()


def runs_cases_q(user: Any) -> Q:
    """The same condition as ``runs_case``, for listing cases in one query (no question asked per case): its seated
    panel; while it has none, the people sitting today on the handling body who are not excluded from it.

    The person's own places, bodies and exclusions are lists the database reads once for the whole query (a seat on
    the panel implies a seated panel), so a list of thousands of cases asks about each only whether it has a seated
    panel, and only for the cases of the person's bodies."""
    person_id = person_id_of(user)
    if person_id is None:
        return Q(pk__in=[])
    seated_places = PanelMember.objects.filter(
        person_id=person_id, status=PanelStatus.SEATED, role__in=[PanelRole.INVESTIGATOR, PanelRole.DECISION_MAKER]
    )
    has_seated_panel = Exists(
        PanelMember.objects.filter(case=OuterRef("pk"), status=PanelStatus.SEATED).exclude(role=PanelRole.APPEALS)
    )
    bodies = Seat.objects.filter(_sitting_today(), person_id=person_id)
    # The people of excluded_from, one list each (never a NULL in them: NOT IN a list holding NULL is never true).
    excluded = (
        Q(pk__in=Party.objects.filter(person_id=person_id).values("case_id"))
        | Q(pk__in=Party.objects.filter(adviser_id=person_id, adviser_accepted_at__isnull=False).values("case_id"))
        | Q(pk__in=Case.reports.through.objects.filter(report__named_conflicts__person_id=person_id).values("case_id"))
        | Q(pk__in=Case.subjects.through.objects.filter(person_id=person_id).values("case_id"))
        | Q(pk__in=Case.objects.filter(subjects__pk=person_id, examines__isnull=False).values("examines_id"))
        | Q(
            pk__in=PanelMember.objects.filter(
                person_id=person_id, status__in=[PanelStatus.EXCLUDED, PanelStatus.RECUSED]
            ).values("case_id")
        )
    )
    return Q(pk__in=seated_places.values("case_id")) | Q(
        Q(body_id__in=bodies.values("body_id")) & ~has_seated_panel & ~excluded
    )


def might_run_cases_q(user: Any) -> Q:
    """What ``runs_cases_q`` needs, and no more, for listing cases cheaply: the person is seated on the case's panel,
    or sits today on its handling body. A case outside it is never run by the person; one inside is asked
    ``runs_cases_q`` (a large query to build, asked then of those cases only)."""
    person_id = person_id_of(user)
    if person_id is None:
        return Q(pk__in=[])
    seated = Exists(PanelMember.objects.filter(case=OuterRef("pk"), person_id=person_id, status=PanelStatus.SEATED))
    on_body = Exists(Seat.objects.filter(_sitting_today(), body=OuterRef("body_id"), person_id=person_id))
    return Q(seated) | Q(on_body)


@rules.predicate
def is_candidate(user: Any, case: Case | None) -> bool:
    """Proposed for the case's panel (or seated on it): for the declaration page, which shows nothing of the case.
    Once excluded or recused, nothing."""
    person_id = person_id_of(user)
    if case is None or person_id is None:
        return False
    # The appeals body's people are seated, not proposed: they declare nothing here, and hear the case on its page.
    places = case.panel.filter(person_id=person_id, status__in=[PanelStatus.PROPOSED, PanelStatus.SEATED])
    return places.exclude(role=PanelRole.APPEALS).exists()


def require_seat(user: Any, case: Case, *, hearing: bool = False) -> PanelMember:
    """The visitor's seat on the case's panel (an appeals hearer's too, with ``hearing``), with a second factor;
    anyone else: not found."""
    on_panel = policy.allows(user, "cases.sit_on_case", case)
    if not (on_panel or (hearing and policy.allows(user, "cases.hear_appeal", case))):
        raise NotAllowed("not on this case's panel")
    require_second_factor(user)
    return case.panel.get(person__user_id=user.pk, status=PanelStatus.SEATED)


@rules.predicate
def holds_place(user: Any, member: PanelMember | None) -> bool:
    """The person of this place on a panel themselves (to declare a conflict, or to step down)."""
    return member is not None and person_id_of(user) == member.person_id


@rules.predicate
def owns_key(user: Any, key: UnlockedKey | None) -> bool:
    """The login's own key (not a receipt code's, not someone else's session)."""
    return bool(key is not None and getattr(user, "is_authenticated", False) and key.keypair.user_id == user.pk)


rule_set.add_rule("cases.hold_place", holds_place)
rule_set.add_rule("cases.own_key", owns_key)
rule_set.add_rule("cases.run_case", runs_case)
rule_set.add_rule("cases.manage_case", runs_case)
rule_set.add_rule("cases.sit_on_case", sits_on_case)
rule_set.add_rule("cases.investigate", investigates)
rule_set.add_rule("cases.decide", decides)
rule_set.add_rule("cases.hear_appeal", hears_appeal)
rule_set.add_rule("cases.declare", is_candidate)
rule_set.add_rule("cases.oversee", sits_on_oversight)
rule_set.add_rule("cases.second_factor", needs_no_second_factor)
rule_set.add_rule("cases.record_refused_change", is_official)

# The seated places each rule above asks for, for answering them over a list of cases at once.
_PLACE_ROLES = {
    "cases.sit_on_case": (PanelRole.INVESTIGATOR, PanelRole.DECISION_MAKER),
    "cases.investigate": (PanelRole.INVESTIGATOR,),
    "cases.decide": (PanelRole.DECISION_MAKER,),
    "cases.hear_appeal": (PanelRole.APPEALS,),
}
PANEL_RULES = frozenset({"cases.run_case", *_PLACE_ROLES})


def panel_rules_on(user: Any, cases: Iterable[Case]) -> set[tuple[int, str]]:
    """Which of ``PANEL_RULES`` ``user`` holds on each of ``cases``, as (case pk, permission) pairs: the same
    conditions as their predicates (``runs_cases_q``, then the seated places), in two queries for the whole list."""
    pks = [case.pk for case in cases]
    person_id = person_id_of(user)
    if not pks or person_id is None:
        return set()
    held = {
        (pk, "cases.run_case")
        for pk in Case.objects.filter(runs_cases_q(user), pk__in=pks).values_list("pk", flat=True)
    }
    seated = PanelMember.objects.filter(case_id__in=pks, person_id=person_id, status=PanelStatus.SEATED)
    for case_pk, role in seated.values_list("case_id", "role"):
        held |= {(case_pk, permission) for permission, roles in _PLACE_ROLES.items() if role in roles}
    return held


# --- cases: the parties ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """A visit to a case by someone who may hold a party's key: signed in, or with a receipt code's key unlocked."""

    case: Case
    key: UnlockedKey | None


def own_key(party: Party) -> Keypair | None:
    """The party's own key now: a receipt's, or their account's current one (after a password reset, the new key,
    to which the trustees' restoration gives what the old one read)."""
    if party.keypair is None:
        return vault_keys.person_key(party.person.user) if party.person is not None and party.person.user_id else None
    if party.keypair.holder == KeyHolder.PERSON and party.keypair.user_id is not None:
        return vault_keys.person_key(party.keypair.user)
    return party.keypair


def party_for_key(case: Case, key: UnlockedKey | None) -> Party | None:
    """The party whose own key this is, or whose accepted adviser's (an adviser reads what their party reads once
    they accepted; before, nothing)."""
    if key is None:
        return None
    for party in case.parties.select_related("adviser__user", "person__user", "keypair"):
        adviser = party.accepted_adviser
        adviser_key = vault_keys.person_key(adviser.user) if adviser is not None and adviser.user_id else None
        for own in (own_key(party), adviser_key):
            if own is not None and own.pk == key.keypair.pk:
                return party
    return None


def party_told(case: Case, party: Party) -> bool:
    """Whether a party may learn of the case yet: the reporter's side from the start, the respondent's side from
    the notice (a notice held back is not announced either), or on the informal track from the agreement stage."""
    return party.role != PartyRole.RESPONDENT or respondent_told(case)


def respondent_told(case: Case) -> bool:
    """Whether the respondent's side may learn of the case yet (by any page or email): from the notice, or on the
    informal track from the agreement stage, where their consent is asked for."""
    return case.noticed_at is not None or bool(case.steps.filter(stage=Stage.AGREEMENT).exists())


def told_q() -> Q:
    """The same condition as ``party_told``, for listing cases (one filter() with the party matched)."""
    return Q(noticed_at__isnull=False) | Q(parties__role=PartyRole.REPORTER) | Q(steps__stage=Stage.AGREEMENT)


def party_of_visit(visit: Visit) -> Party | None:
    party = party_for_key(visit.case, visit.key)
    return party if party is not None and party_told(visit.case, party) else None


def is_party_themselves(party: Party, *, user: Any, key: UnlockedKey | None) -> bool:
    """The party in person, never their adviser: signed in as them, or (a reporter without an account) holding
    their receipt code's key. For the choices only a party makes (the informal track, giving up an appeal)."""
    own = own_key(party) if key is not None else None
    if own is not None and key is not None and own.pk == key.keypair.pk:
        return True
    return bool(
        party.person is not None and getattr(user, "is_authenticated", False) and party.person.user_id == user.pk
    )


def require_party_themselves(party: Party, *, user: Any, key: UnlockedKey | None) -> None:
    if not is_party_themselves(party, user=user, key=key):
        raise NotAllowed("only the party themselves")


def require_named_adviser(party: Party, *, user: Any) -> Person:
    """The adviser ``party`` named (accepted or not), signed in themselves, to accept, decline or step down."""
    adviser = party.adviser
    if adviser is None or adviser.user_id is None or adviser.user_id != getattr(user, "pk", None):
        raise NotAllowed("not this party's adviser")
    return adviser


@rules.predicate
def is_party(user: Any, visit: Visit | None) -> bool:
    return visit is not None and party_of_visit(visit) is not None


rule_set.add_rule("cases.act_as_party", is_party)


def require_party(case: Case, key: UnlockedKey | None, *, roles: Iterable[str] = tuple(PartyRole.values)) -> Party:
    """The party (told of the case, in one of ``roles``) this key is; anyone else: not found."""
    party = party_of_visit(Visit(case=case, key=key))
    if party is None or party.role not in set(roles):
        raise NotAllowed("not a party to this case, or not yet told of it")
    return party


# --- cases: a final decision ------------------------------------------------------------------------------------------


def empowered_body() -> Body | None:
    """The body the bylaws empower to override a final decision: the convention unless they name another."""
    return org_queries.role_body("overrides") or org_queries.role_body("convention")


def _records_for(user: Any, body: Body | None) -> bool:
    """A recorder of ``body`` (seated on it, or its operator), never a site administrator by rank."""
    return body is not None and policy.allows(user, "governance.record_binding_vote", body)


@rules.predicate
def records_for_the_empowered_body(user: Any, case: Case | None) -> bool:
    return _records_for(user, empowered_body())


def readmitting_body() -> Body | None:
    """The body the bylaws name to re-admit a member a final decision expelled: the convention unless they name
    another."""
    return org_queries.role_body("readmissions") or org_queries.role_body("convention")


@rules.predicate
def records_for_the_readmitting_body(user: Any, case: Case | None) -> bool:
    return _records_for(user, readmitting_body())


rule_set.add_rule("cases.override_decision", records_for_the_empowered_body)
rule_set.add_rule("cases.readmit", records_for_the_readmitting_body)


# How someone takes part in a case, for the API: one decision, made before anything of the request is read, so that
# having no part looks exactly like there being no such case. The names are those of the step table.
OFFICIAL = "official"  # sits on a body today: asking to set a decision aside is refused, and recorded


def login_party_q(user: Any, *, prefix: str = "") -> Q:
    """The parties a signed-in login is: as the party's person, as the account the party's key belongs to (a
    reporter not on the member list), or as the party's adviser once they accepted (before, nobody's adviser).
    On the party's own columns, without joining the person, key and adviser: an OR across those joins makes
    PostgreSQL walk every party of every case."""
    found = Q(**{f"{prefix}keypair_id__in": Keypair.objects.filter(user_id=user.pk).values("pk")})
    person_id = person_id_of(user)
    if person_id is not None:
        found |= Q(**{f"{prefix}person_id": person_id})
        found |= Q(**{f"{prefix}adviser_id": person_id, f"{prefix}adviser_accepted_at__isnull": False})
    return found


def told_party_somewhere(*, user_id: int, person_id: int | None) -> Q:
    """Whether a signed-in login (``user_id``, whose person is ``person_id``) is a party somewhere (``party_of_login``)
    that has been told of its case (``told_q``), as a condition on another query: the menu's "My cases". One EXISTS
    for each way of being a party, each found through its own index; a single one over the three joins OR-ed
    together reads every party there is."""
    told = (
        Q(case__noticed_at__isnull=False)
        | Q(role=PartyRole.REPORTER)
        | Exists(CaseStep.objects.filter(case_id=OuterRef("case_id"), stage=Stage.AGREEMENT))
    )
    parties = Party.objects.filter(told)
    by_key = Exists(parties.filter(keypair__user_id=user_id))
    if person_id is None:
        return Q(by_key)
    advising = Exists(parties.filter(adviser_id=person_id, adviser_accepted_at__isnull=False))
    return Q(Exists(parties.filter(person_id=person_id))) | Q(by_key) | Q(advising)


def party_of_login(case: Case, user: Any) -> Party | None:
    """The party this signed-in login is, or is the accepted adviser of (a caller with a token holds no key)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return case.parties.filter(login_party_q(user)).order_by("pk").first()


def capacity_in(case: Case, user: Any, step: str = "") -> str | None:
    """The capacity in which ``user`` may see ``case`` (no ``step``) or ask to take ``step`` in it; None for none,
    which the API answers exactly as for a case that does not exist.

    The people running it, the appeals body's people hearing its appeal, and a party or their accepted adviser once
    the case is shown to them. An override is for a recorder of the body the bylaws empower; asking to set a
    decision aside, for officials (refused, and recorded). Whether the step is theirs and open now is the action's
    to say."""
    if not getattr(user, "is_authenticated", False):
        return None
    if step == "override":
        return EMPOWERED if policy.allows(user, "cases.override_decision", case) else None
    if step == "set_aside":
        return OFFICIAL if policy.allows(user, "cases.record_refused_change") else None
    if policy.allows(user, "cases.hear_appeal", case):
        return APPEALS
    if policy.allows(user, "cases.run_case", case):
        return PANEL
    party = party_of_login(case, user)
    return PARTY if party is not None and party_told(case, party) else None
