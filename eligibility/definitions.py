"""Criteria sets as rows <-> the engine's ``CriteriaDefinition`` (and so JSON).

``definition_from_set`` reads a set with a constant number of queries; ``set_from_definition``
writes a new draft from a definition (JSON import, new draft versions, seeds).

Declarations (facts, derived facts, reference tables, knock-outs) are rows too; the functions
``*_rows`` / ``*_dicts`` below convert between those rows and the engine's JSON shapes.
Migration 0008 carries a frozen copy of the JSON -> rows half.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
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
    DerivedFactDeclaration,
    FactDeclaration,
    Factor,
    FactorChoice,
    KnockOutCondition,
    LabelTranslation,
    MatrixCell,
    MatrixEntry,
    ReferenceTable,
    ReferenceTableRow,
)
from eligibility.models import (
    KnockOut as KnockOutRow,
)

_DECIMAL = re.compile(r"^-?\d+\.\d+$")
# Condition tests that take no value (their JSON has no "value" key).
NO_VALUE_OPS = ("is_true", "is_false", "present")
LIST_VALUE_OPS = ("in", "not_in")
# Keys of the JSON "meta" object kept in plain fields of CriteriaSet.
META_TEXT_FIELDS = ("source", "version_note", "fact_notes")


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
                # Untyped (table rows, lookup choices): only a plain decimal is a number.
                return _num(float(t)) if fact_type or _DECIMAL.match(t) else text
            except ValueError:
                return text
    return text


def _lines(text: str | None) -> list[str] | None:
    return None if text is None else [line.strip() for line in text.splitlines() if line.strip()]


def fact_dicts(rows: Iterable[FactDeclaration]) -> list[dict[str, Any]]:
    """Fact rows -> the JSON ``facts`` list (values read as the fact's type)."""
    out = []
    for r in rows:
        d: dict[str, Any] = {"name": r.name, "type": r.type, "label": r.label, "help": r.help}
        choices = _lines(r.choices)
        if choices:
            d["choices"] = [text_to_value(c, r.type) for c in choices]
        labels = _lines(r.choice_labels)
        if labels:
            d["choice_labels"] = labels
        d["minimum"], d["maximum"] = _num(r.minimum), _num(r.maximum)
        if r.default is not None:
            d["default"] = text_to_value(r.default, r.type)
        d["improvable"] = r.improvable
        out.append(d)
    return out


def derived_dicts(rows: Iterable[DerivedFactDeclaration]) -> list[dict[str, Any]]:
    return [{"name": r.name, "op": r.op, "of": r.of_names, "label": r.label} for r in rows]


def table_dicts(rows: Iterable[ReferenceTable]) -> list[dict[str, Any]]:
    out = []
    for t in rows:
        d: dict[str, Any] = {"name": t.name, "label": t.label}
        if t.own_rows:
            d["rows"] = {r.key: text_to_value(r.value, None) for r in t.rows.all()}
        out.append(d)
    return out


def condition_value(text: str | None, op: str, fact_type: str | None) -> Any:
    """A stored condition value as the engine wants it: a list for in / not in."""
    if text is None:
        return None
    if op in LIST_VALUE_OPS:
        return [text_to_value(v.strip(), fact_type) for v in text.split(",")] if text.strip() else []
    return text_to_value(text, fact_type)


def condition_dict(rows: list[KnockOutCondition], fact_types: dict[str, str]) -> dict[str, Any]:
    """A knock-out's condition rows -> its JSON ``condition`` (the row without a parent is the
    root; combinations gather the rows naming their key). A malformed tree (no root, two roots,
    an empty combination) gives a condition the schema check refuses, naming the knock-out."""
    children: dict[str, list[KnockOutCondition]] = defaultdict(list)
    for r in rows:
        children[r.parent].append(r)

    def build(r: KnockOutCondition, seen: frozenset[str]) -> dict[str, Any]:
        if r.kind == KnockOutCondition.Kind.TEST:
            out: dict[str, Any] = {"fact": r.fact, "op": r.op}
            if r.op not in NO_VALUE_OPS:
                out["value"] = condition_value(r.value, r.op, fact_types.get(r.fact))
        else:
            kids = [] if not r.key or r.key in seen else children.get(r.key, [])
            parts = [build(k, seen | {r.key}) for k in kids]
            if r.kind == KnockOutCondition.Kind.NOT:
                out = {"not": parts[0] if len(parts) == 1 else {"all": parts}}
            else:
                out = {r.kind: parts}
        if r.label:
            out["label"] = r.label
        return out

    roots = [build(r, frozenset()) for r in children.get("", [])]
    return roots[0] if len(roots) == 1 else {"all": roots}


def knockout_dicts(rows: Iterable[KnockOutRow], fact_types: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "id": k.key,
            "label": k.label,
            "help": k.help,
            "condition": condition_dict(list(k.conditions.all()), fact_types),
        }
        for k in rows
    ]


