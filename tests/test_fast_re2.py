"""`Re2Starts` walks a text exactly as the re2 module's own `finditer` and `search` do, and
`model._cre2` (the system's RE2, called directly) answers as google-re2 does."""

from __future__ import annotations

import importlib
import os
from typing import Any

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from datasets.generator import generate
from model import _scoring as scoring
from model import _select as select
from model._fast_re2 import NATIVE_RE2, Re2Starts, match_function, set_match_function
from tests.test_compiled import regions_in_a_new_process

_UNANCHORED = re2._re2.RE2.Anchor.UNANCHORED

PATTERNS = [
    scoring.FULL_PREFILTER,
    scoring.STRONG_PREFILTER,
    scoring.FLOOD_PREFILTER,
    scoring.PASS_AFTER,
    re2.compile(rb"x*"),  # matches the empty string: the walk must step past it
    re2.compile(rb"(a)(b)?"),
]
PIECES = [b"error: ", b"FAILED", b"\n", b"x", b"ab", b"passed", b"\xff\x00", b"exit code 2", b" "]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=30),
    st.integers(-3, 200),
    st.integers(-3, 200),
    st.sampled_from(range(len(PATTERNS))),
)
def test_starts_equal_finditer_and_search(
    pieces: list[bytes], pos: int, end: int, which: int
) -> None:
    text = b"".join(pieces)
    pattern = PATTERNS[which]
    starts = Re2Starts(pattern)
    assert list(starts.finditer(text, pos, end)) == [
        m.start() for m in pattern.finditer(text, pos, end)
    ]
    found = pattern.search(text, pos, end)
    assert starts.search(text, pos, end) == (found.start() if found is not None else -1)


# ------------------------------------------- the system's RE2 (model._cre2) against google-re2
def _reason_pattern() -> Any:
    options = re2.Options()
    options.case_sensitive = False
    options.never_capture = True
    return re2.compile(select._REASON.pattern, options)


NATIVE_PATTERNS = [*PATTERNS, scoring.FAIL_AFTER, _reason_pattern()]
RULE_SETS = [scoring._POSITIVE, scoring._NEGATIVE]
needs_native_re2 = pytest.mark.skipif(not NATIVE_RE2, reason="model._cre2 is not built")


def test_the_native_re2_module_is_built_where_required() -> None:
    if os.environ.get("AUTOHEAL_REQUIRE_NATIVE") != "1":
        pytest.skip("AUTOHEAL_REQUIRE_NATIVE is not set")
    assert NATIVE_RE2, "model._cre2 was not built: are the RE2 headers (libre2-dev) installed?"


@needs_native_re2
def test_the_scanner_calls_the_native_module() -> None:
    """Every pattern the scanner uses goes to `model._cre2` (none has an option it lacks)."""
    for pattern in NATIVE_PATTERNS:
        assert type(match_function(pattern).__self__).__module__ == "model._cre2"
    options = re2.Options()
    options.max_mem = 64 << 20
    for rules in RULE_SETS:
        matcher = set_match_function([rule.pattern for rule in rules], options)
        assert type(matcher.__self__).__module__ == "model._cre2"


@needs_native_re2
@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*PIECES, b"ERROR", b"Caused by: ", b"\xe2\x9c\x97", b"...", b"FAIL", b"ED", b"s"]
        )
    ),
    st.integers(-3, 200),
    st.integers(-3, 200),
    st.sampled_from(range(len(NATIVE_PATTERNS))),
    st.sampled_from([0, 1, 2]),
)
def test_native_match_equals_google_re2(
    pieces: list[bytes], pos: int, end: int, which: int, anchor: int
) -> None:
    pattern = NATIVE_PATTERNS[which]
    text = b"".join(pieces)
    # Out-of-range bounds are clipped as google-re2's Python wrapper clips them (its compiled
    # object logs an error and finds nothing).
    lo, hi = (max(0, min(bound, len(text))) for bound in (pos, end))
    google = (-1, -1)
    if lo <= hi:
        google = pattern._regexp.Match(re2._re2.RE2.Anchor(anchor), text, lo, hi)[0]
    native = match_function(pattern)
    assert native(anchor, text, pos, end)[0] == google
    assert native(re2._re2.RE2.Anchor(anchor), text, pos, end)[0] == google  # google's enum too


@needs_native_re2
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, b"Traceback (most recent call last)", b"E   "])))
def test_native_sets_find_the_rules_google_re2_finds(pieces: list[bytes]) -> None:
    text = b"".join(pieces)
    _both_sets_agree([text])


