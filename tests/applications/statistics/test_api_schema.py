"""The open-data operations against their OpenAPI schema (schemathesis): generated requests,
valid and schema-breaking, for anonymous and a signed-in caller; every answer documented, in
the error shape when refused, never a server error. Also: the schema documents them."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient
from schemathesis.generation.modes import GenerationMode

from applications.statistics.services import release_compute
from tests.api.conftest import api_token_for
from tests.api.test_schemathesis import CHECKS, NEGATIVE_CHECKS, api_schema, wsgi_app  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

OPEN_DATA = ("/api/v1/public/statistics", "/api/v1/public/quotas")


def test_the_schema_documents_the_open_data_operations_as_public_and_read_only():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = {p: item for p, item in schema["paths"].items() if p.startswith(OPEN_DATA)}
    assert set(paths) == {"/api/v1/public/statistics/", "/api/v1/public/statistics/{period}/", "/api/v1/public/quotas/"}
    for item in paths.values():
        assert set(item) - {"parameters"} == {"get"}
        operation = item["get"]
        assert "401" not in operation["responses"] and "400" in operation["responses"]
    names = {p["name"] for p in paths["/api/v1/public/statistics/{period}/"]["get"]["parameters"]}
    assert {"period", "measure", "dimension", "product"} <= names


@pytest.mark.parametrize("role", ["anonymous", "applicant", "auditor"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_requests_get_documented_answers(role, mode, api_schema, month_of_cases, people):  # noqa: F811
    release_compute(period=month_of_cases)
    user = people.get(role)
    headers = {"Authorization": f"Bearer {api_token_for(user)}"} if user is not None else {}
    checks = CHECKS if mode == GenerationMode.POSITIVE else NEGATIVE_CHECKS
    operations = [r.ok() for r in api_schema.get_all_operations() if r.ok().path.startswith(OPEN_DATA)]
    assert len(operations) == 3
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode), aim=st.booleans())
        @settings(
            max_examples=12, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
        )
        def run(case, aim):
            if aim and case.path_parameters and "period" in case.path_parameters:
                case.path_parameters["period"] = "2026-10"
            response = case.call(headers=headers)
            case.validate_response(response, checks=checks, headers=headers)

        try:
            run()
        except Exception as exc:  # an operation with nothing to break in negative mode
            if type(exc).__name__ != "Unsatisfiable":
                raise
