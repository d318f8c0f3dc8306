"""The frame: schema, docs, error shape, tokens, scopes, throttles, CSRF."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from portal.api.models import ApiToken, token_digest
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def assert_error_shape(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["fields"], dict)


def test_schema_is_served_as_openapi_3_and_validates():
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate_schema(SchemaGenerator().get_schema(request=None, public=True))


def test_every_operation_documents_the_error_shape():
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) > 5
    for path, method, op in operations:
        errors = {code: r for code, r in op["responses"].items() if code.startswith("4")}
        assert {"400", "404", "429"} <= set(errors), (path, method)
        for code, response in errors.items():
            ref = response["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/Error"), (path, method, code)


def test_docs_pages_are_served_without_a_cdn():
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn" not in html.lower()


def test_anonymous_gets_401_in_the_error_shape():
    assert_error_shape(APIClient().get("/api/v1/applications/"), 401, "not_authenticated")


def test_unknown_api_path_is_a_json_404():
    assert_error_shape(APIClient().get("/api/v1/no-such-thing/"), 404, "not_found")


def test_error_message_follows_accept_language():
    en = APIClient().get("/api/v1/applications/", HTTP_ACCEPT_LANGUAGE="en").json()["error"]["message"]
    ru = APIClient().get("/api/v1/applications/", HTTP_ACCEPT_LANGUAGE="ru").json()["error"]["message"]
    assert en == "Sign in or send an API token."
    assert ru != en


def test_token_is_stored_only_as_its_sha256(applicant, capsys):
    call_command("create_api_token", applicant.email, "--scope", "write")
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=applicant)
    assert token.digest == token_digest(raw)
    assert raw not in {token.digest, token.prefix, token.name}
    assert token.scope == "write"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/me/").json()["email"] == applicant.email


def test_command_refuses_an_unknown_user():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody@example.org")


def test_revoked_token_stops_working_at_once(applicant):
    client = token_client(applicant)
    assert client.get("/api/v1/me/").status_code == 200
    token = ApiToken.objects.get(user=applicant)
    assert client.delete(f"/api/v1/me/tokens/{token.pk}/").status_code == 204
    assert_error_shape(client.get("/api/v1/me/"), 401, "authentication_failed")


def test_read_token_cannot_write(applicant):
    client = token_client(applicant, scope="read")
    assert client.get("/api/v1/me/").status_code == 200
    assert_error_shape(client.patch("/api/v1/me/", {"full_name": "X"}, format="json"), 403, "insufficient_scope")


def test_session_client_must_send_csrf_token(applicant):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(applicant)
    assert client.get("/api/v1/me/").status_code == 200
    assert_error_shape(client.patch("/api/v1/me/", {"full_name": "X"}, format="json"), 403, "csrf_failed")
    csrf = client.get("/api/v1/me/").cookies  # no cookie set by the API itself: fetch one
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = client.patch(
        "/api/v1/me/", {"full_name": "Aigerim B"}, format="json", HTTP_X_CSRFTOKEN=_mask_cipher_secret(secret)
    )
    assert response.status_code == 200, response.content
    assert csrf is not None


def test_validation_errors_name_the_fields(applicant):
    response = token_client(applicant).patch("/api/v1/me/", {"preferred_language": "xx"}, format="json")
    assert_error_shape(response, 400, "invalid")
    assert "preferred_language" in response.json()["error"]["fields"]


def test_anonymous_clients_are_throttled(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "3/minute"}
    client = APIClient()
    codes = [client.get("/api/v1/regions/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/api/v1/regions/")
    assert_error_shape(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_users_are_throttled_each_on_their_own_count(settings, applicant, stranger):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "user": "2/minute"}
    first, second = token_client(applicant), token_client(stranger)
    assert [first.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/api/v1/me/").status_code == 200


def test_scoped_throttles_count_and_let_requests_through_when_the_cache_is_down(settings):
    """The per-endpoint throttles (upload, self_check, verify) fail open like the others:
    they skipped the shared guard and answered 500 with the cache down."""
    from types import SimpleNamespace

    from django.contrib.auth.models import AnonymousUser
    from django.test import override_settings
    from rest_framework.test import APIRequestFactory

    from portal.api.throttles import ScopedThrottle
    from tests.faults.harness import free_port

    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "verify": "2/minute"}
    view = SimpleNamespace(throttle_scope="verify")

    def allowed(address: str) -> bool:
        request = APIRequestFactory().get("/", REMOTE_ADDR=address)
        request.user = AnonymousUser()
        return ScopedThrottle().allow_request(request, view)

    assert [allowed("192.0.2.77") for _ in range(3)] == [True, True, False]
    assert ScopedThrottle().allow_request(APIRequestFactory().get("/"), SimpleNamespace()) is True  # no scope
    dead = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    with override_settings(CACHES=dead):
        assert allowed("192.0.2.77") is True


def test_old_idempotency_records_are_purged_and_fresh_ones_kept(applicant, settings):
    from datetime import timedelta

    from django.utils import timezone

    from portal.api.models import IdempotencyRecord
    from portal.api.tasks import idempotency_purge

    def record(key: str) -> IdempotencyRecord:
        return IdempotencyRecord.objects.create(
            user=applicant, key=key, endpoint="POST /x", fingerprint="f", status_code=201
        )

    old, fresh = record("old"), record("fresh")
    IdempotencyRecord.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS + 1)
    )
    assert idempotency_purge() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == [fresh.key]


def test_admin_lists_tokens_without_secrets_and_revokes_them(applicant, client):
    from portal.models import User

    admin_user = User.objects.create_superuser(email="root@example.kz", password="correct-horse-battery-9")
    token_client(applicant)  # creates a token
    token = ApiToken.objects.get(user=applicant)
    client.force_login(admin_user)
    page = client.get("/admin/portal_api/apitoken/")
    assert page.status_code == 200
    assert token.prefix in page.content.decode() and token.digest not in page.content.decode()
    response = client.post(
        "/admin/portal_api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_bug_answers_500_in_the_error_shape_and_is_logged(applicant, monkeypatch, caplog):
    from applications import api as applications_api
    from tests.api.conftest import make_application, verify

    verify(applicant)
    application = make_application(applicant)

    def broken(application):
        raise RuntimeError("boom")

    monkeypatch.setattr(applications_api.selectors, "timeline", broken)
    with caplog.at_level("ERROR", logger="portal.api.errors"):
        response = token_client(applicant).get(f"/api/v1/applications/{application.pk}/timeline/")
    assert_error_shape(response, 500, "server_error")
    assert "boom" not in response.content.decode()
    assert any(record.exc_info and "boom" in str(record.exc_info[1]) for record in caplog.records)


def test_every_operation_documents_its_success_response_and_request_body():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path, item in schema["paths"].items():
        for method, op in item.items():
            successes = {code: r for code, r in op["responses"].items() if code.startswith("2")}
            assert successes, (method, path)
            for code, response in successes.items():
                assert code == "204" or response.get("content"), (method, path, code)
            assert op.get("operationId") and op.get("tags"), (method, path)
            if method in ("put", "patch"):
                assert op.get("requestBody"), (method, path)


def test_read_model_serializers_are_read_only_unless_meta_says_otherwise():
    from eligibility.api import RegionSerializer
    from portal.api.account import TokenSerializer

    assert all(field.read_only for field in RegionSerializer().fields.values())
    writable = {name for name, field in TokenSerializer().fields.items() if not field.read_only}
    assert writable == {"name", "scope"}


def test_a_body_over_the_upload_limit_is_a_413_in_the_error_shape(settings, clients):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = clients["criteria_admin"].post(
        "/api/v1/region-years/import/", {"csv": "region,year,labour_deficient\n" + "x" * 2000}, format="json"
    )
    assert_error_shape(response, 413, "request_too_large")


def test_anonymous_throttles_count_each_real_client_behind_the_proxy(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "2/minute"}

    def get(forwarded: str) -> int:
        return APIClient().get("/api/v1/regions/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).status_code

    # One client behind the proxy is throttled, whatever it writes in front of the header...
    assert [get(f"192.0.2.{n}, 198.51.100.1") for n in range(3)] == [200, 200, 429]
    # ...and another client behind the same proxy keeps its own count.
    assert get("198.51.100.2") == 200
