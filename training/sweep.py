"""Choose the classifier's settings by family-held-out cross-validation on the training split.

Every candidate is scored on out-of-fold predictions where each fold holds out whole template
families (``GroupKFold`` on ``record.group``, as calibration does in :mod:`training.fit`), so a
setting wins only if it helps on phrasings the model has not seen. Only ``split.train`` is read:
the held-out families and the hand-written examples stay an unbiased measure of the result.

Probabilities are temperature-scaled with the inverse temperature fitted on the *other* folds'
out-of-fold logits, so the calibration figures are out-of-fold too.

Cost: extracted, normalised texts are cached on disk per region size, and each feature block
(word TF-IDF, character TF-IDF, headline words) is fitted once per fold and cached. A
``FeatureUnion`` is the horizontal stack of its blocks, so candidates that differ only in C or
class weights share all their features and cost one logistic regression per fold.

Run: ``python -m training.sweep`` (``--help`` for the options).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy import sparse
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import clone
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline

from datasets.records import LabelledLog, read_jsonl
from model._extract import extract_region
from model._features import (
    HeadlineSelector,
    TextNormalizer,
    build_classifier,
    build_features,
    feature_text,
)
from model._normalize import normalize_text
from model.redact import redact_secrets
from model.taxonomy import LABELS, UNKNOWN
from training.data import split_by_family
from training.evaluate import Scored, compute_metrics

THRESHOLD = 0.70
DEFAULT_DATA = Path("var/data/generated-n20000-s13.jsonl")
DEFAULT_CACHE = Path("/tmp/autoheal-sweep")
# Sources whose behaviour the cached texts depend on: an edit there invalidates the cache.
_TEXT_SOURCES = ("model/_extract.py", "model/_normalize.py", "model/redact.py", "model/_scan.py")


@dataclass(frozen=True)
class Candidate:
    """One point of the search; the defaults are the shipped pipeline (``build_pipeline``)."""

    C: float = 4.0
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (3, 5)
    headline_chars: int = 600
    headline_words: bool = False
    """Add a third block: word 1-2-grams over the headline only."""
    balanced: bool = False
    """``class_weight="balanced"`` in the logistic regression."""
    max_chars: int = 4000
    """``extract_region(..., max_chars=...)``: how much region text the words block reads."""
    step_decisive_headline: bool = False
    """Character n-grams over the normalised step name + decisive line, instead of the first
    ``headline_chars`` characters of the normalised feature text."""

    def describe(self) -> str:
        base = Candidate()
        changed = [
            f"{name}={value}"
            for name, value in asdict(self).items()
            if value != getattr(base, name)
        ]
        return ", ".join(changed) or "current"


BASELINE = Candidate()

# One factor at a time around the current point.
FACTORS: dict[str, list[Candidate]] = {
    "C": [replace(BASELINE, C=c) for c in (1.0, 2.0, 8.0, 16.0)],
    "char_ngrams": [replace(BASELINE, char_ngrams=r) for r in ((2, 4), (3, 6))],
    "headline_chars": [replace(BASELINE, headline_chars=n) for n in (300, 1200)],
    "word_ngrams": [replace(BASELINE, word_ngrams=r) for r in ((1, 1), (1, 3))],
    "headline_words": [replace(BASELINE, headline_words=True)],
    "balanced": [replace(BASELINE, balanced=True)],
    "max_chars": [replace(BASELINE, max_chars=n) for n in (1500, 8000)],
    "step_decisive_headline": [replace(BASELINE, step_decisive_headline=True)],
}


@dataclass(frozen=True)
class Texts:
    """What the features read, for one region size, in record order."""

    texts: list[str]
    headlines: list[str]
    has_evidence: np.ndarray
    labels: list[str]
    groups: list[str]


@dataclass
class Result:
    candidate: Candidate
    metrics: dict[str, Any]
    fold_macro_f1: list[float]
    fit_seconds: float
    """Mean per fold: fitting every feature block and the logistic regression."""
    inverse_temperature: float
    gain: dict[str, float] = field(default_factory=dict)


def subsample_families(
    records: Sequence[LabelledLog], max_records: int, seed: int
) -> list[LabelledLog]:
    """At most about ``max_records`` records, whole families only, each label in proportion."""
    if max_records <= 0 or len(records) <= max_records:
        return list(records)
    by_label: dict[str, dict[str, list[LabelledLog]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        by_label[record.label][record.group].append(record)
    rng = np.random.default_rng(seed)
    keep: set[str] = set()
    for families in by_label.values():
        total = sum(len(members) for members in families.values())
        quota = max_records * total / len(records)
        names = sorted(families)
        taken = 0
        # Keep at least two families per label so every training fold sees the label.
        for i, name in enumerate(rng.permutation(names)):
            if i >= 2 and taken + len(families[name]) / 2 > quota:
                break
            keep.add(str(name))
            taken += len(families[name])
    return [r for r in records if r.group in keep]


def load_training(
    path: Path, test_fraction: float, max_records: int, seed: int
) -> list[LabelledLog]:
    """``split_by_family(...).train`` of the generated set, subsampled; nothing else is read."""
    records = list(read_jsonl(path))
    split = split_by_family(records, [], test_fraction)
    return subsample_families(split.train, max_records, seed)


def build_texts(records: Sequence[LabelledLog], max_chars: int) -> Texts:
    regions = [extract_region(r.log, max_chars=max_chars) for r in records]
    texts = TextNormalizer().transform([feature_text(region) for region in regions])
    headlines = [
        normalize_text(redact_secrets(f"{region.step or ''} {region.decisive}"))
        for region in regions
    ]
    return Texts(
        texts=texts,
        headlines=headlines,
        has_evidence=np.array([bool(region.evidence) for region in regions]),
        labels=[r.label for r in records],
        groups=[r.group for r in records],
    )


def _source_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for name in _TEXT_SOURCES:
        source = root / name
        if source.is_file():
            digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


class Sweep:
    """Cached texts and feature blocks for one training set and one fold assignment."""

    def __init__(
        self, records: Sequence[LabelledLog], *, folds: int, seed: int, cache_dir: Path, key: str
    ) -> None:
        self.records = list(records)
        self.cache_dir = cache_dir
        self.key = key
        self.seed = seed
        groups = [r.group for r in self.records]
        n_folds = max(2, min(folds, len(set(groups))))
        splitter = GroupKFold(n_splits=n_folds, shuffle=True, random_state=seed)
        self.splits = list(splitter.split(np.zeros(len(groups)), None, groups))
        self.y = np.array([LABELS.index(r.label) for r in self.records])
        self._texts: dict[int, Texts] = {}
        cache_dir.mkdir(parents=True, exist_ok=True)

    def texts(self, max_chars: int) -> Texts:
        if max_chars not in self._texts:
            path = self.cache_dir / f"texts-{self.key}-m{max_chars}.joblib"
            # Stored as a plain dict: under ``python -m`` this module is ``__main__``, and a
            # pickled Texts would not load from anywhere else.
            if path.is_file():
                self._texts[max_chars] = Texts(**joblib.load(path))
            else:
                self._texts[max_chars] = build_texts(self.records, max_chars)
                joblib.dump(asdict(self._texts[max_chars]), path)
        return self._texts[max_chars]

    def _block_transformer(self, kind: str, c: Candidate) -> Any:
        features = build_features().set_params(
            words__ngram_range=c.word_ngrams,
            chars__headline__max_chars=c.headline_chars,
            chars__tfidf__ngram_range=c.char_ngrams,
        )
        blocks = dict(features.transformer_list)
        if kind == "hwords":
            return Pipeline(
                [
                    ("headline", HeadlineSelector(c.headline_chars)),
                    ("tfidf", clone(blocks["words"]).set_params(ngram_range=(1, 2))),
                ]
            )
        return blocks[kind]

    def _block_inputs(self, kind: str, c: Candidate) -> list[str]:
        texts = self.texts(c.max_chars)
        if kind != "words" and c.step_decisive_headline:
            return texts.headlines
        return texts.texts

    @staticmethod
    def _block_key(kind: str, c: Candidate) -> str:
        if kind == "words":
            parts: tuple[Any, ...] = (c.word_ngrams, c.max_chars)
        elif kind == "chars":
            parts = (c.char_ngrams, c.headline_chars, c.step_decisive_headline, c.max_chars)
        else:
            parts = (c.headline_chars, c.step_decisive_headline, c.max_chars)
        return hashlib.sha256(repr((kind, *parts)).encode()).hexdigest()[:12]

    def block(self, kind: str, c: Candidate, fold: int) -> tuple[Any, Any, float]:
        """(train matrix, validation matrix, fit seconds) of one feature block on one fold."""
        path = (
            self.cache_dir
            / f"block-{self.key}-s{self.seed}-{kind}-{self._block_key(kind, c)}-f{fold}.joblib"
        )
        if path.is_file():
            cached: tuple[Any, Any, float] = joblib.load(path)
            return cached
        inputs = self._block_inputs(kind, c)
        train_idx, val_idx = self.splits[fold]
        transformer = self._block_transformer(kind, c)
        started = time.perf_counter()
        x_train = transformer.fit_transform([inputs[i] for i in train_idx])
        seconds = time.perf_counter() - started
        x_val = transformer.transform([inputs[i] for i in val_idx])
        joblib.dump((x_train, x_val, seconds), path)
        return x_train, x_val, seconds

    def evaluate(self, c: Candidate) -> Result:
        n = len(self.records)
        logits = np.zeros((n, len(LABELS)))
        fold_of = np.zeros(n, dtype=int)
        seconds = []
        kinds = ["words", "chars", *(["hwords"] if c.headline_words else [])]
        for fold, (train_idx, val_idx) in enumerate(self.splits):
            blocks = [self.block(kind, c, fold) for kind in kinds]
            x_train = sparse.hstack([b[0] for b in blocks], format="csr")
            x_val = sparse.hstack([b[1] for b in blocks], format="csr")
            lr = clone(build_classifier(C=c.C).named_steps["classify"])
            lr.set_params(class_weight="balanced" if c.balanced else None)
            started = time.perf_counter()
            lr.fit(x_train, self.y[train_idx])
            seconds.append(time.perf_counter() - started + sum(b[2] for b in blocks))
            # Columns of classes_ (label indices, sorted) back to LABELS order.
            logits[np.ix_(val_idx, lr.classes_)] = lr.decision_function(x_val)
            missing = np.setdiff1d(np.arange(len(LABELS)), lr.classes_)
            logits[np.ix_(val_idx, missing)] = -1e3
            fold_of[val_idx] = fold
        return self._score(c, logits, fold_of, float(np.mean(seconds)))

    def _score(
        self, c: Candidate, logits: np.ndarray, fold_of: np.ndarray, seconds: float
    ) -> Result:
        proba = np.zeros_like(logits)
        for fold in range(len(self.splits)):
            inside = fold_of == fold
            beta = fit_inverse_temperature(logits[~inside], self.y[~inside])
            proba[inside] = softmax(beta * logits[inside], axis=1)
        has_evidence = self.texts(c.max_chars).has_evidence
        y_true = [LABELS[i] for i in self.y]
        y_pred = [
            LABELS[i] if has_evidence[k] else UNKNOWN for k, i in enumerate(proba.argmax(axis=1))
        ]
        metrics = compute_metrics(Scored(y_true, y_pred, proba), THRESHOLD)
        fold_f1 = []
        for fold in range(len(self.splits)):
            rows = np.flatnonzero(fold_of == fold)
            scored = Scored([y_true[i] for i in rows], [y_pred[i] for i in rows], proba[rows])
            fold_f1.append(float(compute_metrics(scored, THRESHOLD)["macro_f1"]))
        return Result(
            candidate=c,
            metrics=metrics,
            fold_macro_f1=fold_f1,
            fit_seconds=seconds,
            inverse_temperature=fit_inverse_temperature(logits, self.y),
        )


def fit_inverse_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The ``beta`` minimising the log loss of ``softmax(beta * logits)``, as temperature
    scaling in ``CalibratedClassifierCV`` does."""
    rows = np.arange(len(y))

    def loss(log_beta: float) -> float:
        return float(-log_softmax(np.exp(log_beta) * logits, axis=1)[rows, y].mean())

    found = minimize_scalar(loss, bounds=(-10.0, 10.0), method="bounded")
    return float(np.exp(found.x))


