"""Failures (one row per repository and fingerprint) and the events that make the metrics.

:func:`upsert_failure` is one ``INSERT ... ON CONFLICT (repository, fingerprint) DO UPDATE``:
processes that see the same failure at once end with one row, never a duplicate-key error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import ColumnElement, select, update

from service.storage._errors import InvalidInput
from service.storage._models import Event, Failure, utcnow
from service.storage._session import Store, in_session, upsert_insert
from service.storage._validate import check_columns, check_time

_KEY_FIELDS: Final = frozenset({"id", "repository", "fingerprint"})
_REQUIRED_ON_INSERT: Final = ("category", "confidence")


def upsert_failure(
    db: Store, repository: str, fingerprint: str, *, seen: bool = False, **fields: Any
) -> Failure:
    """Create the failure or update the given ``fields`` of the existing one; return the row.

    A new failure needs ``category`` and ``confidence``; it starts with one occurrence.
    ``seen=True`` records another sighting of an existing failure: ``occurrences`` + 1 and
    ``last_seen`` = now (unless ``last_seen`` is given), counted atomically in the database.
    """
    if _KEY_FIELDS & fields.keys():
        raise InvalidInput(f"cannot set {sorted(_KEY_FIELDS & fields.keys())} of a failure")
    key = check_columns(Failure, {"repository": repository, "fingerprint": fingerprint})
    changes = check_columns(Failure, fields)
    now = utcnow()
    updates: dict[str, Any] = dict(changes)
    if seen:
        updates.setdefault("last_seen", now)
    with in_session(db) as session:
        if all(name in changes for name in _REQUIRED_ON_INSERT):
            inserted = {"first_seen": now, "last_seen": now, **changes, **key}
            statement = upsert_insert(session, Failure).values(**inserted)
            on_conflict = dict(updates)
            if seen:
                on_conflict["occurrences"] = Failure.occurrences + 1
            if not on_conflict:  # nothing to change, but RETURNING needs the row
                on_conflict["repository"] = statement.excluded.repository
            statement = statement.on_conflict_do_update(
                index_elements=["repository", "fingerprint"], set_=on_conflict
            )
            failure: Failure = session.scalars(
                statement.returning(Failure), execution_options={"populate_existing": True}
            ).one()
            return failure
        if seen:
            updates["occurrences"] = Failure.occurrences + 1
        target = Failure.repository == key["repository"], Failure.fingerprint == key["fingerprint"]
        if updates:
            session.execute(
                update(Failure)
                .where(*target)
                .values(**updates)
                .execution_options(synchronize_session=False)
            )
        existing = session.scalars(
            select(Failure).where(*target).execution_options(populate_existing=True)
        ).one_or_none()
        if existing is None:
            missing = [name for name in _REQUIRED_ON_INSERT if name not in changes]
            raise InvalidInput(
                f"no failure {fingerprint!r} in {repository!r} yet, and a new one needs "
                f"{' and '.join(missing)}"
            )
        return existing


def record_event(
    db: Store,
    repository: str,
    kind: str,
    *,
    fingerprint: str | None = None,
    category: str | None = None,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> Event:
    """Append one event (``failure_seen``, ``issue_opened``, ``pr_merged``, ...)."""
    values = check_columns(
        Event,
        {
            "repository": repository,
            "kind": kind,
            "fingerprint": fingerprint,
            "category": category,
            "data": data,
            "at": at or utcnow(),
        },
    )
    with in_session(db) as session:
        event = Event(**values)
        session.add(event)
        session.flush()
        return event


def _find_one(db: Store, *conditions: ColumnElement[bool]) -> Failure | None:
    with in_session(db) as session:
        return session.scalars(
            select(Failure)
            .where(*conditions)
            .order_by(Failure.last_seen.desc(), Failure.id.desc())
            .limit(1)
            .execution_options(populate_existing=True)
        ).one_or_none()


def find_failure(db: Store, repository: str, fingerprint: str) -> Failure | None:
    return _find_one(db, Failure.repository == repository, Failure.fingerprint == fingerprint)


def find_failure_by_issue(db: Store, repository: str, issue_number: int) -> Failure | None:
    return _find_one(db, Failure.repository == repository, Failure.issue_number == issue_number)


def find_failure_by_pr(db: Store, repository: str, pr_number: int) -> Failure | None:
    return _find_one(db, Failure.repository == repository, Failure.pr_number == pr_number)


def find_failure_by_branch(db: Store, repository: str, branch: str) -> Failure | None:
    return _find_one(db, Failure.repository == repository, Failure.branch == branch)


def list_failures(
    db: Store,
    *,
    repository: str | None = None,
    since: dt.datetime | None = None,
    limit: int | None = None,
) -> list[Failure]:
    """Failures, most recently seen first; ``since`` filters on ``last_seen``."""
    since = check_time(since, "since", nullable=True)
    query = select(Failure).order_by(Failure.last_seen.desc(), Failure.id.desc())
    if repository is not None:
        query = query.where(Failure.repository == repository)
    if since is not None:
        query = query.where(Failure.last_seen >= since)
    if limit is not None:
        query = query.limit(limit)
    with in_session(db) as session:
        return list(session.scalars(query))


def list_events(
    db: Store,
    *,
    repository: str | None = None,
    kinds: Sequence[str] | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int | None = None,
) -> list[Event]:
    """Events in time order (oldest first), filtered as asked."""
    since = check_time(since, "since", nullable=True)
    until = check_time(until, "until", nullable=True)
    query = select(Event).order_by(Event.at, Event.id)
    if repository is not None:
        query = query.where(Event.repository == repository)
    if kinds is not None:
        query = query.where(Event.kind.in_(list(kinds)))
    if since is not None:
        query = query.where(Event.at >= since)
    if until is not None:
        query = query.where(Event.at < until)
    if limit is not None:
        query = query.limit(limit)
    with in_session(db) as session:
        return list(session.scalars(query))
