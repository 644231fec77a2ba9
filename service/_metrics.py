"""Prometheus metrics of one app, correct with one process or several.

With several worker processes each keeps its own counters; prometheus_client's multiprocess mode
(``PROMETHEUS_MULTIPROC_DIR``, set by :func:`service.server.serve`) writes them to shared files and
``/metrics`` sums the files, so any worker answers for all of them.
"""

from __future__ import annotations

import os
from typing import Any, Final

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROC_ENV: Final = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS: Final = (
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
)  # fmt: skip
CONFIDENCE_BUCKETS: Final = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


class Metrics:
    """The service's instruments, registered in a registry of their own (one per app)."""

    content_type: Final = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._shared: list[Any] = []
        self.requests = Counter(
            "autoheal_http_requests",
            "HTTP requests answered, by route template, method and status code.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "autoheal_http_request_duration_seconds",
            "Time from request start to the end of the response, by route template.",
            ["route", "method"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.predictions = Counter(
            "autoheal_predictions",
            "Classifications answered, by predicted category and whether auto_fix was set.",
            ["category", "auto_fix"],
            registry=self.registry,
        )
        self.confidence = Histogram(
            "autoheal_prediction_confidence",
            "Confidence of the predicted category.",
            ["category"],
            buckets=CONFIDENCE_BUCKETS,
            registry=self.registry,
        )
        self._prediction_children: dict[tuple[str, bool], tuple[Any, Any]] = {}
        self.model_loads = Counter(
            "autoheal_model_loads",
            "Model loads (at startup and on reload) in every worker process, by outcome.",
            ["outcome"],
            registry=self.registry,
        )

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route, method).observe(seconds)

    def observe_prediction(self, category: str, confidence: float, auto_fix: bool) -> None:
        children = self._prediction_children.get((category, auto_fix))
        if children is None:
            # `labels` validates and locks on every call; the children it returns stay the same
            # (nothing here removes them), so each pair is looked up once.
            children = (
                self.predictions.labels(category, "true" if auto_fix else "false"),
                self.confidence.labels(category),
            )
            self._prediction_children[(category, auto_fix)] = children
        count, confidences = children
        count.inc()
        confidences.observe(confidence)

    def add_collector(self, collector: Any) -> None:
        """A collector whose figures come from shared state (the database), not this process:
        exposed as is, also in multiprocess mode (where the process's own metrics are summed)."""
        self.registry.register(collector)
        self._shared.append(collector)

    def render(self) -> bytes:
        """The exposition text: summed over all worker processes in multiprocess mode."""
        if multiprocess_dir() is not None:
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            for collector in self._shared:
                registry.register(collector)
            return generate_latest(registry)
        return generate_latest(self.registry)