def _both_sets_agree(lines: list[bytes]) -> None:
    options = re2.Options()
    options.max_mem = 64 << 20
    for rules in RULE_SETS:
        patterns = [rule.pattern for rule in rules]
        native = set_match_function(patterns, options)
        google = re2.Set.SearchSet(options)
        for pattern in patterns:
            google.Add(pattern)
        google.Compile()
        for line in lines:
            found = native(line)
            assert found == sorted(found)
            assert found == sorted(google._set.Match(line)), line


@needs_native_re2
def test_native_searches_agree_on_generated_logs() -> None:
    """Every line of generated logs of every label, through both sets, and every prefilter's
    first match from every line start."""
    logs = [record.log for record in generate(300, seed=17)]
    lines = [line.encode() for log in logs for line in log.splitlines()]
    _both_sets_agree(lines)
    for log in logs[:60]:
        text = log.encode()
        starts = [0, *(i + 1 for i, byte in enumerate(text) if byte == 10)]
        for pattern in NATIVE_PATTERNS:
            native = match_function(pattern)
            for start in starts:
                google = pattern._regexp.Match(_UNANCHORED, text, start, len(text))[0]
                assert native(0, text, start, len(text))[0] == google


@needs_native_re2
def test_the_bytes_beyond_the_bounds_are_context() -> None:
    """`\\b` at either bound looks at the byte on the other side of it, as google-re2 does:
    "FAIL" cut out of "FAILED" is not the word FAIL."""
    native = match_function(scoring.FULL_PREFILTER)
    google = scoring.FULL_PREFILTER._regexp.Match
    for text, pos, end in [(b" FAILED", 0, 5), (b"xFAILED x", 1, 9), (b" FAIL ", 0, 5)]:
        expected = google(_UNANCHORED, text, pos, end)[0]
        assert native(0, text, pos, end)[0] == expected
    assert native(0, b" FAILED", 0, 5)[0] == (-1, -1)
    assert native(0, b" FAIL ", 0, 5)[0] == (1, 5)


@needs_native_re2
def test_a_long_search_gives_the_same_span() -> None:
    """Past 64 KB the search runs without the GIL; the answer is the same."""
    text = b"all good\n" * 40_000 + b"Error: the build failed\n"
    pattern = scoring.FULL_PREFILTER
    native = match_function(pattern)
    assert (
        native(0, text, 0, len(text))[0]
        == pattern._regexp.Match(_UNANCHORED, text, 0, len(text))[0]
    )
    assert native(0, text, 0, len(text))[0][0] > 300_000
    assert set_match_function(["failed\n$", "good"], re2.Options())(text) == [0, 1]


@needs_native_re2
def test_bad_calls_raise_clear_errors() -> None:
    native = match_function(scoring.PASS_AFTER)
    with pytest.raises(TypeError, match="bytes"):
        native(0, "text", 0, 4)
    with pytest.raises(TypeError, match="4 arguments"):
        native(0, b"text")
    with pytest.raises(ValueError, match="anchor"):
        native(7, b"text", 0, 4)
    with pytest.raises(ValueError, match="missing \\)"):
        _cre2_module().RE2(b"(unclosed")
    with pytest.raises(ValueError):
        _cre2_module().Set([b"ok", b"(unclosed"])
    with pytest.raises(TypeError, match="longest_match"):
        _cre2_module().RE2(b"x", longest_match=True)


def _cre2_module() -> Any:
    return importlib.import_module("model._cre2")


def test_a_pattern_with_other_options_uses_google_re2() -> None:
    options = re2.Options()
    options.longest_match = True
    pattern = re2.compile(rb"a+|a+b", options)
    match = match_function(pattern)
    assert match.__self__ is pattern._regexp
    assert match(_UNANCHORED, b"xaab", 0, 4)[0] == (1, 4)


def test_the_scanner_finds_the_same_regions_without_the_native_module() -> None:
    """Whole extractions, every field, with `model._cre2` and with google-re2 alone."""
    if not NATIVE_RE2:
        pytest.skip("model._cre2 is not built")
    _, with_native = regions_in_a_new_process({"AUTOHEAL_NATIVE_RE2": "1"}, 600, 23)
    _, without = regions_in_a_new_process({"AUTOHEAL_NATIVE_RE2": "0"}, 600, 23)
    assert len(with_native) == len(without) > 600
    assert with_native == without
