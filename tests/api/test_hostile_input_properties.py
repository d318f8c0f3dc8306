"""Property-based: hostile strings and numbers through every form and API input, never a 5xx.

The inputs are enumerated, not hand-listed: every section form of every product
(applications/sections.py), every queue filter (QueueFilter), and every writable field and
query parameter of every operation in the API's OpenAPI schema. Hypothesis draws the hostile
values (NUL, lone surrogates, bidi and other format characters, huge text, huge and odd
numbers, nested JSON); each example is sent to every input. An API answer that is not a
success must be in the API's one error shape (portal/api/errors.py).

Bounded for CI: few examples, derandomized (the same inputs on every run), no deadline.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from applications.casework.filters import QueueFilter
from applications.products import get_product
from applications.states import State
from eligibility.products import Product
from tests.api.conftest import make_application, token_client

pytestmark = pytest.mark.django_db

PROPERTY_SETTINGS = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Characters that have broken parsers, databases and encoders: NUL and other controls, lone
# surrogates, bidi overrides and isolates, zero-width and byte-order marks, private use.
NASTY = "\x00\x01\x1b\x7f\ud800\udbff\udc00\udfff\u202a\u202e\u2066\u2069\u200b\u200f\ufeff\ue000\ufffd"
hostile_text = st.one_of(
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "\ud800",
            "x\udfff",
            "passport\u202egpj.exe",
            "%00",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "99999999999999999999",
            "-99999999999999999999",
            "1e309",
            "NaN",
            "Infinity",
            "0x10",
            "١٢٣",  # Arabic-Indic digits: isdigit() but not what int() of a column expects
            "x" * 100_000,
        ]
    ),
    st.text(alphabet=st.sampled_from(NASTY + "aZ09 -."), min_size=1, max_size=40),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)
hostile_json = st.one_of(
    hostile_text,
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(hostile_text, max_size=3),
    st.dictionaries(hostile_text, hostile_text, max_size=2),
)


def form_body(values: dict[str, Any]) -> bytes:
    """An urlencoded body as a hostile client sends it: lone surrogates as their raw bytes."""
    pairs = []
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            encoded = str(item).encode("utf-8", "surrogatepass")
            pairs.append(f"{quote(name)}={quote(encoded)}")
    return "&".join(pairs).encode("ascii")


def multipart_body(fields: dict[str, dict], text: str) -> tuple[bytes, str]:
    """A multipart body: every text field and every file's name hostile (raw bytes, as sent)."""
    boundary = "HostileBoundary7MA4YWxkTrZu0gW"
    raw = text.encode("utf-8", "surrogatepass").replace(b'"', b"'").replace(b"\r", b"").replace(b"\n", b"")
    parts = []
    for name, spec in fields.items():
        binary = spec.get("format") == "binary" or spec.get("items", {}).get("format") == "binary"
        header = f'Content-Disposition: form-data; name="{name}"'.encode()
        if binary:
            header += b'; filename="' + raw + b'.png"\r\nContent-Type: image/png'
            content = PNG
        else:
            content = raw
        parts.append(b"--" + boundary.encode() + b"\r\n" + header + b"\r\n\r\n" + content + b"\r\n")
    body = b"".join(parts) + b"--" + boundary.encode() + b"--\r\n"
    return body, f"multipart/form-data; boundary={boundary}"


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()


def assert_error_shape(response) -> None:
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert isinstance(body["error"]["fields"], dict)


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code, response.content[:500])


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    settings.API_THROTTLE_RATES = {scope: "1000000/minute" for scope in settings.API_THROTTLE_RATES}


# ---- The section forms, through the web pages -------------------------------------------


def _section_fields(form_class) -> list[str]:
    """The POST names of a form's fields (date parts are name_0, name_1, name_2)."""
    from applications.forms.fields import DatePartsField

    names = []
    for name, field in form_class.base_fields.items():
        names.extend([f"{name}_{i}" for i in range(3)] if isinstance(field, DatePartsField) else [name])
    return names


@pytest.fixture
def applicant_web(verified_people):
    client = Client()
    client.force_login(verified_people["applicant"])
    return client


def test_every_section_form_refuses_hostile_values_without_a_server_error(applicant_web, verified_people):
    owner = verified_people["applicant"]
    drafts = {product: make_application(owner, product=product, track="professional") for product in Product.values}
    targets = [
        (draft, section)
        for product, draft in drafts.items()
        for section in get_product(product).sections
        if section.form_class is not None
    ]
    assert len(targets) >= 20  # every section of both products

    @PROPERTY_SETTINGS
    @given(value=hostile_text, action=st.sampled_from(["continue", "later"]))
    @example(value="a\x00b", action="later")
    @example(value="x" * 1_000_000, action="later")
    def send(value: str, action: str) -> None:
        for draft, section in targets:
            data = dict.fromkeys(_section_fields(section.form_class), value)
            response = applicant_web.post(
                f"/applications/{draft.pk}/section/{section.slug}/",
                form_body({**data, "action": action}),
                content_type="application/x-www-form-urlencoded",
            )
            assert_no_server_error(response, section.slug)
            if "\x00" in value or re.search("[\ud800-\udfff]", value):
                # Refused (400); nothing hostile stored. (Surrogates arrive as U+FFFD on the web.)
                assert response.status_code in (302, 400)
        for draft in drafts.values():
            draft.refresh_from_db()
            stored = json.dumps(draft.answers, ensure_ascii=False)
            assert "\x00" not in stored
            assert len(stored) < 100_000  # every answer is bounded, finished or not

    send()


