"""The whole loop: a relabel comment is stored, exported, trained on, and the relabelled failure
gets the corrected category from the new model.

A heal of a failed run opens an issue on the GitHub stand-in; a writer comments
``/autoheal relabel <category>``; the signed delivery reaches the real app; the worker stores
the label with the failure's redacted region; ``autoheal dataset export`` writes it where
``autoheal train`` looks by default; a small training run (the configuration of the shared test
model, feedback not held out) learns it.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from datasets.records import read_jsonl
from model.classifier import Classifier
from model.taxonomy import UNKNOWN
from service.feedback_export import export_command
from tests._feedback_support import WRITER_TOKEN, feedback_env
from tests._service_support import model_path
from tests._webhook_support import REPO, issue_log
from training.config import TrainConfig
from training.run import train


@pytest.fixture(scope="module")
def model_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return model_path(request, tmp_path_factory)


def test_relabel_comment_to_stored_to_exported_to_trained_to_corrected(
    tmp_path: Path, model_file: Path
) -> None:
    log_text = issue_log(model_file)
    before = Classifier.load(model_file).classify(log_text.encode())
    # A near miss, as people usually correct: the model's second choice.
    corrected = next(label for label, _ in before.top(4)[1:] if label != UNKNOWN)
    data_dir = tmp_path / "data"

    with feedback_env(tmp_path, model_file) as env:
        env.heal(log_text)
        (issue,) = env.github.state.issues(REPO)
        failure = env.failure()
        assert failure.category == before.category and failure.region
        answer = env.relabel(WRITER_TOKEN, issue.number, f"/autoheal relabel {corrected}")
        assert answer.status_code == 202, answer.text
        assert env.drain() == 1
        assert (
            export_command(data_dir / "feedback.jsonl", database_url=env.settings.database_url) == 0
        )

    (record,) = read_jsonl(data_dir / "feedback.jsonl")
    assert (record.label, record.kind, record.source) == (corrected, "region", "feedback")
    assert record.family == f"feedback:{failure.fingerprint}" and record.log == failure.region
    assert record.extra["previous"] == before.category

    output = io.StringIO()
    config = TrainConfig(
        n_generated=1500, seed=7, data_dir=data_dir, feedback_eval_fraction=0.0, C=8.0,
        cv_folds=3, n_jobs=1, log_to_mlflow=False, model_path=tmp_path / "model.joblib",
        artifacts_dir=tmp_path / "reports",
    )  # fmt: skip
    result = train(config, Console(file=output, width=200))
    assert "feedback: 1 trained on (weight 10), 0 in the frozen evaluation set" in output.getvalue()

    after = Classifier.load(result.artifact).classify(log_text.encode())
    assert after.fingerprint == failure.fingerprint
    assert after.category == corrected, after.top(3)
