"""Every write to elections: one atomic function per use case, each on the ledger.

The ledger holds ids, codes, counts and hashes only. A vote is on it as "this person voted" (the roll's mark), never
with its ballot; ballots are bound to the ledger all at once, by the hash of every ballot counted."""

import hashlib
import json
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import mail, policy
from rankfile.deadlines import actions as deadlines
from rankfile.elections import composition, counting, timers
from rankfile.elections.models import (
    Ballot,
    BallotKind,
    Election,
    Elector,
    Electorate,
    Method,
    Nomination,
    NominationStatus,
    PaperCount,
    Result,
    Seating,
    SeatingOutcome,
)
from rankfile.elections.policy import electing_body, is_the_system
from rankfile.errors import Conflict, DeadlinePassed, Ineligible, InvalidInput
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema as ls
from rankfile.org import actions as org
from rankfile.org import eligibility
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, Person, SeatBasis
from rankfile.transactions import action

CALLED = ls.define(
    "elections.called",
    label=gettext_lazy("An election was called"),
    fields={
        "body": ls.ID,
        "run_by": ls.ID,
        "seats": ls.COUNT,
        "method": ls.CODE,
        "ballot": ls.CODE,
        "electorate": ls.CODE,
        "from": ls.DATE,
    },
)
NOMINATED = ls.define(
    "elections.nominated",
    label=gettext_lazy("Someone was nominated in an election"),
    fields={"election": ls.ID, "nominee": ls.ID, "self": ls.BOOL},
)
NOMINATION_REFUSED = ls.define(
    "elections.nomination_refused",
    label=gettext_lazy("The eligibility check refused a nomination"),
    fields={"election": ls.ID, "nominee": ls.ID, "reason": ls.CODE},
)
NOMINATION_RECORDED = ls.define(
    "elections.nomination_recorded",
    label=gettext_lazy("A nomination made in person was recorded by the body that runs the election"),
    fields={"election": ls.ID, "nominee": ls.ID, "on": ls.DATE},
)
NOMINATION_ANSWERED = ls.define(
    "elections.nomination_answered",
    label=gettext_lazy("A nominee accepted or declined a nomination"),
    fields={"election": ls.ID, "nominee": ls.ID, "accepted": ls.BOOL},
)
VOTING_OPENED = ls.define(
    "elections.voting_opened",
    label=gettext_lazy("Voting opened in an election, and its roll of voters was fixed"),
    fields={"election": ls.ID, "electors": ls.COUNT},
)
VOTED = ls.define("elections.voted", label=gettext_lazy("Someone voted in an election"), fields={"election": ls.ID})
BALLOT_REPLACED = ls.define(
    "elections.ballot_replaced", label=gettext_lazy("A voter replaced their ballot"), fields={"election": ls.ID}
)
PAPER_COUNT_ENTERED = ls.define(
    "elections.paper_count_entered",
    label=gettext_lazy("The tellers' count of a paper vote was entered"),
    fields={"election": ls.ID, "ballots": ls.COUNT, "sha256": ls.HASH},
)
COUNTED = ls.define(
    "elections.counted",
    label=gettext_lazy("An election was counted and its result published"),
    fields={"election": ls.ID, "ballots": ls.COUNT, "winners": ls.id_list, "ties": ls.COUNT, "sha256": ls.HASH},
    checkpoint_after=True,
)
WINNER_SEATED = ls.define(
    "elections.winner_seated",
    label=gettext_lazy("A winner of an election was seated"),
    fields={"election": ls.ID, "nomination": ls.ID, "seat": ls.ID, "in_place_of": ls.optional(ls.ID)},
)
# Flagged: a result that missed one of the body's composition goals, or in which a binding goal gave a place.
COMPOSITION_FLAGGED = ls.define(
    "elections.composition_flagged",
    label=gettext_lazy("An election's result missed a composition goal, or a binding goal changed who was elected"),
    fields={"election": ls.ID, "missed": ls.COUNT, "replaced": ls.COUNT},
    flagged=True,
)
SELF_IDENTIFIED = ls.define(
    "elections.self_identified",
    label=gettext_lazy("A member self-identified, changed their answer or withdrew it (what they said is sealed)"),
    fields={},
)
BALLOTS_SHUFFLED = ls.define(
    "elections.ballots_shuffled",
    label=gettext_lazy("Voting closed and the ballots were written again in a random order"),
    fields={"election": ls.ID, "ballots": ls.COUNT},
)
# Flagged: winners the eligibility check refused at seating were left out and the ranked count run again without them.
RECOUNTED = ls.define(
    "elections.recounted",
    label=gettext_lazy("An election was counted again without winners the eligibility check refused"),
    fields={"election": ls.ID, "without": ls.id_list, "winners": ls.id_list, "ties": ls.COUNT},
    flagged=True,
)
# Flagged: winners the eligibility check refused at seating were replaced by the next in line and the body's binding
# composition goals applied again to those then elected, which may give a place to someone else.
REPLACED_BY_NEXT_IN_LINE = ls.define(
    "elections.replaced_by_next_in_line",
    label=gettext_lazy(
        "Winners the eligibility check refused were replaced by the next in line, and binding composition goals "
        "applied again"
    ),
    fields={"election": ls.ID, "without": ls.id_list, "winners": ls.id_list, "replaced": ls.COUNT},
    flagged=True,
)
# Flagged: a winner the eligibility check refused on the term's first day; their place went as the bylaws say.
WINNER_REFUSED = ls.define(
    "elections.winner_refused",
    label=gettext_lazy("The eligibility check refused a winner of an election on the term's first day"),
    fields={"election": ls.ID, "nomination": ls.ID, "reason": ls.CODE},
    flagged=True,
)


