"""The extractor's shortcuts give exactly what the plain computation they replace gives.

Each shortcut is compared with a reference kept here: the regexes as first written, the scanner's
line reading (`clean_line` then `parse_marker`), the eager split of a block's last lines.
"""

from __future__ import annotations

import re
from typing import Final

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model._lines import is_github_endgroup, tail_of_block
from model._logtext import clean_line, parse_marker
from model._normalize import _PATH, _mask_path, _mask_paths, shape_key
from model._scan import _END_LINES, _FLOOD, LogScanner
from model._select import _REASON, _names_reason

# --- references ---------------------------------------------------------------------------------
REFERENCE_REASON: Final = re.compile(
    r"(?:status(?: code)?|HTTP(?:/[\d.]+)?|response|code)[:=]? ?[45]\d\d\b"
    r"|\b[45]\d\d (?:Too Many|Forbidden|Unauthorized|Not Found|Service Unavailable|Bad Gateway"
    r"|Internal Server Error|Gateway Time)|Too Many Requests|rate.limit|throttl"
    r"|Connection (?:reset|refused|timed out|closed)|timed out|Permission denied|No space left"
    r"|\bE(?:CONNRESET|CONNREFUSED|TIMEDOUT|NOTFOUND|AI_AGAIN|ACCES|PERM|NOSPC)\b"
    r"|\bno such host\b|Could not resolve host|Name or service not known",
    re.IGNORECASE,
)
_SHAPE_NOISE: Final = re.compile(
    r"'[^']*'|\"[^\"]*\"|`[^`]*`|\S*[/\\]\S*|[0-9a-fA-F]*\d[0-9a-fA-F.:]*"
)
_RULER: Final = re.compile(r"([_=\-.*#~+])\1{2,}")
_WHITESPACE: Final = re.compile(r"\s+")


def reference_shape_key(text: str) -> str:
    text = _SHAPE_NOISE.sub("#", _RULER.sub(r"\1\1\1", text))
    return _WHITESPACE.sub(" ", text).strip().lower()


# Pieces that reach every alternative: quotes, separators, hex and Unicode digits, rulers, the
# characters a case-insensitive match folds onto ASCII letters (ſ, K, İ, ı), Unicode spaces.
_SHAPE_PIECES = [
    "'", '"', "`", "/", "\\", " ", "\t", "\u2003", "\u00a0", "a", "F", "0", "9", "\u0664", ".",
    ":", "___", "==", "-", "..", "*", "#", "~~~", "+", "src/app.py", "deadbeef", "x", "\u00e9",
]  # fmt: skip
_REASON_PIECES = [
    "status", "STATUS", "\u017ftatus", "code", "HTTP/1.1", "http", " ", ":", "=", "4", "5", "0",
    "\u0664", "04", "Too Many Requests", "too many", "Forbidden", "Not Found", "rate", "-",
    "limit", "LIMIT", "throttl", "Connection ", "reset", "timed out", "Permission denied",
    "No space left", "E", "CONNRESET", "ACCES", "PERM", "NOSPC", "\u212aEY", "no such host",
    "Could not resolve host", "Name or service not known", "\u0130", "\u0131", "x", "\u00e9",
    "response", "Gateway Time", "eai_again", "EAI_AGAIN",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SHAPE_PIECES), max_size=40))
def test_shape_key_equals_the_reference(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert shape_key(text) == reference_shape_key(text)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_shape_key_equals_the_reference_on_any_text(text: str) -> None:
    assert shape_key(text) == reference_shape_key(text)


@pytest.mark.parametrize(
    "text",
    [
        "\u0664"
        + "1"
        + "\u0664",  # a Unicode digit right after a number that ends with a hex digit
        "'a'/b c'd'\\e",  # a token holding a separator goes on after a quoted value
        "12/ab 0x1f:2 deadbeef/x",
        "x" * 300 + " /y " + "a" * 300 + "1",
    ],
)
def test_shape_key_equals_the_reference_where_the_shortcuts_reason(text: str) -> None:
    assert shape_key(text) == reference_shape_key(text)


def reference_mask_paths(text: str) -> str:
    """Every whitespace-separated token holding a separator, rewritten alone."""
    parts = re.split(r"(\s+)", text)
    for i in range(0, len(parts), 2):
        if "/" in parts[i] or "\\" in parts[i]:
            parts[i] = _PATH.sub(_mask_path, parts[i])
    return "".join(parts)


_PATH_PIECES = [
    "/", "\\", " ", "\t", "\n", "\u2003", "\u00a0", "a", "Z", "_", ".", "..", "~", "@", "+", "-",
    "C:\\", "/tmp/", "/home/runner/work/_temp/", "x1", "42", ">", "'", "(", ")", ":", ",", "]",
    "\u00e9", "\u0664", "src/app.py", "pip-abc1",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PATH_PIECES), max_size=40))
