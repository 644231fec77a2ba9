"""`_first_match`, the scanner's search for the next prefilter match from a line start, finds
exactly the match a walk over `finditer` from the block's start would find there.

One search from the line start usually suffices; it would not when an earlier match runs across
the line break (`...` and blank lines before `Failed`), where the walk is taken instead. These
texts are built to put such matches, and look-alikes, right before the line starts asked for.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from model._scan import _FLOOD, _FULL, _STRONG, _first_match

PREFILTERS = [_FULL, _STRONG, _FLOOD]
PIECES = [
    b"...",
    b"....",
    b".",
    b" ",
    b"\t",
    b"\x0b",
    b"\x0c",
    b"\r",
    b"\n",
    b"\n\n",
    b"Failed",
    b"\x1b[31m",
    b"\x1b[0m",
    b"Error",
    b"ValueError:",
    b"Exception",
    b"error: ",
    b"FAILED",
    b"3 failed",
    b"x",
    b"ok",
    b"##[error]",
    b"2024-01-02T03:04:05.1234567Z ",
    b"$ make",
    b"\xff",
]


def _walk(prefilter: object, block: bytes, lo: int, hi: int, pos: int) -> int:
    starts = prefilter.finditer(block, lo, hi)  # type: ignore[attr-defined]
    return next((start for start in starts if start >= pos), -1)


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=40),
    st.sampled_from(range(len(PREFILTERS))),
    st.data(),
)
def test_first_match_equals_the_walk_over_finditer(
    pieces: list[bytes], which: int, data: st.DataObject
) -> None:
    block = b"".join(pieces)
    lo = data.draw(st.integers(0, len(block)))
    hi = data.draw(st.integers(lo, len(block)))
    line_starts = [lo] + [i + 1 for i in range(lo, hi) if block[i] == 10] + [hi]
    prefilter = PREFILTERS[which]
    for pos in line_starts:
        assert _first_match(prefilter, block, lo, hi, pos) == _walk(prefilter, block, lo, hi, pos)


def test_a_match_across_the_line_break_is_walked_past() -> None:
    # From `lo`, the full prefilter's match `...\n\n   Failed` starts at the dots and holds the
    # next two line starts: a plain search from either would find `Failed` on its own.
    block = b"step ...\n\n   Failed\nnext\n"
    lo, hi = 0, len(block)
    for pos in (9, 10):
        assert _FULL.search(block, pos, hi) == 13
        assert _walk(_FULL, block, lo, hi, pos) == -1
        assert _first_match(_FULL, block, lo, hi, pos) == -1
