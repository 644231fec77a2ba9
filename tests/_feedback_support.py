"""Helpers for the feedback tests: the service (real app factory, real socket) healing against
the GitHub stand-in, a worker driven step by step, and ``issue_comment`` deliveries built from
comments really posted to the stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from model.classifier import Classifier
from service import Settings, create_app
from service._database_handle import DatabaseHandle
from service._worker_setup import make_worker
from service.fake_github import FakeGitHubServer
from service.storage import Database, Failure, list_failures
from service.worker import Worker
from tests._service_support import live_server
from tests._webhook_support import (
    BOT_TOKEN,
    COPILOT_TOKEN,
    REPO,
    SECRET,
    failed_run,
    post_event,
    stand_in,
    workflow_run_event,
)

WRITER, WRITER_TOKEN = "octo-writer", "writer-token"
READER, READER_TOKEN = "octo-reader", "reader-token"


@dataclass
class Env:
    url: str
    github: FakeGitHubServer
    db: Database
    worker: Worker
    settings: Settings

    def drain(self, limit: int = 20) -> int:
        done = 0
        while done < limit and self.worker.run_once():
            done += 1
        return done

    def failure(self) -> Failure:
        (only,) = list_failures(self.db, repository=REPO)
        return only

    def heal(self, log_text: str) -> int:
        """A failed run of ``log_text`` delivered and healed; its run id."""
        run_id = failed_run(self.github.state, log_text)
        response = post_event(self.url, "workflow_run", workflow_run_event(self.github, run_id))
        assert response.status_code == 202, response.text
        assert self.drain() == 1
        return run_id

    def api(self, token: str, method: str, path: str, **options: Any) -> httpx.Response:
        return httpx.request(
            method,
            f"{self.github.base_url}{path}",
            headers={"Authorization": f"token {token}"},
            timeout=10,
            **options,
        )

    def comment_event(self, token: str, number: int, body: str) -> dict[str, Any]:
        """Post ``body`` on issue ``number`` as the token's user; the ``issue_comment``
        payload GitHub would deliver for it."""
        made = self.api(
            token, "POST", f"/repos/{REPO}/issues/{number}/comments", json={"body": body}
        )
        made.raise_for_status()
        issue = self.api(BOT_TOKEN, "GET", f"/repos/{REPO}/issues/{number}")
        repository = self.api(BOT_TOKEN, "GET", f"/repos/{REPO}")
        comment = made.json()
        return {
            "action": "created",
            "issue": issue.json(),
            "comment": comment,
            "repository": repository.json(),
            "sender": comment["user"],
        }

    def relabel(self, token: str, number: int, body: str) -> httpx.Response:
        return post_event(self.url, "issue_comment", self.comment_event(token, number, body))


def service_settings(
    tmp_path: Path, model_file: Path, github: FakeGitHubServer, **extra: Any
) -> Settings:
    values: dict[str, Any] = {
        "model_uri": str(model_file),
        "database_url": f"sqlite:///{tmp_path / 'autoheal.db'}",
        "webhook_secret": SECRET,
        "github_token": BOT_TOKEN,
        "github_api_url": github.base_url,
        "copilot_token": COPILOT_TOKEN,
        "github_throttle": False,
        "worker_enabled": False,
        "access_log": False,
        **extra,
    }
    return Settings(**values)


@contextmanager
def feedback_env(tmp_path: Path, model_file: Path, **settings: Any) -> Iterator[Env]:
    """The service and a worker on a SQLite database, the stand-in with a writer and a
    reader besides the bot."""
    github = stand_in()
    state = github.state
    state.add_token(WRITER_TOKEN, WRITER)
    state.add_token(READER_TOKEN, READER)
    state.set_role(REPO, WRITER, "write")
    config = service_settings(tmp_path, model_file, github, **settings)
    classifier = Classifier.load(model_file)
    handle = DatabaseHandle(config.database_url)
    worker = make_worker(config, handle, lambda: classifier)
    try:
        with live_server(create_app(config)) as url:
            yield Env(url, github, handle.get(), worker, config)
    finally:
        handle.close()
        github.stop()
