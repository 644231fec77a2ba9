"""What the scan keeps of a log: candidate lines, clusters of nearby candidates, and steps.

A step keeps a bounded list of clusters (its first ones and its latest ones), each with a few
of its best lines and its summary line; the context around a kept line is stored raw and
cleaned only when the evidence is chosen (:func:`clean_before`, :func:`clean_after`).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from typing import Final

from model import _scoring as scoring
from model._logtext import clean_line

MAX_LINE_CHARS: Final[int] = 1000  # longer lines are cut when kept as evidence
CONTEXT_BEFORE: Final[int] = 6
CONTEXT_AFTER: Final[int] = 3
CLUSTER_GAP: Final[int] = 8  # candidates further apart than this start a new cluster
ITEMS_PER_CLUSTER: Final[int] = 4
FIRST_CLUSTERS: Final[int] = 40
LAST_CLUSTERS: Final[int] = 24

Context = tuple[tuple[int, str], ...]
RawContext = tuple[tuple[int, bytes], ...]
# A GitLab section marker, removed by cleaning; a section's title is not output.
RAW_BOUNDARY: Final = re.compile(rb"section_(?:start|end):\d")
_RAW_BOUNDARY_SEARCH: Final = RAW_BOUNDARY.search  # bound once: it runs on every line cleaned
# Context never crosses these: they belong to the log's structure, not to a step's output.
BOUNDARIES: Final[tuple[str, ...]] = ("##[", "Post job cleanup.", "[Pipeline] ")


class Candidate:
    # Plain classes with their own `__init__` (here and below): mypyc compiles it, where a
    # dataclass's generated `__init__` runs as interpreted Python on every construction.
    line: int
    text: str
    score: int
    kind: str
    before: RawContext
    after: RawContext
    passed_after: bool

    def __init__(
        self,
        line: int,
        text: str,
        score: int,
        kind: str,
        before: RawContext = (),
        after: RawContext = (),
        passed_after: bool = False,
    ) -> None:
        self.line = line
        self.text = text
        self.score = score
        self.kind = kind
        self.before = before
        self.after = after
        self.passed_after = passed_after

    @property
    def effective(self) -> int:
        """Score after demotion: an error followed by a passing test or a success was expected."""
        return self.score - 45 if self.passed_after else self.score


class Cluster:
    items: list[Candidate]
    summary: Candidate | None
    last_line: int

    def __init__(self) -> None:
        self.items = []
        self.summary = None
        self.last_line = 0

    def saturated(self) -> bool:
        """Full, and every line but the head is strong: later lines cannot improve it."""
        return len(self.items) >= ITEMS_PER_CLUSTER and all(
            c.effective >= scoring.STRONG for c in self.items[1:]
        )

    def add(self, cand: Candidate) -> bool:
        """Keep `cand` if it is among the cluster's best; True when kept."""
        self.last_line = cand.line
        if cand.kind == scoring.SUMMARY:
            self.summary = cand
            return True
        if len(self.items) < ITEMS_PER_CLUSTER:
            self.items.append(cand)
            return True
        # The first line of a cluster (its header, or the first error) always stays.
        weakest = min(range(1, len(self.items)), key=lambda i: self.items[i].effective)
        if cand.effective > self.items[weakest].effective:
            del self.items[weakest]
            self.items.append(cand)
            return True
        return False


class Step:
    """What the scan kept of one step; `name` is None for unnamed parts of a log."""

    name: str | None
    start_line: int
    first: list[Cluster]
    last: deque[Cluster]
    current: Cluster | None
    candidates: int
    best: int
    failed: bool
    exit_code: int | None
    exit_line: Candidate | None
    last_lines: RawContext  # the step's last raw lines, when its end was seen
    in_header: bool
    current_strong: bool  # the latest kept line is strong enough to be a root cause

    def __init__(self, name: str | None, start_line: int) -> None:
        self.name = name
        self.start_line = start_line
        self.first = []
        self.last = deque(maxlen=LAST_CLUSTERS)
        self.current = None
        self.candidates = 0
        self.best = 0
        self.failed = False
        self.exit_code = None
        self.exit_line = None
        self.last_lines = ()
        self.in_header = False
        self.current_strong = False

    def clusters(self) -> list[Cluster]:
        return [*self.first, *self.last]

    def add(self, cand: Candidate) -> bool:
        self.candidates += 1
        self.best = max(self.best, cand.effective)
        self.current_strong = cand.effective >= scoring.STRONG
        cur = self.current
        if (
            cur is None
            or cand.line - cur.last_line > CLUSTER_GAP
            or cur.summary is not None
            or (cand.kind == scoring.HEADER and (cur.items or cur.summary))
        ):
            cur = Cluster()
            self.current = cur
            if len(self.first) < FIRST_CLUSTERS:
                self.first.append(cur)
            else:
                self.last.append(cur)
        return cur.add(cand)


def cut(text: str) -> str:
    return text if len(text) <= MAX_LINE_CHARS else text[:MAX_LINE_CHARS] + " …"


def _cleaned(lines: Iterable[tuple[int, bytes]], limit: int) -> list[tuple[int, str]]:
    """Up to `limit` of the non-blank lines of `lines`, cleaned and cut, in their order, up to a
    step boundary; the lines after the last one kept are not cleaned."""
    out: list[tuple[int, str]] = []
    if limit <= 0:
        return out
    for line, raw in lines:
        text = clean_line(raw)
        if text.startswith(BOUNDARIES) or _RAW_BOUNDARY_SEARCH(raw):
            break
        if text.strip():
            out.append((line, cut(text)))
            if len(out) >= limit:
                break
    return out


def clean_before(context: RawContext, limit: int = CONTEXT_BEFORE) -> Context:
    """Up to `limit` non-blank cleaned lines above a candidate, stopping at a step boundary."""
    out = _cleaned(reversed(context), limit)
    out.reverse()
    return tuple(out)


def clean_after(context: RawContext, limit: int = CONTEXT_AFTER) -> Context:
    """Up to `limit` non-blank cleaned lines below a candidate, stopping at a step boundary."""
    return tuple(_cleaned(context, limit))


def has_output(context: RawContext) -> bool:
    """Whether a step's last lines hold anything but noise and structure."""
    return any(
        not scoring.is_noise(text) for _, text in _cleaned(reversed(context), CONTEXT_BEFORE)
    )
