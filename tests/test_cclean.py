"""`clean_line` in C (`model._cclean`) gives exactly what the Python code gives, for every ASCII
line; other lines are left to the Python code."""

from __future__ import annotations

import os
import types
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import _logtext
from model._logtext import _clean_line_python, clean_line

try:
    from model import _cclean
except ImportError:  # pragma: no cover - depends on the build
    _cclean = None  # type: ignore[assignment]

needs_cclean = pytest.mark.skipif(_cclean is None, reason="model._cclean is not built")

# Pieces of what cleaning looks for: timestamp prefixes of every shape, GitLab sections, ANSI
# escapes (complete, cut short, OSC with either terminator), CRs, control characters, and the
# characters that make the patterns backtrack.
_PIECES = [
    "2024-01-02T03:04:05.1234567Z ",
    "2024-01-02T03:04:05Z",
    "2024-01-02T03:04:05+01:00 ",
    "2024-01-02T03:04:05-0130",
    "2024-01-02T03:04:05+01:",
    "2024-01-02T03:04:05,5 ",
    "2024-01-02T03:04:05.",
    "[2024-01-02T03:04:05.000Z] ",
    "[2024-01-02 03:04:05] ",
    "[2024-01-02T03:04:05.5]",
    "[12:00:00] ",
    "[12:00:00.25] ",
    "[12:00:00]",
    "section_start:1700000000:build_script[collapsed=true]",
    "section_end:17:step_1\r",
    "section_start::x",
    "section_end:1:[",
    "\x1b[31m",
    "\x1b[0;1;32m",
    "\x1b[2K",
    "\x1b[",
    "\x1b]0;title\x07",
    "\x1b]8;;http://x\x1b\\",
    "\x1b]",
    "\x1b]unterminated",
    "\x1bM",
    "\x1b\\",
    "\x1b[?25l",
    "\r",
    "\r\n",
    "\n",
    "\t",
    " ",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1f",
    "\x7f",
    "\x00",
    "##[error]",
    "##[group]Run make",
    "Error: boom",
    "0",
    "9",
    "[",
    "]",
    "T",
    "Z",
    ":",
    ".",
    ",",
    "+",
    "-",
]
_ASCII = st.characters(min_codepoint=0, max_codepoint=127)
_LINES = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(_ASCII, max_size=6)), max_size=14
).map("".join)


@needs_cclean
@settings(max_examples=4000, deadline=None)
@given(_LINES)
def test_c_cleans_ascii_lines_as_python_does(line: str) -> None:
    assert _cclean.clean_line(line) == _clean_line_python(line)
    raw = line.encode("ascii")
    assert _cclean.clean_line(raw) == _clean_line_python(raw)


@needs_cclean
@settings(max_examples=1500, deadline=None)
@given(st.text(_ASCII, max_size=80))
def test_c_cleans_random_ascii_as_python_does(line: str) -> None:
    assert _cclean.clean_line(line) == _clean_line_python(line)


@needs_cclean
@pytest.mark.parametrize(
    "line",
    [
        "",
        "\r\n",
        "\r\r\r",
        "   \t  ",
        "2024-01-02T03:04:05.1234567Z ",
        "2024-01-02T03:04:05.1234567Z ##[endgroup]\r",
        "progress 10%\rprogress 50%\r2024-01-02T03:04:05Z done\r   \r",
        "\x1b]0;title",
        "\x1b]x\x1b]y\x07z",
        "x" * 1_000_000,
        "section_" * 100_000,
        "\x1b[" * 100_000,
        "\x1b]" * 100_000,
        "\r" * 100_000 + "x",
    ],
    ids=lambda line: repr(line[:30]),
)
def test_c_cleans_edge_cases_as_python_does(line: str) -> None:
    assert _cclean.clean_line(line) == _clean_line_python(line)
    assert _cclean.clean_line(line.encode()) == _clean_line_python(line.encode())


@needs_cclean
@pytest.mark.parametrize(
    "line", ["\ufeff2024 x", "caf\u00e9 error", b"caf\xc3\xa9", b"\xff\xfe broken", "\x9b31m red"]
)
def test_lines_that_are_not_ascii_are_left_to_python(line: str | bytes) -> None:
    assert _cclean.clean_line(line) is None
    assert clean_line(line) == _clean_line_python(line)


@needs_cclean
def test_c_refuses_other_types() -> None:
    with pytest.raises(TypeError):
        _cclean.clean_line(12)  # type: ignore[arg-type]


@needs_cclean
def test_clean_line_uses_the_c_code_for_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    original = _cclean.clean_line

    def counted(raw: bytes | str) -> str | None:
        calls.append(raw)
        return original(raw)

    counting = types.ModuleType("counting_cclean")  # what `_logtext` holds: a module
    counting.clean_line = counted  # type: ignore[attr-defined]
    monkeypatch.setattr(_logtext, "_cclean", counting)
    assert clean_line(b"2024-01-02T03:04:05.1234567Z \x1b[31mError: x\x1b[0m\r\n") == "Error: x"
    assert calls == [b"2024-01-02T03:04:05.1234567Z \x1b[31mError: x\x1b[0m\r\n"]


@needs_cclean
def test_generated_logs_clean_alike() -> None:
    from datasets.generator import generate

    for record in generate(120, seed=21):
        for raw in record.log.encode("utf-8", "replace").split(b"\n"):
            assert clean_line(raw) == _clean_line_python(raw)


def test_the_module_is_built_where_required() -> None:
    if os.environ.get("AUTOHEAL_REQUIRE_NATIVE") != "1":
        pytest.skip("AUTOHEAL_REQUIRE_NATIVE is not set")
    assert _cclean is not None, "model._cclean did not build: is a C compiler installed?"
