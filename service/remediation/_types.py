"""Plain records passed between the gateway, the policy and the payload builders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from model.classifier import Prediction


@dataclass(frozen=True)
class RunInfo:
    """A workflow run, as far as remediation needs it."""

    id: int
    repository: str
    workflow: str
    run_attempt: int
    status: str
    conclusion: str | None
    html_url: str
    head_repository: str | None
    head_branch: str | None
    head_sha: str
    event: str = "push"

    @property
    def from_fork(self) -> bool:
        return self.head_repository is not None and self.head_repository != self.repository


@dataclass(frozen=True)
class CommitInfo:
    """A commit as the lock needs it: its id, its message and when it says it was made."""

    sha: str
    message: str
    date: datetime


@dataclass(frozen=True)
class JobInfo:
    """A failed job of the run's latest attempt."""

    id: int
    name: str
    conclusion: str | None
    failed_step: str | None
    html_url: str


@dataclass(frozen=True)
class Failure:
    """One failure of a run: the jobs that failed the same way (same fingerprint)."""

    prediction: Prediction
    jobs: tuple[JobInfo, ...]

    @property
    def fingerprint(self) -> str:
        return self.prediction.fingerprint

    @property
    def job(self) -> JobInfo:
        return self.jobs[0]


@dataclass(frozen=True)
class IssueRef:
    number: int
    html_url: str
    body: str = ""


@dataclass(frozen=True)
class PullRef:
    number: int
    html_url: str
    head: str
