"""Pinpointing the record at fault once pyarrow has refused a file.

pyarrow's messages name a row relative to the block it was reading, or no row at all; these
plain-Python scans run only after a failure and find the line a person has to open.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final

import pyarrow as pa

from autoheal.validate._results import Problem

SCAN_LIMIT: Final = 1_000_000  # records looked at when hunting for one value


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def json_kind(value: Any) -> str | None:
    """The JSON type name, as pyarrow sees it (``None`` for null, which fits any type)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
    kind = json_kind(value)
    if kind is None:
        return
    yield path, kind
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _walk(child, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, f"{path}[]")


class _Kinds:
    """The first JSON type seen at each column path, and where."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[str, int]] = {}

    def conflict(self, record: dict[str, Any], where: int) -> tuple[str, str, str, int] | None:
        for path, kind in _walk(record, ""):
            first = self.seen.setdefault(path, (kind, where))
            if first[0] != kind:
                return path, kind, first[0], first[1]
        return None


def locate_json_lines(path: Path, name: str) -> Problem | None:
    """The first line that is not a JSON object, repeats a key, or changes a column's type."""
    kinds = _Kinds()
    record = 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            record += 1
            problem = _check_line(line, number, kinds)
            if problem is not None:
                message, column = problem
                return Problem(message, file=name, line=number, record=record, column=column)
    return None


def _check_line(line: str, number: int, kinds: _Kinds) -> tuple[str, str | None] | None:
    try:
        value = json.loads(line, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as exc:
        return f"key {exc.key!r} appears twice in one record", None
    except json.JSONDecodeError as exc:
        return f"invalid JSON: {exc.msg} (column {exc.colno})", None
    except (ValueError, RecursionError):
        return "invalid JSON (nested too deeply, or a number too long)", None
    if not isinstance(value, dict):
        return f"a record must be a JSON object, found {json_kind(value) or 'null'}", None
    found = kinds.conflict(value, number)
    if found is None:
        return None
    column, kind, first, first_line = found
    return f"column {column!r} is a {kind} here but a {first} on line {first_line}", column


def locate_records(records: Iterable[Any], name: str) -> Problem | None:
    """The same as :func:`locate_json_lines`, for the elements of a top-level JSON array."""
    kinds = _Kinds()
    for index, value in enumerate(records, start=1):
        if not isinstance(value, dict):
            kind = json_kind(value) or "null"
            return Problem(f"a record must be a JSON object, found {kind}", file=name, record=index)
        found = kinds.conflict(value, index)
        if found is not None:
            column, kind, first, first_at = found
            return Problem(
                f"column {column!r} is a {kind} here but a {first} in record {first_at}",
                file=name,
                record=index,
                column=column,
            )
    return None


def locate_csv_row(path: Path, name: str, delimiter: str) -> Problem | None:
    """The first row whose number of fields differs from the header's."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            return None
        record = 0
        for row in reader:
            if not row:
                continue
            record += 1
            if len(row) != len(header):
                return Problem(
                    f"expected {len(header)} fields like the header, found {len(row)}",
                    file=name,
                    line=reader.line_num,
                    record=record,
                )
    return None


def first_uncastable(column: pa.ChunkedArray, target: pa.DataType) -> int | None:
    """The 0-based index of the first value that does not convert to ``target``."""
    index = 0
    for chunk in column.chunks:
        for value in chunk:
            if index >= SCAN_LIMIT:
                return None
            if value.is_valid:
                try:
                    value.cast(target)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                    return index
            index += 1
    return None


def line_of_record(path: Path, fmt: str, index: int) -> int | None:
    """The 1-based line where 0-based record ``index`` starts (JSON Lines and CSV)."""
    if fmt == "csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            start, seen = 2, 0
            for row in reader:
                if row:
                    if seen == index:
                        return start
                    seen += 1
                start = reader.line_num + 1
        return None
    with path.open(encoding="utf-8-sig", newline="") as handle:
        seen = 0
        for number, line in enumerate(handle, start=1):
            if line.strip():
                if seen == index:
                    return number
                seen += 1
    return None
