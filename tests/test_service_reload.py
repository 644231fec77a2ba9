"""``POST /v1/model/reload``: who may call it, and that a swap under load fails no request."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from service import Settings, create_app
from tests._service_support import github_log, live_server, publish_version

ADMIN = {"authorization": "Bearer admin-secret"}


def _settings(path: Path, **overrides: object) -> Settings:
    return Settings(model_uri=str(path), **overrides)  # type: ignore[arg-type]


def test_reload_is_404_without_an_admin_token(champion: Path) -> None:
    with TestClient(create_app(_settings(champion))) as client:
        response = client.post("/v1/model/reload", headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "reload_disabled"


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"authorization": "Bearer nope"}, 403), ({"authorization": "Token x"}, 401)],
)
def test_reload_needs_the_admin_token(champion: Path, headers: dict[str, str], status: int) -> None:
    settings = _settings(champion, admin_token="admin-secret", api_token="api-secret")
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/model/reload", headers=headers)
        # The API token is not an admin token.
        api = client.post("/v1/model/reload", headers={"authorization": "Bearer api-secret"})
    assert response.status_code == status and "error" in response.json()
    assert api.status_code == 403


def test_reload_swaps_in_the_new_champion(champion: Path, source_model: Path) -> None:
    with TestClient(create_app(_settings(champion, admin_token="admin-secret"))) as client:
        assert client.get("/v1/model").json()["version"] == "v1"
        publish_version(source_model, champion, "v2")
        response = client.post("/v1/model/reload", headers=ADMIN)
        assert response.status_code == 200, response.text
        assert response.json()["previous_version"] == "v1"
        assert response.json()["model"]["version"] == "v2"
        assert client.get("/v1/model").json()["version"] == "v2"
        answer = client.post("/v1/classify", json={"log": github_log(0, 1)}).json()
        assert answer["model_version"] == "v2"
        metrics = client.get("/metrics").text
        assert 'autoheal_model_loads_total{outcome="ok"} 2.0' in metrics


def test_failed_reload_keeps_the_previous_model(champion: Path) -> None:
    with TestClient(create_app(_settings(champion, admin_token="admin-secret"))) as client:
        champion.write_bytes(b"not a model")
        response = client.post("/v1/model/reload", headers=ADMIN)
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "model_load_failed"
        assert client.get("/readyz").status_code == 200
        assert client.post("/v1/classify", json={"log": "error: x"}).status_code == 200


def test_reload_during_concurrent_requests_fails_none(champion: Path, source_model: Path) -> None:
    app = create_app(_settings(champion, admin_token="admin-secret"))
    statuses: list[int] = []
    versions: set[str] = set()
    failures: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()

    def hammer(url: str, seed: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            i = 0
            while not stop.is_set() or i < 5:
                i += 1
                try:
                    r = http.post(
                        "/v1/classify",
                        content=github_log(i % 4, seed + i).encode(),
                        headers={"content-type": "text/plain"},
                    )
                except httpx.HTTPError as exc:  # a dropped connection is a failed request too
                    with lock:
                        failures.append(repr(exc))
                    continue
                with lock:
                    statuses.append(r.status_code)
                    if r.status_code == 200:
                        versions.add(r.json()["model_version"])

    prepared = {}
    for version in ("v2", "v3", "v4"):
        prepared[version] = champion.with_name(f"{version}.joblib")
        publish_version(source_model, prepared[version], version)
    with live_server(app) as url:
        workers = [threading.Thread(target=hammer, args=(url, s * 100)) for s in range(6)]
        for worker in workers:
            worker.start()
        with httpx.Client(base_url=url, timeout=30) as admin:
            for version in ("v2", "v3", "v4"):
                os.replace(prepared[version], champion)  # publish atomically
                reloaded = admin.post("/v1/model/reload", headers=ADMIN)
                assert reloaded.status_code == 200, reloaded.text
            final = admin.get("/v1/model").json()["version"]
        stop.set()
        for worker in workers:
            worker.join(timeout=60)
    assert not failures
    assert statuses and set(statuses) == {200}
    assert final == "v4"
    assert len(versions) >= 2  # requests were answered before and after a swap


def test_the_load_log_says_how_the_scanner_runs(
    champion: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import model
    from model._fast_re2 import NATIVE_RE2

    with caplog.at_level("INFO"), TestClient(create_app(_settings(champion))):
        pass
    loaded = [r for r in caplog.records if r.getMessage() == "model loaded"]
    assert loaded
    assert loaded[0].scanner == model.COMPILED_SCANNER  # type: ignore[attr-defined]
    assert loaded[0].re2 == ("system" if NATIVE_RE2 else "google-re2")  # type: ignore[attr-defined]
