"""Service processes (``python -m service``) sharing a database, healing against the stand-in.

- ``kill -9`` of a process while its heal job is half done; a new process resumes the job
  after the lease runs out: the job completes once and GitHub holds exactly one issue.
- two processes on PostgreSQL receiving the same failure (one run under two delivery ids, and
  two more runs of it at once): one job per run, one issue.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from service.fake_github import FakeGitHubServer
from service.storage import AuditRecord, Database, list_events, list_failures, list_jobs
from tests._service_support import model_path
from tests._webhook_support import (
    REPO,
    ServiceProcess,
    failed_run,
    issue_log,
    post_event,
    service_env,
    stand_in,
    wait_for,
    workflow_run_event,
)
from tests.storage_support import PostgresServer, pg_server  # noqa: F401  (a pytest fixture)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def model_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return model_path(request, tmp_path_factory)


@pytest.fixture
def github() -> Iterator[FakeGitHubServer]:
    server = stand_in()
    yield server
    server.stop()


@pytest.fixture
def processes() -> Iterator[list[ServiceProcess]]:
    started: list[ServiceProcess] = []
    yield started
    for process in started:
        process.stop()


def _start(
    processes: list[ServiceProcess], env: dict[str, str], tmp_path: Path, name: str
) -> ServiceProcess:
    process = ServiceProcess(env, _free_port(), tmp_path / f"{name}.log")
    processes.append(process)
    return process


def _audit_actions(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))


def test_kill_9_mid_heal_then_restart_completes_the_job_once(
    tmp_path: Path,
    model_file: Path,
    github: FakeGitHubServer,
    processes: list[ServiceProcess],
) -> None:
    state = github.state
    database_url = f"sqlite:///{tmp_path / 'autoheal.db'}"
    env = service_env(database_url=database_url, github=github, model_file=model_file)
    run_id = failed_run(state, issue_log(model_file))
    # Committing the fix plan hangs: the process dies holding the lock, with the issue open,
    # the fix branch created and no pull request yet.
    state.add_fault("delay", "PUT", "/repos/*/contents/*", seconds=6)
    first = _start(processes, env, tmp_path, "first")
    first.wait_ready()
    accepted = post_event(first.url, "workflow_run", workflow_run_event(github, run_id))
    assert accepted.status_code == 202, accepted.text

    def mid_job() -> bool:
        return any(name.startswith("autofix/") for name in state.branches(REPO))

    wait_for(mid_job, 60, "the heal to reach the fix branch")
    first.kill()
    db = Database(database_url)
    try:
        (job,) = list_jobs(db)
        assert job.status == "running" and job.attempts == 1
        assert len(state.issues(REPO)) == 1 and state.pulls(REPO) == []
        assert any(name.startswith("autoheal/lock/") for name in state.branches(REPO))

        second = _start(processes, env, tmp_path, "second")
        wait_for(
            lambda: list_jobs(db)[0].status in ("done", "dead"), 90, "the restarted job to end"
        )
        (job,) = list_jobs(db)
        assert job.status == "done", f"{job.last_error}\n{second.output()[-3000:]}"
        assert job.attempts == 2
        assert len(state.issues(REPO)) == 1
        assert len(state.pulls(REPO)) == 1
        assert not any(name.startswith("autoheal/lock/") for name in state.branches(REPO))
        actions = _audit_actions(db)
        assert actions.count("create-issue") == 1 and actions.count("create-pull") == 1
        assert "release-stale-lock" in actions
        (failure,) = list_failures(db)
        assert failure.issue_number == state.issues(REPO)[0].number
        assert failure.pr_number == state.pulls(REPO)[0].number
        kinds = [event.kind for event in list_events(db)]
        assert kinds.count("issue_opened") == 1 and kinds.count("failure_seen") == 1
    finally:
        db.dispose()


def test_two_processes_on_postgresql_receiving_the_same_failure_open_one_issue(
    tmp_path: Path,
    model_file: Path,
    github: FakeGitHubServer,
    processes: list[ServiceProcess],
    pg_server: PostgresServer,  # noqa: F811
) -> None:
    state = github.state
    database_url = pg_server.create_database("scale")
    env = service_env(database_url=database_url, github=github, model_file=model_file)
    log_text = issue_log(model_file)
    runs = [failed_run(state, log_text) for _ in range(3)]
    # Both processes migrate the fresh database as they start: they take turns.
    pair = [_start(processes, env, tmp_path, name) for name in ("a", "b")]
    for process in pair:
        process.wait_ready()

    def deliver(target: tuple[ServiceProcess, int, str]) -> httpx.Response:
        process, run_id, delivery = target
        return post_event(
            process.url, "workflow_run", workflow_run_event(github, run_id), delivery=delivery
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        same = list(pool.map(deliver, [(pair[0], runs[0], "one"), (pair[1], runs[0], "two")]))
        outcomes = sorted(response.json()["outcome"] for response in same)
        assert outcomes == ["accepted", "duplicate"], [r.text for r in same]
        others = list(pool.map(deliver, [(pair[0], runs[1], "three"), (pair[1], runs[2], "four")]))
        assert [response.status_code for response in others] == [202, 202]

    db = Database(database_url)
    try:
        wait_for(
            lambda: all(job.status in ("done", "dead") for job in list_jobs(db)),
            120,
            "the three heal jobs to end",
        )
        jobs = list_jobs(db)
        detail: list[Any] = [(job.id, job.status, job.last_error) for job in jobs]
        assert len(jobs) == 3 and all(job.status == "done" for job in jobs), json.dumps(detail)
        assert len(state.issues(REPO)) == 1
        assert len(state.pulls(REPO)) == 1
        (failure,) = list_failures(db)
        assert failure.occurrences == 3 and failure.issue_number == state.issues(REPO)[0].number
        assert _audit_actions(db).count("create-issue") == 1
        seen_again = [
            c for c in state.comments(REPO, failure.issue_number) if "seen-again" in c.body
        ]
        assert len(seen_again) == 2
    finally:
        db.dispose()
