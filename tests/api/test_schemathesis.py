"""Property-based tests of every operation in the generated OpenAPI schema (schemathesis).

For each role (and anonymous), every operation is called with generated requests, half of
them aimed at objects that exist (the applicant's draft and submitted case, a region, a
criteria set...). Every response must be no server error, have a documented status, content
type, headers, and a body conforming to the schema.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import ROLES, api_token_for, make_application
from tests.eligibility.db_helpers import seed_set

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Requests that break the schema (wrong types, missing fields, junk headers) must still get
# a documented 4xx in the error shape, never a server error.
NEGATIVE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
EXAMPLES_PER_OPERATION = 6

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler inside the test transaction: like Django's test client, keep the
    request signals from closing the (transaction-holding) database connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(settings, wsgi_app):
    # Throttles would turn most calls into 429s (documented, but testing nothing).
    settings.API_THROTTLE_RATES = {scope: "100000/minute" for scope in settings.API_THROTTLE_RATES}
    return schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)


@pytest.fixture
def known_ids(verified_people, applicant):
    """Path parameter values that point at real objects."""
    from django.utils import timezone

    from applications.states import State

    draft = make_application(applicant, answers={"personal": {"given_name": "Aigerim"}})
    sent = make_application(applicant, state=State.SUBMITTED, reference="KC-2026-000009", submitted_at=timezone.now())
    criteria = seed_set("kandas_card")
    return [draft.pk, sent.pk, criteria.pk, "KZ-55", "2511"]


def exercise(operation, headers: dict, known_ids: list, mode: GenerationMode = GenerationMode.POSITIVE) -> None:
    """Run generated requests against one operation and check every response."""
    checks = CHECKS if mode == GenerationMode.POSITIVE else NEGATIVE_CHECKS

    @given(case=operation.as_strategy(generation_mode=mode), aim=st.booleans(), known=st.sampled_from(known_ids))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case, aim, known):
        for name in ("id", "code"):
            if aim and case.path_parameters and name in case.path_parameters:
                case.path_parameters[name] = known
        response = case.call(headers=headers)
        case.validate_response(response, checks=checks, headers=headers)

    run()


@pytest.mark.slow
@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_every_operation_conforms_to_the_schema_for_each_role(role, api_schema, known_ids, people):
    user = people.get(role)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        headers = {}
        if user is not None:
            # A fresh token per operation: one revoking tokens must not blind the next.
            headers = {"Authorization": f"Bearer {api_token_for(user)}"}
        exercise(operation, headers, known_ids)


@pytest.mark.slow
@pytest.mark.parametrize("role", ["applicant", "caseworker", "criteria_admin"])
def test_requests_breaking_the_schema_never_cause_a_server_error(role, api_schema, known_ids, people):
    user = people.get(role)
    exercised = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        headers = {}
        if user is not None:
            headers = {"Authorization": f"Bearer {api_token_for(user)}"}
        try:
            exercise(operation, headers, known_ids, GenerationMode.NEGATIVE)
        except Unsatisfiable:
            continue  # nothing in this operation can break the schema (no parameters, no body)
        exercised += 1
    assert exercised >= 25
