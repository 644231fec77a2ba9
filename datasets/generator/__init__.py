"""Realistic, labelled CI job logs written from failure families.

A *family* (``datasets/generator/families/<label>.py``) writes what a failing step prints;
the assembler wraps it in a job (set-up, passing steps, hard-negative noise) and renders it in
one of several CI formats, either as a full job log or as a short excerpt.
"""

from __future__ import annotations

import os

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


def write_dataset(path: str | os.PathLike[str], n: int, seed: int) -> int:
    """Generate ``n`` records with ``seed`` into a JSON Lines file; return how many."""
    return write_jsonl(path, generate(n, seed))
