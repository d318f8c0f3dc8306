"""Facts, derived facts, reference tables and knock-outs are rows an admin edits (no JSON):
they compile into the same definition the engine got from JSON, round-trip through export and
import, lock with their set, and the admin refuses bad ones naming the factor or knock-out."""

import copy
import json

import pytest
from django.urls import reverse

from eligibility.definitions import definition_from_set
from eligibility.engine import CriteriaDefinition
from eligibility.models import (
    CriteriaSet,
    CriteriaSetLocked,
    DerivedFactDeclaration,
    FactDeclaration,
    Factor,
    KnockOut,
    KnockOutCondition,
    ReferenceTable,
    ReferenceTableRow,
)
from eligibility.services import (
    criteria_set_export,
    criteria_set_import,
    criteria_set_issues,
    criteria_set_new_draft,
)
from portal.audit.models import AuditEvent
from tests.eligibility.conftest import admin_messages
from tests.eligibility.db_helpers import change_form_data, seed_set
from tests.eligibility.engine_helpers import criteria, fixture

pytestmark = pytest.mark.django_db

# Every declaration shape the JSON allows that the fixtures do not all use: typed defaults and
# choices, a derived fact, a table with its own rows, "not", labels inside a condition tree,
# "in" with a list, meta keys without a field of their own and an explicit example=false.
SHAPES = criteria(
    pass_mark=None,
    facts=[
        {"name": "age", "type": "integer", "label": "Age", "minimum": 16, "maximum": 100, "improvable": False},
        {"name": "score_a", "type": "number", "default": 2.5},
        {"name": "score_b", "type": "number", "default": 0},
        {"name": "banned", "type": "boolean", "default": False, "help": "Entry ban"},
        {"name": "level", "type": "integer", "choices": [1, 2, 3], "choice_labels": ["Low", "Mid", "High"]},
        {"name": "sector", "type": "string", "choices": ["it", "science"], "default": "it"},
        {"name": "occupation", "type": "string"},
    ],
    derived=[{"name": "best", "op": "max", "of": ["score_b", "score_a"], "label": "Best score"}],
    tables=[
        {"name": "own", "label": "Own rows", "rows": {"0110": 3, "2211": 1, "x": True, "y": "text", "z": 2.5}},
        {"name": "scarce_professions"},
    ],
    factors=[
        {"id": "best", "kind": "bands", "fact": "best", "bands": [{"min": None, "max": None, "points": 1}]},
        {
            "id": "occupation",
            "kind": "lookup",
            "fact": "occupation",
            "table": "own",
            "choices": [{"value": 1, "points": 5}, {"value": 3, "points": 1}],
        },
    ],
    knockouts=[
        {"id": "not_banned", "label": "No entry ban", "condition": {"not": {"fact": "banned", "op": "is_true"}}},
        {
            "id": "either",
            "label": "Either track",
            "help": "One of the two",
            "condition": {
                "any": [
                    {
                        "all": [
                            {"fact": "sector", "op": "in", "value": ["it", "science"]},
                            {"fact": "age", "op": "lt", "value": 50, "label": "under 50"},
                        ],
                        "label": "young specialist",
                    },
                    {"fact": "level", "op": "gte", "value": 3},
                ],
                "label": "track",
            },
        },
        {"id": "given", "label": "Age given", "condition": {"fact": "age", "op": "present"}},
    ],
    meta={"example": False, "source": "Order No. 1", "version_note": "v1", "reviewed_by": ["x"], "year": 2026},
)


def _import(data, product="skills_visa"):
    return criteria_set_import(data=copy.deepcopy(data), actor=None, product=product)


@pytest.mark.parametrize(
    "data",
    [SHAPES, *(fixture(n) for n in ("kandas_card_example.json", "ca_crs_single.json", "jp_hsp_b.json"))],
    ids=["shapes", "kandas", "crs", "jp"],
)
def test_rows_compile_to_the_definition_the_json_gave(data):
    cs = _import(data)
    expected = CriteriaDefinition.from_dict(copy.deepcopy(data))
    got = definition_from_set(cs)
    # Same engine definition field by field (product/version come from the row).
    for name in ("facts", "derived", "tables", "groups", "factors", "knockouts", "meta", "pass_mark", "cap", "code"):
        assert getattr(got, name) == getattr(expected, name), name
    exported = criteria_set_export(cs)
    again = _import(json.loads(json.dumps(exported)))
    assert criteria_set_export(again) == {**exported, "version": again.version}


