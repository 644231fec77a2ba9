"""The warm-up: generated logs classified when a model loads, before it is made current."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import datasets.generator
import model
from model import detect_format
from service import Settings, _warmup, create_app
from service.settings import DEFAULT_WARMUP_LOGS
from tests._service_support import github_log, publish_version

ADMIN = {"authorization": "Bearer admin-secret"}


class _Extractions:
    """The real `extract_region` of the warm-up, counted: what it read, and which model was
    current (serving) at the time."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, fail_at: int | None = None) -> None:
        self.app: FastAPI | None = None
        self.logs: list[bytes] = []
        self.serving: list[str | None] = []
        self._real = model.extract_region
        self._fail_at = fail_at
        monkeypatch.setattr(_warmup, "extract_region", self)

    def __call__(self, source: Any) -> Any:
        if len(self.logs) == self._fail_at:
            raise RuntimeError("scanner exploded")
        assert self.app is not None
        current = self.app.state.holder.classifier
        self.serving.append(None if current is None else current.model_version)
        self.logs.append(source.data)
        return self._real(source)


def _app(extractions: _Extractions, settings: Settings) -> FastAPI:
    extractions.app = create_app(settings)
    return extractions.app


def _loaded(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [r.warmup for r in caplog.records if r.getMessage() == "model loaded"]  # type: ignore[attr-defined]


def _warnings(caplog: pytest.LogCaptureFixture) -> list[Any]:
    return [r for r in caplog.records if r.getMessage() == "model warm-up failed"]


def test_the_warmup_classifies_the_configured_count_before_serving(
    champion: Path,
    source_model: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    extractions = _Extractions(monkeypatch)
    settings = Settings(model_uri=str(champion), warmup_logs=6, admin_token="admin-secret")  # type: ignore[arg-type]
    with caplog.at_level("INFO"), TestClient(_app(extractions, settings)) as client:
        # At start-up no model served while it warmed up.
        assert extractions.serving == [None] * 6
        assert len(set(extractions.logs)) == 6
        assert {detect_format(log) for log in extractions.logs} == {"github_actions"}
        # A reload warms the new model up while the previous one still serves.
        publish_version(source_model, champion, "v2")
        assert client.post("/v1/model/reload", headers=ADMIN).status_code == 200
        assert extractions.serving[6:] == ["v1"] * 6
        assert client.post("/v1/classify", json={"log": github_log(0, 1)}).status_code == 200
    assert len(extractions.logs) == 12  # requests do not go through the warm-up's function
    first, second = _loaded(caplog)
    assert first["logs"] == second["logs"] == 6
    assert first["seconds"] > 0
    assert not _warnings(caplog)


def test_zero_logs_disables_the_warmup(
    champion: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    extractions = _Extractions(monkeypatch)
    monkeypatch.setattr(datasets.generator, "all_families", _explode)  # never asked for
    settings = Settings(model_uri=str(champion), warmup_logs=0)
    with caplog.at_level("INFO"), TestClient(_app(extractions, settings)):
        pass
    assert extractions.logs == []
    assert _loaded(caplog) == [{"logs": 0, "seconds": 0.0}]
    assert not _warnings(caplog)


def _explode() -> None:
    raise RuntimeError("generator exploded")


@pytest.mark.parametrize(("break_what", "done"), [("generator", 0), ("scanner", 2)])
def test_a_failed_warmup_still_loads_the_model(
    champion: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    break_what: str,
    done: int,
) -> None:
    extractions = _Extractions(monkeypatch, fail_at=2 if break_what == "scanner" else None)
    if break_what == "generator":
        monkeypatch.setattr(datasets.generator, "all_families", _explode)
    settings = Settings(model_uri=str(champion), warmup_logs=5)
    with caplog.at_level("INFO"), TestClient(_app(extractions, settings)) as client:
        assert client.get("/readyz").status_code == 200
        assert client.post("/v1/classify", json={"log": github_log(1, 2)}).status_code == 200
    (warning,) = _warnings(caplog)
    assert warning.levelname == "WARNING"
    assert "exploded" in warning.error
    assert warning.logs == done
    (loaded,) = _loaded(caplog)
    assert loaded["logs"] == done


def test_the_default_warmup_logs_are_distinct_github_actions_job_logs() -> None:
    assert Settings.model_fields["warmup_logs"].default == DEFAULT_WARMUP_LOGS > 0
    logs = list(_warmup.warmup_logs(DEFAULT_WARMUP_LOGS))
    assert len(set(logs)) == len(logs) == DEFAULT_WARMUP_LOGS
    assert {detect_format(log) for log in logs} == {"github_actions"}
    assert sum(b"##[error]" in log for log in logs) > 0.9 * len(logs)  # failed jobs
    assert list(_warmup.warmup_logs(3)) == logs[:3]  # the same logs in every process
