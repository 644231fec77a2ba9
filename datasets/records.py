"""Labelled logs as JSON Lines: one object per line.

Each line is ``{"id": str, "label": str, "source": str, "log": str}`` plus optional metadata:
``family`` (the template family or hand-written case it comes from; the evaluation split holds
out whole families), ``ecosystem``, ``format`` (CI system), ``kind`` (``full`` job log or
``excerpt``). ``label`` is one of :data:`model.taxonomy.LABELS`.

A malformed line is an error that names the file and the line, never a silent skip.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model.taxonomy import DESCRIPTIONS

REQUIRED_FIELDS = ("id", "label", "source", "log")
OPTIONAL_FIELDS = ("family", "ecosystem", "format", "kind")


class DatasetError(ValueError):
    """A dataset file that cannot be used, with the file and line at fault."""

    def __init__(self, path: str | os.PathLike[str], line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class LabelledLog:
    id: str
    label: str
    source: str
    log: str
    family: str | None = None
    ecosystem: str | None = None
    format: str | None = None
    kind: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def group(self) -> str:
        """The unit the evaluation split keeps together: the family, else the record itself."""
        return self.family or f"{self.source}/{self.id}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "label": self.label, "source": self.source}
        for name in OPTIONAL_FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        out.update(self.extra)
        out["log"] = self.log
        return out


def is_skipped_review_row(obj: object) -> bool:
    """A row of `autoheal dataset import` a reviewer chose to leave out (``"skip": true``):
    not trained on, and kept in the review file so that a later import does not ask again."""
    return isinstance(obj, dict) and obj.get("skip") is True and "suggested" in obj


def parse_record(obj: object, path: str | os.PathLike[str], line: int | None) -> LabelledLog:
    """Validate one decoded JSON value as a labelled log."""
    if not isinstance(obj, dict):
        raise DatasetError(path, line, f"expected a JSON object, got {type(obj).__name__}")
    if obj.get("label") in (None, "") and "suggested" in obj:
        # A row of `autoheal dataset import` nobody has reviewed: refused, never guessed.
        raise DatasetError(
            path,
            line,
            f"not reviewed: 'label' is empty (suggested {obj['suggested']!r}); "
            'fill it in, set "skip": true, or delete the line',
        )
    for name in REQUIRED_FIELDS:
        if name not in obj:
            raise DatasetError(path, line, f"missing field {name!r}")
        if not isinstance(obj[name], str):
            raise DatasetError(path, line, f"field {name!r} must be a string")
    if not obj["id"]:
        raise DatasetError(path, line, "field 'id' is empty")
    if obj["label"] not in DESCRIPTIONS:
        raise DatasetError(path, line, f"unknown label {obj['label']!r}")
    optional: dict[str, str | None] = {}
    for name in OPTIONAL_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            raise DatasetError(path, line, f"field {name!r} must be a string")
        optional[name] = value
    extra = {k: v for k, v in obj.items() if k not in REQUIRED_FIELDS and k not in OPTIONAL_FIELDS}
    return LabelledLog(
        id=obj["id"],
        label=obj["label"],
        source=obj["source"],
        log=obj["log"],
        extra=extra,
        **optional,
    )


def read_jsonl(path: str | os.PathLike[str]) -> Iterator[LabelledLog]:
    """Yield the records of a JSON Lines file; raise :class:`DatasetError` on the first bad line.

    Blank lines are allowed. Duplicate ids within one file are an error.
    """
    seen: set[str] = set()
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below, generator
    except OSError as exc:
        raise DatasetError(path, None, f"cannot open: {exc.strerror or exc}") from exc
    with handle:
        number = 0
        while True:
            number += 1
            try:
                raw = handle.readline()
            except UnicodeDecodeError as exc:
                raise DatasetError(path, number, f"not valid UTF-8 ({exc.reason})") from exc
            if not raw:
                return
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise DatasetError(
                    path, number, f"invalid JSON: {exc.msg} (column {exc.colno})"
                ) from exc
            if is_skipped_review_row(obj):
                continue
            record = parse_record(obj, path, number)
            if record.id in seen:
                raise DatasetError(path, number, f"duplicate id {record.id!r}")
            seen.add(record.id)
            yield record


def write_jsonl(path: str | os.PathLike[str], records: Iterable[LabelledLog]) -> int:
    """Write records atomically (a temporary file renamed into place); return how many."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    count = 0
    with open(tmp, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record.to_json(), ensure_ascii=False))
            handle.write("\n")
            count += 1
    os.replace(tmp, target)
    return count
