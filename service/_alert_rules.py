"""The alert rules: pure functions over failure facts and issue-opening times.

A firing rule becomes an :class:`Alert` with a stable ``key`` (rule, figure, repository, the
repository's last resume, the day), so evaluating again the same day finds the same alert
instead of a new one. After a resume only what happened since counts: failures that already
caused an alert cannot pause the repository again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from service.outcomes import (
    DEFAULT_THRESHOLD,
    TARGETS,
    TITLES,
    FailureFacts,
    as_utc,
    compute_rates,
)

SURGE: Final = "issue_surge"
BELOW_TARGET: Final = "below_target"


@dataclass(frozen=True)
class AlertConfig:
    surge_factor: float = 3.0
    """Today's new issues above this many times the trailing daily median is a surge..."""
    surge_floor: int = 3
    """...and above this many at least (a quiet repository may open a few issues in a day)."""
    baseline_days: int = 7
    quality_window: dt.timedelta = dt.timedelta(days=7)
    min_samples: int = 5
    """A quality figure is judged only with at least this many samples."""
    settle: dt.timedelta = dt.timedelta(hours=1)
    """Failures younger than this are still being handled and are not judged yet."""


@dataclass(frozen=True)
class Alert:
    rule: str
    repository: str
    figure: str
    value: float
    limit: float
    samples: int
    message: str
    key: str

    def to_payload(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "repository": self.repository,
            "figure": self.figure,
            "value": self.value,
            "limit": self.limit,
            "samples": self.samples,
            "message": self.message,
            "key": self.key,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Alert:
        return cls(
            rule=str(payload["rule"]),
            repository=str(payload["repository"]),
            figure=str(payload["figure"]),
            value=float(payload["value"]),
            limit=float(payload["limit"]),
            samples=int(payload["samples"]),
            message=str(payload["message"]),
            key=str(payload["key"]),
        )


def alert_key(
    rule: str, figure: str, repository: str, resumed_at: dt.datetime | None, now: dt.datetime
) -> str:
    """Short, marker-safe and stable within a day and a pause/resume cycle."""
    epoch = resumed_at.isoformat() if resumed_at is not None else "-"
    text = f"{rule}|{figure}|{repository}|{epoch}|{as_utc(now).date().isoformat()}"
    return f"{rule}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"


def issue_surge(
    repository: str,
    issue_times: Iterable[dt.datetime],
    *,
    now: dt.datetime,
    config: AlertConfig = AlertConfig(),
    resumed_at: dt.datetime | None = None,
) -> Alert | None:
    """Issues opened in the last 24 h > max(floor, factor x median of the previous days' counts).

    Days are rolling 24-hour windows ending at ``now``, so the rule does not reset at midnight.
    """
    day = dt.timedelta(days=1)
    counts = [0] * (config.baseline_days + 1)  # [0] is the last 24 h, then one per earlier day
    for moment in issue_times:
        age = now - as_utc(moment)
        if age < dt.timedelta(0):
            continue
        index = int(age / day)
        if index < len(counts):
            if index == 0 and resumed_at is not None and as_utc(moment) < resumed_at:
                continue
            counts[index] += 1
    baseline = statistics.median(counts[1:]) if config.baseline_days else 0.0
    limit = max(float(config.surge_floor), config.surge_factor * baseline)
    today = counts[0]
    if today <= limit:
        return None
    message = (
        f"autoheal opened {today} issues in {repository} in the last 24 h, above the limit of "
        f"{limit:g} ({config.surge_factor:g}x the {config.baseline_days}-day median of "
        f"{baseline:g}, at least {config.surge_floor}). Automatic issue creation is paused."
    )
    key = alert_key(SURGE, "issues_opened", repository, resumed_at, now)
    return Alert(SURGE, repository, "issues_opened", float(today), limit, today, message, key)


def _judged(
    facts: Iterable[FailureFacts],
    *,
    now: dt.datetime,
    config: AlertConfig,
    resumed_at: dt.datetime | None,
) -> list[FailureFacts]:
    start = now - config.quality_window
    if resumed_at is not None:
        start = max(start, resumed_at)
    settled = now - config.settle
    return [fact for fact in facts if start <= fact.first_seen <= settled]


def quality_alerts(
    repository: str,
    facts: Iterable[FailureFacts],
    *,
    now: dt.datetime,
    threshold: float = DEFAULT_THRESHOLD,
    config: AlertConfig = AlertConfig(),
    resumed_at: dt.datetime | None = None,
) -> list[Alert]:
    """Each figure with a target that is missed with at least ``min_samples`` samples."""
    judged = _judged(facts, now=now, config=config, resumed_at=resumed_at)
    rates = compute_rates(judged, threshold=threshold, now=now)
    alerts: list[Alert] = []
    for name, rate in rates.rates.items():
        target = TARGETS[name]
        if target is None or rate.value is None or rate.denominator < config.min_samples:
            continue
        if rate.value < target:
            message = (
                f"{TITLES[name]} in {repository} is {rate.value:.0%} "
                f"({rate.numerator}/{rate.denominator}) over the last "
                f"{config.quality_window.days} days, below its target of {target:.0%}. "
                "Automatic issue creation is paused."
            )
            key = alert_key(BELOW_TARGET, name, repository, resumed_at, now)
            alerts.append(
                Alert(
                    BELOW_TARGET,
                    repository,
                    name,
                    rate.value,
                    target,
                    rate.denominator,
                    message,
                    key,
                )
            )
    merge_time = rates.time_to_merge
    if (
        merge_time.median_hours is not None
        and merge_time.samples >= config.min_samples
        and not merge_time.meets_target
    ):
        message = (
            f"Median time from failure to merge in {repository} is "
            f"{merge_time.median_hours:.1f} h over {merge_time.samples} merged fixes, "
            f"not under its target of {merge_time.target_hours:g} h. "
            "Automatic issue creation is paused."
        )
        key = alert_key(BELOW_TARGET, "time_to_merge", repository, resumed_at, now)
        alerts.append(
            Alert(
                BELOW_TARGET,
                repository,
                "time_to_merge",
                merge_time.median_hours,
                merge_time.target_hours,
                merge_time.samples,
                message,
                key,
            )
        )
    return alerts


def evaluate_rules(
    facts: Sequence[FailureFacts],
    issue_times: Mapping[str, Sequence[dt.datetime]],
    *,
    now: dt.datetime,
    threshold: float = DEFAULT_THRESHOLD,
    config: AlertConfig = AlertConfig(),
    paused: Iterable[str] = (),
    resumed: Mapping[str, dt.datetime] | None = None,
) -> list[Alert]:
    """Every alert that fires now, per repository. Paused repositories are not judged: they
    already alerted and wait for a human."""
    resumed = resumed or {}
    skip = set(paused)
    repositories = sorted(({fact.repository for fact in facts} | set(issue_times)) - skip)
    alerts: list[Alert] = []
    for repository in repositories:
        since = resumed.get(repository)
        surge = issue_surge(
            repository, issue_times.get(repository, ()), now=now, config=config, resumed_at=since
        )
        if surge is not None:
            alerts.append(surge)
        mine = [fact for fact in facts if fact.repository == repository]
        alerts.extend(
            quality_alerts(
                repository, mine, now=now, threshold=threshold, config=config, resumed_at=since
            )
        )
    return alerts
