"""`Re2Starts` walks a text exactly as the re2 module's own `finditer` and `search` do."""

from __future__ import annotations

import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from model import _scoring as scoring
from model._fast_re2 import Re2Starts

PATTERNS = [
    scoring.FULL_PREFILTER,
    scoring.STRONG_PREFILTER,
    scoring.FLOOD_PREFILTER,
    scoring.PASS_AFTER,
    re2.compile(rb"x*"),  # matches the empty string: the walk must step past it
    re2.compile(rb"(a)(b)?"),
]
PIECES = [b"error: ", b"FAILED", b"\n", b"x", b"ab", b"passed", b"\xff\x00", b"exit code 2", b" "]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=30),
    st.integers(-3, 200),
    st.integers(-3, 200),
    st.sampled_from(range(len(PATTERNS))),
)
def test_starts_equal_finditer_and_search(
    pieces: list[bytes], pos: int, end: int, which: int
) -> None:
    text = b"".join(pieces)
    pattern = PATTERNS[which]
    starts = Re2Starts(pattern)
    assert list(starts.finditer(text, pos, end)) == [
        m.start() for m in pattern.finditer(text, pos, end)
    ]
    found = pattern.search(text, pos, end)
    assert starts.search(text, pos, end) == (found.start() if found is not None else -1)
