"""Criteria sets as rows <-> the engine's ``CriteriaDefinition`` (and so JSON).

``definition_from_set`` reads a set with a constant number of queries; ``set_from_definition``
writes a new draft from a definition (JSON import, new draft versions, seeds).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from eligibility.engine import (
    Axis,
    AxisEntry,
    Band,
    BandsFactor,
    BooleanFactor,
    Cell,
    Choice,
    ChoicesFactor,
    CriteriaDefinition,
    DerivedFact,
    FactSpec,
    Group,
    KnockOut,
    LookupFactor,
    MatrixFactor,
    Table,
)
from eligibility.engine.definition import Factor as EngineFactor
from eligibility.models import Band as BandRow
from eligibility.models import (
    CriteriaGroup,
    CriteriaSet,
    Factor,
    FactorChoice,
    MatrixCell,
    MatrixEntry,
)


def _num(x: float | None) -> int | float | None:
    """Stored floats back to the JSON number they came from (15.0 -> 15)."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def value_to_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def text_to_value(text: str, fact_type: str | None) -> Any:
    """Read a stored choice value as the fact's type; untyped (lookup tables): guess."""
    t = text.strip()
    if fact_type == "string":
        return text
    if fact_type == "boolean" or (fact_type is None and t.lower() in ("true", "false")):
        return t.lower() == "true"
    if fact_type in ("integer", "number", None):
        try:
            return int(t)
        except ValueError:
            try:
                return _num(float(t)) if fact_type else text
            except ValueError:
                return text
    return text


def definition_from_set(cs: CriteriaSet) -> CriteriaDefinition:
    """The engine's view of a criteria set (five queries whatever its size)."""
    facts = tuple(FactSpec.from_dict(f) for f in cs.facts or [])
    fact_types = {f.name: f.type for f in facts}
    derived = tuple(DerivedFact.from_dict(d) for d in cs.derived or [])
    fact_types.update({d.name: "number" for d in derived})
    groups = list(CriteriaGroup.objects.filter(criteria_set=cs).select_related("parent"))
    factor_rows = list(
        Factor.objects.filter(criteria_set=cs)
        .select_related("group")
        .prefetch_related("bands", "choices", "matrix_entries", "cells")
    )
    factors: list[EngineFactor] = []
    for row in factor_rows:
        base = {
            "id": row.key,
            "label": row.label,
            "group": row.group.key if row.group else None,
            "bonus": row.bonus,
            "help": row.help,
        }
        if row.kind == Factor.Kind.BANDS:
            bands = tuple(
                Band(min=_num(b.min), max=_num(b.max), points=_num(b.points), label=b.label) for b in row.bands.all()
            )
            factors.append(BandsFactor(**base, fact=row.fact, bands=bands))
        elif row.kind == Factor.Kind.CHOICES:
            ftype = fact_types.get(row.fact)
            choices = tuple(
                Choice(value=text_to_value(c.value, ftype), points=_num(c.points), label=c.label)
                for c in row.choices.all()
            )
            factors.append(ChoicesFactor(**base, fact=row.fact, choices=choices))
        elif row.kind == Factor.Kind.BOOLEAN:
            factors.append(
                BooleanFactor(
                    **base,
                    fact=row.fact,
                    points_true=_num(row.points_true) or 0,
                    points_false=_num(row.points_false) or 0,
                )
            )
        elif row.kind == Factor.Kind.LOOKUP:
            choices = tuple(
                Choice(value=text_to_value(c.value, None), points=_num(c.points), label=c.label)
                for c in row.choices.all()
            )
            factors.append(
                LookupFactor(
                    **base,
                    fact=row.fact,
                    table=row.table,
                    choices=choices,
                    points_not_found=_num(row.points_not_found) or 0,
                )
            )
        else:
            entries = list(row.matrix_entries.all())

            def axis(which: str, fact: str, kind: str, entries: list[MatrixEntry] = entries) -> Axis:
                ftype = fact_types.get(fact)
                out = []
                for e in entries:
                    if e.axis != which:
                        continue
                    if kind == "choices":
                        values = tuple(text_to_value(v, ftype) for v in e.values.split(",")) if e.values else ()
                        out.append(AxisEntry(key=e.key, label=e.label, values=values))
                    else:
                        out.append(AxisEntry(key=e.key, label=e.label, min=_num(e.min), max=_num(e.max)))
                return Axis(fact=fact, kind=kind or "bands", entries=tuple(out))

            cells = tuple(Cell(row=c.row_key, col=c.col_key, points=_num(c.points)) for c in row.cells.all())
            factors.append(
                MatrixFactor(
                    **base,
                    rows=axis("row", row.row_fact, row.row_kind),
                    cols=axis("col", row.col_fact, row.col_kind),
                    cells=cells,
                )
            )
    return CriteriaDefinition(
        code=cs.engine_code,
        title=cs.title or str(cs),
        pass_mark=cs.pass_mark,
        cap=cs.cap,
        product=cs.product,
        version=cs.version,
        facts=facts,
        derived=derived,
        tables=tuple(Table.from_dict(t) for t in cs.tables or []),
        groups=tuple(
            Group(id=g.key, label=g.label, cap=g.cap, parent=g.parent.key if g.parent else None) for g in groups
        ),
        factors=tuple(factors),
        knockouts=tuple(KnockOut.from_dict(k) for k in cs.knockouts or []),
        meta=dict(cs.meta or {}),
    )


