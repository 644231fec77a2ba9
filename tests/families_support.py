"""Checks shared by the failure-family tests: a family writes a tool's own output, nothing else."""

from __future__ import annotations

import re
from collections.abc import Iterable

ANSI = re.compile(r"\x1b\[")
# The runner's own prefix (ISO with a T). A tool may print its own log timestamps.
RUNNER_TIMESTAMP = re.compile(r"^\ufeff?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
# Any leading date and time: for families whose tools never print one.
ANY_TIMESTAMP = re.compile(r"^\ufeff?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}")
RUNNER_MARKER = re.compile(r"^##\[(error|warning|notice|group|endgroup|command)\]")


def assert_clean_output_lines(
    lines: Iterable[str], timestamp: re.Pattern[str] = RUNNER_TIMESTAMP
) -> None:
    """One line each, at most 500 characters, no colours, timestamps or runner markers: the
    assembler adds those per CI format."""
    for line in lines:
        assert isinstance(line, str)
        assert "\n" not in line and "\r" not in line, repr(line)
        assert len(line) <= 500, repr(line)
        assert not ANSI.search(line), repr(line)
        assert not timestamp.match(line), repr(line)
        assert not RUNNER_MARKER.match(line), repr(line)
