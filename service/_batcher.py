"""Micro-batching of predictions: concurrent requests share one ``predict_proba`` call.

Most of a prediction's cost is per call, not per row (scikit-learn's input checks, the feature
union, the sparse products): 8 rows cost about 2.2x less each than 8 separate calls. One thread
takes whatever requests are waiting when it becomes free (it never waits to fill a batch, so an
idle service answers as fast as without batching) and predicts them together. Each request keeps
the classifier it started with: rows are grouped by classifier object and threshold.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Final

from model import Region
from model.classifier import Classifier, Prediction

log = logging.getLogger("autoheal.service")

DEFAULT_MAX_BATCH: Final = 32


@dataclass
class _Job:
    classifier: Classifier
    region: Region
    threshold: float | None
    future: Future[Prediction] = field(default_factory=Future)


class PredictionBatcher:
    """A single predicting thread fed by a queue; :meth:`submit` is safe from any thread."""

    def __init__(self, max_batch: int = DEFAULT_MAX_BATCH) -> None:
        self.max_batch = max_batch
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(
        self, classifier: Classifier, region: Region, threshold: float | None
    ) -> Future[Prediction]:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="autoheal-predict", daemon=True
                )
                self._thread.start()
        job = _Job(classifier, region, threshold)
        self._jobs.put(job)
        return job.future

    def close(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._jobs.put(None)
            thread.join(timeout=10)

    def _run(self) -> None:
        import sklearn

        # Thread-local: the fitted model's inputs are built by us, so the per-call parameter and
        # finiteness checks only cost time (about 15% of a single-row call).
        sklearn.set_config(assume_finite=True, skip_parameter_validation=True)
        while True:
            first = self._jobs.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    self._predict(batch)
                    return
                batch.append(job)
            self._predict(batch)

    @staticmethod
    def _predict(batch: list[_Job]) -> None:
        groups: dict[tuple[int, float | None], list[_Job]] = {}
        for job in batch:
            groups.setdefault((id(job.classifier), job.threshold), []).append(job)
        for jobs in groups.values():
            try:
                predictions = jobs[0].classifier.predict_regions(
                    [job.region for job in jobs], threshold=jobs[0].threshold
                )
            except Exception as exc:  # hand the failure to the requests, keep the thread alive
                log.exception("prediction failed")
                for job in jobs:
                    job.future.set_exception(exc)
                continue
            for job, prediction in zip(jobs, predictions, strict=True):
                job.future.set_result(prediction)
