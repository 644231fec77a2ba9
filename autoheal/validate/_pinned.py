"""A dataset whose column types are pinned in the configuration.

Every file must hold each pinned column with values that fit its type (equal, ``null``, or safely
widened: a narrower integer or float, integers to ``double``, ``string`` and ``large_string``),
and no other column unless ``extra_columns = "allow"``; allowed extra columns must still agree
across files, as without pins. Unlike the unpinned check, which compares files with each other,
this catches a column whose type drifted in every file at once.
"""

from __future__ import annotations

import dataclasses

import pyarrow as pa
import pyarrow.types as pat

from autoheal.validate._results import CheckResult, Problem
from autoheal.validate._tables import FileTable
from autoheal.validate._unify import offender, promote, unify


def _same_values(a: pa.DataType, b: pa.DataType) -> bool:
    """Types that differ only in offset width (``string``/``large_string``, the binary pair)."""
    strings = all(pat.is_string(t) or pat.is_large_string(t) for t in (a, b))
    return strings or all(pat.is_binary(t) or pat.is_large_binary(t) for t in (a, b))


def fits(actual: pa.DataType, pinned: pa.DataType) -> bool:
    """Whether every value of type ``actual`` can be read as ``pinned`` without loss."""
    if actual.equals(pinned) or pat.is_null(actual):
        return True
    joined = promote(actual, pinned)
    return joined is not None and (joined.equals(pinned) or _same_values(joined, pinned))


def _names(names: list[str]) -> str:
    return ", ".join(repr(n) for n in names)


def _without(table: FileTable, columns: set[str]) -> FileTable:
    kept = [name for name in table.schema.names if name not in columns]
    schema = pa.schema([table.schema.field(name) for name in kept])
    data = table.table.select(kept) if table.table is not None else None
    return dataclasses.replace(table, schema=schema, table=data)


def _check_file(
    table: FileTable, pinned: dict[str, pa.DataType], extra: str, result: CheckResult, limit: int
) -> None:
    names = table.schema.names
    missing = [name for name in pinned if name not in names]
    if missing:
        result.fail(Problem(f"missing pinned column(s) {_names(missing)}", file=table.name), limit)
    unexpected = [name for name in names if name not in pinned]
    if unexpected and extra == "refuse":
        message = (
            f"column(s) {_names(unexpected)} are not among the pinned columns "
            '(extra_columns = "allow" accepts them)'
        )
        result.fail(Problem(message, file=table.name), limit)
    for column, wanted in pinned.items():
        if column not in names:
            continue
        actual = table.schema.field(column).type
        if fits(actual, wanted):
            continue
        message = f"column {column!r} is {actual} here but the check pins {wanted}"
        where = offender(table, column, wanted)
        if where is None:
            result.fail(Problem(message, file=table.name, column=column), limit)
        else:
            record, line = where
            problem = Problem(message, file=table.name, line=line, record=record, column=column)
            result.fail(problem, limit)


def check_pinned(
    tables: list[FileTable],
    pinned: dict[str, pa.DataType],
    extra: str,
    result: CheckResult,
    max_errors: int,
) -> dict[str, str]:
    """Record every file that breaks the pins in ``result``; return the columns and types."""
    for table in tables:
        _check_file(table, pinned, extra, result, max_errors)
    columns = {name: str(wanted) for name, wanted in pinned.items()}
    if extra == "allow":
        rest = [_without(table, set(pinned)) for table in tables]
        columns.update(unify(rest, result, max_errors))
    return columns
