"""Webhook deliveries, failures and events on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from service.storage import (
    Database,
    Failure,
    InvalidInput,
    Job,
    WebhookDelivery,
    enqueue,
    find_failure,
    find_failure_by_branch,
    find_failure_by_issue,
    find_failure_by_pr,
    get_delivery,
    list_events,
    list_failures,
    list_jobs,
    record_delivery,
    record_delivery_and_enqueue,
    record_event,
    upsert_failure,
    utcnow,
)
from tests.storage_concurrency import run_together

REPO = "octo/widgets"


def _count(db: Database, model: type[Job] | type[WebhookDelivery] | type[Failure]) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_redelivered_webhook_id_is_refused(storage_db: Database) -> None:
    assert record_delivery(storage_db, "d-1", "workflow_run", "completed", REPO) is True
    assert record_delivery(storage_db, "d-1", "workflow_run", "completed", REPO) is False
    assert record_delivery(storage_db, "d-2", "ping", None, None, outcome="ignored") is True
    stored = get_delivery(storage_db, "d-2")
    assert stored is not None and (stored.outcome, stored.repository) == ("ignored", None)
    assert stored.received_at.tzinfo is not None
    assert _count(storage_db, WebhookDelivery) == 2


def test_concurrent_redeliveries_are_accepted_once(storage_db: Database) -> None:
    url = storage_db.url.render_as_string(hide_password=False)

    def deliver(_: int) -> bool:
        db = Database(url)
        try:
            result = record_delivery_and_enqueue(
                db, "d-race", "workflow_run", "completed", REPO, "heal", {"run_id": 9}
            )
            return result.recorded
        finally:
            db.dispose()

    assert sorted(run_together(4, deliver)) == [False, False, False, True]
    assert _count(storage_db, Job) == 1


def test_delivery_and_its_job_are_stored_together(storage_db: Database) -> None:
    result = record_delivery_and_enqueue(
        storage_db, "d-1", "workflow_run", "completed", REPO, "heal", {"run_id": 7},
        dedupe_key="heal:octo/widgets:7:1",
    )  # fmt: skip
    assert result.recorded and result.job_id is not None
    delivery = get_delivery(storage_db, "d-1")
    assert delivery is not None and (delivery.job_id, delivery.outcome) == (
        result.job_id,
        "accepted",
    )
    replay = record_delivery_and_enqueue(
        storage_db, "d-1", "workflow_run", "completed", REPO, "heal", {"run_id": 7}
    )
    assert (replay.recorded, replay.job_id) == (False, None)
    # Another delivery announcing the same run: recorded, but no second job.
    twin = record_delivery_and_enqueue(
        storage_db, "d-2", "workflow_run", "completed", REPO, "heal", {"run_id": 7},
        dedupe_key="heal:octo/widgets:7:1",
    )  # fmt: skip
    assert (twin.recorded, twin.job_id) == (True, None)
    twin_row = get_delivery(storage_db, "d-2")
    assert twin_row is not None and twin_row.outcome == "duplicate"
    assert _count(storage_db, Job) == 1


def test_a_failed_enqueue_leaves_no_delivery(
    storage_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_enqueue(*args: object, **kwargs: object) -> int:
        raise RuntimeError("the job table is unavailable")

    monkeypatch.setattr("service.storage._deliveries.enqueue", broken_enqueue)
    with pytest.raises(RuntimeError):
        record_delivery_and_enqueue(
            storage_db, "d-1", "workflow_run", "completed", REPO, "heal", {}
        )
    assert get_delivery(storage_db, "d-1") is None
    monkeypatch.undo()
    # The webhook's redelivery then succeeds as a first delivery.
    retried = record_delivery_and_enqueue(
        storage_db, "d-1", "workflow_run", "completed", REPO, "heal", {}
    )
    assert retried.recorded and retried.job_id is not None


def test_steps_in_one_session_commit_or_roll_back_together(storage_db: Database) -> None:
    with pytest.raises(RuntimeError), storage_db.session() as session:
        assert record_delivery(session, "d-1", "workflow_run", "completed", REPO)
        assert enqueue(session, "heal", {"run_id": 1}) is not None
        raise RuntimeError("the answer could not be sent")
    assert (_count(storage_db, WebhookDelivery), _count(storage_db, Job)) == (0, 0)
    with storage_db.session() as session:
        record_delivery(session, "d-1", "workflow_run", "completed", REPO)
        enqueue(session, "heal", {"run_id": 1})
    assert (_count(storage_db, WebhookDelivery), _count(storage_db, Job)) == (1, 1)


def test_bad_delivery_input_is_refused(storage_db: Database) -> None:
    assert record_delivery(storage_db, "d-ok", "push", None, REPO)
    with pytest.raises(InvalidInput, match="at most 100"):
        record_delivery(storage_db, "d" * 101, "push", None, REPO)
    with pytest.raises(InvalidInput, match="NUL"):
        record_delivery(storage_db, "d-nul", "push\x00", None, REPO)
    with pytest.raises(InvalidInput, match="not JSON-serialisable"):
        record_delivery_and_enqueue(
            storage_db, "d-new", "workflow_run", "completed", REPO, "heal", {"x": {1, 2}}
        )
    assert get_delivery(storage_db, "d-new") is None
    assert _count(storage_db, WebhookDelivery) == 1 and _count(storage_db, Job) == 0


def test_upsert_creates_then_updates_one_failure(storage_db: Database) -> None:
    created = upsert_failure(
        storage_db, REPO, "fp1", category="test_failure", confidence=0.91,
        workflow="CI", last_run_id=12_345_678_901,
    )  # fmt: skip
    assert (created.occurrences, created.last_run_id) == (1, 12_345_678_901)
    assert created.first_seen.tzinfo is not None
    seen = upsert_failure(
        storage_db, REPO, "fp1", seen=True, category="test_failure", confidence=0.95
    )
    assert (seen.id, seen.occurrences, seen.confidence) == (created.id, 2, 0.95)
    assert seen.first_seen == created.first_seen and seen.last_seen >= created.last_seen
    linked = upsert_failure(storage_db, REPO, "fp1", issue_number=12, pr_number=13,
                            branch="autofix/ci/test_failure/20260101000000")  # fmt: skip
    assert (linked.id, linked.occurrences, linked.issue_number) == (created.id, 2, 12)
    assert find_failure(storage_db, REPO, "fp1") is not None
    for found in (
        find_failure_by_issue(storage_db, REPO, 12),
        find_failure_by_pr(storage_db, REPO, 13),
        find_failure_by_branch(storage_db, REPO, "autofix/ci/test_failure/20260101000000"),
    ):
        assert found is not None and found.id == created.id
    assert find_failure_by_issue(storage_db, "other/repo", 12) is None
    assert find_failure(storage_db, REPO, "fp2") is None
    upsert_failure(storage_db, "other/repo", "fp1", category="network", confidence=0.5)
    assert len(list_failures(storage_db)) == 2
    assert [f.repository for f in list_failures(storage_db, repository=REPO)] == [REPO]


def test_concurrent_upserts_keep_one_row_per_fingerprint(storage_db: Database) -> None:
    url = storage_db.url.render_as_string(hide_password=False)

    def see(index: int) -> int:
        db = Database(url)
        try:
            row = upsert_failure(
                db, REPO, "same-fp", seen=True, category="network", confidence=0.8,
                last_run_id=1000 + index,
            )  # fmt: skip
            return row.id
        finally:
            db.dispose()

    ids = run_together(6, see)
    assert len(set(ids)) == 1
    failure = find_failure(storage_db, REPO, "same-fp")
    # The first insert counts 1; each of the other five adds one sighting.
    assert failure is not None and failure.occurrences == 6
    assert _count(storage_db, Failure) == 1


def test_the_unique_fingerprint_is_enforced_by_the_database(storage_db: Database) -> None:
    upsert_failure(storage_db, REPO, "fp", category="network", confidence=0.7, workflow="CI")
    with pytest.raises(IntegrityError), storage_db.session() as session:
        session.add(Failure(repository=REPO, fingerprint="fp", category="x", confidence=0.1))
    kept = find_failure(storage_db, REPO, "fp")
    assert kept is not None and (kept.category, kept.workflow) == ("network", "CI")


def test_bad_failure_input_is_refused_and_leaves_the_row_intact(storage_db: Database) -> None:
    upsert_failure(storage_db, REPO, "fp", category="network", confidence=0.7, branch="b1")
    with pytest.raises(InvalidInput, match="at most 255"):
        upsert_failure(storage_db, REPO, "fp", seen=True, branch="b" * 256)
    with pytest.raises(InvalidInput, match="no field 'colour'"):
        upsert_failure(storage_db, REPO, "fp", colour="red")
    with pytest.raises(InvalidInput, match="must be a number"):
        upsert_failure(storage_db, REPO, "fp", confidence="high")
    with pytest.raises(InvalidInput, match="cannot set"):
        upsert_failure(storage_db, REPO, "fp", id=99)
    with pytest.raises(InvalidInput, match="needs category and confidence"):
        upsert_failure(storage_db, REPO, "new-fp", issue_number=1)
    with pytest.raises(InvalidInput, match="at most 64"):
        upsert_failure(storage_db, REPO, "f" * 65, category="network", confidence=0.5)
    # A valid change and an invalid one in the same transaction: neither is kept.
    with pytest.raises(InvalidInput), storage_db.session() as session:
        upsert_failure(session, REPO, "fp", branch="b2")
        upsert_failure(session, REPO, "fp", issue_number=2**40)
    kept = find_failure(storage_db, REPO, "fp")
    assert kept is not None
    assert (kept.branch, kept.occurrences, kept.confidence, kept.issue_number) == (
        "b1",
        1,
        0.7,
        None,
    )
    assert _count(storage_db, Failure) == 1


def test_events_are_recorded_and_listed_in_time_order(storage_db: Database) -> None:
    start = utcnow()
    record_event(storage_db, REPO, "failure_seen", fingerprint="fp", category="network",
                 data={"run_id": 1}, at=start + dt.timedelta(minutes=2))  # fmt: skip
    record_event(storage_db, REPO, "issue_opened", fingerprint="fp", at=start)
    record_event(storage_db, "other/repo", "alert", data={"why": "rate"})
    events = list_events(storage_db, repository=REPO)
    assert [e.kind for e in events] == ["issue_opened", "failure_seen"]
    assert events[1].data == {"run_id": 1} and events[0].data == {}
    assert all(e.at.tzinfo is not None for e in events)
    assert [e.kind for e in list_events(storage_db, kinds=["alert"])] == ["alert"]
    later = list_events(storage_db, since=start + dt.timedelta(minutes=1))
    assert [e.kind for e in later] == ["failure_seen"]
    assert len(list_events(storage_db, until=start + dt.timedelta(minutes=1))) == 2
    with pytest.raises(InvalidInput, match="not JSON-serialisable"):
        record_event(storage_db, REPO, "pr_opened", data={"at": utcnow()})
    with pytest.raises(InvalidInput, match="at most 40"):
        record_event(storage_db, REPO, "k" * 41)
    assert len(list_events(storage_db)) == 3


def test_stored_times_come_back_as_aware_utc(storage_db: Database) -> None:
    paris = dt.timezone(dt.timedelta(hours=2))
    moment = dt.datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=paris)
    record_event(storage_db, REPO, "pr_merged", at=moment)
    (event,) = list_events(storage_db)
    assert event.at == moment and event.at.utcoffset() == dt.timedelta(0)
    assert list_jobs(storage_db) == []
