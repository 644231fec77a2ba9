"""Prometheus gauges of the outcome rates, read from the database when ``/metrics`` is scraped.

The figures live in the shared database, so every process reports the same values: the
collector is computed per scrape (cached for a few seconds) instead of being kept in each
process's memory. Register it with ``registry.register(OutcomeCollector(...))``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Final

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from service._stats import SessionSource, Stats, collect_stats
from service.outcomes import OutcomeRates

log = logging.getLogger("autoheal.service")

CACHE_SECONDS: Final = 15.0
WINDOW_DAYS: Final = 7


def _families(stats: Stats) -> list[GaugeMetricFamily]:
    rate = GaugeMetricFamily(
        "autoheal_outcome_rate",
        f"Outcome rates over the last {stats.days} days (scope: overall, category, repository).",
        labels=["rate", "scope", "name"],
    )
    samples = GaugeMetricFamily(
        "autoheal_outcome_rate_samples",
        "Denominator of each outcome rate.",
        labels=["rate", "scope", "name"],
    )
    target = GaugeMetricFamily(
        "autoheal_outcome_rate_target", "Target of each outcome rate.", labels=["rate"]
    )
    merge_hours = GaugeMetricFamily(
        "autoheal_time_to_merge_hours",
        "Hours from first failure to the fix's merge.",
        labels=["quantile", "scope", "name"],
    )
    failures = GaugeMetricFamily(
        "autoheal_failures", "Distinct failures first seen in the window.", labels=["scope", "name"]
    )
    paused = GaugeMetricFamily(
        "autoheal_repositories_paused", "Repositories whose automatic issue creation is paused."
    )

    def add(scope: str, name: str, rates: OutcomeRates) -> None:
        failures.add_metric([scope, name], rates.failures)
        for rate_name, value in rates.rates.items():
            samples.add_metric([rate_name, scope, name], value.denominator)
            if value.value is not None:
                rate.add_metric([rate_name, scope, name], value.value)
        for quantile, hours in (
            ("0.5", rates.time_to_merge.median_hours),
            ("0.9", rates.time_to_merge.p90_hours),
        ):
            if hours is not None:
                merge_hours.add_metric([quantile, scope, name], hours)

    add("overall", "all", stats.overall)
    for name, rates in stats.by_category.items():
        add("category", name, rates)
    for name, rates in stats.by_repository.items():
        add("repository", name, rates)
    for rate_name, value in stats.overall.rates.items():
        if value.target is not None:
            target.add_metric([rate_name], value.target)
    paused.add_metric([], len(stats.paused))
    return [rate, samples, target, merge_hours, failures, paused]


class OutcomeCollector(Collector):
    """Yields the gauges; on a database error it yields nothing (the scrape still succeeds)."""

    def __init__(
        self,
        database: Callable[[], SessionSource | None],
        *,
        threshold: float,
        days: int = WINDOW_DAYS,
        cache_seconds: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._database = database
        self._threshold = threshold
        self._days = days
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._cached: tuple[float, list[GaugeMetricFamily]] | None = None

    def describe(self) -> list[GaugeMetricFamily]:
        return []  # collected lazily: registering must not touch the database

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with self._lock:
            now = self._clock()
            if self._cached is None or now - self._cached[0] >= self._cache_seconds:
                families = self._compute()
                if families is None:
                    return
                self._cached = (now, families)
            families = self._cached[1]
        yield from families

    def _compute(self) -> list[GaugeMetricFamily] | None:
        try:
            db = self._database()
            if db is None:
                return None
            stats = collect_stats(
                db, threshold=self._threshold, days=self._days, now=dt.datetime.now(dt.UTC)
            )
        except Exception as exc:  # the database is down: /metrics must still answer
            log.warning(
                "outcome gauges unavailable", extra={"error": f"{type(exc).__name__}: {exc}"}
            )
            return None
        return _families(stats)
