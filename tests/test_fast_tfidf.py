"""The term counters and TF-IDF rows (numpy and C) equal scikit-learn's, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from model._fast_tfidf import CharNgramCounter, WordCounter
from model._features import TOKEN_PATTERN
from model._inference import _Block
from tests.native_support import MODES

CORPUS = [
    "error: no matching distribution found for numpy==<ver>",
    "npm err! code e401 <path>/package.json",
    "a b c de fgh ijkl mnopq",
    "été 中文 naïve café 😀 𝔘nicode",
    "traceback (most recent call last): keyerror: 'user_id'",
    "x " * 40 + "longword" * 30,
]
EDGE_TEXTS = [
    "",
    " ",
    "   \t\n ",
    "a",
    "a b",
    "ab cd e",
    "é",
    "中文 😀",
    "\u00a0nbsp\u2003em\u3000wide",  # non-ASCII whitespace separates words too
    "word" * 2000,  # a very long word
    "zzz qqq ~~~ ###",  # characters the vocabulary may not know
    "\x00\x01 control \x7f",
    CORPUS[0] + " " + CORPUS[3],
]


def _reference_counts(
    vocabulary: dict[str, int], ngram_range: tuple[int, int], text: str
) -> tuple[np.ndarray, np.ndarray]:
    counter = CountVectorizer(
        analyzer="char_wb", ngram_range=ngram_range, lowercase=False, vocabulary=vocabulary
    )
    row = counter.transform([text])
    row.sort_indices()
    return row.indices.astype(np.int32), row.data.astype(np.intc)


def _fitted_vocabulary(ngram_range: tuple[int, int], extra: list[str]) -> dict[str, int]:
    fitted = CountVectorizer(analyzer="char_wb", ngram_range=ngram_range, lowercase=False)
    fitted.fit(CORPUS + extra)
    return {str(k): int(v) for k, v in fitted.vocabulary_.items()}


@pytest.mark.parametrize("native", MODES)
@pytest.mark.parametrize("ngram_range", [(2, 2), (2, 4), (3, 5), (4, 5), (5, 6)])
@pytest.mark.parametrize("text", EDGE_TEXTS)
def test_char_counts_equal_sklearn_on_edge_cases(
    ngram_range: tuple[int, int], text: str, native: bool
) -> None:
    vocabulary = _fitted_vocabulary(ngram_range, [" a b ", "é x"])
    counter = CharNgramCounter.build(vocabulary, ngram_range, native=native)
    assert counter is not None
    assert counter.native is native
    indices, counts = counter.count(text)
    expected_indices, expected_counts = _reference_counts(vocabulary, ngram_range, text)
    assert np.array_equal(indices, expected_indices)
    assert np.array_equal(counts, expected_counts)


@pytest.mark.parametrize("native", MODES)
def test_short_words_count_once_as_a_whole(native: bool) -> None:
    # With min_n = 4, the padded word " a " (3 characters) is itself an n-gram, counted once.
    vocabulary = _fitted_vocabulary((4, 5), ["a a a b"])
    assert " a " in vocabulary
    counter = CharNgramCounter.build(vocabulary, (4, 5), native=native)
    assert counter is not None
    assert counter.native is native
    indices, counts = counter.count("a a a xyz b")
    assert counts[list(indices).index(vocabulary[" a "])] == 3
    assert np.array_equal(indices, _reference_counts(vocabulary, (4, 5), "a a a xyz b")[0])


@pytest.mark.parametrize("native", MODES)
@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=120),
    st.lists(st.text(max_size=40), max_size=4),
    st.integers(2, 4),
    st.integers(0, 2),
)
def test_char_counts_equal_sklearn(
    native: bool, text: str, extra: list[str], min_n: int, more: int
) -> None:
    ngram_range = (min_n, min_n + more)
    vocabulary = _fitted_vocabulary(ngram_range, [text[: len(text) // 2], *extra])
    counter = CharNgramCounter.build(vocabulary, ngram_range, native=native)
    assert counter is not None
    assert counter.native is native
    indices, counts = counter.count(text)
    expected_indices, expected_counts = _reference_counts(vocabulary, ngram_range, text)
    assert np.array_equal(indices, expected_indices)
    assert np.array_equal(counts, expected_counts)


def test_alphabet_too_large_for_the_packing_gets_no_counter() -> None:
    # 5-grams over more than 4095 distinct characters cannot be packed into 63 bits.
    vocabulary = {chr(0x4E00 + i) * 5: i for i in range(5000)}
    assert CharNgramCounter.build(vocabulary, (5, 5)) is None
    assert CharNgramCounter.build({"ab": 0}, (1, 2)) is None  # n = 1 windows share spaces


@pytest.mark.parametrize("native", MODES)
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_word_counts_equal_sklearn(native: bool, text: str) -> None:
    reference = CountVectorizer(token_pattern=TOKEN_PATTERN, lowercase=False)
    reference.fit([*CORPUS, text[: len(text) // 2]])
    vocabulary = {str(k): int(v) for k, v in reference.vocabulary_.items()}
    counter = WordCounter(vocabulary, TOKEN_PATTERN, native=native)
    assert counter.native is native
    indices, counts = counter.count(text)
    row = reference.transform([text])
    row.sort_indices()
    assert np.array_equal(indices, row.indices)
    assert np.array_equal(counts, row.data)


@pytest.mark.parametrize("native", MODES)
@pytest.mark.parametrize(
    "vectorizer",
    [
        TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            lowercase=False,
            sublinear_tf=True,
            dtype=np.float32,
        ),
        TfidfVectorizer(token_pattern=TOKEN_PATTERN, lowercase=False, sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), lowercase=False, norm=None),
        TfidfVectorizer(lowercase=False, use_idf=False, ngram_range=(1, 2)),
        TfidfVectorizer(
            token_pattern=TOKEN_PATTERN, lowercase=False, use_idf=False, dtype=np.float32
        ),
    ],
)
def test_tfidf_rows_equal_the_vectorizer(vectorizer: TfidfVectorizer, native: bool) -> None:
    vectorizer.fit(CORPUS * 2 + EDGE_TEXTS)
    block = _Block(None, vectorizer, native=native)
    # The C rows need float32 features (the classifier's); float64 ones stay with numpy.
    assert block.tfidf.native is (native and vectorizer.dtype == np.float32)
    texts = [*CORPUS, *EDGE_TEXTS]
    ours = block.transform(texts)
    theirs = vectorizer.transform(texts)
    theirs.sort_indices()
    assert ours.dtype == theirs.dtype
    assert np.array_equal(ours.indptr, theirs.indptr)
    assert np.array_equal(ours.indices, theirs.indices)
    assert np.array_equal(ours.data, theirs.data)  # same floating-point operations, same order


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=60_000), st.integers(min_value=0, max_value=2**32))
def test_key_table_finds_exactly_the_present_keys(size: int, seed: int) -> None:
    from model._fast_tfidf import _KeyTable

    rng = np.random.default_rng(seed)
    keys = np.unique(rng.integers(1, 2**63, size=size, dtype=np.uint64))
    features = rng.permutation(len(keys)).astype(np.int64)
    table = _KeyTable(keys, features)
    held = table.entries[:, 0]
    assert np.count_nonzero(held) == len(keys) and 3 * len(keys) <= 2 * len(held)
    if len(keys) > 1000:  # home slots are shared: lookups walk past other keys too
        assert np.count_nonzero(held[table._home(keys)] != keys) > 0
    absent = rng.integers(1, 2**63, size=size, dtype=np.uint64)
    absent = absent[~np.isin(absent, keys)]
    wanted = rng.permutation(np.concatenate([keys, keys[: size // 3], absent]))
    expected = {int(k): int(f) for k, f in zip(keys, features, strict=True)}
    want = sorted(expected[int(k)] for k in wanted if int(k) in expected)
    assert sorted(table.find(wanted).tolist()) == want
    assert table.find(absent).tolist() == []
