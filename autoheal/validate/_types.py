"""Column types as a configuration spells them: pyarrow's names, lists and timestamps.

``int64``, ``int32``, ``double`` (or ``float64``), ``float``, ``string`` (or ``utf8``),
``large_string``, ``bool``, ``binary``, ``date32`` and the other names pyarrow knows
(``pyarrow.type_for_alias``); ``timestamp[s]`` to ``timestamp[ns]`` with an optional
``, tz=Zone``; ``list<T>`` and ``large_list<T>`` of any of these.
"""

from __future__ import annotations

import re
from typing import Final

import pyarrow as pa

_TIMESTAMP: Final = re.compile(
    r"timestamp\[(s|ms|us|ns)(?:,\s*tz=([A-Za-z0-9_+\-/:]+))?\]", re.IGNORECASE
)
_LIST: Final = re.compile(r"(large_list|list)<(.+)>")


def parse_type(text: str) -> pa.DataType:
    """The pyarrow type ``text`` names; ValueError with the accepted forms otherwise."""
    spelled = text.strip()
    lowered = spelled.lower()
    listed = _LIST.fullmatch(lowered)
    if listed is not None:
        inner = parse_type(spelled[len(listed.group(1)) + 1 : -1])
        return pa.large_list(inner) if listed.group(1) == "large_list" else pa.list_(inner)
    stamp = _TIMESTAMP.fullmatch(spelled)  # the zone keeps its case: "Europe/Paris"
    if stamp is not None:
        return pa.timestamp(stamp.group(1).lower(), tz=stamp.group(2))
    try:
        return pa.type_for_alias(lowered)
    except (ValueError, KeyError):
        raise ValueError(
            f"unknown column type {text!r}: use a pyarrow type name (int64, double, string, "
            "bool, date32, ...), timestamp[unit] or timestamp[unit, tz=Zone], or list<type>"
        ) from None