def meta_dict(cs: CriteriaSet) -> dict[str, Any]:
    meta = dict(cs.meta or {})
    for name in META_TEXT_FIELDS:
        if getattr(cs, name):
            meta[name] = getattr(cs, name)
    if cs.is_example:
        meta["example"] = True
    return meta


def definition_from_set(cs: CriteriaSet) -> CriteriaDefinition:
    """The engine's view of a criteria set (a fixed number of queries whatever its size)."""
    facts = tuple(FactSpec.from_dict(f) for f in fact_dicts(FactDeclaration.objects.filter(criteria_set=cs)))
    fact_types = {f.name: f.type for f in facts}
    derived = tuple(
        DerivedFact.from_dict(d) for d in derived_dicts(DerivedFactDeclaration.objects.filter(criteria_set=cs))
    )
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
        tables=tuple(
            Table.from_dict(t)
            for t in table_dicts(ReferenceTable.objects.filter(criteria_set=cs).prefetch_related("rows"))
        ),
        groups=tuple(
            Group(id=g.key, label=g.label, cap=g.cap, parent=g.parent.key if g.parent else None) for g in groups
        ),
        factors=tuple(factors),
        knockouts=tuple(
            KnockOut.from_dict(k)
            for k in knockout_dicts(
                KnockOutRow.objects.filter(criteria_set=cs).prefetch_related("conditions"), fact_types
            )
        ),
        meta=meta_dict(cs),
        translations=translations_of(cs),
    )


def translations_of(cs: CriteriaSet) -> dict[str, dict[str, str]]:
    """The set's texts in other languages, as the JSON "translations" object (one query).
    Texts with no translation yet are left out, so a set exports as it was imported."""
    rows = LabelTranslation.objects.filter(criteria_set=cs)
    return {row.source: langs for row in rows if (langs := row.as_dict())}


def label_texts(definition: CriteriaDefinition) -> list[str]:
    """Every text of a set that a person reads on a page, once each, in the set's order.

    Names of derived facts, reference tables and knock-out conditions are left out: they
    appear only in the criteria admin, which works in the set's own language."""
    texts: list[str] = [definition.title]
    for fact in definition.facts:
        texts += [fact.label, fact.help, *(fact.choice_labels or ())]
    for ko in definition.knockouts:
        texts += [ko.label, ko.help]
    texts += [g.label for g in definition.groups]
    for factor in definition.factors:
        texts += [factor.label, factor.help]
        for name in ("bands", "choices"):
            texts += [entry.label for entry in getattr(factor, name, ())]
        if isinstance(factor, MatrixFactor):
            texts += [e.label for axis in (factor.rows, factor.cols) for e in axis.entries]
    return list(dict.fromkeys(t for t in texts if t and t.strip()))


