"""Move the criteria sets' JSON declarations (facts, derived, tables, knock-outs, meta text)
into the rows added by 0007, and back on reverse. A frozen copy of the conversion in
eligibility/definitions.py (declaration_rows / *_dicts) as it was when written; historical
models have no lock check, so published sets are converted too."""

import re
from collections import defaultdict

from django.db import migrations

_DECIMAL = re.compile(r"^-?\d+\.\d+$")
META_TEXT_FIELDS = ("source", "version_note", "fact_notes")
NO_VALUE_OPS = ("is_true", "is_false", "present")
LIST_VALUE_OPS = ("in", "not_in")


def _text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _num(x):
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def _value(text, fact_type):
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


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def forward(apps, schema_editor):
    CriteriaSet = apps.get_model("eligibility", "CriteriaSet")
    Fact = apps.get_model("eligibility", "FactDeclaration")
    Derived = apps.get_model("eligibility", "DerivedFactDeclaration")
    Table = apps.get_model("eligibility", "ReferenceTable")
    TableRow = apps.get_model("eligibility", "ReferenceTableRow")
    KnockOut = apps.get_model("eligibility", "KnockOut")
    Condition = apps.get_model("eligibility", "KnockOutCondition")
    for cs in CriteriaSet.objects.all():
        Fact.objects.bulk_create(
            Fact(
                criteria_set=cs,
                name=f["name"],
                type=f["type"],
                label=f.get("label", ""),
                help=f.get("help", ""),
                choices="\n".join(_text(v) for v in f["choices"]) if f.get("choices") is not None else None,
                choice_labels="\n".join(f["choice_labels"]) if f.get("choice_labels") is not None else None,
                minimum=f.get("minimum"),
                maximum=f.get("maximum"),
                default=_text(f["default"]) if f.get("default") is not None else None,
                improvable=f.get("improvable", True),
                order=i,
            )
            for i, f in enumerate(cs.facts or [])
        )
        Derived.objects.bulk_create(
            Derived(criteria_set=cs, name=x["name"], op=x["op"], of=",".join(x["of"]), label=x.get("label", ""), order=i)
            for i, x in enumerate(cs.derived or [])
        )
        for i, t in enumerate(cs.tables or []):
            table = Table.objects.create(
                criteria_set=cs, name=t["name"], label=t.get("label", ""), own_rows=t.get("rows") is not None, order=i
            )
            TableRow.objects.bulk_create(
                TableRow(table=table, key=str(k), value=_text(v), order=j)
                for j, (k, v) in enumerate((t.get("rows") or {}).items())
            )
        for i, k in enumerate(cs.knockouts or []):
            ko = KnockOut.objects.create(criteria_set=cs, key=k["id"], label=k["label"], help=k.get("help", ""), order=i)
            rows = []

            def walk(c, parent, ko=ko, rows=rows):
                row = Condition(knockout=ko, parent=parent, label=c.get("label", ""), order=len(rows))
                rows.append(row)
                kind = next((x for x in ("all", "any", "not") if x in c), "test")
                row.kind = kind
                if kind == "test":
                    row.fact, row.op = c["fact"], c["op"]
                    value = c.get("value")
                    if isinstance(value, list):
                        row.value = ",".join(_text(v) for v in value)
                    else:
                        row.value = _text(value) if value is not None else None
                    return
                row.key = f"{kind}{len(rows)}"
                for sub in [c["not"]] if kind == "not" else c[kind]:
                    walk(sub, row.key)

            walk(k["condition"], "")
            Condition.objects.bulk_create(rows)
        meta = dict(cs.meta or {})
        for name in META_TEXT_FIELDS:
            if isinstance(meta.get(name), str):
                setattr(cs, name, meta.pop(name))
        if meta.get("example") is True:
            meta.pop("example")
            cs.is_example = True
        cs.meta = meta
        cs.save(update_fields=[*META_TEXT_FIELDS, "is_example", "meta"])


