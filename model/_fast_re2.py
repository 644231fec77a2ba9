"""Match offsets of a compiled google-re2 pattern over bytes, without per-match objects.

The ``re2`` module's ``finditer`` and ``search`` build a match object (spans, groups, offsets)
in Python for every match; the scanner only needs where each match starts, and asks for it tens
of times per log. `Re2Starts` calls the compiled pattern directly and walks the text exactly as
``finditer`` does (same positions, same step past an empty match).

"Directly" means `match_function`: the same pattern compiled by the system's RE2 library and
called without google-re2's pybind11 layer (`model._cre2`, which spares about 0.9 µs a call),
or google-re2's own compiled object where that module was not built.
`set_match_function` does the same for a set of patterns.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator, Sequence
from types import ModuleType
from typing import Any, Final

import re2
from re2 import _re2

_UNANCHORED: Final = _re2.RE2.Anchor.UNANCHORED
_NO_MATCH: Final = (-1, -1)
# The options `model._cre2` takes; a pattern with any other option changed goes to google-re2.
_NATIVE_OPTIONS: Final = ("max_mem", "case_sensitive", "never_capture")


def _native_module() -> ModuleType | None:
    """`model._cre2`, or None when it was not built or ``AUTOHEAL_NATIVE_RE2=0`` turns it off.
    (Typed as optional: mypyc, which compiles this module, trusts the types it is given.)"""
    if os.environ.get("AUTOHEAL_NATIVE_RE2") == "0":
        return None
    try:
        return importlib.import_module("model._cre2")
    except ImportError:  # pragma: no cover - depends on the build
        return None


_cre2: ModuleType | None = _native_module()
NATIVE_RE2: Final[bool] = _cre2 is not None


def _native_options(options: Any) -> dict[str, Any] | None:
    """The options for `model._cre2`, or None when some other option is not the default."""
    default = re2.Options()
    for name in re2.Options.NAMES:
        if name not in _NATIVE_OPTIONS and getattr(options, name) != getattr(default, name):
            return None
    return {name: getattr(options, name) for name in _NATIVE_OPTIONS}


def _encoded(pattern: str | bytes) -> bytes:
    return pattern.encode("utf-8") if isinstance(pattern, str) else pattern  # as google-re2 does


def match_function(pattern: Any) -> Callable[[Any, bytes, int, int], Any]:
    """``Match(anchor, text, pos, endpos)`` of a pattern compiled by ``re2.compile``: its first
    item is the span of the match, ``(-1, -1)`` when there is none. Natively when it can be."""
    native = _native_options(pattern.options) if _cre2 is not None else None
    if _cre2 is not None and native is not None:
        try:
            match: Callable[[Any, bytes, int, int], Any] = _cre2.RE2(
                _encoded(pattern.pattern), **native
            ).Match
            return match
        except (ValueError, MemoryError):  # pragma: no cover - google-re2's RE2 is newer
            pass
    fallback: Callable[[Any, bytes, int, int], Any] = pattern._regexp.Match
    return fallback


def set_match_function(
    patterns: Sequence[str | bytes], options: Any
) -> Callable[[bytes], list[int]]:
    """``Match(text)`` of an unanchored set of `patterns`: the indices of those found in the
    text, in no set order (RE2's own depends on its automaton). Natively when it can be, else
    by google-re2's ``Set``."""
    native = _native_options(options) if _cre2 is not None else None
    if _cre2 is not None and native is not None:
        try:
            match: Callable[[bytes], list[int]] = _cre2.Set(
                [_encoded(p) for p in patterns], **native
            ).Match
            return match
        except (ValueError, MemoryError):  # pragma: no cover - google-re2's RE2 is newer
            pass
    rule_set = re2.Set.SearchSet(options)
    for pattern in patterns:
        rule_set.Add(pattern)
    rule_set.Compile()
    set_match: Callable[[bytes], list[int]] = rule_set._set.Match
    return set_match


class Re2Starts:
    """Start offsets of a compiled ``re2`` pattern's matches in a bytes object."""

    def __init__(self, pattern: Any) -> None:
        self.pattern = pattern
        self._match = match_function(pattern)

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
