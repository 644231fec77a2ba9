"""Whether the files of a dataset make one table: the same column names, and types that are
equal or safely promotable.

``datasets`` builds one Arrow schema for a split and casts every file to it; files that add,
drop or rename a column, or hold a column whose values cannot become the common type, fail to
load. Promotions accepted here: ``null`` to anything, a narrower integer or float to a wider one,
integers to ``double``, ``string`` and ``large_string`` (or the binary pair) to each other, and
the same rules inside lists and structs (structs with the same field names).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.types as pat

from autoheal.validate._locate import first_uncastable, line_of_record
from autoheal.validate._results import CheckResult, Problem
from autoheal.validate._tables import FileTable


def _int_bits(t: pa.DataType) -> int:
    return int(t.bit_width)


def _promote_ints(a: pa.DataType, b: pa.DataType) -> pa.DataType | None:
    signed_a, signed_b = pat.is_signed_integer(a), pat.is_signed_integer(b)
    if signed_a == signed_b:
        return a if _int_bits(a) >= _int_bits(b) else b
    signed, unsigned = (a, b) if signed_a else (b, a)
    return signed if _int_bits(signed) > _int_bits(unsigned) else None


def _promote_lists(a: pa.DataType, b: pa.DataType) -> pa.DataType | None:
    value = promote(a.value_type, b.value_type)
    if value is None:
        return None
    large = pat.is_large_list(a) or pat.is_large_list(b)
    return pa.large_list(value) if large else pa.list_(value)


def _promote_structs(a: pa.StructType, b: pa.StructType) -> pa.DataType | None:
    fields_a = {a.field(i).name: a.field(i).type for i in range(a.num_fields)}
    fields_b = {b.field(i).name: b.field(i).type for i in range(b.num_fields)}
    if set(fields_a) != set(fields_b):
        return None
    merged = []
    for name, type_a in fields_a.items():
        joined = promote(type_a, fields_b[name])
        if joined is None:
            return None
        merged.append(pa.field(name, joined))
    return pa.struct(merged)


def promote(a: pa.DataType, b: pa.DataType) -> pa.DataType | None:
    """The common type of ``a`` and ``b``, or None when values of one cannot safely become the
    other's type."""
    if a.equals(b):
        return a
    if pat.is_null(a):
        return b
    if pat.is_null(b):
        return a
    if pat.is_integer(a) and pat.is_integer(b):
        return _promote_ints(a, b)
    if pat.is_floating(a) and pat.is_floating(b):
        return a if a.bit_width >= b.bit_width else b
    if (pat.is_integer(a) and pat.is_floating(b)) or (pat.is_floating(a) and pat.is_integer(b)):
        return pa.float64()
    if all(pat.is_string(t) or pat.is_large_string(t) for t in (a, b)):
        return pa.large_string()
    if all(pat.is_binary(t) or pat.is_large_binary(t) for t in (a, b)):
        return pa.large_binary()
    if all(pat.is_list(t) or pat.is_large_list(t) for t in (a, b)):
        return _promote_lists(a, b)
    if pat.is_struct(a) and pat.is_struct(b):
        return _promote_structs(a, b)
    return None


@dataclass
class _Column:
    type: pa.DataType
    file: FileTable  # where this column's type was first seen


def _names(names: set[str]) -> str:
    return ", ".join(repr(n) for n in sorted(names))


def offender(table: FileTable, column: str, other: pa.DataType) -> tuple[int, int | None] | None:
    """(record, line) of this file's first value that does not convert to ``other``."""
    if table.table is None or table.format not in ("json", "csv"):
        return None
    index = first_uncastable(table.table.column(column), other)
    if index is None:
        return None
    return index + 1, line_of_record(table.path, table.format, index)


def _type_problem(table: FileTable, column: str, known: _Column) -> Problem:
    mine = table.schema.field(column).type
    message = (
        f"column {column!r} is {mine} here but {known.type} in {known.file.name}; "
        "the files do not load as one table"
    )
    where = offender(table, column, known.type)
    if where is None and known.file.table is not None:
        theirs = offender(known.file, column, mine)
        if theirs is not None:
            suffix = f"line {theirs[1]}" if theirs[1] is not None else f"record {theirs[0]}"
            message += f" (first value that is not {mine} there: {suffix})"
    if where is None:
        return Problem(message, file=table.name, column=column)
    return Problem(message, file=table.name, line=where[1], record=where[0], column=column)


def unify(tables: list[FileTable], result: CheckResult, max_errors: int) -> dict[str, str]:
    """Record every inconsistency in ``result``; return the common columns and their types."""
    if not tables:
        return {}
    first = tables[0]
    columns = {name: _Column(first.schema.field(name).type, first) for name in first.schema.names}
    for table in tables[1:]:
        names = set(table.schema.names)
        missing, new = set(columns) - names, names - set(columns)
        if missing or new:
            parts = []
            if missing:
                parts.append(f"missing {_names(missing)}")
            if new:
                parts.append(f"new {_names(new)}")
            hint = " (renamed?)" if missing and new else ""
            result.fail(
                Problem(
                    f"columns differ from {first.name}: {'; '.join(parts)}{hint}", file=table.name
                ),
                max_errors,
            )
        for name in table.schema.names:
            known = columns.get(name)
            if known is None:
                continue
            joined = promote(known.type, table.schema.field(name).type)
            if joined is None:
                result.fail(_type_problem(table, name, known), max_errors)
            else:
                known.type = joined
    return {name: str(column.type) for name, column in columns.items()}
