"""Review rows: one per distinct failure, pre-labelled by the model, least confident first.

A row is a record of the datasets JSON Lines format (:mod:`datasets.records`) whose ``label`` is
``null`` until a maintainer fills it in (or sets ``skip`` to leave it out of training); ``suggested`` is the model's guess, with its
``confidence`` and ``margin`` (top probability minus the second). ``log`` holds the decisive
lines only, redacted, after a ``##[group]`` line naming the failing step.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

from datasets._import._github import FetchedLog
from model._extract import Region
from model.classifier import Prediction
from model.redact import redact_secrets

MAX_SEEN_IN: Final = 20


def excerpt(region: Region) -> str:
    """The decisive lines as a small log, redacted."""
    lines = [f"##[group]{region.step}"] if region.step else []
    lines.extend(item.text for item in region.evidence)
    return redact_secrets("\n".join(lines))


def review_row(fetched: FetchedLog, region: Region, prediction: Prediction) -> dict[str, Any]:
    ranked = prediction.top(3)
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    return {
        "id": f"{fetched.repository}/runs/{fetched.run_id}/jobs/{fetched.job_id}",
        "label": None,
        "skip": False,
        "suggested": prediction.category,
        "confidence": round(prediction.confidence, 4),
        "margin": round(prediction.confidence - second, 4),
        "alternatives": [{"label": label, "p": round(p, 4)} for label, p in ranked[1:]],
        "source": f"github:{fetched.repository}",
        "family": f"github:{fetched.repository}:{region.fingerprint}",
        "format": region.log_format,
        "kind": "excerpt",
        "repository": fetched.repository,
        "workflow": redact_secrets(fetched.workflow),
        "run_id": fetched.run_id,
        "run_url": fetched.run_url,
        "run_created_at": fetched.run_created_at,
        "job_id": fetched.job_id,
        "job_name": redact_secrets(fetched.job_name),
        "job_url": fetched.job_url,
        "step": redact_secrets(region.step) if region.step else None,
        "exit_code": region.exit_code,
        "fingerprint": region.fingerprint,
        "occurrences": 1,
        "seen_in": [],
        "log_truncated": fetched.truncated,
        "model_version": prediction.model_version,
        "log": excerpt(region),
    }


def _job_of(row: dict[str, Any]) -> str:
    return str(row.get("job_url") or row["id"])


class ReviewSet:
    """Rows by fingerprint: the first one seen (the newest run) stays, later ones are counted.

    Seeded with an earlier review file (:meth:`seed`), its rows stay as they are, labels and
    edits included: a failure seen again is counted on its row (each job once, however often
    it is imported), and only new failures add rows.
    """

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, Any]] = {}
        self._jobs: dict[str, set[str]] = {}  # the jobs each row already counts
        self.duplicates = 0
        self.already_counted = 0

    def seed(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            jobs = {str(row["id"]), *(str(url) for url in row.get("seen_in") or [])}
            if row.get("job_url"):
                jobs.add(str(row["job_url"]))
            self._rows[str(row["fingerprint"])] = row
            self._jobs[str(row["fingerprint"])] = jobs

    def add(self, row: dict[str, Any]) -> bool:
        """Keep ``row``; False when its failure was already kept (then only counted)."""
        fingerprint = row["fingerprint"]
        kept = self._rows.get(fingerprint)
        if kept is None:
            self._rows[fingerprint] = row
            self._jobs[fingerprint] = {str(row["id"]), _job_of(row)}
            return True
        jobs = self._jobs[fingerprint]
        if _job_of(row) in jobs or str(row["id"]) in jobs:
            self.already_counted += 1
            return False
        jobs.add(_job_of(row))
        kept["occurrences"] = int(kept.get("occurrences") or 1) + 1
        seen_in = kept.setdefault("seen_in", [])
        if len(seen_in) < MAX_SEEN_IN:
            seen_in.append(_job_of(row))
        self.duplicates += 1
        return False

    def ordered(self) -> list[dict[str, Any]]:
        """Rows to review first, least confident first (ties: smallest margin): the rows that
        teach most; then the reviewed rows, in the order they had."""
        rows = list(self._rows.values())
        todo = [r for r in rows if r.get("label") is None and r.get("skip") is not True]
        todo.sort(key=lambda r: (r["confidence"], r["margin"], r["id"]))
        done = {id(r) for r in todo}
        return todo + [r for r in rows if id(r) not in done]


class ReviewFileError(ValueError):
    """An earlier review file cannot be merged into: the message names the file and line."""


def read_review_file(path: Path) -> list[dict[str, Any]]:
    """The rows of an earlier review file (each a JSON object with a ``fingerprint``)."""
    rows: list[dict[str, Any]] = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewFileError(f"{path}: cannot be read: {exc}") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise ReviewFileError(f"{path}:{number}: not JSON: {exc}") from None
        if not isinstance(row, dict) or not isinstance(row.get("fingerprint"), str):
            raise ReviewFileError(f"{path}:{number}: a review row needs its fingerprint")
        if not isinstance(row.get("id"), str):
            raise ReviewFileError(f"{path}:{number}: a review row needs its id")
        rows.append(row)
    return rows


def write_review_file(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write the rows as JSON Lines atomically (a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with open(tmp, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False))
            handle.write("\n")
            count += 1
    os.replace(tmp, path)
    return count
