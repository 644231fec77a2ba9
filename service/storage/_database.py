"""The database handle: engine, sessions and migrations, for SQLite and PostgreSQL.

SQLite is the embedded default. Every SQLite transaction starts with ``BEGIN IMMEDIATE``: it
takes the database's write lock up front, so the read-then-write steps of a transaction (claim
a job, count the circuit breaker) cannot interleave with another process's, and two writers
never deadlock upgrading a shared lock. PostgreSQL uses row locks and advisory locks instead.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final, Literal

from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from service.storage._errors import InvalidInput

ENV_DATABASE_URL: Final = "AUTOHEAL_DATABASE_URL"
DEFAULT_DATABASE_URL: Final = "sqlite:///var/autoheal.db"
MIGRATIONS_DIR: Final = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_SECONDS: Final = 30.0

Dialect = Literal["sqlite", "postgresql"]


def default_database_url() -> str:
    """``AUTOHEAL_DATABASE_URL`` when set, else the SQLite file ``var/autoheal.db``."""
    return os.environ.get(ENV_DATABASE_URL, "").strip() or DEFAULT_DATABASE_URL


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_lock`` from a readable name."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidInput(f"not a database URL: {url!r}") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        # psycopg 3 is the driver we ship; older SQLAlchemy would pick psycopg2 for a bare URL.
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise InvalidInput(
            f"unsupported database {backend!r}: use sqlite:///PATH or postgresql://USER@HOST/DB"
        )
    return parsed


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    options: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_SECONDS}}
    if in_memory:
        # One shared connection, or every checkout would see a different empty database.
        options["poolclass"] = StaticPool
        options["connect_args"]["check_same_thread"] = False
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_SECONDS * 1000)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not in_memory:
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Database:
    """An engine plus sessions and migrations for one database URL."""

    def __init__(self, url: str) -> None:
        parsed = _parse_url(url)
        self.url = parsed
        self.dialect: Dialect = "sqlite" if parsed.get_backend_name() == "sqlite" else "postgresql"
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(parsed)
        else:
            self.engine = create_engine(parsed, pool_pre_ping=True)

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back otherwise.

        Objects stay readable after the block (``expire_on_commit=False``).
        """
        session = Session(self.engine, expire_on_commit=False)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def upgrade(self) -> None:
        """Migrate to the newest schema. Idempotent; processes starting together take turns
        (an advisory lock on PostgreSQL, a lock file beside the SQLite file)."""
        if self.dialect == "postgresql":
            self._upgrade_postgresql()
            return
        database = self.url.database or ""
        if database in ("", ":memory:") or database.startswith("file::memory:"):
            self._run_alembic()
            return
        lock_path = Path(database).expanduser().with_name(Path(database).name + ".migrate.lock")
        with lock_path.open("a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                self._run_alembic()
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    def _upgrade_postgresql(self) -> None:
        key = advisory_key("autoheal:migrations")
        with self.engine.connect() as connection:
            # A session-level lock: it outlives the migration's own commits.
            connection.execute(select(func.pg_advisory_lock(key)))
            connection.commit()
            try:
                self._run_alembic(connection)
            finally:
                connection.rollback()
                connection.execute(select(func.pg_advisory_unlock(key)))
                connection.commit()

    def _run_alembic(self, connection: Connection | None = None) -> None:
        # Imported here: alembic takes longer to import than the rest of storage together.
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        if connection is not None:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            return
        with self.engine.connect() as own:
            config.attributes["connection"] = own
            command.upgrade(config, "head")

    def current_revision(self) -> str | None:
        """The schema revision the database is at (None before the first upgrade)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def dispose(self) -> None:
        """Close pooled connections (call before a process exits or forks)."""
        self.engine.dispose()
