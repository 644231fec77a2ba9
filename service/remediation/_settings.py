"""Configuration of a heal, from the environment, and the wiring of a :class:`Healer`."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from github import GithubException

from service.remediation._app_auth import AppNotInstalled, GitHubAppTokens
from service.remediation._app_key import check_private_key, read_private_key
from service.remediation._audit import DEFAULT_AUDIT_PATH, AuditSink, JsonlAuditSink
from service.remediation._breaker import (
    DEFAULT_LIMIT,
    CircuitBreaker,
    FileCircuitBreaker,
    GitHubCircuitBreaker,
)
from service.remediation._classify import FailureClassifier, HttpClassifier, LocalClassifier
from service.remediation._heal import Healer, HealOptions
from service.remediation._pygithub import DEFAULT_API_URL, PyGithubGateway, make_github
from service.remediation._retry import GitHubUnavailable, RetryPolicy, describe

_REPO: Final = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


class ConfigError(ValueError):
    """The heal cannot start: a missing token, a malformed name, an invalid setting."""


def _flag(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


@dataclass(frozen=True)
class RemediationSettings:
    """Everything a heal is told. :meth:`from_env` documents the environment variables."""

    github_token: str = field(repr=False)
    api_url: str = DEFAULT_API_URL
    copilot_token: str | None = field(default=None, repr=False)
    service_url: str | None = None
    service_token: str | None = field(default=None, repr=False)
    model_uri: str | None = None
    audit_path: Path = DEFAULT_AUDIT_PATH
    breaker_limit: int = DEFAULT_LIMIT
    breaker_store: str = "file"  # "file": JSON beside the audit trail; "github": count issues
    throttle: bool = True
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    @property
    def breaker_path(self) -> Path:
        return self.audit_path.with_name("circuit-breaker.json")

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, repository: str | None = None
    ) -> RemediationSettings:
        """``GITHUB_TOKEN`` (or, for ``repository``, a GitHub App: ``AUTOHEAL_GITHUB_APP_ID``
        with ``AUTOHEAL_GITHUB_APP_PRIVATE_KEY`` or ``..._FILE``), ``GITHUB_API_URL``,
        ``COPILOT_TOKEN``, ``AUTOHEAL_SERVICE_URL``, ``AUTOHEAL_API_TOKEN``,
        ``AUTOHEAL_MODEL_URI``, ``AUTOHEAL_AUDIT_PATH``, ``AUTOHEAL_MAX_ISSUES_PER_HOUR``,
        ``AUTOHEAL_BREAKER`` (``file`` or ``github``), ``AUTOHEAL_GITHUB_THROTTLE``."""
        env = os.environ if env is None else env
        token = github_token_from_env(env, repository)
        limit_text = env.get("AUTOHEAL_MAX_ISSUES_PER_HOUR", "").strip() or str(DEFAULT_LIMIT)
        try:
            limit = int(limit_text)
        except ValueError:
            raise ConfigError(
                f"AUTOHEAL_MAX_ISSUES_PER_HOUR must be an integer, got {limit_text!r}"
            ) from None
        if limit < 0:
            raise ConfigError("AUTOHEAL_MAX_ISSUES_PER_HOUR must be >= 0")
        store = env.get("AUTOHEAL_BREAKER", "").strip().lower() or "file"
        if store not in ("file", "github"):
            raise ConfigError(f"AUTOHEAL_BREAKER must be 'file' or 'github', got {store!r}")
        return cls(
            breaker_store=store,
            github_token=token,
            api_url=env.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL,
            copilot_token=env.get("COPILOT_TOKEN", "").strip() or None,
            service_url=env.get("AUTOHEAL_SERVICE_URL", "").strip() or None,
            service_token=env.get("AUTOHEAL_API_TOKEN", "").strip() or None,
            model_uri=env.get("AUTOHEAL_MODEL_URI", "").strip() or None,
            audit_path=Path(env.get("AUTOHEAL_AUDIT_PATH", "").strip() or DEFAULT_AUDIT_PATH),
            breaker_limit=limit,
            throttle=_flag(env.get("AUTOHEAL_GITHUB_THROTTLE"), True),
        )


def github_token_from_env(env: Mapping[str, str], repository: str | None) -> str:
    """``GITHUB_TOKEN``, else an installation token for ``repository`` minted from the GitHub
    App the environment configures; :class:`ConfigError` when there is neither."""
    token = env.get("GITHUB_TOKEN", "").strip()
    if token:
        return token
    app_text = env.get("AUTOHEAL_GITHUB_APP_ID", "").strip()
    if not app_text or repository is None:
        raise ConfigError("GITHUB_TOKEN is not set (nor AUTOHEAL_GITHUB_APP_ID and its key)")
    if not app_text.isdigit() or int(app_text) <= 0:
        raise ConfigError(f"AUTOHEAL_GITHUB_APP_ID must be a positive integer, got {app_text!r}")
    key_file = env.get("AUTOHEAL_GITHUB_APP_PRIVATE_KEY_FILE", "").strip()
    inline = env.get("AUTOHEAL_GITHUB_APP_PRIVATE_KEY", "").strip()
    try:
        pem = read_private_key(inline or None, Path(key_file) if key_file else None)
        if pem is None:
            raise ValueError(
                "AUTOHEAL_GITHUB_APP_ID needs AUTOHEAL_GITHUB_APP_PRIVATE_KEY or "
                "AUTOHEAL_GITHUB_APP_PRIVATE_KEY_FILE"
            )
        check_private_key(pem)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    api_url = env.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL
    try:
        return GitHubAppTokens(int(app_text), pem, api_url).token_for(check_repository(repository))
    except (AppNotInstalled, GitHubUnavailable, GithubException) as exc:
        reason = describe(exc) if isinstance(exc, GithubException) else str(exc)
        raise ConfigError(f"no installation token for {repository}: {reason}") from None


def check_repository(name: str) -> str:
    if not _REPO.match(name):
        raise ConfigError(f"--repo must be OWNER/NAME, got {name!r}")
    return name


def make_classifier(settings: RemediationSettings, threshold: float | None) -> FailureClassifier:
    """The service over HTTP when ``service_url`` is set, else the model in-process."""
    if settings.service_url:
        return HttpClassifier(
            settings.service_url, token=settings.service_token, threshold=threshold
        )
    return LocalClassifier.load(settings.model_uri, threshold)


def _breaker(settings: RemediationSettings, gateway: PyGithubGateway) -> CircuitBreaker:
    if settings.breaker_store == "github":
        return GitHubCircuitBreaker(gateway, limit=settings.breaker_limit)
    return FileCircuitBreaker(settings.breaker_path, limit=settings.breaker_limit)


def build_healer(
    settings: RemediationSettings,
    repository: str,
    options: HealOptions,
    *,
    classifier: FailureClassifier | None = None,
    audit: AuditSink | None = None,
    breaker: CircuitBreaker | None = None,
    say: Callable[[str], None] = print,
    alert: Callable[[str], None] = lambda text: print(f"ALERT: {text}", file=sys.stderr),
) -> Healer:
    """A healer wired from ``settings``; any part can be passed in instead."""
    github = make_github(settings.github_token, settings.api_url, throttle=settings.throttle)
    gateway = PyGithubGateway(github, check_repository(repository), policy=settings.retry)
    copilot = None
    if settings.copilot_token:
        copilot_github = make_github(
            settings.copilot_token, settings.api_url, throttle=settings.throttle
        )
        copilot = PyGithubGateway(copilot_github, repository, policy=settings.retry)
    return Healer(
        gateway,
        classifier or make_classifier(settings, options.threshold),
        audit=audit or JsonlAuditSink(settings.audit_path),
        breaker=breaker or FileCircuitBreaker(settings.breaker_path, limit=settings.breaker_limit),
        copilot=copilot,
        options=options,
        say=say,
        alert=alert,
    )