def label_translation_rows(cs: CriteriaSet, definition: CriteriaDefinition) -> list[LabelTranslation]:
    """Unsaved rows for each text of ``definition``, filled from its "translations" object."""
    rows = []
    for text in label_texts(definition):
        given = definition.translations.get(text, {})
        fields = {name: given.get(code, "") for code, name in LabelTranslation.LANGUAGE_FIELDS.items()}
        rows.append(LabelTranslation(criteria_set=cs, source=text, **fields))
    return rows


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
        **meta_fields(d.get("meta", {})),
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        previous=previous,
        effective_from=effective_from,
        notes=notes,
    )
    declaration_rows(cs, d)
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
    LabelTranslation.objects.bulk_create(label_translation_rows(cs, definition))
    return cs


def meta_fields(meta: dict[str, Any]) -> dict[str, Any]:
    """The JSON "meta" object -> CriteriaSet fields: text keys to plain fields, the rest kept."""
    rest = dict(meta)
    out: dict[str, Any] = {}
    for name in META_TEXT_FIELDS:
        if isinstance(rest.get(name), str):
            out[name] = rest.pop(name)
    if rest.get("example") is True:
        out["is_example"] = bool(rest.pop("example"))
    out["meta"] = rest
    return out


def declaration_rows(cs: CriteriaSet, d: dict[str, Any]) -> None:
    """Write the fact, derived-fact, table and knock-out rows of a new draft from the JSON form."""
    FactDeclaration.objects.bulk_create(
        FactDeclaration(
            criteria_set=cs,
            name=f["name"],
            type=f["type"],
            label=f.get("label", ""),
            help=f.get("help", ""),
            choices="\n".join(value_to_text(v) for v in f["choices"]) if f.get("choices") is not None else None,
            choice_labels="\n".join(f["choice_labels"]) if f.get("choice_labels") is not None else None,
            minimum=f.get("minimum"),
            maximum=f.get("maximum"),
            default=value_to_text(f["default"]) if f.get("default") is not None else None,
            improvable=f.get("improvable", True),
            order=i,
        )
        for i, f in enumerate(d.get("facts", []))
    )
    DerivedFactDeclaration.objects.bulk_create(
        DerivedFactDeclaration(
            criteria_set=cs, name=x["name"], op=x["op"], of=",".join(x["of"]), label=x.get("label", ""), order=i
        )
        for i, x in enumerate(d.get("derived", []))
    )
    for i, t in enumerate(d.get("tables", [])):
        table = ReferenceTable.objects.create(
            criteria_set=cs, name=t["name"], label=t.get("label", ""), own_rows=t.get("rows") is not None, order=i
        )
        ReferenceTableRow.objects.bulk_create(
            ReferenceTableRow(table=table, key=str(k), value=value_to_text(v), order=j)
            for j, (k, v) in enumerate((t.get("rows") or {}).items())
        )
    for i, k in enumerate(d.get("knockouts", [])):
        ko = KnockOutRow.objects.create(criteria_set=cs, key=k["id"], label=k["label"], help=k.get("help", ""), order=i)
        KnockOutCondition.objects.bulk_create(condition_rows(ko, k["condition"]))


def condition_rows(ko: KnockOutRow, condition: dict[str, Any]) -> list[KnockOutCondition]:
    """A JSON condition tree -> rows (depth first); combinations get keys any1, all2, ..."""
    rows: list[KnockOutCondition] = []

    def walk(c: dict[str, Any], parent: str) -> None:
        row = KnockOutCondition(knockout=ko, parent=parent, label=c.get("label", ""), order=len(rows))
        rows.append(row)
        kind = next((k for k in ("all", "any", "not") if k in c), "test")
        row.kind = kind
        if kind == "test":
            row.fact, row.op = c["fact"], c["op"]
            value = c.get("value")
            if isinstance(value, list | tuple):
                row.value = ",".join(value_to_text(v) for v in value)
            else:
                row.value = value_to_text(value) if value is not None else None
            return
        row.key = f"{kind}{len(rows)}"
        for sub in [c["not"]] if kind == "not" else c[kind]:
            walk(sub, row.key)

    walk(condition, "")
    return rows
