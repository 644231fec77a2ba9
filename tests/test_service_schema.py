"""Property-based run against the OpenAPI schema: no generated request gets a 5xx answer.

Schemathesis generates valid and invalid requests (bodies of every declared media type, query
values, headers) for every operation, and each is sent over a real socket to uvicorn.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402

from service import Settings, create_app  # noqa: E402
from tests._service_support import live_server, model_path  # noqa: E402

# The schema is generated from the app without starting it (no I/O at import).
API_TOKEN = "api-secret"
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi())


@pytest.fixture(scope="module")
def base_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    settings = Settings(
        model_uri=str(model_path(request, tmp_path_factory)),
        api_token=API_TOKEN,
        admin_token="admin-secret",
    )
    with live_server(create_app(settings)) as url:
        yield url


_CONTAINER_MAGICS = (b"\x1f\x8b", b"PK\x03\x04", b"PK\x05\x06")


def _sent(body: object) -> object:
    """What a generated body sends: a binary one comes wrapped in an empty str subclass that
    holds its bytes as `.data` (schemathesis's `Binary`)."""
    data = getattr(body, "data", None)
    return data if isinstance(data, bytes) else body


def _blank(body: object) -> bool:
    body = _sent(body)
    if isinstance(body, dict):
        body = body.get("log")
    if isinstance(body, bytes):
        return not body.strip()
    return body is None or (isinstance(body, str) and not body.strip())


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_generated_request_gets_a_server_error(case, base_url: str) -> None:
    response = case.call(base_url=base_url, headers=AUTH, timeout=30)
    assert response.status_code < 500, f"{case.method} {case.path}: {response.text[:500]}"
    if response.status_code >= 400 and case.path != "/readyz":
        assert set(response.json()) == {"error"}
    if response.status_code == 422 and response.json()["error"]["code"] == "empty_log":
        # JSON Schema cannot say "non-blank" for binary bodies: a blank one is rightly refused.
        assert _blank(case.body), repr(case.body)
        return
    code = response.json()["error"]["code"] if response.status_code == 400 else None
    if code in ("invalid_gzip", "invalid_zip"):
        # Nor "not a broken archive": a raw body that starts as gzip or zip is read as one, and
        # one that cannot be read is refused with a 400 that says so.
        raw = _sent(case.body)
        raw = raw.encode() if isinstance(raw, str) else raw
        assert isinstance(raw, bytes) and raw.startswith(_CONTAINER_MAGICS), repr(case.body)
        return
    # Every check but negative_data_rejection: a text/plain body accepts any text, so "invalid"
    # bodies that serialise to text are valid logs, and the token is always sent.
    case.validate_response(
        response, headers=AUTH, excluded_checks=[schemathesis.checks.negative_data_rejection]
    )


def test_a_binary_body_is_read_as_the_bytes_it_sends() -> None:
    binary = schemathesis.transport.serialization.Binary(b"PK\x03\x04")
    assert _sent(binary) == b"PK\x03\x04"
    assert not _blank(binary)
    assert _blank(schemathesis.transport.serialization.Binary(b" \n"))
    assert _sent({"log": "x"}) == {"log": "x"}
