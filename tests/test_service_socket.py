"""The service over real sockets: uvicorn in a thread, and ``serve`` with two worker processes."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from service import Settings, create_app
from service._logging import JsonFormatter, reset_request_id, set_request_id
from tests._service_support import (
    free_port,
    github_log,
    live_server,
    model_path,
    publish_version,
    start_service,
)

REPO = Path(__file__).resolve().parents[1]
TEXT = {"content-type": "text/plain"}
SECRET_LINE = "UNIQUE-BODY-MARKER-8a1f2c"


@pytest.fixture(scope="module")
def model_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return model_path(request, tmp_path_factory)


@pytest.fixture(scope="module")
def server_url(model_file: Path) -> Iterator[str]:
    settings = Settings(model_uri=str(model_file), max_body_bytes=1024 * 1024)
    with live_server(create_app(settings)) as url:
        yield url


def test_classify_over_a_socket(server_url: str) -> None:
    with httpx.Client(base_url=server_url) as http:
        response = http.post("/v1/classify", json={"log": github_log(1, 3), "job": "build"})
        gz = http.post(
            "/v1/classify",
            content=gzip.compress(github_log(1, 3).encode()),
            headers={**TEXT, "content-encoding": "gzip"},
        )
    assert response.status_code == 200 and response.json()["job"] == "build"
    assert gz.status_code == 200 and gz.json()["fingerprint"] == response.json()["fingerprint"]
    assert response.headers["x-request-id"]


def test_oversized_streamed_upload_is_refused_and_server_survives(server_url: str) -> None:
    def endless() -> Iterator[bytes]:  # chunked, no Content-Length, far above the 1 MB limit
        for _ in range(4096):
            yield b"z" * 65536

    with httpx.Client(base_url=server_url, timeout=30) as http:
        try:
            response = http.post("/v1/classify", content=endless(), headers=TEXT)
        except httpx.HTTPError:
            response = None  # the server may close the connection while we still send
        if response is not None:
            assert response.status_code == 413
            assert response.json()["error"]["code"] == "payload_too_large"
        declared = http.post("/v1/classify", content=b"a" * (1024 * 1024 + 1), headers=TEXT)
        assert declared.status_code == 413
        assert http.get("/healthz").status_code == 200


def test_json_formatter_writes_one_object_per_line() -> None:
    import logging

    token = set_request_id("rid-42")
    try:
        record = logging.LogRecord(
            "autoheal.access", logging.INFO, __file__, 1, "request", (), None
        )
        record.status = 200
        line = JsonFormatter().format(record)
    finally:
        reset_request_id(token)
    parsed = json.loads(line)
    assert "\n" not in line
    assert parsed["request_id"] == "rid-42" and parsed["status"] == 200
    assert parsed["message"] == "request" and parsed["level"] == "INFO"


def _wait_ready(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not become ready")


def _post_log(url: str, i: int) -> int:
    log = github_log(i % 4, i) + f"echo {SECRET_LINE}\n"
    # A fresh connection per request, so that both worker processes get a share.
    response = httpx.post(f"{url}/v1/classify", content=log.encode(), headers=TEXT, timeout=30)
    return response.status_code


def test_serve_with_two_workers_sums_metrics_and_logs_json(
    model_file: Path, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    champion = tmp_path / "champion.joblib"
    publish_version(model_file, champion, "v1")
    publish_version(model_file, tmp_path / "v2.joblib", "v2")
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {
        **os.environ,
        "AUTOHEAL_MODEL_URI": str(champion),
        "AUTOHEAL_RELOAD_POLL_SECONDS": "0.2",
        "AUTOHEAL_ADMIN_TOKEN": "adm",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    before = set(Path(tempfile.gettempdir()).glob("autoheal-serve-*"))
    stderr_path = tmp_path / "stderr.log"
    n = 40
    with open(stderr_path, "wb") as stderr:
        process = start_service(port, env, stderr)
        try:
            _wait_ready(url, process)
            with ThreadPoolExecutor(max_workers=8) as pool:
                statuses = list(pool.map(lambda i: _post_log(url, i), range(n)))
            httpx.get(f"{url}/healthz", headers={"x-request-id": "probe-1"})
            os.replace(tmp_path / "v2.joblib", champion)
            reload = httpx.post(f"{url}/v1/model/reload", headers={"authorization": "Bearer adm"})
            # The other worker notices the reload signal (polled every 0.2 s) and loads too.
            deadline = time.monotonic() + 60
            while True:
                with ThreadPoolExecutor(max_workers=4) as pool:
                    seen = list(pool.map(lambda _: httpx.get(f"{url}/v1/model").json(), range(12)))
                if {info["version"] for info in seen} == {"v2"} or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            text = httpx.get(f"{url}/metrics").text
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    logged = stderr_path.read_text(encoding="utf-8")
    assert statuses == [200] * n and reload.status_code == 200, logged[-3000:]
    assert {info["version"] for info in seen} == {"v2"}  # every worker serves the new model
    # Each worker process counts its own model loads (startup, then the reload): 4 in all. A
    # scrape answered by one worker shows them all only if it sums the workers' files.
    assert 'autoheal_model_loads_total{outcome="ok"} 4.0' in text
    # The outcome gauges come from the shared database: exposed in multiprocess mode too.
    assert (
        'autoheal_outcome_rate_target{rate="merge"}' in text
        or "autoheal_outcome_rate_target{" in text
    )
    ok = [
        line
        for line in text.splitlines()
        if line.startswith('autoheal_http_requests_total{method="POST",route="/v1/classify"')
    ]
    assert sum(float(line.rsplit(" ", 1)[1]) for line in ok) == n
    predicted = [
        line for line in text.splitlines() if line.startswith("autoheal_predictions_total")
    ]
    assert sum(float(line.rsplit(" ", 1)[1]) for line in predicted) == n
    records = [json.loads(line) for line in logged.splitlines() if line.strip()]  # all JSON
    access = [r for r in records if r.get("logger") == "autoheal.access"]
    assert len(access) >= n and all(r.get("request_id") for r in access)
    assert any(r["request_id"] == "probe-1" for r in access)
    assert SECRET_LINE not in logged  # log bodies are never logged
    assert set(Path(tempfile.gettempdir()).glob("autoheal-serve-*")) <= before  # cleaned up
