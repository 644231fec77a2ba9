"""The gateway over PyGithub: retries with marker checks, and log downloads without the token."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any, Final

import httpx
from github import Auth, Github, GithubException, InputGitAuthor, UnknownObjectException
from github.Repository import Repository

from service.remediation._gateway import RefExists
from service.remediation._markers import markers_in
from service.remediation._payloads import LABEL
from service.remediation._retry import RetryPolicy, call, write
from service.remediation._types import CommitInfo, IssueRef, JobInfo, PullRef, RunInfo

DEFAULT_API_URL: Final = "https://api.github.com"
MAX_LOG_BYTES: Final = 64 * 1024 * 1024


CLOSED_ISSUES_SCANNED: Final = 300
# Who the lock commits say made them (GitHub needs a name and an e-mail with a date).
COMMITTER_NAME: Final = "autoheal"
COMMITTER_EMAIL: Final = "autoheal@users.noreply.github.com"


def make_github(
    token: str, api_url: str = DEFAULT_API_URL, *, timeout: int = 30, throttle: bool = True
) -> Github:
    """A PyGithub client with its own retry off (ours checks markers before re-sending)."""
    return Github(
        auth=Auth.Token(token),
        base_url=api_url.rstrip("/"),
        timeout=timeout,
        retry=None,
        seconds_between_requests=0.25 if throttle else 0.0,
        seconds_between_writes=1.0 if throttle else 0.0,
    )


def _has(body: str | None, markers: dict[str, str]) -> bool:
    found = markers_in(body)
    return all(value in found.get(key, set()) for key, value in markers.items())


class PyGithubGateway:
    """:class:`~service.remediation._gateway.GitHubGateway` for one repository."""

    def __init__(
        self,
        github: Github,
        repository: str,
        *,
        policy: RetryPolicy | None = None,
        max_log_bytes: int = MAX_LOG_BYTES,
    ) -> None:
        self.github = github
        self.repository = repository
        self.policy = policy or RetryPolicy()
        self.max_log_bytes = max_log_bytes
        self._repo: Repository | None = None

    @property
    def repo(self) -> Repository:
        if self._repo is None:
            self._repo = call(
                self.policy, "read repository", lambda: self.github.get_repo(self.repository)
            )
        return self._repo

    # -- reads -----------------------------------------------------------------------------
    def get_run(self, run_id: int) -> RunInfo:
        def read() -> RunInfo:
            run = self.repo.get_workflow_run(run_id)
            raw: dict[str, Any] = run.raw_data
            head = raw.get("head_repository") or {}
            return RunInfo(
                id=run.id,
                repository=self.repository,
                workflow=str(raw.get("name") or "workflow"),
                run_attempt=int(raw.get("run_attempt") or 1),
                status=str(raw.get("status")),
                conclusion=raw.get("conclusion"),
                html_url=str(raw.get("html_url") or ""),
                head_repository=head.get("full_name"),
                head_branch=raw.get("head_branch"),
                head_sha=str(raw.get("head_sha") or ""),
                event=str(raw.get("event") or ""),
            )

        return call(self.policy, f"read run {run_id}", read)

    def failed_jobs(self, run_id: int) -> list[JobInfo]:
        def read() -> list[JobInfo]:
            run = self.repo.get_workflow_run(run_id)
            out = []
            for job in run.jobs("latest"):
                if job.conclusion != "failure":
                    continue
                step = next((s.name for s in job.steps if s.conclusion == "failure"), None)
                out.append(JobInfo(job.id, job.name, job.conclusion, step, job.html_url))
            return out

        return call(self.policy, f"list jobs of run {run_id}", read)

    def job_log(self, job_id: int) -> bytes:
        """The job's log text. The API answers with a redirect to short-lived storage, which is
        fetched without the Authorization header (the token must not go to another host)."""

        def location() -> str:
            job = self.repo.get_workflow_job(job_id)
            return str(job.logs_url())

        def fetch() -> bytes:
            url = call(self.policy, f"locate log of job {job_id}", location)
            chunks: list[bytes] = []
            size = 0
            with httpx.stream("GET", url, follow_redirects=True, timeout=60.0) as response:
                if response.status_code >= 500:
                    raise GithubException(response.status_code, {"message": "log storage"}, None)
                response.raise_for_status()
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    # Failures are at the end of a log: past the cap, keep the tail.
                    while len(chunks) > 1 and size - len(chunks[0]) >= self.max_log_bytes:
                        size -= len(chunks.pop(0))
            return b"".join(chunks)

        return call(self.policy, f"download log of job {job_id}", fetch)

    def default_branch(self) -> tuple[str, str]:
        def read() -> tuple[str, str]:
            branch = self.repo.default_branch
            return branch, self.repo.get_git_ref(f"heads/{branch}").object.sha

        return call(self.policy, "read default branch", read)

    def read_file(self, path: str) -> bytes | None:
        def read() -> bytes | None:
            try:
                found = self.repo.get_contents(path)
            except UnknownObjectException:
                return None
            if isinstance(found, list):  # a directory
                return None
            return bytes(found.decoded_content)

        return call(self.policy, f"read {path}", read)

    def find_issue(self, fingerprint: str) -> IssueRef | None:
        def read() -> IssueRef | None:
            for issue in self.repo.get_issues(state="open", labels=[LABEL]):
                if issue.pull_request is not None:
                    continue
                if _has(issue.body, {"kind": "issue", "fingerprint": fingerprint}):
                    return IssueRef(issue.number, issue.html_url, issue.body or "")
            return None

        return call(self.policy, "search issues", read)

    def find_closed_issue(self, fingerprint: str) -> IssueRef | None:
        def read() -> IssueRef | None:
            closed = self.repo.get_issues(
                state="closed", labels=[LABEL], sort="updated", direction="desc"
            )
            # Bounded: a failure that comes back is found among the recently updated issues.
            for index, issue in enumerate(closed):
                if index >= CLOSED_ISSUES_SCANNED:
                    break
                if issue.pull_request is not None:
                    continue
                if _has(issue.body, {"kind": "issue", "fingerprint": fingerprint}):
                    return IssueRef(issue.number, issue.html_url, issue.body or "")
            return None

        return call(self.policy, "search closed issues", read)

    def reopen_issue(self, number: int) -> None:
        def send() -> None:
            self.repo.get_issue(number).edit(state="open")

        # Idempotent: reopening an open issue changes nothing, so a retry is safe.
        call(self.policy, f"reopen issue #{number}", send)

    def find_comment(self, number: int, markers: dict[str, str]) -> str | None:
        def read() -> str | None:
            for comment in self.repo.get_issue(number).get_comments():
                if _has(comment.body, markers):
                    return str(comment.html_url)
            return None

        return call(self.policy, f"read comments of #{number}", read)

    def find_pull(self, fingerprint: str) -> PullRef | None:
        def read() -> PullRef | None:
            for pull in self.repo.get_pulls(state="open"):
                if _has(pull.body, {"kind": "pull", "fingerprint": fingerprint}):
                    return PullRef(pull.number, pull.html_url, pull.head.ref)
            return None

        return call(self.policy, "search pull requests", read)

    def find_plan_branch(self, prefix: str, path: str) -> str | None:
        def read() -> str | None:
            for ref in self.repo.get_git_matching_refs(f"heads/{prefix}"):
                branch = ref.ref.removeprefix("refs/heads/")
                try:
                    self.repo.get_contents(path, ref=branch)
                except UnknownObjectException:
                    continue
                return branch
            return None

        return call(self.policy, "search branches", read)

    def ref_exists(self, branch: str) -> bool:
        def read() -> bool:
            try:
                self.repo.get_git_ref(f"heads/{branch}")
            except UnknownObjectException:
                return False
            return True

        return call(self.policy, f"read ref {branch}", read)

    def branch_commit(self, branch: str) -> CommitInfo | None:
        def read() -> CommitInfo | None:
            try:
                sha = self.repo.get_git_ref(f"heads/{branch}").object.sha
                commit = self.repo.get_git_commit(sha)
            except UnknownObjectException:
                return None
            return CommitInfo(commit.sha, commit.message, commit.committer.date)

        return call(self.policy, f"read branch {branch}", read)

    def count_issues_since(self, since: datetime) -> int:
        def read() -> int:
            found = self.repo.get_issues(state="all", labels=[LABEL], since=since)
            return sum(1 for i in found if i.pull_request is None and i.created_at >= since)

        return call(self.policy, "count recent issues", read)

    # -- writes ----------------------------------------------------------------------------
    def create_issue(
        self, title: str, body: str, labels: tuple[str, ...], fingerprint: str
    ) -> IssueRef:
        def send() -> IssueRef:
            issue = self.repo.create_issue(title=title, body=body, labels=list(labels))
            return IssueRef(issue.number, issue.html_url, body)

        result, _ = write(self.policy, "create issue", send, lambda: self.find_issue(fingerprint))
        return result

    def comment(self, number: int, body: str, markers: dict[str, str]) -> str:
        def send() -> str:
            return str(self.repo.get_issue(number).create_comment(body).html_url)

        result, _ = write(
            self.policy, f"comment on #{number}", send, lambda: self.find_comment(number, markers)
        )
        return result

    def add_labels(self, number: int, labels: tuple[str, ...]) -> None:
        # Adding labels is idempotent: a plain retry is safe.
        call(
            self.policy,
            f"label #{number}",
            lambda: self.repo.get_issue(number).add_to_labels(*labels),
        )

    def create_branch(self, branch: str, sha: str, *, exclusive: bool) -> None:
        tries = 0

        def send() -> None:
            nonlocal tries
            tries += 1
            try:
                self.repo.create_git_ref(f"refs/heads/{branch}", sha)
            except GithubException as exc:
                if exc.status != 422:
                    raise
                if exclusive and tries == 1:
                    raise RefExists(branch) from exc
                # Exists after an ambiguous first attempt: that attempt made it.

        call(self.policy, f"create branch {branch}", send)

    def delete_branch(self, branch: str) -> None:
        def send() -> None:
            with contextlib.suppress(UnknownObjectException):  # gone: a retried delete
                self.repo.get_git_ref(f"heads/{branch}").delete()

        call(self.policy, f"delete branch {branch}", send)

    def create_commit(self, parent: str, message: str, date: datetime) -> str:
        stamp = date.strftime("%Y-%m-%dT%H:%M:%SZ")

        def send() -> str:
            base = self.repo.get_git_commit(parent)
            committer = InputGitAuthor(COMMITTER_NAME, COMMITTER_EMAIL, stamp)
            made = self.repo.create_git_commit(
                message, base.tree, [base], author=committer, committer=committer
            )
            return str(made.sha)

        # A repeated attempt makes a second, unreferenced commit object: harmless.
        return call(self.policy, "create a commit", send)

    def advance_branch(self, branch: str, sha: str) -> bool:
        def send() -> bool:
            try:
                self.repo.get_git_ref(f"heads/{branch}").edit(sha, force=False)
            except UnknownObjectException:
                return False
            except GithubException as exc:
                if exc.status != 422:
                    raise
                return False  # not a fast-forward (another writer moved it), or gone
            return True

        # A repeat after an ambiguous first attempt that moved the branch is a fast-forward to
        # the same commit, which GitHub accepts.
        return call(self.policy, f"advance branch {branch}", send)

    def create_file(self, branch: str, path: str, message: str, content: str) -> None:
        def send() -> bool:
            self.repo.create_file(path, message, content, branch=branch)
            return True

        def find() -> bool | None:
            try:
                self.repo.get_contents(path, ref=branch)
            except UnknownObjectException:
                return None
            return True

        write(self.policy, f"commit {path}", send, find)

    def create_pull(self, title: str, body: str, head: str, base: str, fingerprint: str) -> PullRef:
        def send() -> PullRef:
            pull = self.repo.create_pull(base=base, head=head, title=title, body=body, draft=True)
            return PullRef(pull.number, pull.html_url, head)

        result, _ = write(
            self.policy, "open draft pull request", send, lambda: self.find_pull(fingerprint)
        )
        return result

    def rerun_failed_jobs(self, run_id: int, attempt: int) -> None:
        # PyGithub's WorkflowRun.rerun_failed_jobs() hides errors; call the endpoint directly.
        url = f"{self.repo.url}/actions/runs/{run_id}/rerun-failed-jobs"

        def send() -> bool:
            self.github.requester.requestJsonAndCheck("POST", url)
            return True

        def find() -> bool | None:
            return True if self.get_run(run_id).run_attempt > attempt else None

        write(self.policy, f"re-run failed jobs of run {run_id}", send, find)