def _refuse(field: str, message: str, *, code: str) -> InvalidInput:
    return InvalidInput(message, code=code, field_errors={field: [message]})


def election_rules(*, day: date | None = None) -> dict[str, Any]:
    """What the bylaws in force say about elections (the defaults for a version adopted before they did)."""
    from rankfile.org import bylaws

    found = org_queries.bylaws_document(day=day or timezone.localdate()).get("elections", {})
    return {**bylaws.defaults()["elections"], **found}


def _next_reference(year: int) -> str:
    """EL-<year the election was called>-<n>. Elections called before this rule carry their term's year and keep it;
    counting every reference of the year, theirs included, never gives a number twice."""
    taken = Election.objects.filter(reference__startswith=f"EL-{year}-").count()
    return f"EL-{year}-{taken + 1}"


@action
def election_call(
    *,
    title: str,
    body: Body,
    seats: int,
    term_starts_on: date,
    method: str,
    ballot_kind: str,
    electorate: str,
    nominations_open_at: datetime,
    nominations_close_at: datetime,
    voting_open_at: datetime,
    voting_close_at: datetime,
    by: Any,
    term_ends_on: date | None = None,
    electorate_body: Body | None = None,
    electorate_on: date | None = None,
) -> Election:
    """Call an election to ``seats`` seats of ``body``, run by the body the bylaws name for elections."""
    policy.require(by, "elections.call")
    run_by = electing_body()
    if run_by is None:
        raise InvalidInput(
            _("The bylaws name no body to run elections, and no convention: name one first."), code="no_elections_body"
        )
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise _refuse("title", _("Give the election a title of at most 200 characters."), code="title")
    if method not in Method.values:
        raise _refuse("method", _("Choose a method."), code="method")
    if ballot_kind not in BallotKind.values:
        raise _refuse("ballot_kind", _("Choose how the vote is taken."), code="ballot_kind")
    if electorate not in Electorate.values:
        raise _refuse("electorate", _("Choose who may vote."), code="electorate")
    if seats < 1:
        raise _refuse("seats", _("An election fills at least one seat."), code="seats")
    if method == Method.INSTANT_RUNOFF and seats != 1:
        raise _refuse(
            "seats", _("Instant runoff fills one seat; use the single transferable vote for more."), code="seats"
        )
    if electorate == Electorate.BODY and electorate_body is None:
        raise _refuse("electorate_body", _("Name the body whose seat-holders vote."), code="electorate_body")
    if electorate == Electorate.MEMBERS and electorate_on is None:
        raise _refuse(
            "electorate_on", _("Give the date on which voters must be in good standing."), code="electorate_on"
        )
    if term_ends_on is not None and term_ends_on <= term_starts_on:
        raise _refuse("term_ends_on", _("The term must end after it starts."), code="term_ends_on")
    if not nominations_open_at < nominations_close_at <= voting_open_at < voting_close_at:
        raise _refuse(
            "voting_close_at",
            _("The timetable runs in order: nominations open, nominations close, voting opens, voting closes."),
            code="timetable",
        )
    if voting_close_at.date() > term_starts_on:
        raise _refuse("term_starts_on", _("The term starts after voting closes."), code="term_starts_on")
    election = Election.objects.create(
        ledger_seq=ledger.next_seq(),
        reference=_next_reference(timezone.localdate().year),
        title=title,
        body=body,
        run_by=run_by,
        seats=seats,
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
        method=method,
        ballot_kind=ballot_kind,
        electorate=electorate,
        electorate_body=electorate_body if electorate == Electorate.BODY else None,
        electorate_on=electorate_on if electorate == Electorate.MEMBERS else None,
        nominations_open_at=nominations_open_at,
        nominations_close_at=nominations_close_at,
        voting_open_at=voting_open_at,
        voting_close_at=voting_close_at,
        revote_allowed=bool(election_rules()["revote_allowed"]),
    )
    ledger.record(
        seq=election.ledger_seq,
        actor=by,
        action=CALLED,
        subject=election,
        data={
            "body": body.pk,
            "run_by": run_by.pk,
            "seats": seats,
            "method": method,
            "ballot": ballot_kind,
            "electorate": electorate,
            "from": term_starts_on.isoformat(),
        },
    )
    deadlines.deadline_set(
        kind=timers.COUNT.code,
        subject=election,
        due_at=voting_close_at + timers.COUNT_WITHIN,
        body=run_by,
        remind_before=timedelta(days=1),
        by=by,
    )
    deadlines.deadline_set(
        kind=timers.SEAT_WINNERS.code,
        subject=election,
        due_at=timers.end_of(term_starts_on),
        body=run_by,
        remind_before=timedelta(days=1),
        by=by,
    )
    return election


