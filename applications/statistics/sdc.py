"""Statistical disclosure control of a two-way table of counts with its margins.

Plain Python, no ORM: a table is a grid of non-negative counts where the last row holds the
column totals and the last column the row totals (the bottom-right cell is the grand total).

Primary suppression: every cell (margins included) from 1 to THRESHOLD - 1 is hidden, the
threshold rule of the ONS "Disclosure control guidance for tables produced from
administrative sources" and of Eurostat's "Handbook on Statistical Disclosure Control"
(Hundepool et al., 2010, ch. 4: minimum frequency rule). Zeros stay visible.

Secondary (complementary) suppression: with the margins published, a hidden cell alone in
its row could be recovered by subtraction, and so could a hidden cell whose row and column
are linked to the others only through it. Each cell sits in exactly one row equation and one
column equation (the margins too: a row total sits in its row's equation and in the
total-column's), so the hidden cells form a bipartite graph of rows and columns whose
cycles are exactly the ways the hidden values can change together without changing any
published figure. A hidden value is therefore recoverable exactly when its edge is a bridge
(lies on no cycle). We add hidden cells, cheapest first (small interior counts before zeros,
before totals), until no hidden cell is a bridge: no published row or column sum, nor any
combination of them, gives a hidden value back. This is the "no exact disclosure" guarantee
of Tau-Argus's hypercube method, reached greedily; it does not guarantee a minimum width of
the interval an attacker can infer (Tau-Argus's optimal/modular methods do, at far higher
cost). docs/statistics.md states the limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

THRESHOLD = 10

Cell = tuple[int, int]


def primary_cells(grid: Sequence[Sequence[int]], threshold: int = THRESHOLD) -> set[Cell]:
    """Cells holding 1 .. threshold-1."""
    return {(r, c) for r, row in enumerate(grid) for c, value in enumerate(row) if 0 < value < threshold}


def _components(nodes: Iterable[tuple[str, int]], edges: Iterable[Cell]) -> dict[tuple[str, int], int]:
    """Connected component of each row/column node in the graph of the given cells."""
    adjacency: dict[tuple[str, int], list[tuple[str, int]]] = {node: [] for node in nodes}
    for r, c in edges:
        adjacency.setdefault(("r", r), []).append(("c", c))
        adjacency.setdefault(("c", c), []).append(("r", r))
    label: dict[tuple[str, int], int] = {}
    for start in adjacency:
        if start in label:
            continue
        label[start] = len(label)
        stack = [start]
        mark = label[start]
        while stack:
            node = stack.pop()
            for other in adjacency[node]:
                if other not in label:
                    label[other] = mark
                    stack.append(other)
    return label


def recoverable_cells(hidden: set[Cell]) -> set[Cell]:
    """Hidden cells an attacker can compute exactly from the published figures (the bridges)."""
    out = set()
    for cell in hidden:
        rest = hidden - {cell}
        label = _components([("r", cell[0]), ("c", cell[1])], rest)
        if label[("r", cell[0])] != label[("c", cell[1])]:
            out.add(cell)
    return out


def suppress(grid: Sequence[Sequence[int]], *, forced: Iterable[Cell] = (), threshold: int = THRESHOLD) -> set[Cell]:
    """The cells to hide in ``grid`` (margins in the last row and column): primary, the
    ``forced`` ones (shared with a linked table), and complements until none is recoverable."""
    rows, cols = len(grid), len(grid[0]) if grid else 0
    total_row, total_col = rows - 1, cols - 1

    def cost(cell: Cell) -> tuple[int, int, int, int, int]:
        # Interior before totals (totals are the most used figures), counts before zeros
        # (a hidden zero protects little), then the smallest count (least information lost).
        r, c = cell
        value = grid[r][c]
        return (int(r == total_row) + int(c == total_col), int(value == 0), value, r, c)

    hidden = primary_cells(grid, threshold) | set(forced)
    while True:
        bridges = sorted(recoverable_cells(hidden))
        if not bridges:
            return hidden
        r, c = bridges[0]
        rest = hidden - {(r, c)}
        label = _components([("r", i) for i in range(rows)] + [("c", j) for j in range(cols)], rest)
        side_row, side_col = label[("r", r)], label[("c", c)]
        # One new cell joining the row's side to the column's side closes a cycle through (r, c).
        closing = [
            (i, j)
            for i in range(rows)
            for j in range(cols)
            if (i, j) not in hidden
            and {label[("r", i)], label[("c", j)]} == {side_row, side_col}
            and label[("r", i)] != label[("c", j)]
        ]
        if closing:
            hidden.add(min(closing, key=cost))
            continue
        # No single cell closes it (the hidden cell is alone): widen both ends, then close.
        row_options = [(r, j) for j in range(cols) if (r, j) not in hidden]
        col_options = [(i, c) for i in range(rows) if (i, c) not in hidden]
        added = False
        for options in (row_options, col_options):
            if options:
                hidden.add(min(options, key=cost))
                added = True
        if not added:  # pragma: no cover - a 1x1 table: nothing else to hide
            return hidden


def grid_with_margins(interior: Sequence[Sequence[int]]) -> list[list[int]]:
    """The interior counts with a total column and a total row appended."""
    rows = [list(row) + [sum(row)] for row in interior]
    width = len(rows[0]) if rows else 1
    totals = [sum(row[j] for row in rows) for j in range(width)] if rows else [0]
    return [*rows, totals]