def test_mask_paths_equals_the_token_by_token_reference(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _mask_paths(text) == reference_mask_paths(text)
    assert _mask_paths(text) == _PATH.sub(_mask_path, text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_mask_paths_equals_the_reference_on_any_text(text: str) -> None:
    assert _mask_paths(text) == reference_mask_paths(text)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_REASON_PIECES), max_size=12))
def test_reason_hints_never_hide_a_match(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _names_reason(text) == (REFERENCE_REASON.search(text) is not None)
    assert (_REASON.search(text) is None) == (REFERENCE_REASON.search(text) is None)


def test_reason_hints_cover_each_alternative() -> None:
    for text in (
        "status code: 503",
        "HTTP/2 429",
        "response=404",
        "got 403 Forbidden",
        "Too Many Requests",
        "rate-limited",
        "throttled",
        "Connection reset by peer",
        "read timed out",
        "Permission denied",
        "No space left on device",
        "ECONNREFUSED 127.0.0.1",
        "dial tcp: lookup x: no such host",
        "Could not resolve host: github.com",
        "Name or service not known",
        "\u017fTATUS 500",  # long s folds onto s
        "E\u212aNOSPC"[0:1] + "NOSPC",
    ):
        assert _names_reason(text), text
        assert REFERENCE_REASON.search(text) is not None
    assert not _names_reason("error: mismatched types")


# --- the scanner's `##[endgroup]` shortcut ------------------------------------------------------
_STAMP = "2024-01-01T00:00:00.0000000Z "
_STAMP_PIECES = [
    _STAMP,
    _STAMP[:-1],
    _STAMP[:10],
    _STAMP[10:],
    "\ufeff",
    "\x00",
    "\u00e9",
    "\x1b[1m",
]
_END_PIECES = ["##[endgroup]", "##[endgroup]", "\r", " ", "x", "\x1b[0m", "##[group]"]


def _check_endgroup_line(raw: bytes) -> None:
    """Where the shortcut fires, reading the line in full finds a header end, and the
    scanner's flood filter sees structure there (so the line is never skipped as noise)."""
    block = raw + b"\n"
    if not is_github_endgroup(block, 0, len(raw)):
        return
    marker = parse_marker(raw.decode("utf-8", "replace"), clean_line(raw), "github_actions")
    assert marker is not None and marker.kind == "header_end", raw
    assert not marker.states_reason
    assert _FLOOD.search(block, 0, len(raw)) >= 0


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.sampled_from(_STAMP_PIECES), max_size=3),
    st.lists(st.sampled_from(_END_PIECES), max_size=3),
)
def test_endgroup_shortcut_agrees_with_reading_the_line(stamp: list[str], tail: list[str]) -> None:
    _check_endgroup_line(("".join(stamp) + "".join(tail)).encode("utf-8"))


def test_endgroup_shortcut_fires_on_the_usual_lines_only() -> None:
    fires = [
        f"{_STAMP}##[endgroup]",
        f"{_STAMP}##[endgroup]\r",
        f"{_STAMP.replace('.', ',')}##[endgroup]",
    ]
    skips = [
        f"{_STAMP}##[endgroup] ",
        f"\ufeff{_STAMP}##[endgroup]",
        "2024-01-01T00:00:00.\u00e9000Z ##[endgroup]",
        f"{_STAMP}\x1b[0m##[endgroup]",
        f"{_STAMP[:-1]}##[endgroup]",
    ]
    for line in fires + skips:
        raw = line.encode("utf-8")
        assert is_github_endgroup(raw + b"\n", 0, len(raw)) == (line in fires), line
        _check_endgroup_line(raw)


# --- the pending tail of a block ----------------------------------------------------------------
_PREFIX = b"".join(b"2024 line %d of the setup output\n" % i for i in range(400))  # > 8 KB


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([b"", b"a", b"error: x", b"\r", b"x" * 300]), max_size=40),
    st.lists(st.sampled_from([b"", b"tail", b"\r", b"y" * 5000]), min_size=1, max_size=3),
    st.booleans(),
)
def test_pending_tail_equals_the_eager_split(
    lines: list[bytes], last: list[bytes], long_first: bool
) -> None:
    """Blocks fed one after the other leave the same last lines, split late or at once."""
    first = (_PREFIX if long_first else b"") + b"".join(line + b"\n" for line in lines)
    if not first:
        first = b"\n"
    second = b"\n".join(last) + b"\n"
    scanner = LogScanner("plain")
    fed = scanner.feed(first, 1)
    scanner.feed(second, 1 + fed)
    got = list(scanner._tail_lines())

    expected: list[tuple[int, bytes]] = []
    expected += tail_of_block(first, 0, len(first), fed, _END_LINES)
    expected += tail_of_block(second, 0, len(second), fed + len(last), _END_LINES)
    assert got == expected[-_END_LINES:]
