"""Bounded retries for GitHub calls: 5xx, connection errors and rate limits.

PyGithub's own retry is switched off (``retry=None``): it would re-send a POST after a 5xx and
could create a duplicate. Here a write that may have happened is looked up by its marker
(``find``) before it is sent again. Sleeping and the clock are injectable so tests do not wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final, TypeVar

import requests
from github import GithubException

T = TypeVar("T")

MAX_ATTEMPTS: Final = 5


class GitHubUnavailable(RuntimeError):
    """GitHub kept failing (or asked to wait longer than allowed): the job could not be done."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = MAX_ATTEMPTS
    base_delay: float = 1.0
    max_delay: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep)
    clock: Callable[[], float] = field(default=time.time)


def _headers(exc: GithubException) -> dict[str, str]:
    raw: Mapping[str, str] = exc.headers or {}
    return {str(k).lower(): str(v) for k, v in raw.items()}


def _requested_wait(headers: Mapping[str, str], now: float) -> float | None:
    """The wait GitHub asked for, from ``Retry-After`` or an exhausted ``X-RateLimit-Reset``."""
    retry_after = headers.get("retry-after")
    if retry_after is not None:
        try:
            return max(
                float(retry_after), 0.0
            )  # seconds (the HTTP-date form is not used by GitHub)
        except ValueError:
            return None
    if headers.get("x-ratelimit-remaining") == "0" and "x-ratelimit-reset" in headers:
        try:
            return max(float(headers["x-ratelimit-reset"]) - now, 0.0) + 1.0
        except ValueError:
            return None
    return None


def retry_delay(exc: Exception, attempt: int, policy: RetryPolicy) -> float | None:
    """Seconds to wait before attempt ``attempt + 1``, or None when ``exc`` is not retryable.

    Raises :class:`GitHubUnavailable` when GitHub asks for a longer wait than ``max_delay``.
    """
    backoff = min(policy.base_delay * float(2**attempt), policy.max_delay)
    if isinstance(exc, requests.exceptions.ConnectionError | requests.exceptions.Timeout):
        return backoff
    if not isinstance(exc, GithubException):
        return None
    status = exc.status
    if status >= 500:
        return backoff
    if status in (403, 429):
        wait = _requested_wait(_headers(exc), policy.clock())
        if wait is None:
            # A plain 403 is a permission error; a 429 without headers still means "slow down".
            return backoff if status == 429 else None
        if wait > policy.max_delay:
            raise GitHubUnavailable(
                f"GitHub rate limit: asked to wait {wait:.0f}s, more than the {policy.max_delay:.0f}s cap"
            ) from exc
        return wait
    return None


def describe(exc: Exception) -> str:
    if isinstance(exc, GithubException):
        message = exc.data.get("message") if isinstance(exc.data, dict) else None
        return f"HTTP {exc.status}: {message or exc.data}"
    return f"{type(exc).__name__}: {exc}"


def call(policy: RetryPolicy, what: str, fn: Callable[[], T]) -> T:
    """Run a read (or an idempotent call), retrying transient errors."""
    for attempt in range(policy.attempts):
        try:
            return fn()
        except Exception as exc:
            delay = retry_delay(exc, attempt, policy)
            if delay is None:
                raise
            if attempt == policy.attempts - 1:
                raise GitHubUnavailable(
                    f"{what}: gave up after {policy.attempts} attempts: {describe(exc)}"
                ) from exc
            policy.sleep(delay)
    raise AssertionError("unreachable")


def write(
    policy: RetryPolicy, what: str, fn: Callable[[], T], find: Callable[[], T | None]
) -> tuple[T, bool]:
    """Run a write; before repeating it after a transient error, ``find`` it by its marker.

    Returns ``(result, sent)``: ``sent`` is False when an earlier attempt had already made it.
    """
    for attempt in range(policy.attempts):
        try:
            return fn(), True
        except Exception as exc:
            delay = retry_delay(exc, attempt, policy)
            if delay is None:
                raise
            if attempt == policy.attempts - 1:
                raise GitHubUnavailable(
                    f"{what}: gave up after {policy.attempts} attempts: {describe(exc)}"
                ) from exc
            policy.sleep(delay)
            existing = call(policy, f"{what} (lookup)", find)
            if existing is not None:
                return existing, False
    raise AssertionError("unreachable")
