"""JSON form of a criteria set: schema-checked, errors name the bad field, round-trip lossless."""

import copy
import json

import pytest

from eligibility.engine import CriteriaDefinition, DefinitionError, schema_errors
from tests.eligibility.engine_helpers import fixture
from tests.eligibility.test_caps import NESTED
from tests.eligibility.test_factor_kinds import LOOKUP, MATRIX
from tests.eligibility.test_knockouts import KANDAS

ALL = {
    "ca_crs_single": fixture("ca_crs_single.json"),
    "jp_hsp_b": fixture("jp_hsp_b.json"),
    "nested_caps": NESTED,
    "lookup": {**LOOKUP, "tables": [{"name": "scarce_professions", "label": "Rating", "rows": {"2211": 1, "0110": 3}}]},
    "matrix": MATRIX,
    "knockouts": KANDAS,
}


@pytest.mark.parametrize("name", ALL)
def test_round_trip_through_json_is_lossless(name):
    data = ALL[name]
    definition = CriteriaDefinition.from_dict(copy.deepcopy(data))
    text = json.dumps(definition.to_dict(), ensure_ascii=False)
    again = CriteriaDefinition.from_dict(json.loads(text))
    assert again == definition
    assert again.to_dict() == definition.to_dict()
    assert schema_errors(definition.to_dict()) == []


def test_to_dict_keeps_every_field_given():
    data = fixture("jp_hsp_b.json")
    assert CriteriaDefinition.from_dict(copy.deepcopy(data)).to_dict() == data


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [
        (lambda d: d["factors"][0].pop("kind"), "factors[0]", "'kind' is a required property"),
        (lambda d: d["factors"][2]["bands"][1].update(max="ten"), "factors[2].bands[1].max", "'ten' is not of type"),
        (lambda d: d["factors"][0].update(kind="spline"), "factors[0].kind", "'spline' is not one of"),
        (lambda d: d.update(pass_mark="70"), "pass_mark", "'70' is not of type"),
        (lambda d: d["facts"][0].update(type="date"), "facts[0].type", "'date' is not one of"),
        (lambda d: d["factors"][0].update(colour="red"), "factors[0]", "'colour' was unexpected"),
        (lambda d: d.update(schema="other/9"), "schema", "'eligibility.criteria/1' was expected"),
        (
            lambda d: d["knockouts"][0]["condition"].update(op="approx"),
            "knockouts[0].condition.op",
            "'approx' is not one of",
        ),
    ],
)
def test_schema_errors_name_the_bad_field(mutate, path, message):
    data = fixture("jp_hsp_b.json")
    mutate(data)
    with pytest.raises(DefinitionError) as err:
        CriteriaDefinition.from_dict(data)
    assert err.value.path == path
    assert message in err.value.message


def test_not_an_object_is_a_schema_error():
    with pytest.raises(DefinitionError, match="is not of type 'object'"):
        CriteriaDefinition.from_dict([])  # type: ignore[arg-type]


def test_published_schema_file_matches_the_code():
    from pathlib import Path

    from eligibility.engine.schema import SCHEMA

    path = Path(__file__).resolve().parents[2] / "eligibility" / "engine" / "criteria.schema.json"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(SCHEMA)), (
        "regenerate eligibility/engine/criteria.schema.json from eligibility.engine.schema.SCHEMA"
    )