def test_declarations_are_rows_not_json():
    cs = _import(SHAPES)
    assert list(FactDeclaration.objects.filter(criteria_set=cs).values_list("name", flat=True))[:2] == [
        "age",
        "score_a",
    ]
    level = FactDeclaration.objects.get(criteria_set=cs, name="level")
    assert (level.choices, level.choice_labels) == ("1\n2\n3", "Low\nMid\nHigh")
    assert DerivedFactDeclaration.objects.get(criteria_set=cs).of == "score_b,score_a"
    assert dict(ReferenceTableRow.objects.filter(table__name="own").values_list("key", "value")) == {
        "0110": "3",
        "2211": "1",
        "x": "true",
        "y": "text",
        "z": "2.5",
    }
    rows = KnockOutCondition.objects.filter(knockout__key="either").order_by("order")
    assert [(r.kind, r.key, r.parent, r.fact, r.op, r.value) for r in rows] == [
        ("any", "any1", "", "", "", None),
        ("all", "all2", "any1", "", "", None),
        ("test", "", "all2", "sector", "in", "it,science"),
        ("test", "", "all2", "age", "lt", "50"),
        ("test", "", "any1", "level", "gte", "3"),
    ]
    cs.refresh_from_db()
    assert (cs.source, cs.version_note, cs.is_example) == ("Order No. 1", "v1", False)
    assert cs.meta == {"example": False, "reviewed_by": ["x"], "year": 2026}


def test_new_draft_copies_every_declaration_row(criteria_admin):
    v1 = seed_set("kandas_card")
    draft = criteria_set_new_draft(criteria_set=v1, actor=criteria_admin)
    for model in (FactDeclaration, ReferenceTable, KnockOut):
        assert model.objects.filter(criteria_set=draft).count() == model.objects.filter(criteria_set=v1).count() > 0
    assert KnockOutCondition.objects.filter(knockout__criteria_set=draft).count() == 9
    assert {**criteria_set_export(draft), "version": v1.version} == criteria_set_export(v1)


def test_declaration_rows_of_a_published_set_are_locked():
    cs = seed_set("kandas_card")
    fact = FactDeclaration.objects.filter(criteria_set=cs).first()
    fact.label = "changed"
    with pytest.raises(CriteriaSetLocked):
        fact.save()
    condition = KnockOutCondition.objects.filter(knockout__criteria_set=cs).first()
    with pytest.raises(CriteriaSetLocked):
        condition.delete()
    with pytest.raises(CriteriaSetLocked):
        KnockOut.objects.filter(criteria_set=cs).first().delete()


# --------------------------------------------------------------------------- admin


