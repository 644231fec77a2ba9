"""The classifier wrapper: one fitted estimator plus what it needs to answer for a raw log.

An artifact is a joblib file holding a dict (see :func:`save_artifact`): the fitted estimator
(calibrated pipeline whose input is :func:`model._features.feature_text`), the label order, the
abstention floor and the provenance (library versions, data hash, metrics). It can also be loaded
from MLflow (``models:/autoheal-classifier@champion``, ``runs:/...``), where the same dict is kept
as the registered model's metadata.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Final

import joblib
import numpy as np
import sklearn

from model._extract import Evidence, Region, extract_region
from model._features import feature_text
from model._inference import compile_fast_proba
from model.taxonomy import LABELS, UNKNOWN

ARTIFACT_FORMAT: Final = "autoheal-classifier/1"
DEFAULT_THRESHOLD: Final = 0.70
DEFAULT_MODEL_PATH: Final = Path("var/models/autoheal-classifier.joblib")

LogSource = bytes | str | os.PathLike[str] | BinaryIO


class ModelLoadError(RuntimeError):
    """The model artifact is missing, unreadable or of another format."""


@dataclass(frozen=True)
class Prediction:
    """The answer for one log. ``to_dict`` is the JSON object the CLI and the API return."""

    category: str
    confidence: float
    probabilities: dict[str, float]
    auto_fix: bool
    threshold: float
    evidence: tuple[Evidence, ...]
    fingerprint: str
    model_version: str
    step: str | None = None
    exit_code: int | None = None
    log_format: str = "plain"
    extra: dict[str, Any] = field(default_factory=dict)

    def top(self, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` most probable categories, most probable first."""
        ranked = sorted(self.probabilities.items(), key=lambda item: item[1], reverse=True)
        return ranked[:k]

    def to_dict(self) -> dict[str, Any]:
        evidence = []
        for item in self.evidence:
            entry: dict[str, Any] = {"line": item.line, "text": item.text}
            if item.file is not None:
                entry["file"] = item.file
            evidence.append(entry)
        out: dict[str, Any] = {
            "category": self.category,
            "confidence": round(self.confidence, 4),
            "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()},
            "auto_fix": self.auto_fix,
            "threshold": self.threshold,
            "evidence": evidence,
            "fingerprint": self.fingerprint,
            "model_version": self.model_version,
            "step": self.step,
            "exit_code": self.exit_code,
            "log_format": self.log_format,
        }
        out.update(self.extra)
        return out


def _versions() -> dict[str, str]:
    import joblib as _joblib
    import sklearn

    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "joblib": _joblib.__version__,
    }