@transaction.atomic
def set_from_definition(
    definition: CriteriaDefinition,
    *,
    product: str,
    version: int,
    created_by: Any = None,
    previous: CriteriaSet | None = None,
    effective_from: Any = None,
    notes: str = "",
) -> CriteriaSet:
    """Write a new draft criteria set (with all its rows) from a definition."""
    d = definition.to_dict()
    cs = CriteriaSet.objects.create(
        product=product,
        version=version,
        code=definition.code,
        title=definition.title,
        pass_mark=definition.pass_mark,
        cap=definition.cap,
        facts=d.get("facts", []),
        derived=d.get("derived", []),
        tables=d.get("tables", []),
        knockouts=d.get("knockouts", []),
        meta=d.get("meta", {}),
        is_example=bool(definition.meta.get("example", False)),
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        previous=previous,
        effective_from=effective_from,
        notes=notes,
    )
    groups: dict[str, CriteriaGroup] = {}
    for i, g in enumerate(definition.groups):
        groups[g.id] = CriteriaGroup.objects.create(criteria_set=cs, key=g.id, label=g.label, cap=g.cap, order=i)
    for g in definition.groups:
        if g.parent is not None:
            groups[g.id].parent = groups[g.parent]
            groups[g.id].save(update_fields=["parent"])
    bands: list[BandRow] = []
    choices: list[FactorChoice] = []
    entries: list[MatrixEntry] = []
    cells: list[MatrixCell] = []
    for i, f in enumerate(definition.factors):
        row = Factor(
            criteria_set=cs,
            key=f.id,
            label=f.label,
            help=f.help,
            kind=f.kind,
            group=groups.get(f.group) if f.group else None,
            bonus=f.bonus,
            order=i,
        )
        if isinstance(f, BandsFactor | ChoicesFactor | BooleanFactor | LookupFactor):
            row.fact = f.fact
        if isinstance(f, BooleanFactor):
            row.points_true, row.points_false = f.points_true, f.points_false
        if isinstance(f, LookupFactor):
            row.table, row.points_not_found = f.table, f.points_not_found
        if isinstance(f, MatrixFactor):
            row.row_fact, row.row_kind = f.rows.fact, f.rows.kind
            row.col_fact, row.col_kind = f.cols.fact, f.cols.kind
        row.save()
        if isinstance(f, BandsFactor):
            bands += [
                BandRow(factor=row, min=b.min, max=b.max, points=b.points, label=b.label, order=j)
                for j, b in enumerate(f.bands)
            ]
        if isinstance(f, ChoicesFactor | LookupFactor):
            choices += [
                FactorChoice(factor=row, value=value_to_text(c.value), points=c.points, label=c.label, order=j)
                for j, c in enumerate(f.choices)
            ]
        if isinstance(f, MatrixFactor):
            for which, ax in (("row", f.rows), ("col", f.cols)):
                entries += [
                    MatrixEntry(
                        factor=row,
                        axis=which,
                        key=e.key,
                        label=e.label,
                        min=e.min,
                        max=e.max,
                        values=",".join(value_to_text(v) for v in e.values) if e.values is not None else "",
                        order=j,
                    )
                    for j, e in enumerate(ax.entries)
                ]
            cells += [MatrixCell(factor=row, row_key=c.row, col_key=c.col, points=c.points) for c in f.cells]
    # bulk_create skips save(): the set is a fresh draft, so the lock check is moot here.
    BandRow.objects.bulk_create(bands)
    FactorChoice.objects.bulk_create(choices)
    MatrixEntry.objects.bulk_create(entries)
    MatrixCell.objects.bulk_create(cells)
    return cs
