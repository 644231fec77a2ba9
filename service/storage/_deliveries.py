"""Webhook deliveries: each ``X-GitHub-Delivery`` id is recorded once, so a redelivery is
recognised (the primary key refuses it) even when it reaches another service process."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update

from service.storage._jobs import enqueue
from service.storage._models import Job, WebhookDelivery, utcnow
from service.storage._session import Store, in_session, upsert_insert
from service.storage._validate import check_columns, check_json, check_text, column_length


@dataclass(frozen=True)
class DeliveryResult:
    """What :func:`record_delivery_and_enqueue` did."""

    recorded: bool
    """False: this delivery id was already recorded (a redelivery); nothing was written."""
    job_id: int | None
    """The queued job, or None for a redelivery or a job whose ``dedupe_key`` already exists."""


def record_delivery(
    db: Store,
    delivery_id: str,
    event: str,
    action: str | None,
    repository: str | None,
    *,
    job_id: int | None = None,
    outcome: str = "accepted",
    received_at: dt.datetime | None = None,
) -> bool:
    """Record one delivery; False when its id was already recorded (a redelivery)."""
    values = check_columns(
        WebhookDelivery,
        {
            "delivery_id": delivery_id,
            "event": event,
            "action": action,
            "repository": repository,
            "job_id": job_id,
            "outcome": outcome,
            "received_at": received_at or utcnow(),
        },
    )
    with in_session(db) as session:
        statement = (
            upsert_insert(session, WebhookDelivery)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["delivery_id"])
            .returning(WebhookDelivery.delivery_id)
        )
        return session.execute(statement).scalar_one_or_none() is not None


def record_delivery_and_enqueue(
    db: Store,
    delivery_id: str,
    event: str,
    action: str | None,
    repository: str | None,
    kind: str,
    payload: dict[str, object] | None,
    *,
    dedupe_key: str | None = None,
    max_attempts: int = 5,
    run_after: dt.datetime | None = None,
) -> DeliveryResult:
    """Record the delivery and queue its job in one transaction: both are stored or neither.

    A redelivery queues nothing. A new delivery whose job already exists (same ``dedupe_key``,
    e.g. the same run announced twice under different delivery ids) is recorded with outcome
    ``duplicate``.
    """
    # Check the job before writing anything, so bad input cannot leave a half-done delivery.
    check_text(kind, "job kind", column_length(Job, "kind"), nullable=False)
    check_json(payload, "job payload")
    with in_session(db) as session:
        if not record_delivery(session, delivery_id, event, action, repository):
            return DeliveryResult(recorded=False, job_id=None)
        job_id = enqueue(
            session,
            kind,
            payload,
            dedupe_key=dedupe_key,
            max_attempts=max_attempts,
            run_after=run_after,
        )
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.delivery_id == delivery_id)
            .values(job_id=job_id, outcome="accepted" if job_id is not None else "duplicate")
            .execution_options(synchronize_session=False)
        )
        return DeliveryResult(recorded=True, job_id=job_id)


def get_delivery(db: Store, delivery_id: str) -> WebhookDelivery | None:
    with in_session(db) as session:
        return session.scalars(
            select(WebhookDelivery).where(WebhookDelivery.delivery_id == delivery_id)
        ).one_or_none()
