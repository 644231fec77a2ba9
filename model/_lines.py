"""Byte-level line reading for the scanner: a structure line recognised without decoding it,
the last lines of a block, and the byte searches the scanner runs most.

The searches are the C extension's (`model._speedups`) where it is built: CPython's
`bytes.count` looks at one byte at a time, its `bytes.find` of a needle of a few bytes is
slower than the C library's `memmem`, and each `bytes.find` or `rfind` call parses its
arguments as a tuple. Without the extension they are the bytes methods, with the same results.
"""

from __future__ import annotations

from typing import Final

from model._logtext import clean_line, parse_marker


def _count_newlines_bytes(block: bytes, lo: int, hi: int, /) -> int:
    """`block.count(b"\n", lo, hi)`."""
    return block.count(b"\n", lo, hi)


def _find_bytes_bytes(block: bytes, needle: bytes, lo: int, hi: int, /) -> int:
    """`block.find(needle, lo, hi)`."""
    return block.find(needle, lo, hi)


def _find_newline_bytes(block: bytes, lo: int, hi: int, /) -> int:
    """`block.find(b"\n", lo, hi)`."""
    return block.find(b"\n", lo, hi)


def _rfind_newline_bytes(block: bytes, lo: int, hi: int, /) -> int:
    """`block.rfind(b"\n", lo, hi)`."""
    return block.rfind(b"\n", lo, hi)


def _after_newlines_bytes(block: bytes, lo: int, hi: int, count: int, /) -> int:
    """Offset just past the `count`-th newline of block[lo:hi], or -1 when it holds fewer."""
    pos = lo
    for _ in range(count):
        found = block.find(b"\n", pos, hi)
        if found < 0:
            return -1
        pos = found + 1
    return pos


def _before_newlines_bytes(block: bytes, lo: int, hi: int, count: int, /) -> int:
    """Offset of the `count`-th newline of block[lo:hi] counted from its end, or -1."""
    found = hi
    for _ in range(count):
        found = block.rfind(b"\n", lo, found)
        if found < 0:
            return -1
    return found


try:
    from model._speedups import after_newlines as after_newlines
    from model._speedups import before_newlines as before_newlines
    from model._speedups import count_newlines as count_newlines
    from model._speedups import find_bytes as find_bytes
    from model._speedups import find_newline as find_newline
    from model._speedups import rfind_newline as rfind_newline
except ImportError:  # built without a C compiler (or an older build of the extension)
    after_newlines = _after_newlines_bytes
    before_newlines = _before_newlines_bytes
    count_newlines = _count_newlines_bytes
    find_bytes = _find_bytes_bytes
    find_newline = _find_newline_bytes
    rfind_newline = _rfind_newline_bytes

# `clean_line` drops the first 29 characters of a line shaped like a GitHub timestamp prefix.
_GITHUB_STAMP_BYTES: Final[int] = 29
ENDGROUP_LINE_BYTES: Final[int] = _GITHUB_STAMP_BYTES + len(b"##[endgroup]")


def is_github_endgroup(block: bytes, start: int, end: int) -> bool:
    """Whether block[start:end] is `<stamp>##[endgroup]`, optionally with a CR, where the stamp
    is 29 ASCII bytes (so characters are bytes) with `T`, `Z` and a space where `clean_line`
    looks for them before dropping the stamp."""
    return (
        end - start in (ENDGROUP_LINE_BYTES, ENDGROUP_LINE_BYTES + 1)
        and block.startswith(b"##[endgroup]", start + _GITHUB_STAMP_BYTES)
        and block[start + ENDGROUP_LINE_BYTES : end] in (b"", b"\r")
        and block[start + 10] == 84  # T
        and block[start + 27] == 90  # Z
        and block[start + 28] == 32  # space
        and block[start : start + _GITHUB_STAMP_BYTES].isascii()
    )


def tail_of_block(
    block: bytes, lo: int, hi: int, last_line: int, count: int
) -> list[tuple[int, bytes]]:
    """The last `count` lines of block[lo:hi] (numbered, the last is `last_line`), in order,
    without their line terminators; an empty first line of the block is left out."""
    end = hi - 1 if hi > lo and block[hi - 1] == 10 else hi
    lines: list[tuple[int, bytes]] = []
    line_no = last_line
    while end > lo and len(lines) < count:
        newline = block.rfind(b"\n", lo, end)
        start = newline + 1 if newline >= 0 else lo
        lines.append((line_no, block[start:end]))
        line_no -= 1
        end = start - 1
    lines.reverse()
    return lines


_ERROR_MARKER: Final[bytes] = b"##[error]"
_STEP_HEADER: Final[bytes] = b"##[group]Run "


def failing_step_start(block: bytes, lo: int, hi: int) -> int:
    """Where the GitHub Actions step holding the first error annotation of block[lo:hi] begins:
    the start of the last step header line (`##[group]Run ...`) above the annotation; `lo` when
    there is no annotation or no header above it.

    A step fails only on a line whose cleaned text starts with `##[error]` (the runner's
    failure marker, or an annotation the scanner reads as the runner's reason). The runner
    writes that marker literally, and GitHub's log viewer reads it only so; so no step that ends
    before the first `##[error]` in the bytes is the failing one. A header is taken only when
    the scanner itself would read its line as a step's start.
    """
    error = find_bytes(block, _ERROR_MARKER, lo, hi)
    if error < 0:
        return lo
    end = error
    while True:
        header = block.rfind(_STEP_HEADER, lo, end)
        if header < 0:
            return lo
        newline = block.rfind(b"\n", lo, header)
        line_start = newline + 1 if newline >= 0 else lo
        line_end = block.find(b"\n", header, hi)
        raw = block[line_start : hi if line_end < 0 else line_end].decode("utf-8", "replace")
        marker = parse_marker(raw, clean_line(raw), "github_actions")
        if marker is not None and marker.kind == "step":
            return line_start
        end = line_start  # what the line is, its other headers are too: each line read once