def test_add_page_saves_a_set_with_its_declarations(admin_client, criteria_admin):
    url = reverse("admin:eligibility_criteriaset_add")
    response = admin_client.get(url)
    assert response.status_code == 200
    prefixes = [f.formset.prefix for f in response.context["inline_admin_formsets"]]
    assert prefixes == [
        "declared_facts",
        "derived_facts",
        "reference_tables",
        "knock_outs",
        "groups",
        "factors",
        "label_translations",
    ]
    html = response.content.decode()
    assert 'name="facts"' not in html and 'name="knockouts"' not in html  # no JSON boxes
    data = change_form_data(response)
    data.update(
        {
            "product": "skills_visa",
            "version": 7,
            "title": "Typed in the admin",
            "source": "Order No. 2",
            "declared_facts-TOTAL_FORMS": 2,
            "declared_facts-0-name": "years",
            "declared_facts-0-type": "number",
            "declared_facts-0-improvable": "on",
            "declared_facts-0-order": 0,
            "declared_facts-1-name": "sector",
            "declared_facts-1-type": "string",
            "declared_facts-1-choices": "it\r\nscience",
            "declared_facts-1-choice_labels": "IT\r\nScience",
            "declared_facts-1-default": "it",
            "declared_facts-1-improvable": "on",
            "declared_facts-1-order": 1,
            "reference_tables-TOTAL_FORMS": 1,
            "reference_tables-0-name": "scarce_professions",
            "reference_tables-0-order": 0,
            "knock_outs-TOTAL_FORMS": 1,
            "knock_outs-0-key": "sector",
            "knock_outs-0-label": "Work in a valued sector",
            "knock_outs-0-order": 0,
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    cs = CriteriaSet.objects.get(version=7)
    assert cs.source == "Order No. 2"
    sector = FactDeclaration.objects.get(criteria_set=cs, name="sector")
    assert definition_from_set(cs).fact_spec("sector").choices == ("it", "science")
    assert sector.default == "it"
    assert KnockOut.objects.get(criteria_set=cs).key == "sector"
    # Its conditions are entered on the knock-out's own page; until then publishing says so.
    assert [str(i) for i in criteria_set_issues(cs)] == [
        "knock-out sector: has no conditions yet: open it and add them"
    ]
    assert AuditEvent.objects.filter(action="criteria.change", object_id=str(cs.pk), actor=criteria_admin).exists()


def test_change_page_posts_back_unchanged_and_export_is_the_same(admin_client):
    cs = seed_set("kandas_card", publish=False)
    before = criteria_set_export(cs)
    url = reverse("admin:eligibility_criteriaset_change", args=[cs.pk])
    response = admin_client.post(url, change_form_data(admin_client.get(url)))
    assert response.status_code == 302, admin_messages(response)
    assert criteria_set_export(cs) == before


def test_derived_fact_lists_the_facts_as_choices_and_saves(admin_client):
    cs = _import(fixture("ca_crs_single.json"))
    url = reverse("admin:eligibility_criteriaset_change", args=[cs.pk])
    response = admin_client.get(url)
    derived = next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "derived_facts")
    options = dict(derived.formset.forms[0].fields["of"].choices)
    assert "fol_speaking" in options and "age" in options
    data = change_form_data(response)
    data["derived_facts-0-of"] = ["fol_speaking", "fol_listening"]
    assert admin_client.post(url, data).status_code == 302
    assert DerivedFactDeclaration.objects.get(criteria_set=cs).of == "fol_speaking,fol_listening"


def test_removing_a_fact_a_factor_reads_is_refused_naming_the_factor(admin_client):
    cs = seed_set("kandas_card", publish=False)
    url = reverse("admin:eligibility_criteriaset_change", args=[cs.pk])
    response = admin_client.get(url)
    data = change_form_data(response)
    facts = next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "declared_facts")
    index = next(i for i, f in enumerate(facts.formset.forms) if f.instance.name == "experience_years")
    data[f"declared_facts-{index}-DELETE"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the page again, with what was typed
    html = response.content.decode()
    assert "factor experience: reads unknown fact &#x27;experience_years&#x27;" in html
    assert "knock-out track: reads unknown fact &#x27;experience_years&#x27;" in html
    assert "Nothing was saved." in html
    assert FactDeclaration.objects.filter(criteria_set=cs, name="experience_years").exists()


def test_table_not_in_the_portal_and_without_rows_is_refused(admin_client):
    cs = seed_set("kandas_card", publish=False)
    url = reverse("admin:eligibility_criteriaset_change", args=[cs.pk])
    data = change_form_data(admin_client.get(url))
    data["reference_tables-0-name"] = "scarce_profesions"
    html = admin_client.post(url, data).content.decode()
    assert "factor scarce_profession: looks up table &#x27;scarce_professions&#x27;, which does not exist" in html
    assert "table scarce_profesions: has no rows of its own" in html
    assert ReferenceTable.objects.filter(criteria_set=cs, name="scarce_professions").exists()


def test_factor_table_is_a_dropdown_of_the_sets_tables(admin_client):
    cs = seed_set("kandas_card", publish=False)
    factor = Factor.objects.get(criteria_set=cs, kind="lookup", table="scarce_professions")
    response = admin_client.get(reverse("admin:eligibility_factor_change", args=[factor.pk]))
    html = response.content.decode()
    assert '<select name="table"' in html and '<option value="labour_deficient_regions">' in html
    assert '<select name="fact"' in html and '<option value="occupation_code" selected>' in html


def _knockout_page(admin_client, cs, key):
    ko = KnockOut.objects.get(criteria_set=cs, key=key)
    url = reverse("admin:eligibility_knockout_change", args=[ko.pk])
    return ko, url, admin_client.get(url)


def test_either_or_knockout_edits_as_rows_with_dropdowns(admin_client, criteria_admin):
    cs = seed_set("kandas_card", publish=False)
    ko, url, response = _knockout_page(admin_client, cs, "track")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<select name="conditions-0-kind"' in html and '<option value="any" selected>' in html
    assert '<select name="conditions-2-fact"' in html and '<option value="gte"' in html
    data = change_form_data(response)
    # Raise the professional track's minimum experience from 3 to 5 years.
    index = next(i for i in range(9) if data.get(f"conditions-{i}-fact") == "experience_years")
    data[f"conditions-{index}-value"] = "5"
    assert admin_client.post(url, data).status_code == 302
    track = next(k for k in definition_from_set(cs).knockouts if k.id == "track")
    assert track.condition.any[0].all[1].value == 5
    assert AuditEvent.objects.filter(action="criteria.change", reason__contains="knockout track").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"parent": ""}, "Knock-out track: exactly one condition must not be part of another (there are 2)."),
        ({"parent": "nowhere"}, "Knock-out track: &#x27;nowhere&#x27; is not the key of an all of / any of / not row."),
        ({"value": ""}, "Knock-out track: the test on experience_years needs a value."),
    ],
)
def test_malformed_knockout_rows_are_refused_naming_the_knockout(admin_client, change, message):
    cs = seed_set("kandas_card", publish=False)
    ko, url, response = _knockout_page(admin_client, cs, "track")
    data = change_form_data(response)
    index = next(i for i in range(9) if data.get(f"conditions-{i}-fact") == "experience_years")
    data.update({f"conditions-{index}-{k}": v for k, v in change.items()})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_knockout_reading_an_unknown_fact_is_refused(admin_client):
    cs = seed_set("kandas_card", publish=False)
    ko, url, response = _knockout_page(admin_client, cs, "ethnic_kazakh")
    data = change_form_data(response)
    data["conditions-0-fact"] = "ethnic_kazak_proof"
    html = admin_client.post(url, data).content.decode()
    assert "knock-out ethnic_kazakh: reads unknown fact &#x27;ethnic_kazak_proof&#x27;" in html
    assert KnockOutCondition.objects.get(knockout=ko).fact == "ethnic_kazakh_proof"


