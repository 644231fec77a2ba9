"""The database handle: URLs, sessions and migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from service.storage import (
    Base,
    Database,
    InvalidInput,
    default_database_url,
    enqueue,
    list_jobs,
)
from tests.storage_concurrency import run_in_processes, upgrade_url


def test_default_url_is_sqlite_unless_the_environment_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AUTOHEAL_DATABASE_URL", raising=False)
    assert default_database_url() == "sqlite:///var/autoheal.db"
    monkeypatch.setenv("AUTOHEAL_DATABASE_URL", "postgresql://u@db.internal/autoheal")
    assert default_database_url() == "postgresql://u@db.internal/autoheal"


def test_urls_are_checked_and_postgresql_uses_psycopg(tmp_path: object) -> None:
    db = Database("postgresql://user:secret@db.internal:5432/autoheal")
    assert db.dialect == "postgresql" and db.url.drivername == "postgresql+psycopg"
    assert "secret" not in repr(db)
    assert Database("postgres://u@h/d").dialect == "postgresql"
    with pytest.raises(InvalidInput, match="unsupported database 'mysql'"):
        Database("mysql://u@h/d")
    with pytest.raises(InvalidInput, match="not a database URL"):
        Database("not a url")


def test_upgrade_creates_the_schema_and_is_idempotent(fresh_url: str) -> None:
    db = Database(fresh_url)
    try:
        assert db.current_revision() is None
        db.upgrade()
        revision = db.current_revision()
        assert revision is not None
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        job_id = enqueue(db, "heal", {"run_id": 1})
        db.upgrade()  # again: nothing changes, nothing is lost
        assert db.current_revision() == revision
        assert [job.id for job in list_jobs(db)] == [job_id]
    finally:
        db.dispose()


def test_two_processes_upgrading_at_once_both_succeed(fresh_url: str) -> None:
    revisions = run_in_processes(upgrade_url, [(fresh_url,), (fresh_url,)])
    assert revisions[0] is not None and revisions == [revisions[0], revisions[0]]
    db = Database(fresh_url)
    try:
        assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())
    finally:
        db.dispose()


def test_the_schema_matches_the_models_after_migrating(fresh_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    db = Database(fresh_url)
    try:
        db.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
        assert differences == [], f"models and migrations disagree: {differences}"
    finally:
        db.dispose()


def test_a_session_rolls_back_on_error_and_commits_otherwise(tmp_path: object) -> None:
    db = Database(f"sqlite:///{tmp_path}/s.db")
    try:
        db.upgrade()
        with pytest.raises(KeyError), db.session() as session:
            enqueue(session, "heal", {})
            raise KeyError("boom")
        assert list_jobs(db) == []
        with db.session() as session:
            enqueue(session, "heal", {})
        assert len(list_jobs(db)) == 1
    finally:
        db.dispose()


def test_an_in_memory_database_works_across_calls() -> None:
    db = Database("sqlite://")
    try:
        db.upgrade()
        job_id = enqueue(db, "heal", {"n": 1})
        assert [job.id for job in list_jobs(db)] == [job_id]
    finally:
        db.dispose()
