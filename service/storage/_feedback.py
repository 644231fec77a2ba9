"""Feedback: the categories people gave failures, and the ones a confirmed fix implied.

Rows are only ever added. Which label counts for a fingerprint is decided when they are read
(:func:`effective_feedback`): the latest label a person gave wins; a confirmed fix (its pull
request merged, the next run green) counts only while nobody has said otherwise. A row that
answers something identified (``reference``: a comment, a resolution) is stored once however
often it is recorded, so a retried job adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from datasets.feedback import MAX_REGION_CHARS
from model.taxonomy import LABELS, UNKNOWN
from service.storage._errors import InvalidInput
from service.storage._models import Failure, Feedback, utcnow
from service.storage._session import Store, in_session, upsert_insert
from service.storage._validate import check_columns

RELABEL_COMMENT: Final = "relabel_comment"
API: Final = "api"
CONFIRMED_FIX: Final = "confirmed_fix"
SOURCES: Final = (RELABEL_COMMENT, API, CONFIRMED_FIX)
HUMAN_SOURCES: Final = frozenset({RELABEL_COMMENT, API})


@dataclass(frozen=True)
class EffectiveLabel:
    """The label that counts for one fingerprint, and the text to train it on."""

    fingerprint: str
    category: str
    source: str
    repository: str | None
    previous: str | None
    actor: str | None
    created_at: dt.datetime
    region: str | None
    """The winning row's region, else the newest region stored for the fingerprint."""
    feedback_id: int


def record_feedback(
    db: Store,
    *,
    fingerprint: str,
    category: str,
    source: str,
    repository: str | None = None,
    previous: str | None = None,
    actor: str | None = None,
    region: str | None = None,
    reference: str | None = None,
    at: dt.datetime | None = None,
) -> tuple[Feedback, bool]:
    """Store one label; return the row and whether it is new (False: ``reference`` was
    already recorded, and that earlier row is returned unchanged)."""
    if category not in LABELS:
        raise InvalidInput(f"unknown category {category!r}; expected one of {', '.join(LABELS)}")
    if source not in SOURCES:
        raise InvalidInput(f"unknown feedback source {source!r}; expected one of {SOURCES}")
    if region is not None and len(region) > MAX_REGION_CHARS:
        raise InvalidInput(f"the region is {len(region)} characters; at most {MAX_REGION_CHARS}")
    values = check_columns(
        Feedback,
        {
            "fingerprint": fingerprint,
            "category": category,
            "source": source,
            "repository": repository,
            "previous": previous,
            "actor": actor,
            "region": region,
            "reference": reference,
            "created_at": at or utcnow(),
        },
    )
    with in_session(db) as session:
        if reference is None:
            row = Feedback(**values)
            session.add(row)
            session.flush()
            return row, True
        statement = (
            upsert_insert(session, Feedback)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["reference"])
            .returning(Feedback.id)
        )
        new_id = session.scalars(statement).first()
        found = session.scalars(
            select(Feedback)
            .where(Feedback.reference == reference)
            .execution_options(populate_existing=True)
        ).one()
        return found, new_id is not None


def confirm_fix(session: Session, failure: Failure, *, reference: str) -> Feedback | None:
    """The failure's fix merged and the next run was green: its category was right.

    Nothing is recorded for ``unknown``: a fix for a failure the model could not name says
    nothing about which category it was.
    """
    if failure.category == UNKNOWN or failure.category not in LABELS:
        return None
    row, _ = record_feedback(
        session,
        fingerprint=failure.fingerprint,
        category=failure.category,
        source=CONFIRMED_FIX,
        repository=failure.repository,
        previous=failure.category,
        region=failure.region,
        reference=reference,
    )
    return row


def list_feedback(
    db: Store, *, limit: int | None = None, fingerprint: str | None = None
) -> list[Feedback]:
    """Feedback rows, newest first."""
    query = select(Feedback).order_by(Feedback.created_at.desc(), Feedback.id.desc())
    if fingerprint is not None:
        query = query.where(Feedback.fingerprint == fingerprint)
    if limit is not None:
        query = query.limit(limit)
    with in_session(db) as session:
        return list(session.scalars(query))


def _winner(rows: Sequence[Feedback]) -> Feedback:
    """``rows`` oldest first: the newest human label, else the newest confirmation."""
    human = [row for row in rows if row.source in HUMAN_SOURCES]
    return (human or list(rows))[-1]


def effective_feedback(
    db: Store, *, fingerprints: Sequence[str] | None = None
) -> list[EffectiveLabel]:
    """The label that counts for every fingerprint with feedback, newest first."""
    query = select(Feedback).order_by(Feedback.created_at, Feedback.id)
    if fingerprints is not None:
        query = query.where(Feedback.fingerprint.in_(list(fingerprints)))
    with in_session(db) as session:
        rows = list(session.scalars(query))
    grouped: dict[str, list[Feedback]] = {}
    for row in rows:
        grouped.setdefault(row.fingerprint, []).append(row)
    out: list[EffectiveLabel] = []
    for fingerprint, history in grouped.items():
        winner = _winner(history)
        region = winner.region or next((r.region for r in reversed(history) if r.region), None)
        out.append(
            EffectiveLabel(
                fingerprint=fingerprint,
                category=winner.category,
                source=winner.source,
                repository=winner.repository,
                previous=winner.previous,
                actor=winner.actor,
                created_at=winner.created_at,
                region=region,
                feedback_id=winner.id,
            )
        )
    out.sort(key=lambda label: (label.created_at, label.feedback_id), reverse=True)
    return out


def human_categories(
    session: Session, *, repository: str | None = None
) -> dict[tuple[str | None, str], str]:
    """The latest category a person gave, by (repository, fingerprint); a label given without
    a repository is keyed by ``(None, fingerprint)`` and stands for every repository."""
    query = (
        select(Feedback.repository, Feedback.fingerprint, Feedback.category)
        .where(Feedback.source.in_(sorted(HUMAN_SOURCES)))
        .order_by(Feedback.created_at, Feedback.id)
    )
    if repository is not None:
        query = query.where((Feedback.repository == repository) | Feedback.repository.is_(None))
    return {(repo, fingerprint): category for repo, fingerprint, category in session.execute(query)}
