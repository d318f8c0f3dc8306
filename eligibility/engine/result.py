"""What the evaluator returns: a total, a status, and every reason behind them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from eligibility.engine.definition import Number

PASS = "pass"  # noqa: S105 - a status, not a password  # nosec B105
FAIL = "fail"
# The stored pass/fail of a status (None: not decidable, e.g. facts missing).
PASSES = {PASS: True, FAIL: False}
NEEDS_MORE_INFORMATION = "needs_more_information"

# Factor line states.
SCORED = "scored"
MISSING = "missing"  # a fact it reads is absent
INVALID = "invalid"  # a fact it reads has the wrong type or is out of range
NOT_CLAIMED = "not_claimed"  # a bonus factor whose fact is absent

KO_PASSED = "passed"
KO_FAILED = "failed"
KO_UNKNOWN = "unknown"


@dataclass
class FactorLine:
    factor: str
    label: str
    kind: str
    group: str | None
    bonus: bool
    state: str
    facts: dict[str, Any]  # fact values used (derived facts included)
    rule: str | None  # the band / choice / cell that fired, in words
    raw_points: Number  # before caps
    points: Number  # after caps
    lost_to_cap: Number


@dataclass
class GroupLine:
    group: str
    label: str
    cap: Number | None
    raw_points: Number
    points: Number
    lost_to_cap: Number


@dataclass
class KnockOutLine:
    knockout: str
    label: str
    outcome: str  # passed / failed / unknown
    missing_facts: list[str] = field(default_factory=list)


@dataclass
class InvalidFact:
    fact: str
    value: Any
    reason: str


@dataclass
class Hint:
    """Nearest better rule for one factor and what it would add to the total (caps applied)."""

    factor: str
    label: str
    current_rule: str | None
    target_rule: str
    facts: dict[str, str]  # fact -> what it would need to be, in words
    raw_gain: Number
    gain: Number


@dataclass
class Result:
    code: str
    version: int | None
    status: str
    total: Number
    pass_mark: Number | None
    lines: list[FactorLine]
    groups: list[GroupLine]
    set_cap: Number | None
    set_lost_to_cap: Number
    knockouts: list[KnockOutLine]
    missing_facts: list[str]
    invalid_facts: list[InvalidFact]
    hints: list[Hint]
    # Lowest/highest totals the missing or invalid facts could lead to (equal when complete).
    total_min: Number
    total_max: Number

    @property
    def passed(self) -> bool:
        return self.status == PASS

    @property
    def failed_knockouts(self) -> list[KnockOutLine]:
        return [k for k in self.knockouts if k.outcome == KO_FAILED]

    def line(self, factor_id: str) -> FactorLine:
        for line in self.lines:
            if line.factor == factor_id:
                return line
        raise KeyError(factor_id)

    def group(self, group_id: str) -> GroupLine:
        for g in self.groups:
            if g.group == group_id:
                return g
        raise KeyError(group_id)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["failed_knockouts"] = [k.knockout for k in self.failed_knockouts]
        return out
