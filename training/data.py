"""Assemble the training and evaluation sets, and split them honestly.

The evaluation split holds out whole template families: for each label, about a fixed share of its
families (those whose id hashes below the fraction, so adding families never moves another
one) never reach training. The hand-written examples are never trained on: they are the
realistic, frozen part of the evaluation set.

Feedback examples (categories people gave real failures, :mod:`datasets.feedback`) are split by
a hash of their failure's fingerprint: a share joins the frozen evaluation set, so that a
candidate model is promoted only if it does not get worse on them; the rest are trained on,
with a larger sample weight than the generated logs.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from datasets.feedback import is_feedback
from datasets.records import LabelledLog, read_jsonl, write_jsonl

if TYPE_CHECKING:
    from training.config import TrainConfig


@dataclass(frozen=True)
class Split:
    train: list[LabelledLog]
    test: list[LabelledLog]
    """Held-out generated families: phrasings the model never saw."""
    handwritten: list[LabelledLog]
    """Hand-written realistic examples: never trained on."""
    feedback: list[LabelledLog] = field(default_factory=list)
    """Feedback examples kept for evaluation (the others are in ``train``)."""

    @property
    def frozen_eval(self) -> list[LabelledLog]:
        return [*self.test, *self.handwritten, *self.feedback]

    @property
    def feedback_train(self) -> list[LabelledLog]:
        return [r for r in self.train if is_feedback(r)]


def _stable_rank(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def held_out_families(records: Iterable[LabelledLog], fraction: float) -> set[str]:
    """The families to hold out: each whose id hashes below ``fraction``, so adding a family
    never moves another one between training and evaluation (the frozen set stays comparable
    across generator versions). A label with at least three families and none below the line
    holds out its lowest-hashing family, so every label is evaluated."""
    by_label: dict[str, set[str]] = defaultdict(set)
    for record in records:
        by_label[record.label].add(record.group)
    held: set[str] = set()
    for families in by_label.values():
        chosen = {family for family in families if _unit_hash(family) < fraction}
        if not chosen and len(families) >= 3:
            chosen = {min(families, key=_stable_rank)}
        held.update(chosen)
    return held


def split_by_family(
    records: Sequence[LabelledLog],
    handwritten: Sequence[LabelledLog],
    fraction: float,
    *,
    feedback: Sequence[LabelledLog] = (),
    feedback_eval_fraction: float = 0.2,
) -> Split:
    held = held_out_families(records, fraction)
    train = [r for r in records if r.group not in held]
    test = [r for r in records if r.group in held]
    kept = [r for r in feedback if _unit_hash(r.group) < feedback_eval_fraction]
    train.extend(r for r in feedback if _unit_hash(r.group) >= feedback_eval_fraction)
    return Split(train=train, test=test, handwritten=list(handwritten), feedback=kept)


def _unit_hash(text: str) -> float:
    """A stable number in [0, 1) for ``text``."""
    return int(_stable_rank(text)[:13], 16) / 16**13


def partition_feedback(
    records: Iterable[LabelledLog],
) -> tuple[list[LabelledLog], list[LabelledLog]]:
    """``records`` without, then only, the feedback examples (one per id, the last wins)."""
    others: list[LabelledLog] = []
    feedback: dict[str, LabelledLog] = {}
    for record in records:
        if is_feedback(record):
            feedback[record.id] = record
        else:
            others.append(record)
    return others, list(feedback.values())


def load_feedback(path: Path | None) -> list[LabelledLog]:
    """The exported feedback file's records; none when there is no such file."""
    if path is None or not path.is_file():
        return []
    return list(read_jsonl(path))


def training_split(
    generated: Sequence[LabelledLog], handwritten: Sequence[LabelledLog], config: TrainConfig
) -> Split:
    """The split of a training run: generated logs, the extra files and the feedback file."""
    feedback_file = config.feedback_path()
    extra_files = [
        path
        for path in config.extra_data
        if feedback_file is None or path.resolve() != feedback_file.resolve()
    ]
    extra, feedback = partition_feedback([*load_extra(extra_files), *load_feedback(feedback_file)])
    return split_by_family(
        [*generated, *extra],
        handwritten,
        config.test_fraction,
        feedback=feedback,
        feedback_eval_fraction=config.feedback_eval_fraction,
    )


def sample_weights(records: Iterable[LabelledLog], feedback_weight: float) -> list[float]:
    """One weight per record: ``feedback_weight`` for feedback examples, 1 for the others."""
    return [feedback_weight if is_feedback(r) else 1.0 for r in records]


def generated_path(data_dir: Path, n: int, seed: int) -> Path:
    return data_dir / f"generated-n{n}-s{seed}.jsonl"


def load_generated(data_dir: Path, n: int, seed: int) -> tuple[list[LabelledLog], Path]:
    """Generate the synthetic set once per (n, seed, generator version) and reuse the file."""
    from datasets.generator import write_dataset

    path = generated_path(data_dir, n, seed)
    stamp = path.with_suffix(".stamp")
    version = generator_version()
    if not path.is_file() or not stamp.is_file() or stamp.read_text() != version:
        write_dataset(path, n, seed, n_jobs=2)
        stamp.write_text(version)
    return list(read_jsonl(path)), path


def generator_version() -> str:
    """A hash of the generator's source: a changed generator means regenerated data."""
    root = Path(__file__).resolve().parents[1] / "datasets" / "generator"
    digest = hashlib.sha256()
    for source in sorted(root.rglob("*.py")):
        digest.update(source.relative_to(root).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def load_handwritten() -> list[LabelledLog]:
    from datasets import handwritten

    return list(handwritten.load())


def load_extra(paths: Iterable[Path]) -> list[LabelledLog]:
    records: list[LabelledLog] = []
    for path in paths:
        records.extend(read_jsonl(path))
    return records


def data_hash(records: Iterable[LabelledLog]) -> str:
    """A content hash of labelled records (id, label and log), order-independent."""
    lines = sorted(
        hashlib.sha256(json.dumps([r.id, r.label, r.log]).encode()).hexdigest() for r in records
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def write_frozen_eval(path: Path, split: Split) -> Path:
    write_jsonl(path, split.frozen_eval)
    return path