def _person(by: Any) -> Person:
    person = org_queries.person_of(user=by)
    if person is None:
        raise InvalidInput(_("Only a member can do this."), code="not_a_person")
    return person


def _check_on_nomination(nominee: Person, election: Election) -> str:
    """The eligibility check for the term's first day; "" if it lets them stand. A full body is not the nominee's
    to answer for: the count decides who fills it, and seating checks again."""
    verdict = eligibility.check(nominee, election.body, election.term_starts_on)
    if isinstance(verdict, eligibility.Ineligible) and verdict.reason_code != eligibility.BODY_FULL:
        return verdict.reason_code
    return ""


def _tell_the_refused_nominee(nominee: Person, election: Election) -> None:
    """What happened, in plain words, with a link only to a page the nominee can open: their own membership page
    (the election's page is for members in good standing, which a refused nominee may not be)."""
    context = {
        "election": election.title,
        "body": election.body.name,
        "starts": date_format(election.term_starts_on, "j F Y"),
        "membership_page": reverse("org:my_membership"),
    }
    mail.send("elections/email/nomination_refused", context, [nominee.email])


@action
def nomination_make(*, election: Election, nominee: Person, by: Any, statement: str = "") -> Nomination:
    """Nominate ``nominee`` (oneself, or someone who then accepts). The eligibility check runs now; a refused
    nominee is told privately, and the running body sees the reason's sentence only."""
    policy.require(by, "elections.view")
    policy.require(by, "elections.nominate", election)
    nominator = _person(by)
    now = timezone.now()
    if not election.nominations_open_at <= now < election.nominations_close_at:
        raise DeadlinePassed(_("Nominations are not open for this election."), code="nominations_closed")
    statement = (statement or "").strip()
    if len(statement) > 4000:
        raise _refuse("statement", _("Use at most 4,000 characters."), code="statement")
    if Nomination.objects.filter(election=election, nominee=nominee).exclude(status=NominationStatus.DECLINED).exists():
        raise _refuse("nominee", _("%(name)s is nominated already.") % {"name": nominee.name}, code="nominated_already")
    own = nominee.pk == nominator.pk
    refusal = _check_on_nomination(nominee, election)
    if refusal:
        status = NominationStatus.REFUSED
    else:
        status = NominationStatus.STANDING if own else NominationStatus.AWAITING_ACCEPTANCE
    nomination = Nomination.objects.create(
        ledger_seq=ledger.next_seq(),
        election=election,
        nominee=nominee,
        nominated_by=nominator,
        statement=statement if own else "",
        status=status,
        refusal_code=refusal,
    )
    ledger.record(
        seq=nomination.ledger_seq,
        actor=by,
        action=NOMINATED,
        subject=nomination,
        data={"election": election.pk, "nominee": nominee.pk, "self": own},
    )
    context = {"election": election.title, "reference": election.reference}
    if refusal:
        ledger.record(
            actor=ledger.SYSTEM,
            action=NOMINATION_REFUSED,
            subject=nomination,
            data={"election": election.pk, "nominee": nominee.pk, "reason": refusal.lower()},
        )
        _tell_the_refused_nominee(nominee, election)
    elif not own:
        mail.send("elections/email/nomination_to_accept", context, [nominee.email])
    return nomination


