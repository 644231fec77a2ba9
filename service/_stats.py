"""Reading the outcome figures out of the database: one :class:`Stats` for the JSON, the
dashboard, the terminal report and the gauges."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from service._feedback_stats import FeedbackAgreement, feedback_agreement
from service.outcomes import (
    DEFAULT_THRESHOLD,
    TARGETS,
    TIME_TO_MERGE_TARGET_HOURS,
    DailySeries,
    FailureFacts,
    OutcomeRates,
    as_utc,
    by_category,
    by_repository,
    category_counts,
    compute_rates,
    confidence_histogram,
    daily_series,
    group_rates,
)
from service.storage._feedback import effective_feedback, human_categories
from service.storage._models import Event, Failure, RepositoryState

DEFAULT_DAYS: Final = 30
RECENT_LIMIT: Final = 25
ISSUE_OPENED: Final = "issue_opened"


class SessionSource(Protocol):
    """What is read from the database handle (``service.storage.Database``)."""

    def session(self) -> AbstractContextManager[Session]: ...


def web_base_url(api_url: str) -> str:
    """The web address matching a REST API address (github.com, or GitHub Enterprise)."""
    base = api_url.rstrip("/")
    if base in ("https://api.github.com", "http://api.github.com"):
        return "https://github.com"
    return base.removesuffix("/api/v3")


@dataclass(frozen=True)
class RecentFailure:
    facts: FailureFacts
    issue_url: str | None
    pr_url: str | None
    run_url: str | None

    def to_dict(self) -> dict[str, Any]:
        f = self.facts
        return {
            "repository": f.repository,
            "fingerprint": f.fingerprint,
            "category": f.category,
            "model_category": f.model_category or f.category,
            "corrected": f.model_category is not None,
            "confidence": f.confidence,
            "workflow": f.workflow,
            "first_seen": f.first_seen.isoformat(),
            "last_seen": (f.last_seen or f.first_seen).isoformat(),
            "occurrences": f.occurrences,
            "action": f.action,
            "issue_number": f.issue_number,
            "pr_number": f.pr_number,
            "merged": f.merged_at is not None,
            "resolved": f.resolved_at is not None,
            "issue_url": self.issue_url,
            "pr_url": self.pr_url,
            "run_url": self.run_url,
        }


def recent_failure(facts: FailureFacts, web: str) -> RecentFailure:
    repo = f"{web}/{facts.repository}"
    return RecentFailure(
        facts,
        f"{repo}/issues/{facts.issue_number}" if facts.issue_number is not None else None,
        f"{repo}/pull/{facts.pr_number}" if facts.pr_number is not None else None,
        f"{repo}/actions/runs/{facts.last_run_id}" if facts.last_run_id is not None else None,
    )


@dataclass(frozen=True)
class PausedRepository:
    repository: str
    paused_at: dt.datetime
    reason: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "repository": self.repository,
            "paused_at": self.paused_at.isoformat(),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Stats:
    generated_at: dt.datetime
    since: dt.datetime
    days: int
    threshold: float
    overall: OutcomeRates
    by_category: dict[str, OutcomeRates]
    by_repository: dict[str, OutcomeRates]
    daily: DailySeries
    categories: dict[str, int]
    confidence: list[int]
    recent: list[RecentFailure]
    paused: list[PausedRepository]
    feedback: FeedbackAgreement = field(default_factory=FeedbackAgreement)

    def to_dict(self) -> dict[str, Any]:
        return {
            "generated_at": self.generated_at.isoformat(),
            "window": {
                "since": self.since.isoformat(),
                "until": self.generated_at.isoformat(),
                "days": self.days,
            },
            "threshold": self.threshold,
            "targets": {**TARGETS, "time_to_merge_hours": TIME_TO_MERGE_TARGET_HOURS},
            "overall": self.overall.to_dict(),
            "by_category": {k: v.to_dict() for k, v in self.by_category.items()},
            "by_repository": {k: v.to_dict() for k, v in self.by_repository.items()},
            "daily": self.daily.to_list(),
            "categories": self.categories,
            "confidence_histogram": [
                {
                    "low": i / len(self.confidence),
                    "high": (i + 1) / len(self.confidence),
                    "count": n,
                }
                for i, n in enumerate(self.confidence)
            ],
            "recent_failures": [item.to_dict() for item in self.recent],
            "paused_repositories": [item.to_dict() for item in self.paused],
            "feedback": self.feedback.to_dict(),
        }


def load_failures(
    session: Session, since: dt.datetime | None = None, repository: str | None = None
) -> list[FailureFacts]:
    query = select(Failure)
    if since is not None:
        query = query.where(Failure.first_seen >= since)
    if repository is not None:
        query = query.where(Failure.repository == repository)
    facts = [FailureFacts.of(row) for row in session.scalars(query)]
    # A category a person gave (a relabel comment, the feedback API) is the failure's category
    # in every figure; the model's stays beside it.
    labels = human_categories(session, repository=repository)
    if not labels:
        return facts
    out = []
    for f in facts:
        given = labels.get((f.repository, f.fingerprint)) or labels.get((None, f.fingerprint))
        if given is not None and given != f.category:
            f = dataclasses.replace(f, category=given, model_category=f.category)
        out.append(f)
    return out


def load_issue_times(session: Session, since: dt.datetime) -> dict[str, list[dt.datetime]]:
    """When each repository's issues were opened (``issue_opened`` events), since ``since``."""
    query = select(Event.repository, Event.at).where(Event.kind == ISSUE_OPENED, Event.at >= since)
    found: dict[str, list[dt.datetime]] = defaultdict(list)
    for repository, at in session.execute(query):
        found[repository].append(as_utc(at))
    return dict(found)


