"""Installation tokens of a GitHub App: one per repository, scoped to it, reused until shortly
before they expire.

A platform team runs one service for many repositories. A GitHub App installed on them gives the
service what the security model asks of its tokens: each is minted for one repository and the
few permissions remediation needs, and expires within the hour; no personal token is involved.
The app authenticates as itself with a JWT signed by its private key (PyGithub's ``AppAuth``),
finds its installation on the repository, and asks that installation for a token limited to it.

The Copilot coding agent still needs a user's token (``COPILOT_TOKEN``): GitHub starts it only
for a person.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Final

from github import Auth, GithubException, GithubIntegration, UnknownObjectException

from service.remediation._retry import RetryPolicy, call

# What remediation writes: re-runs (actions), branches and plan files (contents), issues,
# labels and comments (issues), draft pull requests (pull_requests).
PERMISSIONS: Final[Mapping[str, str]] = {
    "actions": "write",
    "contents": "write",
    "issues": "write",
    "pull_requests": "write",
    "metadata": "read",
}
# A token with less than this left is replaced: no heal should outlive its token.
REFRESH_BEFORE_SECONDS: Final = 600.0


class AppNotInstalled(RuntimeError):
    """The app has no installation on the repository (or may not mint what was asked)."""


def _expiry(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class GitHubAppTokens:
    """Repository-scoped installation tokens of one GitHub App, cached per repository."""

    def __init__(
        self,
        app_id: int,
        private_key: str,
        api_url: str,
        *,
        permissions: Mapping[str, str] = PERMISSIONS,
        policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app_id = app_id
        self.permissions = dict(permissions)
        self.policy = policy or RetryPolicy()
        self.clock = clock
        self.integration = GithubIntegration(
            auth=Auth.AppAuth(app_id, private_key),
            base_url=api_url.rstrip("/"),
            retry=None,  # ours: see `call`
            seconds_between_requests=0.0,
            seconds_between_writes=0.0,
        )
        self._tokens: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def token_for(self, repository: str) -> str:
        """A token for ``repository`` valid for at least ``REFRESH_BEFORE_SECONDS`` more."""
        with self._lock:
            cached = self._tokens.get(repository)
            if cached is not None and cached[1] - REFRESH_BEFORE_SECONDS > self.clock():
                return cached[0]
        token, expires = self._mint(repository)
        with self._lock:
            self._tokens[repository] = (token, expires)
        return token

    def _mint(self, repository: str) -> tuple[str, float]:
        owner, _, name = repository.partition("/")

        def send() -> tuple[str, float]:
            installation = self.integration.get_repo_installation(owner, name)
            _, data = self.integration.requester.requestJsonAndCheck(
                "POST",
                f"/app/installations/{installation.id}/access_tokens",
                input={"repositories": [name], "permissions": self.permissions},
            )
            return str(data["token"]), _expiry(str(data["expires_at"]))

        try:
            return call(self.policy, f"mint an installation token for {repository}", send)
        except UnknownObjectException:
            raise AppNotInstalled(
                f"the GitHub App {self.app_id} is not installed on {repository}"
            ) from None
        except GithubException as exc:
            if exc.status != 422:
                raise
            message = (exc.data or {}).get("message") if isinstance(exc.data, dict) else None
            raise AppNotInstalled(
                f"the GitHub App {self.app_id} may not act on {repository} with "
                f"{', '.join(f'{k}: {v}' for k, v in self.permissions.items())}: "
                f"{message or exc.status}"
            ) from None
