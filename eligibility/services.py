"""Writes for criteria sets, the compiled evaluators and the reference data behind lookups.

Scoring applications lives with them, in ``applications/scoring/`` (eligibility is policy only).

Every change to a criteria set goes through a function here and writes an audit event in
the same transaction (``portal.audit.record.audit_record``).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eligibility.definitions import definition_from_set, label_texts, set_from_definition
from eligibility.engine import (
    CriteriaDefinition,
    CriteriaError,
    DefinitionError,
    Evaluator,
    Issue,
    compile_criteria,
    schema_errors,
    validate_definition,
)
from eligibility.engine.validation import REFERENCE
from eligibility.models import CriteriaSet, LabelTranslation, Region, RegionYear, ScarceProfession
from eligibility.products import is_known_product, known_products, produced_facts
from portal.audit.record import audit_record
from portal.inputs import hostile_fields

SCARCE_TABLE = "scarce_professions"
REGIONS_TABLE = "labour_deficient_regions"


# --------------------------------------------------------------------------- reference tables


def reference_tables(year: int | None = None) -> dict[str, dict[str, Any]]:
    """Rows of the database-backed lookup tables for ``year`` (default: this year).

    ``scarce_professions``: ISCO code -> priority 1..3 from the latest rating year not after
    ``year``. ``labour_deficient_regions``: ISO region code -> flag for that year, falling
    back to the region's resettlement designation when no yearly row exists."""
    year = year or timezone.localdate().year
    rating_year = ScarceProfession.objects.filter(year__lte=year).aggregate(y=Max("year"))["y"]
    scarce = (
        dict(ScarceProfession.objects.filter(year=rating_year).values_list("occupation_id", "priority"))
        if rating_year
        else {}
    )
    regions = {r.code: r.is_labour_deficient for r in Region.objects.all()}
    regions.update(dict(RegionYear.objects.filter(year=year).values_list("region_id", "labour_deficient")))
    return {SCARCE_TABLE: scarce, REGIONS_TABLE: regions}


# --------------------------------------------------------------------------- compile


def _knockouts_without_conditions(data: dict[str, Any]) -> list[Issue]:
    """Knock-outs added in the admin whose conditions are not entered yet (rows compile to an
    empty "all"): saved while drafting, named here so publishing says what is missing."""
    return [
        Issue(f"knock-out {k['id']}", "has no conditions yet: open it and add them", f"knockouts[{i}].condition")
        for i, k in enumerate(data.get("knockouts", []))
        if k["condition"] == {"all": []}
    ]


def criteria_set_issues(cs: CriteriaSet) -> list[Issue]:
    """Every problem that would stop this set from compiling, each naming its subject."""
    definition = definition_from_set(cs)
    data = definition.to_dict()
    empty = _knockouts_without_conditions(data)
    if empty:
        return empty
    errors = schema_errors(data)
    if errors:
        return [Issue("criteria set", e.message, e.path) for e in errors]
    issues = validate_definition(definition)
    if not issues:
        try:
            compile_criteria(definition, reference_tables())
        except CriteriaError as exc:
            issues = exc.issues
    return issues + unproduced_fact_issues(definition, cs.product) + missing_translation_issues(definition)


# Publishing is refused while a text lacks one of these: Kazakh and Russian are the state and
# official languages, and a Kazakh page falls back to Russian (eligibility.display); Uzbek and
# Chinese pages fall back to English, so a gap there is shown in the admin but allowed.
REQUIRED_LANGUAGES = ("kk", "ru")


def missing_translations(definition: CriteriaDefinition, languages: tuple[str, ...]) -> dict[str, list[str]]:
    """{language: texts of the set without a translation into it}, languages with gaps only."""
    texts = label_texts(definition)
    gaps = {code: [t for t in texts if not definition.translations.get(t, {}).get(code)] for code in languages}
    return {code: missing for code, missing in gaps.items() if missing}


