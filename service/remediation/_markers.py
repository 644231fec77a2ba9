"""Hidden markers carried by every write: they make writes findable and idempotent.

A marker is an HTML comment on a line of its own, outside any code block. Log-derived text
never contains ``<!--`` (see :func:`service.remediation._sanitize.neutralise`), so a marker
found by :func:`markers_in` was written by autoheal, not smuggled in by a log.
"""

from __future__ import annotations

import re
from typing import Final

_MARKER: Final = re.compile(r"^<!-- autoheal:([a-z_]+)=([A-Za-z0-9_.:/-]{1,200}) -->$", re.M)
_SAFE_VALUE: Final = re.compile(r"^[A-Za-z0-9_.:/-]{1,200}$")


def marker(key: str, value: str | int) -> str:
    """One marker line, e.g. ``<!-- autoheal:fingerprint=0123abcd -->``."""
    text = str(value)
    if not _SAFE_VALUE.match(text) or not key.isidentifier():
        raise ValueError(f"unsafe marker {key}={text!r}")
    return f"<!-- autoheal:{key}={text} -->"


def marker_block(**values: str | int) -> str:
    """Marker lines for every keyword, in order, joined by newlines."""
    return "\n".join(marker(key, value) for key, value in values.items())


def markers_in(body: str | None) -> dict[str, set[str]]:
    """Every marker value in ``body``, by key."""
    found: dict[str, set[str]] = {}
    for key, value in _MARKER.findall(body or ""):
        found.setdefault(key, set()).add(value)
    return found


def has_marker(body: str | None, key: str, value: str | int) -> bool:
    return str(value) in markers_in(body).get(key, set())
