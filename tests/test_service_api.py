"""The HTTP API through the app factory: answers, context, threshold, docs and every error path."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from model.taxonomy import LABELS
from service import Settings, create_app
from tests._service_support import TOY_LABELS, github_log, model_path

TEXT = {"content-type": "text/plain"}


@pytest.fixture(scope="module")
def model_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return model_path(request, tmp_path_factory)


def _client(model_file: Path, **overrides: object) -> Iterator[TestClient]:
    settings = Settings(model_uri=str(model_file), **overrides)  # type: ignore[arg-type]
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def client(model_file: Path) -> Iterator[TestClient]:
    yield from _client(model_file, max_body_bytes=256 * 1024)


@pytest.fixture(scope="module")
def secured(model_file: Path) -> Iterator[TestClient]:
    yield from _client(model_file, api_token="s3cret-token")


def _error(response, status: int, code: str | None = None) -> dict[str, str]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["message"], "an error must say what is wrong"
    if code is not None:
        assert error["code"] == code
    return error


# -- answers -------------------------------------------------------------------------------------
def test_classify_json_returns_prediction_and_echoes_context(client: TestClient) -> None:
    payload = {
        "log": github_log(0, seed=7),
        "repository": "octo/widgets",
        "workflow": "ci.yml",
        "job": "test (3.11)",
        "run_id": 123456789,
    }
    response = client.post("/v1/classify", json=payload)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["category"] == TOY_LABELS[0] or body["category"] in LABELS
    assert set(body["probabilities"]) == set(LABELS)
    assert abs(sum(body["probabilities"].values()) - 1.0) < 1e-2
    assert body["confidence"] == max(body["probabilities"].values())
    assert body["evidence"] and all(e["line"] >= 1 and e["text"] for e in body["evidence"])
    for key in ("repository", "workflow", "job", "run_id"):
        assert body[key] == payload[key]
    for key in ("fingerprint", "model_version", "threshold", "auto_fix", "log_format"):
        assert key in body


@pytest.mark.parametrize("content_type", ["text/plain; charset=utf-8", "application/octet-stream"])
def test_classify_raw_body_is_the_same_answer_as_json(
    client: TestClient, content_type: str
) -> None:
    log = github_log(1, seed=3)
    raw = client.post(
        "/v1/classify?repository=octo/widgets&run_id=5",
        content=log.encode(),
        headers={"content-type": content_type},
    )
    as_json = client.post("/v1/classify", json={"log": log})
    assert raw.status_code == 200, raw.text
    assert raw.json()["repository"] == "octo/widgets" and raw.json()["run_id"] == 5
    for key in ("category", "confidence", "fingerprint", "evidence"):
        assert raw.json()[key] == as_json.json()[key]


def test_gzip_content_encoding_is_inflated(client: TestClient) -> None:
    log = github_log(2, seed=4).encode()
    plain = client.post("/v1/classify", content=log, headers=TEXT).json()
    zipped = client.post(
        "/v1/classify",
        content=gzip.compress(log),
        headers={**TEXT, "content-encoding": "gzip"},
    )
    assert zipped.status_code == 200, zipped.text
    assert zipped.json()["fingerprint"] == plain["fingerprint"]


def test_a_gzip_file_uploaded_as_bytes_is_read(client: TestClient) -> None:
    log = github_log(3, seed=5).encode()
    plain = client.post("/v1/classify", content=log, headers=TEXT).json()
    uploaded = client.post(
        "/v1/classify",
        content=gzip.compress(gzip.compress(log)),
        headers={"content-type": "application/octet-stream"},
    )
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json()["fingerprint"] == plain["fingerprint"]


def test_threshold_override_changes_auto_fix_only(client: TestClient) -> None:
    log = github_log(0, seed=11)
    default = client.post("/v1/classify", json={"log": log}).json()
    confidence = default["confidence"]
    assert default["threshold"] == pytest.approx(0.70)
    low = client.post("/v1/classify?threshold=0", json={"log": log}).json()
    high = client.post("/v1/classify?threshold=1", json={"log": log}).json()
    assert low["threshold"] == 0.0 and high["threshold"] == 1.0
    assert low["confidence"] == high["confidence"] == confidence
    assert low["auto_fix"] is (low["category"] != "unknown")
    assert high["auto_fix"] is (confidence >= 1.0 and high["category"] != "unknown")


@pytest.mark.parametrize("value", ["-0.1", "1.5", "nan", "abc"])
def test_threshold_out_of_range_is_422(client: TestClient, value: str) -> None:
    response = client.post(f"/v1/classify?threshold={value}", json={"log": "x"})
    _error(response, 422, "invalid_request")


def test_binary_log_is_classified(client: TestClient) -> None:
    blob = bytes(range(256)) * 64 + b"\x00\xff" * 1000
    response = client.post(
        "/v1/classify", content=blob, headers={"content-type": "application/octet-stream"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["category"] in LABELS


def test_broken_utf8_log_is_classified(client: TestClient) -> None:
    log = github_log(0, seed=2).encode().replace(b"FAILED", b"FAIL\xc3\x28ED\xff", 1)
    response = client.post("/v1/classify", content=log, headers=TEXT)
    assert response.status_code == 200, response.text
    assert any("\ufffd" in e["text"] for e in response.json()["evidence"])


def test_lone_surrogate_in_json_never_fails(client: TestClient) -> None:
    body = b'{"log": "error: \\ud800 broken \\udfff"}'
    response = client.post(
        "/v1/classify", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code in (200, 400), response.text


def test_zip_of_job_logs_is_read(client: TestClient) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("0_build.txt", github_log(2, seed=1))
    response = client.post(
        "/v1/classify",
        content=buffer.getvalue(),
        headers={"content-type": "application/octet-stream"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["evidence"]


# -- errors --------------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [b"{not json", b"", b'{"log": "unterminated', b"\xff\xfe{}"])
def test_invalid_json_is_400(client: TestClient, body: bytes) -> None:
    response = client.post(
        "/v1/classify", content=body, headers={"content-type": "application/json"}
    )
    _error(response, 400, "invalid_json")


@pytest.mark.parametrize(
    "payload",
    [[1, 2], {"log": 5}, {"nolog": "x"}, {"log": "x", "run_id": -1}, {"log": "x", "extra": 1}],
)
def test_json_of_the_wrong_shape_is_422(client: TestClient, payload: object) -> None:
    response = client.post("/v1/classify", json=payload)
    _error(response, 422, "invalid_request")


@pytest.mark.parametrize("payload", [{"log": ""}, {"log": " \n\t "}])
def test_empty_log_is_422(client: TestClient, payload: dict[str, str]) -> None:
    _error(client.post("/v1/classify", json=payload), 422, "empty_log")
    raw = payload["log"].encode()
    _error(client.post("/v1/classify", content=raw, headers=TEXT), 422, "empty_log")


@pytest.mark.parametrize("content_type", [None, "application/x-www-form-urlencoded", "image/png"])
def test_wrong_content_type_is_415(client: TestClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/v1/classify", content=b"log text", headers=headers)
    _error(response, 415, "unsupported_media_type")


def test_unknown_content_encoding_is_415(client: TestClient) -> None:
    response = client.post("/v1/classify", content=b"x", headers={**TEXT, "content-encoding": "br"})
    _error(response, 415, "unsupported_encoding")


@pytest.mark.parametrize(
    "body", [b"not gzip at all", b"\x1f\x8b\x08\x00garbage", gzip.compress(b"log text")[:-6]]
)
def test_gzip_garbage_is_400(client: TestClient, body: bytes) -> None:
    response = client.post(
        "/v1/classify", content=body, headers={**TEXT, "content-encoding": "gzip"}
    )
    _error(response, 400, "invalid_gzip")


def test_gzip_bomb_is_413(client: TestClient) -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # 64 MB in ~64 KB
    assert len(bomb) < 256 * 1024
    response = client.post(
        "/v1/classify", content=bomb, headers={**TEXT, "content-encoding": "gzip"}
    )
    _error(response, 413, "payload_too_large")
    as_file = client.post(
        "/v1/classify", content=bomb, headers={"content-type": "application/octet-stream"}
    )
    _error(as_file, 413, "payload_too_large")


def test_zip_bomb_is_413(client: TestClient) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("0_job.txt", b"\0" * (8 * 1024 * 1024))
    response = client.post(
        "/v1/classify",
        content=buffer.getvalue(),
        headers={"content-type": "application/octet-stream"},
    )
    _error(response, 413, "payload_too_large")


def test_body_above_the_limit_is_413(client: TestClient) -> None:
    response = client.post("/v1/classify", content=b"x" * (256 * 1024 + 1), headers=TEXT)
    _error(response, 413, "payload_too_large")


def test_streamed_body_above_the_limit_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the count is kept while reading
        for _ in range(100):
            yield b"y" * 16384

    response = client.post("/v1/classify", content=chunks(), headers=TEXT)
    _error(response, 413, "payload_too_large")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"authorization": "Bearer wrong"},
        {"authorization": "Basic czNjcmV0LXRva2Vu"},
        {"authorization": "Bearer s3cret-tokenX"},
    ],
)
def test_missing_or_wrong_token_is_401(secured: TestClient, headers: dict[str, str]) -> None:
    response = secured.post("/v1/classify", json={"log": "x"}, headers=headers)
    _error(response, 401, "unauthorized")
    _error(secured.get("/v1/model", headers=headers), 401, "unauthorized")


def test_right_token_is_accepted_and_health_stays_open(secured: TestClient) -> None:
    ok = secured.post(
        "/v1/classify",
        json={"log": github_log(0, seed=1)},
        headers={"authorization": "Bearer s3cret-token"},
    )
    assert ok.status_code == 200, ok.text
    for path in ("/healthz", "/readyz", "/metrics"):
        assert secured.get(path).status_code == 200


def test_unknown_route_and_method_answer_json(client: TestClient) -> None:
    _error(client.get("/v1/nothing-here"), 404)
    _error(client.get("/v1/classify"), 405)


# -- model, health, docs, request ids, metrics ---------------------------------------------------
def test_model_info(client: TestClient) -> None:
    info = client.get("/v1/model").json()
    assert info["labels"] == list(LABELS)
    assert info["version"] and info["name"]
    assert isinstance(info["metrics"], dict) and info["loaded_at"] > 0
    assert info["threshold"] == pytest.approx(0.70)


def test_health_and_readiness(client: TestClient, tmp_path: Path) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/readyz").json()["status"] == "ready"
    with TestClient(create_app(Settings(model_uri=str(tmp_path / "missing.joblib")))) as empty:
        assert empty.get("/healthz").status_code == 200
        assert empty.get("/readyz").status_code == 503
        _error(empty.post("/v1/classify", json={"log": "x"}), 503, "model_unavailable")
        _error(empty.get("/v1/model"), 503, "model_unavailable")


def test_openapi_documents_real_models(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/v1/classify"]["post"]
    content = operation["requestBody"]["content"]
    assert {"application/json", "text/plain", "application/octet-stream"} <= set(content)
    assert "log" in schema["components"]["schemas"]["ClassifyRequest"]["properties"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("/ClassifyResponse")
    assert "413" in operation["responses"] and "/v1/model" in schema["paths"]
    assert client.get("/docs").status_code == 200


def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    given = client.get("/healthz", headers={"x-request-id": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    generated = client.get("/healthz", headers={"x-request-id": "bad id\twith spaces"})
    assert generated.headers["x-request-id"] not in ("", "bad id\twith spaces")
    error = client.post("/v1/classify", content=b"x", headers={"x-request-id": "req-9"})
    assert error.json()["error"]["request_id"] == "req-9"


def test_metrics_count_requests_and_predictions(model_file: Path) -> None:
    for client in _client(model_file):
        for kind in range(3):
            assert client.post("/v1/classify", json={"log": github_log(kind, 1)}).status_code == 200
        client.post("/v1/classify", content=b"x")  # 415
        text = client.get("/metrics").text
    assert (
        'autoheal_http_requests_total{method="POST",route="/v1/classify",status="200"} 3.0' in text
    )
    assert 'route="/v1/classify",status="415"} 1.0' in text
    assert "autoheal_http_request_duration_seconds_bucket" in text
    predicted = [
        line for line in text.splitlines() if line.startswith("autoheal_predictions_total")
    ]
    assert sum(float(line.rsplit(" ", 1)[1]) for line in predicted) == 3.0
    assert "autoheal_prediction_confidence_bucket" in text
    assert json.dumps("/v1/classify")  # route label is the template, not the raw path
