"""Every read of elections that pages use. Who may see what is decided in ``elections.policy``."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rankfile import policy
from rankfile.elections import composition
from rankfile.elections.models import Ballot, Election, Elector, Nomination, NominationStatus, Result, Seating
from rankfile.errors import NotAllowed
from rankfile.org import eligibility
from rankfile.org import queries as org_queries


def elections(*, user: Any) -> QuerySet[Election]:
    policy.require(user, "elections.view")
    return Election.objects.select_related("body", "run_by").order_by("-voting_close_at", "-pk")


def election_for(*, user: Any, reference: str) -> Election:
    """The election, or "not found" alike for a missing one and one the user may not see."""
    policy.require(user, "elections.view")
    election = Election.objects.select_related("body", "run_by", "electorate_body").filter(reference=reference).first()
    if election is None:
        raise NotAllowed("no such election")
    return election


def candidates(*, election: Election) -> list[Nomination]:
    return list(election.nominations.filter(status=NominationStatus.STANDING).select_related("nominee"))


def nomination_for(*, user: Any, election: Election, number: int) -> Nomination:
    """A nomination the user may answer (their own), else "not found"."""
    nomination = election.nominations.select_related("nominee").filter(pk=number).first()
    if nomination is None or not policy.allows(user, "elections.answer_nomination", nomination):
        raise NotAllowed("no such nomination")
    return nomination


def my_nominations_to_answer(*, user: Any, election: Election) -> list[Nomination]:
    person = org_queries.person_of(user=user)
    if person is None:
        return []
    return list(election.nominations.filter(nominee=person, status=NominationStatus.AWAITING_ACCEPTANCE))


@dataclass(frozen=True)
class Refusal:
    name: str
    sentence: str  # the eligibility check's reason, as a plain sentence: nothing of any case


def refusals(*, user: Any, election: Election) -> list[Refusal]:
    """For the body that runs the election only: whom the eligibility check refused, and its sentence."""
    if not policy.allows(user, "elections.run", election):
        return []
    found = election.nominations.filter(status=NominationStatus.REFUSED).select_related("nominee", "election")
    return [Refusal(name=n.nominee.name, sentence=refusal_sentence(n)) for n in found]


def refusal_sentence(nomination: Nomination) -> str:
    """The eligibility check's reason for refusing a nomination, as its plain sentence naming the day it was checked
    for (the term's first day): nothing of any case."""
    return eligibility.reason_in_words(nomination.refusal_code, on_date=nomination.election.term_starts_on)


def refusal_for(*, user: Any, nomination: Nomination) -> str:
    """The refusal's sentence for whoever may read it (the body that runs the election, or the nominee); "" for
    anyone else, who learns only that the nominee is told privately."""
    if policy.allows(user, "elections.run", nomination.election) or policy.allows(
        user, "elections.answer_nomination", nomination
    ):
        return refusal_sentence(nomination)
    return ""


def awaiting_acceptance(*, user: Any, election: Election) -> list[str]:
    if not policy.allows(user, "elections.run", election):
        return []
    waiting = election.nominations.filter(status=NominationStatus.AWAITING_ACCEPTANCE).select_related("nominee")
    return [n.nominee.name for n in waiting]


def phase(election: Election) -> str:
    now = timezone.now()
    if hasattr(election, "result"):
        return "counted"
    if now < election.nominations_open_at:
        return "called"
    if now < election.nominations_close_at:
        return "nominations"
    if now < election.voting_open_at:
        return "before_voting"
    if now < election.voting_close_at:
        return "voting"
    return "closed"


def on_the_roll(*, user: Any, election: Election) -> Elector | None:
    person = org_queries.person_of(user=user)
    if person is None:
        return None
    return Elector.objects.filter(election=election, person=person).first()


def roll_size(*, election: Election) -> tuple[int, int]:
    """(how many may vote, how many have)."""
    electors = Elector.objects.filter(election=election)
    return electors.count(), electors.filter(voted=True).count()


def trackers(*, election: Election) -> list[str]:
    """The published list of cast ballots' trackers, in the trackers' own order (which is random)."""
    return list(Ballot.objects.filter(election=election).order_by("tracker").values_list("tracker", flat=True))


@dataclass(frozen=True)
class RoundRow:
    name: str
    votes: list[str]  # one cell per round; "" once the candidate is out of the count
    outcome: str  # "elected", "excluded" or ""


@dataclass(frozen=True)
class RecountView:
    """A ranked count run again without winners the eligibility check refused at seating (the bylaws' "recount")."""

    without: list[str]
    winners: list[str]
    round_count: int
    round_rows: list[RoundRow]
    tie_details: list[tuple[list[str], list[str], str]]
    # History: the goals as they stood before this count (the first count's, or the count run again before it), and
    # the places binding goals gave then. The goals as they stand now are the results page's main list.
    goals_before: list["GoalRow"]
    replaced_before: list[tuple[str, str, str]]  # (who gave their place, who took it, the goal's words)


@dataclass(frozen=True)
class ReplacementView:
    """Refused winners' places given to the next in line, and the body's binding goals applied again."""

    without: list[str]
    winners: list[str]
    goals_before: list["GoalRow"]  # history, as for a recount
    replaced_before: list[tuple[str, str, str]]


@dataclass(frozen=True)
class ResultView:
    result: Result
    winners: list[str]
    totals: list[tuple[str, str]]  # (name, votes), best first
    round_count: int
    round_rows: list[RoundRow]
    tie_details: list[tuple[list[str], list[str], str]]
    seatings: list[Seating]
    recounts: list[RecountView]
    replacements: list[ReplacementView]


def _round_rows(rounds: list[dict[str, Any]], order: list[int], names: dict[int, str]) -> list[RoundRow]:
    outcome: dict[int, str] = {}
    cells: dict[int, list[str]] = {pk: [] for pk in order}
    for election_round in rounds:
        votes = {int(k): v for k, v in election_round["votes"].items()}
        for pk in order:
            cells[pk].append(votes.get(pk, ""))
        for pk in election_round["selected"]:
            outcome[int(pk)] = election_round["status"]
    return [RoundRow(name=names[pk], votes=cells[pk], outcome=outcome.get(pk, "")) for pk in order]


def _tie_details(tie_breaks: list[dict[str, Any]], names: dict[int, str]) -> list[tuple[list[str], list[str], str]]:
    return [
        ([names[int(pk)] for pk in tie["between"]], [names[int(pk)] for pk in tie["chose"]], tie["how"])
        for tie in tie_breaks
    ]


def _goal_words(goal: str) -> str:
    return {c["code"]: c["label"] for c in composition.categories()}.get(goal, goal)


def _goal_reason(goal: str) -> str:
    """A goal in words, for "a binding goal (...) required it"."""
    if goal == composition.NEW_TO_BODY:
        return _("new to the body")
    return _goal_words(goal)


def _places_given(record: dict[str, Any], names: dict[int, str]) -> list[tuple[str, str, str]]:
    return [(names[int(r["out"])], names[int(r["in"])], _goal_reason(r["goal"])) for r in record.get("replaced", [])]


def _later(result: Result) -> list[dict[str, Any]]:
    """What followed the count at seating, in order: each count run again, or each time the next in line took refused
    winners' places. The last of them says who was elected in the end."""
    return list(result.recounts) or list(result.replacements)


def result_for(*, user: Any, election: Election) -> ResultView | None:
    policy.require(user, "elections.view")
    result = Result.objects.filter(election=election).first()
    if result is None:
        return None
    names = {n.pk: n.nominee.name for n in election.nominations.select_related("nominee")}
    order = [int(pk) for pk in result.order]
    totals = sorted(((names[int(pk)], votes) for pk, votes in result.totals.items()), key=lambda row: -Decimal(row[1]))
    # Each later step shows, as history, the goals as they stood before it: the first count's, then each step's own.
    before = [result.composition, *(step["composition"] for step in _later(result))]
    recounts = [
        RecountView(
            without=[names[int(pk)] for pk in recount["without"]],
            winners=[names[int(pk)] for pk in recount["winners"]],
            round_count=len(recount["rounds"]),
            round_rows=_round_rows(recount["rounds"], [int(pk) for pk in recount["order"]], names),
            tie_details=_tie_details(recount["tie_breaks"], names),
            goals_before=_goal_rows(before[i].get("goals", [])),
            replaced_before=_places_given(before[i], names),
        )
        for i, recount in enumerate(result.recounts)
    ]
    replacements = [
        ReplacementView(
            without=[names[int(pk)] for pk in step["without"]],
            winners=[names[int(pk)] for pk in step["winners"]],
            goals_before=_goal_rows(before[i].get("goals", [])),
            replaced_before=_places_given(before[i], names),
        )
        for i, step in enumerate(result.replacements)
    ]
    return ResultView(
        result=result,
        winners=[names[int(pk)] for pk in result.winners],
        totals=totals,
        round_count=len(result.rounds),
        round_rows=_round_rows(result.rounds, order, names),
        tie_details=_tie_details(result.tie_breaks, names),
        seatings=list(election.seatings.select_related("nomination__nominee", "replaces__nominee").order_by("pk")),
        recounts=recounts,
        replacements=replacements,
    )


def slate_composition(*, user: Any, election: Election) -> composition.Tally | None:
    """The standing candidates' composition in aggregate, for the body that runs the election only."""
    if not policy.allows(user, "elections.run", election):
        return None
    people = [n.nominee for n in candidates(election=election)]
    return composition.tally(people=people, body=election.body, day=election.term_starts_on)


@dataclass(frozen=True)
class GoalRow:
    goal: str  # "new_to_body" or a category's label
    minimum_percent: int
    binding: bool
    need: int
    met: bool


@dataclass(frozen=True)
class ResultComposition:
    goals: list[GoalRow]  # as they stand for those elected: after a recount, or the next in line, for those then
    replaced: list[tuple[str, str, str]]  # (who gave their place, who took it, the goal's words)
    tally: composition.Tally | None  # the elected in aggregate, for the body that runs the election only
    since: str  # "" (the first count), "recount" or "next_in_line": what the goals as they stand followed


def _goal_rows(goals: list[dict[str, Any]]) -> list[GoalRow]:
    return [
        GoalRow(
            goal=_goal_words(goal["goal"]),
            minimum_percent=goal["minimum_percent"],
            binding=goal["binding"],
            need=goal["need"],
            met=goal["met"],
        )
        for goal in goals
    ]


def result_composition(*, user: Any, election: Election) -> ResultComposition | None:
    """The body's composition goals checked against the result, for members; its counts, for the running body."""
    policy.require(user, "elections.view")
    result = Result.objects.filter(election=election).first()
    if result is None:
        return None
    later = _later(result)
    now = later[-1] if later else {"composition": result.composition, "winners": result.winners}
    if not now["composition"].get("goals"):
        return None
    people = {n.pk: n.nominee for n in election.nominations.select_related("nominee")}
    tally = None
    if policy.allows(user, "elections.run", election):
        elected = [people[int(pk)] for pk in now["winners"]]
        tally = composition.tally(people=elected, body=election.body, day=election.term_starts_on)
    return ResultComposition(
        goals=_goal_rows(now["composition"]["goals"]),
        replaced=_places_given(now["composition"], {pk: p.name for pk, p in people.items()}),
        tally=tally,
        since="recount" if result.recounts else "next_in_line" if result.replacements else "",
    )


def self_identification_asked() -> bool:
    """Whether the bylaws list categories to self-identify in (without them the page has nothing to ask)."""
    return bool(composition.categories())


def categories_and_answer(*, user: Any) -> tuple[list[dict[str, str]], list[str] | None]:
    """The bylaws' categories and the signed-in member's own answer (None: not answered), for their page only."""
    policy.require(user, "elections.view")
    person = org_queries.person_of(user=user)
    answer = composition.own_answer(person=person) if person is not None else None
    return composition.categories(), answer
