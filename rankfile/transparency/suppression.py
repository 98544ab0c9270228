"""Small numbers: which counts of a table are shown as "fewer than N", so that none can be worked out from the rest.

A table is counts (cells and totals, each under a key) and lines: each line says that some parts add up to a total
(a row and its row total, a column and its column total, the totals and the grand total). Every count from 1 to under
the minimum is hidden (primary suppression); a zero counts nobody and is shown. Then, until nothing changes
(complementary suppression, always with a count above zero):

- a line with exactly one hidden count gives it away (total minus the others): the next smallest count of the line
  is hidden too;
- a line whose total is shown and whose hidden parts add up to fewer than the minimum tells that small sum: the next
  smallest part is hidden too;
- a hidden count that the published counts still determine through several lines at once (linear algebra, as a
  reader with a spreadsheet could) makes the next smallest count of one of its lines hidden.

The result: no hidden count equals any sum or difference of the published ones.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

Key = Hashable


@dataclass(frozen=True)
class Line:
    """``parts`` add up to ``total``."""

    parts: tuple[Key, ...]
    total: Key

    @property
    def members(self) -> tuple[Key, ...]:
        return (*self.parts, self.total)


def hidden_counts(*, counts: Mapping[Key, int], lines: Sequence[Line], minimum: int) -> frozenset[Key]:
    """The keys of ``counts`` to show as "fewer than ``minimum``": every count from 1 to under it, and enough others
    that none of those can be derived from the published counts and the ``lines`` they obey. A zero is shown (it
    counts nobody) and is never hidden to protect another count: hiding it would add nothing to the sums a reader
    works out."""
    order = {key: n for n, key in enumerate(counts)}
    hidden = {key for key, value in counts.items() if 0 < value < minimum}

    def smallest(candidates: Iterable[Key], *, total: Key | None = None) -> Key | None:
        shown = [key for key in candidates if key not in hidden and counts[key] > 0]
        # A part before the line's total: hiding a total hides more than it protects.
        return min(shown, key=lambda key: (key == total, counts[key], order[key]), default=None)

    while True:
        more: Key | None = None
        for line in lines:
            hidden_parts = [key for key in line.parts if key in hidden]
            hidden_here = len(hidden_parts) + (line.total in hidden)
            if hidden_here == 0:
                continue
            small_sum = line.total not in hidden and sum(counts[key] for key in hidden_parts) < minimum
            if hidden_here == 1 or small_sum:
                more = smallest(line.members, total=line.total)
                if more is not None:
                    break
        if more is None:
            for key in derivable(hidden=hidden, lines=lines):
                more = smallest(member for line in lines if key in line.members for member in line.members)
                if more is None:
                    more = smallest(counts)
                break
        if more is None:
            return frozenset(hidden)
        hidden.add(more)


def derivable(*, hidden: Iterable[Key], lines: Sequence[Line]) -> list[Key]:
    """The hidden keys whose values the lines determine from the shown ones: those whose unit vector lies in the span
    of the lines' equations restricted to the hidden keys."""
    unknown = list(dict.fromkeys(hidden))
    column = {key: n for n, key in enumerate(unknown)}
    rows: list[list[Fraction]] = []
    for line in lines:
        row = [Fraction(0)] * len(unknown)
        for key in line.parts:
            if key in column:
                row[column[key]] += 1
        if line.total in column:
            row[column[line.total]] -= 1
        if any(row):
            rows.append(row)
    basis = _echelon(rows)
    found = []
    for key in unknown:
        vector = [Fraction(0)] * len(unknown)
        vector[column[key]] = Fraction(1)
        if not any(_reduce(vector, basis)):
            found.append(key)
    return found


def _echelon(rows: list[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    """Reduced rows, each with its pivot column."""
    basis: list[tuple[int, list[Fraction]]] = []
    for row in rows:
        row = _reduce(row, basis)
        pivot = next((n for n, value in enumerate(row) if value), None)
        if pivot is None:
            continue
        row = [value / row[pivot] for value in row]
        basis = [(p, [a - b[pivot] * c for a, c in zip(b, row, strict=True)]) for p, b in basis]
        basis.append((pivot, row))
    return basis


def _reduce(vector: list[Fraction], basis: list[tuple[int, list[Fraction]]]) -> list[Fraction]:
    vector = list(vector)
    for pivot, row in basis:
        if vector[pivot]:
            factor = vector[pivot]
            vector = [a - factor * b for a, b in zip(vector, row, strict=True)]
    return vector


def grid_lines(*, rows: int, columns: int) -> list[Line]:
    """The lines of a table of ``rows`` x ``columns`` cells with row totals, column totals and a grand total; the
    keys are ("cell", row, column), ("row", row), ("column", column) and ("total",). A table of one row has only its
    total (its column totals would be its cells)."""
    total = ("total",)
    if rows == 1:
        return [Line(parts=tuple(("cell", 0, j) for j in range(columns)), total=total)]
    found = [Line(parts=tuple(("cell", i, j) for j in range(columns)), total=("row", i)) for i in range(rows)]
    found += [Line(parts=tuple(("cell", i, j) for i in range(rows)), total=("column", j)) for j in range(columns)]
    found.append(Line(parts=tuple(("row", i) for i in range(rows)), total=total))
    found.append(Line(parts=tuple(("column", j) for j in range(columns)), total=total))
    return found


def grid_counts(cells: Sequence[Sequence[int]]) -> dict[Key, int]:
    """The counts of a table of ``cells`` (rows of columns) with its totals, keyed as ``grid_lines`` names them."""
    counts: dict[Key, int] = {}
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            counts[("cell", i, j)] = value
    if len(cells) > 1:
        for i, row in enumerate(cells):
            counts[("row", i)] = sum(row)
        for j in range(len(cells[0])):
            counts[("column", j)] = sum(row[j] for row in cells)
    counts[("total",)] = sum(sum(row) for row in cells)
    return counts