def backward(apps, schema_editor):
    CriteriaSet = apps.get_model("eligibility", "CriteriaSet")
    Fact = apps.get_model("eligibility", "FactDeclaration")
    Derived = apps.get_model("eligibility", "DerivedFactDeclaration")
    Table = apps.get_model("eligibility", "ReferenceTable")
    TableRow = apps.get_model("eligibility", "ReferenceTableRow")
    KnockOut = apps.get_model("eligibility", "KnockOut")
    Condition = apps.get_model("eligibility", "KnockOutCondition")
    for cs in CriteriaSet.objects.all():
        facts = []
        types = {}
        for f in Fact.objects.filter(criteria_set_id=cs.pk).order_by("order", "id"):
            d = {"name": f.name, "type": f.type}
            types[f.name] = f.type
            for key in ("label", "help"):
                if getattr(f, key):
                    d[key] = getattr(f, key)
            if _lines(f.choices):
                d["choices"] = [_value(c, f.type) for c in _lines(f.choices)]
            if _lines(f.choice_labels):
                d["choice_labels"] = _lines(f.choice_labels)
            for key in ("minimum", "maximum"):
                if getattr(f, key) is not None:
                    d[key] = _num(getattr(f, key))
            if f.default is not None:
                d["default"] = _value(f.default, f.type)
            if not f.improvable:
                d["improvable"] = False
            facts.append(d)
        derived = []
        for x in Derived.objects.filter(criteria_set_id=cs.pk).order_by("order", "id"):
            d = {"name": x.name, "op": x.op, "of": [n.strip() for n in x.of.split(",") if n.strip()]}
            if x.label:
                d["label"] = x.label
            derived.append(d)
            types[x.name] = "number"
        tables = []
        for t in Table.objects.filter(criteria_set_id=cs.pk).order_by("order", "id"):
            d = {"name": t.name}
            if t.label:
                d["label"] = t.label
            if t.own_rows:
                d["rows"] = {r.key: _value(r.value, None) for r in TableRow.objects.filter(table_id=t.pk).order_by("order", "id")}
            tables.append(d)
        knockouts = []
        for k in KnockOut.objects.filter(criteria_set_id=cs.pk).order_by("order", "id"):
            children = defaultdict(list)
            for r in Condition.objects.filter(knockout_id=k.pk).order_by("order", "id"):
                children[r.parent].append(r)

            def build(r, children=children, seen=frozenset()):
                if r.kind == "test":
                    out = {"fact": r.fact, "op": r.op}
                    if r.op not in NO_VALUE_OPS:
                        if r.value is None:
                            out["value"] = None
                        elif r.op in LIST_VALUE_OPS:
                            out["value"] = [_value(v.strip(), types.get(r.fact)) for v in r.value.split(",")]
                        else:
                            out["value"] = _value(r.value, types.get(r.fact))
                else:
                    kids = [] if not r.key or r.key in seen else children.get(r.key, [])
                    parts = [build(c, children, seen | {r.key}) for c in kids]
                    out = {"not": parts[0]} if r.kind == "not" and len(parts) == 1 else {r.kind: parts}
                if r.label:
                    out["label"] = r.label
                return out

            roots = [build(r) for r in children.get("", [])]
            d = {"id": k.key, "label": k.label, "condition": roots[0] if len(roots) == 1 else {"all": roots}}
            if k.help:
                d["help"] = k.help
            knockouts.append(d)
        meta = dict(cs.meta or {})
        for name in META_TEXT_FIELDS:
            if getattr(cs, name):
                meta[name] = getattr(cs, name)
        if cs.is_example:
            meta["example"] = True
        cs.facts, cs.derived, cs.tables, cs.knockouts, cs.meta = facts, derived, tables, knockouts, meta
        cs.save(update_fields=["facts", "derived", "tables", "knockouts", "meta"])
    # Children first, without the cascade collector (historical models have no lock check:
    # published sets' rows go too).
    for model in (Condition, KnockOut, TableRow, Table, Derived, Fact):
        model.objects.all()._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("eligibility", "0007_criteria_declarations_as_rows"),
    ]

    operations = [migrations.RunPython(forward, backward)]
