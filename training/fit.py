"""Fitting: logs → regions → one calibrated estimator.

Calibration is temperature scaling fitted on cross-validated decision values where each fold
holds out whole template families, so the confidence reflects how the model does on phrasings
it has not seen (the situation of every real user log), not on its own training data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import GroupKFold

from datasets.records import LabelledLog
from model._extract import Region, extract_region
from model._features import build_pipeline, feature_text


def extract_all(
    records: Sequence[LabelledLog], progress: Callable[[int], None] | None = None
) -> list[Region]:
    regions = []
    for record in records:
        regions.append(extract_region(record.log))
        if progress is not None:
            progress(1)
    return regions


def fit_calibrated(
    texts: Sequence[str],
    labels: Sequence[str],
    groups: Sequence[str],
    *,
    C: float,
    folds: int,
    n_jobs: int,
    seed: int,
) -> CalibratedClassifierCV:
    """Fit the pipeline on everything and calibrate it on family-held-out folds."""
    n_groups = len(set(groups))
    folds = max(2, min(folds, n_groups))
    splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    splits = list(splitter.split(np.zeros(len(texts)), labels, groups))
    model = CalibratedClassifierCV(
        build_pipeline(C=C), method="temperature", cv=splits, ensemble=False, n_jobs=n_jobs
    )
    model.fit(list(texts), list(labels))
    # The folds were fixed from the family groups; keep their count, not their index arrays,
    # so the artifact does not carry one integer per training record.
    model.cv = folds
    return model


def top_terms(model: Any, per_class: int = 12) -> dict[str, list[str]]:
    """The highest-weighted features per class: a quick look at what the model learned."""
    pipeline = model.calibrated_classifiers_[0].estimator
    names = pipeline.named_steps["features"].get_feature_names_out()
    coef = pipeline.named_steps["classify"].coef_
    out: dict[str, list[str]] = {}
    for row, label in zip(coef, pipeline.named_steps["classify"].classes_, strict=True):
        best = np.argsort(row)[::-1][:per_class]
        out[str(label)] = [str(names[i]).split("__", 1)[-1] for i in best]
    return out
