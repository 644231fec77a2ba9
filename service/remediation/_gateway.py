"""The GitHub operations remediation needs, as a protocol: the seam for tests and dry runs.

Write methods take what they need to find their own earlier result (markers, names), so that an
implementation can retry them safely after an ambiguous failure.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from service.remediation._types import CommitInfo, IssueRef, JobInfo, PullRef, RunInfo


class RefExists(Exception):
    """Creating a git ref failed because it exists (HTTP 422): the lock is taken."""


class GitHubGateway(Protocol):
    # -- reads -----------------------------------------------------------------------------
    def get_run(self, run_id: int) -> RunInfo: ...

    def failed_jobs(self, run_id: int) -> list[JobInfo]: ...

    def job_log(self, job_id: int) -> bytes: ...

    def default_branch(self) -> tuple[str, str]:
        """The default branch's name and head sha."""
        ...

    def read_file(self, path: str) -> bytes | None:
        """A file's content on the default branch, or None when there is no such file."""
        ...

    def find_issue(self, fingerprint: str) -> IssueRef | None:
        """The open ``autoheal`` issue whose body marks this fingerprint (pull requests excluded)."""
        ...

    def find_closed_issue(self, fingerprint: str) -> IssueRef | None:
        """The most recently updated closed ``autoheal`` issue carrying the fingerprint marker."""
        ...

    def reopen_issue(self, number: int) -> None: ...

    def find_comment(self, number: int, markers: dict[str, str]) -> str | None:
        """URL of a comment on issue/PR ``number`` carrying all ``markers``, or None."""
        ...

    def find_pull(self, fingerprint: str) -> PullRef | None: ...

    def find_plan_branch(self, prefix: str, path: str) -> str | None:
        """A branch named ``prefix...`` that holds the file ``path``."""
        ...

    def ref_exists(self, branch: str) -> bool: ...

    def branch_commit(self, branch: str) -> CommitInfo | None:
        """The commit ``branch`` points at, or None when there is no such branch."""
        ...

    def count_issues_since(self, since: datetime) -> int:
        """Issues labelled ``autoheal`` (any state, pull requests excluded) created since."""
        ...

    # -- writes ----------------------------------------------------------------------------
    def create_issue(
        self, title: str, body: str, labels: tuple[str, ...], fingerprint: str
    ) -> IssueRef: ...

    def comment(self, number: int, body: str, markers: dict[str, str]) -> str: ...

    def add_labels(self, number: int, labels: tuple[str, ...]) -> None: ...

    def create_branch(self, branch: str, sha: str, *, exclusive: bool) -> None:
        """Create ``refs/heads/<branch>`` at ``sha``. With ``exclusive`` an existing ref raises
        :class:`RefExists`; otherwise an existing one is accepted (a retried creation)."""
        ...

    def delete_branch(self, branch: str) -> None: ...

    def create_commit(self, parent: str, message: str, date: datetime) -> str:
        """A commit with ``parent``'s files, ``message`` and committer date ``date``; no branch
        moves. Returns its id."""
        ...

    def advance_branch(self, branch: str, sha: str) -> bool:
        """Move ``branch`` to ``sha`` only if that is a fast-forward (GitHub's compare-and-swap);
        False when it is not, or when the branch is gone."""
        ...

    def create_file(self, branch: str, path: str, message: str, content: str) -> None: ...

    def create_pull(
        self, title: str, body: str, head: str, base: str, fingerprint: str
    ) -> PullRef: ...

    def rerun_failed_jobs(self, run_id: int, attempt: int) -> None: ...
