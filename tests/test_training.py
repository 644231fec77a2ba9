"""`autoheal train` end to end on a small set: MLflow logging, registration, champion alias."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from model.taxonomy import LABELS
from training.evaluate import Scored, compute_metrics, expected_calibration_error


def test_ece_of_a_perfectly_calibrated_set_is_small() -> None:
    rng = np.random.default_rng(0)
    confidence = rng.uniform(0.3, 1.0, 20_000)
    correct = (rng.uniform(size=confidence.size) < confidence).astype(float)
    assert expected_calibration_error(confidence, correct) < 0.02
    # Always 90% sure, right half the time: ECE is the gap.
    assert expected_calibration_error(
        np.full(1000, 0.9), np.tile([1.0, 0.0], 500)
    ) == pytest.approx(0.4)


def test_precision_and_coverage_at_threshold() -> None:
    proba = np.zeros((4, len(LABELS)))
    rows = [("timeout", 0.9), ("network", 0.95), ("timeout", 0.5), ("unknown", 0.99)]
    for i, (label, p) in enumerate(rows):
        proba[i, LABELS.index(label)] = p
        proba[i, LABELS.index("compilation")] += 1 - p
    scored = Scored(
        y_true=["timeout", "timeout", "timeout", "unknown"],
        y_pred=[label for label, _ in rows],
        proba=proba,
    )
    metrics = compute_metrics(scored, threshold=0.7)
    # Acted on: rows 0 and 1 (row 3 is unknown, row 2 below the threshold); one of them right.
    assert metrics["coverage_at_threshold"] == pytest.approx(0.5)
    assert metrics["precision_at_threshold"] == pytest.approx(0.5)
    assert metrics["accuracy"] == pytest.approx(0.75)


@pytest.mark.slow
def test_train_registers_and_promotes_only_when_not_worse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from model.classifier import Classifier
    from training import tracking
    from training.config import CHAMPION_ALIAS, TrainConfig
    from training.run import train

    monkeypatch.chdir(tmp_path)
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    config = TrainConfig(n_generated=900, seed=5, cv_folds=3, n_jobs=1, tracking_uri=uri)
    config.model_path = tmp_path / "models" / "champion.joblib"
    config.data_dir = tmp_path / "data"
    config.artifacts_dir = tmp_path / "reports"

    first = train(config)
    assert first.promoted
    assert config.model_path.is_file()
    assert (
        tracking.current_champion(uri, config.registered_model, CHAMPION_ALIAS)
        == first.mlflow["version"]
    )
    local = Classifier.load(config.model_path)
    assert local.model_version == first.model_version
    provenance = local.provenance
    assert provenance["data"]["train_data_hash"]
    assert set(provenance["versions"]) >= {"python", "scikit-learn", "numpy"}
    assert provenance["metrics"]["frozen_eval"]["n"] > 0
    for key in (
        "accuracy",
        "macro_f1",
        "ece",
        "brier",
        "precision_at_threshold",
        "coverage_at_threshold",
    ):
        assert key in first.metrics["frozen_eval"]
    # Figures and metrics reached MLflow.
    import mlflow

    run = mlflow.MlflowClient(uri).get_run(first.mlflow["run_id"])
    assert "frozen_eval.macro_f1" in run.data.metrics
    artifacts = {
        a.path for a in mlflow.MlflowClient(uri).list_artifacts(run.info.run_id, "figures")
    }
    assert any("reliability" in a for a in artifacts) and any("confusion" in a for a in artifacts)
    # The champion loads from the registry too.
    remote = Classifier.load(f"models:/{config.registered_model}@{CHAMPION_ALIAS}")
    assert remote.model_version == first.model_version

    # A model fitted on 60 logs is worse on the frozen set: registered, but not promoted.
    small = TrainConfig(n_generated=60, seed=5, cv_folds=2, n_jobs=1, tracking_uri=uri)
    small.model_path, small.data_dir, small.artifacts_dir = (
        config.model_path,
        config.data_dir,
        config.artifacts_dir,
    )
    second = train(small)
    assert second.mlflow["version"] != first.mlflow["version"]
    assert not second.promoted, second.reason
    assert "worse" in second.reason
    assert (
        tracking.current_champion(uri, config.registered_model, CHAMPION_ALIAS)
        == first.mlflow["version"]
    )
    assert Classifier.load(config.model_path).model_version == first.model_version
    assert json.loads(json.dumps(second.metrics))  # metrics are JSON-serialisable


def test_forked_extraction_matches_one_process() -> None:
    from datasets.generator import generate
    from training.fit import extract_all

    records = list(generate(1100, seed=9))
    assert extract_all(records, n_jobs=2) == extract_all(records, n_jobs=1)
