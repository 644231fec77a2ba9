"""Helpers for the feedback tests: the service healing against the GitHub stand-in (see
:mod:`tests._worker_env`), with a writer and a reader besides the bot, and ``issue_comment``
deliveries built from comments really posted to the stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests._webhook_support import BOT_TOKEN, REPO, post_event, stand_in
from tests._worker_env import Env, worker_env

WRITER, WRITER_TOKEN = "octo-writer", "writer-token"
READER, READER_TOKEN = "octo-reader", "reader-token"


class FeedbackEnv(Env):
    """The worker environment, and comments posted as the stand-in's users."""

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


@contextmanager
def feedback_env(tmp_path: Path, model_file: Path, **settings: Any) -> Iterator[FeedbackEnv]:
    """The service and a worker on a SQLite database, the stand-in with a writer and a
    reader besides the bot."""
    github = stand_in()
    github.state.add_token(WRITER_TOKEN, WRITER)
    github.state.add_token(READER_TOKEN, READER)
    github.state.set_role(REPO, WRITER, "write")
    with worker_env(tmp_path, model_file, github, **settings) as env:
        yield FeedbackEnv(env.url, env.github, env.db, env.worker, env.settings)
