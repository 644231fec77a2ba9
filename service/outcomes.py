"""What became of the failures autoheal handled: rates against targets, as pure functions.

Every figure is computed from :class:`FailureFacts` (one per distinct failure, a plain copy of a
``failures`` row), so the same code serves ``GET /v1/stats``, the dashboard, ``autoheal report``,
the Prometheus gauges and the alert rules, and can be tested with rows built by hand.

Definitions (each rate is ``numerator / denominator``; no denominator means no value):

- issue creation: failures that got an issue or a re-run / all failures. Target 100 %.
- PR creation: failures with a fix PR / failures where a fix was possible (category not
  ``unknown``, confidence at or above the threshold, and not a transient failure that only
  needed a re-run). Target 100 %.
- Copilot response: hand-offs Copilot answered / hand-offs made (a hand-off younger than the
  grace period and still unanswered is not counted yet). Target 80 %.
- merge: generated PRs merged / generated PRs decided (merged, or closed without merging); open
  PRs are not counted until decided. Target 60 %.
- time to merge: hours from a failure's first sighting to its fix's merge (median and p90).
  Target: median under 24 h.
- fix success: fixes resolved (merged, then the workflow's next run green) / fixes merged.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from model.taxonomy import TRANSIENT, UNKNOWN

RATE_NAMES: Final = ("issue_creation", "pr_creation", "copilot_response", "merge", "fix_success")
TARGETS: Final[dict[str, float | None]] = {
    "issue_creation": 1.0,
    "pr_creation": 1.0,
    "copilot_response": 0.8,
    "merge": 0.6,
    "fix_success": None,
}
TITLES: Final[dict[str, str]] = {
    "issue_creation": "Issue creation",
    "pr_creation": "PR creation",
    "copilot_response": "Copilot response",
    "merge": "Merge rate",
    "fix_success": "Fix success",
    "time_to_merge": "Time to merge",
}
TIME_TO_MERGE_TARGET_HOURS: Final = 24.0
DEFAULT_THRESHOLD: Final = 0.70
DEFAULT_RESPONSE_GRACE: Final = dt.timedelta(hours=1)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes for timezone-aware columns; they were stored as UTC."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _utc_or_none(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else as_utc(moment)


@dataclass(frozen=True)
class FailureFacts:
    """One distinct failure (repository + fingerprint) and what became of it."""

    repository: str
    fingerprint: str
    category: str
    confidence: float
    first_seen: dt.datetime
    last_seen: dt.datetime | None = None
    occurrences: int = 1
    workflow: str | None = None
    last_run_id: int | None = None
    issue_number: int | None = None
    pr_number: int | None = None
    action: str | None = None
    copilot_requested_at: dt.datetime | None = None
    copilot_responded_at: dt.datetime | None = None
    merged_at: dt.datetime | None = None
    pr_closed_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    issue_closed_at: dt.datetime | None = None
    reopened: int = 0
    model_category: str | None = None
    """The model's category when a person corrected it (``category`` is then theirs)."""

    @classmethod
    def of(cls, row: Any) -> FailureFacts:
        """A copy of a ``failures`` row (any object with the same attributes)."""
        return cls(
            repository=row.repository,
            fingerprint=row.fingerprint,
            category=row.category,
            confidence=float(row.confidence),
            first_seen=as_utc(row.first_seen),
            last_seen=_utc_or_none(row.last_seen),
            occurrences=int(row.occurrences or 1),
            workflow=row.workflow,
            last_run_id=row.last_run_id,
            issue_number=row.issue_number,
            pr_number=row.pr_number,
            action=row.action,
            copilot_requested_at=_utc_or_none(row.copilot_requested_at),
            copilot_responded_at=_utc_or_none(row.copilot_responded_at),
            merged_at=_utc_or_none(row.merged_at),
            pr_closed_at=_utc_or_none(row.pr_closed_at),
            resolved_at=_utc_or_none(row.resolved_at),
            issue_closed_at=_utc_or_none(row.issue_closed_at),
            reopened=int(row.reopened or 0),
        )

    def fix_possible(self, threshold: float) -> bool:
        """Confident, categorised, and not a transient failure that a re-run took care of."""
        if self.category == UNKNOWN or self.confidence < threshold:
            return False
        only_rerun = self.action == "rerun" and self.issue_number is None and self.pr_number is None
        return not (self.category in TRANSIENT and only_rerun)

    @property
    def handled(self) -> bool:
        """An issue was opened, or the run was re-run (the transient path)."""
        return self.issue_number is not None or self.action == "rerun"

    @property
    def hours_to_merge(self) -> float | None:
        if self.merged_at is None:
            return None
        return max(0.0, (self.merged_at - self.first_seen).total_seconds() / 3600.0)


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int
    target: float | None = None

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def meets_target(self) -> bool | None:
        """None when there is no target or no sample."""
        if self.target is None or self.value is None:
            return None
        return self.value >= self.target

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "target": self.target,
            "meets_target": self.meets_target,
        }


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Linear-interpolated percentile (``fraction`` in 0..1) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Durations:
    """Hours from first failure to merge."""

    samples: int
    median_hours: float | None
    p90_hours: float | None
    target_hours: float = TIME_TO_MERGE_TARGET_HOURS

    @classmethod
    def of(cls, hours: Sequence[float]) -> Durations:
        return cls(len(hours), percentile(hours, 0.5), percentile(hours, 0.9))

    @property
    def meets_target(self) -> bool | None:
        return None if self.median_hours is None else self.median_hours < self.target_hours

    def to_dict(self) -> dict[str, Any]:
        return {
            "samples": self.samples,
            "median_hours": self.median_hours,
            "p90_hours": self.p90_hours,
            "target_hours": self.target_hours,
            "meets_target": self.meets_target,
        }