def test_published_knockout_is_read_only(admin_client):
    cs = seed_set("kandas_card")
    ko, url, response = _knockout_page(admin_client, cs, "track")
    assert response.status_code == 200 and response.context["has_change_permission"] is False
    assert admin_client.post(url, {}).status_code == 403


def test_new_and_requirement_is_built_in_one_save_and_scores(admin_client):
    """ "Ethnic-Kazakh proof AND a citizenship other than Kazakhstan's" as one knock-out."""
    from eligibility.services import evaluator_for
    from tests.eligibility.db_helpers import kandas_facts

    cs = seed_set("kandas_card", publish=False)
    url = reverse("admin:eligibility_criteriaset_change", args=[cs.pk])
    data = change_form_data(admin_client.get(url))
    n = int(data["knock_outs-TOTAL_FORMS"])
    data.update(
        {
            "knock_outs-TOTAL_FORMS": n + 1,
            f"knock_outs-{n}-key": "kazakh_abroad",
            f"knock_outs-{n}-label": "An ethnic Kazakh living abroad",
            f"knock_outs-{n}-order": n,
        }
    )
    assert admin_client.post(url, data).status_code == 302
    ko, ko_url, response = _knockout_page(admin_client, cs, "kazakh_abroad")
    assert 'list="id_conditions-__prefix__-parent-options"' in response.content.decode()
    data = change_form_data(response)
    rows = [
        {"kind": "all", "key": "both"},
        {"kind": "test", "parent": "both", "fact": "ethnic_kazakh_proof", "op": "is_true"},
        {"kind": "test", "parent": "both", "fact": "citizenship", "op": "ne", "value": "KZ"},
    ]
    data["conditions-TOTAL_FORMS"] = len(rows)
    for i, row in enumerate(rows):
        data.update({f"conditions-{i}-{k}": v for k, v in {"order": i, **row}.items()})
    response = admin_client.post(ko_url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    condition = next(k for k in criteria_set_export(cs)["knockouts"] if k["id"] == "kazakh_abroad")["condition"]
    assert condition == {
        "all": [
            {"fact": "ethnic_kazakh_proof", "op": "is_true"},
            {"fact": "citizenship", "op": "ne", "value": "KZ"},
        ]
    }
    evaluator = evaluator_for(cs)
    outcome = {k.knockout: k.outcome for k in evaluator.evaluate(kandas_facts()).knockouts}
    assert outcome["kazakh_abroad"] == "passed"
    outcome = {k.knockout: k.outcome for k in evaluator.evaluate(kandas_facts(citizenship="KZ")).knockouts}
    assert outcome["kazakh_abroad"] == "failed"


def test_reading_a_set_takes_a_bounded_number_of_queries(django_assert_max_num_queries):
    # Groups, factors (+4 prefetches), facts, derived facts, tables (+rows), knock-outs
    # (+conditions), the texts' translations: thirteen at most, whether the set has 7 facts or
    # the CRS's 18.
    for data in (SHAPES, fixture("ca_crs_single.json"), fixture("kandas_card_example.json")):
        cs = _import(data)
        with django_assert_max_num_queries(13):
            definition_from_set(cs)