def save_artifact(
    path: str | os.PathLike[str],
    estimator: Any,
    *,
    model_version: str,
    abstain_below: float,
    provenance: dict[str, Any],
) -> Path:
    """Write the artifact atomically and return its path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": ARTIFACT_FORMAT,
        "estimator": estimator,
        "labels": list(LABELS),
        "model_version": model_version,
        "abstain_below": abstain_below,
        "provenance": {**provenance, "versions": _versions()},
    }
    tmp = target.with_name(target.name + ".tmp")
    joblib.dump(payload, tmp, compress=3)
    os.replace(tmp, target)
    return target


class Classifier:
    """Classify raw CI logs with a fitted estimator; load with :meth:`load`."""

    def __init__(
        self,
        estimator: Any,
        *,
        model_version: str,
        abstain_below: float = 0.0,
        threshold: float = DEFAULT_THRESHOLD,
        provenance: dict[str, Any] | None = None,
        source: str = "",
    ) -> None:
        self.estimator = estimator
        self.model_version = model_version
        self.abstain_below = abstain_below
        self.threshold = threshold
        self.provenance = provenance or {}
        self.source = source
        self.loaded_at = time.time()
        classes = [str(c) for c in estimator.classes_]
        unknown_classes = set(classes) - set(LABELS)
        if unknown_classes:
            raise ModelLoadError(f"model predicts labels outside the taxonomy: {unknown_classes}")
        # Column i of predict_proba is classes[i]; map it to its place in LABELS order.
        self._columns = np.array([LABELS.index(c) for c in classes])
        # The usual case: the estimator's columns are already in `LABELS` order.
        self._in_label_order = classes == list(LABELS)
        # The same probabilities as `estimator.predict_proba`, minus scikit-learn's per-call
        # overhead (5 ms of a 6 ms single-log prediction); None for an estimator of another shape.
        self._fast_proba = compile_fast_proba(estimator)

    # -- loading -----------------------------------------------------------------------------
    @classmethod
    def load(
        cls, uri: str | os.PathLike[str] = DEFAULT_MODEL_PATH, *, threshold: float | None = None
    ) -> Classifier:
        """Load a local artifact file, or an MLflow model URI (``models:/...``, ``runs:/...``)."""
        text = os.fspath(uri)
        if "://" in text or text.startswith(("models:/", "runs:/")):
            payload = _load_mlflow(text)
        else:
            payload = _load_file(Path(text))
        return cls(
            payload["estimator"],
            model_version=str(payload["model_version"]),
            abstain_below=float(payload.get("abstain_below", 0.0)),
            threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            provenance=dict(payload.get("provenance", {})),
            source=text,
        )

    # -- inference ---------------------------------------------------------------------------
    def probabilities(self, regions: Sequence[Region]) -> np.ndarray:
        """Calibrated probabilities, one row per region, columns in ``LABELS`` order."""
        texts = [feature_text(r) for r in regions]
        if self._fast_proba is not None:
            raw = self._fast_proba(texts)
        else:
            # The inputs are strings this class built: the finiteness and parameter checks
            # cannot fail and cost more than the prediction on a single log.
            with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
                raw = self.estimator.predict_proba(texts)
        if (
            self._in_label_order
            and type(raw) is np.ndarray
            and raw.dtype == np.float64
            and raw.shape == (len(regions), len(LABELS))
        ):
            return raw  # a new array of each call, already what the copy below would give
        out = np.zeros((len(regions), len(LABELS)), dtype=np.float64)
        out[:, self._columns] = raw
        return out

    def predict_region(self, region: Region, *, threshold: float | None = None) -> Prediction:
        return self.predict_regions([region], threshold=threshold)[0]

    def predict_regions(
        self, regions: Sequence[Region], *, threshold: float | None = None
    ) -> list[Prediction]:
        limit = self.threshold if threshold is None else threshold
        if not regions:
            return []
        probs = self.probabilities(regions)
        return [
            self._prediction(region, row, limit) for region, row in zip(regions, probs, strict=True)
        ]

    def classify(self, source: LogSource, *, threshold: float | None = None) -> Prediction:
        """Read ``source`` (log text, bytes, a path, or a binary stream) and classify it."""
        return self.predict_region(extract_region(source), threshold=threshold)

    def _prediction(self, region: Region, row: np.ndarray, threshold: float) -> Prediction:
        best = int(np.argmax(row))
        values = row.tolist()  # Python floats, the same doubles, in one call
        confidence = values[best]
        category = LABELS[best]
        if confidence < self.abstain_below or not region.evidence:
            # Too little to go on: an honest "not sure" rather than a guess.
            category = UNKNOWN
        return Prediction(
            category=category,
            confidence=confidence,
            probabilities=dict(zip(LABELS, values, strict=True)),
            auto_fix=category != UNKNOWN and confidence >= threshold,
            threshold=threshold,
            evidence=region.evidence,
            fingerprint=region.fingerprint,
            model_version=self.model_version,
            step=region.step,
            exit_code=region.exit_code,
            log_format=region.log_format,
        )

    def info(self) -> dict[str, Any]:
        """What the model is: for ``GET /v1/model`` and ``autoheal eval``."""
        return {
            "name": self.provenance.get("registered_model", "autoheal-classifier"),
            "version": self.model_version,
            "alias": self.provenance.get("alias"),
            "source": self.source,
            "labels": list(LABELS),
            "threshold": self.threshold,
            "abstain_below": self.abstain_below,
            "metrics": self.provenance.get("metrics", {}),
            "provenance": self.provenance,
            "loaded_at": self.loaded_at,
        }


def _check_payload(payload: Any, where: str) -> dict[str, Any]:
    if not isinstance(payload, dict) or payload.get("format") != ARTIFACT_FORMAT:
        raise ModelLoadError(f"{where}: not an autoheal classifier artifact ({ARTIFACT_FORMAT})")
    if list(payload.get("labels", [])) != list(LABELS):
        raise ModelLoadError(f"{where}: the model was trained with another label set")
    return payload


def _load_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ModelLoadError(f"no model at {path}: run `autoheal train` (or `make train`) first")
    try:
        payload = joblib.load(path)
    except Exception as exc:  # a corrupt or foreign file: say so, whatever the unpickler raised
        raise ModelLoadError(f"{path}: cannot load model: {exc}") from exc
    return _check_payload(payload, str(path))


# Name of the file, inside a logged MLflow model's directory, holding the full artifact.
MLFLOW_ARTIFACT_NAME: Final = "autoheal-classifier.joblib"


def _load_mlflow(uri: str) -> dict[str, Any]:
    import mlflow  # imported lazily: about 2 s

    try:
        local = Path(mlflow.artifacts.download_artifacts(artifact_uri=uri))
    except Exception as exc:
        raise ModelLoadError(f"{uri}: cannot download model: {exc}") from exc
    candidates = [local / MLFLOW_ARTIFACT_NAME, *local.rglob(MLFLOW_ARTIFACT_NAME)]
    for candidate in candidates:
        if candidate.is_file():
            return _load_file(candidate)
    raise ModelLoadError(f"{uri}: the MLflow model holds no {MLFLOW_ARTIFACT_NAME}")
