"""Realistic, labelled CI job logs written from failure families.

A *family* (``datasets/generator/families/<label>.py``) writes what a failing step prints;
the assembler wraps it in a job (set-up, passing steps, hard-negative noise) and renders it in
one of several CI formats, either as a full job log or as a short excerpt.
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

from datasets.generator._assemble import KINDS, build_job, generate, render_family
from datasets.generator._formats import FORMATS, render
from datasets.generator._registry import FamilyError, all_families, check_families
from datasets.generator._types import ECOSYSTEMS, Failure, Family
from datasets.records import write_jsonl

__all__ = [
    "ECOSYSTEMS",
    "FORMATS",
    "KINDS",
    "Failure",
    "Family",
    "FamilyError",
    "all_families",
    "build_job",
    "check_families",
    "generate",
    "render",
    "render_example",
    "write_dataset",
]


def render_example(
    family_id: str,
    seed: int = 0,
    fmt: str = "github_actions",
    *,
    ecosystem: str | None = None,
    kind: str = "full",
) -> str:
    """Render one example of a registered family, to preview a family while writing it."""
    for family in all_families():
        if family.id == family_id:
            return render_family(family, seed, fmt, ecosystem=ecosystem, kind=kind)
    raise KeyError(f"no registered family {family_id!r}")


def _write_slice(n: int, seed: int, start: int, path: str) -> int:
    return write_jsonl(path, generate(n, seed, start=start))


def write_dataset(path: str | os.PathLike[str], n: int, seed: int, *, n_jobs: int = 1) -> int:
    """Generate ``n`` records with ``seed`` into a JSON Lines file; return how many.

    With ``n_jobs > 1`` slices are written by parallel processes to part files that are then
    concatenated (the text never travels between processes); the file is identical.
    """
    if n_jobs <= 1 or n < 2000:
        return write_jsonl(path, generate(n, seed))
    from joblib import Parallel, delayed

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    bounds = [round(n * i / (n_jobs * 4)) for i in range(n_jobs * 4 + 1)]
    parts = [target.with_name(f"{target.name}.part{i}") for i in range(len(bounds) - 1)]
    try:
        counts = Parallel(n_jobs=n_jobs)(
            delayed(_write_slice)(stop, seed, begin, str(part))
            for (begin, stop), part in zip(itertools.pairwise(bounds), parts, strict=True)
        )
        tmp = target.with_name(target.name + ".tmp")
        with open(tmp, "wb") as out:
            for part in parts:
                with open(part, "rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 20)
        os.replace(tmp, target)
    finally:
        for part in parts:
            part.unlink(missing_ok=True)
    return sum(counts)
