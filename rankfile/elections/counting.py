"""The count, by a maintained library and never by hand (docs/elections.md says which and why): votelib (MIT) for
plurality (block), approval, instant runoff and the single transferable vote (Droop quota, Gregory transfers).

This module only turns ballots into the libraries' input and their answers into a result to store: who won, in
which order the rest stand, each round of a ranked count, and every tie and how it was broken. A tie is broken as
the bylaws say: by earlier rounds, then by lot (``earlier_rounds_then_lot``), or by lot alone (``lot``). The lot is
an order of the candidates drawn before the count and kept with the result, used only if a tie needs it."""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from importlib import metadata

import votelib.convert
import votelib.evaluate.core
import votelib.evaluate.sequential

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


class _Retainer:
    """The candidates a count keeps when it must exclude one: votelib's own plurality (``Plurality``) picks the
    best, and where the lowest are tied the bylaws decide (votelib leaves ties in exclusion to the caller): the
    candidate with more votes in the latest earlier round where they differed stays, then the lot's order. Every
    tie broken is noted for the result."""

    accepts_seats = True

    def __init__(self, *, history: list[dict[int, Fraction]], lot_order: Sequence[int], tie_break: str) -> None:
        self.history = history  # the tables of the rounds counted so far, the current one last
        self.lot_order = list(lot_order)
        self.tie_break = tie_break
        self.tie_breaks: list[dict[str, object]] = []

    def _standing(self, candidate: int) -> tuple[object, ...]:
        earlier = () if self.tie_break == "lot" else tuple(-table.get(candidate, 0) for table in self.history[-2::-1])
        return (*earlier, self.lot_order.index(candidate))

    def evaluate(self, votes: dict[int, Fraction], n_seats: int) -> list[int]:
        kept = votelib.evaluate.core.Plurality().evaluate(votes, n_seats)
        ties = [place for place in kept if isinstance(place, votelib.evaluate.core.Tie)]
        if not ties:
            return list(kept)
        tied = sorted(ties[0], key=self._standing)
        staying, out = tied[: len(ties)], tied[len(ties) :]
        by_lot = self._standing(staying[-1])[:-1] == self._standing(out[0])[:-1]
        self.tie_breaks.append(
            {"between": sorted(tied), "chose": sorted(out), "how": "lot" if by_lot else "earlier_rounds"}
        )
        return [place for place in kept if not isinstance(place, votelib.evaluate.core.Tie)] + staying


def _ranked(
    *,
    method: str,
    seats: int,
    candidates: Sequence[int],
    lines: list[tuple[Marks, int]],
    lot_order: Sequence[int],
    tie_break: str,
) -> Outcome:
    """votelib's transferable vote (Droop quota, Gregory transfers of exact fractions; with one seat, instant
    runoff), run one count at a time through its own ``next_count`` so that every round's table is kept."""
    history: list[dict[int, Fraction]] = []
    retainer = _Retainer(history=history, lot_order=lot_order, tie_break=tie_break)
    distributor = votelib.evaluate.sequential.TransferableVoteDistributor(retainer=retainer)
    votes: dict[Marks, int] = {}
    for marks, n in lines:
        if marks:  # a blank ranked ballot has no first preference: it is counted but has no vote to transfer
            votes[marks] = votes.get(marks, 0) + n
    allocation = votelib.evaluate.sequential.initial_allocation(votes, distributor.transferer)
    for candidate in candidates:
        allocation.setdefault(candidate, {})  # nobody's first choice is still in the count, with no votes
    total = sum(votes.values())
    one_each = dict.fromkeys(candidates, 1)
    elected: dict[int, int] = {}
    rounds: list[dict[str, object]] = []
    excluded: list[int] = []
    winners: list[int] = []
    while len(elected) < seats:
        table = {c: v for c, v in votelib.evaluate.sequential.allocation_totals(allocation).items() if c is not None}
        history.append(table)
        following, newly = distributor.next_count(allocation, seats, total, prev_gains=elected, max_seats=one_each)
        if newly:
            chosen = sorted(newly, key=lambda c: (-table[c], lot_order.index(c)))
            status = "elected"
            winners.extend(chosen)
            elected.update(dict.fromkeys(chosen, 1))
        else:
            chosen = [c for c in table if c not in following]
            status = "excluded"
            excluded.extend(chosen)
        rounds.append({"votes": {c: _number(v) for c, v in table.items()}, "selected": chosen, "status": status})
        allocation = following
    last = history[-1] if history else {}
    standing = [c for c in candidates if c not in winners and c not in excluded]
    standing.sort(key=lambda c: (-last.get(c, 0), lot_order.index(c)))
    first = rounds[0]["votes"] if rounds else {}
    assert isinstance(first, dict)
    return Outcome(
        library=_version("votelib"),
        ballots_counted=sum(n for _, n in lines),
        totals={c: str(first.get(c, "0")) for c in candidates},
        winners=winners,
        order=[*winners, *standing, *reversed(excluded)],
        rounds=rounds,
        tie_breaks=retainer.tie_breaks,
    )


def _number(value: Fraction | int) -> str:
    """Votes as people read them: whole numbers whole, transferred fractions to five places."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    return f"{Decimal(value.numerator) / Decimal(value.denominator):.5f}"
