"""Generate a straight-line Python scorer for the common case: every fact present and well typed.

The generic ``Evaluator`` walks lists of compiled factors; for whole-pool rescoring that loop
overhead dominates. Here the criteria are turned into one Python function with every band
table, choice dict, cap and knock-out inlined. It returns ``(total, status)``, or ``None`` as
soon as a fact is missing, of an unexpected type or out of range: the caller then falls back
to the generic path, which explains missing and invalid facts. So the generated code never has
to be right about the unhappy cases, only fast and exactly equal on the happy one
(tests/eligibility/test_codegen.py compares both on random and hostile inputs).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from eligibility.engine.definition import (
    BandsFactor,
    BooleanFactor,
    ChoicesFactor,
    Condition,
    CriteriaDefinition,
    Group,
    LookupFactor,
    MatrixFactor,
)


class CompiledCriteria(Protocol):
    """What the generator reads of a compiled ``Evaluator``. Structural, so that this module
    need not import the evaluator that calls it (no import cycle, tests/test_architecture.py)."""

    definition: CriteriaDefinition
    _readers: list[Any]
    _factors: list[Any]
    _groups: list[Group]
    _group_order: list[tuple[int, int, Any]]


_ABSENT = object()


def _key(v: Any) -> tuple[bool, Any]:
    return (v.__class__ is bool, v)


class _Gen:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.consts: dict[str, Any] = {"bisect_right": bisect_right, "ABSENT": _ABSENT}
        self.n = 0

    def const(self, value: Any) -> str:
        name = f"K{self.n}"
        self.n += 1
        self.consts[name] = value
        return name

    def emit(self, line: str, indent: int = 1) -> None:
        self.lines.append("    " * indent + line)


def build_fast_scorer(ev: CompiledCriteria) -> Callable[[Mapping[str, Any]], tuple[Any, str] | None] | None:
    """A generated ``score`` for complete, well-typed facts, or None if the set uses
    something the generator does not handle (the generic path then serves every call)."""
    d = ev.definition
    g = _Gen()
    var: dict[str, str] = {}
    specs = {s.name: s for s in d.facts}
    used: list[str] = []
    for name, *_ in ev._readers:  # noqa: SLF001 - same package
        used.append(name)
    g.emit("get = facts.get")
    for i, name in enumerate(used):
        spec = specs[name]
        v = f"v{i}"
        var[name] = v
        g.emit(f"{v} = get({name!r})")
        if spec.default is not None:
            g.emit(f"if {v} is None: {v} = {g.const(spec.default)}")
        else:
            g.emit(f"if {v} is None: return None")
        lo = -math.inf if spec.minimum is None else spec.minimum
        hi = math.inf if spec.maximum is None else spec.maximum
        bounds = f" and {g.const(lo)} <= {v} <= {g.const(hi)}"
        if spec.type == "integer":
            test = f"{v}.__class__ is int{bounds}"
        elif spec.type == "number":
            test = f"({v}.__class__ is int or ({v}.__class__ is float and {v} - {v} == 0.0)){bounds}"
        elif spec.type == "string":
            test = f"{v}.__class__ is str"
        else:
            test = f"{v}.__class__ is bool"
        if spec.choices is not None:
            test += f" and {v} in {g.const(frozenset(spec.choices))}"
        g.emit(f"if not ({test}): return None")
    for j, derived in enumerate(d.derived):
        v = f"d{j}"
        var[derived.name] = v
        srcs = ", ".join(var[n] for n in derived.of)
        if derived.op == "count_true":
            g.emit(f"{v} = sum(1 for x in ({srcs},) if x is True)")
        else:
            g.emit(f"{v} = {derived.op}(({srcs},))")

    def band_lookup(target: str, value: str, ranges: list[tuple[Any, Any]], results: list[Any], miss: Any) -> None:
        order = sorted(range(len(ranges)), key=lambda i: -math.inf if ranges[i][0] is None else ranges[i][0])
        lows = [(-math.inf if ranges[i][0] is None else ranges[i][0]) for i in order]
        highs = [(math.inf if ranges[i][1] is None else ranges[i][1]) for i in order]
        res = [results[i] for i in order]
        lo_c, hi_c, res_c = g.const(lows), g.const(highs), g.const(res)
        g.emit(f"i = bisect_right({lo_c}, {value}) - 1")
        g.emit(f"{target} = {res_c}[i] if i >= 0 and {value} < {hi_c}[i] else {miss!r}")

    pvars: list[str] = []
    for k, cf in enumerate(ev._factors):  # noqa: SLF001
        f = cf.factor
        p = f"p{k}"
        pvars.append(p)
        if isinstance(f, BandsFactor):
            band_lookup(p, var[f.fact], [(b.min, b.max) for b in f.bands], [b.points for b in f.bands], 0)
        elif isinstance(f, ChoicesFactor):
            table = {_key(c.value): c.points for c in f.choices}
            v = var[f.fact]
            g.emit(f"{p} = {g.const(table)}.get(({v}.__class__ is bool, {v}), 0)")
        elif isinstance(f, BooleanFactor):
            g.emit(f"{p} = {g.const(f.points_true)} if {var[f.fact]} else {g.const(f.points_false)}")
        elif isinstance(f, LookupFactor):
            v = var[f.fact]
            rows = cf.table
            cmap = {_key(c.value): c.points for c in f.choices}
            g.emit(f"t = {g.const(rows)}.get({v} if {v}.__class__ is str else str({v}), ABSENT)")
            not_found, scored = g.const(f.points_not_found), g.const(cmap)
            g.emit(f"{p} = {not_found} if t is ABSENT else {scored}.get((t.__class__ is bool, t), 0)")
        elif isinstance(f, MatrixFactor):
            idx = []
            for axis_name, axis in (("r", f.rows), ("c", f.cols)):
                target = f"{axis_name}{k}"
                idx.append(target)
                v = var[axis.fact]
                if axis.kind == "bands":
                    band_lookup(target, v, [(e.min, e.max) for e in axis.entries], list(range(len(axis.entries))), -1)
                else:
                    table = {_key(val): i for i, e in enumerate(axis.entries) for val in (e.values or ())}
                    g.emit(f"{target} = {g.const(table)}.get(({v}.__class__ is bool, {v}), -1)")
            cells = cf.cells
            r, c = idx
            g.emit(f"{p} = {g.const(cells)}.get({r} * 65536 + {c}, 0) if {r} >= 0 and {c} >= 0 else 0")
        else:  # pragma: no cover - closed set of kinds
            return None

    # Caps: children before parents, exactly as Evaluator._capped_total.
    groups = ev._groups  # noqa: SLF001
    members: dict[int, list[str]] = {i: [] for i in range(len(groups))}
    top: list[str] = []
    for cf, p in zip(ev._factors, pvars, strict=True):  # noqa: SLF001
        (members[cf.group_index] if cf.group_index >= 0 else top).append(p)
    for gi, parent, cap in ev._group_order:  # noqa: SLF001
        expr = " + ".join(members[gi]) or "0"
        gv = f"g{gi}"
        g.emit(f"{gv} = {expr}")
        if cap is not None:
            g.emit(f"if {gv} > {g.const(cap)}: {gv} = {g.const(cap)}")
        (members[parent] if parent >= 0 else top).append(gv)
    g.emit(f"total = {' + '.join(top) or '0'}")
    if d.cap is not None:
        g.emit(f"if total > {g.const(d.cap)}: total = {g.const(d.cap)}")

    def cond(c: Condition) -> str:
        if c.all is not None:
            return "(" + " and ".join(cond(x) for x in c.all) + ")"
        if c.any is not None:
            return "(" + " or ".join(cond(x) for x in c.any) + ")"
        if c.not_ is not None:
            return f"(not {cond(c.not_)})"
        v = var[c.fact or ""]
        key = f"({v}.__class__ is bool, {v})"
        op = c.op
        if op == "eq":
            return f"({key} == {g.const(_key(c.value))})"
        if op == "ne":
            return f"({key} != {g.const(_key(c.value))})"
        if op in ("in", "not_in"):
            members_c = g.const(frozenset(_key(m) for m in c.value))
            return f"({key} {'in' if op == 'in' else 'not in'} {members_c})"
        if op in ("gt", "gte", "lt", "lte"):
            sym = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
            return f"({v} {sym} {g.const(c.value)})"
        if op == "is_true":
            return f"({v} is True)"
        if op == "is_false":
            return f"({v} is False)"
        return "True"  # present: every fact is present on this path

    for ko in d.knockouts:
        g.emit(f"if not {cond(ko.condition)}: return total, 'fail'")
    if d.pass_mark is None:
        g.emit("return total, 'pass'")
    else:
        g.emit(f"return total, ('pass' if total >= {g.const(d.pass_mark)} else 'fail')")

    source = "def _fast(facts):\n" + "\n".join(g.lines) + "\n"
    namespace: dict[str, Any] = dict(g.consts)
    exec(compile(source, f"<criteria {d.code}>", "exec"), namespace)  # noqa: S102 - code built from validated data  # nosec B102
    fast = namespace["_fast"]
    fast.source = source  # for debugging: print(evaluator._fast.source)
    return fast
