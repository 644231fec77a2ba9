"""Pieces every CI format renderer shares: the result type, a timestamp clock, ANSI colour."""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass

from datasets.generator._job import Job, Step

ESC = "\x1b"
BOM = "\ufeff"


@dataclass
class Rendered:
    """A rendered job log, with where the failing step sits in it (for excerpts)."""

    lines: list[str]
    fail_header: int
    """Index of the first line the failing step owns (its group or section header)."""
    fail_output: int
    """Index of the failing step's first output line."""
    fail_end: int
    """Index just after the runner's exit and error lines for the failure."""

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class Clock:
    """Increasing timestamps in 100 ns ticks, formatted as the Actions API does.

    Formatting caches the date-and-second part, which changes rarely from line to line.
    """

    def __init__(self, start: float, rng: random.Random) -> None:
        self.ticks = int(start * 10_000_000)
        self.rng = rng
        self._second = -1
        self._prefix = ""

    def advance(self, seconds: float) -> None:
        self.ticks += int(seconds * 10_000_000)

    def iso(self, digits: int = 7) -> str:
        """``2026-03-14T09:26:53.1234567Z`` for the current time (``digits`` fractional)."""
        second, frac = divmod(self.ticks, 10_000_000)
        if second != self._second:
            self._second = second
            self._prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return f"{self._prefix}.{frac:07d}"[: 20 + digits] + "Z"

    def stamp(self, mean_gap: float) -> str:
        """Move on by a random gap (about ``mean_gap`` seconds, at least 100 ns) and format."""
        self.ticks += 1 + int(self.rng.random() * 2 * mean_gap * 10_000_000)
        return self.iso() + " "

    def stamp_lines(self, lines: list[str], mean_gap: float) -> list[str]:
        """Prefix each line with a timestamp, as :meth:`stamp` does (inlined: the hot path)."""
        rnd = self.rng.random
        span = 2 * mean_gap * 10_000_000
        ticks, second_cached, prefix = self.ticks, self._second, self._prefix
        out = []
        for line in lines:
            ticks += 1 + int(rnd() * span)
            second, frac = divmod(ticks, 10_000_000)
            if second != second_cached:
                second_cached = second
                prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            out.append(f"{prefix}.{frac:07d}Z {line}")
        self.ticks, self._second, self._prefix = ticks, second_cached, prefix
        return out

    def unix(self) -> int:
        return self.ticks // 10_000_000


_PASS = f"{ESC}[32m"
_FAIL = f"{ESC}[31m"
_BOLD_FAIL = f"{ESC}[1m{ESC}[31m"
_WARN = f"{ESC}[33m"
_RESET = f"{ESC}[0m"
_WORD_COLOURS = {
    "PASSED": _PASS,
    "PASS": _PASS,
    "passed": _PASS,
    "ok": _PASS,
    "✓": _PASS,
    "FAILED": _FAIL,
    "FAIL": _FAIL,
    "failed": _FAIL,
    "ERROR": _BOLD_FAIL,
    "error": _BOLD_FAIL,
    "Error": _FAIL,
    "✕": _FAIL,
    "✗": _FAIL,
    "warning": _WARN,
    "WARNING": _WARN,
    "WARN": _WARN,
}
_WORDS_RE = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, _WORD_COLOURS)) + r")(?![\w/.-])")
_CARGO_VERB_RE = re.compile(
    r"^(\s+)(Compiling|Checking|Finished|Running|Downloaded|Updating|Doc-tests|Locking)\b"
)


def _paint(match: re.Match[str]) -> str:
    word = match.group(1)
    return f"{_WORD_COLOURS[word]}{word}{_RESET}"


def colourise(line: str) -> str:
    """Colour a tool's output line the way common tools do when they detect a colour terminal."""
    if _CARGO_VERB_RE.match(line):
        return _CARGO_VERB_RE.sub(
            lambda m: f"{m.group(1)}{ESC}[1m{ESC}[92m{m.group(2)}{_RESET}", line
        )
    return _WORDS_RE.sub(_paint, line)


def step_lines(step: Step, coloured: bool) -> list[str]:
    if coloured and step.coloured:
        return [colourise(line) for line in step.lines]
    return step.lines


def failure_lines(job: Job, coloured: bool) -> list[str]:
    """The failing step's output, coloured in some jobs as a colour-forcing CI setup does."""
    lines = job.failure.lines
    if coloured and job.rng.random() < 0.6:
        return [colourise(line) for line in lines]
    return list(lines)


def is_action_ref(command: str) -> bool:
    """True for a GitHub action reference such as ``actions/upload-artifact@v4``."""
    return _ACTION_RE.fullmatch(command.strip()) is not None


_ACTION_RE = re.compile(r"[\w.-]+/[\w./-]+@[\w.-]+")


def cancelled(job: Job) -> bool:
    """Whether the runner's own errors say the job was stopped rather than failing."""
    text = " ".join(job.failure.runner_errors).lower()
    return job.failure.exit_code is None and any(
        word in text for word in ("cancel", "abort", "timed out", "timeout", "exceeded")
    )
