"""Assemble the training and evaluation sets, and split them honestly.

The evaluation split holds out whole template families: for each label, a fixed share of its
families (chosen by a hash of the family id, so the choice does not move when other families are
added) never reach training. The hand-written examples are never trained on: they are the
realistic, frozen part of the evaluation set.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from datasets.records import LabelledLog, read_jsonl, write_jsonl


@dataclass(frozen=True)
class Split:
    train: list[LabelledLog]
    test: list[LabelledLog]
    """Held-out generated families: phrasings the model never saw."""
    handwritten: list[LabelledLog]
    """Hand-written realistic examples: never trained on."""

    @property
    def frozen_eval(self) -> list[LabelledLog]:
        return [*self.test, *self.handwritten]


def _stable_rank(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def held_out_families(records: Iterable[LabelledLog], fraction: float) -> set[str]:
    """The families to hold out: per label, the ``fraction`` whose id hashes lowest (>= 1 when
    the label has at least three families)."""
    by_label: dict[str, set[str]] = defaultdict(set)
    for record in records:
        by_label[record.label].add(record.group)
    held: set[str] = set()
    for families in by_label.values():
        if len(families) < 3:
            continue
        count = max(1, math.floor(len(families) * fraction + 0.5))
        held.update(sorted(families, key=_stable_rank)[:count])
    return held


def split_by_family(
    records: Sequence[LabelledLog], handwritten: Sequence[LabelledLog], fraction: float
) -> Split:
    held = held_out_families(records, fraction)
    train = [r for r in records if r.group not in held]
    test = [r for r in records if r.group in held]
    return Split(train=train, test=test, handwritten=list(handwritten))


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
