"""Retention: forget finished jobs and old webhook deliveries, keep what the metrics need.

A service that heals many repositories receives thousands of deliveries a day; their rows are
only useful while GitHub might redeliver them (hours) and while someone might look at a job
(days). Failures, events, feedback and the audit trail are the history the reports and the
training data come from: they are never pruned here. Dead, queued and running jobs stay too:
they still need a person or a worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final, cast

from sqlalchemy import CursorResult, delete, select

from service.storage._errors import InvalidInput
from service.storage._models import Job, WebhookDelivery, utcnow
from service.storage._session import Store, in_session

MIN_RETENTION: Final = dt.timedelta(days=1)
"""GitHub redelivers within hours; a shorter window would let a redelivery queue work again."""


@dataclass(frozen=True)
class Pruned:
    deliveries: int
    jobs: int


def prune(db: Store, older_than: dt.timedelta, *, now: dt.datetime | None = None) -> Pruned:
    """Delete deliveries received, and done jobs finished, more than ``older_than`` ago."""
    if older_than < MIN_RETENTION:
        raise InvalidInput(f"retention must be at least {MIN_RETENTION.days} day")
    cutoff = (now or utcnow()) - older_than
    with in_session(db) as session:
        deliveries = cast(
            CursorResult[Any],
            session.execute(
                delete(WebhookDelivery)
                .where(WebhookDelivery.received_at < cutoff)
                .execution_options(synchronize_session=False)
            ),
        ).rowcount
        still_referenced = select(WebhookDelivery.job_id).where(WebhookDelivery.job_id.is_not(None))
        jobs = cast(
            CursorResult[Any],
            session.execute(
                delete(Job)
                .where(
                    Job.status == "done",
                    Job.updated_at < cutoff,
                    Job.id.not_in(still_referenced),
                )
                .execution_options(synchronize_session=False)
            ),
        ).rowcount
    return Pruned(deliveries=int(deliveries or 0), jobs=int(jobs or 0))
