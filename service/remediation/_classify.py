"""Where predictions come from: the model in-process, or the autoheal service over HTTP."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from model._extract import Evidence
from model.classifier import DEFAULT_MODEL_PATH, Classifier, Prediction


class ClassifierUnavailable(RuntimeError):
    """The model could not be loaded or the service did not answer usefully."""


@dataclass(frozen=True)
class JobContext:
    repository: str
    workflow: str
    job: str
    run_id: int


class FailureClassifier(Protocol):
    def classify(self, log: bytes, context: JobContext) -> Prediction: ...


class LocalClassifier:
    """The model loaded in this process."""

    def __init__(self, classifier: Classifier, threshold: float | None = None) -> None:
        self.classifier = classifier
        self.threshold = threshold

    @classmethod
    def load(cls, uri: str | None = None, threshold: float | None = None) -> LocalClassifier:
        from model.classifier import ModelLoadError

        source = uri or os.environ.get("AUTOHEAL_MODEL_URI") or str(DEFAULT_MODEL_PATH)
        try:
            return cls(Classifier.load(source), threshold)
        except ModelLoadError as exc:
            raise ClassifierUnavailable(str(exc)) from exc

    def classify(self, log: bytes, context: JobContext) -> Prediction:
        return self.classifier.classify(log, threshold=self.threshold)


def prediction_from_dict(data: dict[str, Any]) -> Prediction:
    """The inverse of ``Prediction.to_dict`` (context fields the service echoes go to ``extra``)."""
    known = {
        "category", "confidence", "probabilities", "auto_fix", "threshold", "evidence",
        "fingerprint", "model_version", "step", "exit_code", "log_format",
    }  # fmt: skip
    try:
        evidence = tuple(
            Evidence(int(item["line"]), str(item["text"]), item.get("file"))
            for item in data["evidence"]
        )
        return Prediction(
            category=str(data["category"]),
            confidence=float(data["confidence"]),
            probabilities={str(k): float(v) for k, v in data["probabilities"].items()},
            auto_fix=bool(data["auto_fix"]),
            threshold=float(data["threshold"]),
            evidence=evidence,
            fingerprint=str(data["fingerprint"]),
            model_version=str(data["model_version"]),
            step=data.get("step"),
            exit_code=data.get("exit_code"),
            log_format=str(data.get("log_format", "plain")),
            extra={k: v for k, v in data.items() if k not in known},
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ClassifierUnavailable(f"the service answered an unexpected body: {exc}") from exc


class HttpClassifier:
    """``POST {url}/v1/classify`` on the autoheal service."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        threshold: float | None = None,
        timeout: float = 60.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.threshold = threshold
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = client or httpx.Client(timeout=timeout, headers=headers)

    def classify(self, log: bytes, context: JobContext) -> Prediction:
        body = {
            "log": log.decode("utf-8", errors="replace"),
            "repository": context.repository,
            "workflow": context.workflow,
            "job": context.job,
            "run_id": context.run_id,
        }
        params = {"threshold": self.threshold} if self.threshold is not None else None
        try:
            response = self.client.post(f"{self.base_url}/v1/classify", json=body, params=params)
        except httpx.HTTPError as exc:
            raise ClassifierUnavailable(f"classifier service unreachable: {exc}") from exc
        if response.status_code != 200:
            raise ClassifierUnavailable(
                f"classifier service answered HTTP {response.status_code}: {response.text[:300]}"
            )
        try:
            data = response.json()
        except ValueError as exc:
            raise ClassifierUnavailable("classifier service answered invalid JSON") from exc
        if not isinstance(data, dict):
            raise ClassifierUnavailable("classifier service answered a non-object")
        return prediction_from_dict(data)
