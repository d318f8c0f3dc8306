"""Migrations 0007-0009: criteria sets stored with JSON declarations become rows that export
the same JSON, and going back restores the JSON (published sets included)."""

import copy

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from eligibility.engine import CriteriaDefinition
from tests.eligibility.engine_helpers import fixture
from tests.eligibility.test_criteria_rows import SHAPES

BEFORE = [("eligibility", "0006_seed_kandas_regional_quotas_2026")]
# The latest migration: the code read below needs every table it knows (0011's translations too).
AFTER = None
DECLARATIONS = ("facts", "derived", "tables", "knockouts")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes("eligibility")
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _migrate_to_latest():
    """Back to every app's newest migration, not just AFTER: later migrations (0010 dropped
    columns) must be applied again, or the tests that follow meet an old schema."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _json_set(apps, data, version, status):
    """A criteria set as 0006 stored it: declarations in JSON columns, factors as rows
    (only what the declarations need: the factors themselves did not move)."""
    CriteriaSet = apps.get_model("eligibility", "CriteriaSet")
    d = CriteriaDefinition.from_dict(copy.deepcopy(data)).to_dict()
    return CriteriaSet.objects.create(
        product="skills_visa",
        version=version,
        status=status,
        code=d["code"],
        title=d["title"],
        pass_mark=d["pass_mark"],
        is_example=bool(d.get("meta", {}).get("example")),
        meta=d.get("meta", {}),
        **{k: d.get(k, []) for k in DECLARATIONS},
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_json_declarations_become_rows_and_come_back():
    sources = {1: fixture("kandas_card_example.json"), 2: fixture("ca_crs_single.json"), 3: SHAPES}
    try:
        old_apps = _migrate(BEFORE)
        for version, data in sources.items():
            _json_set(old_apps, data, version, "published" if version == 1 else "draft")

        _migrate(AFTER)
        from eligibility.definitions import definition_from_set
        from eligibility.models import CriteriaSet, KnockOutCondition

        for version, data in sources.items():
            cs = CriteriaSet.objects.get(product="skills_visa", version=version)
            got = definition_from_set(cs)
            expected = CriteriaDefinition.from_dict(copy.deepcopy(data))
            for name in (*DECLARATIONS, "meta"):
                assert getattr(got, name) == getattr(expected, name), (version, name)
        kandas = CriteriaSet.objects.get(version=1)
        assert kandas.status == "published" and kandas.source.startswith("Policy in DESIGN.md")
        assert KnockOutCondition.objects.filter(knockout__criteria_set=kandas, kind="any").count() == 1

        old_apps = _migrate(BEFORE)
        OldSet = old_apps.get_model("eligibility", "CriteriaSet")
        for version, data in sources.items():
            cs = OldSet.objects.get(product="skills_visa", version=version)
            d = CriteriaDefinition.from_dict(copy.deepcopy(data)).to_dict()
            for name in DECLARATIONS:
                assert getattr(cs, name) == d.get(name, []), (version, name)
            assert cs.meta == d.get("meta", {})
    finally:
        _migrate_to_latest()