def missing_translation_issues(definition: CriteriaDefinition) -> list[Issue]:
    """One issue per required language with untranslated texts, naming the first few."""
    names = {"kk": _("Kazakh"), "ru": _("Russian")}
    issues = []
    for code, texts in missing_translations(definition, REQUIRED_LANGUAGES).items():
        shown = "; ".join(f"“{t}”" for t in texts[:3]) + ("…" if len(texts) > 3 else "")
        issues.append(
            Issue(
                _("translations"),
                ngettext(
                    "%(count)d text has no %(language)s translation (%(texts)s): "
                    "add it under “Translations of the texts”",
                    "%(count)d texts have no %(language)s translation (%(texts)s): "
                    "add them under “Translations of the texts”",
                    len(texts),
                )
                % {"count": len(texts), "language": names[code], "texts": shown},
                "translations",
            )
        )
    return issues


def unproduced_fact_issues(definition: CriteriaDefinition, product: str) -> list[Issue]:
    """Factors, knock-outs and derived facts that read a fact the product's application never
    produces (its declared facts, applications/products/), each named: such a factor would
    score every applicant the same, and the self-check would offer points no one can earn."""
    produced = produced_facts(product)
    if produced is None:
        return [Issue("criteria set", f"no product module declares the facts of {product!r}")]
    derived = {d.name for d in definition.derived}
    readers: list[tuple[str, str, tuple[str, ...]]] = [
        *((f"factor {f.id}", f"factors[{i}]", f.facts()) for i, f in enumerate(definition.factors)),
        *((f"knock-out {k.id}", f"knockouts[{i}]", k.condition.facts()) for i, k in enumerate(definition.knockouts)),
        *((f"derived fact {d.name}", f"derived[{i}]", d.of) for i, d in enumerate(definition.derived)),
    ]
    return [
        Issue(subject, f"reads the fact {name!r}, which the {product} application never produces", path)
        for subject, path, names in readers
        for name in names
        if name not in produced and name not in derived
    ]


_DECLARATION_LISTS = {"facts": "fact", "derived": "derived fact", "tables": "table", "knockouts": "knock-out"}


def criteria_set_declaration_issues(cs: CriteriaSet) -> list[Issue]:
    """Problems the admin refuses at save: in the declarations (facts, derived facts, tables,
    knock-outs) and in what factors refer to (unknown facts, missing tables). Other problems
    (a gap between bands, an unreachable pass mark) only stop publishing."""
    definition = definition_from_set(cs)
    data = definition.to_dict()
    issues: list[Issue] = []
    pending = {issue.path.split(".")[0] for issue in _knockouts_without_conditions(data)}
    for err in schema_errors(data):
        match = re.match(r"^(facts|derived|tables|knockouts)\[(\d+)\]", err.path)
        if match and match.group(0) not in pending:
            item = data[match.group(1)][int(match.group(2))]
            name = item.get("id") or item.get("name")
            issues.append(Issue(f"{_DECLARATION_LISTS[match.group(1)]} {name}", err.message, err.path))
    for issue in validate_definition(definition):
        if issue.kind == REFERENCE or issue.subject.startswith(("fact ", "derived fact ", "knock-out ")):
            issues.append(issue)
    portal_tables = {SCARCE_TABLE, REGIONS_TABLE}
    for i, table in enumerate(definition.tables):
        if table.rows is None and table.name not in portal_tables:
            issues.append(
                Issue(
                    f"table {table.name}",
                    "has no rows of its own and is not one of the portal's tables "
                    f"({', '.join(sorted(portal_tables))})",
                    f"tables[{i}]",
                )
            )
    return issues


_EVALUATORS: dict[tuple[Any, ...], Evaluator] = {}
_EVALUATOR_CACHE_SIZE = 64


