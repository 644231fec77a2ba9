"""The classifier's fast inference path computes exactly what the fitted estimator computes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from model._inference import char_wb_ngrams, compile_fast_proba
from model.classifier import Classifier
from tests.native_support import MODES

WORDS = [
    "ERROR: No matching distribution found for numpy==9.9.9",
    "npm ERR! code E401 <path>/package.json",
    "a",
    "ab cd",
    "",
    "   ",
    "error[E0308]: mismatched types\n  --> src/main.rs:4:5",
    "Traceback (most recent call last):\tKeyError: 'user_id'",
    "\u00e9t\u00e9 \u4e2d\u6587 \u00a0nbsp",
]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.integers(1, 4), st.integers(0, 3))
def test_char_wb_ngrams_match_sklearn(text: str, min_n: int, extra: int) -> None:
    max_n = min_n + extra
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(min_n, max_n), lowercase=False)
    assert Counter(char_wb_ngrams(text, min_n, max_n)) == Counter(reference._char_wb_ngrams(text))


def _texts() -> list[str]:
    from datasets.generator import generate
    from model import extract_region
    from model._features import feature_text

    generated = [feature_text(extract_region(r.log)) for r in generate(120, seed=23)]
    return [*generated, *WORDS]


def test_fast_path_equals_estimator_predict_proba(model_artifact: Path) -> None:
    classifier = Classifier.load(model_artifact)
    fast = compile_fast_proba(classifier.estimator)
    assert fast is not None
    texts = _texts()
    expected = classifier.estimator.predict_proba(texts)
    assert np.array_equal(fast(texts), expected)
    # One row at a time (the service's usual call) gives the same rows.
    singles = np.vstack([fast([t]) for t in texts[:40]])
    assert np.array_equal(singles, expected[:40])


def test_classifier_probabilities_use_label_order(model_artifact: Path) -> None:
    from model import extract_region

    classifier = Classifier.load(model_artifact)
    regions = [extract_region(text) for text in WORDS]
    probabilities = classifier.probabilities(regions)
    assert probabilities.shape == (len(WORDS), 15)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    # Without the fast path (an estimator of another shape) the answer is the same.
    classifier._fast_proba = None
    assert np.array_equal(classifier.probabilities(regions), probabilities)


def test_other_estimator_shapes_get_no_fast_path() -> None:
    words = ["pip install failed", "npm ERR! code E401", "timeout after 60 s"]
    labels = ["dependency_install", "auth_permission", "timeout"]
    plain = Pipeline([("tfidf", TfidfVectorizer()), ("lr", LogisticRegression())])
    plain.fit(words, labels)
    assert compile_fast_proba(plain) is None
    assert compile_fast_proba(LogisticRegression()) is None


EDGE_TEXTS = [
    "",
    "x",
    "é à ü 中文 😀 𝔘",
    "word" * 3000,
    "a b c d e f g",
    "\u00a0\u2003\u3000 spaced out \t\n",
    "\x00\x01 binary \ufffd\ufffd",
]


def _many_texts(n: int) -> list[str]:
    from datasets.generator import generate
    from datasets.handwritten import load
    from model import extract_region
    from model._features import feature_text

    records = [*load(), *generate(n, seed=41)]
    return [feature_text(extract_region(r.log)) for r in records] + EDGE_TEXTS


def _assert_same_as_sklearn(classifier: Classifier, texts: list[str], native: bool) -> None:
    fast = compile_fast_proba(classifier.estimator, native=native)
    assert fast is not None
    expected = classifier.estimator.predict_proba(texts)
    assert np.array_equal(fast(texts), expected)
    singles = np.vstack([fast([t]) for t in texts])
    assert np.abs(singles - expected).max() <= 1e-9
    assert np.array_equal(singles, expected)


@pytest.mark.parametrize("native", MODES)
def test_fast_path_equals_sklearn_on_handwritten_and_thousands_of_generated_logs(
    model_artifact: Path, native: bool
) -> None:
    _assert_same_as_sklearn(Classifier.load(model_artifact), _many_texts(2500), native)


DEFAULT_MODEL = (
    Path(__file__).resolve().parents[1] / "var" / "models" / "autoheal-classifier.joblib"
)


@pytest.mark.skipif(not DEFAULT_MODEL.is_file(), reason="no trained default model (make train)")
@pytest.mark.parametrize("native", MODES)
def test_fast_path_equals_sklearn_on_the_trained_default_model(native: bool) -> None:
    _assert_same_as_sklearn(Classifier.load(DEFAULT_MODEL), _many_texts(1500), native)


def test_empty_batch_gives_no_rows(model_artifact: Path) -> None:
    fast = compile_fast_proba(Classifier.load(model_artifact).estimator)
    assert fast is not None
    assert fast([]).shape[0] == 0


@pytest.mark.parametrize(
    ("shape", "dtype"), [((5, 15), np.float32), ((3, 16), np.float32), ((4, 9), np.float64)]
)
def test_coefficient_rows_are_padded_to_whole_cache_lines(
    shape: tuple[int, int], dtype: type
) -> None:
    from model._inference import _line_aligned_rows

    matrix = np.arange(np.prod(shape), dtype=dtype).reshape(shape) + 1
    padded = _line_aligned_rows(matrix)
    assert padded.flags.c_contiguous and padded.dtype == dtype
    assert padded.ctypes.data % 64 == 0 and padded.strides[0] % 64 == 0
    assert padded.shape[1] * padded.itemsize - shape[1] * padded.itemsize < 64
    assert np.array_equal(padded[:, : shape[1]], matrix)
    assert not padded[:, shape[1] :].any()
