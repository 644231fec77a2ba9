"""Alerts in the service: evaluated from the database, queued as durable ``alert`` jobs.

Queuing uses the job's dedupe key (``alert:<key>``), so however many service processes evaluate
the rules at once, one job exists per alert; the worker runs it with :func:`run_alert_job`,
which retries with back-off until every step (pause, webhook, issue) is done. The alert's
progress is an ``alert`` event, which also keeps the alert in the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from sqlalchemy import select

from service._alert_actions import (
    AlertDelivery,
    GatewayFactory,
    deliver_alert,
    github_gateway_factory,
)
from service._alert_rules import Alert, AlertConfig, evaluate_rules
from service._github_auth import github_token_for, uses_github_app
from service._stats import is_paused_state, load_failures, load_issue_times
from service.outcomes import as_utc
from service.settings import Settings
from service.storage import (
    Database,
    Event,
    RepositoryState,
    enqueue,
    pause_repository,
    record_event,
)

ALERT_JOB: Final = "alert"
ALERT_EVENT: Final = "alert"


class DatabaseAlertLedger:
    """Alert progress in ``alert`` events; the pause switch in ``repositories``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _find(self, key: str) -> Event | None:
        with self.db.session() as session:
            query = select(Event).where(Event.kind == ALERT_EVENT).order_by(Event.id.desc())
            for event in session.scalars(query.limit(1000)):
                if (event.data or {}).get("key") == key:
                    return event
        return None

    def progress(self, key: str) -> dict[str, Any]:
        found = self._find(key)
        return dict(found.data or {}) if found is not None else {}

    def save(self, alert: Alert, progress: Mapping[str, Any]) -> None:
        data = {**alert.to_payload(), **progress}
        found = self._find(alert.key)
        if found is None:
            record_event(self.db, alert.repository, ALERT_EVENT, data=data)
            return
        with self.db.session() as session:
            event = session.get(Event, found.id)
            if event is not None:
                event.data = data

    def pause(self, repository: str, reason: str) -> None:
        pause_repository(self.db, repository, reason)


def evaluate_alerts(
    db: Database,
    *,
    threshold: float,
    now: dt.datetime | None = None,
    config: AlertConfig | None = None,
) -> list[Alert]:
    """The alerts firing now, from the failures, ``issue_opened`` events and pause states."""
    now = as_utc(now) if now is not None else dt.datetime.now(dt.UTC)
    config = config or AlertConfig()
    horizon = max(config.quality_window, dt.timedelta(days=config.baseline_days + 1))
    with db.session() as session:
        facts = load_failures(session, now - horizon)
        issue_times = load_issue_times(session, now - horizon)
        states = list(session.scalars(select(RepositoryState)))
    paused = [state.repository for state in states if is_paused_state(state)]
    resumed = {
        state.repository: as_utc(state.resumed_at)
        for state in states
        if state.resumed_at is not None
    }
    return evaluate_rules(
        facts,
        issue_times,
        now=now,
        threshold=threshold,
        config=config,
        paused=paused,
        resumed=resumed,
    )


def queue_alerts(db: Database, alerts: list[Alert], *, max_attempts: int = 8) -> list[Alert]:
    """Queue one ``alert`` job per alert not queued before; the newly queued ones."""
    queued = []
    for alert in alerts:
        job_id = enqueue(
            db,
            ALERT_JOB,
            alert.to_payload(),
            dedupe_key=f"alert:{alert.key}",
            max_attempts=max_attempts,
        )
        if job_id is not None:
            queued.append(alert)
    return queued


def check_alerts(
    db: Database, settings: Settings, *, now: dt.datetime | None = None
) -> list[Alert]:
    """Evaluate the rules and queue new alerts (for the worker to call now and then)."""
    return queue_alerts(db, evaluate_alerts(db, threshold=settings.threshold, now=now))


def gateway_factory_from(settings: Settings) -> GatewayFactory | None:
    if uses_github_app(settings):
        return github_gateway_factory(
            lambda repository: github_token_for(settings, repository) or "",
            settings.github_api_url,
        )
    token = settings.token("github")
    if token is None:
        return None
    return github_gateway_factory(token, settings.github_api_url)


def run_alert_job(
    db: Database,
    settings: Settings,
    payload: Mapping[str, Any],
    *,
    gateway_for: GatewayFactory | None = None,
) -> AlertDelivery:
    """The ``alert`` job: deliver (or finish delivering) one alert. Raises
    :class:`~service._alert_actions.AlertDeliveryError` when a step failed, so it is retried."""
    return deliver_alert(
        Alert.from_payload(payload),
        DatabaseAlertLedger(db),
        webhook_url=settings.alert_webhook_url,
        gateway_for=gateway_for if gateway_for is not None else gateway_factory_from(settings),
    )
