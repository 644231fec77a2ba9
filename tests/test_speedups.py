"""The C extension: built where CI needs it, used by the classifier, safe on wrong arguments.

That its numbers equal numpy's and scikit-learn's is tested where the numpy code is
(`test_fast_tfidf`, `test_inference`), with both implementations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from model import _fast_tfidf
from model._inference import compile_fast_proba
from model.classifier import Classifier
from tests.native_support import REQUIRED, needs_native


def test_the_extension_is_built_where_required() -> None:
    if not REQUIRED:
        pytest.skip("AUTOHEAL_REQUIRE_NATIVE is not set")
    assert _fast_tfidf.NATIVE, "model._speedups did not build: is a C compiler installed?"


@needs_native
def test_the_classifier_runs_on_the_extension_and_agrees_with_numpy(
    model_artifact: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datasets.generator import generate
    from model import extract_region
    from model._features import feature_text

    estimator = Classifier.load(model_artifact).estimator
    from model import _speedups as speedups

    calls: dict[str, int] = {}
    names = ("char_ngram_features", "word_features", "tfidf_features")
    for name in (*names, "linear_scores", "temperature_softmax"):
        original = getattr(speedups, name)

        def counted(*args: Any, _original: Any = original, _name: str = name) -> Any:
            calls[_name] = calls.get(_name, 0) + 1
            return _original(*args)

        monkeypatch.setattr(speedups, name, counted)
    native = compile_fast_proba(estimator)
    plain = compile_fast_proba(estimator, native=False)
    assert native is not None and plain is not None
    texts = [feature_text(extract_region(r.log)) for r in generate(200, seed=5)]
    for text in texts:
        assert np.array_equal(native([text]), plain([text]))
    # Every step of the native path ran, once or twice (two vectorisers) per text.
    assert calls["char_ngram_features"] == len(texts)
    assert calls["word_features"] == len(texts)  # it returns None for a text not ASCII
    # Counting and weighing in one call per vectoriser (`count_features` and `tfidf_values`
    # composed, see `test_fused_rows_equal_the_separate_steps`).
    assert calls["tfidf_features"] == 2 * len(texts)
    assert calls["linear_scores"] == len(texts)
    # (`plain`, native=False, never calls it: the numpy code computed the probabilities.)
    assert calls["temperature_softmax"] == len(texts)


@needs_native
def test_wrong_arguments_raise_instead_of_reading_past_buffers() -> None:
    from model import _speedups as speedups

    alphabet = np.ones(128, dtype=np.uint64)
    entries = np.zeros((16, 2), dtype=np.uint64)
    good = (alphabet, 8, 3, 5, entries, 60)
    assert speedups.char_ngram_features("abc def", *good) == b""
    with pytest.raises(ValueError, match="inconsistent"):  # slots and shift disagree
        speedups.char_ngram_features("abc", alphabet, 8, 3, 5, entries, 50)
    with pytest.raises(ValueError, match="inconsistent"):  # half a slot at the end
        speedups.char_ngram_features("abc", alphabet, 8, 3, 5, entries.ravel()[:31], 60)
    with pytest.raises(ValueError, match="inconsistent"):  # the table misses the space
        speedups.char_ngram_features("abc", alphabet[:20], 8, 3, 5, entries, 60)
    with pytest.raises(ValueError, match="parameters"):  # 1-grams: words would share spaces
        speedups.char_ngram_features("a b c", alphabet, 8, 1, 3, entries, 60)
    with pytest.raises(ValueError, match="parameters"):  # keys would not fit 63 bits
        speedups.char_ngram_features("abc", alphabet, 16, 3, 5, entries, 60)
    with pytest.raises(TypeError, match="bytes"):  # int32 where uint64 is expected
        speedups.char_ngram_features("abc", alphabet, 8, 3, 5, entries.astype(np.int32), 60)
    # A broken table with no free slot: a key it does not hold is not found, and the probe ends.
    full = np.tile(np.array([[7, 1]], dtype=np.uint64), (16, 1))
    assert speedups.char_ngram_features("abc def", alphabet, 8, 3, 5, full, 60) == b""

    assert speedups.count_features([3, None, 1, 3]) == (
        np.array([1, 3], np.int32).tobytes(),
        np.array([1, 2], np.int32).tobytes(),
    )
    with pytest.raises(ValueError, match="range"):
        speedups.count_features([-1])
    with pytest.raises(TypeError):
        speedups.count_features(["a"])
    with pytest.raises(TypeError, match="bytes"):
        speedups.count_features(b"abc")  # not a whole number of int32

    indices = np.array([0, 2], np.int32)
    counts = np.array([1, 5], np.int32)
    tf = np.arange(4, dtype=np.float32)
    idf = np.ones(3, dtype=np.float32)
    assert speedups.tfidf_values(indices, counts, tf, idf, True) is None  # count 5 beyond tf
    with pytest.raises(IndexError):
        speedups.tfidf_values(np.array([0, 7], np.int32), counts, None, idf, True)
    with pytest.raises(ValueError, match="length"):
        speedups.tfidf_values(indices, counts[:1], None, idf, True)

    coef = np.ones((3, 2), dtype=np.float32)
    intercept = np.zeros(2, dtype=np.float32)
    values = np.ones(2, dtype=np.float32)
    scores = speedups.linear_scores([(indices, values, 0)], coef, intercept)
    assert np.frombuffer(scores, np.float32).tolist() == [2.0, 2.0]
    with pytest.raises(IndexError):  # feature 2 + offset 1 is beyond the 3 rows
        speedups.linear_scores([(indices, values, 1)], coef, intercept)
    with pytest.raises(IndexError):  # a negative offset
        speedups.linear_scores([(indices, values, -1)], coef, intercept)
    with pytest.raises(ValueError, match="features x classes"):  # 6 weights, 4 classes
        speedups.linear_scores([], coef, np.zeros(4, np.float32))
    # Rows padded to 4 items: the padding is never read as a class.
    padded = np.full((3, 4), np.nan, dtype=np.float32)
    padded[:, :2] = coef
    assert speedups.linear_scores([(indices, values, 0)], padded, intercept, 4) == scores
    with pytest.raises(ValueError, match="features x classes"):  # narrower than the classes
        speedups.linear_scores([], padded, intercept, 1)
    with pytest.raises(ValueError, match="features x classes"):  # 12 items are not rows of 5
        speedups.linear_scores([], padded, intercept, 5)
