"""Run storage functions on a :class:`Database` (their own transaction) or inside a caller's
:class:`Session` (the caller's transaction: several steps commit or roll back together)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeAlias

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session

from service.storage._database import Database

Store: TypeAlias = Database | Session
"""Where a storage function works: a database (one transaction per call) or an open session."""


@contextmanager
def in_session(store: Store) -> Iterator[Session]:
    if isinstance(store, Session):
        yield store
        store.flush()
        return
    with store.session() as session:
        yield session


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def upsert_insert(
    session: Session, model: type[DeclarativeBase]
) -> postgresql.Insert | sqlite.Insert:
    """``INSERT`` with ``ON CONFLICT`` support for the session's backend."""
    if dialect_of(session) == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)
