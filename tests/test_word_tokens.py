"""The C word tokeniser (`_speedups.word_features`) reads the tokens `re.findall` reads.

`word_features` returns the vocabulary features of the tokens it finds, in token order. With a
vocabulary holding every substring of the text, each token it emits is found and names itself,
so the features spell out its token list exactly; that list must be ``re.findall``'s for
`TOKEN_PATTERN`. `WordCounter.count` (C) must equal `WordCounter._count_with_re` (the
reference) and the counter without the extension.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model._fast_tfidf import WordCounter
from model._features import TOKEN_PATTERN
from tests.native_support import REQUIRED, needs_native

TOKENS = re.compile(TOKEN_PATTERN)


def _speedups() -> Any:
    from model import _speedups

    return _speedups


def _c_tokens(text: str) -> list[str] | None:
    """The tokens `word_features` finds in ``text`` (every substring is in the vocabulary)."""
    substrings = sorted({text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)})
    vocabulary = {s: f for f, s in enumerate(substrings)}
    found = _speedups().word_features(text, vocabulary)
    if found is None:
        return None
    return [substrings[f] for f in np.frombuffer(found, dtype=np.int32)]


def _c_tokens_of_known(text: str) -> list[str] | None:
    """The tokens `word_features` finds among those `re` finds (for texts too long for
    `_c_tokens`): a token `re` does not find is not in the vocabulary and is not seen."""
    known = sorted(set(TOKENS.findall(text)))
    vocabulary = {s: f for f, s in enumerate(known)}
    found = _speedups().word_features(text, vocabulary)
    if found is None:
        return None
    return [known[f] for f in np.frombuffer(found, dtype=np.int32)]


# Characters and fragments the pattern distinguishes: the classes' edges ('`' and '{' around
# a-z, '/' and ':' around 0-9, '^' '_' '`' after 'Z'), separators, marks, placeholders.
PATTERN_CHARS = "abz_09<>.:-!*#=^~ `{/@AZ\n\t\x1c"
FRAGMENTS = [
    "<num>",
    "<path>",
    "<",
    ">",
    "<a",
    "a>",
    "e0308",
    "ts2322",
    "java.lang",
    ".",
    ":",
    "-",
    "_",
    "__init__",
    "a",
    "z9",
    "9z",
    "12",
    "1_",
    "!!",
    "==",
    "~",
    "^^",
    "#",
    "*",
    "A",
    "Err",
    " ",
    "\x1f",
    "é",
]
pattern_text = st.text(alphabet=PATTERN_CHARS, max_size=60)
fragment_text = st.lists(st.sampled_from(FRAGMENTS), max_size=20).map("".join)
ascii_text = st.text(alphabet=st.characters(max_codepoint=127), max_size=60)


@needs_native
@settings(max_examples=3000, deadline=None)
@given(pattern_text)
def test_tokens_equal_findall_on_pattern_characters(text: str) -> None:
    assert _c_tokens(text) == TOKENS.findall(text)


@needs_native
@settings(max_examples=1500, deadline=None)
@given(fragment_text)
def test_tokens_equal_findall_on_token_fragments(text: str) -> None:
    expected = TOKENS.findall(text)
    if text.isascii():
        assert _c_tokens(text) == expected
    else:
        assert _c_tokens(text) is None


@needs_native
@settings(max_examples=1500, deadline=None)
@given(ascii_text)
def test_tokens_equal_findall_on_any_ascii(text: str) -> None:
    assert _c_tokens(text) == TOKENS.findall(text)


def _normalised_texts(n: int, seed: int) -> list[str]:
    from datasets.generator import generate
    from model import extract_region, normalize_text
    from model._features import feature_text
    from model.redact import redact_secrets

    return [
        normalize_text(redact_secrets(feature_text(extract_region(r.log))))
        for r in generate(n, seed=seed)
    ]


def _assert_same_counts(counter: WordCounter, text: str) -> None:
    indices, counts = counter.count(text)
    ref_indices, ref_counts = counter._count_with_re(text)
    plain_indices, plain_counts = WordCounter(
        counter.vocabulary, TOKEN_PATTERN, native=False
    ).count(text)
    assert indices.dtype == ref_indices.dtype == np.int32
    assert counts.dtype == ref_counts.dtype == np.intc
    assert np.array_equal(indices, ref_indices) and np.array_equal(counts, ref_counts)
    assert np.array_equal(indices, plain_indices) and np.array_equal(counts, plain_counts)


@needs_native
def test_counts_on_generated_logs_equal_the_reference() -> None:
    texts = _normalised_texts(80, seed=31)
    # A vocabulary of the first half's tokens (numpy integers, as a fitted vectoriser's may
    # be): the second half also meets tokens it does not hold.
    tokens = sorted({tok for text in texts[:40] for tok in TOKENS.findall(text)})
    vocabulary: dict[str, Any] = {tok: np.int64(f) for f, tok in enumerate(tokens)}
    counter = WordCounter(vocabulary, TOKEN_PATTERN)
    assert counter.native_tokens
    assert sum(text.isascii() for text in texts) > 40  # the C path is what these texts exercise
    for text in texts:
        _assert_same_counts(counter, text)
        if text.isascii():
            assert _c_tokens_of_known(text) == TOKENS.findall(text)


@needs_native
@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f ",
        "<",
        ">",
        "<>",
        "<a>",
        "<a",
        "<<a>>",
        "<A>",
        "<a1>",
        "a.",
        "a..b",
        "a.-b",
        "a-b:c.d_e",
        "a._",
        "_.a",
        "9.a",
        "9_a",
        "a9.9",
        "!",
        "!!",
        "!a!",
        "=~^#*!",
        "x" * 1_000_000,
        "a." * 500_000,
        "a-" * 300_000 + "!",
        "<" + "a" * 1_000_000,
        "<a" * 500_000,
        "<" * 1_000_000,
        "1" * 1_000_000,
        "!" * 1_000_000,
        "1a_" * 300_000,
        "Ab<c>1.!!" * 100_000,
    ],
    ids=lambda text: repr(text[:12]) + (f"..{len(text)}" if len(text) > 12 else ""),
)
def test_edge_and_pathological_texts(text: str) -> None:
    expected = TOKENS.findall(text)
    if len(text) <= 60:
        assert _c_tokens(text) == expected
    assert _c_tokens_of_known(text) == expected
    tokens = sorted(set(expected))
    vocabulary = {tok: f for f, tok in enumerate(tokens)}
    _assert_same_counts(WordCounter(vocabulary, TOKEN_PATTERN), text)


@needs_native
@pytest.mark.parametrize("text", ["é", "café <num> 12", "a\u00a0b", "x" * 1000 + "😀", "中文"])
def test_non_ascii_falls_back_to_re(text: str) -> None:
    assert _speedups().word_features(text, {"a": 0}) is None
    vocabulary = {tok: f for f, tok in enumerate(sorted(set(TOKENS.findall(text))))}
    _assert_same_counts(WordCounter(vocabulary, TOKEN_PATTERN), text)


@needs_native
def test_count_calls_the_c_tokeniser(monkeypatch: pytest.MonkeyPatch) -> None:
    speedups = _speedups()
    calls: list[str] = []
    original = speedups.word_features

    def counted(text: str, vocabulary: dict[str, int]) -> bytes | None:
        calls.append(text)
        result: bytes | None = original(text, vocabulary)
        return result

    monkeypatch.setattr(speedups, "word_features", counted)
    vocabulary = {"error": 0, "<num>": 1, "e0308": 2}
    counter = WordCounter(vocabulary, TOKEN_PATTERN)
    indices, counts = counter.count("error e0308 <num> error")
    assert indices.tolist() == [0, 1, 2] and counts.tolist() == [2, 1, 1]
    assert calls == ["error e0308 <num> error"]
    counter.count("café error")  # not ASCII: the C returns None, `re` counts
    assert len(calls) == 2
    # Another pattern, or no extension: the C tokeniser is not asked.
    WordCounter(vocabulary, r"(?u)\b\w\w+\b").count("error e0308")
    WordCounter(vocabulary, TOKEN_PATTERN, native=False).count("error e0308")
    assert len(calls) == 2


@needs_native
def test_vocabulary_values() -> None:
    speedups = _speedups()
    found = speedups.word_features("a b c d", {"a": 3, "b": np.int64(7), "c": None})
    assert np.frombuffer(found, dtype=np.int32).tolist() == [3, 7]  # None, like .get's miss
    # The counter's own copy holds Python ints; its counts are the same.
    numpy_features: dict[str, Any] = {"a": np.int64(3), "b": np.int32(7)}
    counter = WordCounter(numpy_features, TOKEN_PATTERN)
    assert all(type(f) is int for f in counter.native_vocabulary.values())
    _assert_same_counts(counter, "a b a c")
    for bad in (-1, 2**31, np.int64(2**40)):
        with pytest.raises(ValueError, match="range"):
            speedups.word_features("x a", {"a": bad})
    assert speedups.word_features("x", {"a": -1}) == b""  # only found tokens are converted
    with pytest.raises(TypeError):
        speedups.word_features("a", {"a": "not a number"})


@needs_native
def test_wrong_arguments_raise() -> None:
    speedups = _speedups()
    with pytest.raises(TypeError):
        speedups.word_features(b"abc", {})
    with pytest.raises(TypeError):
        speedups.word_features("abc", [("abc", 0)])
    with pytest.raises(TypeError):
        speedups.word_features("abc")


def test_the_c_tokeniser_is_built_where_required() -> None:
    if not REQUIRED:
        pytest.skip("AUTOHEAL_REQUIRE_NATIVE is not set")
    assert hasattr(_speedups(), "word_features")
    assert WordCounter({}, TOKEN_PATTERN).native_tokens
