"""Training settings: one dataclass, defaults that reproduce the shipped model."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from model.classifier import DEFAULT_MODEL_PATH, DEFAULT_THRESHOLD

REGISTERED_MODEL = "autoheal-classifier"
CHAMPION_ALIAS = "champion"


def default_tracking_uri() -> str:
    """``MLFLOW_TRACKING_URI`` if set, else SQLite in the project's ``var/`` folder."""
    return (
        os.environ.get("MLFLOW_TRACKING_URI")
        or f"sqlite:///{Path('var/mlflow/mlflow.db').resolve()}"
    )


@dataclass
class TrainConfig:
    n_generated: int = 20_000
    seed: int = 13
    data_dir: Path = Path("var/data")
    extra_data: list[Path] = field(default_factory=list)
    """More labelled JSON Lines files (e.g. exported feedback) to train on."""
    feedback_data: Path | None = None
    """Exported feedback (``autoheal dataset export``); default ``data_dir/feedback.jsonl``.
    Read when the file exists."""
    use_feedback: bool = True
    feedback_eval_fraction: float = 0.2
    """Share of the feedback failures (chosen by a hash of the fingerprint, so the choice is
    stable) kept for the frozen evaluation set instead of being trained on."""
    feedback_weight: float = 10.0
    """Sample weight of a feedback example in the fit (a generated log weighs 1): a label a
    person gave for a real failure counts for more than one more generated phrasing."""
    model_path: Path = DEFAULT_MODEL_PATH
    threshold: float = DEFAULT_THRESHOLD
    test_fraction: float = 0.25
    """Share of each label's template families held out for evaluation."""
    cv_folds: int = 3
    C: float = 4.0
    n_jobs: int = 2
    tracking_uri: str = field(default_factory=default_tracking_uri)
    registered_model: str = REGISTERED_MODEL
    log_to_mlflow: bool = True
    artifacts_dir: Path = Path("var/reports")

    def feedback_path(self) -> Path | None:
        """The feedback file to read, or None when feedback is switched off."""
        if not self.use_feedback:
            return None
        return self.feedback_data or self.data_dir / "feedback.jsonl"
