"""``autoheal dataset export``: the labels people gave failures, as a training dataset.

One record per fingerprint, with the label that counts (the latest a person gave, else a
confirmed fix's) and the redacted text the model classified for it; the record format is the
one of :mod:`datasets.records` (see :mod:`datasets.feedback`). ``autoheal train`` reads the
default output, ``var/data/feedback.jsonl``, when it exists.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from datasets.feedback import feedback_record
from datasets.records import LabelledLog, write_jsonl
from service.storage import Database, EffectiveLabel, effective_feedback

DEFAULT_EXPORT_PATH: Final = Path("var/data/feedback.jsonl")
EXIT_OK: Final = 0
EXIT_CONFIG: Final = 2


@dataclass(frozen=True)
class ExportResult:
    path: Path
    written: int
    without_region: int
    """Fingerprints with a label but no stored text: nothing to train on."""
    by_source: dict[str, int]


def _record(label: EffectiveLabel) -> LabelledLog | None:
    if not label.region:
        return None
    return feedback_record(
        fingerprint=label.fingerprint,
        label=label.category,
        region=label.region,
        feedback_source=label.source,
        repository=label.repository,
        previous=label.previous,
        created_at=label.created_at.isoformat(timespec="seconds"),
    )


def export_feedback(db: Database, out: Path = DEFAULT_EXPORT_PATH) -> ExportResult:
    """Write every fingerprint's effective label to ``out`` (atomically; oldest first)."""
    labels = sorted(effective_feedback(db), key=lambda label: (label.created_at, label.fingerprint))
    records: list[LabelledLog] = []
    by_source: dict[str, int] = {}
    for label in labels:
        record = _record(label)
        if record is None:
            continue
        records.append(record)
        by_source[label.source] = by_source.get(label.source, 0) + 1
    written = write_jsonl(out, records)
    return ExportResult(out, written, len(labels) - written, by_source)


def _sqlite_file_missing(url: str) -> Path | None:
    """The SQLite file ``url`` names, when it does not exist (None otherwise)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    path = Path(database).expanduser()
    return None if path.exists() else path


def export_command(
    out: Path = DEFAULT_EXPORT_PATH, *, database_url: str | None = None, if_exists: bool = False
) -> int:
    """The command's logic; returns the exit code. ``if_exists`` (``make train``): a SQLite
    database that does not exist is not created, and a database that cannot be read is only
    reported; the command then succeeds without writing."""
    from service.storage import InvalidInput, default_database_url

    url = database_url or default_database_url()
    missing = _sqlite_file_missing(url)
    if missing is not None and if_exists:
        print(f"no database at {missing}: no feedback to export", file=sys.stderr)
        return EXIT_OK
    try:
        db = Database(url)
    except InvalidInput as exc:
        print(f"autoheal: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        db.upgrade()
        result = export_feedback(db, out)
    except Exception as exc:  # the database cannot be reached or read: say so
        print(f"autoheal: cannot export feedback from {db!r}: {exc}", file=sys.stderr)
        return EXIT_OK if if_exists else EXIT_CONFIG
    finally:
        db.dispose()
    sources = ", ".join(f"{name} {count}" for name, count in sorted(result.by_source.items()))
    print(f"wrote {result.written} feedback examples to {result.path} ({sources or 'none'})")
    if result.without_region:
        print(f"{result.without_region} labelled failures have no stored log text: not exported")
    return EXIT_OK
