"""Reading each file of a dataset with pyarrow, the way Hugging Face ``datasets`` loads it.

JSON Lines go through ``pyarrow.json`` (a ``.json`` file whose document is an array is read as
a list of records, as ``datasets`` falls back to), CSV through ``pyarrow.csv``, Parquet through
``pyarrow.parquet`` batch by batch. Whatever goes wrong becomes a :class:`FileRefused` naming
the file and, when it can be found, the line: never a traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.json as pa_json
import pyarrow.parquet as pa_parquet

from autoheal.validate._files import FileRefused, bounded, check_size, check_text
from autoheal.validate._locate import locate_csv_row, locate_json_lines, locate_records
from autoheal.validate._results import Problem

FORMATS: Final = {
    ".jsonl": "json",
    ".ndjson": "json",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_ARROW_ERRORS: Final = (pa.ArrowException, OSError, ValueError, TypeError)


@dataclass(frozen=True)
class FileTable:
    """One file as loaded: its columns and, for text formats, the table (to locate rows)."""

    name: str
    path: Path
    format: str
    schema: pa.Schema
    rows: int
    table: pa.Table | None


def format_of(path: Path, declared: str | None) -> str | None:
    return declared or FORMATS.get(path.suffix.lower())


def _refuse(name: str, message: str, line: int | None = None) -> FileRefused:
    return FileRefused(Problem(message, file=name, line=line))


def _starts_with_array(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"[")


def _read_json_array(path: Path, name: str) -> pa.Table:
    try:
        records = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise _refuse(name, f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    except (ValueError, RecursionError):
        raise _refuse(name, "invalid JSON (nested too deeply, or a number too long)") from None
    if not isinstance(records, list):
        raise _refuse(name, "not a JSON array of records")
    problem = locate_records(records, name)
    if problem is not None:
        raise FileRefused(problem)
    try:
        return pa.Table.from_pylist(records)
    except _ARROW_ERRORS as exc:
        raise _refuse(name, f"does not load as a table: {bounded(str(exc))}") from None


def _read_json_lines(path: Path, name: str) -> pa.Table:
    try:
        return pa_json.read_json(path)
    except _ARROW_ERRORS as exc:
        problem = locate_json_lines(path, name)
        if problem is not None:
            raise FileRefused(problem) from None
        raise _refuse(name, f"pyarrow cannot read it: {bounded(str(exc))}") from None


def _read_csv(path: Path, name: str) -> pa.Table:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        table = pa_csv.read_csv(path, parse_options=pa_csv.ParseOptions(delimiter=delimiter))
    except _ARROW_ERRORS as exc:
        problem = locate_csv_row(path, name, delimiter)
        if problem is not None:
            raise FileRefused(problem) from None
        raise _refuse(name, f"pyarrow cannot read it: {bounded(str(exc))}") from None
    names = table.column_names
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise _refuse(name, f"the header repeats column(s) {', '.join(map(repr, twice))}", 1)
    return table


def _read_parquet(path: Path, name: str) -> tuple[pa.Schema, int]:
    """Schema and row count; every batch is decoded (corruption shows) but none is kept."""
    try:
        parquet = pa_parquet.ParquetFile(path)
        rows = 0
        for batch in parquet.iter_batches(batch_size=65_536):
            rows += batch.num_rows
        return parquet.schema_arrow, rows
    except _ARROW_ERRORS as exc:
        raise _refuse(name, f"not a readable Parquet file: {bounded(str(exc))}") from None


def read_file(path: Path, name: str, fmt: str, max_bytes: int) -> FileTable:
    if check_size(path, name, max_bytes) == 0:
        raise _refuse(name, "the file is empty")
    if fmt == "parquet":
        schema, rows = _read_parquet(path, name)
        table = None
    else:
        check_text(path, name, "JSON Lines" if fmt == "json" else "CSV")
        if fmt == "json" and _starts_with_array(path):
            table = _read_json_array(path, name)
        elif fmt == "json":
            table = _read_json_lines(path, name)
        else:
            table = _read_csv(path, name)
        schema, rows = table.schema, table.num_rows
    if rows == 0 or not schema.names:
        raise _refuse(name, "the file holds no records")
    return FileTable(name, path, fmt, schema, rows, table)
