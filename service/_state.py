"""The loaded model, held by one reference that a reload swaps atomically.

A request reads ``holder.classifier`` once and keeps that object for its whole classification,
so a reload never changes the model under a request in flight; the old object is freed when the
last such request ends.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from pathlib import Path

import anyio
import anyio.to_thread

import model
from model._fast_re2 import NATIVE_RE2
from model.classifier import Classifier, ModelLoadError
from service._metrics import Metrics
from service._warmup import Warmup, warm_up
from service.settings import Settings

log = logging.getLogger("autoheal.service")


class ModelHolder:
    """Load, hold and reload the classifier named by the settings."""

    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self.settings = settings
        self.metrics = metrics
        self.classifier: Classifier | None = None
        self.last_error: str | None = None
        self._lock = anyio.Lock()
        self._signal_seen: float | None = None

    def _load_blocking(self) -> tuple[Classifier, Warmup]:
        """Load the model, then warm it up (a failed warm-up is logged, never raised): a worker
        starts serving, and a reload swaps, only once the new model answers at full speed."""
        fresh = Classifier.load(self.settings.model_uri, threshold=self.settings.threshold)
        return fresh, warm_up(fresh, self.settings.warmup_logs)

    async def load(self) -> Classifier:
        """Load the configured model off the event loop and make it the current one.

        Raises :class:`ModelLoadError` and keeps the previous model when loading fails.
        """
        async with self._lock:
            started = time.perf_counter()
            try:
                fresh, warmup = await anyio.to_thread.run_sync(self._load_blocking)
            except ModelLoadError as exc:
                self.metrics.model_loads.labels("failed").inc()
                self.last_error = str(exc)
                log.error(
                    "model load failed",
                    extra={"model_uri": self.settings.model_uri, "error": str(exc)},
                )
                raise
            except Exception as exc:  # any other failure of a foreign file is a load failure too
                self.metrics.model_loads.labels("failed").inc()
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("model load failed", extra={"model_uri": self.settings.model_uri})
                raise ModelLoadError(self.last_error) from exc
            self.classifier = fresh  # the swap: one reference assignment
            self.metrics.model_loads.labels("ok").inc()
            self.last_error = None
            log.info(
                "model loaded",
                extra={
                    "model_uri": self.settings.model_uri,
                    "model_version": fresh.model_version,
                    "seconds": round(time.perf_counter() - started, 3),
                    # Generated logs classified before the model was made current.
                    "warmup": warmup.as_log_field(),
                    # Whether the log scanner runs compiled, or from source and why.
                    "scanner": model.COMPILED_SCANNER,
                    # Whether its searches call the system's RE2 directly or go via google-re2.
                    "re2": "system" if NATIVE_RE2 else "google-re2",
                },
            )
            return fresh

    # -- telling sibling worker processes -------------------------------------------------------
    def _signal_mtime(self) -> float | None:
        path = self.settings.reload_signal_file
        if path is None:
            return None
        try:
            return os.stat(path).st_mtime_ns / 1e9
        except OSError:
            return None

    def remember_signal(self) -> None:
        self._signal_seen = self._signal_mtime()

    def announce_reload(self) -> None:
        """Touch the signal file so that the other workers reload; no-op when not configured."""
        path: Path | None = self.settings.reload_signal_file
        if path is None:
            return
        try:
            path.write_text(f"{time.time()}\n", encoding="utf-8")
        except OSError as exc:
            log.warning("cannot write the reload signal file", extra={"error": str(exc)})
        self.remember_signal()

    async def watch_signal(self) -> None:
        """Reload whenever another worker announces a reload (runs for the app's lifetime)."""
        self.remember_signal()
        while True:
            await anyio.sleep(self.settings.reload_poll_seconds)
            seen = self._signal_mtime()
            if seen is None or seen == self._signal_seen:
                continue
            self._signal_seen = seen
            with contextlib.suppress(ModelLoadError):  # logged; the previous model stays
                await self.load()
