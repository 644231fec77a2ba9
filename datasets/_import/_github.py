"""Failed job logs of one repository, read through PyGithub: runs, their failed jobs, the logs.

Listing the runs must work, or the import fails. Anything wrong with one job (its list of jobs,
its log's location, the download, the content) skips that job with a reason and goes on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final

import httpx
from github import Github, GithubException
from github.WorkflowRun import WorkflowRun

from service.remediation._retry import GitHubUnavailable, RetryPolicy, call, describe

PER_PAGE: Final = 100
# A text log never holds NUL bytes; a blob that does is not worth labelling.
_BINARY_PROBE: Final = 64 * 1024


@dataclass(frozen=True)
class FetchedLog:
    """One failed job's log (at most ``max_log_bytes``: the tail when it was longer)."""

    repository: str
    run_id: int
    run_url: str
    run_created_at: str
    workflow: str
    job_id: int
    job_name: str
    job_url: str
    content: bytes
    truncated: bool


class SkippedJob(Exception):
    """One job whose log cannot be used; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def failed_runs(
    github: Github, repository: str, since: str, *, limit: int, policy: RetryPolicy
) -> Iterator[WorkflowRun]:
    """Runs that failed, created at or after ``since``, newest first, at most ``limit``."""
    repo = call(policy, "read repository", lambda: github.get_repo(repository))
    listing = repo.get_workflow_runs(status="failure", created=f">={since}")
    seen = 0
    page = 0
    while seen < limit:
        runs = call(
            policy,
            f"list failed runs (page {page + 1})",
            functools.partial(listing.get_page, page),
        )
        for run in runs:
            if seen >= limit:
                return
            seen += 1
            yield run
        if len(runs) < github.per_page:
            return
        page += 1


def failed_jobs_of(run: WorkflowRun, policy: RetryPolicy) -> list[Any]:
    """The failed jobs of the run's latest attempt."""

    def read() -> list[Any]:
        return [job for job in run.jobs("latest") if job.conclusion == "failure"]

    return call(policy, f"list jobs of run {run.id}", read)


def download_log(job: Any, policy: RetryPolicy, max_log_bytes: int) -> tuple[bytes, bool]:
    """The job's log and whether it was cut to its last ``max_log_bytes``.

    The API answers with a redirect to short-lived storage, fetched without the Authorization
    header (the token must not reach another host). Raises :class:`SkippedJob`.
    """
    try:
        url = call(policy, f"locate log of job {job.id}", lambda: str(job.logs_url()))
    except (GithubException, GitHubUnavailable) as exc:
        reason = describe(exc) if isinstance(exc, GithubException) else str(exc)
        raise SkippedJob(f"log not available ({reason})") from exc

    def fetch() -> tuple[bytes, bool]:
        chunks: list[bytes] = []
        size = 0
        cut = False
        with httpx.stream("GET", url, follow_redirects=True, timeout=60.0) as response:
            if response.status_code >= 500:
                raise GithubException(response.status_code, {"message": "log storage"}, None)
            if response.status_code >= 400:
                raise SkippedJob(f"log not available (HTTP {response.status_code})")
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                # Failures are at the end of a log: past the cap, keep the tail.
                while len(chunks) > 1 and size - len(chunks[0]) >= max_log_bytes:
                    size -= len(chunks.pop(0))
                    cut = True
        content = b"".join(chunks)
        if len(content) > max_log_bytes:
            content, cut = content[-max_log_bytes:], True
        return content, cut

    try:
        content, cut = call(policy, f"download log of job {job.id}", fetch)
    except httpx.HTTPError as exc:
        raise SkippedJob(f"log download failed ({type(exc).__name__})") from exc
    except (GithubException, GitHubUnavailable) as exc:
        raise SkippedJob(f"log download failed ({exc})") from exc
    check_text(content)
    return content, cut


def check_text(content: bytes) -> None:
    """Raise :class:`SkippedJob` for an empty log or binary content."""
    if not content.strip():
        raise SkippedJob("empty log")
    if b"\x00" in content[:_BINARY_PROBE] or b"\x00" in content[-_BINARY_PROBE:]:
        raise SkippedJob("binary content (NUL bytes), not a text log")


def failed_job_logs(
    github: Github,
    repository: str,
    since: str,
    *,
    limit: int,
    max_log_bytes: int,
    policy: RetryPolicy,
    per_page: int = PER_PAGE,
    on_run: Callable[[int], None] = lambda _: None,
    on_skip: Callable[[str, str], None] = lambda _where, _reason: None,
) -> Iterator[FetchedLog]:
    """Every readable failed job log of the failed runs since ``since``."""
    github.per_page = per_page
    for run in failed_runs(github, repository, since, limit=limit, policy=policy):
        raw: dict[str, Any] = run.raw_data
        try:
            jobs = failed_jobs_of(run, policy)
        except (GithubException, GitHubUnavailable) as exc:
            on_skip(f"run {run.id}", f"cannot list its jobs: {exc}")
            on_run(0)
            continue
        on_run(len(jobs))
        for job in jobs:
            try:
                content, cut = download_log(job, policy, max_log_bytes)
            except SkippedJob as exc:
                on_skip(f"run {run.id} job {job.id}", exc.reason)
                continue
            yield FetchedLog(
                repository=repository,
                run_id=int(run.id),
                run_url=str(raw.get("html_url") or ""),
                run_created_at=str(raw.get("created_at") or ""),
                workflow=str(raw.get("name") or ""),
                job_id=int(job.id),
                job_name=str(job.name),
                job_url=str(job.html_url or ""),
                content=content,
                truncated=cut,
            )
