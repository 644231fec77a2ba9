"""The circuit breaker: at most N new issues per repository per hour.

A misbehaving model or a flood of distinct failures must not bury a repository in issues.
:class:`CircuitBreaker` is the seam; :class:`FileCircuitBreaker` keeps the recent openings in a
small JSON file (``flock``-ed, so parallel heals on one machine share it); the service can back
the same protocol with its database.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Final, Protocol

DEFAULT_LIMIT: Final = 10
WINDOW_SECONDS: Final = 3600.0


class CircuitBreaker(Protocol):
    def allows(self, repository: str) -> bool:
        """Whether one more issue may be opened now (does not consume)."""
        ...

    def acquire(self, repository: str) -> bool:
        """Consume one opening atomically; False when the limit is reached."""
        ...


class FileCircuitBreaker:
    """Opening timestamps per repository, in a JSON file: ``{"owner/name": [epoch, ...]}``."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        limit: int = DEFAULT_LIMIT,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if limit < 0:
            raise ValueError("limit must be >= 0")
        self.path = Path(path)
        self.limit = limit
        self.window = window
        self.clock = clock
        self._lock = threading.Lock()

    def _recent(self, data: dict[str, list[float]], repository: str, now: float) -> list[float]:
        return [t for t in data.get(repository, []) if now - t < self.window]

    def _update(self, repository: str, consume: bool) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                handle.seek(0)
                text = handle.read()
                try:
                    loaded = json.loads(text) if text.strip() else {}
                except json.JSONDecodeError:
                    loaded = {}  # a damaged file must not stop healing: start afresh
                data = {
                    str(k): [float(t) for t in v]
                    for k, v in (loaded.items() if isinstance(loaded, dict) else [])
                    if isinstance(v, list)
                }
                now = self.clock()
                recent = self._recent(data, repository, now)
                allowed = len(recent) < self.limit
                if consume and allowed:
                    data[repository] = [*recent, now]
                    handle.seek(0)
                    handle.truncate()
                    json.dump(data, handle)
                    handle.flush()
                return allowed
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def allows(self, repository: str) -> bool:
        return self._update(repository, consume=False)

    def acquire(self, repository: str) -> bool:
        return self._update(repository, consume=True)


class MemoryCircuitBreaker:
    """The same rule in memory (tests, a single long-lived process)."""

    def __init__(
        self,
        *,
        limit: int = DEFAULT_LIMIT,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._opened: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def allows(self, repository: str) -> bool:
        with self._lock:
            now = self.clock()
            return (
                sum(1 for t in self._opened.get(repository, []) if now - t < self.window)
                < self.limit
            )

    def acquire(self, repository: str) -> bool:
        with self._lock:
            now = self.clock()
            recent = [t for t in self._opened.get(repository, []) if now - t < self.window]
            if len(recent) >= self.limit:
                return False
            self._opened[repository] = [*recent, now]
            return True


class IssueCounter(Protocol):
    def count_issues_since(self, since: datetime) -> int: ...


class GitHubCircuitBreaker:
    """The rule counted on GitHub itself: ``autoheal`` issues created within the window.

    For runners without persistent disk (GitHub Actions). Not atomic: heals running at the
    same moment may together exceed the limit by their number.
    """

    def __init__(
        self,
        counter: IssueCounter,
        *,
        limit: int = DEFAULT_LIMIT,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.counter, self.limit, self.window, self.clock = counter, limit, window, clock

    def allows(self, repository: str) -> bool:
        since = datetime.fromtimestamp(self.clock() - self.window, UTC)
        return self.counter.count_issues_since(since) < self.limit

    def acquire(self, repository: str) -> bool:
        return self.allows(repository)
