"""How often people agreed with the model: the real-world check on its answers.

Every label a person gave (a relabel comment or ``POST /v1/feedback``) says whether the model's
category was right; a confirmed fix says it was. Over a window this is the model's precision on
the failures people looked at, which no held-out set can measure. Pure functions of the
effective labels (:func:`service.storage.effective_feedback`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from service.outcomes import as_utc
from service.storage import EffectiveLabel
from service.storage._feedback import HUMAN_SOURCES

TOP_CORRECTIONS: Final = 10


@dataclass(frozen=True)
class FeedbackAgreement:
    labelled: int = 0
    """Failures people labelled in the window (their latest label counts)."""
    agreed: int = 0
    """Of those, how many kept the model's category."""
    confirmed_fixes: int = 0
    """Failures whose fix merged and was followed by a green run, nobody having relabelled them."""
    corrections: list[tuple[str, str, int]] = field(default_factory=list)
    """(model's category, people's category, count), most frequent first."""

    @property
    def agreement(self) -> float | None:
        return self.agreed / self.labelled if self.labelled else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "labelled": self.labelled,
            "agreed": self.agreed,
            "agreement": self.agreement,
            "confirmed_fixes": self.confirmed_fixes,
            "corrections": [
                {"model": model, "people": people, "count": count}
                for model, people, count in self.corrections
            ],
        }


def feedback_agreement(labels: Iterable[EffectiveLabel], since: dt.datetime) -> FeedbackAgreement:
    """The agreement over the labels given at or after ``since``."""
    labelled = agreed = confirmed = 0
    corrections: Counter[tuple[str, str]] = Counter()
    for label in labels:
        if as_utc(label.created_at) < since:
            continue
        if label.source not in HUMAN_SOURCES:
            confirmed += 1
            continue
        if label.previous is None:  # a label for a failure the model never classified
            continue
        labelled += 1
        if label.category == label.previous:
            agreed += 1
        else:
            corrections[(label.previous, label.category)] += 1
    ranked = sorted(corrections.items(), key=lambda item: (-item[1], item[0]))
    return FeedbackAgreement(
        labelled=labelled,
        agreed=agreed,
        confirmed_fixes=confirmed,
        corrections=[(m, p, n) for (m, p), n in ranked[:TOP_CORRECTIONS]],
    )