def paired_gain(result: Result, baseline: Result) -> dict[str, float]:
    """Per-fold macro-F1 gain over the baseline: mean, spread, folds won, and whether the mean
    clears two standard errors (otherwise the gain is indistinguishable from fold noise)."""
    diffs = np.array(result.fold_macro_f1) - np.array(baseline.fold_macro_f1)
    sd = float(diffs.std(ddof=1)) if len(diffs) > 1 else 0.0
    se = sd / np.sqrt(len(diffs))
    mean = float(diffs.mean())
    return {
        "pooled": result.metrics["macro_f1"] - baseline.metrics["macro_f1"],
        "fold_mean": mean,
        "fold_sd": sd,
        "folds_won": float((diffs > 0).sum()),
        "clear": float(abs(mean) > 2 * se and se > 0),
    }


def second_round(stage_one: dict[str, list[Result]], baseline: Result) -> list[Candidate]:
    """A small grid around the best: every factor whose best value beat the current one, all
    together and each left out in turn, with C at half, equal to and twice its best value."""
    best_c = baseline.candidate.C
    changes: dict[str, Any] = {}
    for results in stage_one.values():
        winner = max([baseline, *results], key=lambda r: r.metrics["macro_f1"])
        if winner is baseline:
            continue
        for name, value in asdict(winner.candidate).items():
            if name == "C":
                best_c = value if value != BASELINE.C else best_c
            elif value != getattr(BASELINE, name):
                changes[name] = value
    combined = replace(BASELINE, **changes)
    grid = [replace(combined, C=c) for c in (best_c / 2, best_c, best_c * 2)]
    if len(changes) > 1:
        for name in changes:
            grid.append(replace(combined, C=best_c, **{name: getattr(BASELINE, name)}))
    return list(dict.fromkeys(grid))


