"""The contract between failure families and the job-log assembler.

A *family* is one way a category of failure shows itself (one tool, one phrasing family). It
knows how to write the output of the failing step; the assembler wraps that output in a whole
job log (set-up steps, noise, the runner's own markers) in one of several CI formats. The
evaluation split holds out whole families, so a family must be a genuinely distinct phrasing,
not a copy of another with different names.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

ECOSYSTEMS: tuple[str, ...] = (
    "python",
    "node",
    "java",
    "go",
    "rust",
    "cpp",
    "dotnet",
    "ruby",
    "docker",
)

FORMATS: tuple[str, ...] = (
    "github_actions",
    "gitlab",
    "jenkins",
    "azure",
    "circleci",
    "plain",
)
"""The CI log formats the assembler renders (``plain`` is a developer's terminal)."""


@dataclass(frozen=True)
class Failure:
    """What the failing step printed, and how the runner ended it."""

    label: str
    lines: list[str]
    """The step's own output in order, as the tool prints it: no timestamps, no ANSI codes,
    no runner markers. May be long (a full traceback, a compiler's many diagnostics)."""
    step: str
    """The step's display name, e.g. ``"Run tests"`` or ``"Install dependencies"``."""
    command: str
    """The shell command the step ran, e.g. ``"python -m pytest -q"``."""
    exit_code: int | None = 1
    """The exit code the runner reports (``Process completed with exit code N``); ``None`` when
    the step did not end by exiting (cancelled, runner lost, workflow never started)."""
    runner_errors: tuple[str, ...] = ()
    """Errors the runner itself reports after the step, without the ``##[error]`` prefix, e.g.
    ``"The operation was canceled."``. The assembler renders them in the CI format chosen."""
    job_level: bool = False
    """True when the failure happens before any step runs (an invalid workflow file, no runner):
    the assembler then writes no set-up steps, only the runner's lines."""
    tags: tuple[str, ...] = field(default_factory=tuple)
    """Free-form notes (tool name, ...) kept in the record's metadata."""
    formats: tuple[str, ...] = ()
    """The formats (from ``FORMATS``) whose CI prints these lines, for text only one CI system
    writes (a GitLab runner's ``Preparation failed``, GitHub's ``Requested labels``); the
    assembler then renders the failure only in those. Empty means any format."""


@dataclass(frozen=True)
class Family:
    """One distinct way a failure of ``label`` shows itself."""

    id: str
    """Unique, ``"<label>/<slug>"``, e.g. ``"dependency_install/pip-resolution-impossible"``."""
    label: str
    ecosystems: tuple[str, ...]
    """The ecosystems (from ``ECOSYSTEMS``) in which this failure is plausible."""
    make: Callable[[random.Random, str], Failure]
    """Build one instance: ``make(rng, ecosystem)``. Deterministic given the rng's state;
    draws every name, number and phrasing variant from ``rng``."""
