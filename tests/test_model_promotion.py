"""`autoheal model promote|rollback|list`, and the service following the champion unrestarted.

One MLflow SQLite store with three registered versions is prepared per module (creating the
schema and logging models costs seconds); each test works on its own copy of the database.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from autoheal.cli import app as cli
from model.classifier import Classifier
from service import Settings, create_app
from tests._service_support import build_toy_artifact, publish_version
from training import tracking
from training.config import CHAMPION_ALIAS, REGISTERED_MODEL, TrainConfig
from training.promote import PromotionError, list_versions, promote, rollback

N_GENERATED, SEED = 300, 3
# Registered in this order: 1 and 3 hold the same estimator, 2 a toy model of four labels.
GOOD, WORSE, EQUAL = "1", "2", "3"
MODEL_VERSIONS = {GOOD: "good-a", WORSE: "test", EQUAL: "good-b"}  # "test": the toy's


@dataclass
class Store:
    root: Path
    database: Path


@pytest.fixture(scope="module")
def prepared(model_artifact: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    root = tmp_path_factory.mktemp("registry")
    uri = f"sqlite:///{root / 'mlflow.db'}"
    sources = {
        GOOD: root / "good-a.joblib",
        WORSE: build_toy_artifact(root / "toy.joblib"),
        EQUAL: root / "good-b.joblib",
    }
    publish_version(model_artifact, sources[GOOD], MODEL_VERSIONS[GOOD])
    publish_version(model_artifact, sources[EQUAL], MODEL_VERSIONS[EQUAL])
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)  # MLflow puts the artifacts under ./mlruns
        for version, path in sources.items():
            logged = tracking.log_training_run(
                tracking_uri=uri,
                experiment="autoheal-classifier",
                params={"case": MODEL_VERSIONS[version]},
                metrics={},
                figures=[],
                artifact_path=path,
                registered_model=REGISTERED_MODEL,
                input_example=["##[error]Process completed with exit code 1."],
            )
            assert logged["version"] == version
            tracking.tag_version(
                uri, REGISTERED_MODEL, version, {"autoheal.model_version": MODEL_VERSIONS[version]}
            )
        # The frozen evaluation set's generated part, made once.
        from training import data as data_mod

        data_mod.load_generated(root / "var/data", N_GENERATED, SEED)
    yield Store(root, root / "mlflow.db")


@pytest.fixture()
def config(prepared: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TrainConfig:
    database = tmp_path / "mlflow.db"
    shutil.copyfile(prepared.database, database)
    uri = f"sqlite:///{database}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.chdir(prepared.root)  # var/data holds the generated set
    config = TrainConfig(
        n_generated=N_GENERATED, seed=SEED, n_jobs=1, tracking_uri=uri, use_feedback=False
    )
    config.data_dir = prepared.root / "var/data"
    config.model_path = tmp_path / "models/autoheal-classifier.joblib"
    return config


def _champion(config: TrainConfig) -> str | None:
    return tracking.current_champion(config.tracking_uri, REGISTERED_MODEL, CHAMPION_ALIAS)


def _local_version(config: TrainConfig) -> str:
    return Classifier.load(config.model_path).model_version


def test_a_worse_version_is_refused_with_both_figures(config: TrainConfig) -> None:
    first = promote(GOOD, config=config)
    assert first.moved and first.previous is None and "first champion" in first.message
    assert _champion(config) == GOOD and _local_version(config) == MODEL_VERSIONS[GOOD]
    local = Classifier.load(config.model_path).info()
    assert local["alias"] == CHAMPION_ALIAS

    refused = promote(WORSE, config=config)
    assert not refused.moved and "worse" in refused.message and "--force" in refused.message
    assert refused.new_metrics is not None and refused.old_metrics is not None
    assert refused.new_metrics["macro_f1"] < refused.old_metrics["macro_f1"]
    assert refused.new_metrics["n"] == refused.old_metrics["n"] > 0
    assert _champion(config) == GOOD and _local_version(config) == MODEL_VERSIONS[GOOD]


def test_the_command_exits_1_when_refused_and_0_when_promoted(config: TrainConfig) -> None:
    out = str(config.model_path)
    args = ["model", "promote", "--n", str(N_GENERATED), "--seed", str(SEED), "--out", out]
    assert CliRunner().invoke(cli, [*args, GOOD]).exit_code == 0
    refused = CliRunner().invoke(cli, [*args, WORSE])
    assert refused.exit_code == 1, refused.output
    assert "macro-F1" in refused.output and f"version {WORSE}" in refused.output
    assert f"version {GOOD}" in refused.output and "not promoted" in refused.output
    unknown = CliRunner().invoke(cli, [*args, "99"])
    assert unknown.exit_code == 2 and "no version '99'" in unknown.output
    listed = CliRunner().invoke(cli, ["model", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    import json

    rows = json.loads(listed.stdout)
    assert [r["version"] for r in rows] == [EQUAL, WORSE, GOOD]
    assert [r["version"] for r in rows if r["champion"]] == [GOOD]
    assert rows[-1]["model_version"] == MODEL_VERSIONS[GOOD]


def test_an_equal_version_is_promoted_and_force_overrides(config: TrainConfig) -> None:
    promote(GOOD, config=config)
    equal = promote(EQUAL, config=config)
    assert equal.moved and equal.previous == GOOD and "replaces" in equal.message
    assert equal.new_metrics == equal.old_metrics
    assert _champion(config) == EQUAL and _local_version(config) == MODEL_VERSIONS[EQUAL]
    again = promote(EQUAL, config=config)
    assert not again.moved and "already" in again.message

    forced = promote(WORSE, force=True, config=config)
    assert forced.moved and "forced" in forced.message
    assert _champion(config) == WORSE and _local_version(config) == MODEL_VERSIONS[WORSE]


def test_rollback_walks_back_the_recorded_champions(config: TrainConfig) -> None:
    with pytest.raises(PromotionError, match="nothing to roll back"):
        rollback(config=config)
    promote(GOOD, config=config)
    with pytest.raises(PromotionError, match="nothing to roll back"):
        rollback(config=config)
    promote(EQUAL, config=config)
    promote(WORSE, force=True, config=config)

    back = rollback(config=config)
    assert back.moved and back.previous == WORSE and back.version == EQUAL
    assert _champion(config) == EQUAL and _local_version(config) == MODEL_VERSIONS[EQUAL]
    assert rollback(config=config).version == GOOD
    assert _champion(config) == GOOD and _local_version(config) == MODEL_VERSIONS[GOOD]
    with pytest.raises(PromotionError, match=f"the champion is version {GOOD}"):
        rollback(config=config)
    result = CliRunner().invoke(cli, ["model", "rollback", "--out", str(config.model_path)])
    assert result.exit_code == 1 and "nothing to roll back" in result.output
    assert _champion(config) == GOOD
    champion = next(r for r in list_versions(config) if r["champion"])
    assert champion["version"] == GOOD and champion["champion_since"]


def _wait_for(check: Callable[[], bool], seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def _service_settings(model_uri: str, tmp_path: Path) -> Settings:
    return Settings(
        model_uri=model_uri,
        model_poll_seconds=0.2,
        worker_enabled=False,
        database_url=f"sqlite:///{tmp_path / 'service.db'}",
    )


def test_the_service_follows_the_champion_alias(config: TrainConfig, tmp_path: Path) -> None:
    promote(GOOD, config=config, write_local_copy=False)
    settings = _service_settings(f"models:/{REGISTERED_MODEL}@{CHAMPION_ALIAS}", tmp_path)
    with TestClient(create_app(settings)) as client:
        assert client.get("/v1/model").json()["version"] == MODEL_VERSIONS[GOOD]
        promote(EQUAL, config=config, write_local_copy=False)
        assert _wait_for(lambda: client.get("/v1/model").json()["version"] == MODEL_VERSIONS[EQUAL])
        answer = client.post("/v1/classify", json={"log": "##[error]Process completed"}).json()
        assert answer["model_version"] == MODEL_VERSIONS[EQUAL]
        rollback(config=config, write_local_copy=False)
        assert _wait_for(lambda: client.get("/v1/model").json()["version"] == MODEL_VERSIONS[GOOD])


def test_the_service_follows_a_replaced_local_file(model_artifact: Path, tmp_path: Path) -> None:
    local = tmp_path / "champion.joblib"
    publish_version(model_artifact, local, "file-v1")
    with TestClient(create_app(_service_settings(str(local), tmp_path))) as client:
        assert client.get("/v1/model").json()["version"] == "file-v1"
        publish_version(model_artifact, local, "file-v2")  # written aside, renamed into place
        assert _wait_for(lambda: client.get("/v1/model").json()["version"] == "file-v2")

        # A broken replacement is tried once and refused; the model in use stays.
        broken = tmp_path / "broken.tmp"
        broken.write_bytes(b"not a model")
        os.replace(broken, local)
        assert _wait_for(
            lambda: (
                'autoheal_model_loads_total{outcome="failed"} 1.0' in client.get("/metrics").text
            )
        )
        assert client.get("/v1/model").json()["version"] == "file-v2"
        assert client.get("/readyz").status_code == 200
        publish_version(model_artifact, local, "file-v3")
        assert _wait_for(lambda: client.get("/v1/model").json()["version"] == "file-v3")
