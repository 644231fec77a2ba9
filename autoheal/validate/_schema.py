"""JSON Schema checks of data files (the ``jsonschema`` package).

A ``.jsonl``/``.ndjson`` file is one document a line (blank lines skipped) and each problem names
its line; any other file is one JSON document. Each problem carries the JSON pointer of the value
at fault. Messages are bounded and redacted: they quote data values, and reports may be public.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final

from jsonschema import exceptions as js_exceptions
from jsonschema import validators as js_validators

from autoheal.validate._config import SchemaCheck
from autoheal.validate._files import (
    FileRefused,
    bounded,
    check_size,
    check_text,
    expand,
    relative,
)
from autoheal.validate._results import CheckResult, Problem

JSON_LINES: Final = frozenset({".jsonl", ".ndjson"})
_BROKEN: Final = object()  # stands for a JSON Lines line that does not parse


def json_pointer(path: Iterable[Any]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _decode_error(exc: ValueError | RecursionError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc.msg} (column {exc.colno})"
    if isinstance(exc, RecursionError):
        return "invalid JSON: nested too deeply"
    return f"invalid JSON: {bounded(str(exc))}"


def _documents(path: Path, name: str) -> Iterator[tuple[Problem, Any]]:
    """(where, document) for each document of the file. A JSON Lines line that does not parse
    is yielded as (its problem, ``_BROKEN``); a whole-file document that does not parse raises."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in JSON_LINES:
        record = 0
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            record += 1
            where = Problem("", file=name, line=number, record=record)
            try:
                yield where, json.loads(line)
            except (ValueError, RecursionError) as exc:
                yield Problem(_decode_error(exc), file=name, line=number, record=record), _BROKEN
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileRefused(Problem(_decode_error(exc), file=name, line=exc.lineno)) from None
    except (ValueError, RecursionError) as exc:
        raise FileRefused(Problem(_decode_error(exc), file=name)) from None
    yield Problem("", file=name), document


def _load_validator(root: Path, check: SchemaCheck, limit: int) -> Any:
    path = root / check.schema_path
    name = check.schema_path
    if not path.is_file():
        raise FileRefused(Problem("schema file not found", file=name))
    check_size(path, name, limit)
    check_text(path, name, "JSON")
    try:
        schema = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise FileRefused(Problem(_decode_error(exc), file=name, line=exc.lineno)) from None
    except (ValueError, RecursionError) as exc:
        raise FileRefused(Problem(_decode_error(exc), file=name)) from None
    if not isinstance(schema, dict | bool):
        raise FileRefused(Problem("a JSON Schema must be an object or a boolean", file=name))
    cls = js_validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except js_exceptions.SchemaError as exc:
        pointer = json_pointer(exc.absolute_path)
        raise FileRefused(
            Problem(f"invalid JSON Schema: {bounded(exc.message)}", file=name, pointer=pointer)
        ) from None
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def check_schema(check: SchemaCheck, root: Path, max_errors: int, max_bytes: int) -> CheckResult:
    result = CheckResult(check.name, "schema", details={"schema": check.schema_path})
    try:
        validator = _load_validator(root, check, max_bytes)
    except FileRefused as exc:
        result.fail(exc.problem, max_errors)
        result.summary = "the schema cannot be used"
        return result
    files, unmatched = expand(root, check.files)
    for pattern in unmatched:
        result.fail(Problem(f"no file matches {pattern!r}"), max_errors)
    documents = 0
    for path in files:
        name = relative(root, path)
        result.files.append(name)
        try:
            check_size(path, name, max_bytes)
            check_text(path, name, "JSON")
            for where, document in _documents(path, name):
                documents += 1
                if document is _BROKEN:
                    result.fail(where, max_errors)
                    continue
                errors = [
                    Problem(
                        bounded(error.message),
                        file=name,
                        line=where.line,
                        record=where.record,
                        pointer=json_pointer(error.absolute_path),
                    )
                    for error in validator.iter_errors(document)
                ]
                for problem in sorted(errors, key=lambda p: (p.pointer or "", p.message)):
                    result.fail(problem, max_errors)
        except FileRefused as exc:
            result.fail(exc.problem, max_errors)
        except OSError as exc:
            result.fail(Problem(f"cannot read: {exc.strerror or exc}", file=name), max_errors)
    found = len(result.problems) + result.omitted
    result.summary = (
        f"{documents} document(s) in {len(files)} file(s) valid"
        if result.ok
        else f"{found} problem(s) in {len(files)} file(s)"
    )
    return result
