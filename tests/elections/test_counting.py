"""The count is the libraries', checked against published elections and, for plurality and approval, against a
second, independent tally on random ballots."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rankfile.elections.counting import count

CANDIDATES = [1, 2, 3, 4, 5]


@st.composite
def marked_ballots(draw):
    seats = draw(st.integers(min_value=1, max_value=4))
    ballots = draw(st.lists(st.sets(st.sampled_from(CANDIDATES), max_size=seats), max_size=60))
    return seats, ballots


def independent_tally(ballots):
    tally = Counter(dict.fromkeys(CANDIDATES, 0))
    for ballot in ballots:
        tally.update(ballot)
    return tally


@pytest.mark.parametrize("method", ["block", "approval"])
@settings(max_examples=150, deadline=None)
@given(case=marked_ballots(), lot=st.permutations(CANDIDATES))
def test_the_librarys_plurality_and_approval_counts_match_an_independent_tally(method, case, lot):
    seats, ballots = case
    outcome = count(
        method=method,
        seats=seats,
        candidates=CANDIDATES,
        ballots=[(tuple(sorted(b)), 1) for b in ballots],
        lot_order=list(lot),
    )
    tally = independent_tally(ballots)
    assert {c: int(v) for c, v in outcome.totals.items()} == dict(tally)
    # Everyone is in the order, by votes; among equals, as the lot drew them.
    assert sorted(outcome.order) == CANDIDATES
    assert outcome.order == sorted(CANDIDATES, key=lambda c: (-tally[c], lot.index(c)))
    assert outcome.winners == outcome.order[:seats]
    for tie in outcome.tie_breaks:
        between = tie["between"]
        assert isinstance(between, list)
        assert len({tally[c] for c in between}) == 1


def test_wikipedias_single_transferable_vote_example_elects_chocolate_oranges_and_strawberries():
    """The food election of Wikipedia's article "Single transferable vote": 20 voters, 3 seats, Droop quota 6."""
    oranges, pears, chocolate, strawberries, hamburgers = 1, 2, 3, 4, 5
    ballots = [
        ((oranges,), 4),
        ((pears, oranges), 2),
        ((chocolate, strawberries), 8),
        ((chocolate, hamburgers), 4),
        ((strawberries,), 1),
        ((hamburgers,), 1),
    ]
    outcome = count(method="stv", seats=3, candidates=CANDIDATES, ballots=ballots, lot_order=CANDIDATES)
    assert set(outcome.winners) == {chocolate, oranges, strawberries}
    assert outcome.rounds[0]["votes"] == {1: "4", 2: "2", 3: "12", 4: "1", 5: "1"}
    assert outcome.rounds[0] == {"votes": outcome.rounds[0]["votes"], "selected": [chocolate], "status": "elected"}


def test_wikipedias_tennessee_example_elects_knoxville_by_instant_runoff_and_memphis_by_plurality():
    """The capital of Tennessee, from Wikipedia's article "Instant-runoff voting"."""
    memphis, nashville, chattanooga, knoxville = 1, 2, 3, 4
    ballots = [
        ((memphis, nashville, chattanooga, knoxville), 42),
        ((nashville, chattanooga, knoxville, memphis), 26),
        ((chattanooga, knoxville, nashville, memphis), 15),
        ((knoxville, chattanooga, nashville, memphis), 17),
    ]
    four = [1, 2, 3, 4]
    irv = count(method="instant_runoff", seats=1, candidates=four, ballots=ballots, lot_order=four)
    assert irv.winners == [knoxville]
    assert [r["selected"] for r in irv.rounds] == [[chattanooga], [nashville], [knoxville]]
    first_choices = [((marks[0],), n) for marks, n in ballots]
    assert count(method="block", seats=1, candidates=four, ballots=first_choices, lot_order=four).winners == [memphis]


def test_a_tie_for_the_last_seat_is_broken_by_the_lot_drawn_before_the_count_and_recorded():
    ballots = [((1,), 3), ((2,), 3), ((3,), 1)]
    outcome = count(method="block", seats=1, candidates=[1, 2, 3], ballots=ballots, lot_order=[2, 1, 3])
    assert outcome.winners == [2]
    assert outcome.tie_breaks == [{"between": [1, 2], "chose": [2], "how": "lot", "for_seat": True}]


def test_a_ranked_tie_is_broken_by_earlier_rounds_then_by_the_lot_as_the_bylaws_say():
    """B and C tie for exclusion in the second round; in the first, B had more. The lot favours C."""
    a, b, c, d = 1, 2, 3, 4
    ballots = [((a,), 4), ((b,), 3), ((c,), 2), ((d, c), 1)]
    lot = [c, b, a, d]
    by_history = count(method="instant_runoff", seats=1, candidates=[a, b, c, d], ballots=ballots, lot_order=lot)
    assert [r["selected"] for r in by_history.rounds[:2]] == [[d], [c]]
    assert by_history.tie_breaks == [{"between": [b, c], "chose": [c], "how": "earlier_rounds"}]
    by_lot = count(
        method="instant_runoff", seats=1, candidates=[a, b, c, d], ballots=ballots, lot_order=lot, tie_break="lot"
    )
    assert [r["selected"] for r in by_lot.rounds[:2]] == [[d], [b]]
    assert by_lot.tie_breaks == [{"between": [b, c], "chose": [b], "how": "lot"}]


def test_candidates_never_tied_in_an_earlier_round_are_separated_by_the_lot():
    ballots = [((1, 3), 2), ((2,), 2), ((3,), 1), ((4, 2), 1)]
    outcome = count(method="stv", seats=1, candidates=[1, 2, 3, 4], ballots=ballots, lot_order=[1, 2, 3, 4])
    assert outcome.tie_breaks == [{"between": [3, 4], "chose": [4], "how": "lot"}]
    assert outcome.winners == [2]


def test_a_candidate_nobody_ranked_is_in_the_count_with_no_votes_and_excluded_first():
    ballots = [((1,), 2), ((2, 1), 2)]
    outcome = count(method="stv", seats=1, candidates=[1, 2, 3], ballots=ballots, lot_order=[3, 2, 1])
    assert outcome.rounds[0]["votes"] == {1: "2", 2: "2", 3: "0"}
    assert outcome.rounds[0]["selected"] == [3]
    assert outcome.order[-1] == 3


@settings(max_examples=60, deadline=None)
@given(
    seats=st.integers(min_value=1, max_value=3),
    ballots=st.lists(st.permutations(CANDIDATES).map(lambda p: tuple(p[:3])), max_size=30),
    lot=st.permutations(CANDIDATES),
)
def test_a_ranked_count_always_fills_the_seats_and_places_every_candidate(seats, ballots, lot):
    outcome = count(
        method="stv", seats=seats, candidates=CANDIDATES, ballots=[(b, 1) for b in ballots], lot_order=list(lot)
    )
    assert len(outcome.winners) == seats
    assert sorted(outcome.order) == CANDIDATES
    assert outcome.order[:seats] == outcome.winners
    assert all(r["status"] in ("elected", "excluded") and r["selected"] for r in outcome.rounds)
