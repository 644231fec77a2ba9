"""The service's job kinds and their handlers, and the worker each service process runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from service._database_handle import DatabaseHandle
from service._feedback_job import FEEDBACK_JOB, FeedbackJob
from service._fix_loop import FixLoopJob
from service._heal_job import HealJob, HeldModelClassifier
from service._outcome_job import outcome_job
from service.settings import Settings
from service.storage import Database
from service.storage._models import Job
from service.worker import Finisher, Handler, Periodic, Worker


def _alert_handlers(settings: Settings) -> tuple[dict[str, Handler], tuple[Periodic, ...]]:
    """Alert jobs and the periodic rule check (:mod:`service._alert_jobs`)."""
    from service._alert_jobs import ALERT_JOB, check_alerts, run_alert_job

    def alert(db: Database, job: Job) -> Finisher | None:
        run_alert_job(db, settings, job.payload)
        return None

    def check(db: Database) -> object:
        return check_alerts(db, settings)

    return {ALERT_JOB: alert}, ((settings.alert_check_seconds, check),)


def job_handlers(
    settings: Settings, current_model: Callable[[], Any]
) -> tuple[dict[str, Handler], tuple[Periodic, ...]]:
    """Handlers by job kind (``heal``, ``fix_loop``, ``outcome``, ``feedback``, ``alert``) and
    the periodic tasks. ``current_model`` returns the service's loaded classifier (or None)."""
    classifier = HeldModelClassifier(current_model, settings.threshold)
    handlers: dict[str, Handler] = {
        "heal": HealJob(settings, classifier),
        "fix_loop": FixLoopJob(settings, classifier),
        "outcome": outcome_job,
        FEEDBACK_JOB: FeedbackJob(settings),
    }
    alert_handlers, periodic = _alert_handlers(settings)
    handlers.update(alert_handlers)
    return handlers, periodic


def make_worker(
    settings: Settings, database: DatabaseHandle, current_model: Callable[[], Any]
) -> Worker:
    handlers, periodic = job_handlers(settings, current_model)
    return Worker(
        database,
        handlers,
        poll_seconds=settings.worker_poll_seconds,
        lease_seconds=settings.worker_lease_seconds,
        periodic=periodic,
    )
