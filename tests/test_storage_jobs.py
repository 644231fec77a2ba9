"""Durable jobs on SQLite and PostgreSQL: claims, leases, back-off, dead jobs and retries."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from service.storage import (
    Database,
    InvalidInput,
    backoff_seconds,
    claim,
    complete,
    enqueue,
    fail,
    get_job,
    heartbeat,
    job_counts,
    list_jobs,
    retry,
    utcnow,
)
from service.storage._jobs import LEASE_EXPIRED_ERROR
from tests.storage_concurrency import claim_all, run_in_processes, run_together


def test_enqueue_then_claim_returns_a_leased_running_job(storage_db: Database) -> None:
    job_id = enqueue(storage_db, "heal", {"repository": "o/r", "run_id": 12345678901})
    assert job_id is not None
    before = utcnow()
    job = claim(storage_db, "worker-a", lease_seconds=120)
    assert job is not None
    assert (job.id, job.status, job.attempts, job.locked_by) == (job_id, "running", 1, "worker-a")
    assert job.payload == {"repository": "o/r", "run_id": 12345678901}
    assert job.locked_until is not None and job.locked_until.tzinfo is not None
    assert before + dt.timedelta(seconds=119) <= job.locked_until
    assert claim(storage_db, "worker-b") is None  # the only job is leased


def test_dedupe_key_queues_the_same_work_once(storage_db: Database) -> None:
    first = enqueue(storage_db, "heal", {"n": 1}, dedupe_key="heal:o/r:7:1")
    again = enqueue(storage_db, "heal", {"n": 2}, dedupe_key="heal:o/r:7:1")
    other = enqueue(storage_db, "heal", {"n": 3}, dedupe_key="heal:o/r:7:2")
    assert first is not None and other is not None and first != other
    assert again is None
    assert [job.payload["n"] for job in list_jobs(storage_db)] == [3, 1]


def test_claims_take_the_oldest_due_job_first(storage_db: Database) -> None:
    now = utcnow()
    later = enqueue(storage_db, "heal", {}, run_after=now + dt.timedelta(hours=1))
    older = enqueue(storage_db, "heal", {}, run_after=now - dt.timedelta(minutes=5))
    newer = enqueue(storage_db, "outcome", {}, run_after=now - dt.timedelta(minutes=1))
    day = 86_400
    claimed = [claim(storage_db, "w", lease_seconds=day) for _ in range(2)]
    assert [job.id for job in claimed if job is not None] == [older, newer]
    assert claim(storage_db, "w") is None  # ``later`` is not due yet
    job = claim(storage_db, "w", now=now + dt.timedelta(hours=2))
    assert job is not None and job.id == later


def test_claim_can_be_limited_to_kinds(storage_db: Database) -> None:
    enqueue(storage_db, "heal", {})
    outcome = enqueue(storage_db, "outcome", {})
    job = claim(storage_db, "w", kinds=["outcome"])
    assert job is not None and job.id == outcome
    assert claim(storage_db, "w", kinds=["outcome"]) is None


def test_concurrent_threads_never_get_the_same_job(storage_db: Database) -> None:
    ids = {enqueue(storage_db, "heal", {"n": n}) for n in range(40)}
    url = storage_db.url.render_as_string(hide_password=False)
    claimed = run_together(4, lambda index: claim_all(url, f"thread-{index}"))
    flat = [job_id for got in claimed for job_id in got]
    assert len(flat) == len(set(flat)), "a job was handed to two workers"
    assert set(flat) == ids
    assert job_counts(storage_db)["done"] == 40


def test_concurrent_processes_never_get_the_same_job(storage_db: Database) -> None:
    ids = {enqueue(storage_db, "heal", {"n": n}) for n in range(60)}
    url = storage_db.url.render_as_string(hide_password=False)
    claimed = run_in_processes(claim_all, [(url, "process-a"), (url, "process-b")])
    flat = [job_id for got in claimed for job_id in got]
    assert len(flat) == len(set(flat)), "a job was handed to two processes"
    assert set(flat) == ids


def test_failures_back_off_then_die_and_retry_requeues(storage_db: Database) -> None:
    job_id = enqueue(storage_db, "heal", {}, max_attempts=3)
    assert job_id is not None
    now = utcnow()
    delays = []
    for attempt in (1, 2):
        job = claim(storage_db, "w", now=now)
        assert job is not None and job.id == job_id and job.attempts == attempt
        assert fail(storage_db, job_id, "w", f"boom {attempt}", now=now) == "queued"
        queued = get_job(storage_db, job_id)
        assert queued is not None and queued.status == "queued"
        assert queued.last_error == f"boom {attempt}" and queued.locked_by is None
        delay = (queued.run_after - now).total_seconds()
        delays.append(delay)
        assert claim(storage_db, "w", now=now) is None  # backing off
        now = queued.run_after + dt.timedelta(seconds=1)
    assert 15 <= delays[0] <= 30 and 30 <= delays[1] <= 60  # exponential, with jitter
    job = claim(storage_db, "w", now=now)
    assert job is not None and job.attempts == 3
    assert fail(storage_db, job_id, "w", "boom 3", now=now) == "dead"
    dead = get_job(storage_db, job_id)
    assert dead is not None and (dead.status, dead.last_error) == ("dead", "boom 3")
    assert claim(storage_db, "w", now=now + dt.timedelta(days=30)) is None
    assert [job.id for job in list_jobs(storage_db, status="dead")] == [job_id]

    assert retry(storage_db, job_id) is True
    assert retry(storage_db, job_id) is False  # only a dead job is re-queued
    again = claim(storage_db, "w")
    assert again is not None and again.id == job_id and again.attempts == 1
    assert complete(storage_db, job_id, "w") is True
    assert retry(storage_db, job_id) is False
    assert job_counts(storage_db) == {"queued": 0, "running": 0, "done": 1, "dead": 0}


def test_an_expired_lease_is_claimed_again(storage_db: Database) -> None:
    job_id = enqueue(storage_db, "heal", {})
    now = utcnow()
    first = claim(storage_db, "crashed", lease_seconds=60, now=now)
    assert first is not None and first.id == job_id
    assert claim(storage_db, "other", now=now + dt.timedelta(seconds=59)) is None
    second = claim(storage_db, "other", lease_seconds=60, now=now + dt.timedelta(seconds=61))
    assert second is not None and second.id == job_id
    assert (second.locked_by, second.attempts) == ("other", 2)
    # The first worker no longer holds it: nothing it reports changes the job.
    assert heartbeat(storage_db, job_id, "crashed", 60) is False
    assert complete(storage_db, job_id, "crashed") is False
    assert fail(storage_db, job_id, "crashed", "late") == "lost"
    assert heartbeat(storage_db, job_id, "other", 60) is True
    assert complete(storage_db, job_id, "other") is True
    done = get_job(storage_db, job_id)
    assert done is not None and done.status == "done" and done.last_error is None


def test_heartbeat_keeps_the_lease(storage_db: Database) -> None:
    job_id = enqueue(storage_db, "heal", {})
    now = utcnow()
    assert claim(storage_db, "w", lease_seconds=60, now=now) is not None
    assert heartbeat(storage_db, job_id, "w", 600, now=now + dt.timedelta(seconds=50)) is True  # type: ignore[arg-type]
    assert claim(storage_db, "thief", now=now + dt.timedelta(seconds=120)) is None


def test_a_job_abandoned_on_its_last_attempt_ends_dead(storage_db: Database) -> None:
    job_id = enqueue(storage_db, "heal", {}, max_attempts=1)
    now = utcnow()
    assert claim(storage_db, "dies", lease_seconds=30, now=now) is not None
    assert claim(storage_db, "next", now=now + dt.timedelta(minutes=5)) is None
    job = get_job(storage_db, job_id)  # type: ignore[arg-type]
    assert job is not None and (job.status, job.last_error) == ("dead", LEASE_EXPIRED_ERROR)


def test_bad_job_input_is_refused_and_changes_nothing(storage_db: Database) -> None:
    kept = enqueue(storage_db, "heal", {"keep": True}, dedupe_key="kept")
    with pytest.raises(InvalidInput, match="not JSON-serialisable"):
        enqueue(storage_db, "heal", {"when": object()})
    with pytest.raises(InvalidInput, match="not JSON-serialisable"):
        enqueue(storage_db, "heal", {"ratio": float("nan")})
    with pytest.raises(InvalidInput, match="must be a JSON object"):
        enqueue(storage_db, "heal", ["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="at most 200"):
        enqueue(storage_db, "heal", {}, dedupe_key="k" * 201)
    with pytest.raises(InvalidInput, match="at most 40"):
        enqueue(storage_db, "h" * 41, {})
    with pytest.raises(InvalidInput, match="max_attempts"):
        enqueue(storage_db, "heal", {}, max_attempts=0)
    with pytest.raises(InvalidInput, match="timezone-aware"):
        enqueue(storage_db, "heal", {}, run_after=dt.datetime(2030, 1, 1))
    with pytest.raises(InvalidInput, match="unknown job status"):
        list_jobs(storage_db, status="sleeping")
    jobs = list_jobs(storage_db)
    assert [(job.id, job.payload, job.dedupe_key) for job in jobs] == [
        (kept, {"keep": True}, "kept")
    ]


def test_a_long_or_binary_error_is_stored_bounded(storage_db: Database) -> None:
    job_id = enqueue(storage_db, "heal", {}, max_attempts=1)
    assert job_id is not None and claim(storage_db, "w") is not None
    assert fail(storage_db, job_id, "w", "x\x00y" + "e" * 20_000) == "dead"
    job = get_job(storage_db, job_id)
    assert job is not None and job.last_error is not None
    assert job.last_error.startswith("x\\0y") and len(job.last_error) <= 8000


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    rng = random.Random(3)
    for attempt, ceiling in [(1, 30.0), (2, 60.0), (3, 120.0), (8, 3600.0), (40, 3600.0)]:
        samples = [backoff_seconds(attempt, rng=rng) for _ in range(50)]
        assert all(ceiling / 2 <= s <= ceiling for s in samples)
        assert len(set(samples)) > 1  # jittered