def format_results(results: Sequence[Result]) -> str:
    header = (
        f"{'configuration':<46}{'macroF1':>8}{'fold sd':>8}{'gain':>8}{'±sd':>7}{'won':>5}"
        f"{'P@.70':>7}{'cov@.70':>8}{'ECE':>7}{'fit s':>7}"
    )
    lines = [header]
    for r in results:
        m = r.metrics
        g = r.gain
        lines.append(
            f"{r.candidate.describe():<46.46}{m['macro_f1']:>8.4f}"
            f"{np.std(r.fold_macro_f1, ddof=1):>8.4f}"
            f"{g.get('fold_mean', 0.0):>+8.4f}{g.get('fold_sd', 0.0):>7.4f}"
            f"{int(g.get('folds_won', 0)):>5}"
            f"{m['precision_at_threshold']:>7.4f}{m['coverage_at_threshold']:>8.4f}"
            f"{m['ece']:>7.4f}{r.fit_seconds:>7.1f}"
        )
    return "\n".join(lines)


def _result_json(r: Result) -> dict[str, Any]:
    metrics = {k: v for k, v in r.metrics.items() if k != "per_class_f1"}
    return {
        "candidate": asdict(r.candidate),
        "describe": r.candidate.describe(),
        "metrics": metrics,
        "per_class_f1": r.metrics.get("per_class_f1", {}),
        "fold_macro_f1": r.fold_macro_f1,
        "fit_seconds": r.fit_seconds,
        "inverse_temperature": r.inverse_temperature,
        "gain": r.gain,
    }


