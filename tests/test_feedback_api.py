"""``POST /v1/feedback`` and ``GET /v1/feedback`` through the app factory: labels stored with
the redacted region, the token rules, and every bad request refused with nothing stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from datasets.feedback import region_text
from model import extract_region
from model.classifier import Classifier
from model.taxonomy import LABELS
from service import Settings, create_app
from service.storage import Database, list_feedback, upsert_failure
from tests._service_support import github_log, model_path

REPO = "octo-org/shop"
ADMIN = {"Authorization": "Bearer admin-token"}
API = {"Authorization": "Bearer api-token"}
SECRET = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"


@pytest.fixture(scope="module")
def model_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return model_path(request, tmp_path_factory)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'autoheal.db'}"


def _client(model_file: Path, database_url: str, **overrides: Any) -> Iterator[TestClient]:
    settings = Settings(
        model_uri=str(model_file), database_url=database_url, worker_enabled=False,
        access_log=False, **overrides,
    )  # fmt: skip
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def client(model_file: Path, database_url: str) -> Iterator[TestClient]:
    yield from _client(
        model_file, database_url, admin_token="admin-token", api_token="api-token",
        max_body_bytes=64 * 1024,
    )  # fmt: skip


@pytest.fixture
def db(client: TestClient, database_url: str) -> Iterator[Database]:
    database = Database(database_url)  # migrated by the app on its first request
    client.get("/v1/feedback", headers=API)
    yield database
    database.dispose()


def _error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    return str(error["message"])


def _log_with_secret() -> str:
    log = github_log(0, seed=21)
    return log.replace("AssertionError:", f"AssertionError: token={SECRET}", 1)


def test_a_known_failure_is_relabelled_by_fingerprint(client: TestClient, db: Database) -> None:
    region = "Run pytest\nFAILED tests/test_a.py::test_b - assert 1 == 2\nmore context"
    upsert_failure(db, REPO, "f" * 16, category="test_failure", confidence=0.8, region=region)
    body = {"fingerprint": "f" * 16, "category": "lint_format", "repository": REPO, "actor": "ana"}
    answer = client.post("/v1/feedback", json=body, headers=ADMIN)
    assert answer.status_code == 201, answer.text
    data = answer.json()
    assert (data["category"], data["previous"], data["source"]) == (
        "lint_format",
        "test_failure",
        "api",
    )
    assert data["effective_category"] == "lint_format" and data["trainable"] is True
    (row,) = list_feedback(db)
    assert (row.region, row.repository, row.actor) == (region, REPO, "ana")
    # Without the repository: the failure is found by its fingerprint alone.
    again = client.post(
        "/v1/feedback", json={"fingerprint": "f" * 16, "category": "compilation"}, headers=ADMIN
    )
    assert again.status_code == 201 and again.json()["effective_category"] == "compilation"
    assert again.json()["repository"] == REPO
    listed = client.get("/v1/feedback", params={"limit": 1}, headers=API).json()["items"]
    assert [item["category"] for item in listed] == ["compilation"]


def test_an_unseen_failure_needs_its_log_which_is_redacted(
    client: TestClient, db: Database, model_file: Path
) -> None:
    log = _log_with_secret()
    region = extract_region(log)
    body = {"fingerprint": region.fingerprint, "category": "compilation"}
    message = _error(
        client.post("/v1/feedback", json=body, headers=ADMIN), 404, "unknown_fingerprint"
    )
    assert "'log'" in message
    answer = client.post("/v1/feedback", json={**body, "log": log}, headers=ADMIN)
    assert answer.status_code == 201, answer.text
    # The service never saw it: what the loaded model says of the log is what was corrected.
    expected = Classifier.load(model_file).predict_region(region).category
    assert answer.json()["previous"] == expected and answer.json()["repository"] is None
    (row,) = list_feedback(db)
    assert row.region == region_text(region)
    assert SECRET not in (row.region or "") and "[REDACTED]" in (row.region or "")
    # Another failure's log does not label this fingerprint.
    other = {
        "fingerprint": region.fingerprint,
        "category": "compilation",
        "log": github_log(2, seed=3),
    }
    _error(client.post("/v1/feedback", json=other, headers=ADMIN), 422, "fingerprint_mismatch")


def test_a_known_failure_without_stored_text_needs_the_log(
    client: TestClient, db: Database
) -> None:
    upsert_failure(db, REPO, "e" * 16, category="network", confidence=0.9)
    body = {"fingerprint": "e" * 16, "category": "timeout"}
    assert "log" in _error(client.post("/v1/feedback", json=body, headers=ADMIN), 404, "no_region")
    assert list_feedback(db) == []


def test_the_admin_token_is_needed_when_there_is_one(client: TestClient, db: Database) -> None:
    upsert_failure(db, REPO, "d" * 16, category="network", confidence=0.9, region="a\nb\nc")
    body = {"fingerprint": "d" * 16, "category": "timeout"}
    _error(client.post("/v1/feedback", json=body), 401, "unauthorized")
    _error(client.post("/v1/feedback", json=body, headers=API), 403, "forbidden")
    _error(client.get("/v1/feedback"), 401, "unauthorized")
    assert list_feedback(db) == []


def test_without_an_admin_token_the_api_token_is_needed(
    model_file: Path, database_url: str
) -> None:
    for client in _client(model_file, database_url, api_token="api-token"):
        log = github_log(1, seed=4)
        body = {"fingerprint": extract_region(log).fingerprint, "category": "network", "log": log}
        _error(client.post("/v1/feedback", json=body), 401, "unauthorized")
        assert client.post("/v1/feedback", json=body, headers=API).status_code == 201


@pytest.mark.parametrize(
    ("content", "content_type", "status", "code"),
    [
        (b'{"fingerprint": "abc", "category": ', "application/json", 400, "invalid_json"),
        (b'{"fingerprint": "abc\xff\xfe", "category": "network"}', "application/json", 400, "invalid_json"),
        (b'["abc", "network"]', "application/json", 422, "invalid_request"),
        (b'{"fingerprint": "abc", "category": "flaky"}', "application/json", 422, "unknown_category"),
        (b'{"fingerprint": "abc", "category": "network", "extra": 1}', "application/json", 422, "invalid_request"),
        (b'{"fingerprint": "a b", "category": "network"}', "application/json", 422, "invalid_request"),
        (b'{"fingerprint": "abc", "category": "network", "log": "   "}', "application/json", 422, "invalid_request"),
        (b'{"fingerprint": "abc", "category": "network", "log": "\\u0000\\u0001"}', "application/json", 422, "no_failure_found"),
        (b"fingerprint=abc", "text/plain", 415, "unsupported_media_type"),
        (json.dumps({"fingerprint": "abc", "category": "network", "log": "x" * 70_000}).encode(), "application/json", 413, "payload_too_large"),
    ],
)  # fmt: skip
def test_bad_requests_are_refused_and_store_nothing(
    client: TestClient, db: Database, content: bytes, content_type: str, status: int, code: str
) -> None:
    headers = {**ADMIN, "Content-Type": content_type}
    message = _error(client.post("/v1/feedback", content=content, headers=headers), status, code)
    if code == "unknown_category":
        assert all(label in message for label in LABELS)
    assert list_feedback(db) == []


def test_the_listing_validates_its_query(client: TestClient, db: Database) -> None:
    assert client.get("/v1/feedback", params={"limit": 0}, headers=API).status_code == 422
    assert client.get("/v1/feedback", params={"fingerprint": "a b"}, headers=API).status_code == 422
    assert client.get("/v1/feedback", headers=API).json() == {"items": []}


def test_the_endpoints_are_documented(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operations = schema["paths"]["/v1/feedback"]
    post = operations["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert {"fingerprint", "category", "repository", "log"} <= set(body["properties"])
    assert body["required"] == ["fingerprint", "category"]
    assert {"201", "400", "401", "404", "413", "422"} <= set(post["responses"])
    assert "get" in operations
