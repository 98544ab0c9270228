"""The count, by maintained libraries and never by hand (docs/elections.md says which and why): votelib for
plurality (block) and approval, stvpoll for instant runoff and the single transferable vote (Scottish STV rules).

This module only turns ballots into the libraries' input and their answers into a result to store: who won, in
which order the rest stand, each round of a ranked count, and every tie and how it was broken. A tie is broken as
the bylaws say: by earlier rounds, then by lot (``earlier_rounds_then_lot``), or by lot alone (``lot``). The lot is
an order of the candidates drawn before the count and kept with the result, used only if a tie needs it."""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import metadata

import votelib.convert
import votelib.evaluate.core
from stvpoll.irv import calculate_irv
from stvpoll.result import ElectionResult
from stvpoll.scottish_stv import calculate_scottish_stv
from stvpoll.tiebreak_strategies import TiebreakHistory, TiebreakRandom, TiebreakStrategy
from stvpoll.types import CandidateStatus, SelectionMethod

BLOCK, APPROVAL, INSTANT_RUNOFF, STV = "block", "approval", "instant_runoff", "stv"
TIE_BREAKS = ("earlier_rounds_then_lot", "lot")

Marks = tuple[int, ...]  # the candidates a ballot marks: in order of preference for ranked methods


@dataclass
class Outcome:
    library: str
    ballots_counted: int
    totals: dict[int, str]  # candidate -> votes (the first round, for ranked methods)
    winners: list[int]
    order: list[int]  # every candidate: the winners, then the next in line
    rounds: list[dict[str, object]] = field(default_factory=list)
    tie_breaks: list[dict[str, object]] = field(default_factory=list)


def draw_lot(candidates: Iterable[int]) -> list[int]:
    """An order of the candidates drawn by the operating system's random source: first is luckiest."""
    drawn = list(candidates)
    secrets.SystemRandom().shuffle(drawn)
    return drawn


def count(
    *,
    method: str,
    seats: int,
    candidates: Sequence[int],
    ballots: Iterable[tuple[Marks, int]],
    lot_order: Sequence[int],
    tie_break: str = "earlier_rounds_then_lot",
) -> Outcome:
    """Count ``ballots`` ((marks, how many ballots were marked so)) for ``seats`` among ``candidates``."""
    lines = [(tuple(marks), n) for marks, n in ballots if n > 0]
    if method in (BLOCK, APPROVAL):
        return _marks(seats=seats, candidates=candidates, lines=lines, lot_order=lot_order)
    if method in (INSTANT_RUNOFF, STV):
        return _ranked(
            method=method, seats=seats, candidates=candidates, lines=lines, lot_order=lot_order, tie_break=tie_break
        )
    raise ValueError(f"unknown method {method!r}")


def _version(package: str) -> str:
    return f"{package} {metadata.version(package)}"


def _marks(
    *, seats: int, candidates: Sequence[int], lines: list[tuple[Marks, int]], lot_order: Sequence[int]
) -> Outcome:
    """Each mark is one vote; the most votes win (votelib's Plurality over approval votes)."""
    grouped: dict[frozenset[int], int] = {}
    for marks, n in lines:
        key = frozenset(marks)
        grouped[key] = grouped.get(key, 0) + n
    votes = dict.fromkeys(candidates, 0)
    votes.update(votelib.convert.ApprovalToSimpleVotes().convert(grouped))
    order: list[int] = []
    tie_breaks: list[dict[str, object]] = []
    remaining = dict(votes)
    while remaining:  # one place at a time: the library reports a tie only where it decides the place asked for
        (place,) = votelib.evaluate.core.Plurality().evaluate(remaining, 1)
        if isinstance(place, votelib.evaluate.core.Tie):
            chosen = min(place, key=lot_order.index)
            tie_breaks.append(
                {"between": sorted(place), "chose": [chosen], "how": "lot", "for_seat": len(order) < seats}
            )
            place = chosen
        order.append(place)
        del remaining[place]
    return Outcome(
        library=_version("votelib"),
        ballots_counted=sum(n for _, n in lines),
        totals={c: str(votes[c]) for c in candidates},
        winners=order[:seats],
        order=order,
        tie_breaks=tie_breaks,
    )


_HOW = {SelectionMethod.TiebreakHistory: "earlier_rounds", SelectionMethod.TiebreakRandom: "lot"}


def _ranked(
    *,
    method: str,
    seats: int,
    candidates: Sequence[int],
    lines: list[tuple[Marks, int]],
    lot_order: Sequence[int],
    tie_break: str,
) -> Outcome:
    lot = TiebreakRandom(candidates=tuple(lot_order), shuffle=False)  # the drawn order, never one of its own
    strategies: tuple[TiebreakStrategy, ...] = (TiebreakHistory(), lot) if tie_break != "lot" else (lot,)
    data = [(marks, n) for marks, n in lines]
    result: ElectionResult
    if method == INSTANT_RUNOFF:
        result = calculate_irv(tuple(candidates), data, tiebreak_strategies=strategies)
    else:
        result = calculate_scottish_stv(tuple(candidates), data, seats, tiebreak_strategies=strategies)
    rounds: list[dict[str, object]] = []
    tie_breaks: list[dict[str, object]] = []
    excluded: list[int] = []
    for election_round in result.rounds:
        votes = {int(c): _number(v) for c, v in election_round.votes.items()}
        selected = [int(c) for c in election_round.selected]
        rounds.append(
            {
                "votes": votes,
                "selected": selected,
                "status": "elected" if election_round.status == CandidateStatus.Elected else "excluded",
            }
        )
        how = _HOW.get(election_round.selection_method)
        if how is not None:
            lowest = election_round.status == CandidateStatus.Excluded
            edge = (min if lowest else max)(election_round.votes.values())
            tied = sorted(int(c) for c, v in election_round.votes.items() if v == edge)
            tie_breaks.append({"between": tied, "chose": selected, "how": how})
        if election_round.status == CandidateStatus.Excluded:
            excluded.extend(selected)
    winners = [int(c) for c in result]
    last = rounds[-1]["votes"] if rounds else {}
    assert isinstance(last, dict)
    standing = [c for c in candidates if c not in winners and c not in excluded]
    standing.sort(key=lambda c: (-Decimal(last.get(c, "0")), lot_order.index(c)))
    first = rounds[0]["votes"] if rounds else dict.fromkeys(candidates, "0")
    assert isinstance(first, dict)
    return Outcome(
        library=_version("stvpoll"),
        ballots_counted=sum(n for _, n in lines),
        totals={c: str(first.get(c, "0")) for c in candidates},
        winners=winners,
        order=[*winners, *standing, *reversed(excluded)],
        rounds=rounds,
        tie_breaks=tie_breaks,
    )


def _number(value: Decimal) -> str:
    """Votes as people read them: whole numbers whole, transferred fractions to five places."""
    return str(int(value)) if value == value.to_integral_value() else f"{value:.5f}"