def run(
    sweep: Sweep,
    factors: dict[str, list[Candidate]],
    *,
    grid: bool = True,
    log: Any = print,
) -> list[Result]:
    """Score the baseline, each factor's candidates, then (optionally) the grid around the best.
    Returns every result in the order run, the baseline first."""
    started = time.perf_counter()
    baseline = sweep.evaluate(BASELINE)
    results = [baseline]
    stage_one: dict[str, list[Result]] = {}
    seen = {BASELINE: baseline}
    for factor, candidates in factors.items():
        for candidate in candidates:
            if candidate not in seen:
                seen[candidate] = sweep.evaluate(candidate)
                results.append(seen[candidate])
                log(
                    f"[{time.perf_counter() - started:6.0f}s] {candidate.describe():<40} "
                    f"macro-F1 {seen[candidate].metrics['macro_f1']:.4f}"
                )
            stage_one.setdefault(factor, []).append(seen[candidate])
    if grid:
        for candidate in second_round(stage_one, baseline):
            if candidate not in seen:
                seen[candidate] = sweep.evaluate(candidate)
                results.append(seen[candidate])
                log(
                    f"[{time.perf_counter() - started:6.0f}s] grid {candidate.describe():<35} "
                    f"macro-F1 {seen[candidate].metrics['macro_f1']:.4f}"
                )
    for r in results:
        r.gain = paired_gain(r, baseline)
    return results