def is_paused_state(state: RepositoryState) -> bool:
    if state.paused_at is None:
        return False
    return state.resumed_at is None or as_utc(state.resumed_at) < as_utc(state.paused_at)


def load_repository_states(session: Session) -> list[RepositoryState]:
    return list(session.scalars(select(RepositoryState)))


def _paused(states: list[RepositoryState]) -> list[PausedRepository]:
    return [
        PausedRepository(s.repository, as_utc(s.paused_at), s.pause_reason)
        for s in sorted(states, key=lambda s: s.repository)
        if s.paused_at is not None and is_paused_state(s)
    ]


def collect_stats(
    db: SessionSource,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    days: int = DEFAULT_DAYS,
    now: dt.datetime | None = None,
    api_url: str = "https://api.github.com",
    recent_limit: int = RECENT_LIMIT,
) -> Stats:
    """Every figure over the failures first seen in the last ``days`` days."""
    if days < 1:
        raise ValueError("days must be at least 1")
    now = as_utc(now) if now is not None else dt.datetime.now(dt.UTC)
    since = now.replace(hour=0, minute=0, second=0, microsecond=0) - dt.timedelta(days=days - 1)
    with db.session() as session:
        facts = load_failures(session, since)
        issue_times = load_issue_times(session, since)
        states = load_repository_states(session)
        labels = effective_feedback(session)
    options: dict[str, Any] = {"threshold": threshold, "now": now}
    web = web_base_url(api_url)
    latest = sorted(facts, key=lambda f: f.last_seen or f.first_seen, reverse=True)
    return Stats(
        generated_at=now,
        since=since,
        days=days,
        threshold=threshold,
        overall=compute_rates(facts, **options),
        by_category=group_rates(facts, by_category, **options),
        by_repository=group_rates(facts, by_repository, **options),
        daily=daily_series(
            facts,
            days=days,
            until=now,
            issue_times=_flatten(issue_times.values()),
            **options,
        ),
        categories=category_counts(facts),
        confidence=confidence_histogram(facts),
        recent=[recent_failure(f, web) for f in latest[:recent_limit]],
        paused=_paused(states),
        feedback=feedback_agreement(labels, since),
    )


def _flatten(groups: Any) -> Iterator[dt.datetime]:
    for group in groups:
        yield from group
