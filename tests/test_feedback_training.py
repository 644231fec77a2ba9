"""Feedback as training data: the stored text is exactly what the model classified, the export
is a valid dataset, the split keeps a stable share for evaluation, and weights reach the fit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autoheal.cli import app
from datasets.feedback import (
    MAX_REGION_CHARS,
    REGION_KIND,
    feedback_record,
    region_of,
    region_text,
)
from datasets.generator import generate
from datasets.records import LabelledLog, read_jsonl
from model import extract_region
from model._features import feature_text
from model.redact import redact_secrets
from service.feedback_export import export_feedback
from service.storage import Database, record_feedback
from training import data as data_mod
from training.config import TrainConfig
from training.fit import extract_all, fit_calibrated


def _feedback(n: int, label: str = "network") -> list[LabelledLog]:
    return [
        feedback_record(
            fingerprint=f"{i:016x}",
            label=label,
            region=f"Run step {i}\nerror {i}\ncontext",
            feedback_source="api",
        )
        for i in range(n)
    ]


# -- the stored text ---------------------------------------------------------------------------
def test_the_stored_region_gives_back_the_text_the_model_classified() -> None:
    for record in generate(40, seed=3):
        region = extract_region(record.log)
        stored = region_text(region)
        assert len(stored) <= MAX_REGION_CHARS and "\x00" not in stored
        rebuilt = region_of(stored)
        assert feature_text(rebuilt) == stored
        assert redact_secrets(feature_text(region))[:MAX_REGION_CHARS] == stored
        assert bool(rebuilt.evidence) == bool(region.decisive or region.text.strip())


def test_a_secret_or_a_nul_never_reaches_the_stored_text() -> None:
    token = "ghp_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"
    log = (
        "2024-05-01T10:00:00.0000000Z ##[group]Run deploy\n"
        f"2024-05-01T10:00:01.0000000Z error: push refused for token {token}\x00\n"
        "2024-05-01T10:00:02.0000000Z ##[error]Process completed with exit code 1.\n"
    )
    stored = region_text(extract_region(log))
    assert token not in stored and "[REDACTED]" in stored and "\x00" not in stored


def test_region_records_are_read_back_not_extracted_again() -> None:
    (record,) = _feedback(1)
    (region,) = extract_all([record])
    assert feature_text(region) == record.log and region.step == "Run step 0"


# -- export ------------------------------------------------------------------------------------
def test_the_export_is_a_dataset_with_one_record_per_failure(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'autoheal.db'}")
    db.upgrade()
    region = "Run pytest\nFAILED tests/test_x.py::test_y\ncontext"
    record_feedback(
        db, fingerprint="a" * 16, category="test_failure", source="confirmed_fix", region=region
    )
    record_feedback(
        db, fingerprint="a" * 16, category="lint_format", source="relabel_comment", repository="o/r"
    )
    record_feedback(db, fingerprint="b" * 16, category="network", source="api")  # no text
    result = export_feedback(db, tmp_path / "out" / "feedback.jsonl")
    db.dispose()
    assert (result.written, result.without_region, result.by_source) == (
        1,
        1,
        {"relabel_comment": 1},
    )
    (record,) = read_jsonl(result.path)
    assert (record.id, record.label, record.log) == ("feedback-" + "a" * 16, "lint_format", region)
    assert (record.source, record.kind, record.group) == (
        "feedback",
        REGION_KIND,
        "feedback:" + "a" * 16,
    )
    assert (
        record.extra["feedback_source"] == "relabel_comment" and record.extra["repository"] == "o/r"
    )


def test_the_export_command(tmp_path: Path) -> None:
    runner = CliRunner()
    url = f"sqlite:///{tmp_path / 'autoheal.db'}"
    out = tmp_path / "feedback.jsonl"
    missing = runner.invoke(
        app, ["dataset", "export", "--database-url", url, "--out", str(out), "--if-exists"]
    )
    assert missing.exit_code == 0 and not out.exists() and not (tmp_path / "autoheal.db").exists()
    db = Database(url)
    db.upgrade()
    record_feedback(db, fingerprint="c" * 16, category="timeout", source="api", region="a\nb\nc")
    db.dispose()
    done = runner.invoke(app, ["dataset", "export", "--database-url", url, "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "wrote 1 feedback examples" in done.output
    assert [r.label for r in read_jsonl(out)] == ["timeout"]
    bad = runner.invoke(
        app, ["dataset", "export", "--database-url", "mysql://x/y", "--out", str(out)]
    )
    assert bad.exit_code == 2


def test_a_database_that_cannot_be_read_fails_the_export_unless_optional(tmp_path: Path) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database" * 100)
    runner = CliRunner()
    args = [
        "dataset",
        "export",
        "--database-url",
        f"sqlite:///{broken}",
        "--out",
        str(tmp_path / "f.jsonl"),
    ]
    assert runner.invoke(app, args).exit_code == 2
    assert runner.invoke(app, [*args, "--if-exists"]).exit_code == 0
    assert not (tmp_path / "f.jsonl").exists()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(broken).execute("select 1 from feedback")


# -- split and weights -------------------------------------------------------------------------
def test_feedback_is_split_by_a_stable_hash_of_the_failure() -> None:
    feedback = _feedback(200)
    generated = list(generate(60, seed=5))
    split = data_mod.split_by_family(
        generated, [], 0.25, feedback=feedback, feedback_eval_fraction=0.2
    )
    kept = {r.id for r in split.feedback}
    assert 20 <= len(kept) <= 60  # about a fifth
    assert {r.id for r in split.feedback_train} == {r.id for r in feedback} - kept
    assert set(r.id for r in split.frozen_eval) >= kept
    # The choice depends on the failure only: other records and the order change nothing.
    again = data_mod.split_by_family(
        [], [], 0.25, feedback=feedback[::-1], feedback_eval_fraction=0.2
    )
    assert {r.id for r in again.feedback} == kept
    none_kept = data_mod.split_by_family(
        [], [], 0.25, feedback=feedback, feedback_eval_fraction=0.0
    )
    assert none_kept.feedback == [] and len(none_kept.train) == 200
    weights = data_mod.sample_weights(split.train, 10.0)
    assert sorted(set(weights)) == [1.0, 10.0]
    assert weights.count(10.0) == len(split.feedback_train)


def test_training_reads_the_default_feedback_file_once(tmp_path: Path) -> None:
    from datasets.records import write_jsonl

    path = tmp_path / "feedback.jsonl"
    write_jsonl(path, _feedback(5))
    config = TrainConfig(data_dir=tmp_path, feedback_eval_fraction=0.0)
    split = data_mod.training_split([], [], config)
    assert len(split.feedback_train) == 5
    config.extra_data = [path]  # named twice: still read once
    assert len(data_mod.training_split([], [], config).feedback_train) == 5
    config.use_feedback = False  # only the file named explicitly
    assert len(data_mod.training_split([], [], config).feedback_train) == 5
    config.extra_data = []
    assert data_mod.training_split([], [], config).train == []


def test_sample_weights_reach_the_logistic_regression_only() -> None:
    words = {"network": "alpha", "timeout": "beta", "compilation": "gamma"}
    texts = [f"{word} failed in job {job}" for job in "abcdefghij" for word in words.values()]
    labels = [label for _ in "abcdefghij" for label in words]
    groups = [f"family-{i % 5}" for i in range(len(texts))]
    # A person says this "alpha" failure is a timeout: against ten generated examples.
    texts.append("alpha failed in job zz")
    labels.append("timeout")
    groups.append("feedback:zz")

    def margin(weights: list[float] | None) -> float:
        """How much more the fitted regression leans to timeout than to network."""
        model = fit_calibrated(
            texts, labels, groups, C=4.0, folds=3, n_jobs=1, seed=1, sample_weight=weights
        )
        inner = model.named_steps["calibrated"].calibrated_classifiers_[0].estimator
        scores = inner.decision_function(model.named_steps["normalize"].transform(texts[-1:]))[0]
        classes = list(model.named_steps["calibrated"].classes_)  # the inner one sees codes
        return float(scores[classes.index("timeout")] - scores[classes.index("network")])

    plain = margin(None)
    assert margin([1.0] * len(texts)) == pytest.approx(plain)
    assert margin([1.0] * (len(texts) - 1) + [10.0]) > plain + 0.5
    with pytest.raises(ValueError, match="sample weights"):
        margin([2.0])
