"""The database audit trail, circuit breaker and pause switch, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from service.remediation import AuditEntry, AuditSink, CircuitBreaker
from service.storage import (
    Database,
    DatabaseAuditSink,
    DatabaseCircuitBreaker,
    InvalidInput,
    is_paused,
    list_repository_states,
    pause_repository,
    resume_repository,
)
from tests.storage_concurrency import run_together

REPO = "octo/widgets"


def test_the_audit_sink_stores_every_entry(storage_db: Database) -> None:
    sink: AuditSink = DatabaseAuditSink(storage_db)
    sink.record(AuditEntry("create_issue", REPO, 42, "done", "fp1", "issue#7", {"labels": ["a"]}))
    sink.record(
        AuditEntry(
            "comment", REPO, 43, "failed", target="x" * 400, detail={"odd": {1, 2}},
            at="2026-01-02T03:04:05+00:00",
        )
    )  # fmt: skip
    assert isinstance(sink, DatabaseAuditSink)
    newest, oldest = sink.entries(REPO)
    assert (oldest.action, oldest.target) == ("create_issue", "issue#7")
    assert oldest.detail == {"labels": ["a"], "run_id": 42, "outcome": "done", "fingerprint": "fp1"}
    # A value JSON cannot hold is kept as text; an over-long target is shortened, not lost.
    assert newest.detail["odd"] == str({1, 2}) and newest.detail["outcome"] == "failed"
    assert newest.target is not None and len(newest.target) == 255
    assert newest.at.isoformat() == "2026-01-02T03:04:05+00:00"
    assert sink.entries("other/repo") == []


def test_the_breaker_stops_at_its_limit_per_repository(storage_db: Database) -> None:
    clock = [1_000_000.0]
    breaker: CircuitBreaker = DatabaseCircuitBreaker(
        storage_db, max_per_hour=3, clock=lambda: clock[0]
    )
    assert [breaker.acquire(REPO) for _ in range(4)] == [True, True, True, False]
    assert breaker.allows(REPO) is False
    assert breaker.allows("other/repo") is True and breaker.acquire("other/repo") is True
    clock[0] += 3599
    assert breaker.acquire(REPO) is False
    clock[0] += 2  # the first three openings left the window
    assert breaker.allows(REPO) is True
    assert [breaker.acquire(REPO) for _ in range(4)] == [True, True, True, False]


def test_the_breaker_counts_atomically_across_sessions(storage_db: Database) -> None:
    url = storage_db.url.render_as_string(hide_password=False)

    def open_issues(_: int) -> list[bool]:
        db = Database(url)  # its own engine and connections, like another process
        try:
            breaker = DatabaseCircuitBreaker(db, max_per_hour=5)
            return [breaker.acquire(REPO) for _ in range(4)]
        finally:
            db.dispose()

    granted = [ok for results in run_together(4, open_issues) for ok in results]
    assert granted.count(True) == 5
    assert DatabaseCircuitBreaker(storage_db, max_per_hour=5).count(REPO) == 5


def test_a_zero_limit_refuses_everything(storage_db: Database) -> None:
    breaker = DatabaseCircuitBreaker(storage_db, max_per_hour=0)
    assert breaker.allows(REPO) is False and breaker.acquire(REPO) is False
    with pytest.raises(ValueError):
        DatabaseCircuitBreaker(storage_db, max_per_hour=-1)


def test_pause_and_resume_a_repository(storage_db: Database) -> None:
    assert is_paused(storage_db, REPO) is False
    assert resume_repository(storage_db, REPO) is False
    assert pause_repository(storage_db, REPO, "issue creation rate 8x its baseline") is True
    assert pause_repository(storage_db, REPO, "a second alert") is False
    assert is_paused(storage_db, REPO) is True and is_paused(storage_db, "other/repo") is False
    (state,) = list_repository_states(storage_db)
    assert state.pause_reason == "issue creation rate 8x its baseline"
    assert resume_repository(storage_db, REPO) is True
    assert is_paused(storage_db, REPO) is False
    (state,) = list_repository_states(storage_db)
    assert state.paused_at is None and state.resumed_at is not None
    assert pause_repository(storage_db, REPO, "again") is True
    assert is_paused(storage_db, REPO) is True
    with pytest.raises(InvalidInput, match="at most 200"):
        pause_repository(storage_db, "r" * 201, "too long")
    assert len(list_repository_states(storage_db)) == 1
