"""Realistic, labelled CI job logs written from failure families.

A *family* (``datasets/generator/families/<label>.py``) writes what a failing step prints;
the assembler wraps it in a job (set-up, passing steps, hard-negative noise) and renders it in
one of several CI formats, either as a full job log or as a short excerpt.
"""

from __future__ import annotations

import itertools
import os

from datasets.generator._assemble import KINDS, build_job, generate, render_family
from datasets.generator._formats import FORMATS, render
from datasets.generator._registry import FamilyError, all_families, check_families
from datasets.generator._types import ECOSYSTEMS, Failure, Family
from datasets.records import LabelledLog, write_jsonl

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


def _slice(n: int, seed: int, start: int) -> list[LabelledLog]:
    return list(generate(n, seed, start=start))


def write_dataset(path: str | os.PathLike[str], n: int, seed: int, *, n_jobs: int = 1) -> int:
    """Generate ``n`` records with ``seed`` into a JSON Lines file; return how many.

    With ``n_jobs > 1`` slices are generated in parallel processes; the file is identical.
    """
    if n_jobs <= 1 or n < 2000:
        return write_jsonl(path, generate(n, seed))
    from joblib import Parallel, delayed

    bounds = [round(n * i / (n_jobs * 4)) for i in range(n_jobs * 4 + 1)]
    slices = Parallel(n_jobs=n_jobs, return_as="generator")(
        delayed(_slice)(stop, seed, begin) for begin, stop in itertools.pairwise(bounds)
    )
    return write_jsonl(path, (record for part in slices for record in part))
