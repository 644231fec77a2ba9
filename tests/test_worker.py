"""The worker end to end: webhooks over a real socket, jobs run against the GitHub stand-in,
results in the database (SQLite here; PostgreSQL in test_scale.py).

The worker is driven step by step (``run_once``) so each test says exactly what ran.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from model.classifier import Classifier
from service import create_app
from service._database_handle import DatabaseHandle
from service._worker_setup import make_worker
from service.jobs_cli import EXIT_CONFIG, EXIT_NOT_RETRIED, EXIT_OK, jobs_list, jobs_retry
from service.remediation._markers import markers_in
from service.storage import (
    Database,
    Job,
    find_failure_by_pr,
    get_job,
    list_events,
    list_jobs,
    pause_repository,
    utcnow,
)
from service.worker import JobFailed, Worker
from tests._service_support import live_server, model_path
from tests._webhook_support import (
    MAINTAINER,
    REPO,
    failed_run,
    issue_log,
    post_event,
    stand_in,
    workflow_run_event,
)
from tests._worker_env import Env, service_settings, worker_env


@pytest.fixture(scope="module")
def model_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return model_path(request, tmp_path_factory)


@pytest.fixture(scope="module")
def log_text(model_file: Path) -> str:
    return issue_log(model_file)


@pytest.fixture
def env(tmp_path: Path, model_file: Path) -> Iterator[Env]:
    with worker_env(tmp_path, model_file) as made:
        yield made


def test_a_failed_run_is_healed_and_its_outcomes_are_followed(env: Env, log_text: str) -> None:
    state = env.github.state
    env.heal(log_text)
    (issue,) = state.issues(REPO)
    (pull,) = state.pulls(REPO)
    failure = env.failure()
    assert failure.issue_number == issue.number and failure.pr_number == pull.number
    assert failure.action == "fix_pr" and failure.branch and failure.branch.startswith("autofix/")
    assert failure.copilot_requested_at is not None
    copilot = [c for c in state.comments(REPO, pull.number) if c.user == MAINTAINER]
    assert len(copilot) == 1 and copilot[0].body.startswith("@copilot")
    assert env.kinds() == ["failure_seen", "issue_opened", "pr_opened", "copilot_requested"]

    # The same failure in a later run: a comment on the known issue, one more occurrence.
    env.heal(log_text)
    assert len(state.issues(REPO)) == 1
    assert env.failure().occurrences == 2

    base = {"repository": {"full_name": REPO, "default_branch": "main"}}
    reply = {
        **base,
        "action": "created",
        "issue": {"number": pull.number, "pull_request": {}},
        "comment": {"id": 5501, "user": {"login": "Copilot"}, "created_at": "2030-01-01T10:00:00Z"},
    }
    merged = {
        **base,
        "action": "closed",
        "pull_request": {
            "number": pull.number, "merged": True, "body": f"Fixes #{issue.number}",
            "merged_at": "2030-01-01T12:00:00Z", "closed_at": "2030-01-01T12:00:00Z",
            "head": {"ref": failure.branch},
        },
    }  # fmt: skip
    for event, payload in (("issue_comment", reply), ("pull_request", merged)):
        assert post_event(env.url, event, payload).status_code == 202
        # The same facts under new delivery ids: already queued, nothing counted twice.
        assert post_event(env.url, event, payload).json()["outcome"] == "duplicate"
    assert env.drain() == 2
    green = state.add_run(REPO, conclusion="success", head_branch="main")
    green_event = workflow_run_event(env.github, green)
    green_event["workflow_run"]["updated_at"] = "2030-01-01T13:00:00Z"
    assert post_event(env.url, "workflow_run", green_event).json()["outcome"] == "recorded"
    assert env.drain() == 1
    failure = env.failure()
    assert failure.copilot_responded_at == dt.datetime(2030, 1, 1, 10, tzinfo=dt.UTC)
    assert failure.merged_at == dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)
    assert failure.resolved_at == dt.datetime(2030, 1, 1, 13, tzinfo=dt.UTC)
    assert env.kinds()[-3:] == ["copilot_responded", "pr_merged", "resolved"]
    assert env.kinds().count("failure_seen") == 2


def test_a_failing_fix_gets_three_copilot_rounds_then_needs_a_human(
    env: Env, log_text: str
) -> None:
    state = env.github.state
    env.heal(log_text)
    (pull,) = state.pulls(REPO)
    (issue,) = state.issues(REPO)
    branch = env.failure().branch
    for _ in range(5):
        env.heal(log_text, head_branch=branch, pull_requests=[pull.number])
    rounds = [
        c
        for c in state.comments(REPO, pull.number)
        if markers_in(c.body).get("kind") == {"fix-round"}
    ]
    assert [sorted(markers_in(c.body)["round"]) for c in rounds] == [["1"], ["2"], ["3"]]
    assert all(c.user == MAINTAINER and c.body.startswith("@copilot") for c in rounds)
    human = [
        c
        for c in state.comments(REPO, pull.number)
        if markers_in(c.body).get("kind") == {"needs-human"}
    ]
    assert len(human) == 1 and "@copilot" not in human[0].body
    labels = {i.number: set(i.labels) for i in state.issues(REPO, include_pulls=True)}
    assert "autoheal:needs-human" in labels[pull.number] & labels[issue.number]
    assert env.failure().fix_rounds == 3
    assert env.kinds().count("fix_round") == 3 and env.kinds().count("needs_human") == 1
    assert len(state.issues(REPO)) == 1  # a fix's own failures never open issues


def test_a_paused_repository_gets_no_new_issue(env: Env, log_text: str) -> None:
    pause_repository(env.db, REPO, "issue surge")
    env.heal(log_text)
    assert env.github.state.issues(REPO) == []
    failure = env.failure()
    assert failure.action == "skipped" and failure.issue_number is None
    (blocked,) = [e for e in list_events(env.db, repository=REPO) if e.kind == "issue_blocked"]
    assert blocked.data["reason"] == "paused"
    assert list_jobs(env.db)[0].status == "done"


def test_a_failing_job_backs_off_dies_and_can_be_retried(
    tmp_path: Path, model_file: Path, log_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    github = stand_in()
    try:
        bad = service_settings(
            tmp_path, model_file, github, github_token="revoked", job_max_attempts=2
        )
        handle = DatabaseHandle(bad.database_url)
        classifier = Classifier.load(model_file)
        worker = make_worker(bad, handle, lambda: classifier)
        with live_server(create_app(bad)) as url:
            run_id = failed_run(github.state, log_text)
            post_event(url, "workflow_run", workflow_run_event(github, run_id))
        db = handle.get()
        assert worker.run_once()
        (job,) = list_jobs(db)
        assert job.status == "queued" and job.attempts == 1
        assert job.run_after > utcnow() + dt.timedelta(seconds=10)  # backed off
        assert "Bad credentials" in (job.last_error or "") or "401" in (job.last_error or "")
        assert not worker.run_once()  # not due yet
        with db.session() as session:
            session.execute(update(Job).values(run_after=utcnow()))
        assert worker.run_once()
        dead = get_job(db, job.id)
        assert dead is not None and dead.status == "dead" and dead.attempts == 2
        assert jobs_list("nonsense", database_url=bad.database_url) == EXIT_CONFIG
        assert jobs_list("dead", database_url=bad.database_url) == EXIT_OK
        assert f"{job.id}" in capsys.readouterr().out
        assert jobs_retry(job.id + 100, database_url=bad.database_url) == EXIT_NOT_RETRIED
        assert jobs_retry(job.id, database_url=bad.database_url) == EXIT_OK
        good = make_worker(
            service_settings(tmp_path, model_file, github), handle, lambda: classifier
        )
        assert good.run_once()
        assert get_job(db, job.id).status == "done"  # type: ignore[union-attr]
        assert len(github.state.issues(REPO)) == 1
        handle.close()
    finally:
        github.stop()


def test_partial_results_commit_with_the_failed_attempt(tmp_path: Path) -> None:
    """A handler that fails after doing part of its work records that part, once."""
    handle = DatabaseHandle(f"sqlite:///{tmp_path / 'w.db'}")
    db = handle.get()
    from service.storage import enqueue, record_event

    def flaky(_db: Database, job: Job) -> None:
        def finish(session: Any) -> None:
            record_event(session, REPO, "partial", data={"job": job.id})

        raise JobFailed("half done", finish)

    enqueue(db, "flaky", {"repository": REPO}, max_attempts=1)
    worker = Worker(handle, {"flaky": flaky})
    assert worker.run_once()
    (job,) = list_jobs(db)
    assert job.status == "dead" and job.last_error == "half done"
    assert [e.kind for e in list_events(db)] == ["partial"]
    assert find_failure_by_pr(db, REPO, 1) is None
    handle.close()


def test_the_service_passes_its_repository_threshold_floor_to_each_heal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from service._heal_job import HealJob
    from service.settings import Settings

    monkeypatch.setenv("AUTOHEAL_REPO_THRESHOLD_FLOOR", "0.9")
    options = HealJob(Settings(), classifier=None).options()  # type: ignore[arg-type]
    assert options.repo_threshold_floor == 0.9
    monkeypatch.delenv("AUTOHEAL_REPO_THRESHOLD_FLOOR")
    assert HealJob(Settings(), classifier=None).options().repo_threshold_floor is None  # type: ignore[arg-type]
    monkeypatch.setenv("AUTOHEAL_REPO_THRESHOLD_FLOOR", "1.5")
    with pytest.raises(ValueError, match="less than or equal to 1"):
        Settings()
