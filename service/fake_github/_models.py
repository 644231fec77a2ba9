"""Records kept by the GitHub stand-in: repositories, runs, issues, pulls, faults and logs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

FaultKind = Literal["502", "500", "rate_limit", "429", "secondary_rate_limit", "delay"]
FAULT_KINDS: tuple[FaultKind, ...] = (
    "502",
    "500",
    "rate_limit",
    "429",
    "secondary_rate_limit",
    "delay",
)

# Write permissions a token may hold (GitHub App style); reads only need a known token.
Permission = Literal["actions", "contents", "issues", "pull_requests"]
ALL_PERMISSIONS: frozenset[str] = frozenset({"actions", "contents", "issues", "pull_requests"})


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class Account:
    login: str
    id: int
    type: str  # "User", "Bot" or "Organization"


@dataclass
class Token:
    value: str
    login: str
    permissions: frozenset[str]
    repositories: frozenset[str] | None = None  # an installation token's; None: any repository
    expires_at: datetime | None = None  # an installation token expires; others do not

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at


@dataclass
class Commit:
    sha: str
    tree: dict[str, bytes]
    parents: list[str]
    message: str
    author: str
    date: datetime


@dataclass
class Label:
    id: int
    name: str
    color: str
    description: str | None = None


@dataclass
class PullInfo:
    """What an issue carries when it is a pull request (issues and pulls share numbers)."""

    id: int
    head_repo: str
    head_ref: str
    base_ref: str
    draft: bool
    base_sha: str
    maintainer_can_modify: bool = True
    merged: bool = False
    merged_at: datetime | None = None
    merged_by: str | None = None
    merge_commit_sha: str | None = None


@dataclass
class Issue:
    id: int
    number: int
    title: str
    body: str | None
    user: str
    created_at: datetime
    updated_at: datetime
    state: str = "open"
    state_reason: str | None = None
    closed_at: datetime | None = None
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    pull: PullInfo | None = None


@dataclass
class Comment:
    id: int
    issue_number: int
    body: str
    user: str
    created_at: datetime
    updated_at: datetime


@dataclass
class Repo:
    id: int
    owner: str
    name: str
    default_branch: str
    private: bool = False
    fork_of: str | None = None
    branches: dict[str, str] = field(default_factory=dict)
    commits: dict[str, Commit] = field(default_factory=dict)
    labels: dict[str, Label] = field(default_factory=dict)  # key: lower-cased name
    issues: dict[int, Issue] = field(default_factory=dict)
    comments: dict[int, Comment] = field(default_factory=dict)
    next_number: int = 1
    created_at: datetime = field(default_factory=utcnow)
    roles: dict[str, str] = field(default_factory=dict)
    """Collaborators' roles by login: read, triage, write, maintain or admin."""

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass
class Step:
    name: str
    number: int
    conclusion: str | None
    status: str = "completed"


@dataclass
class Job:
    id: int
    run_id: int
    name: str
    run_attempt: int
    status: str
    conclusion: str | None
    steps: list[Step]
    log: str | None
    started_at: datetime
    completed_at: datetime | None
    runner_name: str = "GitHub Actions 1000000001"


@dataclass
class Run:
    id: int
    repo: str
    name: str
    path: str
    workflow_id: int
    run_number: int
    head_branch: str
    head_sha: str
    head_repo: str
    event: str
    status: str
    conclusion: str | None
    actor: str
    display_title: str
    created_at: datetime
    updated_at: datetime
    run_attempt: int = 1
    pull_requests: list[int] = field(default_factory=list)


@dataclass
class Fault:
    """Answer the next ``times`` requests matching ``method`` and ``path`` (a glob on the path
    below ``/api/v3``) with a failure; ``after_write`` performs the request first."""

    id: int
    kind: FaultKind
    method: str
    path: str
    times: int
    after_write: bool = False
    seconds: float = 1.0
    hits: int = 0


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    query: str
    login: str | None
    status: int
    fault: str | None
    at: datetime


@dataclass(frozen=True)
class Rerun:
    repo: str
    run_id: int
    attempt: int
    login: str
    failed_only: bool
    at: datetime


@dataclass(frozen=True)
class MergeAttempt:
    repo: str
    number: int
    login: str
    merge_method: str
    status: int
    at: datetime


@dataclass(frozen=True)
class Review:
    id: int
    repo: str
    number: int
    login: str
    event: str
    body: str
    status: int
    at: datetime


@dataclass(frozen=True)
class AgentAssignment:
    repo: str
    number: int
    login: str
    assignees: tuple[str, ...]
    agent_assignment: dict[str, str] | None
    at: datetime
