"""An assembled CI job: the passing steps around a failure, before any CI format is applied."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from datasets.generator._types import Failure


@dataclass
class Step:
    """One step of a job as the tool printed it (no timestamps, no runner markers)."""

    name: str
    command: str
    """The shell script (may span lines); empty for a GitHub action (``uses``) step."""
    lines: list[str]
    kind: str = "run"
    """``run`` (a shell step every CI shows), ``checkout`` (each CI writes its own), or
    ``action`` (a GitHub action such as ``actions/setup-python``: shown by GitHub only)."""
    uses: str = ""
    with_: list[tuple[str, str]] = field(default_factory=list)
    env_after: list[tuple[str, str]] = field(default_factory=list)
    """Variables the step exports for later steps (GitHub lists them in each ``env:`` block)."""
    seconds: float = 1.0
    """How long the step ran; spreads timestamps over the lines."""
    coloured: bool = False
    """Whether the tool colours its output when the CI keeps ANSI codes."""


@dataclass
class Job:
    ecosystem: str
    owner: str
    project: str
    branch: str
    sha: str
    subject: str
    job_name: str
    image: str
    """The container image a docker-based CI (GitLab, CircleCI) would run the job in."""
    steps: list[Step]
    """Passing steps in order, ending just before the failing one."""
    failure: Failure
    failing: Step
    env: list[tuple[str, str]]
    """Workflow-level environment (shown in every GitHub ``env:`` block)."""
    post_actions: list[str]
    """Actions whose post step runs after the failure (``actions/checkout@v4``, ...)."""
    start: float
    """Unix time the job started."""
    rng: random.Random

    @property
    def repo(self) -> str:
        return f"{self.owner}/{self.project}"

    @property
    def workdir(self) -> str:
        return f"/home/runner/work/{self.project}/{self.project}"
