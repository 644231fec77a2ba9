"""Durable jobs: enqueue, claim with a lease, heartbeat, complete, fail with back-off, retry.

A job is claimed by one worker at a time: on PostgreSQL the candidate row is picked with
``FOR UPDATE SKIP LOCKED`` (concurrent claimers skip each other's rows instead of waiting); on
SQLite the claiming ``UPDATE`` runs in a ``BEGIN IMMEDIATE`` transaction and re-checks the
row's state, so two claimers cannot both match it. A claim holds a lease (``locked_until``);
a worker that dies stops renewing it and the job becomes claimable again. Every claim counts
as an attempt, so a job that keeps killing its worker still ends ``dead``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Final, Literal

from sqlalchemy import ColumnElement, and_, func, or_, select, update

from service.storage._errors import InvalidInput
from service.storage._models import Job, utcnow
from service.storage._session import Store, in_session, upsert_insert
from service.storage._validate import (
    check_int,
    check_json,
    check_text,
    check_time,
    column_length,
)

JOB_STATUSES: Final = ("queued", "running", "done", "dead")
BACKOFF_BASE_SECONDS: Final = 30.0
BACKOFF_CAP_SECONDS: Final = 3600.0
MAX_ERROR_CHARS: Final = 8000
LEASE_EXPIRED_ERROR: Final = "the lease expired on the last attempt (the worker died or hung)"

FailOutcome = Literal["queued", "dead", "lost"]


def backoff_seconds(
    attempt: int,
    *,
    base: float = BACKOFF_BASE_SECONDS,
    cap: float = BACKOFF_CAP_SECONDS,
    rng: random.Random | None = None,
) -> float:
    """Delay before retrying after failed attempt ``attempt`` (1-based): ``base * 2**(n-1)``
    capped at ``cap``, with jitter in its upper half so that jobs failing together spread out."""
    ceiling = min(cap, base * 2.0 ** max(0, attempt - 1))
    return (rng or random).uniform(ceiling / 2.0, ceiling)


def _clean_error(error: str) -> str:
    text = str(error).replace("\x00", "\\0")
    if len(text) > MAX_ERROR_CHARS:
        text = text[: MAX_ERROR_CHARS - 1] + "…"
    return text


def _runnable(now: dt.datetime, kinds: Sequence[str] | None) -> ColumnElement[bool]:
    waiting = and_(Job.status == "queued", Job.run_after <= now)
    abandoned = and_(
        Job.status == "running", Job.locked_until < now, Job.attempts < Job.max_attempts
    )
    condition = or_(waiting, abandoned)
    if kinds is not None:
        condition = and_(condition, Job.kind.in_(list(kinds)))
    return condition


def enqueue(
    db: Store,
    kind: str,
    payload: dict[str, object] | None,
    *,
    dedupe_key: str | None = None,
    max_attempts: int = 5,
    run_after: dt.datetime | None = None,
) -> int | None:
    """Queue a job; its id, or None when a job with ``dedupe_key`` already exists."""
    attempts = check_int(max_attempts, "max_attempts", nullable=False)
    if attempts is None or attempts < 1:
        raise InvalidInput("max_attempts must be at least 1")
    values = {
        "kind": check_text(kind, "job kind", column_length(Job, "kind"), nullable=False),
        "payload": check_json(payload, "job payload"),
        "dedupe_key": check_text(
            dedupe_key, "dedupe_key", column_length(Job, "dedupe_key"), nullable=True
        ),
        "max_attempts": attempts,
    }
    now = utcnow()
    when = check_time(run_after, "run_after", nullable=True) or now
    with in_session(db) as session:
        statement = upsert_insert(session, Job).values(
            **values,
            status="queued",
            attempts=0,
            run_after=when,
            created_at=now,
            updated_at=now,
        )
        if dedupe_key is not None:
            statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
        job_id: int | None = session.execute(statement.returning(Job.id)).scalar_one_or_none()
        return job_id


def claim(
    db: Store,
    worker_id: str,
    *,
    lease_seconds: float = 300,
    kinds: Sequence[str] | None = None,
    now: dt.datetime | None = None,
) -> Job | None:
    """Take the oldest runnable job (queued and due, or running with an expired lease) for
    ``worker_id``, or None. The returned job is ``running``, leased until ``locked_until``.

    ``worker_id`` must be unique per worker (e.g. host, pid and a random part).
    """
    check_text(worker_id, "worker_id", column_length(Job, "locked_by"), nullable=False)
    if lease_seconds <= 0:
        raise InvalidInput("lease_seconds must be positive")
    now = check_time(now, "now", nullable=True) or utcnow()
    with in_session(db) as session:
        # Jobs abandoned on their last attempt are not run again: they end dead.
        exhausted = (
            select(Job.id)
            .where(Job.status == "running", Job.locked_until < now)
            .where(Job.attempts >= Job.max_attempts)
            .with_for_update(skip_locked=True)
        )
        session.execute(
            update(Job)
            .where(Job.id.in_(exhausted))
            .values(
                status="dead",
                locked_by=None,
                locked_until=None,
                last_error=LEASE_EXPIRED_ERROR,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        candidate = (
            select(Job.id)
            .where(_runnable(now, kinds))
            .order_by(Job.run_after, Job.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        statement = (
            update(Job)
            .where(Job.id == candidate, _runnable(now, kinds))
            .values(
                status="running",
                locked_by=worker_id,
                locked_until=now + dt.timedelta(seconds=lease_seconds),
                attempts=Job.attempts + 1,
                updated_at=now,
            )
            .returning(Job)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
        return session.scalars(statement).one_or_none()


def _held(job_id: int, worker_id: str) -> ColumnElement[bool]:
    return and_(Job.id == job_id, Job.status == "running", Job.locked_by == worker_id)


def heartbeat(
    db: Store,
    job_id: int,
    worker_id: str,
    lease_seconds: float = 300,
    *,
    now: dt.datetime | None = None,
) -> bool:
    """Extend the lease; False when ``worker_id`` no longer holds the job (stop working on it)."""
    now = check_time(now, "now", nullable=True) or utcnow()
    with in_session(db) as session:
        renewed = session.execute(
            update(Job)
            .where(_held(job_id, worker_id))
            .values(locked_until=now + dt.timedelta(seconds=lease_seconds), updated_at=now)
            .returning(Job.id)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        return renewed is not None


def complete(db: Store, job_id: int, worker_id: str) -> bool:
    """Mark the job done; False (and nothing changed) when ``worker_id`` no longer holds it."""
    with in_session(db) as session:
        done = session.execute(
            update(Job)
            .where(_held(job_id, worker_id))
            .values(status="done", locked_by=None, locked_until=None, updated_at=utcnow())
            .returning(Job.id)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        return done is not None


def fail(
    db: Store,
    job_id: int,
    worker_id: str,
    error: str,
    *,
    now: dt.datetime | None = None,
    rng: random.Random | None = None,
) -> FailOutcome:
    """Record a failed attempt: ``"queued"`` again after a back-off, ``"dead"`` once
    ``max_attempts`` attempts failed, or ``"lost"`` when ``worker_id`` no longer holds the job
    (nothing changed)."""
    now = check_time(now, "now", nullable=True) or utcnow()
    with in_session(db) as session:
        job = session.scalars(
            select(Job)
            .where(_held(job_id, worker_id))
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one_or_none()
        if job is None:
            return "lost"
        outcome: FailOutcome = "dead" if job.attempts >= job.max_attempts else "queued"
        job.status = outcome
        job.last_error = _clean_error(error)
        job.locked_by = None
        job.locked_until = None
        job.updated_at = now
        if outcome == "queued":
            job.run_after = now + dt.timedelta(seconds=backoff_seconds(job.attempts, rng=rng))
        return outcome


def retry(db: Store, job_id: int) -> bool:
    """Re-queue a dead job to run now with a fresh set of attempts; False unless it was dead."""
    now = utcnow()
    with in_session(db) as session:
        requeued = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "dead")
            .values(
                status="queued",
                attempts=0,
                run_after=now,
                locked_by=None,
                locked_until=None,
                updated_at=now,
            )
            .returning(Job.id)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        return requeued is not None


def get_job(db: Store, job_id: int) -> Job | None:
    with in_session(db) as session:
        return session.get(Job, job_id, populate_existing=True)


def list_jobs(db: Store, status: str | None = None, limit: int = 50) -> list[Job]:
    """The most recent jobs first, optionally only those in ``status``."""
    if status is not None and status not in JOB_STATUSES:
        raise InvalidInput(f"unknown job status {status!r}; one of {', '.join(JOB_STATUSES)}")
    if limit < 1:
        raise InvalidInput("limit must be at least 1")
    query = select(Job).order_by(Job.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Job.status == status)
    with in_session(db) as session:
        return list(session.scalars(query))


def job_counts(db: Store) -> dict[str, int]:
    """How many jobs are in each status (every status present, zero included)."""
    with in_session(db) as session:
        rows = session.execute(select(Job.status, func.count()).group_by(Job.status)).all()
    counts = dict.fromkeys(JOB_STATUSES, 0)
    counts.update({str(status): int(count) for status, count in rows})
    return counts
