"""Bounded retries for GitHub calls: 5xx, connection errors and rate limits.

PyGithub's own retry is switched off (``retry=None``): it would re-send a POST after a 5xx and
could create a duplicate. Here a write that may have happened is looked up by its marker
(``find``) before it is sent again. Sleeping and the clock are injectable so tests do not wait.
"""

from __future__ import annotations

import datetime as dt
import email.utils
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


def _retry_after_seconds(value: str, now: float) -> float | None:
    """``Retry-After`` in either form HTTP allows: delta-seconds or an HTTP-date."""
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an HTTP-date is always GMT
        when = when.replace(tzinfo=dt.UTC)
    return max(when.timestamp() - now, 0.0)


def _requested_wait(headers: Mapping[str, str], now: float) -> float | None:
    """The wait GitHub asked for, from ``Retry-After`` or an exhausted ``X-RateLimit-Reset``."""
    retry_after = headers.get("retry-after")
    if retry_after is not None:
        return _retry_after_seconds(retry_after, now)
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
    if status < 500 and status not in (403, 429):
        return None
    wait = _requested_wait(_headers(exc), policy.clock())
    if wait is None:
        # A plain 403 is a permission error; a 429 without headers still means "slow down".
        return None if status == 403 else backoff
    if wait > policy.max_delay:
        what = "rate limit" if status in (403, 429) else f"HTTP {status}"
        raise GitHubUnavailable(
            f"GitHub {what}: asked to wait {wait:.0f}s, more than the {policy.max_delay:.0f}s cap"
        ) from exc
    return wait


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
