"""The job worker: a thread per service process that claims durable jobs and runs them.

Jobs live in the database (:mod:`service.storage`), never in memory. A worker claims one job at
a time under a lease and renews the lease from a heartbeat thread while the job runs; when a
process dies (even ``kill -9``) its lease runs out and any worker, in any process on any host,
takes the job over. A handler returns a *finisher* that writes the job's results; the finisher
and the job's completion commit in one transaction, so results are never recorded twice nor
lost. A handler that raises has its attempt recorded as failed: the job is retried after an
exponential back-off, and ends ``dead`` (visible, re-triable) after its last attempt.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Final

from sqlalchemy.orm import Session

from service._database_handle import DatabaseHandle, DatabaseUnavailable
from service.storage import Database, claim, complete, fail, heartbeat
from service.storage._models import Job

log = logging.getLogger("autoheal.worker")

Finisher = Callable[[Session], None]
"""Writes a job's results inside the transaction that completes the job."""
Handler = Callable[[Database, Job], Finisher | None]
Periodic = tuple[float, Callable[[Database], object]]
"""Every ``seconds``, call ``task(db)`` between jobs (each process does; tasks must be safe
when several processes run them)."""

MAX_ERROR_CHARS: Final = 2000


class JobFailed(Exception):
    """A handler's failure. ``finish`` records what the attempt did achieve; it commits with
    the failed attempt."""

    def __init__(self, message: str, finish: Finisher | None = None) -> None:
        super().__init__(message)
        self.finish = finish


class _LeaseLost(Exception):
    """Another worker holds the job now: this worker's results must not be written."""


def make_worker_id() -> str:
    """Unique per worker: host, process and a random part (pids repeat across restarts)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Worker:
    """Claims and runs jobs until stopped. ``run_once`` does one job (tests call it directly)."""

    def __init__(
        self,
        database: DatabaseHandle,
        handlers: Mapping[str, Handler],
        *,
        poll_seconds: float = 1.0,
        lease_seconds: float = 300.0,
        worker_id: str | None = None,
        periodic: tuple[Periodic, ...] = (),
    ) -> None:
        self.database = database
        self.handlers = dict(handlers)
        self.periodic = periodic
        self._next_due = [0.0 for _ in periodic]
        self.poll_seconds = poll_seconds
        self.lease_seconds = lease_seconds
        self.worker_id = worker_id or make_worker_id()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.current_job: int | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="autoheal-worker", daemon=True)
        self._thread.start()
        log.info("worker started", extra={"worker_id": self.worker_id})

    def stop(self, timeout: float = 30.0) -> bool:
        """Ask the loop to stop and wait up to ``timeout`` for the running job; True when the
        thread ended. A job still running keeps its lease until it expires, then another
        worker resumes it."""
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def wake(self) -> None:
        """Look for work now (a job was just queued by this process)."""
        self._wake.set()

    def _run_periodic(self) -> None:
        now = time.monotonic()
        for index, (seconds, task) in enumerate(self.periodic):
            if now < self._next_due[index]:
                continue
            self._next_due[index] = now + seconds
            try:
                task(self.database.get())
            except DatabaseUnavailable:
                return  # the handle logs each failed attempt to open the database
            except Exception:
                log.exception("periodic task failed", extra={"task": getattr(task, "__name__", "")})

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._run_periodic()
            try:
                did = self.run_once()
            except DatabaseUnavailable:
                did = False  # the handle logs each failed attempt to open the database
            except Exception:
                log.exception("worker loop error")
                did = False
            if not did:
                self._wake.wait(self.poll_seconds)
                self._wake.clear()

    # -- one job -----------------------------------------------------------------------------
    def run_once(self) -> bool:
        """Claim and run one job; False when none was runnable."""
        db = self.database.get()
        job = claim(db, self.worker_id, lease_seconds=self.lease_seconds, kinds=list(self.handlers))
        if job is None:
            return False
        self.current_job = job.id
        beating = threading.Event()
        beat = threading.Thread(
            target=self._heartbeat, args=(db, job.id, beating), name="autoheal-heartbeat",
            daemon=True,
        )  # fmt: skip
        beat.start()
        log.info("job started", extra={"job_id": job.id, "kind": job.kind, "attempt": job.attempts})
        try:
            self._run(db, job)
        finally:
            beating.set()
            beat.join()
            self.current_job = None
        return True

    def _heartbeat(self, db: Database, job_id: int, done: threading.Event) -> None:
        interval = max(self.lease_seconds / 3.0, 0.05)
        while not done.wait(interval):
            try:
                if not heartbeat(db, job_id, self.worker_id, self.lease_seconds):
                    log.warning("job lease lost", extra={"job_id": job_id})
                    return
            except Exception:
                log.exception("heartbeat failed", extra={"job_id": job_id})

    def _run(self, db: Database, job: Job) -> None:
        handler = self.handlers[job.kind]
        try:
            finish = handler(db, job)
        except Exception as exc:
            error = _describe(exc)
            partial = exc.finish if isinstance(exc, JobFailed) else None
            self._fail(db, job, error, partial)
            return
        try:
            with db.session() as session:
                if finish is not None:
                    finish(session)
                if not complete(session, job.id, self.worker_id):
                    raise _LeaseLost
        except _LeaseLost:
            log.warning("job taken over before it finished", extra={"job_id": job.id})
            return
        except Exception as exc:
            self._fail(db, job, f"recording the results failed: {_describe(exc)}", None)
            return
        log.info("job done", extra={"job_id": job.id, "kind": job.kind})

    def _fail(self, db: Database, job: Job, error: str, finish: Finisher | None) -> None:
        try:
            with db.session() as session:
                if finish is not None:
                    finish(session)
                outcome = fail(session, job.id, self.worker_id, error)
                if outcome == "lost":
                    raise _LeaseLost
        except _LeaseLost:
            log.warning("job taken over before it failed", extra={"job_id": job.id})
            return
        except Exception:
            if finish is None:
                log.exception("recording a failed attempt failed", extra={"job_id": job.id})
                return
            # The partial results could not be written: record the failure alone.
            self._fail(db, job, error, None)
            return
        level = logging.ERROR if outcome == "dead" else logging.WARNING
        log.log(
            level,
            "job failed",
            extra={"job_id": job.id, "kind": job.kind, "status": outcome, "error": error},
        )


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if not isinstance(exc, JobFailed):
        text = f"{type(exc).__name__}: {text}"
    return text[:MAX_ERROR_CHARS]
