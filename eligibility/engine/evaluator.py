"""Compile a criteria definition once into an ``Evaluator``; score many fact dicts fast.

Compilation resolves everything that does not depend on the facts: bands become sorted
arrays searched by bisection, choices and lookup tables become dicts, matrix axes become
resolvers, group caps become an ordered list of (group, parent, cap). Scoring is then a
loop over plain Python objects with no definition walking.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from eligibility.engine.codegen import build_fast_scorer
from eligibility.engine.definition import (
    Axis,
    BandsFactor,
    BooleanFactor,
    ChoicesFactor,
    Condition,
    CriteriaDefinition,
    Factor,
    FactSpec,
    LookupFactor,
    MatrixFactor,
    Number,
    Scalar,
)
from eligibility.engine.result import (
    FAIL,
    INVALID,
    KO_FAILED,
    KO_PASSED,
    KO_UNKNOWN,
    MISSING,
    NEEDS_MORE_INFORMATION,
    NOT_CLAIMED,
    PASS,
    SCORED,
    FactorLine,
    GroupLine,
    Hint,
    InvalidFact,
    KnockOutLine,
    Result,
)
from eligibility.engine.validation import CriteriaError, Issue, factor_point_range, validate_definition

_ABSENT = object()
NO_RULE = -1  # the fact was read but no band/choice/cell matched: 0 points
_INF = math.inf

# A candidate for a hint: (raw points, rule text, {fact: what it must become}).
_Alt = tuple[Number, str, dict[str, str]]


# --------------------------------------------------------------------------- fact checks


def _make_checker(spec: FactSpec) -> Callable[[Any], tuple[Any, str | None]]:
    """A function value -> (clean value, None) or (value, reason it is invalid)."""
    ftype, lo, hi = spec.type, spec.minimum, spec.maximum
    choices = spec.choices

    def check(v: Any) -> tuple[Any, str | None]:
        if ftype == "boolean":
            if v is True or v is False:
                return v, None
            return v, "expected true or false"
        if ftype == "string":
            if not isinstance(v, str):
                return v, "expected text"
        else:
            if v is True or v is False or not isinstance(v, (int, float)):
                return v, "expected a number"
            if isinstance(v, float):
                if not math.isfinite(v):
                    return v, "expected a finite number"
                if ftype == "integer":
                    if not v.is_integer():
                        return v, "expected a whole number"
                    v = int(v)
            if lo is not None and v < lo:
                return v, f"below the minimum {lo}"
            if hi is not None and v > hi:
                return v, f"above the maximum {hi}"
        if choices is not None and v not in choices:
            return v, "not one of the allowed values"
        return v, None

    return check


# --------------------------------------------------------------------------- compiled factors


class _Compiled:
    """Base of compiled factors. ``score(values)`` returns (raw points, rule index)."""

    __slots__ = ("factor", "index", "fact_names", "min_points", "max_points", "group_index", "bonus", "_alts")

    def __init__(self, factor: Factor, index: int) -> None:
        self.factor = factor
        self.index = index
        self.fact_names = factor.facts()
        self.min_points, self.max_points = factor_point_range(factor)
        self.group_index = -1
        self.bonus = factor.bonus
        self._alts: dict[int, list[_Alt]] = {}

    def alternatives_for(self, vals: Mapping[str, Any], idx: int) -> list[_Alt]:
        """``alternatives`` memoised per rule: they do not depend on anything else."""
        alts = self._alts.get(idx)
        if alts is None:
            alts = self._alts[idx] = self.alternatives(vals, idx)
        return alts

    def score(self, vals: Mapping[str, Any]) -> tuple[Number, int]:
        raise NotImplementedError

    def rule_text(self, idx: int) -> str:
        raise NotImplementedError

    def alternatives(self, vals: Mapping[str, Any], idx: int) -> list[_Alt]:
        """Other rules, nearest first (fewest steps along the table, then more points)."""
        return []


class _BandResolver:
    """Value -> index of the half-open band holding it, or -1."""

    __slots__ = ("lows", "highs", "order")

    def __init__(self, ranges: list[tuple[Number | None, Number | None]]) -> None:
        lows: list[Number] = [-_INF if lo is None else lo for lo, _hi in ranges]
        highs: list[Number] = [_INF if hi is None else hi for _lo, hi in ranges]
        self.order = sorted(range(len(ranges)), key=lows.__getitem__)  # stable, as before
        self.lows = [lows[i] for i in self.order]
        self.highs = [highs[i] for i in self.order]

    def find(self, v: Number) -> int:
        pos = bisect_right(self.lows, v) - 1
        if pos >= 0 and v < self.highs[pos]:
            return self.order[pos]
        return -1

    def position(self, idx: int) -> int:
        return self.order.index(idx)


class _CBands(_Compiled):
    __slots__ = ("fact", "points", "texts", "resolver", "lows", "highs", "order", "sorted_points")

    def __init__(self, factor: BandsFactor, index: int) -> None:
        super().__init__(factor, index)
        self.fact = factor.fact
        self.points = [b.points for b in factor.bands]
        self.texts = [b.describe() for b in factor.bands]
        self.resolver = _BandResolver([(b.min, b.max) for b in factor.bands])
        self.lows, self.highs, self.order = self.resolver.lows, self.resolver.highs, self.resolver.order
        self.sorted_points = [self.points[i] for i in self.order]

    def score(self, vals: Mapping[str, Any]) -> tuple[Number, int]:
        v = vals[self.fact]
        pos = bisect_right(self.lows, v) - 1
        if pos >= 0 and v < self.highs[pos]:
            return self.sorted_points[pos], self.order[pos]
        return 0, NO_RULE

    def rule_text(self, idx: int) -> str:
        return self.texts[idx] if idx >= 0 else "outside every band"

    def alternatives(self, vals: Mapping[str, Any], idx: int) -> list[_Alt]:
        if idx < 0:
            return []
        here = self.resolver.position(idx)
        out = []
        for pos, i in enumerate(self.resolver.order):
            if i != idx:
                out.append(
                    (abs(pos - here), -self.points[i], (self.points[i], self.texts[i], {self.fact: self.texts[i]}))
                )
        return [alt for *_, alt in sorted(out, key=lambda t: (t[0], t[1]))]


class _CChoices(_Compiled):
    __slots__ = ("fact", "lookup", "points", "texts", "values")

    def __init__(self, factor: ChoicesFactor, index: int) -> None:
        super().__init__(factor, index)
        self.fact = factor.fact
        self.values = [c.value for c in factor.choices]
        self.points = [c.points for c in factor.choices]
        self.texts = [c.describe() for c in factor.choices]
        self.lookup = {_key(c.value): i for i, c in enumerate(factor.choices)}

    def score(self, vals: Mapping[str, Any]) -> tuple[Number, int]:
        v = vals[self.fact]
        i = self.lookup.get((v.__class__ is bool, v), -1)
        return (self.points[i], i) if i >= 0 else (0, NO_RULE)

    def rule_text(self, idx: int) -> str:
        return self.texts[idx] if idx >= 0 else "no matching choice"

    def alternatives(self, vals: Mapping[str, Any], idx: int) -> list[_Alt]:
        here = idx if idx >= 0 else -1
        out = []
        for i in range(len(self.values)):
            if i != idx:
                dist = abs(i - here) if here >= 0 else 0
                out.append((dist, -self.points[i], (self.points[i], self.texts[i], {self.fact: self.texts[i]})))
        return [alt for *_, alt in sorted(out, key=lambda t: (t[0], t[1]))]


class _CBoolean(_Compiled):
    __slots__ = ("fact", "points_true", "points_false")

    def __init__(self, factor: BooleanFactor, index: int) -> None:
        super().__init__(factor, index)
        self.fact = factor.fact
        self.points_true = factor.points_true
        self.points_false = factor.points_false

    def score(self, vals: Mapping[str, Any]) -> tuple[Number, int]:
        return (self.points_true, 1) if vals[self.fact] else (self.points_false, 0)

    def rule_text(self, idx: int) -> str:
        return "yes" if idx == 1 else "no"

    def alternatives(self, vals: Mapping[str, Any], idx: int) -> list[_Alt]:
        other = 0 if idx == 1 else 1
        pts = self.points_true if other == 1 else self.points_false
        return [(pts, self.rule_text(other), {self.fact: self.rule_text(other)})]


class _CLookup(_Compiled):
    __slots__ = ("fact", "table", "cmap", "points", "texts", "points_not_found", "table_name")

    def __init__(self, factor: LookupFactor, index: int, rows: Mapping[str, Scalar]) -> None:
        super().__init__(factor, index)
        self.fact = factor.fact
        self.table_name = factor.table
        self.table = {str(k): v for k, v in rows.items()}
        self.points = [c.points for c in factor.choices]
        self.texts = [c.describe() for c in factor.choices]
        self.cmap = {_key(c.value): i for i, c in enumerate(factor.choices)}
        self.points_not_found = factor.points_not_found

    def score(self, vals: Mapping[str, Any]) -> tuple[Number, int]:
        v = vals[self.fact]
        tv = self.table.get(v if isinstance(v, str) else str(v), _ABSENT)
        if tv is _ABSENT:
            return self.points_not_found, NO_RULE
        i = self.cmap.get((tv.__class__ is bool, tv), -1)
        return (self.points[i], i) if i >= 0 else (0, -2)

    def rule_text(self, idx: int) -> str:
        if idx == NO_RULE:
            return f"not in {self.table_name}"
        if idx < 0:
            return f"in {self.table_name} but not scored"
        return self.texts[idx]

    def alternatives(self, vals: Mapping[str, Any], idx: int) -> list[_Alt]:
        out = []
        for i, pts in enumerate(self.points):
            if i != idx:
                out.append(
                    (-pts, (pts, self.texts[i], {self.fact: f"a value rated {self.texts[i]} in {self.table_name}"}))
                )
        return [alt for _, alt in sorted(out, key=lambda t: -t[0])]  # smallest step up first


class _AxisResolver:
    """Fact value -> entry index of a matrix axis, or -1."""

    __slots__ = ("fact", "kind", "bands", "values", "texts", "count")

    def __init__(self, axis: Axis) -> None:
        self.fact = axis.fact
        self.kind = axis.kind
        self.texts = [e.describe() for e in axis.entries]
        self.count = len(axis.entries)
        self.bands = _BandResolver([(e.min, e.max) for e in axis.entries]) if axis.kind == "bands" else None
        self.values = (
            {_key(v): i for i, e in enumerate(axis.entries) for v in (e.values or ())}
            if axis.kind == "choices"
            else None
        )

    def find(self, v: Any) -> int:
        if self.bands is not None:
            return self.bands.find(v)
        assert self.values is not None  # nosec B101
        return self.values.get((v.__class__ is bool, v), -1)

    def position(self, idx: int) -> int:
        return self.bands.position(idx) if self.bands is not None else idx


class _CMatrix(_Compiled):
    __slots__ = ("rows", "cols", "cells", "row_keys", "col_keys")

    def __init__(self, factor: MatrixFactor, index: int) -> None:
        super().__init__(factor, index)
        self.rows = _AxisResolver(factor.rows)
        self.cols = _AxisResolver(factor.cols)
        rpos = {e.key: i for i, e in enumerate(factor.rows.entries)}
        cpos = {e.key: i for i, e in enumerate(factor.cols.entries)}
        self.cells = {rpos[c.row] * 65536 + cpos[c.col]: c.points for c in factor.cells}

    def score(self, vals: Mapping[str, Any]) -> tuple[Number, int]:
        r = self.rows.find(vals[self.rows.fact])
        c = self.cols.find(vals[self.cols.fact])
        if r < 0 or c < 0:
            return 0, NO_RULE
        key = r * 65536 + c
        return self.cells.get(key, 0), key

    def rule_text(self, idx: int) -> str:
        if idx < 0:
            return "outside the table"
        return f"{self.rows.texts[idx // 65536]} × {self.cols.texts[idx % 65536]}"

    def alternatives(self, vals: Mapping[str, Any], idx: int) -> list[_Alt]:
        if idx < 0:
            return []
        r, c = divmod(idx, 65536)
        out = []
        rp, cp = self.rows.position(r), self.cols.position(c)
        for r2 in range(self.rows.count):
            if r2 != r:
                pts = self.cells.get(r2 * 65536 + c, 0)
                dist = abs(self.rows.position(r2) - rp)
                out.append((dist, -pts, (pts, self.rule_text(r2 * 65536 + c), {self.rows.fact: self.rows.texts[r2]})))
        for c2 in range(self.cols.count):
            if c2 != c:
                pts = self.cells.get(r * 65536 + c2, 0)
                dist = abs(self.cols.position(c2) - cp)
                out.append((dist, -pts, (pts, self.rule_text(r * 65536 + c2), {self.cols.fact: self.cols.texts[c2]})))
        return [alt for *_, alt in sorted(out, key=lambda t: (t[0], t[1]))]


# --------------------------------------------------------------------------- conditions

_Cond = Callable[[Mapping[str, Any], Mapping[str, str]], "bool | None"]


def _compile_condition(cond: Condition) -> _Cond:
    """Three-valued: True, False, or None when a fact it needs is missing or invalid."""
    if cond.all is not None:
        parts = [_compile_condition(c) for c in cond.all]

        def all_(vals: Mapping[str, Any], bad: Mapping[str, str]) -> bool | None:
            unknown = False
            for p in parts:
                r = p(vals, bad)
                if r is False:
                    return False
                if r is None:
                    unknown = True
            return None if unknown else True

        return all_
    if cond.any is not None:
        parts = [_compile_condition(c) for c in cond.any]

        def any_(vals: Mapping[str, Any], bad: Mapping[str, str]) -> bool | None:
            unknown = False
            for p in parts:
                r = p(vals, bad)
                if r is True:
                    return True
                if r is None:
                    unknown = True
            return None if unknown else False

        return any_
    if cond.not_ is not None:
        inner = _compile_condition(cond.not_)

        def not_(vals: Mapping[str, Any], bad: Mapping[str, str]) -> bool | None:
            r = inner(vals, bad)
            return None if r is None else not r

        return not_

    fact, op, value = cond.fact, cond.op, cond.value
    assert fact is not None  # nosec B101
    members = frozenset(_key(m) for m in value) if isinstance(value, tuple) else frozenset()
    tests: dict[str, Callable[[Any], bool]] = {
        "eq": lambda v: _key(v) == _key(value),
        "ne": lambda v: _key(v) != _key(value),
        "in": lambda v: _key(v) in members,
        "not_in": lambda v: _key(v) not in members,
        "gt": lambda v: v > value,
        "gte": lambda v: v >= value,
        "lt": lambda v: v < value,
        "lte": lambda v: v <= value,
        "is_true": lambda v: v is True,
        "is_false": lambda v: v is False,
        "present": lambda v: True,
    }
    test = tests[op or ""]

    def leaf(vals: Mapping[str, Any], bad: Mapping[str, str]) -> bool | None:
        v = vals.get(fact, _ABSENT)
        if v is _ABSENT:
            if op == "present" and bad.get(fact) == MISSING:
                return False
            return None
        try:
            return bool(test(v))
        except TypeError:  # e.g. a string compared with a number: cannot decide
            return None

    return leaf


def _key(v: Any) -> tuple[bool, Any]:
    """Dict key that keeps True apart from 1 while 1 and 1.0 stay equal."""
    return (v.__class__ is bool, v)


# --------------------------------------------------------------------------- evaluator


class Evaluator:
    """A compiled criteria set. Thread-safe and reusable: it holds no per-call state."""

    def __init__(self, definition: CriteriaDefinition, tables: Mapping[str, Mapping[str, Scalar]] | None = None):
        issues = validate_definition(definition)
        rows_by_table: dict[str, Mapping[str, Scalar]] = {}
        for table in definition.tables:
            given = (tables or {}).get(table.name)
            rows = given if given is not None else table.rows
            if rows is not None:
                rows_by_table[table.name] = rows
        declared = {t.name for t in definition.tables}
        for factor in definition.factors:
            # A declared table whose rows were neither embedded nor supplied (a missing
            # table is already a validation issue).
            if isinstance(factor, LookupFactor) and factor.table in declared and factor.table not in rows_by_table:
                issues.append(Issue(f"factor {factor.id}", f"table '{factor.table}' has no rows loaded"))
        if issues:
            raise CriteriaError(issues)

        self.definition = definition
        self.code = definition.code
        self.version = definition.version
        self.pass_mark = definition.pass_mark
        self.set_cap = definition.cap

        used: list[str] = []
        derived_names = {d.name for d in definition.derived}
        for factor in definition.factors:
            used.extend(factor.facts())
        for ko in definition.knockouts:
            used.extend(ko.condition.facts())
        for d in definition.derived:
            used.extend(d.of)
        specs = [s for s in definition.facts if s.name in set(used) - derived_names]
        kinds = {"number": 1, "integer": 2, "string": 3, "boolean": 4}
        self._readers = [
            (
                s.name,
                s.default,
                kinds[s.type],
                -_INF if s.minimum is None else s.minimum,
                _INF if s.maximum is None else s.maximum,
                s.choices is None,
                _make_checker(s),
            )
            for s in specs
        ]
        self._fact_order = [s.name for s in definition.facts] + [d.name for d in definition.derived]
        self._derived = [(d.name, d.op, d.of) for d in definition.derived]
        self._derived_sources = {d.name: d.of for d in definition.derived}
        improvable = {s.name: s.improvable for s in definition.facts}
        for d in definition.derived:
            improvable[d.name] = any(improvable.get(n, True) for n in d.of)
        self._improvable = improvable

        compiled: list[_Compiled] = []
        for i, factor in enumerate(definition.factors):
            if isinstance(factor, BandsFactor):
                compiled.append(_CBands(factor, i))
            elif isinstance(factor, ChoicesFactor):
                compiled.append(_CChoices(factor, i))
            elif isinstance(factor, BooleanFactor):
                compiled.append(_CBoolean(factor, i))
            elif isinstance(factor, LookupFactor):
                compiled.append(_CLookup(factor, i, rows_by_table[factor.table]))
            elif isinstance(factor, MatrixFactor):
                compiled.append(_CMatrix(factor, i))
        self._factors = compiled
        self._all_scored = [SCORED] * len(compiled)

        # Groups: index them, then order children before parents for cap application.
        self._groups = list(definition.groups)
        gindex = {g.id: i for i, g in enumerate(self._groups)}
        for cf in compiled:
            cf.group_index = gindex[cf.factor.group] if cf.factor.group is not None else -1
        parent = [gindex[g.parent] if g.parent is not None else -1 for g in self._groups]

        def depth(i: int) -> int:
            d = 0
            while parent[i] >= 0:
                i, d = parent[i], d + 1
            return d

        order = sorted(range(len(self._groups)), key=lambda i: -depth(i))
        self._group_order = [(g, parent[g], self._groups[g].cap) for g in order]
        self._group_parent = parent
        self._better: dict[tuple[int, int], list[_Alt]] = {}
        self._factor_groups = [cf.group_index for cf in compiled]
        # Every factor under each group (descendant groups included), in definition order.
        members: list[list[int]] = [[] for _ in self._groups]
        for cf in compiled:
            g = cf.group_index
            while g >= 0:
                members[g].append(cf.index)
                g = parent[g]
        self._group_members = members

        self._knockouts = [(ko, _compile_condition(ko.condition), ko.condition.facts()) for ko in definition.knockouts]
        self._fast = build_fast_scorer(self)

    # ------------------------------------------------------------------ public API

    def evaluate(self, facts: Mapping[str, Any]) -> Result:
        """Score one applicant's facts with the full explanation."""
        if not isinstance(facts, Mapping):
            facts = {}
            bad_input = True
        else:
            bad_input = False
        vals, bad, invalid = self._read(facts)
        raw, rules, states = self._score_factors(vals, bad)
        ko_lines, ko_failed, ko_unknown = self._knockout_lines(vals, bad)
        total, gsum, gcap, lost, set_lost = self._cap_detail(raw)
        total_min, total_max = self._bounds(raw, states, total)
        status = self._status(ko_failed, ko_unknown, total_min, total_max, states)

        lines = []
        for cf in self._factors:
            i = cf.index
            f = cf.factor
            lines.append(
                FactorLine(
                    factor=f.id,
                    label=f.label,
                    kind=f.kind,
                    group=f.group,
                    bonus=f.bonus,
                    state=states[i],
                    facts={n: vals[n] for n in cf.fact_names if n in vals},
                    rule=cf.rule_text(rules[i]) if states[i] == SCORED else None,
                    raw_points=raw[i],
                    points=raw[i] - lost[i],
                    lost_to_cap=lost[i],
                )
            )
        groups = [
            GroupLine(
                group=g.id, label=g.label, cap=g.cap, raw_points=gsum[j], points=gcap[j], lost_to_cap=gsum[j] - gcap[j]
            )
            for j, g in enumerate(self._groups)
        ]
        missing = self._missing_facts(bad, states, ko_lines)
        if bad_input:
            invalid.insert(0, InvalidFact(fact="*", value=None, reason="facts must be an object"))
        return Result(
            code=self.code,
            version=self.version,
            status=status,
            total=total,
            pass_mark=self.pass_mark,
            lines=lines,
            groups=groups,
            set_cap=self.set_cap,
            set_lost_to_cap=set_lost,
            knockouts=ko_lines,
            missing_facts=missing,
            invalid_facts=invalid,
            hints=self._hints(vals, raw, rules, states, total),
            total_min=total_min,
            total_max=total_max,
        )

    def score(self, facts: Mapping[str, Any]) -> tuple[Number, str]:
        """Total and status only: the fast path for rescoring a whole pool.

        Complete, well-typed facts go through the generated scorer (``codegen``); anything
        else (missing, invalid, not a dict) through the generic path, with the same answer."""
        if facts.__class__ is dict and self._fast is not None:
            result = self._fast(facts)
            if result is not None:
                return result
        return self._score_generic(facts)

    def _score_generic(self, facts: Mapping[str, Any]) -> tuple[Number, str]:
        if not isinstance(facts, Mapping):
            facts = {}
        vals, bad, _ = self._read(facts)
        if bad:
            raw, _, states = self._score_factors(vals, bad)
        else:
            raw = [cf.score(vals)[0] for cf in self._factors]
            states = self._all_scored
        ko_failed = ko_unknown = False
        for _, cond, _ in self._knockouts:
            r = cond(vals, bad)
            if r is False:
                ko_failed = True
                break
            if r is None:
                ko_unknown = True
        total = self._capped_total(raw)
        if bad:
            lo, hi = self._bounds(raw, states, total)
        else:
            lo = hi = total
        return total, self._status(ko_failed, ko_unknown, lo, hi, states)

    def score_many(self, many: Iterable[Mapping[str, Any]]) -> list[tuple[Number, str]]:
        score = self.score
        return [score(f) for f in many]

    @property
    def max_total(self) -> Number:
        return self._capped_total([cf.max_points for cf in self._factors])

    # ------------------------------------------------------------------ steps

    def _read(self, facts: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str], list[InvalidFact]]:
        vals: dict[str, Any] = {}
        bad: dict[str, str] = {}
        invalid: list[InvalidFact] = []
        get = facts.get
        for name, default, kind, lo, hi, free, check in self._readers:
            v: Any = get(name)  # whatever the caller sent: the checks below sort it out
            if v is None:
                if default is None:
                    bad[name] = MISSING
                    continue
                v = default
            # Fast path for the common well-typed value; anything else goes to the checker.
            cls = v.__class__
            if free and (
                (kind <= 2 and cls is int and lo <= v <= hi)
                or (kind == 1 and cls is float and v - v == 0.0 and lo <= v <= hi)  # finite
                or (kind == 3 and cls is str)
                or (kind == 4 and cls is bool)
            ):
                vals[name] = v
                continue
            v, reason = check(v)
            if reason is None:
                vals[name] = v
            else:
                bad[name] = INVALID
                invalid.append(InvalidFact(fact=name, value=_jsonable(v), reason=reason))
        for name, op, of in self._derived:
            srcs = []
            for n in of:
                if n in vals:
                    srcs.append(vals[n])
                else:
                    bad[name] = INVALID if bad.get(n) == INVALID else bad.get(name, MISSING)
                    break
            else:
                if op == "min":
                    vals[name] = min(srcs)
                elif op == "max":
                    vals[name] = max(srcs)
                elif op == "sum":
                    vals[name] = sum(srcs)
                else:
                    vals[name] = sum(1 for s in srcs if s is True)
        return vals, bad, invalid

    def _score_factors(self, vals: dict[str, Any], bad: dict[str, str]) -> tuple[list[Number], list[int], list[str]]:
        n = len(self._factors)
        if not bad:
            pairs = [cf.score(vals) for cf in self._factors]
            return [p for p, _ in pairs], [r for _, r in pairs], [SCORED] * n
        raw: list[Number] = [0] * n
        rules = [NO_RULE] * n
        states = [SCORED] * n
        for cf in self._factors:
            i = cf.index
            if bad:
                problem = None
                for name in cf.fact_names:
                    p = bad.get(name)
                    if p == INVALID:
                        problem = INVALID
                        break
                    if p is not None:
                        problem = MISSING
                if problem is not None:
                    states[i] = NOT_CLAIMED if (problem == MISSING and cf.bonus) else problem
                    continue
            raw[i], rules[i] = cf.score(vals)
        return raw, rules, states

    def _knockout_lines(self, vals: dict[str, Any], bad: dict[str, str]) -> tuple[list[KnockOutLine], bool, bool]:
        lines = []
        failed = unknown = False
        for ko, cond, names in self._knockouts:
            r = cond(vals, bad)
            if r is True:
                lines.append(KnockOutLine(ko.id, ko.label, KO_PASSED))
            elif r is False:
                failed = True
                lines.append(KnockOutLine(ko.id, ko.label, KO_FAILED))
            else:
                unknown = True
                lines.append(KnockOutLine(ko.id, ko.label, KO_UNKNOWN, self._sources([n for n in names if n in bad])))
        return lines, failed, unknown

    def _capped_total(self, raw: list[Number]) -> Number:
        if not self._groups:
            total = sum(raw)
        else:
            gsum: list[Number] = [0] * (len(self._groups) + 1)  # last slot: ungrouped factors (index -1)
            for g, p in zip(self._factor_groups, raw, strict=True):
                gsum[g] += p
            top = gsum[-1]
            for g, parent, cap in self._group_order:
                s = gsum[g]
                if cap is not None and s > cap:
                    s = cap
                if parent >= 0:
                    gsum[parent] += s
                else:
                    top += s
            total = top
        cap = self.set_cap
        return cap if cap is not None and total > cap else total

    def _cap_detail(self, raw: list[Number]) -> tuple[Number, list[Number], list[Number], list[Number], Number]:
        """Total, each group's points before and after its cap, each factor's points lost to caps.

        When a cap bites, the points it removes are charged to the group's factors from the
        last one upwards (definition order), so earlier factors keep theirs."""
        ng = len(self._groups)
        gsum: list[Number] = [0] * ng
        gcap: list[Number] = [0] * ng
        remaining = list(raw)
        top: Number = 0
        for i, p in enumerate(raw):
            g = self._factor_groups[i]
            if g >= 0:
                gsum[g] += p
            else:
                top += p
        for g, parent, cap in self._group_order:
            s = gsum[g]
            if cap is not None and s > cap:
                self._charge(s - cap, self._group_members[g], remaining)
                s = cap
            gcap[g] = s
            if parent >= 0:
                gsum[parent] += s
            else:
                top += s
        set_lost: Number = 0
        total = top
        if self.set_cap is not None and total > self.set_cap:
            set_lost = total - self.set_cap
            self._charge(set_lost, list(range(len(raw))), remaining)
            total = self.set_cap
        lost = [r - m for r, m in zip(raw, remaining, strict=True)]
        return total, gsum, gcap, lost, set_lost

    @staticmethod
    def _charge(excess: Number, members: list[int], remaining: list[Number]) -> None:
        for i in reversed(members):
            if excess <= 0:
                break
            take = min(excess, remaining[i]) if remaining[i] > 0 else 0
            remaining[i] -= take
            excess -= take

    def _group_sums(self, raw: list[Number]) -> tuple[list[Number], Number]:
        """Each group's points before its own cap (children already capped), and the sum of
        top-level points before the set cap."""
        gsum: list[Number] = [0] * len(self._groups)
        top: Number = 0
        for i, p in enumerate(raw):
            g = self._factor_groups[i]
            if g >= 0:
                gsum[g] += p
            else:
                top += p
        for g, parent, cap in self._group_order:
            s = gsum[g] if cap is None or gsum[g] <= cap else cap
            if parent >= 0:
                gsum[parent] += s
            else:
                top += s
        return gsum, top

    def _gain(self, g: int, delta: Number, gsum: list[Number], top: Number) -> Number:
        """Change in the capped total if a factor in group ``g`` gained ``delta`` raw points."""
        while g >= 0 and delta:
            cap = self._groups[g].cap
            before = gsum[g]
            after = before + delta
            if cap is not None:
                delta = min(after, cap) - min(before, cap)
            g = self._group_parent[g]
        cap = self.set_cap
        if cap is None:
            return delta
        return min(top + delta, cap) - min(top, cap)

    def _bounds(self, raw: list[Number], states: list[str], total: Number) -> tuple[Number, Number]:
        """Totals if every missing/invalid (non-bonus) factor took its lowest / highest points."""
        unknown = [cf for cf in self._factors if states[cf.index] in (MISSING, INVALID)]
        if not unknown:
            return total, total
        lo, hi = list(raw), list(raw)
        for cf in unknown:
            lo[cf.index] = cf.min_points
            hi[cf.index] = cf.max_points
        return self._capped_total(lo), self._capped_total(hi)

    def _status(self, ko_failed: bool, ko_unknown: bool, lo: Number, hi: Number, states: list[str]) -> str:
        if ko_failed:
            return FAIL
        if ko_unknown:
            return NEEDS_MORE_INFORMATION
        pm = self.pass_mark
        if pm is None:
            complete = all(s != MISSING and s != INVALID for s in states)
            return PASS if complete else NEEDS_MORE_INFORMATION
        if lo >= pm:
            return PASS
        if hi < pm:
            return FAIL
        return NEEDS_MORE_INFORMATION

    def _sources(self, names: Iterable[str]) -> list[str]:
        """Real facts behind names (a derived fact stands for the facts it reads), in declared order."""
        out: set[str] = set()
        for n in names:
            out.update(self._derived_sources.get(n, (n,)))
        return [n for n in self._fact_order if n in out]

    def _missing_facts(self, bad: dict[str, str], states: list[str], ko_lines: list[KnockOutLine]) -> list[str]:
        if not bad:
            return []
        needed: list[str] = []
        for cf in self._factors:
            if states[cf.index] == MISSING:
                needed.extend(n for n in cf.fact_names if bad.get(n) == MISSING)
        for line in ko_lines:
            needed.extend(line.missing_facts)
        return [n for n in self._sources(needed) if bad.get(n) == MISSING]

    def _hints(
        self, vals: dict[str, Any], raw: list[Number], rules: list[int], states: list[str], total: Number
    ) -> list[Hint]:
        hints: list[Hint] = []
        gsum, top = self._group_sums(raw)
        for cf in self._factors:
            i = cf.index
            if states[i] != SCORED:
                continue
            current = raw[i]
            key = (i, rules[i])
            better = self._better.get(key)
            if better is None:
                # Only better rules a person can reach (nobody can become younger); memoised
                # because they depend on nothing but the rule that fired.
                better = self._better[key] = [
                    alt
                    for alt in cf.alternatives_for(vals, rules[i])
                    if alt[0] > current and all(self._improvable.get(n, True) for n in alt[2])
                ]
            for pts, text, needs in better:
                gain = self._gain(cf.group_index, pts - current, gsum, top)
                if gain > 0:
                    hints.append(
                        Hint(
                            factor=cf.factor.id,
                            label=cf.factor.label,
                            current_rule=cf.rule_text(rules[i]),
                            target_rule=text,
                            facts=needs,
                            raw_gain=pts - current,
                            gain=gain,
                        )
                    )
                    break
        hints.sort(key=lambda h: -h.gain)
        return hints


def compile_criteria(
    definition: CriteriaDefinition, tables: Mapping[str, Mapping[str, Scalar]] | None = None
) -> Evaluator:
    """Validate and compile; raises ``CriteriaError`` listing every problem.

    ``tables`` supplies (or overrides) rows of reference tables, e.g. the scarce-professions
    rating of the year from the database: ``{"scarce_professions": {"2211": 1, ...}}``."""
    return Evaluator(definition, tables)


def _jsonable(v: Any) -> Any:
    if v is None or isinstance(v, (str, int, float, bool)):
        if isinstance(v, float) and not math.isfinite(v):
            return str(v)
        return v
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    return repr(v)
