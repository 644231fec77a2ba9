"""`pattern.subn` in linear time for patterns whose matches start inside a run of name characters.

Three substitutions (a URL, credentials in a URL, a ``password=...`` assignment) begin with a
word boundary and a run of name characters (a URL scheme, a variable name). Python's regex
engine tries such a pattern again from every word boundary of a long run, each try reading the
rest of the run: 4 KB of ``a.b.c.d...`` and the word ``token`` take a second to redact. Every
match of these patterns holds an *anchor* (``://`` right after the scheme, a secret-looking word
inside the name) and starts in the run of name characters that holds, or ends at, the anchor.
If a match starts anywhere in such a run, one starts at the run's first *start* (the first word
boundary, or the first word boundary before a letter): from there the run's characters up to
the later start are read by the pattern's own run of name characters, and the rest of the
match is the same. A run without an anchor holds no match, and a match ends past its run (after
the value, the ``@`` or the URL), so the next one starts in a later run. So `RunAnchoredSub`
tries each run that holds an anchor once, at that position, and gives exactly what
``pattern.subn`` gives (tested against it, and the run characters over every code point).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

Replacement = str | Callable[[re.Match[str]], str]


class RunAnchoredSub:
    """``pattern.subn(replacement, text)``; see the module docstring for what the pattern must
    satisfy. ``run`` matches a (possibly empty) run of the pattern's name characters,
    ``run_chars`` holds the same characters, and ``start`` finds where a match may begin."""

    def __init__(
        self,
        pattern: re.Pattern[str],
        replacement: Replacement,
        *,
        anchor: re.Pattern[str],
        run: re.Pattern[str],
        run_chars: frozenset[str],
        start: re.Pattern[str],
    ) -> None:
        self.pattern = pattern
        self.replacement = replacement
        self.anchor = anchor
        self.run = run
        self.run_chars = run_chars
        self.start = start

    def _expand(self, match: re.Match[str]) -> str:
        if isinstance(self.replacement, str):
            return match.expand(self.replacement)
        return self.replacement(match)

    def subn(self, text: str) -> tuple[str, int]:
        pieces: list[str] = []
        pos = count = 0
        done = 0  # the runs before this offset were tried
        for found in self.anchor.finditer(text):
            at = found.start()
            if at < pos or at < done:
                continue  # inside the last match, or in a run already tried
            # The run that holds or ends at the anchor: one try for the whole run, whichever of
            # its anchors (some may hide inside others, `finditer` does not overlap) a match uses.
            first = at
            floor = max(pos, done)
            while first > floor and text[first - 1] in self.run_chars:
                first -= 1
            rest = self.run.match(text, at)  # a run may go on past a word inside it
            done = end = rest.end() if rest is not None else at
            # `endpos` ends the string for the search (so `\b` holds there): no start at `end`.
            begin = self.start.search(text, first, end)
            if begin is None or begin.start() >= end:
                continue
            match = self.pattern.match(text, begin.start())
            if match is None:
                continue  # no later start of the run matches either
            pieces += (text[pos : match.start()], self._expand(match))
            pos = match.end()
            count += 1
        if not count:
            return text, 0
        pieces.append(text[pos:])
        return "".join(pieces), count


# Characters that a case-insensitive [a-z] matches besides the ASCII letters (every code point
# checked in the tests).
FOLDED_LETTERS: Final = frozenset("\u0130\u0131\u017f\u212a")
ASCII_LETTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
DIGITS: Final = frozenset("0123456789")