def _set_identity(cs: CriteriaSet) -> tuple[Any, ...]:
    """What tells one published set from another even when a database is reset and its id is
    reused (a test database, a restored backup): the id alone would serve a stale evaluator.
    A published set never changes, so its product, version and timestamps pin its content."""
    return (cs.pk, cs.product, cs.version, cs.created_at, cs.published_at)


def evaluator_for(cs: CriteriaSet, *, year: int | None = None) -> Evaluator:
    """Compiled evaluator for a set with the reference tables of ``year``.

    Published and retired sets never change, so their evaluators are cached; the key names
    the set by its identity (``_set_identity``) and includes a fingerprint of the reference
    rows, so an imported rating or an edited region flag is picked up on the next call (in
    every process). Drafts are compiled afresh."""
    year = year or timezone.localdate().year
    tables = reference_tables(year)
    if cs.status == CriteriaSet.Status.DRAFT:
        return compile_criteria(definition_from_set(cs), tables)
    fingerprint = hash(tuple((name, tuple(sorted(rows.items()))) for name, rows in sorted(tables.items())))
    key = (*_set_identity(cs), year, fingerprint)
    evaluator = _EVALUATORS.get(key)
    if evaluator is None:
        evaluator = compile_criteria(definition_from_set(cs), tables)
        if len(_EVALUATORS) >= _EVALUATOR_CACHE_SIZE:
            _EVALUATORS.clear()
        _EVALUATORS[key] = evaluator
    return evaluator


def published_set(product: str, on: datetime.date | None = None) -> CriteriaSet | None:
    """The set in force for a product on ``on``: the published set with the latest effective
    date up to that day, else the latest undated one (same rule as the submission uses,
    ``applications.services.criteria_set_in_force``)."""
    on = on or timezone.localdate()
    published = CriteriaSet.objects.filter(product=product, status=CriteriaSet.Status.PUBLISHED)
    return (
        published.filter(effective_from__lte=on).order_by("-effective_from", "-version").first()
        or published.filter(effective_from__isnull=True).order_by("-version").first()
    )


def products_with_published_set(on: datetime.date | None = None) -> set[str]:
    """The products ``published_set`` finds a set for on ``on``, in one query (the start page)."""
    on = on or timezone.localdate()
    return set(
        CriteriaSet.objects.filter(status=CriteriaSet.Status.PUBLISHED)
        .filter(Q(effective_from__lte=on) | Q(effective_from__isnull=True))
        .values_list("product", flat=True)
        .distinct()
    )


# --------------------------------------------------------------------------- lifecycle


def _snapshot(cs: CriteriaSet) -> dict[str, Any]:
    return {"product": cs.product, "version": cs.version, "status": cs.status, "pass_mark": cs.pass_mark}


@transaction.atomic
def criteria_set_publish(*, criteria_set: CriteriaSet, actor: Any) -> CriteriaSet:
    """Publish a draft: refuse it if any problem remains; retire the set it replaces."""
    sets = list(CriteriaSet.objects.select_for_update().filter(product=criteria_set.product).order_by("pk"))
    cs = next(s for s in sets if s.pk == criteria_set.pk)
    if cs.status != CriteriaSet.Status.DRAFT:
        raise CriteriaError([Issue("criteria set", f"only a draft can be published; this one is {cs.status}")])
    issues = criteria_set_issues(cs)
    if issues:
        raise CriteriaError(issues)
    now = timezone.now()
    # A set that takes effect now retires the published ones it replaces; one dated in the
    # future leaves them in force until its date (the in-force rule picks by effective date).
    takes_effect_now = cs.effective_from is None or cs.effective_from <= timezone.localdate()
    for old in sets:
        if old.status == CriteriaSet.Status.PUBLISHED and takes_effect_now and old.pk != cs.pk:
            old.status, old.retired_at = CriteriaSet.Status.RETIRED, now
            old.save(update_fields=["status", "retired_at"])
            audit_record(
                actor=actor,
                action="criteria.retire",
                obj=old,
                from_state="published",
                to_state="retired",
                reason=f"replaced by v{cs.version}",
                snapshot=_snapshot(old),
            )
    cs.status, cs.published_at = CriteriaSet.Status.PUBLISHED, now
    cs.save(update_fields=["status", "published_at"])
    audit_record(
        actor=actor, action="criteria.publish", obj=cs, from_state="draft", to_state="published", snapshot=_snapshot(cs)
    )
    return cs


