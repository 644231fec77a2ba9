"""Retention on SQLite and PostgreSQL: old deliveries and done jobs go, everything else stays."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from sqlalchemy import update

from service.storage import (
    Database,
    InvalidInput,
    Job,
    WebhookDelivery,
    claim,
    complete,
    enqueue,
    fail,
    get_delivery,
    get_job,
    list_jobs,
    prune,
    record_delivery_and_enqueue,
    utcnow,
)

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
OLD = NOW - dt.timedelta(days=40)
RECENT = NOW - dt.timedelta(days=3)


def _age(db: Database, job_id: int, delivery_id: str | None, when: dt.datetime) -> None:
    with db.session() as session:
        session.execute(update(Job).where(Job.id == job_id).values(updated_at=when))
        if delivery_id is not None:
            session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.delivery_id == delivery_id)
                .values(received_at=when)
            )


def _done_job(db: Database, key: str, delivery_id: str | None = None) -> int:
    if delivery_id is None:
        job_id = enqueue(db, "heal", {"repository": "o/r", "key": key}, dedupe_key=key)
    else:
        result = record_delivery_and_enqueue(
            db,
            delivery_id,
            "workflow_run",
            "completed",
            "o/r",
            "heal",
            {"key": key},
            dedupe_key=key,
        )
        job_id = result.job_id
    assert job_id is not None
    job = claim(db, "w")
    assert job is not None and job.id == job_id
    assert complete(db, job_id, "w")
    return job_id


def test_prune_deletes_only_old_deliveries_and_old_done_jobs(storage_db: Database) -> None:
    old_done = _done_job(storage_db, "old-done", "d-old")
    _age(storage_db, old_done, "d-old", OLD)
    recent_done = _done_job(storage_db, "recent-done", "d-recent")
    _age(storage_db, recent_done, "d-recent", RECENT)
    old_dead = enqueue(storage_db, "heal", {"key": "dead"}, dedupe_key="dead", max_attempts=1)
    assert old_dead is not None
    assert claim(storage_db, "w") is not None
    assert fail(storage_db, old_dead, "w", "boom") == "dead"
    _age(storage_db, old_dead, None, OLD)
    old_queued = enqueue(storage_db, "heal", {"key": "queued"}, dedupe_key="queued")
    assert old_queued is not None
    _age(storage_db, old_queued, None, OLD)

    pruned = prune(storage_db, dt.timedelta(days=30), now=NOW)

    assert (pruned.deliveries, pruned.jobs) == (1, 1)
    assert get_job(storage_db, old_done) is None
    assert get_delivery(storage_db, "d-old") is None
    assert get_job(storage_db, recent_done) is not None
    assert get_delivery(storage_db, "d-recent") is not None
    dead, queued = get_job(storage_db, old_dead), get_job(storage_db, old_queued)
    assert dead is not None and dead.status == "dead"
    assert queued is not None and queued.status == "queued"
    assert prune(storage_db, dt.timedelta(days=30), now=NOW) == type(pruned)(0, 0)


def test_a_done_job_whose_delivery_is_recent_is_kept(storage_db: Database) -> None:
    job_id = _done_job(storage_db, "k", "d-1")
    _age(storage_db, job_id, None, OLD)  # the job is old, its delivery is not
    assert prune(storage_db, dt.timedelta(days=30), now=NOW).jobs == 0
    assert get_job(storage_db, job_id) is not None


def test_prune_refuses_a_window_shorter_than_redeliveries(storage_db: Database) -> None:
    _done_job(storage_db, "k")
    with pytest.raises(InvalidInput, match="at least"):
        prune(storage_db, dt.timedelta(hours=2))
    assert len(list_jobs(storage_db)) == 1


def test_the_cli_dry_run_counts_and_deletes_nothing(storage_db: Database) -> None:
    job_id = _done_job(storage_db, "k", "d-1")
    _age(storage_db, job_id, "d-1", utcnow() - dt.timedelta(days=90))
    url = storage_db.engine.url.render_as_string(hide_password=False)
    command = [sys.executable, "-m", "autoheal.cli", "jobs", "prune", "--days", "30"]
    dry = subprocess.run(
        [*command, "--dry-run", "--database-url", url], capture_output=True, text=True, check=False
    )
    assert dry.returncode == 0, dry.stderr
    assert "would delete 1 webhook deliveries and 1 done jobs" in dry.stdout
    assert get_job(storage_db, job_id) is not None
    real = subprocess.run(
        [*command, "--database-url", url], capture_output=True, text=True, check=False
    )
    assert real.returncode == 0, real.stderr
    assert "deleted 1 webhook deliveries and 1 done jobs" in real.stdout
    assert get_job(storage_db, job_id) is None