@action
def nomination_record(
    *, election: Election, nominee: Person, made_on: date, by: Any, statement: str = ""
) -> Nomination:
    """For a paper or in-person vote, the running body records a nomination made in person (from the floor of a
    convention, the nominee accepting there), on the day it was made, within the nomination dates. The eligibility
    check runs now, as for any nomination; a refused nominee is told privately."""
    policy.require(by, "elections.run", election)
    if election.ballot_kind != BallotKind.PAPER:
        raise InvalidInput(_("Nominations in an online election are made on its page."), code="not_paper")
    if not election.nominations_open_at.date() <= made_on <= election.nominations_close_at.date():
        raise _refuse("made_on", _("Give a day on which nominations were open."), code="made_on")
    if made_on > timezone.localdate():
        raise _refuse("made_on", _("A nomination is recorded once it has been made."), code="made_on")
    if Nomination.objects.filter(election=election, nominee=nominee).exclude(status=NominationStatus.DECLINED).exists():
        raise _refuse("nominee", _("%(name)s is nominated already.") % {"name": nominee.name}, code="nominated_already")
    refusal = _check_on_nomination(nominee, election)
    nomination = Nomination.objects.create(
        ledger_seq=ledger.next_seq(),
        election=election,
        nominee=nominee,
        nominated_by=nominee,
        statement=(statement or "").strip()[:4000],
        status=NominationStatus.REFUSED if refusal else NominationStatus.STANDING,
        refusal_code=refusal,
    )
    ledger.record(
        seq=nomination.ledger_seq,
        actor=by,
        action=NOMINATION_RECORDED,
        subject=nomination,
        data={"election": election.pk, "nominee": nominee.pk, "on": made_on.isoformat()},
    )
    if refusal:
        ledger.record(
            actor=ledger.SYSTEM,
            action=NOMINATION_REFUSED,
            subject=nomination,
            data={"election": election.pk, "nominee": nominee.pk, "reason": refusal.lower()},
        )
        _tell_the_refused_nominee(nominee, election)
    return nomination


@action
def nomination_answer(*, nomination: Nomination, accept: bool, by: Any, statement: str = "") -> Nomination:
    """The nominee accepts (with a statement for the candidates page) or declines, while nominations are open."""
    policy.require(by, "elections.answer_nomination", nomination)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    election = nomination.election
    if nomination.status != NominationStatus.AWAITING_ACCEPTANCE:
        raise Conflict(_("This nomination has been answered already."), code="answered_already")
    if timezone.now() >= election.nominations_close_at:
        raise DeadlinePassed(_("Nominations have closed."), code="nominations_closed")
    statement = (statement or "").strip()
    if len(statement) > 4000:
        raise _refuse("statement", _("Use at most 4,000 characters."), code="statement")
    nomination.status = NominationStatus.STANDING if accept else NominationStatus.DECLINED
    nomination.statement = statement if accept else ""
    nomination.save(update_fields=["status", "statement"])
    ledger.record(
        actor=by,
        action=NOMINATION_ANSWERED,
        subject=nomination,
        data={"election": election.pk, "nominee": nomination.nominee_id, "accepted": accept},
    )
    return nomination


def _electorate(election: Election) -> list[Person]:
    if election.electorate == Electorate.BODY:
        assert election.electorate_body is not None
        day = timezone.localdate()
        seats = org_queries.seats_on(body=election.electorate_body, day=day).select_related("person")
        return sorted({seat.person for seat in seats}, key=lambda p: p.pk)
    assert election.electorate_on is not None
    day = election.electorate_on
    return [
        person
        for person in Person.objects.filter(status_changes__isnull=False).distinct().order_by("pk")
        if org_queries.standing_on(person=person, day=day)[0] == "active"
    ]


@action
def self_identification_set(*, codes: list[str], by: Any) -> None:
    """A member self-identifies in the bylaws' categories, changes their answer, or withdraws it (no codes). The
    answer is sealed; the ledger says only that the member answered."""
    policy.require(by, "elections.view")
    person = _person(by)
    listed = {category["code"] for category in composition.categories()}
    if not set(codes) <= listed:
        raise _refuse("categories", _("Choose among the categories the bylaws list."), code="unknown_category")
    if not codes and not composition.has_answered(person=person):
        return  # nothing to withdraw
    answer = composition.seal_answer(person=person, user=by, codes=codes)
    ledger.record(actor=by, action=SELF_IDENTIFIED, subject=answer, data={})


