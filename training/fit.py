"""Fitting: logs → regions → one calibrated estimator.

The estimator is one scikit-learn pipeline: the text normaliser, then a
``CalibratedClassifierCV`` around TF-IDF + logistic regression. Calibration is temperature
scaling fitted on cross-validated decision values where each fold holds out whole template
families, so the confidence reflects how the model does on phrasings it has not seen (the
situation of every real user log), not on its own training data. The normaliser sits outside the
cross-validation because it learns nothing: it runs once instead of once per fold.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline

from datasets.feedback import REGION_KIND, region_of
from datasets.records import LabelledLog
from model._extract import Region, extract_region
from model._features import TextNormalizer, build_classifier

_BATCH = 256

# The records a forked worker reads by index: set in the parent just before the pool forks, so
# the workers share the log text copy-on-write instead of receiving it pickled.
_SHARED: Sequence[LabelledLog] = ()


def region_of_record(record: LabelledLog) -> Region:
    """The region a record stands for: extracted from its log, or, for a feedback example
    (which stores the very text the model classified), rebuilt from that text."""
    if record.kind == REGION_KIND:
        return region_of(record.log)
    return extract_region(record.log)


def _extract_range(bounds: tuple[int, int]) -> list[Region]:
    return [region_of_record(record) for record in _SHARED[bounds[0] : bounds[1]]]


def extract_all(
    records: Sequence[LabelledLog],
    progress: Callable[[int], None] | None = None,
    n_jobs: int = 1,
) -> list[Region]:
    """Extract every record's region, in ``n_jobs`` processes, in record order.

    Workers are forked (where the platform can fork) and read the records they share with the
    parent; only the small regions travel back.
    """
    global _SHARED
    ranges = [(i, min(i + _BATCH, len(records))) for i in range(0, len(records), _BATCH)]
    regions: list[Region] = []
    if n_jobs == 1 or len(ranges) < 4 or "fork" not in mp.get_all_start_methods():
        for start, stop in ranges:
            regions.extend(region_of_record(r) for r in records[start:stop])
            if progress is not None:
                progress(stop - start)
        return regions
    _SHARED = records
    try:
        with mp.get_context("fork").Pool(n_jobs) as pool:
            for batch in pool.imap(_extract_range, ranges):
                regions.extend(batch)
                if progress is not None:
                    progress(len(batch))
    finally:
        _SHARED = ()
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
    sample_weight: Sequence[float] | None = None,
) -> Pipeline:
    """Fit the pipeline on everything and calibrate it on family-held-out folds.

    ``sample_weight`` weighs the examples in the logistic regression's fits (the fold fits and
    the final one) only: the temperature is fitted on the unweighted out-of-fold decision
    values, so each example counts once in the calibration, as each log does in use.
    """
    n_groups = len(set(groups))
    folds = max(2, min(folds, n_groups))
    splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    splits = list(splitter.split(np.zeros(len(texts)), labels, groups))
    calibrated = CalibratedClassifierCV(
        build_classifier(C=C), method="temperature", cv=splits, ensemble=False, n_jobs=n_jobs
    )
    pipeline = Pipeline([("normalize", TextNormalizer()), ("calibrated", calibrated)])
    params: dict[str, Any] = {}
    if sample_weight is not None and any(w != 1.0 for w in sample_weight):
        if len(sample_weight) != len(texts):
            raise ValueError(f"{len(sample_weight)} sample weights for {len(texts)} texts")
        # Routed to the logistic regression by name; CalibratedClassifierCV's own
        # ``sample_weight`` would also weigh the calibration.
        params["calibrated__classify__sample_weight"] = np.asarray(sample_weight, dtype=float)
    pipeline.fit(list(texts), list(labels), **params)
    # The folds were fixed from the family groups; keep their count, not their index arrays,
    # so the artifact does not carry one integer per training record.
    calibrated.cv = folds
    return pipeline


def _feature_names(features: Any) -> list[str]:
    names: list[str] = []
    for name, transformer in features.transformer_list:
        vectorizer = transformer[-1] if isinstance(transformer, Pipeline) else transformer
        names.extend(f"{name}:{term}" for term in vectorizer.get_feature_names_out())
    return names


def top_terms(model: Any, per_class: int = 12) -> dict[str, list[str]]:
    """The highest-weighted features per class: a quick look at what the model learned."""
    inner = model.named_steps["calibrated"].calibrated_classifiers_[0].estimator
    names = _feature_names(inner.named_steps["features"])
    lr = inner.named_steps["classify"]
    out: dict[str, list[str]] = {}
    for row, label in zip(lr.coef_, lr.classes_, strict=True):
        best = np.argsort(row)[::-1][:per_class]
        out[str(label)] = [names[i] for i in best]
    return out
