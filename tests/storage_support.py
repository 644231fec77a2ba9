"""Storage fixtures: every storage test runs on SQLite and on the PostgreSQL server of this
machine (127.0.0.1:5432, user postgres, trust authentication).

The root conftest loads them as a plugin::

    pytest_plugins = ["tests.storage_support"]

``storage_db`` is parametrised over both backends: a migrated, empty database per test. On
PostgreSQL one database ``autoheal_test_<random>`` is created per test session (emptied
between tests) and dropped at the end. The PostgreSQL cases are skipped only when the server
is not reachable, saying why; with ``AUTOHEAL_REQUIRE_POSTGRES=1`` they fail instead.
``AUTOHEAL_TEST_PG_URL`` points them at another server (default
``postgresql://postgres@127.0.0.1:5432/postgres``).
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from service.storage import Base, Database

PG_ADMIN_URL = os.environ.get(
    "AUTOHEAL_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgres))


class PostgresServer:
    """Creates and drops scratch databases on the test server."""

    def __init__(self, admin_url: str) -> None:
        import psycopg

        self._psycopg = psycopg
        self.admin_url = admin_url
        self.prefix = f"autoheal_test_{secrets.token_hex(4)}"
        self.created: list[str] = []
        with self._connect() as connection:
            connection.execute("SELECT 1")

    def _connect(self) -> Any:
        return self._psycopg.connect(self.admin_url, autocommit=True, connect_timeout=3)

    def create_database(self, suffix: str = "") -> str:
        """A new empty database; its SQLAlchemy URL."""
        name = self.prefix + (f"_{suffix}" if suffix else "")
        with self._connect() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self._connect() as connection:
            for name in reversed(self.created):
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.clear()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """The PostgreSQL server, or a skip (a failure with AUTOHEAL_REQUIRE_POSTGRES=1)."""
    try:
        server = PostgresServer(PG_ADMIN_URL)
    except Exception as exc:
        reason = f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}".strip()
        if os.environ.get("AUTOHEAL_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        print(f"\nskipping the PostgreSQL storage tests: {reason}", file=sys.stderr)
        pytest.skip(reason)
    try:
        yield server
    finally:
        server.drop_all()


@pytest.fixture(scope="session")
def pg_url(pg_server: PostgresServer) -> str:
    """A migrated PostgreSQL database shared by the session (``storage_db`` empties it)."""
    url = pg_server.create_database()
    database = Database(url)
    database.upgrade()
    database.dispose()
    return url


def _empty_postgresql(database: Database) -> None:
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture(params=BACKENDS)
def backend_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """The URL of a migrated, empty database on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'autoheal.db'}"
        database = Database(url)
        database.upgrade()
    else:
        url = request.getfixturevalue("pg_url")
        database = Database(url)
        _empty_postgresql(database)
    database.dispose()
    return url


@pytest.fixture
def storage_db(backend_url: str) -> Iterator[Database]:
    """A migrated, empty :class:`Database` on each backend."""
    database = Database(backend_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture(params=BACKENDS)
def fresh_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """The URL of a database with no schema at all, on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.create_database(secrets.token_hex(3))
