"""Quality figures for a set of predictions: the numbers `make train` and `make eval` report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from model.taxonomy import LABELS, UNKNOWN

ECE_BINS = 15


@dataclass(frozen=True)
class Scored:
    """True labels, predicted labels (after abstention) and the probability rows."""

    y_true: list[str]
    y_pred: list[str]
    proba: np.ndarray  # (n, len(LABELS)), LABELS order


def expected_calibration_error(
    confidence: np.ndarray, correct: np.ndarray, bins: int = ECE_BINS
) -> float:
    """Top-label ECE with ``bins`` equal-width bins over [0, 1]."""
    if len(confidence) == 0:
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = index == b
        if mask.any():
            total += mask.mean() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(total)


def reliability_table(
    confidence: np.ndarray, correct: np.ndarray, bins: int = ECE_BINS
) -> list[dict[str, float]]:
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    rows = []
    for b in range(bins):
        mask = index == b
        if mask.any():
            rows.append(
                {
                    "low": float(edges[b]),
                    "high": float(edges[b + 1]),
                    "count": int(mask.sum()),
                    "confidence": float(confidence[mask].mean()),
                    "accuracy": float(correct[mask].mean()),
                }
            )
    return rows


def compute_metrics(scored: Scored, threshold: float) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class F1, ECE, Brier, and precision/coverage at the threshold."""
    y_true = np.array(scored.y_true)
    y_pred = np.array(scored.y_pred)
    n = len(y_true)
    if n == 0:
        return {"n": 0}
    top = scored.proba.max(axis=1)
    top_label = np.array([LABELS[i] for i in scored.proba.argmax(axis=1)])
    correct_top = top_label == y_true
    onehot = np.zeros_like(scored.proba)
    for i, label in enumerate(y_true):
        onehot[i, LABELS.index(label)] = 1.0
    brier = float(np.mean(np.sum((scored.proba - onehot) ** 2, axis=1)))
    present = sorted({str(v) for v in y_true} | {str(v) for v in y_pred})
    per_class = f1_score(y_true, y_pred, labels=present, average=None, zero_division=0)
    acted = (top >= threshold) & (y_pred != UNKNOWN)
    precision = float((y_pred[acted] == y_true[acted]).mean()) if acted.any() else float("nan")
    return {
        "n": n,
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(
            f1_score(y_true, y_pred, labels=sorted(set(y_true)), average="macro", zero_division=0)
        ),
        "ece": expected_calibration_error(top, correct_top.astype(float)),
        "brier": brier,
        "precision_at_threshold": precision,
        "coverage_at_threshold": float(acted.mean()),
        "threshold": threshold,
        "per_class_f1": {str(label): float(f) for label, f in zip(present, per_class, strict=True)},
    }


def confusion(scored: Scored) -> tuple[list[str], np.ndarray]:
    labels = [label for label in LABELS if label in set(scored.y_true) | set(scored.y_pred)]
    return labels, confusion_matrix(scored.y_true, scored.y_pred, labels=labels)


def plot_confusion(scored: Scored, path: Path, title: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels, matrix = confusion(scored)
    fig, ax = plt.subplots(figsize=(10, 9))
    row_sums = matrix.sum(axis=1, keepdims=True)
    shares = np.divide(
        matrix, row_sums, out=np.zeros(matrix.shape, dtype=float), where=row_sums > 0
    )
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for i in range(len(labels)):
        for j in range(len(labels)):
            if matrix[i, j]:
                color = "white" if shares[i, j] > 0.5 else "black"
                ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=7, color=color)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_reliability(scored: Scored, path: Path, title: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    top = scored.proba.max(axis=1)
    top_label = np.array([LABELS[i] for i in scored.proba.argmax(axis=1)])
    correct = (top_label == np.array(scored.y_true)).astype(float)
    rows = reliability_table(top, correct)
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    ax.plot(
        [r["confidence"] for r in rows],
        [r["accuracy"] for r in rows],
        marker="o",
        label=f"model (ECE {expected_calibration_error(top, correct):.3f})",
    )
    for r in rows:
        ax.annotate(
            str(r["count"]),
            (r["confidence"], r["accuracy"]),
            fontsize=7,
            xytext=(3, -9),
            textcoords="offset points",
        )
    ax.set_xlabel("confidence (top probability)")
    ax.set_ylabel("accuracy")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_title(title)
    ax.legend(loc="upper left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def format_table(named: Sequence[tuple[str, dict[str, Any]]]) -> str:
    """A plain-text table of the headline metrics, one row per evaluated set."""
    keys = [
        "n",
        "accuracy",
        "macro_f1",
        "precision_at_threshold",
        "coverage_at_threshold",
        "ece",
        "brier",
    ]
    header = f"{'set':<22}" + "".join(f"{k.replace('_at_threshold', '@t'):>14}" for k in keys)
    lines = [header]
    for name, metrics in named:
        cells = []
        for key in keys:
            value = metrics.get(key)
            cells.append(
                f"{value:>14}"
                if isinstance(value, int)
                else f"{value:>14.4f}"
                if isinstance(value, float)
                else f"{'-':>14}"
            )
        lines.append(f"{name:<22}" + "".join(cells))
    return "\n".join(lines)