@action
def voting_open(*, election: Election, by: Any) -> int:
    """Fix the roll of voters (the electorate as it is now) and open voting. Returns how many may vote."""
    policy.require(by, "elections.run", election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.voting_opened_at is not None:
        raise Conflict(_("Voting is open already."), code="voting_open_already")
    if timezone.now() < election.voting_open_at:
        raise InvalidInput(_("Voting opens at the time the election set, not before."), code="too_early")
    electors = _electorate(election)
    Elector.objects.bulk_create([Elector(election=election, person=person) for person in electors])
    # Declined and refused nominations stay on record; nominations never accepted lapse with the close.
    election.voting_opened_at = timezone.now()
    election.save(update_fields=["voting_opened_at"])
    ledger.record(
        actor=by, action=VOTING_OPENED, subject=election, data={"election": election.pk, "electors": len(electors)}
    )
    return len(electors)


def voting_open_due(now: datetime) -> int:
    """The tick's job: open every online election whose voting time has come. Returns how many it opened."""
    opened = 0
    due = Election.objects.filter(
        voting_opened_at__isnull=True, voting_open_at__lte=now, voting_close_at__gt=now, ballot_kind=BallotKind.ONLINE
    )
    for election in due:
        voting_open(election=election, by=ledger.SYSTEM)
        opened += 1
    return opened


def candidates(election: Election) -> list[Nomination]:
    return list(election.nominations.filter(status=NominationStatus.STANDING).select_related("nominee"))


def _valid_marks(election: Election, marks: list[int]) -> list[int]:
    standing = {n.pk for n in candidates(election)}
    if len(set(marks)) != len(marks) or not set(marks) <= standing:
        raise _refuse("choices", _("Mark each candidate at most once."), code="bad_marks")
    if election.method == Method.BLOCK and len(marks) > election.seats:
        raise _refuse(
            "choices",
            _("Mark at most %(seats)d candidates: there are %(seats)d seats.") % {"seats": election.seats},
            code="too_many_marks",
        )
    if election.method == Method.INSTANT_RUNOFF or election.method == Method.STV:
        return list(marks)
    return sorted(marks)


def _voting_now(election: Election) -> None:
    now = timezone.now()
    election.refresh_from_db(fields=["voting_opened_at", "voting_close_at"])
    if election.ballot_kind != BallotKind.ONLINE or election.voting_opened_at is None:
        raise DeadlinePassed(_("Voting is not open in this election."), code="voting_not_open")
    if now >= election.voting_close_at:
        raise DeadlinePassed(_("Voting has closed."), code="voting_closed")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@action
def ballot_cast(*, election: Election, choices: list[int], by: Any) -> str:
    """Cast the voter's one ballot. Returns the receipt: the tracker that the list of cast ballots shows, a dash,
    and a secret that only the voter holds (it replaces the ballot while the bylaws allow). The roll's mark and the
    ballot share no key, no time and no order."""
    policy.require(by, "elections.vote", election)
    _voting_now(election)
    marks = _valid_marks(election, choices)
    person = _person(by)
    marked = Elector.objects.filter(election=election, person=person, voted=False).update(voted=True)
    if not marked:
        raise Conflict(_("You have voted in this election already."), code="voted_already")
    tracker = secrets.token_hex(5).upper()
    secret = secrets.token_urlsafe(15)
    Ballot.objects.create(
        election=election,
        tracker=tracker,
        secret_sha256=_sha256(secret),
        choices=marks,
    )
    ledger.record(actor=by, action=VOTED, subject=election, data={"election": election.pk})
    return f"{tracker}-{secret}"


@action
def ballot_replace(*, election: Election, receipt: str, choices: list[int], by: Any) -> None:
    """Replace the ballot the receipt belongs to, while voting is open and the bylaws allow: the last one counts.
    Only the receipt finds the ballot; the voter is not looked up, and the ledger's entry names nobody."""
    policy.require(by, "elections.vote", election)
    _voting_now(election)
    if not election.revote_allowed:
        raise Conflict(_("The bylaws do not allow voting again in this election."), code="revote_not_allowed")
    tracker, _dash, secret = (receipt or "").strip().partition("-")
    ballot = Ballot.objects.filter(election=election, tracker=tracker.upper()).first()
    if ballot is None or not secrets.compare_digest(ballot.secret_sha256, _sha256(secret)):
        raise _refuse("receipt", _("This is not the receipt of a ballot in this election."), code="bad_receipt")
    ballot.choices = _valid_marks(election, choices)
    ballot.save(update_fields=["choices"])
    ledger.record(actor=ledger.SYSTEM, action=BALLOT_REPLACED, subject=election, data={"election": election.pk})


@action
def ballots_shuffle(*, election: Election, by: Any) -> int:
    """Once voting has closed, write the election's ballots again, all in one transaction, in an order drawn from
    the operating system's random source and under new random ids: the order they were cast in (their place in the
    table, SQLite's row numbers, PostgreSQL's row versions) then says nothing of who voted when. Returns how many."""
    policy.require(by, "elections.run", election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.ballots_shuffled or election.ballot_kind != BallotKind.ONLINE:
        return 0
    if timezone.now() < election.voting_close_at:
        raise InvalidInput(_("Voting has not closed yet."), code="too_early")
    cast = list(Ballot.objects.filter(election=election).values("tracker", "secret_sha256", "choices"))
    secrets.SystemRandom().shuffle(cast)
    Ballot.objects.filter(election=election).delete()
    Ballot.objects.bulk_create([Ballot(election=election, **row) for row in cast])
    election.ballots_shuffled = True
    election.save(update_fields=["ballots_shuffled"])
    ledger.record(
        actor=by, action=BALLOTS_SHUFFLED, subject=election, data={"election": election.pk, "ballots": len(cast)}
    )
    return len(cast)


def ballots_shuffle_due(now: datetime) -> int:
    """The tick's job: shuffle the ballots of every online election whose voting has closed. Returns how many."""
    due = Election.objects.filter(ballot_kind=BallotKind.ONLINE, ballots_shuffled=False, voting_close_at__lte=now)
    for election in due:
        ballots_shuffle(election=election, by=ledger.SYSTEM)
    return len(due)


@action
def paper_count_enter(*, election: Election, tellers: str, lines: list[tuple[list[int], int]], by: Any) -> PaperCount:
    """The tellers' count of a paper or in-person vote: each line, the candidates marked (in order, for ranked
    methods) and how many ballots were marked so."""
    policy.require(by, "elections.run", election)
    if election.ballot_kind != BallotKind.PAPER:
        raise InvalidInput(_("This election is an online ballot."), code="not_paper")
    if timezone.now() < election.voting_open_at:
        raise InvalidInput(_("The vote has not been taken yet."), code="too_early")
    if hasattr(election, "paper_count"):
        raise Conflict(_("The count has been entered already."), code="entered_already")
    tellers = (tellers or "").strip()
    if not tellers or len(tellers) > 400:
        raise _refuse("tellers", _("Name the tellers who counted."), code="tellers")
    checked = []
    for marks, n in lines:
        if n < 0:
            raise _refuse("lines", _("A count is zero or more."), code="negative")
        if n:
            checked.append({"choices": _valid_marks(election, list(marks)), "count": n})
    if not checked:
        raise _refuse("lines", _("Enter the counts."), code="no_counts")
    paper = PaperCount.objects.create(
        ledger_seq=ledger.next_seq(),
        election=election,
        tellers=tellers,
        lines=checked,
        entered_by=None if is_the_system(by) else _person(by),
    )
    ledger.record(
        seq=paper.ledger_seq,
        actor=by,
        action=PAPER_COUNT_ENTERED,
        subject=paper,
        data={
            "election": election.pk,
            "ballots": sum(line["count"] for line in checked),
            "sha256": _sha256(json.dumps([tellers, checked], sort_keys=True)),
        },
    )
    return paper


def _ballot_lines(election: Election) -> tuple[list[tuple[tuple[int, ...], int]], str]:
    """The ballots to count, and the hash that binds them to the ledger."""
    if election.ballot_kind == BallotKind.PAPER:
        paper = PaperCount.objects.filter(election=election).first()
        if paper is None:
            raise InvalidInput(_("Enter the tellers' count first."), code="no_paper_count")
        lines = [(tuple(line["choices"]), int(line["count"])) for line in paper.lines]
        return lines, _sha256(json.dumps(paper.lines, sort_keys=True))
    cast = list(Ballot.objects.filter(election=election).order_by("tracker").values_list("tracker", "choices"))
    return [(tuple(choices), 1) for _t, choices in cast], _sha256(json.dumps(cast))


@action
def election_count(*, election: Election, by: Any) -> Result:
    """Count once voting has closed, by the library for the method; publish the result to members."""
    policy.require(by, "elections.run", election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    if timezone.now() < election.voting_close_at:
        raise InvalidInput(_("Voting has not closed yet."), code="too_early")
    if hasattr(election, "result"):
        raise Conflict(_("This election has been counted already."), code="counted_already")
    standing = [n.pk for n in candidates(election)]
    if len(standing) < 1:
        raise InvalidInput(_("Nobody is standing in this election."), code="no_candidates")
    ballots_shuffle(election=election, by=ledger.SYSTEM)  # if the tick has not done it yet
    lines, ballots_sha256 = _ballot_lines(election)
    lot_order = counting.draw_lot(standing)
    seats = min(election.seats, len(standing))
    outcome = counting.count(
        method=election.method,
        seats=seats,
        candidates=standing,
        ballots=lines,
        lot_order=lot_order,
        tie_break=election_rules()["tie_break"],
    )
    people = {n.pk: n.nominee for n in candidates(election)}
    winners, goals = composition.apply_goals(
        winners=outcome.winners, order=outcome.order, people=people, body=election.body, day=election.term_starts_on
    )
    result = Result.objects.create(
        ledger_seq=ledger.next_seq(),
        election=election,
        library=outcome.library,
        ballots_counted=outcome.ballots_counted,
        totals={str(k): v for k, v in outcome.totals.items()},
        rounds=outcome.rounds,
        winners=winners,
        order=[*winners, *(pk for pk in outcome.order if pk not in winners)],
        composition=goals,
        tie_breaks=outcome.tie_breaks,
        lot_order=lot_order,
        ballots_sha256=ballots_sha256,
    )
    ledger.record(
        seq=result.ledger_seq,
        actor=by,
        action=COUNTED,
        subject=result,
        data={
            "election": election.pk,
            "ballots": outcome.ballots_counted,
            "winners": winners,
            "ties": len(outcome.tie_breaks),
            "sha256": ballots_sha256,
        },
    )
    missed = sum(1 for goal in goals["goals"] if not goal["met"])
    if missed or goals["replaced"]:
        ledger.record(
            actor=ledger.SYSTEM,
            action=COMPOSITION_FLAGGED,
            subject=result,
            data={"election": election.pk, "missed": missed, "replaced": len(goals["replaced"])},
        )
    for deadline in deadlines.open_deadlines_for(election):
        if deadline.kind == timers.COUNT.code:
            deadlines.deadline_met(deadline=deadline, by=by)
    return result


@action
def winners_seat(*, election: Election, by: Any) -> list[Seating]:
    """Seat the winners on the term's first day, each by the one seating action citing the election (which runs the
    eligibility check again). A refused winner is recorded and flagged; the next in line takes the place."""
    policy.require(by, "elections.run", election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    result = Result.objects.filter(election=election).first()
    if result is None:
        raise InvalidInput(_("Count the election first."), code="not_counted")
    if timezone.localdate() < election.term_starts_on:
        raise InvalidInput(_("Winners are seated on the term's first day."), code="too_early")
    if election.seatings.exists():
        raise Conflict(_("The winners have been seated already."), code="seated_already")
    nominations = {n.pk: n for n in election.nominations.select_related("nominee")}
    done, places, line = _winners_checked(election, result, nominations, by=by)
    waiting = [pk for pk in line if pk not in places and pk not in {s.nomination_id for s in done}]
    replaced = [s.nomination_id for s in done]
    entrants = [pk for pk in places if pk not in result.winners]
    taking = dict(zip(entrants, replaced, strict=False))  # who takes a refused winner's place, in order
    queue: list[tuple[int, int | None]] = [(pk, taking.get(pk)) for pk in places]
    while queue:
        pk, in_place_of = queue.pop(0)
        nomination = nominations[pk]
        seating = _seat_one(election, nomination, in_place_of=in_place_of, by=by)
        done.append(seating)
        if seating.outcome == SeatingOutcome.REFUSED and waiting:
            queue.append((waiting.pop(0), nomination.pk))
    for deadline in deadlines.open_deadlines_for(election):
        if deadline.kind == timers.SEAT_WINNERS.code:
            deadlines.deadline_met(deadline=deadline, by=by)
    return done


def _seat_one(election: Election, nomination: Nomination, *, in_place_of: int | None, by: Any) -> Seating:
    replaces = Nomination.objects.get(pk=in_place_of) if in_place_of else None
    try:
        # The seat is made by the one seating action, on the system's account, citing the election.
        seat = org.person_seat(
            person=nomination.nominee,
            body=election.body,
            basis=SeatBasis.ELECTED,
            starts_on=election.term_starts_on,
            term_ends_on=election.term_ends_on,
            cited_vote=(None, election.reference),
            by=ledger.SYSTEM,
        )
    except Ineligible as refusal:
        return _refused(election, nomination, code=refusal.code, replaces=replaces, by=by)
    seating = Seating.objects.create(
        ledger_seq=ledger.next_seq(),
        election=election,
        nomination=nomination,
        outcome=SeatingOutcome.SEATED,
        replaces=replaces,
        seat=seat,
    )
    ledger.record(
        seq=seating.ledger_seq,
        actor=by,
        action=WINNER_SEATED,
        subject=seating,
        data={"election": election.pk, "nomination": nomination.pk, "seat": seat.pk, "in_place_of": in_place_of},
    )
    return seating


def _refused(election: Election, nomination: Nomination, *, code: str, replaces: Nomination | None, by: Any) -> Seating:
    """Record, and flag, that the eligibility check refused a winner on the term's first day."""
    seating = Seating.objects.create(
        ledger_seq=ledger.next_seq(),
        election=election,
        nomination=nomination,
        outcome=SeatingOutcome.REFUSED,
        refusal_code=code,
        replaces=replaces,
    )
    ledger.record(
        seq=seating.ledger_seq,
        actor=by,
        action=WINNER_REFUSED,
        subject=seating,
        data={"election": election.pk, "nomination": nomination.pk, "reason": code.lower()},
    )
    return seating


def _winners_checked(
    election: Election, result: Result, nominations: dict[int, Nomination], *, by: Any
) -> tuple[list[Seating], list[int], list[int]]:
    """Before anyone is seated, the eligibility check for the term's first day on each winner. A refused winner is
    recorded and flagged, and their place goes as the bylaws say: in a ranked count, to the count run again without
    them, their ballots passing on as if they had withdrawn (``recount``, the default), or to the next in line of
    the count (``next_in_line``); in plurality and approval, to the next highest. The body's binding composition
    goals are applied again to whoever is then elected. Returns the refusals, the winners to seat and the order of
    everyone after them."""
    people = {pk: n.nominee for pk, n in nominations.items()}
    recount = election.ranked and election_rules()["refused_winner"] == "recount"
    winners, order = [int(pk) for pk in result.winners], [int(pk) for pk in result.order]
    refusals: list[Seating] = []
    checked: set[int] = set()
    while True:
        newly = []
        for pk in winners:
            if pk not in checked:
                checked.add(pk)
                code = _check_on_nomination(people[pk], election)
                if code:
                    newly.append(_refused(election, nominations[pk], code=code, replaces=None, by=by))
        if not newly:
            return refusals, winners, order
        refusals += newly
        without = [s.nomination_id for s in refusals]
        if recount:
            winners, order = _recount(election, result, without=without, people=people, by=by)
            continue
        order = [pk for pk in order if pk not in without]
        kept = [pk for pk in winners if pk not in without]
        winners = kept + [pk for pk in order if pk not in kept][: len(winners) - len(kept)]
        winners, goals = composition.apply_goals(
            winners=winners, order=order, people=people, body=election.body, day=election.term_starts_on
        )
        _replacement_keep(election, result, without=without, winners=winners, goals=goals, by=by)


def _replacement_keep(
    election: Election, result: Result, *, without: list[int], winners: list[int], goals: dict[str, Any], by: Any
) -> None:
    """Keep on the result, as a recount is kept, that the refused winners' places went to the next in line and what
    the binding goals applied again did (who gave their place to whom, and for which goal); on the ledger, flagged."""
    result.replacements = [
        *result.replacements,
        {"without": list(without), "winners": list(winners), "composition": goals},
    ]
    result.save(update_fields=["replacements"])
    ledger.record(
        actor=by,
        action=REPLACED_BY_NEXT_IN_LINE,
        subject=result,
        data={
            "election": election.pk,
            "without": list(without),
            "winners": list(winners),
            "replaced": len(goals["replaced"]),
        },
    )


def _recount(
    election: Election, result: Result, *, without: list[int], people: dict[int, Person], by: Any
) -> tuple[list[int], list[int]]:
    """Count the same ballots again by the same method, without the refused winners, as if they had withdrawn:
    their marks are struck out and each of their ballots passes to its next preference. Kept on the result with
    its rounds, on the ledger, flagged. Returns the winners (binding goals applied) and the order after them."""
    standing = [n.pk for n in candidates(election) if n.pk not in without]
    if not standing:
        return [], []
    lines, ballots_sha256 = _ballot_lines(election)
    if ballots_sha256 != result.ballots_sha256:
        raise Conflict(_("The ballots are not the ones that were counted."), code="ballots_changed")
    outcome = counting.count(
        method=election.method,
        seats=min(election.seats, len(standing)),
        candidates=standing,
        ballots=[(tuple(pk for pk in marks if pk not in without), n) for marks, n in lines],
        lot_order=[pk for pk in result.lot_order if pk not in without],
        tie_break=election_rules()["tie_break"],
    )
    winners, goals = composition.apply_goals(
        winners=outcome.winners,
        order=outcome.order,
        people=people,
        body=election.body,
        day=election.term_starts_on,
    )
    order = [*winners, *(pk for pk in outcome.order if pk not in winners)]
    result.recounts = [
        *result.recounts,
        {
            "without": list(without),
            "winners": winners,
            "order": order,
            "rounds": outcome.rounds,
            "tie_breaks": outcome.tie_breaks,
            "composition": goals,
        },
    ]
    result.save(update_fields=["recounts"])
    ledger.record(
        actor=by,
        action=RECOUNTED,
        subject=result,
        data={"election": election.pk, "without": list(without), "winners": winners, "ties": len(outcome.tie_breaks)},
    )
    return winners, order