def data_key(path: Path, test_fraction: float, max_records: int, seed: int) -> str:
    stat = path.stat()
    material = (
        f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{test_fraction}:{max_records}:{seed}"
    )
    root = Path(__file__).resolve().parents[1]
    return hashlib.sha256(f"{material}:{_source_digest(root)}".encode()).hexdigest()[:12]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m training.sweep",
        description="Family-grouped cross-validation of classifier settings on the training split.",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--test-fraction", type=float, default=0.25)
    parser.add_argument("--max-records", type=int, default=8000, help="0 for the whole split")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=13, help="subsample and fold seed")
    parser.add_argument(
        "--confirm-seeds",
        type=int,
        nargs="*",
        default=[],
        help="re-score the current and the best setting on other fold assignments",
    )
    parser.add_argument("--no-grid", action="store_true", help="one factor at a time only")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=Path("var/reports/sweep.json"))
    args = parser.parse_args(argv)

    records = load_training(args.data, args.test_fraction, args.max_records, args.seed)
    print(f"training split: {len(records)} records, {len({r.group for r in records})} families")
    key = data_key(args.data, args.test_fraction, args.max_records, args.seed)
    sweep = Sweep(records, folds=args.folds, seed=args.seed, cache_dir=args.cache_dir, key=key)
    results = run(sweep, FACTORS, grid=not args.no_grid)
    best = max(results, key=lambda r: r.metrics["macro_f1"])
    print(format_results(results))
    print(f"\nbest: {best.candidate.describe()}")

    confirmations: list[dict[str, Any]] = []
    for seed in args.confirm_seeds:
        other = Sweep(records, folds=args.folds, seed=seed, cache_dir=args.cache_dir, key=key)
        base_again = other.evaluate(BASELINE)
        best_again = other.evaluate(best.candidate)
        base_again.gain = paired_gain(base_again, base_again)
        best_again.gain = paired_gain(best_again, base_again)
        print(f"\nfold seed {seed}:")
        print(format_results([base_again, best_again]))
        confirmations.append(
            {"seed": seed, "results": [_result_json(base_again), _result_json(best_again)]}
        )

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "records": len(records),
                "families": len({r.group for r in records}),
                "folds": len(sweep.splits),
                "threshold": THRESHOLD,
                "best": asdict(best.candidate),
                "results": [_result_json(r) for r in results],
                "confirmations": confirmations,
            },
            indent=2,
        )
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
