"""Feedback examples: the text a correction is stored and trained on, and its dataset record.

A feedback example is not a log but the text the model classified for it (the failing step,
the decisive lines, then the region's context: :func:`model._features.feature_text`), redacted
and bounded. Training must read it back as that same text rather than extract a region from
it again: its record has ``kind`` ``region`` and :func:`region_of` rebuilds the region.
"""

from __future__ import annotations

import hashlib
from typing import Any, Final

from datasets.records import LabelledLog
from model._extract import Evidence, Region
from model.redact import redact_secrets

FEEDBACK_SOURCE: Final = "feedback"
REGION_KIND: Final = "region"
FAMILY_PREFIX: Final = "feedback:"
MAX_REGION_CHARS: Final = 8000
"""Stored region text, at most: the region itself is at most 4000 characters of context."""
_MAX_HEAD_CHARS: Final = 1500
"""The step name and the decisive lines, each at most this long."""


def _one_line(text: str | None) -> str:
    return (text or "").replace("\n", " ")


def region_text(region: Region) -> str:
    """The redacted, bounded text the model classifies for ``region``.

    Each part is redacted on its own so that a replacement never joins two parts; NUL
    characters (no database stores them in text) are dropped.
    """
    step = redact_secrets(_one_line(region.step))[:_MAX_HEAD_CHARS]
    decisive = redact_secrets(_one_line(region.decisive))[:_MAX_HEAD_CHARS]
    text = f"{step}\n{decisive}\n{redact_secrets(region.text)}".replace("\x00", "")
    return text[:MAX_REGION_CHARS]


def region_of(text: str) -> Region:
    """The region whose feature text is ``text`` (the inverse of :func:`region_text`).

    ``evidence`` holds the decisive line, so that a prediction for it is not ``unknown`` for
    want of evidence, as it would be for a log in which nothing was found.
    """
    step, _, rest = text.partition("\n")
    decisive, _, context = rest.partition("\n")
    anchor = decisive or context.strip().partition("\n")[0]
    evidence = (Evidence(1, anchor, None),) if anchor else ()
    return Region(
        evidence=evidence,
        text=context,
        decisive=decisive,
        fingerprint=_text_fingerprint(text),
        step=step or None,
        exit_code=None,
        log_format="plain",
        total_lines=text.count("\n") + 1,
        total_bytes=len(text.encode("utf-8", errors="replace")),
    )


def _text_fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="replace")).hexdigest()[:16]


def family(fingerprint: str) -> str:
    """The split group of a feedback example: its failure, so every split keeps it whole."""
    return f"{FAMILY_PREFIX}{fingerprint}"


def is_feedback(record: LabelledLog) -> bool:
    return record.source == FEEDBACK_SOURCE


def feedback_record(
    *,
    fingerprint: str,
    label: str,
    region: str,
    feedback_source: str,
    repository: str | None = None,
    previous: str | None = None,
    created_at: str | None = None,
) -> LabelledLog:
    """One dataset record (see :mod:`datasets.records`) for the label a failure was given."""
    extra: dict[str, Any] = {"feedback_source": feedback_source, "fingerprint": fingerprint}
    if repository is not None:
        extra["repository"] = repository
    if previous is not None:
        extra["previous"] = previous
    if created_at is not None:
        extra["created_at"] = created_at
    return LabelledLog(
        id=f"{FEEDBACK_SOURCE}-{fingerprint}",
        label=label,
        source=FEEDBACK_SOURCE,
        log=region,
        family=family(fingerprint),
        kind=REGION_KIND,
        extra=extra,
    )
