"""Match offsets of a compiled google-re2 pattern over bytes, without per-match objects.

The ``re2`` module's ``finditer`` and ``search`` build a match object (spans, groups, offsets)
in Python for every match; the scanner only needs where each match starts, and asks for it tens
of times per log. `Re2Starts` calls the compiled pattern directly and walks the text exactly as
``finditer`` does (same positions, same step past an empty match).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from re2 import _re2

_UNANCHORED: Final = _re2.RE2.Anchor.UNANCHORED
_NO_MATCH: Final = (-1, -1)


class Re2Starts:
    """Start offsets of a compiled ``re2`` pattern's matches in a bytes object."""

    def __init__(self, pattern: Any) -> None:
        self.pattern = pattern
        self._match = pattern._regexp.Match  # the compiled RE2 object behind the wrapper

    def finditer(self, text: bytes, pos: int, endpos: int) -> Iterator[int]:
        """``(m.start() for m in pattern.finditer(text, pos, endpos))``."""
        size = len(text)
        pos = max(0, min(pos, size))
        endpos = max(0, min(endpos, size))
        if pos > endpos:
            return
        match = self._match
        while True:
            span = match(_UNANCHORED, text, pos, endpos)[0]
            if span == _NO_MATCH:
                return
            yield span[0]
            if pos == endpos:
                return
            pos = pos + 1 if pos == span[1] else span[1]

    def search(self, text: bytes, pos: int, endpos: int) -> int:
        """``pattern.search(text, pos, endpos).start()``, or -1 when it finds nothing."""
        size = len(text)
        pos = max(0, min(pos, size))
        endpos = max(0, min(endpos, size))
        if pos > endpos:
            return -1
        start: int = self._match(_UNANCHORED, text, pos, endpos)[0][0]
        return start  # -1 from _NO_MATCH when nothing matched
