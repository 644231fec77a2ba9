"""Review rows: one per distinct failure, pre-labelled by the model, least confident first.

A row is a record of the datasets JSON Lines format (:mod:`datasets.records`) whose ``label`` is
``null`` until a maintainer fills it in; ``suggested`` is the model's guess, with its
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


class ReviewSet:
    """Rows by fingerprint: the first one seen (the newest run) stays, later ones are counted."""

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, Any]] = {}
        self.duplicates = 0

    def add(self, row: dict[str, Any]) -> bool:
        """Keep ``row``; False when its failure was already kept (then only counted)."""
        kept = self._rows.get(row["fingerprint"])
        if kept is None:
            self._rows[row["fingerprint"]] = row
            return True
        kept["occurrences"] += 1
        if len(kept["seen_in"]) < MAX_SEEN_IN:
            kept["seen_in"].append(row["job_url"] or row["id"])
        self.duplicates += 1
        return False

    def ordered(self) -> list[dict[str, Any]]:
        """Least confident first (ties: smallest margin first): the rows that teach most."""
        return sorted(self._rows.values(), key=lambda r: (r["confidence"], r["margin"], r["id"]))


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
