"""Criteria sets in the database: versions, publish/retire, immutability, audit, JSON round-trip."""

import json

import pytest

from eligibility.definitions import definition_from_set
from eligibility.engine import CriteriaDefinition, CriteriaError, DefinitionError
from eligibility.models import Band, CriteriaSet, CriteriaSetLocked, Factor
from eligibility.services import (
    criteria_set_export,
    criteria_set_import,
    criteria_set_issues,
    criteria_set_new_draft,
    criteria_set_publish,
)
from portal.audit.models import AuditEvent
from tests.eligibility.db_helpers import seed_set
from tests.eligibility.engine_helpers import fixture

pytestmark = pytest.mark.django_db


ALL_FIXTURES = ["kandas_card_example.json", "skills_visa_example.json", "ca_crs_single.json", "jp_hsp_b.json"]


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_json_import_then_export_is_lossless(name):
    data = fixture(name)
    cs = criteria_set_import(data=json.loads(json.dumps(data)), actor=None, product="skills_visa")
    exported = criteria_set_export(cs)
    expected = CriteriaDefinition.from_dict(data).to_dict()
    expected["product"], expected["version"] = "skills_visa", cs.version
    assert exported == expected


def test_publishing_retires_the_previous_version_and_audits_both(criteria_admin):
    v1 = seed_set("kandas_card")
    v2 = criteria_set_new_draft(criteria_set=v1, actor=criteria_admin)
    assert (v2.version, v2.status, v2.previous_id) == (v1.version + 1, "draft", v1.pk)
    criteria_set_publish(criteria_set=v2, actor=criteria_admin)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == ("retired", "published")
    events = AuditEvent.objects.filter(object_type="eligibility.criteriaset").order_by("pk")
    actions = list(events.values_list("action", "object_id"))
    assert ("criteria.new_draft", str(v2.pk)) in actions
    assert ("criteria.retire", str(v1.pk)) in actions
    assert ("criteria.publish", str(v2.pk)) in actions
    assert AuditEvent.objects.get(action="criteria.retire").actor == criteria_admin


def test_published_set_and_its_rows_cannot_change():
    cs = seed_set("kandas_card")
    cs.pass_mark = 1
    with pytest.raises(CriteriaSetLocked):
        cs.save()
    band = Band.objects.filter(factor__criteria_set=cs).first()
    band.points = 99
    with pytest.raises(CriteriaSetLocked):
        band.save()
    with pytest.raises(CriteriaSetLocked):
        Factor.objects.filter(criteria_set=cs).first().delete()
    with pytest.raises(CriteriaSetLocked):
        cs.delete()


def test_new_draft_copies_every_row_and_scores_the_same():
    v1 = seed_set("skills_visa")
    v2 = criteria_set_new_draft(criteria_set=v1, actor=None)
    a, b = definition_from_set(v1).to_dict(), definition_from_set(v2).to_dict()
    assert a.pop("version") != b.pop("version")
    assert a == b


def test_import_refuses_a_bad_definition_naming_the_factor_and_writes_nothing():
    data = fixture("kandas_card_example.json")
    data["factors"][1]["bands"][1]["min"] = 2  # overlaps the first band [0, 3)
    with pytest.raises(CriteriaError) as err:
        criteria_set_import(data=data, actor=None)
    assert "factor experience: bands 0 to under 3 and 2 to under 5 overlap" in str(err.value)
    assert not CriteriaSet.objects.exists()


def test_import_refuses_malformed_json_naming_the_field():
    data = fixture("kandas_card_example.json")
    data["factors"][0]["choices"][0]["points"] = "ten"
    with pytest.raises(DefinitionError) as err:
        criteria_set_import(data=data, actor=None)
    assert err.value.path == "factors[0].choices[0].points"


def test_publish_refuses_a_draft_with_problems():
    cs = seed_set("kandas_card", publish=False)
    factor = Factor.objects.get(criteria_set=cs, key="experience")
    Band.objects.create(factor=factor, min=1, max=2, points=3)  # overlaps
    issues = criteria_set_issues(cs)
    assert any(i.subject == "factor experience" and "overlap" in i.message for i in issues)
    with pytest.raises(CriteriaError):
        criteria_set_publish(criteria_set=cs, actor=None)
    cs.refresh_from_db()
    assert cs.status == "draft"


def test_a_set_effective_now_replaces_the_published_one():
    seed_set("kandas_card")
    seed_set("kandas_card")
    assert CriteriaSet.objects.filter(product="kandas_card", status="published").count() == 1


def test_a_future_dated_set_leaves_the_current_one_in_force_until_its_date():
    import datetime

    from eligibility.services import published_set

    current = seed_set("kandas_card")
    future = seed_set("kandas_card", publish=False)
    CriteriaSet.objects.filter(pk=future.pk).update(effective_from=datetime.date(2099, 1, 1))
    future.refresh_from_db()
    criteria_set_publish(criteria_set=future, actor=None)
    current.refresh_from_db()
    assert current.status == "published"
    assert published_set("kandas_card") == current
    assert published_set("kandas_card", on=datetime.date(2099, 1, 1)) == future
