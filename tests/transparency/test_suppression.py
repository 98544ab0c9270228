"""Small numbers: no count under the minimum is published, and no hidden count can be worked out from the published
counts and the totals they add up to. Checked over random tables; the algebra here is the test's own."""

from collections.abc import Hashable, Sequence
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from rankfile.transparency.suppression import Line, grid_counts, grid_lines, hidden_counts

small_or_not = st.one_of(st.integers(0, 6), st.integers(0, 40))
tables = st.integers(1, 5).flatmap(
    lambda columns: st.lists(st.lists(small_or_not, min_size=columns, max_size=columns), min_size=1, max_size=5)
)


def _rank(rows: list[list[Fraction]]) -> int:
    """Rank by plain Gaussian elimination, row by row."""
    rows = [list(row) for row in rows]
    rank, width = 0, len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][col]:
                factor = rows[r][col] / rows[rank][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def _recoverable(hidden: frozenset[Hashable], lines: Sequence[Line]) -> list[Hashable]:
    """Hidden keys a reader could compute: adding "this key alone" to the lines' equations over the hidden keys does
    not raise their rank (the value is a fixed combination of published numbers)."""
    unknown = sorted(hidden, key=repr)
    index = {key: n for n, key in enumerate(unknown)}
    equations = []
    for line in lines:
        row = [Fraction(0)] * len(unknown)
        for key in line.parts:
            if key in index:
                row[index[key]] += 1
        if line.total in index:
            row[index[line.total]] -= 1
        equations.append(row)
    base = _rank(equations)
    found = []
    for key in unknown:
        alone = [Fraction(0)] * len(unknown)
        alone[index[key]] = Fraction(1)
        if _rank([*equations, alone]) == base:
            found.append(key)
    return found


@settings(max_examples=120, deadline=None)
@given(cells=tables, minimum=st.integers(1, 10))
def test_no_suppressed_count_can_be_derived_from_the_published_cells_and_totals(
    cells: list[list[int]], minimum: int
) -> None:
    counts = grid_counts(cells)
    lines = grid_lines(rows=len(cells), columns=len(cells[0]))
    hidden = hidden_counts(counts=counts, lines=lines, minimum=minimum)

    assert {key for key, value in counts.items() if 0 < value < minimum} <= hidden
    assert not [key for key in hidden if counts[key] == 0], "a zero counts nobody: it is shown"
    for line in lines:
        hidden_here = [key for key in line.members if key in hidden]
        assert len(hidden_here) != 1, f"{hidden_here[0]} is its line's total minus the others"
        if hidden_here and line.total not in hidden:
            assert sum(counts[key] for key in line.parts if key in hidden) >= minimum
    assert _recoverable(hidden, lines) == []


def test_a_dumbbell_of_hidden_cells_is_broken_where_the_lines_alone_would_give_the_bridge_away() -> None:
    # Two 2x2 blocks of small cells joined by one small cell: each line has two hidden cells, yet the joining cell is
    # the difference of the first block's row and column totals. It must not stay derivable.
    big = 50
    cells = [
        [1, 1, big, big, big],
        [1, 1, 1, big, big],
        [big, big, 1, 1, big],
        [big, big, 1, 1, big],
        [big, big, big, big, big],
    ]
    lines = grid_lines(rows=5, columns=5)
    hidden = hidden_counts(counts=grid_counts(cells), lines=lines, minimum=5)
    assert _recoverable(hidden, lines) == []


def test_counts_at_or_over_the_minimum_in_a_table_with_nothing_small_are_all_published() -> None:
    cells = [[5, 9], [12, 7]]
    assert hidden_counts(counts=grid_counts(cells), lines=grid_lines(rows=2, columns=2), minimum=5) == frozenset()


def test_one_small_cell_of_a_row_hides_the_next_smallest_of_its_row_and_column() -> None:
    cells = [[2, 9, 30], [8, 20, 40]]
    hidden = hidden_counts(counts=grid_counts(cells), lines=grid_lines(rows=2, columns=3), minimum=5)
    assert ("cell", 0, 0) in hidden
    assert ("cell", 0, 1) in hidden  # the next smallest of its row
    assert ("cell", 1, 0) in hidden  # the next smallest of its column
    assert ("cell", 1, 1) in hidden  # and so on, until no line has a single hidden count
    assert ("total",) not in hidden
