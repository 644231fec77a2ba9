"""The service (real app factory, real socket) healing against the GitHub stand-in, with its
worker driven step by step (``run_once``), so each test says exactly what ran."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model.classifier import Classifier
from service import Settings, create_app
from service._database_handle import DatabaseHandle
from service._worker_setup import make_worker
from service.fake_github import FakeGitHubServer
from service.storage import Database, Failure, list_events, list_failures
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


@dataclass
class Env:
    url: str
    github: FakeGitHubServer
    db: Database
    worker: Worker
    settings: Settings

    @property
    def database_url(self) -> str:
        return self.settings.database_url

    def drain(self, limit: int = 20) -> int:
        done = 0
        while done < limit and self.worker.run_once():
            done += 1
        return done

    def failure(self) -> Failure:
        (only,) = list_failures(self.db, repository=REPO)
        return only

    def kinds(self) -> list[str]:
        return [event.kind for event in list_events(self.db, repository=REPO)]

    def heal(self, log_text: str, **run: Any) -> int:
        """A failed run of ``log_text`` delivered and healed; its run id."""
        run_id = failed_run(self.github.state, log_text, **run)
        response = post_event(self.url, "workflow_run", workflow_run_event(self.github, run_id))
        assert response.status_code == 202, response.text
        assert self.drain() == 1
        return run_id


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
def worker_env(
    tmp_path: Path, model_file: Path, github: FakeGitHubServer | None = None, **settings: Any
) -> Iterator[Env]:
    """The service and a worker on a SQLite database, healing against ``github`` (a fresh
    stand-in when not given; stopped at the end either way)."""
    github = github or stand_in()
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
