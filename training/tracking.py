"""MLflow: log a training run, register the model, and move the ``champion`` alias.

MLflow is imported lazily (about 2 s); the embedded default store is SQLite under ``var/``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from model.classifier import MLFLOW_ARTIFACT_NAME

os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")


def _mlflow(tracking_uri: str) -> Any:
    import mlflow

    if tracking_uri.startswith("sqlite:///"):
        Path(tracking_uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    mlflow.set_tracking_uri(tracking_uri)
    return mlflow


def _flatten(prefix: str, metrics: dict[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in metrics.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.update(_flatten(name, value))
        elif isinstance(value, int | float) and value == value:  # skip NaN
            out[name] = float(value)
    return out


def log_training_run(
    *,
    tracking_uri: str,
    experiment: str,
    params: dict[str, Any],
    metrics: dict[str, dict[str, Any]],
    figures: list[Path],
    artifact_path: Path,
    registered_model: str,
    input_example: list[str],
) -> dict[str, Any]:
    """Log one run and register its model; return ``{"run_id", "version"}``."""
    mlflow = _mlflow(tracking_uri)
    import pandas as pd
    from mlflow.models import infer_signature

    mlflow.set_experiment(experiment)
    staging = Path(tempfile.mkdtemp(prefix="autoheal-model-"))
    # MLflow stores an artifact under its file name; the loader looks for the canonical one.
    canonical = staging / MLFLOW_ARTIFACT_NAME
    shutil.copyfile(artifact_path, canonical)
    with mlflow.start_run() as run:
        mlflow.log_params({k: str(v)[:500] for k, v in params.items()})
        for set_name, values in metrics.items():
            mlflow.log_metrics(_flatten(set_name, values))
            mlflow.log_dict(values, f"metrics/{set_name}.json")
        for figure in figures:
            mlflow.log_artifact(str(figure), artifact_path="figures")
        example = pd.DataFrame({"log": input_example})
        output = pd.DataFrame(
            {
                "category": ["unknown"],
                "confidence": [0.5],
                "auto_fix": [False],
                "fingerprint": ["0" * 16],
            }
        )
        # Models from code: MLflow stores this file, not a pickle of the object.
        entry = importlib.util.find_spec("model._mlflow_entry")
        assert entry is not None and entry.origin is not None
        info = mlflow.pyfunc.log_model(
            name="model",
            python_model=entry.origin,
            artifacts={"classifier": str(canonical)},
            signature=infer_signature(example, output),
            input_example=example,
            registered_model_name=registered_model,
            pip_requirements=["autoheal"],
        )
        version = getattr(info, "registered_model_version", None)
    shutil.rmtree(staging, ignore_errors=True)
    return {"run_id": run.info.run_id, "version": None if version is None else str(version)}


def champion_uri(registered_model: str, alias: str) -> str:
    return f"models:/{registered_model}@{alias}"


def current_champion(tracking_uri: str, registered_model: str, alias: str) -> str | None:
    """The version the alias points at, or None."""
    mlflow = _mlflow(tracking_uri)
    client = mlflow.MlflowClient()
    try:
        return str(client.get_model_version_by_alias(registered_model, alias).version)
    except Exception:  # no such model or alias yet
        return None


def set_champion(tracking_uri: str, registered_model: str, alias: str, version: str) -> None:
    mlflow = _mlflow(tracking_uri)
    mlflow.MlflowClient().set_registered_model_alias(registered_model, alias, version)


def tag_version(
    tracking_uri: str, registered_model: str, version: str, tags: dict[str, Any]
) -> None:
    mlflow = _mlflow(tracking_uri)
    client = mlflow.MlflowClient()
    for key, value in tags.items():
        client.set_model_version_tag(
            registered_model,
            version,
            key,
            json.dumps(value) if not isinstance(value, str) else value,
        )
