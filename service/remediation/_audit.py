"""The audit trail: one entry per GitHub write (and per alert), wherever it is stored.

:class:`AuditSink` is the seam: :class:`JsonlAuditSink` appends JSON lines to a file when
autoheal runs alone; the service can plug in its database with the same one method.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Protocol

DEFAULT_AUDIT_PATH: Final = Path("var/audit/remediation.jsonl")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AuditEntry:
    """One write (or alert). ``outcome``: ``done``, ``found`` (an earlier attempt had done it),
    ``failed`` or ``alert``."""

    action: str
    repository: str
    run_id: int
    outcome: str
    fingerprint: str | None = None
    target: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    at: str = field(default_factory=lambda: utc_now().isoformat(timespec="seconds"))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class AuditSink(Protocol):
    def record(self, entry: AuditEntry) -> None: ...


class JsonlAuditSink:
    """Appends one JSON object per line; safe across threads and processes (``flock``)."""

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_AUDIT_PATH) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def record(self, entry: AuditEntry) -> None:
        line = json.dumps(entry.to_dict(), ensure_ascii=False, sort_keys=True) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                handle.write(line)
                handle.flush()
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def entries(self) -> list[dict[str, Any]]:
        if not self.path.is_file():
            return []
        with self.path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]


class MemoryAuditSink:
    """Keeps entries in a list (tests, dry runs)."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []
        self._lock = threading.Lock()

    def record(self, entry: AuditEntry) -> None:
        with self._lock:
            self.entries.append(entry)
