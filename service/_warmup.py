"""Warm a freshly loaded classifier up before it serves: classify generated logs as requests do.

The scanner's RE2 patterns build their DFA states lazily, as texts need them: a new process's
first few hundred distinct logs take about 1.5 to 2 times as long to extract as they do once
the states exist. Run through a few hundred generated GitHub Actions job logs (every failure
label, several ecosystems) first, the process answers its first requests at close to its
settled speed. The logs are built in memory from the project's generator, the same ones in
every process (a fixed seed).

Measured on two cores: 200 logs take 0.4-0.5 s (generating them about 0.2 s), after which new
logs take ~1.3 times their settled extraction time instead of ~1.7; within 10% of it takes
about 1,000 logs (1.5-2 s). The scanner's states belong to the process, so on a reload they are
there already: the warm-up then mostly re-runs the new model's prediction path.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from model import LogText, extract_region
from model.classifier import Classifier

if TYPE_CHECKING:
    from datasets.generator import Family

log = logging.getLogger("autoheal.service")

_SEED: Final = "autoheal:warmup"
_FORMAT: Final = "github_actions"


@dataclass(frozen=True)
class Warmup:
    """What a warm-up did: how many logs it classified, in how long (generating them included)."""

    logs: int
    seconds: float

    def as_log_field(self) -> dict[str, Any]:
        return {"logs": self.logs, "seconds": round(self.seconds, 3)}


def warmup_logs(count: int) -> Iterator[bytes]:
    """``count`` distinct GitHub Actions job logs (UTF-8), built one at a time as they are
    read; the labels take turns, so that every kind of failure is among them."""
    # Imported here: the generator's families are needed only by a warm-up.
    from datasets.generator import all_families, build_job, render

    by_label: dict[str, list[Family]] = {}
    for family in all_families():
        by_label.setdefault(family.label, []).append(family)
    labels = sorted(by_label)
    made = 0
    index = 0
    while made < count and index < 2 * count + len(labels):  # a few families are skipped
        rng = random.Random(f"{_SEED}:{index}")
        family = rng.choice(by_label[labels[index % len(labels)]])
        index += 1
        ecosystem = rng.choice(family.ecosystems)
        failure = family.make(rng, ecosystem)
        if failure.formats and _FORMAT not in failure.formats:
            continue  # lines only another CI system prints
        yield render(build_job(failure, ecosystem, rng), _FORMAT).text.encode("utf-8")
        made += 1


def warm_up(classifier: Classifier, count: int) -> Warmup:
    """Classify ``count`` generated logs with ``classifier`` as a request does (extraction,
    then prediction). Never raises: a failure is logged as a warning and ends the warm-up."""
    if count <= 0:
        return Warmup(0, 0.0)
    started = time.perf_counter()
    done = 0
    try:
        for data in warmup_logs(count):
            classifier.predict_region(extract_region(LogText(data)))
            done += 1
    except Exception as exc:  # a cold cache is slower, not wrong: the model loads anyway
        log.warning(
            "model warm-up failed",
            extra={"logs": done, "error": f"{type(exc).__name__}: {exc}"},
            exc_info=True,
        )
    return Warmup(done, time.perf_counter() - started)