# ---- The queue filters, on the page and in the API --------------------------------------


def test_every_queue_filter_refuses_hostile_values_without_a_server_error(verified_people):
    staff = Client()
    staff.force_login(verified_people["caseworker"])
    api = token_client(verified_people["caseworker"])
    make_application(verified_people["applicant"], state=State.SUBMITTED, submitted_at=timezone.now())
    names = list(QueueFilter.base_filters)
    assert {"q", "older_than", "score_min", "score_max"} <= set(names)

    @PROPERTY_SETTINGS
    @given(value=hostile_text)
    @example(value="1000000")
    @example(value="99999999999999999999")
    @example(value="a\x00b")
    def send(value: str) -> None:
        for name in names:
            query = form_body({name: value}).decode()
            assert_no_server_error(staff.get(f"/casework/?{query}"), name)
            response = api.get(f"/api/v1/casework/cases/?{query}")
            assert_no_server_error(response, name)
            if response.status_code >= 400:
                assert_error_shape(response)

    send()


# ---- Every API operation's writable fields and query parameters --------------------------


def _api_operations() -> list[dict]:
    """From the OpenAPI schema: method, path, path parameters, query parameters and the
    writable body fields per content type of every operation."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            params = operation.get("parameters", [])
            bodies = {}
            for content_type, content in operation.get("requestBody", {}).get("content", {}).items():
                ref = content["schema"].get("$ref", "")
                component = components.get(ref.rsplit("/", 1)[-1], content["schema"])
                bodies[content_type] = {
                    name: spec for name, spec in component.get("properties", {}).items() if not spec.get("readOnly")
                }
            operations.append(
                {
                    "method": method,
                    "path": path,
                    "query": [p["name"] for p in params if p["in"] == "query"],
                    "bodies": bodies,
                }
            )
    return operations


def _client_for(path: str, clients: dict) -> Any:
    """The role whose calls get furthest: the applicant on their own paths, a senior in
    casework, a criteria administrator for configuration, anyone for public paths."""
    if path.startswith(("/api/v1/applications", "/api/v1/cards", "/api/v1/me")):
        return clients["applicant"]
    if path.startswith("/api/v1/casework"):
        return clients["senior"]
    return clients["criteria_admin"]


def _json_value(name: str, spec: dict, value: Any) -> Any:
    if name == "answers":
        # Every field of a section form (and a hostile key), so the value reaches the form.
        from applications.forms.common import PersonalForm

        return {**dict.fromkeys(PersonalForm.base_fields, value), str(value)[:50]: value}
    return value


def test_every_api_input_refuses_hostile_values_in_the_error_shape(verified_people, clients):
    applicant = verified_people["applicant"]
    draft = make_application(applicant, track="professional")
    case = make_application(
        verified_people["stranger"], state=State.SUBMITTED, reference="KC-2026-000777", submitted_at=timezone.now()
    )
    operations = _api_operations()
    writable = [op for op in operations if op["bodies"]]
    assert len(writable) >= 15 and any(op["query"] for op in operations)

    def url(path: str) -> str:
        ids = {"{id}": str(case.pk if "/casework/" in path else draft.pk)}
        ids.update({"{section}": "personal", "{product}": "kandas_card", "{code}": "2512", "{code_pk}": "1"})
        for placeholder, value in ids.items():
            path = path.replace(placeholder, value)
        return path

    def check(response, what: str) -> None:
        assert_no_server_error(response, what)
        if response.status_code >= 400:
            assert_error_shape(response)

    @PROPERTY_SETTINGS
    @given(value=hostile_json, text=hostile_text)
    @example(value="\ud800", text="a\x00b")
    @example(value="x" * 1_000_000, text="99999999999999999999")
    @example(value=10**40, text="1000000")
    def send(value: Any, text: str) -> None:
        draft.refresh_from_db()
        headers = {"HTTP_IF_MATCH": f'"v{draft.version}"', "HTTP_ACCEPT_LANGUAGE": "en"}
        for op in operations:
            client = _client_for(op["path"], clients)
            target = url(op["path"])
            if op["query"]:
                query = form_body(dict.fromkeys(op["query"], text)).decode()
                check(client.generic("GET", f"{target}?{query}", **headers), f"{target}?{op['query']}")
            for content_type, fields in op["bodies"].items():
                if content_type == "application/json":
                    body = {name: _json_value(name, spec, value) for name, spec in fields.items()}
                    # Once all hostile, once with the yes/no fields false, so that hostile values also
                    # reach the paths those open (a section saved unfinished: "complete": false).
                    flags = {name: False for name, spec in fields.items() if spec.get("type") == "boolean"}
                    for variant in [body, {**body, **flags}] if flags else [body]:
                        raw = json.dumps(variant, ensure_ascii=True)
                        response = client.generic(op["method"].upper(), target, raw, "application/json", **headers)
                        check(response, f"{op['method']} {target} {content_type}")
                    continue
                elif content_type == "multipart/form-data":
                    response = client.generic(op["method"].upper(), target, *multipart_body(fields, text), **headers)
                else:
                    response = client.generic(
                        op["method"].upper(),
                        target,
                        form_body(dict.fromkeys(fields, text)),
                        "application/x-www-form-urlencoded",
                        **headers,
                    )
                check(response, f"{op['method']} {target} {content_type}")

    send()
