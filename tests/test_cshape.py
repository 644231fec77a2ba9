"""`model._cshape.shape_key` (C, ASCII text) against the regular-expression code it mirrors.

Two references: `_shape_key_python` (the linear-time patterns the package runs on non-ASCII
text) and `plain_shape_key` below, the noise pattern written plainly (quadratic on long tokens,
so only used on short texts).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Final
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model._normalize import _shape_key_python, shape_key
from tests.native_support import REQUIRED

try:
    from model import _cshape
except ImportError:  # built without a C compiler
    _cshape = None  # type: ignore[assignment]

needs_cshape = pytest.mark.skipif(
    _cshape is None, reason="model._cshape is not built (no C compiler at install time)"
)

_PLAIN_NOISE: Final = re.compile(
    r"'[^']*'|\"[^\"]*\"|`[^`]*`|\S*[/\\]\S*|[0-9a-fA-F]*\d[0-9a-fA-F.:]*"
)
_PLAIN_RULER: Final = re.compile(r"([_=\-.*#~+])\1{2,}")


def plain_shape_key(text: str) -> str:
    return " ".join(_PLAIN_NOISE.sub("#", _PLAIN_RULER.sub(r"\1\1\1", text)).split()).lower()


def native(text: str) -> str | None:
    assert _cshape is not None
    return _cshape.shape_key(text)


# Characters and fragments the patterns react to: quotes, separators, every kind of ASCII
# whitespace, hex and decimal digits, the number tail `.:`, ruler characters, upper case.
_SPECIAL: Final = "'\"`/\\ \t\n\v\f\r\x1c\x1d\x1e\x1f0123456789abcdefABCDEFgxyzGXZ.:_=-*#~+"
_FRAGMENTS: Final = (
    "/usr/lib/",
    "C:\\Temp\\",
    "'a.json'",
    '"key"',
    "`cmd`",
    "0x1F",
    "deadbeef",
    "v1.2.3",
    "10.0.0.1:8080",
    "...",
    "-----",
    "=====",
    "____",
    "~~~~",
    "+++",
    "****",
    "####",
    "ERROR",
    "Error: ENOENT",
    " ",
    "  \n",
)
biased_text = st.lists(
    st.one_of(st.sampled_from(_SPECIAL), st.sampled_from(_FRAGMENTS)), max_size=40
).map("".join)
ascii_text = st.text(st.characters(max_codepoint=127), max_size=60)


@needs_cshape
@settings(max_examples=3000, deadline=None)
@given(biased_text)
def test_c_matches_both_references_on_biased_text(text: str) -> None:
    expected = _shape_key_python(text)
    assert plain_shape_key(text) == expected
    assert native(text) == expected


@needs_cshape
@settings(max_examples=1500, deadline=None)
@given(ascii_text)
def test_c_matches_both_references_on_any_ascii(text: str) -> None:
    expected = _shape_key_python(text)
    assert plain_shape_key(text) == expected
    assert native(text) == expected


@needs_cshape
@settings(max_examples=300, deadline=None)
@given(biased_text, st.sampled_from("é€\u00a0\u2003\U0001f600٣"), st.integers(0, 40))
def test_non_ascii_text_goes_to_python(text: str, extra: str, at: int) -> None:
    text = text[:at] + extra + text[at:]
    assert native(text) is None
    assert shape_key(text) == _shape_key_python(text)


@cache
def generated_log_texts() -> tuple[str, ...]:
    """The lines of generated logs and the texts extraction takes the shape of."""
    from datasets.generator import generate
    from model import extract_region

    seen: list[str] = []

    def recording(text: str) -> str:
        seen.append(text)
        return shape_key(text)

    logs = [record.log for record in generate(80, seed=17)]
    with patch("model._select.shape_key", recording):
        for log in logs:
            extract_region(log)
    assert seen, "extraction took no shape: the recorder is not where shape_key is called"
    lines = [line for log in logs for line in log.splitlines()]
    return (*seen, *lines)


@needs_cshape
def test_c_matches_python_on_generated_logs() -> None:
    texts = generated_log_texts()
    for text in texts:
        if text.isascii():
            assert native(text) == _shape_key_python(text), text


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        " \t\n\v\f\r\x1c\x1d\x1e\x1f ",
        "'",
        "''",
        "'a/b",  # an unpaired quote: the token alternative takes it with the path
        "x'a b' c/d 'e",
        "\"a\" 'b' `c` 'unclosed \"also",
        "a/b/c d\\e f",
        "abc/def",
        "/",
        "ab12cd.ef:gh",  # digit inside a hex run, the tail goes on through `.:`
        "abcdef1",
        "abcdefg1",  # `g` ends the hex run before the digit: only `1` is a number
        "a.1",
        "fff",
        "0x1F.2:3",
        "v1.2.3-beta",
        "-----x-----",
        "====== 12 ======",
        "1#### 2",  # `#` from a number next to a ruler run
        "....1.....",
        "AbC DeF \x1cXyZ",
        "\x00\x01\x7f",
        "Error: ENOENT: no such file or directory, open '/tmp/x/a.json'",
    ],
)
@needs_cshape
def test_edge_cases(text: str) -> None:
    expected = plain_shape_key(text)
    assert _shape_key_python(text) == expected
    assert native(text) == expected


# Long inputs: a plain regex (or a naive scan) rereads the token or hex run from each of its
# characters. Compared with the linear Python code only.
_HUGE = 1 << 20


@pytest.mark.parametrize(
    "make",
    [
        lambda: "a" * _HUGE,
        lambda: "a" * _HUGE + "/",
        lambda: "/" + "a" * _HUGE,
        lambda: "f" * _HUGE,
        lambda: "f" * _HUGE + "1",
        lambda: "1" + "f" * _HUGE,
        lambda: "'" + "a" * _HUGE,
        lambda: "'" * _HUGE,
        lambda: "' " * (_HUGE // 2),
        lambda: "'\"`" * (_HUGE // 3),
        lambda: "-" * _HUGE,
        lambda: "-=" * (_HUGE // 2),
        lambda: "a1 " * (_HUGE // 3),
        lambda: "x/y " * (_HUGE // 4),
        lambda: "\t\n\x1c" * (_HUGE // 3),
        lambda: ".:" * (_HUGE // 2) + "1",
    ],
    ids=lambda make: f"{make()[:4]!r}..{make()[-4:]!r}",
)
@needs_cshape
def test_huge_and_pathological_inputs(make: Callable[[], str]) -> None:
    text = make()
    assert native(text) == _shape_key_python(text)


@needs_cshape
def test_shape_key_runs_the_c_code_on_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _cshape is not None
    calls: list[str] = []
    original = _cshape.shape_key

    def counted(text: str) -> str | None:
        calls.append(text)
        return original(text)

    monkeypatch.setattr(_cshape, "shape_key", counted)
    assert shape_key("Open 'a.json' failed at /x/y:12") == "open # failed at #"
    assert calls == ["Open 'a.json' failed at /x/y:12"]
    assert shape_key("ouvert 'é.json'") == "ouvert #"
    assert len(calls) == 1  # non-ASCII text goes straight to the Python code


@needs_cshape
def test_wrong_argument_type_raises() -> None:
    assert _cshape is not None
    with pytest.raises(TypeError, match="str"):
        _cshape.shape_key(b"abc")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        _cshape.shape_key(None)  # type: ignore[arg-type]


def test_the_extension_is_built_where_required() -> None:
    if not REQUIRED:
        pytest.skip("AUTOHEAL_REQUIRE_NATIVE is not set")
    assert _cshape is not None, "model._cshape did not build: is a C compiler installed?"


def test_shape_key_works_without_the_extension(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("model._normalize._cshape", None)
    assert shape_key("Open 'a.json' failed at /x/y:12 ======") == "open # failed at # ==="
