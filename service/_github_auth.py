"""The credentials the worker writes to a repository with: the GitHub App's installation token
for that repository when an app is configured (``AUTOHEAL_GITHUB_APP_ID``), else the one token
(``AUTOHEAL_GITHUB_TOKEN`` / ``GITHUB_TOKEN``)."""

from __future__ import annotations

import functools

from service.remediation._app_auth import GitHubAppTokens
from service.settings import Settings


@functools.lru_cache(maxsize=8)
def _app_tokens(app_id: int, private_key: str, api_url: str) -> GitHubAppTokens:
    # One per app and process: its tokens are cached per repository across jobs.
    return GitHubAppTokens(app_id, private_key, api_url)


def uses_github_app(settings: Settings) -> bool:
    return settings.github_app_id is not None


def github_token_for(settings: Settings, repository: str) -> str | None:
    """A token that may write to ``repository``, or None when nothing is configured."""
    if settings.github_app_id is None:
        return settings.token("github")
    key = settings.github_app_key()
    assert key is not None  # the settings refuse an app without its key
    tokens = _app_tokens(settings.github_app_id, key, settings.github_api_url)
    return tokens.token_for(repository)
