"""`autoheal train` and `autoheal eval`: the whole training run, end to end."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from datasets.records import LabelledLog
from model._extract import Region
from model._features import feature_text
from model.classifier import Classifier, save_artifact
from training import data as data_mod
from training.config import CHAMPION_ALIAS, TrainConfig
from training.evaluate import (
    Scored,
    compute_metrics,
    format_table,
    plot_confusion,
    plot_reliability,
)
from training.fit import extract_all, fit_calibrated, top_terms

ABSTAIN_BELOW = 0.0
"""Below this top probability the answer is ``unknown``. The ``unknown`` class is learned from
examples, so the floor stays off by default; it is a parameter for deployments that prefer
silence to a low-confidence guess."""


@dataclass
class TrainResult:
    model_version: str
    artifact: Path
    promoted: bool
    reason: str
    metrics: dict[str, dict[str, Any]]
    mlflow: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


@contextmanager
def _progress(console: Console) -> Iterator[Progress]:
    with Progress(
        TextColumn("[bold]{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        yield progress


def _extract(
    progress: Progress, name: str, records: Sequence[LabelledLog], n_jobs: int = 2
) -> list[Region]:
    if not records:  # no bar that would wait for nothing
        return []
    # Two forked processes: they share the records with this one (see `extract_all`).
    task = progress.add_task(f"extract {name}", total=len(records))
    return extract_all(records, lambda n: progress.advance(task, n), n_jobs=n_jobs)


def score(
    classifier: Classifier, records: Sequence[LabelledLog], regions: Sequence[Region]
) -> Scored:
    predictions = classifier.predict_regions(regions)
    import numpy as np

    from model.taxonomy import LABELS

    proba = np.array([[p.probabilities[label] for label in LABELS] for p in predictions])
    return Scored(
        y_true=[r.label for r in records],
        y_pred=[p.category for p in predictions],
        proba=proba.reshape(len(predictions), len(LABELS)),
    )


def evaluate_sets(
    classifier: Classifier,
    sets: Mapping[str, tuple[Sequence[LabelledLog], Sequence[Region]]],
    threshold: float,
) -> tuple[dict[str, dict[str, Any]], dict[str, Scored]]:
    metrics: dict[str, dict[str, Any]] = {}
    scored: dict[str, Scored] = {}
    for name, (records, regions) in sets.items():
        if not records:
            continue
        scored[name] = score(classifier, records, regions)
        metrics[name] = compute_metrics(scored[name], threshold)
    return metrics, scored


def _subsets(
    records: Sequence[LabelledLog], regions: Sequence[Region], prefix: str
) -> dict[str, tuple[list[LabelledLog], list[Region]]]:
    out: dict[str, tuple[list[LabelledLog], list[Region]]] = {
        prefix: (list(records), list(regions))
    }
    for kind in ("full", "excerpt"):
        pairs = [(r, g) for r, g in zip(records, regions, strict=True) if r.kind == kind]
        if pairs:
            out[f"{prefix}_{kind}"] = ([p[0] for p in pairs], [p[1] for p in pairs])
    return out


def train(config: TrainConfig, console: Console | None = None) -> TrainResult:
    console = console or Console(stderr=True)
    started = time.perf_counter()
    console.print(
        f"[bold]autoheal train[/]: {config.n_generated} generated logs, seed {config.seed}"
    )
    generated, generated_file = data_mod.load_generated(
        config.data_dir, config.n_generated, config.seed
    )
    handwritten = data_mod.load_handwritten()
    split = data_mod.training_split(generated, handwritten, config)
    console.print(
        f"train {len(split.train)} logs / {len({r.group for r in split.train})} families; "
        f"held-out {len(split.test)} logs / {len({r.group for r in split.test})} families; "
        f"hand-written {len(split.handwritten)}"
    )
    console.print(
        f"feedback: {len(split.feedback_train)} trained on (weight {config.feedback_weight:g}), "
        f"{len(split.feedback)} in the frozen evaluation set"
    )
    with _progress(console) as progress:
        train_regions = _extract(progress, "training logs", split.train)
        test_regions = _extract(progress, "held-out families", split.test)
        hand_regions = _extract(progress, "hand-written", split.handwritten)
        feedback_regions = _extract(progress, "feedback", split.feedback)
        task = progress.add_task("fit + calibrate", total=1)
        estimator = fit_calibrated(
            [feature_text(r) for r in train_regions],
            [r.label for r in split.train],
            [r.group for r in split.train],
            C=config.C,
            folds=config.cv_folds,
            n_jobs=config.n_jobs,
            seed=config.seed,
            sample_weight=data_mod.sample_weights(split.train, config.feedback_weight),
        )
        progress.advance(task)

    train_hash = data_mod.data_hash(split.train)
    version = f"{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}-{train_hash[:8]}"
    candidate = Classifier(
        estimator, model_version=version, abstain_below=ABSTAIN_BELOW, threshold=config.threshold
    )
    sets = {
        **_subsets(split.test, test_regions, "heldout_generated"),
        **_subsets(split.handwritten, hand_regions, "handwritten"),
        **({"feedback": (split.feedback, feedback_regions)} if split.feedback else {}),
        "frozen_eval": (
            [*split.test, *split.handwritten, *split.feedback],
            [*test_regions, *hand_regions, *feedback_regions],
        ),
    }
    metrics, scored = evaluate_sets(candidate, sets, config.threshold)
    console.print(format_table(list(metrics.items())))

    report_dir = config.artifacts_dir / version
    figures = []
    for name in ("frozen_eval", "handwritten"):
        if name in scored:
            figures.append(
                plot_confusion(
                    scored[name], report_dir / f"confusion-{name}.png", f"confusion: {name}"
                )
            )
            figures.append(
                plot_reliability(
                    scored[name], report_dir / f"reliability-{name}.png", f"reliability: {name}"
                )
            )
    params = {
        "n_generated": config.n_generated,
        "seed": config.seed,
        "C": config.C,
        "cv_folds": config.cv_folds,
        "calibration": "temperature, family-grouped CV",
        "test_fraction": config.test_fraction,
        "threshold": config.threshold,
        "abstain_below": ABSTAIN_BELOW,
        "n_train": len(split.train),
        "n_heldout": len(split.test),
        "n_handwritten": len(split.handwritten),
        "n_feedback_train": len(split.feedback_train),
        "n_feedback_eval": len(split.feedback),
        "feedback_weight": config.feedback_weight,
        "feedback_eval_fraction": config.feedback_eval_fraction,
        "generator_version": data_mod.generator_version(),
        "train_data_hash": train_hash,
    }
    provenance: dict[str, Any] = {
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "data": {
            "generated_file": str(generated_file),
            "train_data_hash": train_hash,
            "frozen_eval_hash": data_mod.data_hash(split.frozen_eval),
            "heldout_families_hash": _families_hash(split.test),
            "n_train": len(split.train),
            "families_train": len({r.group for r in split.train}),
            "families_heldout": len({r.group for r in split.test}),
        },
        "params": params,
        "metrics": {
            k: v
            for k, v in metrics.items()
            if k in ("heldout_generated", "handwritten", "frozen_eval")
        },
        "top_terms": top_terms(estimator, per_class=8),
        "registered_model": config.registered_model,
    }
    candidate_path = config.model_path.parent / "candidates" / f"{version}.joblib"
    save_artifact(
        candidate_path,
        estimator,
        model_version=version,
        abstain_below=ABSTAIN_BELOW,
        provenance=provenance,
    )

    promoted, reason, logged = _promote(
        config, candidate_path, candidate, sets, metrics, params, figures, console
    )
    if promoted:
        provenance["mlflow"] = logged
        provenance["alias"] = CHAMPION_ALIAS if logged else None
        save_artifact(
            config.model_path,
            estimator,
            model_version=version,
            abstain_below=ABSTAIN_BELOW,
            provenance=provenance,
        )
    seconds = time.perf_counter() - started
    verdict = "[green]promoted[/]" if promoted else "[yellow]kept the current champion[/]"
    console.print(f"model {version}: {verdict} ({reason}); {seconds:.1f} s")
    return TrainResult(
        version,
        config.model_path if promoted else candidate_path,
        promoted,
        reason,
        metrics,
        logged,
        seconds,
    )


def _not_worse(new: dict[str, Any], old: dict[str, Any]) -> bool:
    def value(m: dict[str, Any], key: str) -> float:
        v = m.get(key)
        return float(v) if isinstance(v, int | float) and v == v else 0.0

    return value(new, "macro_f1") >= value(old, "macro_f1") and value(
        new, "precision_at_threshold"
    ) >= value(old, "precision_at_threshold")


def _promote(
    config: TrainConfig,
    candidate_path: Path,
    candidate: Classifier,
    sets: Mapping[str, tuple[Sequence[LabelledLog], Sequence[Region]]],
    metrics: dict[str, dict[str, Any]],
    params: dict[str, Any],
    figures: list[Path],
    console: Console,
) -> tuple[bool, str, dict[str, Any]]:
    """Register the candidate; move the champion alias only if it is not worse on the frozen set."""
    frozen = {"frozen_eval": sets["frozen_eval"]}
    new = metrics["frozen_eval"]
    if not config.log_to_mlflow:
        if not config.model_path.is_file():
            return True, "no current model", {}
        current_model = Classifier.load(config.model_path)
        old = evaluate_sets(current_model, frozen, config.threshold)[0]["frozen_eval"]
        better = _not_worse(new, old)
        return better, _compare_text(new, old) + _split_caveat(current_model, candidate), {}

    from training import tracking

    console.print("logging to MLflow ...")
    logged = tracking.log_training_run(
        tracking_uri=config.tracking_uri,
        experiment="autoheal-classifier",
        params=params,
        metrics=metrics,
        figures=figures,
        artifact_path=candidate_path,
        registered_model=config.registered_model,
        input_example=["2026-01-01T00:00:00.0000000Z ##[error]Process completed with exit code 1."],
    )
    version = logged.get("version")
    if version is None:
        return False, "the model was not registered", logged
    tracking.tag_version(
        config.tracking_uri,
        config.registered_model,
        version,
        {"autoheal.model_version": candidate.model_version},
    )
    current = tracking.current_champion(
        config.tracking_uri, config.registered_model, CHAMPION_ALIAS
    )
    from training.promote import move_champion  # records the move, for `autoheal model rollback`

    if current is None:
        move_champion(config, version)
        return True, f"first champion (version {version})", logged
    champion = Classifier.load(tracking.champion_uri(config.registered_model, CHAMPION_ALIAS))
    old = evaluate_sets(champion, frozen, config.threshold)[0]["frozen_eval"]
    compared = _compare_text(new, old) + _split_caveat(champion, candidate)
    if _not_worse(new, old):
        move_champion(config, version)
        return True, f"version {version} replaces {current}: {compared}", logged
    if not config.model_path.is_file():
        # The local copy of the champion is missing (fresh checkout, shared tracking server).
        shutil.copyfile(candidate_path, config.model_path)
    return False, f"version {version} is worse than {current}: {compared}", logged


def _families_hash(records: Sequence[LabelledLog]) -> str:
    """Which families were held out: equal hashes mean the same frozen generated families."""
    names = "\n".join(sorted({record.group for record in records}))
    return hashlib.sha256(names.encode()).hexdigest()[:16]


def _split_caveat(current: Classifier, candidate: Classifier) -> str:
    """A warning when the two models were trained with different held-out families: the older
    one may have trained on families the frozen set now holds out, and the comparison favours
    it (a generator change that adds families near the hash line, or a changed split rule)."""
    theirs = current.provenance.get("data", {}).get("heldout_families_hash")
    ours = candidate.provenance.get("data", {}).get("heldout_families_hash")
    if theirs is not None and theirs == ours:
        return ""
    return (
        " (the current model was trained with other held-out families and may have seen part "
        "of this evaluation set, which favours it; `autoheal model promote VERSION` decides)"
    )


def _compare_text(new: dict[str, Any], old: dict[str, Any]) -> str:
    return (
        f"macro-F1 {new.get('macro_f1', 0):.4f} vs {old.get('macro_f1', 0):.4f}, "
        f"precision@t {new.get('precision_at_threshold', 0):.4f} vs {old.get('precision_at_threshold', 0):.4f}"
    )


def evaluate(
    model: str | Path,
    paths: Sequence[Path],
    config: TrainConfig,
    console: Console | None = None,
) -> dict[str, dict[str, Any]]:
    """`autoheal eval`: score a model on the frozen evaluation set, or on the given files."""
    console = console or Console(stderr=True)
    classifier = Classifier.load(model, threshold=config.threshold)
    sets: dict[str, tuple[list[LabelledLog], list[Region]]] = {}
    with _progress(console) as progress:
        if paths:
            for path in paths:
                records = data_mod.load_extra([path])
                sets.update(_subsets(records, _extract(progress, path.name, records), path.stem))
        else:
            generated, _ = data_mod.load_generated(config.data_dir, config.n_generated, config.seed)
            split = data_mod.training_split(generated, data_mod.load_handwritten(), config)
            test_regions = _extract(progress, "held-out families", split.test)
            hand_regions = _extract(progress, "hand-written", split.handwritten)
            sets.update(_subsets(split.test, test_regions, "heldout_generated"))
            sets.update(_subsets(split.handwritten, hand_regions, "handwritten"))
            if split.feedback:
                sets["feedback"] = (split.feedback, _extract(progress, "feedback", split.feedback))
    metrics, _ = evaluate_sets(classifier, sets, config.threshold)
    console.print(f"model {classifier.model_version} ({classifier.source})")
    console.print(format_table(list(metrics.items())))
    return metrics
