"""Make log text safe to write to GitHub: no secrets, no mentions, no markup, bounded size.

Log text is data chosen by whoever controls the failing code. Everything derived from it goes
through :func:`clean_text` and is shown either fenced (:func:`fence`) or as inline code
(:func:`inline_code`), so it can neither ping people, close its block, forge a marker, nor
leak a credential.
"""

from __future__ import annotations

import re
from typing import Final

from model.redact import REDACTED, redact_secrets

MAX_LINE_CHARS: Final = 300
MAX_BLOCK_CHARS: Final = 6000
_ZWSP: Final = "\u200b"

# Shapes model.redact does not cover: a bare token as URL user-info (https://TOKEN@host),
# command-line flags followed by a separate value (--password VALUE), and the
# `x-access-token` user git uses with an Actions token.
_EXTRA_PATTERNS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[A-Za-z0-9_.~%-]{16,}@"), r"\1" + REDACTED + "@"),
    (
        re.compile(
            r"(?i)(--?(?:password|passwd|token|secret|api-key|apikey|access-key|auth)\s+)"
            r"(?!\*\*\*)(?!\[REDACTED\])[^\s\"']{4,}"
        ),
        r"\1" + REDACTED,
    ),
    (re.compile(r"(?i)(x-access-token:)[^\s@]+"), r"\1" + REDACTED),
)
_MENTION: Final = re.compile(r"@(?=[A-Za-z0-9_-])")
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def redact(text: str) -> str:
    """Secrets replaced by ``[REDACTED]``: the project's patterns plus the extra shapes above."""
    text = redact_secrets(text)
    for pattern, replacement in _EXTRA_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def neutralise(text: str) -> str:
    """No ``@mention`` pings, no HTML comments (markers cannot be forged), no control bytes."""
    text = _CONTROL.sub("", text)
    text = _MENTION.sub("@" + _ZWSP, text)
    return text.replace("<!--", "<!" + _ZWSP + "--").replace("-->", "--" + _ZWSP + ">")


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, saying so when it was cut."""
    if len(text) <= limit:
        return text
    note = " [...cut]"
    return text[: max(limit - len(note), 0)] + note


def clean_text(text: str, limit: int = MAX_LINE_CHARS) -> str:
    """Redacted, neutralised and clipped: fit for any place a log string is written."""
    return clip(neutralise(redact(text)), limit)


def fence(text: str, info: str = "text") -> str:
    """``text`` in a code block whose fence is longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text}\n{ticks}"


def inline_code(text: str, limit: int = 120) -> str:
    """A short log-derived name as inline code, on one line, safe inside any sentence."""
    one_line = " ".join(clean_text(text, limit).split())
    longest = max((len(run) for run in re.findall(r"`+", one_line)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if one_line.startswith("`") or one_line.endswith("`") else ""
    return f"{ticks}{pad}{one_line}{pad}{ticks}"


def bounded_lines(lines: list[str], limit: int = MAX_BLOCK_CHARS) -> str:
    """Clean each line and join them, stopping before the block exceeds ``limit`` characters."""
    out: list[str] = []
    size = 0
    for index, line in enumerate(lines):
        cleaned = clean_text(line)
        if size + len(cleaned) + 1 > limit:
            out.append(f"[... {len(lines) - index} more lines cut]")
            break
        out.append(cleaned)
        size += len(cleaned) + 1
    return "\n".join(out)
