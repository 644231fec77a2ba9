"""The settings sweep: honest folds, out-of-fold scores, temperature fitting, subsampling."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from scipy.special import softmax

from datasets.records import LabelledLog
from training.sweep import (
    BASELINE,
    Result,
    Sweep,
    fit_inverse_temperature,
    paired_gain,
    run,
    second_round,
    subsample_families,
)


@pytest.mark.parametrize("beta", [0.4, 2.5])
def test_inverse_temperature_is_recovered_from_sampled_labels(beta: float) -> None:
    rng = np.random.default_rng(1)
    logits = rng.normal(scale=3.0, size=(6000, 5))
    proba = softmax(beta * logits, axis=1)
    y = np.array([rng.choice(5, p=row) for row in proba])
    assert fit_inverse_temperature(logits, y) == pytest.approx(beta, rel=0.1)


def _record(i: int, label: str, family: str) -> LabelledLog:
    return LabelledLog(id=str(i), label=label, source="t", log="x", family=family)


def test_subsample_keeps_whole_families_and_every_label() -> None:
    records = [
        _record(i, label, f"{label}-{i % 10}")
        for label in ("timeout", "network", "compilation")
        for i in range(200)
    ]
    kept = subsample_families(records, 240, seed=3)
    sizes = Counter(r.group for r in records)
    assert 150 <= len(kept) <= 330
    assert all(count == sizes[group] for group, count in Counter(r.group for r in kept).items())
    assert {r.label for r in kept} == {"timeout", "network", "compilation"}
    assert subsample_families(records, 0, seed=3) == records


def _result(candidate: object, f1: float, folds: list[float]) -> Result:
    return Result(candidate, {"macro_f1": f1}, folds, 1.0, 1.0)  # type: ignore[arg-type]


def test_second_round_combines_the_winning_factors_around_the_best_c() -> None:
    base = _result(BASELINE, 0.60, [0.6, 0.6])
    stage_one = {
        "C": [_result(replace(BASELINE, C=8.0), 0.62, [0.62, 0.62])],
        "balanced": [_result(replace(BASELINE, balanced=True), 0.59, [0.59, 0.59])],
        "headline_words": [_result(replace(BASELINE, headline_words=True), 0.61, [0.6, 0.62])],
    }
    grid = second_round(stage_one, base)
    assert {c.C for c in grid} == {4.0, 8.0, 16.0}
    assert all(c.headline_words and not c.balanced for c in grid)
    gain = paired_gain(stage_one["headline_words"][0], base)
    assert gain["fold_mean"] == pytest.approx(0.01)
    assert gain["folds_won"] == 1.0


def test_sweep_scores_every_record_out_of_fold(tmp_path: Path) -> None:
    from datasets.generator import generate

    records = list(generate(240, seed=11))
    sweep = Sweep(records, folds=2, seed=5, cache_dir=tmp_path, key="t")
    groups = np.array([r.group for r in records])
    held_out = np.concatenate([val for _, val in sweep.splits])
    assert sorted(held_out.tolist()) == list(range(len(records)))
    for train, val in sweep.splits:
        assert not set(groups[train]) & set(groups[val])

    results = run(sweep, {"C": [replace(BASELINE, C=1.0)]}, grid=False, log=lambda _: None)
    assert [r.candidate for r in results] == [BASELINE, replace(BASELINE, C=1.0)]
    for result in results:
        assert result.metrics["n"] == len(records)
        assert 0.0 <= result.metrics["macro_f1"] <= 1.0
        assert 0.0 <= result.metrics["ece"] <= 1.0
        assert len(result.fold_macro_f1) == 2
    # Feature blocks are cached per fold, so the second candidate reused the first one's.
    assert len(list(tmp_path.glob("block-*"))) == 4
    assert len(list(tmp_path.glob("texts-*"))) == 1