@dataclass(frozen=True)
class OutcomeRates:
    failures: int
    rates: dict[str, Rate]
    time_to_merge: Durations

    def to_dict(self) -> dict[str, Any]:
        return {
            "failures": self.failures,
            **{name: rate.to_dict() for name, rate in self.rates.items()},
            "time_to_merge": self.time_to_merge.to_dict(),
        }


def compute_rates(
    facts: Iterable[FailureFacts],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    now: dt.datetime | None = None,
    response_grace: dt.timedelta = DEFAULT_RESPONSE_GRACE,
) -> OutcomeRates:
    """Every rate over ``facts``. With ``now``, unanswered hand-offs younger than
    ``response_grace`` are left out of the Copilot response rate (Copilot had no time yet)."""
    counts: dict[str, list[int]] = {name: [0, 0] for name in RATE_NAMES}
    hours: list[float] = []
    total = 0

    def count(name: str, hit: bool) -> None:
        counts[name][1] += 1
        counts[name][0] += int(hit)

    for fact in facts:
        total += 1
        count("issue_creation", fact.handled)
        if fact.fix_possible(threshold):
            count("pr_creation", fact.pr_number is not None)
        if fact.copilot_requested_at is not None:
            answered = fact.copilot_responded_at is not None
            too_young = now is not None and now - fact.copilot_requested_at < response_grace
            if answered or not too_young:
                count("copilot_response", answered)
        if fact.merged_at is not None or fact.pr_closed_at is not None:
            count("merge", fact.merged_at is not None)
        if fact.merged_at is not None:
            count("fix_success", fact.resolved_at is not None)
            hours.append(fact.hours_to_merge or 0.0)
    rates = {name: Rate(hit, seen, TARGETS[name]) for name, (hit, seen) in counts.items()}
    return OutcomeRates(total, rates, Durations.of(hours))


def in_window(
    facts: Iterable[FailureFacts], since: dt.datetime | None, until: dt.datetime | None = None
) -> list[FailureFacts]:
    """Failures first seen in ``[since, until)`` (an open bound when None)."""
    return [
        fact
        for fact in facts
        if (since is None or fact.first_seen >= since)
        and (until is None or fact.first_seen < until)
    ]


def group_rates(
    facts: Iterable[FailureFacts],
    key: Callable[[FailureFacts], str],
    **options: Any,
) -> dict[str, OutcomeRates]:
    """:func:`compute_rates` per group (e.g. ``key=by_category``), groups sorted by name."""
    groups: dict[str, list[FailureFacts]] = defaultdict(list)
    for fact in facts:
        groups[key(fact)].append(fact)
    return {name: compute_rates(groups[name], **options) for name in sorted(groups)}


def by_category(fact: FailureFacts) -> str:
    return fact.category


def by_repository(fact: FailureFacts) -> str:
    return fact.repository


def day_starts(days: int, until: dt.datetime) -> list[dt.datetime]:
    """Midnight UTC of each of the ``days`` days ending with the day of ``until``, oldest first."""
    last = as_utc(until).replace(hour=0, minute=0, second=0, microsecond=0)
    return [last - dt.timedelta(days=offset) for offset in range(days - 1, -1, -1)]


@dataclass(frozen=True)
class DayPoint:
    day: dt.date
    rates: OutcomeRates
    issues_opened: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "issues_opened": self.issues_opened}


@dataclass(frozen=True)
class DailySeries:
    """One point per day: the rates of the failures first seen that day (a daily cohort)."""

    points: list[DayPoint] = field(default_factory=list)

    def values(self, name: str) -> list[float | None]:
        return [point.rates.rates[name].value for point in self.points]

    def to_list(self) -> list[dict[str, Any]]:
        return [{**point.to_dict(), **point.rates.to_dict()} for point in self.points]


def daily_series(
    facts: Iterable[FailureFacts],
    *,
    days: int,
    until: dt.datetime,
    issue_times: Iterable[dt.datetime] = (),
    **options: Any,
) -> DailySeries:
    """Rates per day for charts, over the ``days`` days ending with ``until``'s day.
    ``issue_times`` (when issues were opened) gives each day's count of new issues."""
    starts = day_starts(days, until)
    facts_by_day: dict[dt.date, list[FailureFacts]] = defaultdict(list)
    for fact in facts:
        facts_by_day[fact.first_seen.date()].append(fact)
    issues_by_day = count_by_day(issue_times)
    return DailySeries(
        [
            DayPoint(
                start.date(),
                compute_rates(facts_by_day.get(start.date(), []), **options),
                issues_by_day.get(start.date(), 0),
            )
            for start in starts
        ]
    )


def count_by_day(moments: Iterable[dt.datetime]) -> dict[dt.date, int]:
    counts: dict[dt.date, int] = defaultdict(int)
    for moment in moments:
        counts[as_utc(moment).date()] += 1
    return dict(counts)


def confidence_histogram(facts: Iterable[FailureFacts], bins: int = 10) -> list[int]:
    """Counts of confidences in ``bins`` equal bins over [0, 1] (1.0 falls in the last)."""
    counts = [0] * bins
    for fact in facts:
        index = min(bins - 1, max(0, int(fact.confidence * bins)))
        counts[index] += 1
    return counts


def category_counts(facts: Iterable[FailureFacts]) -> dict[str, int]:
    """Failures per category, most frequent first."""
    counts: dict[str, int] = defaultdict(int)
    for fact in facts:
        counts[fact.category] += 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
