"""Checks run before anything is written, so bad input fails with a clear message instead of
a driver error deep in a flush (or, on SQLite, silently storing an over-long value)."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import Any, Final

from sqlalchemy import JSON, BigInteger, DateTime, Float, Integer, String
from sqlalchemy.orm import DeclarativeBase

from service.storage._errors import InvalidInput

MAX_JSON_BYTES: Final = 1_000_000
_INT32: Final = 2**31
_INT64: Final = 2**63


def check_json(value: Any, what: str) -> dict[str, Any]:
    """A JSON object that every backend stores identically (no NaN, no stray types)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{what} must be a JSON object (a dict), not {type(value).__name__}")
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{what} is not JSON-serialisable: {exc}") from exc
    if len(text.encode("utf-8")) > MAX_JSON_BYTES:
        raise InvalidInput(f"{what} is larger than {MAX_JSON_BYTES} bytes as JSON")
    loaded: dict[str, Any] = json.loads(text)  # keys become strings, tuples lists
    return loaded


def check_text(value: Any, what: str, max_length: int | None, *, nullable: bool) -> str | None:
    if value is None:
        if nullable:
            return None
        raise InvalidInput(f"{what} is required")
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be a string, not {type(value).__name__}")
    if "\x00" in value:
        raise InvalidInput(f"{what} contains a NUL character")
    if max_length is not None and len(value) > max_length:
        raise InvalidInput(f"{what} is {len(value)} characters long; at most {max_length}")
    return value


def check_int(value: Any, what: str, *, nullable: bool, bits: int = 32) -> int | None:
    if value is None:
        if nullable:
            return None
        raise InvalidInput(f"{what} is required")
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{what} must be an integer, not {type(value).__name__}")
    bound = _INT32 if bits == 32 else _INT64
    if not -bound <= value < bound:
        raise InvalidInput(f"{what} = {value} does not fit in {bits} bits")
    return value


def check_time(value: Any, what: str, *, nullable: bool) -> dt.datetime | None:
    if value is None:
        if nullable:
            return None
        raise InvalidInput(f"{what} is required")
    if not isinstance(value, dt.datetime):
        raise InvalidInput(f"{what} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"{what} must be timezone-aware (UTC)")
    return value.astimezone(dt.UTC)


def check_float(value: Any, what: str, *, nullable: bool) -> float | None:
    if value is None:
        if nullable:
            return None
        raise InvalidInput(f"{what} is required")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{what} must be a number, not {type(value).__name__}")
    if not math.isfinite(value):
        raise InvalidInput(f"{what} must be a finite number")
    return float(value)


def check_columns(model: type[DeclarativeBase], values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate ``values`` against the columns of ``model``; return them normalised."""
    columns = model.__table__.columns
    checked: dict[str, Any] = {}
    for name, value in values.items():
        if name not in columns:
            raise InvalidInput(f"{model.__tablename__} has no field {name!r}")
        column = columns[name]
        what = f"{model.__tablename__}.{name}"
        kind = column.type
        nullable = bool(column.nullable)
        if isinstance(kind, JSON):
            checked[name] = check_json(value, what)
        elif isinstance(kind, String):  # also Text
            checked[name] = check_text(value, what, kind.length, nullable=nullable)
        elif isinstance(kind, BigInteger):
            checked[name] = check_int(value, what, nullable=nullable, bits=64)
        elif isinstance(kind, Integer):
            checked[name] = check_int(value, what, nullable=nullable)
        elif isinstance(kind, Float):
            checked[name] = check_float(value, what, nullable=nullable)
        elif isinstance(kind, DateTime) or isinstance(getattr(kind, "impl", None), DateTime):
            checked[name] = check_time(value, what, nullable=nullable)
        else:  # pragma: no cover - every column type of the schema is handled above
            checked[name] = value
    return checked


def column_length(model: type[DeclarativeBase], name: str) -> int | None:
    """The declared maximum length of a string column."""
    kind = model.__table__.columns[name].type
    return kind.length if isinstance(kind, String) else None
