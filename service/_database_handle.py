"""The service's database, opened and migrated on first use, shared by the routes and the worker.

Opening is lazy so that a service that never receives a webhook nor runs jobs never touches the
database, and a database that is down at startup does not keep the classifier from serving:
each use tries again (at most every few seconds) until the migration succeeds.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Final

from service.storage import Database

log = logging.getLogger("autoheal.service")

RETRY_AFTER_SECONDS: Final = 5.0


class DatabaseUnavailable(RuntimeError):
    """The database could not be opened or migrated (the message says why)."""


class DatabaseHandle:
    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.migrate = migrate
        self._lock = threading.Lock()
        self._database: Database | None = None
        self._last_error: str | None = None
        self._failed_at = 0.0

    @property
    def opened(self) -> Database | None:
        """The database when it is ready, without trying to open it."""
        return self._database

    def get(self) -> Database:
        """The migrated database (blocking: call from a thread); raises
        :class:`DatabaseUnavailable` while it cannot be reached."""
        database = self._database
        if database is not None:
            return database
        with self._lock:
            if self._database is not None:
                return self._database
            if self._last_error and time.monotonic() - self._failed_at < RETRY_AFTER_SECONDS:
                raise DatabaseUnavailable(self._last_error)
            candidate: Database | None = None
            try:
                candidate = Database(self.url)
                if self.migrate:
                    candidate.upgrade()  # idempotent; concurrent starters take turns
            except Exception as exc:
                if candidate is not None:
                    candidate.dispose()
                self._last_error = f"the database is unavailable: {type(exc).__name__}: {exc}"
                self._failed_at = time.monotonic()
                log.error("database unavailable", extra={"error": self._last_error})
                raise DatabaseUnavailable(self._last_error) from exc
            self._database, self._last_error = candidate, None
            return candidate

    def close(self) -> None:
        with self._lock:
            if self._database is not None:
                self._database.dispose()
                self._database = None
