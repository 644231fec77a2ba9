"""A fast `predict_proba` for the pipeline that `training.fit` builds, with identical output.

scikit-learn's `predict_proba` on one short text spends most of its time outside the arithmetic:
input validation at every step, a joblib `Parallel` in the feature union, and a pure-Python
n-gram loop with a `try`/`except` per n-gram in the vectorisers. `compile_fast_proba` reads the
fitted pieces once and returns a function that computes the same numbers directly:

* the normaliser's own functions (`redact_secrets`, `normalize_text`);
* term counts from a `Counter` over the vectoriser's own analyser (the character n-grams by an
  equivalent, faster generator), kept in the vectoriser's vocabulary, as a sorted CSR matrix of
  the vectoriser's dtype, then the vectoriser's own fitted TF-IDF transformer;
* the same `hstack`, product with the coefficients and temperature scaling as scikit-learn.

Any other estimator shape (an older artifact, a custom model) gets ``None``: the caller then
uses the estimator's own `predict_proba`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.extmath import safe_sparse_dot
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

from model._features import HeadlineSelector, TextNormalizer
from model._normalize import normalize_text
from model.redact import redact_secrets

ProbaFunction = Callable[[Sequence[str]], np.ndarray]
Analyzer = Callable[[str], list[str]]


def char_wb_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """The n-grams of scikit-learn's ``analyzer="char_wb"`` (same multiset, other order).

    Each whitespace-separated word is padded with one space on both sides; a padded word not
    longer than ``n`` gives itself once and stops the growing of ``n``.
    """
    out: list[str] = []
    extend = out.extend
    for word in text.split():
        padded = f" {word} "
        size = len(padded)
        for n in range(min_n, max_n + 1):
            if size <= n:
                out.append(padded)
                break
            extend([padded[i : i + n] for i in range(size - n + 1)])
    return out


def _plain_vectorizer(vectorizer: Any) -> bool:
    """A fitted TfidfVectorizer whose analyser is a pure function of ``str`` we can reproduce."""
    return (
        type(vectorizer) is TfidfVectorizer
        and hasattr(vectorizer, "vocabulary_")
        and hasattr(vectorizer, "_tfidf")
        and vectorizer.input == "content"
        and vectorizer.preprocessor is None
        and vectorizer.tokenizer is None
        and vectorizer.strip_accents is None
        and not vectorizer.lowercase
        and not vectorizer.binary
        and vectorizer.analyzer in ("word", "char_wb")
    )


class _Block:
    """One vectoriser of the union, with an optional ``HeadlineSelector`` in front of it."""

    def __init__(self, selector: HeadlineSelector | None, vectorizer: TfidfVectorizer) -> None:
        self.selector = selector
        self.vectorizer = vectorizer
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        if vectorizer.analyzer == "char_wb":
            min_n, max_n = vectorizer.ngram_range
            self.analyze: Analyzer = partial(char_wb_ngrams, min_n=min_n, max_n=max_n)
        else:
            self.analyze = vectorizer.build_analyzer()

    def transform(self, texts: list[str]) -> Any:
        if self.selector is not None:
            texts = self.selector.transform(texts)
        vocabulary = self.vocabulary
        indptr = [0]
        indices: list[int] = []
        values: list[int] = []
        known = vocabulary.keys()
        for text in texts:
            counts = Counter(self.analyze(text))
            kept = counts.keys() & known  # set operations run in C
            indices.extend(map(vocabulary.__getitem__, kept))
            values.extend(map(counts.__getitem__, kept))
            indptr.append(len(indices))
        matrix = sp.csr_array(
            (
                np.asarray(values, dtype=np.intc),
                np.asarray(indices, dtype=np.int32),
                np.asarray(indptr, dtype=np.int32),
            ),
            shape=(len(texts), len(vocabulary)),
            dtype=self.vectorizer.dtype,
        )
        matrix.sort_indices()
        return _tfidf(self.vectorizer._tfidf, matrix)


def _tfidf(transformer: Any, counts: Any) -> Any:
    """`TfidfTransformer.transform(counts, copy=False)` without its input validation."""
    if transformer.norm not in ("l2", None):
        return transformer.transform(counts, copy=False)
    if transformer.sublinear_tf:
        np.log(counts.data, counts.data)
        counts.data += 1.0
    if hasattr(transformer, "idf_"):
        counts.data *= transformer.idf_[counts.indices]
    if transformer.norm == "l2":
        inplace_csr_row_normalize_l2(counts)
    return counts


def _block(transformer: Any) -> _Block | None:
    if _plain_vectorizer(transformer):
        return _Block(None, transformer)
    if isinstance(transformer, Pipeline) and len(transformer.steps) == 2:
        (_, selector), (_, vectorizer) = transformer.steps
        if type(selector) is HeadlineSelector and _plain_vectorizer(vectorizer):
            return _Block(selector, vectorizer)
    return None


def compile_fast_proba(estimator: Any) -> ProbaFunction | None:
    """`estimator.predict_proba` without the per-call overhead, or None for another shape."""
    if not isinstance(estimator, Pipeline) or len(estimator.steps) != 2:
        return None
    (_, normalizer), (_, calibrated) = estimator.steps
    if type(normalizer) is not TextNormalizer or type(calibrated) is not CalibratedClassifierCV:
        return None
    fitted = getattr(calibrated, "calibrated_classifiers_", [])
    if calibrated.method != "temperature" or len(fitted) != 1:
        return None
    inner = fitted[0].estimator
    if not isinstance(inner, Pipeline) or len(inner.steps) != 2:
        return None
    (_, union), (_, linear) = inner.steps
    if type(union) is not FeatureUnion or union.transformer_weights is not None:
        return None
    if type(linear) is not LogisticRegression or linear.coef_.shape[0] < 3:
        return None
    # The calibrated classifier fits its inner model on label indices, in its `classes_` order.
    n_classes = len(calibrated.classes_)
    if not np.array_equal(linear.classes_, np.arange(n_classes)) and not np.array_equal(
        linear.classes_, calibrated.classes_
    ):
        return None
    blocks = [_block(transformer) for _, transformer in union.transformer_list]
    if not blocks or any(b is None for b in blocks):
        return None
    ready = [b for b in blocks if b is not None]
    coef_t = linear.coef_.T
    intercept = linear.intercept_
    temperature = fitted[0].calibrators[0]

    def predict_proba(texts: Sequence[str]) -> np.ndarray:
        normalized = [normalize_text(redact_secrets(text)) for text in texts]
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            features = sp.hstack([b.transform(normalized) for b in ready]).tocsr()
            scores = safe_sparse_dot(features, coef_t, dense_output=True) + intercept
            proba: np.ndarray = temperature.predict(scores)
        # As scikit-learn's calibrated classifier does after calibration.
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba

    return predict_proba
