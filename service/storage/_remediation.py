"""The database behind remediation's seams: the audit trail, the circuit breaker, and the
per-repository pause switch. All three are shared by every service process."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import delete, func, select

from service.storage._database import Database, advisory_key
from service.storage._models import AuditRecord, BreakerOpening, RepositoryState, utcnow
from service.storage._session import Store, in_session, upsert_insert
from service.storage._validate import check_columns, check_text, column_length

if TYPE_CHECKING:  # only the type: storage must not load remediation (PyGithub, the model)
    from service.remediation import AuditEntry

WINDOW_SECONDS: Final = 3600.0


def _fit(text: str | None, limit: int | None) -> str | None:
    """Shorten an audit field rather than lose the record of a write that did happen."""
    if text is None:
        return None
    text = text.replace("\x00", "\\0")
    if limit is not None and len(text) > limit:
        return text[: limit - 1] + "…"
    return text


def _parse_time(text: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return utcnow()
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


class DatabaseAuditSink:
    """remediation's ``AuditSink`` writing to the ``audit`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, entry: AuditEntry) -> None:
        detail: dict[str, Any] = {
            **entry.detail,
            "run_id": entry.run_id,
            "outcome": entry.outcome,
            "fingerprint": entry.fingerprint,
        }
        # The audit must not fail over an odd value in ``detail``: it is written as text.
        detail = json.loads(json.dumps(detail, default=str, allow_nan=False, sort_keys=True))
        record = AuditRecord(
            at=_parse_time(entry.at),
            repository=_fit(entry.repository, column_length(AuditRecord, "repository")) or "",
            action=_fit(entry.action, column_length(AuditRecord, "action")) or "",
            target=_fit(entry.target, column_length(AuditRecord, "target")),
            detail=detail,
        )
        with self.db.session() as session:
            session.add(record)

    def entries(self, repository: str | None = None, limit: int = 100) -> list[AuditRecord]:
        """The most recent records first."""
        query = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit)
        if repository is not None:
            query = query.where(AuditRecord.repository == repository)
        with self.db.session() as session:
            return list(session.scalars(query))


class DatabaseCircuitBreaker:
    """remediation's ``CircuitBreaker``: at most ``max_per_hour`` new issues per repository
    within a sliding window, counted in the database.

    ``acquire`` counts and records in one transaction that is serialised per repository (a
    transaction-scoped advisory lock on PostgreSQL, the database write lock on SQLite), so
    processes acquiring together never exceed the limit.
    """

    def __init__(
        self,
        db: Database,
        max_per_hour: int = 10,
        *,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if max_per_hour < 0:
            raise ValueError("max_per_hour must be >= 0")
        self.db = db
        self.limit = max_per_hour
        self.window = window
        self.clock = clock

    def _now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock(), dt.UTC)

    def _recent(self, store: Store, repository: str, now: dt.datetime) -> int:
        since = now - dt.timedelta(seconds=self.window)
        with in_session(store) as session:
            count = session.scalar(
                select(func.count())
                .select_from(BreakerOpening)
                .where(BreakerOpening.repository == repository, BreakerOpening.at > since)
            )
        return int(count or 0)

    def count(self, repository: str) -> int:
        """New issues within the window for ``repository``."""
        return self._recent(self.db, repository, self._now())

    def allows(self, repository: str) -> bool:
        return self.count(repository) < self.limit

    def acquire(self, repository: str) -> bool:
        check_text(
            repository, "repository", column_length(BreakerOpening, "repository"), nullable=False
        )
        now = self._now()
        with self.db.session() as session:
            if self.db.dialect == "postgresql":
                key = advisory_key(f"autoheal:breaker:{repository}")
                session.execute(select(func.pg_advisory_xact_lock(key)))
            if self._recent(session, repository, now) >= self.limit:
                return False
            session.add(BreakerOpening(repository=repository, at=now))
            # Openings older than the window no longer count: keep the table small.
            session.execute(
                delete(BreakerOpening).where(
                    BreakerOpening.repository == repository,
                    BreakerOpening.at <= now - dt.timedelta(seconds=self.window),
                )
            )
            return True


def pause_repository(db: Store, repo: str, reason: str) -> bool:
    """Pause automatic issue creation for ``repo``; False when it was already paused (the
    first reason is kept)."""
    now = utcnow()
    values = check_columns(
        RepositoryState, {"repository": repo, "paused_at": now, "pause_reason": reason}
    )
    with in_session(db) as session:
        statement = upsert_insert(session, RepositoryState).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=["repository"],
            set_={"paused_at": now, "pause_reason": values["pause_reason"]},
            where=RepositoryState.paused_at.is_(None),
        )
        paused = session.execute(
            statement.returning(RepositoryState.repository)
        ).scalar_one_or_none()
        return paused is not None


def resume_repository(db: Store, repo: str) -> bool:
    """Resume automatic issue creation; False when ``repo`` was not paused."""
    check_columns(RepositoryState, {"repository": repo})
    with in_session(db) as session:
        state = session.get(RepositoryState, repo, with_for_update=True, populate_existing=True)
        if state is None or state.paused_at is None:
            return False
        state.paused_at = None
        state.resumed_at = utcnow()
        return True


def is_paused(db: Store, repo: str) -> bool:
    with in_session(db) as session:
        paused_at = session.scalar(
            select(RepositoryState.paused_at).where(RepositoryState.repository == repo)
        )
    return paused_at is not None


def list_repository_states(db: Store) -> list[RepositoryState]:
    """Every repository with a recorded state (paused now or paused before)."""
    with in_session(db) as session:
        return list(session.scalars(select(RepositoryState).order_by(RepositoryState.repository)))
