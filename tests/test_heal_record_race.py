"""Two processes recording the first sightings of one failure at the same moment count both."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import delete

from service._heal_job import record_outcome
from service.remediation._heal import Outcome
from service.storage import Database, Event, Failure, list_failures

REPO = "octo-org/shop"
FP = "feedfacecafebeef"


def _outcome() -> Outcome:
    return Outcome(fingerprint=FP, category="test_failure", confidence=0.9, jobs=("test",))


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    """PostgreSQL only: SQLite serialises writers, so the two sessions could not overlap."""
    database = Database(pg_url)
    with database.session() as session:
        session.execute(delete(Failure).where(Failure.fingerprint == FP))
        session.execute(delete(Event).where(Event.fingerprint == FP))
    try:
        yield database
    finally:
        database.dispose()


def test_concurrent_first_sightings_are_both_counted(pg_db: Database) -> None:
    storage_db = pg_db
    first_wrote = threading.Event()
    second_started = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with storage_db.session() as session:
                # The row does not exist yet: this insert holds it until the commit.
                record_outcome(
                    session, REPO, {"run_id": 1}, _outcome(), copilot=False, paused=False
                )
                first_wrote.set()
                second_started.wait(10)
                # Give the second session time to reach the insert and wait on this row.
                threading.Event().wait(0.5)
        except BaseException as exc:  # reported below
            errors.append(exc)

    def second() -> None:
        try:
            first_wrote.wait(10)
            with storage_db.session() as session:
                second_started.set()
                # Looks before the first commits: finds no row, then meets it on insert.
                record_outcome(
                    session, REPO, {"run_id": 2}, _outcome(), copilot=False, paused=False
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    # The shared database may hold other tests' failures: only this fingerprint matters.
    (failure,) = [f for f in list_failures(storage_db, repository=REPO) if f.fingerprint == FP]
    assert failure.occurrences == 2
    assert failure.last_run_id in (1, 2)


def test_recording_the_same_run_twice_counts_it_once(storage_db: Database) -> None:
    for _ in range(2):
        with storage_db.session() as session:
            record_outcome(session, REPO, {"run_id": 7}, _outcome(), copilot=False, paused=False)
    with storage_db.session() as session:
        record_outcome(session, REPO, {"run_id": 8}, _outcome(), copilot=False, paused=False)
    (failure,) = list_failures(storage_db, repository=REPO)
    assert failure.occurrences == 2
