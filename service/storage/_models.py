"""The service's tables (SQLAlchemy 2.0). SQLite by default; PostgreSQL in production.

Times are timezone-aware UTC. JSON columns hold small documents (payloads, details), never logs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend.

    SQLite keeps datetimes as text without an offset, so values are normalised to UTC before
    they are written (text comparison then orders them correctly) and marked UTC when read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} (times are timezone-aware UTC)")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        dt.datetime: UTCDateTime(),
    }


class WebhookDelivery(Base):
    """One accepted webhook delivery; the primary key makes a redelivery a no-op."""

    __tablename__ = "webhook_deliveries"

    delivery_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    event: Mapped[str] = mapped_column(String(60))
    action: Mapped[str | None] = mapped_column(String(60))
    repository: Mapped[str | None] = mapped_column(String(200), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(40), default="accepted")
    """accepted (a job was queued), ignored (an event we do not act on), recorded (an outcome)."""
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))


class Job(Base):
    """A durable unit of work. Claimed by one worker at a time (lease with ``locked_until``)."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    """heal (a failed workflow run), outcome (a pull request / review / comment / green run)."""
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    """queued → running → done | queued (retry with back-off) | dead (gave up; re-triable)."""
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=5)
    run_after: Mapped[dt.datetime] = mapped_column(default=utcnow)
    locked_by: Mapped[str | None] = mapped_column(String(120))
    locked_until: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    """e.g. ``heal:owner/repo:run_id:attempt``: the same work is never queued twice."""
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_jobs_claim", "status", "run_after"),)


class Failure(Base):
    """One distinct failure (fingerprint) of one repository, and what became of it."""

    __tablename__ = "failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    repository: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(40))
    confidence: Mapped[float] = mapped_column(Float)
    workflow: Mapped[str | None] = mapped_column(String(200))
    first_seen: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(default=utcnow)
    occurrences: Mapped[int] = mapped_column(default=1)
    last_run_id: Mapped[int | None] = mapped_column(BigInteger)
    """GitHub run ids outgrow 32 bits."""
    issue_number: Mapped[int | None] = mapped_column()
    pr_number: Mapped[int | None] = mapped_column()
    branch: Mapped[str | None] = mapped_column(String(255))
    action: Mapped[str | None] = mapped_column(String(40))
    """What remediation did first: rerun, fix_pr, triage_issue, skipped."""
    copilot_requested_at: Mapped[dt.datetime | None] = mapped_column()
    copilot_responded_at: Mapped[dt.datetime | None] = mapped_column()
    fix_rounds: Mapped[int] = mapped_column(default=0)
    merged_at: Mapped[dt.datetime | None] = mapped_column()
    pr_closed_at: Mapped[dt.datetime | None] = mapped_column()
    resolved_at: Mapped[dt.datetime | None] = mapped_column()
    """The fix merged and the next run of the workflow was green."""
    issue_closed_at: Mapped[dt.datetime | None] = mapped_column()
    reopened: Mapped[int] = mapped_column(default=0)
    region: Mapped[str | None] = mapped_column(Text)
    """What the model classified (step, decisive lines, context), redacted and bounded: the
    text a correction of the category is trained on."""

    __table_args__ = (UniqueConstraint("repository", "fingerprint", name="uq_failure_repo_fp"),)


class Feedback(Base):
    """A category given to a failure by a person (a relabel comment, the API) or implied by a
    confirmed fix. Rows are never updated: which one counts is decided when they are read
    (see :mod:`service.storage._feedback`)."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    repository: Mapped[str | None] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    category: Mapped[str] = mapped_column(String(40))
    previous: Mapped[str | None] = mapped_column(String(40))
    """The model's category for the failure when the feedback came."""
    source: Mapped[str] = mapped_column(String(20))
    """relabel_comment, api or confirmed_fix."""
    actor: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(200), unique=True)
    """What the feedback answers (``comment:<repo>:<id>``, ...): storing it again is a no-op."""


class Event(Base):
    """Something that happened to a failure or a repository: the raw material of the metrics."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    repository: Mapped[str] = mapped_column(String(200), index=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    """failure_seen, issue_opened, pr_opened, rerun_requested, copilot_requested,
    copilot_responded, fix_round, pr_merged, pr_closed, resolved, issue_reopened, alert."""
    category: Mapped[str | None] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AuditRecord(Base):
    """Every GitHub write remediation made (the database ``AuditSink``)."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    repository: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str | None] = mapped_column(String(255))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class RepositoryState(Base):
    """Per-repository switches: automatic issue creation paused by an alert until resumed."""

    __tablename__ = "repositories"

    repository: Mapped[str] = mapped_column(String(200), primary_key=True)
    paused_at: Mapped[dt.datetime | None] = mapped_column()
    pause_reason: Mapped[str | None] = mapped_column(Text)
    resumed_at: Mapped[dt.datetime | None] = mapped_column()


class BreakerOpening(Base):
    """One new issue the circuit breaker allowed; counted over a sliding window."""

    __tablename__ = "breaker_openings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    repository: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_breaker_openings_repo_at", "repository", "at"),)
