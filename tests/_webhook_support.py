"""Helpers for the webhook, worker and scale tests: payloads shaped like GitHub's, signed
requests, logs the test model sends to an issue, and service processes run with uvicorn."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx

from model.classifier import Classifier
from model.taxonomy import TRANSIENT
from service._webhook_signature import sign
from service.fake_github import FakeGitHub, FakeGitHubServer, JobSpec, serve
from service.fake_github._demo import log_for

SECRET = "webhook-secret-for-tests"
REPO = "octo-org/shop"
BOT_TOKEN = "bot-token"
BOT = "github-actions[bot]"
COPILOT_TOKEN = "copilot-user-token"
MAINTAINER = "octo-maintainer"
ROOT = Path(__file__).resolve().parents[1]

# Generated logs of categories that are never re-run: each heal of them opens an issue.
CANDIDATE_FAMILIES = (
    "test_failure/pytest-assertion",
    "dependency_install/pip-no-matching-distribution",
    "lint_format/ruff-check",
)


def stand_in() -> FakeGitHubServer:
    """The GitHub stand-in with one repository; the bot token may open pull requests."""
    state = FakeGitHub()
    state.add_token(BOT_TOKEN, BOT, permissions=["actions", "contents", "issues", "pull_requests"])
    state.add_token(COPILOT_TOKEN, MAINTAINER)
    state.add_repo(REPO, files={"README.md": "# shop\n", "app.py": "print('hi')\n"})
    return serve(state=state)


def issue_log(model_file: Path, *, threshold: float = 0.70) -> str:
    """A generated failure log the model names confidently, of a category that is never
    re-run: a heal of it opens an issue and a draft fix PR."""
    classifier = Classifier.load(model_file)
    for family in CANDIDATE_FAMILIES:
        for seed in range(6):
            text = log_for(family, seed)
            prediction = classifier.classify(text.encode(), threshold=threshold)
            if prediction.category not in TRANSIENT and prediction.auto_fix:
                return text
    raise AssertionError("the test model names no candidate log confidently")


def failed_run(state: FakeGitHub, log: str, **options: Any) -> int:
    return state.add_run(REPO, jobs=[JobSpec("test (3.12)", "failure", log)], **options)


def run_json(server: FakeGitHubServer, run_id: int) -> dict[str, Any]:
    response = httpx.get(
        f"{server.base_url}/repos/{REPO}/actions/runs/{run_id}",
        headers={"Authorization": f"token {BOT_TOKEN}"},
        timeout=10,
    )
    response.raise_for_status()
    found: dict[str, Any] = response.json()
    return found


def workflow_run_event(server: FakeGitHubServer, run_id: int) -> dict[str, Any]:
    """A ``workflow_run`` completed payload for a run seeded in the stand-in."""
    run = run_json(server, run_id)
    return {
        "action": "completed",
        "workflow_run": run,
        "repository": run["repository"],
        "sender": {"login": "octocat", "type": "User"},
    }


def signed_headers(
    body: bytes, event: str, delivery: str | None = None, secret: str = SECRET
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-Hub-Signature-256": sign(secret, body),
    }


def post_event(
    base_url: str,
    event: str,
    payload: Mapping[str, Any],
    *,
    delivery: str | None = None,
    secret: str = SECRET,
) -> httpx.Response:
    body = json.dumps(payload).encode()
    return httpx.post(
        f"{base_url}/v1/webhooks/github",
        content=body,
        headers=signed_headers(body, event, delivery, secret),
        timeout=30,
    )


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.05)


def service_env(
    *, database_url: str, github: FakeGitHubServer, model_file: Path, **extra: str
) -> dict[str, str]:
    """Environment of a service process healing against the stand-in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AUTOHEAL_", "GITHUB_", "COPILOT_"))
    }
    env.update(
        {
            "AUTOHEAL_MODEL_URI": str(model_file),
            "AUTOHEAL_DATABASE_URL": database_url,
            "AUTOHEAL_WEBHOOK_SECRET": SECRET,
            "AUTOHEAL_ACCESS_LOG": "false",
            "AUTOHEAL_LOG_LEVEL": "WARNING",
            "AUTOHEAL_GITHUB_THROTTLE": "false",
            "AUTOHEAL_WORKER_POLL_SECONDS": "0.2",
            "AUTOHEAL_WORKER_LEASE_SECONDS": "3",
            "AUTOHEAL_ALERT_CHECK_SECONDS": "3600",
            "GITHUB_TOKEN": BOT_TOKEN,
            "GITHUB_API_URL": github.base_url,
            "COPILOT_TOKEN": COPILOT_TOKEN,
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


class ServiceProcess:
    """``python -m service`` on a free port, in its own process group."""

    def __init__(self, env: Mapping[str, str], port: int, log_path: Path) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=dict(env),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"the service exited: {self.output()[-2000:]}")
            try:
                return httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(ready, timeout, f"the service on port {self.port}")

    def output(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """``kill -9``: no shutdown, no cleanup, leases left behind."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()
