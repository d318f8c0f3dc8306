"""Disclosure control of one table: primary and secondary suppression, checked against an
attacker who solves the published row and column equations (linear algebra, not the graph
argument the implementation uses)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.statistics.sdc import grid_with_margins, primary_cells, recoverable_cells, suppress


def attacker_recovers(grid: list[list[int]], hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Hidden cells whose value follows from the published figures: e_k in the row space of
    the additivity equations restricted to the hidden cells."""
    rows, cols = len(grid), len(grid[0])
    order = sorted(hidden)
    index = {cell: k for k, cell in enumerate(order)}
    equations = []
    for i in range(rows):  # each row: interior cells minus its total = 0
        equations.append({(i, j): (-1 if j == cols - 1 else 1) for j in range(cols)})
    for j in range(cols):
        equations.append({(i, j): (-1 if i == rows - 1 else 1) for i in range(rows)})
    matrix = np.zeros((len(equations), len(order)))
    for e, equation in enumerate(equations):
        for cell, sign in equation.items():
            if cell in index:
                matrix[e, index[cell]] = sign
    rank = np.linalg.matrix_rank(matrix)
    out = set()
    for cell, k in index.items():
        unit = np.zeros((1, len(order)))
        unit[0, k] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            out.add(cell)
    return out


def test_small_counts_are_primary_and_zeros_and_large_counts_are_not():
    grid = grid_with_margins([[0, 3], [12, 40]])
    assert primary_cells(grid) == {(0, 1), (0, 2)}


def test_a_lone_small_cell_gets_complements_in_its_row_and_column():
    grid = grid_with_margins([[3, 50, 20], [40, 60, 25], [30, 45, 70]])
    hidden = suppress(grid)
    assert (0, 0) in hidden
    assert len([c for c in hidden if c[0] == 0]) >= 2
    assert len([c for c in hidden if c[1] == 0]) >= 2
    assert attacker_recovers(grid, hidden) == set()
    assert all(r < 3 and c < 3 for r, c in hidden), "interior complements exist, totals stay published"


def test_the_cheapest_complement_is_chosen():
    grid = grid_with_margins([[4, 11, 500], [30, 12, 400], [80, 90, 100]])
    hidden = suppress(grid)
    assert hidden == {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_a_small_total_is_protected_too():
    grid = grid_with_margins([[4, 0], [3, 0], [2, 0]])  # every row total small, product total 9
    hidden = suppress(grid)
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            assert not (0 < value < 10) or (r, c) in hidden
    assert attacker_recovers(grid, hidden) == set()


def test_forced_cells_of_a_linked_table_are_hidden_and_protected():
    grid = grid_with_margins([[40, 50], [60, 70]])
    hidden = suppress(grid, forced={(2, 0)})
    assert (2, 0) in hidden
    assert attacker_recovers(grid, hidden) == set()


def test_a_two_by_two_rectangle_is_safe_and_a_lone_pair_is_not():
    assert recoverable_cells({(0, 0), (0, 1), (1, 0), (1, 1)}) == set()
    assert recoverable_cells({(0, 0), (0, 1)}) == {(0, 0), (0, 1)}


counts = st.one_of(st.integers(0, 12), st.integers(0, 300))


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 6).flatmap(lambda r: st.lists(st.lists(counts, min_size=3, max_size=3), min_size=r, max_size=r)))
def test_no_small_figure_is_shown_and_none_hidden_can_be_worked_out(interior):
    grid = grid_with_margins(interior)
    hidden = suppress(grid)
    shown = [value for r, row in enumerate(grid) for c, value in enumerate(row) if (r, c) not in hidden]
    assert not [v for v in shown if 0 < v < 10]
    assert attacker_recovers(grid, hidden) == set()
    # The graph test and the algebra agree on this pattern.
    assert recoverable_cells(hidden) == attacker_recovers(grid, hidden)
