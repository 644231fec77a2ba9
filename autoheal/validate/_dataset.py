"""The dataset check: every file loads, and all of them load as one table."""

from __future__ import annotations

from pathlib import Path

from autoheal.validate._config import DatasetCheck
from autoheal.validate._files import FileRefused, expand, relative
from autoheal.validate._pinned import check_pinned
from autoheal.validate._results import CheckResult, Problem
from autoheal.validate._tables import FileTable, format_of, read_file
from autoheal.validate._types import parse_type
from autoheal.validate._unify import unify


def check_dataset(check: DatasetCheck, root: Path, max_errors: int, max_bytes: int) -> CheckResult:
    result = CheckResult(check.name, "dataset")
    files, unmatched = expand(root, check.files)
    for pattern in unmatched:
        result.fail(Problem(f"no file matches {pattern!r}"), max_errors)
    tables: list[FileTable] = []
    for path in files:
        name = relative(root, path)
        result.files.append(name)
        fmt = format_of(path, check.format)
        if fmt is None:
            result.fail(
                Problem(
                    f"unknown format {path.suffix or '(no suffix)'!r}: use .jsonl, .json, .csv, "
                    ".tsv or .parquet, or set format",
                    file=name,
                ),
                max_errors,
            )
            continue
        try:
            tables.append(read_file(path, name, fmt, max_bytes))
        except FileRefused as exc:
            result.fail(exc.problem, max_errors)
    if check.columns is not None:
        pinned = {name: parse_type(spelled) for name, spelled in check.columns.items()}
        columns = check_pinned(tables, pinned, check.extra_columns, result, max_errors)
    else:
        columns = unify(tables, result, max_errors)
    order = {name: index for index, name in enumerate(result.files)}
    result.problems.sort(key=lambda p: order.get(p.file or "", -1))  # by file; stable otherwise
    rows = sum(t.rows for t in tables)
    result.details = {
        "columns": columns,
        "rows": rows,
        "formats": sorted({t.format for t in tables}),
    }
    if result.ok:
        result.summary = f"{rows} rows in {len(files)} file(s), {len(columns)} column(s)"
    else:
        found = len(result.problems) + result.omitted
        result.summary = f"{found} problem(s) in {len(files)} file(s)"
    return result
