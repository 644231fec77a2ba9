"""Byte-level line reading for the scanner: a structure line recognised without decoding it,
the last lines of a block."""

from __future__ import annotations

from typing import Final

# `clean_line` drops the first 29 characters of a line shaped like a GitHub timestamp prefix.
_GITHUB_STAMP_BYTES: Final[int] = 29
_ENDGROUP_LINE_BYTES: Final[int] = _GITHUB_STAMP_BYTES + len(b"##[endgroup]")


def is_github_endgroup(block: bytes, start: int, end: int) -> bool:
    """Whether block[start:end] is `<stamp>##[endgroup]`, optionally with a CR, where the stamp
    is 29 ASCII bytes (so characters are bytes) with `T`, `Z` and a space where `clean_line`
    looks for them before dropping the stamp."""
    return (
        end - start in (_ENDGROUP_LINE_BYTES, _ENDGROUP_LINE_BYTES + 1)
        and block.startswith(b"##[endgroup]", start + _GITHUB_STAMP_BYTES)
        and block[start + _ENDGROUP_LINE_BYTES : end] in (b"", b"\r")
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