def _next_version(product: str) -> int:
    return (CriteriaSet.objects.filter(product=product).aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def criteria_set_new_draft(*, criteria_set: CriteriaSet, actor: Any) -> CriteriaSet:
    """ "Edit" of any set: a new draft version copying every row, linked to the original."""
    # Lock the product's sets so two admins cannot take the same version number.
    list(CriteriaSet.objects.select_for_update().filter(product=criteria_set.product))
    definition = definition_from_set(criteria_set)
    draft = set_from_definition(
        definition,
        product=criteria_set.product,
        version=_next_version(criteria_set.product),
        created_by=actor,
        previous=criteria_set,
        effective_from=criteria_set.effective_from,
        notes=criteria_set.notes,
    )
    audit_record(
        actor=actor,
        action="criteria.new_draft",
        obj=draft,
        to_state="draft",
        reason=f"copied from v{criteria_set.version}",
        snapshot=_snapshot(draft),
    )
    return draft


@transaction.atomic
def criteria_set_import(*, data: Any, actor: Any, product: str | None = None) -> CriteriaSet:
    """Create a draft from exported JSON. Raises ``DefinitionError`` (bad field, with its
    path) or ``CriteriaError`` (every problem, naming the factor); writes nothing then."""
    # A NUL or lone surrogate in any text cannot be stored (portal.inputs): refused with its path,
    # for the admin's file import as for the API's.
    hostile = hostile_fields(data)
    if hostile:
        path, [message] = next(iter(hostile.items()))
        raise DefinitionError(path, message)
    definition = CriteriaDefinition.from_dict(data)
    issues = validate_definition(definition)
    if issues:
        raise CriteriaError(issues)
    product = product or definition.product
    if not is_known_product(product):
        raise DefinitionError("product", f"unknown product {product!r}; one of {', '.join(known_products())}")
    list(CriteriaSet.objects.select_for_update().filter(product=product))
    version = definition.version
    if version is None or CriteriaSet.objects.filter(product=product, version=version).exists():
        version = _next_version(product)
    cs = set_from_definition(definition, product=product, version=version, created_by=actor)
    audit_record(actor=actor, action="criteria.import", obj=cs, to_state="draft", snapshot=_snapshot(cs))
    return cs


@transaction.atomic
def criteria_set_sync_labels(*, criteria_set: CriteriaSet) -> None:
    """Give each text of a draft a translation row, and drop the rows of texts no longer used
    (a label edited in the admin starts untranslated: the old wording's translation no longer
    fits). Called after every admin save of the set's rows; audited with that save."""
    if not criteria_set.is_editable:
        return
    texts = label_texts(definition_from_set(criteria_set))
    rows = LabelTranslation.objects.filter(criteria_set=criteria_set)
    known = set(rows.values_list("source", flat=True))
    # Queryset delete and bulk_create skip the rows' lock check: the set is a draft (checked above).
    rows.exclude(source__in=texts).delete()
    LabelTranslation.objects.bulk_create(
        [LabelTranslation(criteria_set=criteria_set, source=t) for t in texts if t not in known]
    )


def criteria_set_export(cs: CriteriaSet) -> dict[str, Any]:
    return definition_from_set(cs).to_dict()


def criteria_set_audit_change(*, criteria_set: CriteriaSet, actor: Any, what: str) -> None:
    """Record an edit made in the admin (rows of a draft)."""
    audit_record(actor=actor, action="criteria.change", obj=criteria_set, reason=what, snapshot=_snapshot(criteria_set))
