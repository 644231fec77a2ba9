"""A fast `predict_proba` for the pipeline that `training.fit` builds, with identical output.

scikit-learn's `predict_proba` on one short text spends most of its time outside the arithmetic:
input validation at every step, a joblib `Parallel` in the feature union, sparse-matrix objects
built and converted at every step (the product with the coefficients copies the whole
coefficient matrix), and a pure-Python n-gram loop in the vectorisers. `compile_fast_proba`
reads the fitted pieces once (when the model is loaded) and returns a function that computes
the same numbers with the same floating-point operations in the same order:

* the normaliser's own functions (`redact_secrets`, `normalize_text`);
* per vectoriser, the row's sorted vocabulary indices and counts (`model._fast_tfidf`: numpy
  for the character n-grams, the token pattern for words), then the fitted TF-IDF weighting
  and L2 normalisation of that row;
* the decision values as scipy's CSR product computes them: for each non-zero feature in
  column order, ``score += value * coef[:, feature]`` (here a sum down the rows of the gathered
  coefficient columns, which adds in that same order), plus the intercept;
* temperature scaling and softmax as scikit-learn's calibrator computes them.

The counting, the TF-IDF rows and the decision sums run in the C extension (`model._speedups`)
when the package was built with it and the model is float32 throughout (the models `make train`
fits are); otherwise numpy computes them. Both give the same bits.

Any other estimator shape (an older artifact, a custom model) gets ``None``: the caller then
uses the estimator's own `predict_proba`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Final

import numpy as np
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from model import _fast_tfidf
from model._fast_tfidf import CharNgramCounter, Row, TfidfRow, WordCounter
from model._features import HeadlineSelector, TextNormalizer
from model._normalize import normalize_text
from model.redact import redact_secrets

try:
    from model import _speedups
except ImportError:  # built without a C compiler: `_proba_numpy` computes the probabilities
    _speedups = None  # type: ignore[assignment]

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
        and vectorizer._tfidf.norm in ("l2", None)
    )


def _bare_tokens(vectorizer: TfidfVectorizer) -> bool:
    """A word analyser that is only its token pattern: 1-grams, no stop words."""
    return (
        vectorizer.analyzer == "word"
        and tuple(vectorizer.ngram_range) == (1, 1)
        and vectorizer.stop_words is None
        and isinstance(vectorizer.token_pattern, str)
        and re.compile(vectorizer.token_pattern).groups <= 1
    )


class _Block:
    """One vectoriser of the union, with an optional ``HeadlineSelector`` in front of it."""

    def __init__(
        self, selector: HeadlineSelector | None, vectorizer: TfidfVectorizer, *, native: bool = True
    ) -> None:
        self.selector = selector
        self.vectorizer = vectorizer
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.n_features = len(self.vocabulary)
        self.dtype = vectorizer.dtype
        self.counter: CharNgramCounter | WordCounter | None = None
        if vectorizer.analyzer == "char_wb":
            min_n, max_n = vectorizer.ngram_range
            self.analyze: Analyzer = partial(char_wb_ngrams, min_n=min_n, max_n=max_n)
            self.counter = CharNgramCounter.build(self.vocabulary, (min_n, max_n), native=native)
        else:
            self.analyze = vectorizer.build_analyzer()
            if _bare_tokens(vectorizer):
                self.counter = WordCounter(self.vocabulary, vectorizer.token_pattern, native=native)
        self.tfidf = TfidfRow(vectorizer._tfidf, self.n_features, self.dtype, native=native)

    def counts(self, text: str) -> Row:
        """Sorted vocabulary indices of ``text``'s terms and their counts."""
        if self.selector is not None:
            text = text[: self.selector.max_chars]
        if self.counter is not None:
            return self.counter.count(text)
        counts = Counter(self.analyze(text))
        vocabulary = self.vocabulary
        pairs = sorted((vocabulary[t], c) for t, c in counts.items() if t in vocabulary)
        indices = np.fromiter((i for i, _ in pairs), np.int32, len(pairs))
        return indices, np.fromiter((c for _, c in pairs), np.intc, len(pairs))

    def row(self, text: str) -> Row:
        """Sorted feature indices and TF-IDF values of one text."""
        indices, counts = self.counts(text)
        return indices, self.tfidf((indices, counts))

    def native_row(self, text: str) -> tuple[Any, Any]:
        """`row` for `_LinearTemperature.decision`: the same numbers, as int32 and float32 bytes
        from one C call after the features (numpy arrays where the C code does not run)."""
        counter = self.counter
        if counter is not None and self.tfidf.native:
            if self.selector is not None:
                text = text[: self.selector.max_chars]
            features = counter.native_features(text)
            if features is not None:
                row = self.tfidf.native_row(features)
                if row is not None:  # None: a count beyond the tf table
                    return row
        return self.row(text)

    def transform(self, texts: list[str]) -> Any:
        """The vectoriser's sparse matrix for ``texts`` (benchmarks and tests compare it)."""
        rows = [self.row(text) for text in texts]
        indptr = np.cumsum([0, *(len(i) for i, _ in rows)], dtype=np.int32)
        indices = np.concatenate([i for i, _ in rows]) if rows else np.zeros(0, np.int32)
        data = np.concatenate([d for _, d in rows]) if rows else np.zeros(0, self.dtype)
        return sp.csr_array(
            (data, indices, indptr), shape=(len(texts), self.n_features), dtype=self.dtype
        )


def _block(transformer: Any, native: bool) -> _Block | None:
    if _plain_vectorizer(transformer):
        return _Block(None, transformer, native=native)
    if isinstance(transformer, Pipeline) and len(transformer.steps) == 2:
        (_, selector), (_, vectorizer) = transformer.steps
        if type(selector) is HeadlineSelector and _plain_vectorizer(vectorizer):
            return _Block(selector, vectorizer, native=native)
    return None


_CACHE_LINE_BYTES: Final = 64


def _line_aligned_rows(matrix: np.ndarray) -> np.ndarray:
    """A C-ordered copy of ``matrix`` whose rows are padded with zeros to a multiple of
    `_CACHE_LINE_BYTES` and start at such a multiple in memory."""
    rows, columns = matrix.shape
    itemsize = matrix.dtype.itemsize
    row_bytes = -(-columns * itemsize // _CACHE_LINE_BYTES) * _CACHE_LINE_BYTES
    if row_bytes % itemsize:  # an item size that does not divide a line: no padding
        return np.ascontiguousarray(matrix)
    raw = np.zeros(rows * row_bytes + _CACHE_LINE_BYTES, dtype=np.uint8)
    skip = -raw.ctypes.data % _CACHE_LINE_BYTES
    padded = raw[skip : skip + rows * row_bytes].view(matrix.dtype).reshape(rows, -1)
    padded[:, :columns] = matrix
    return padded


class _LinearTemperature:
    """Decision values of the logistic regression over the stacked blocks, then temperature."""

    def __init__(
        self,
        blocks: list[_Block],
        linear: LogisticRegression,
        calibrator: Any,
        *,
        native: bool = True,
    ) -> None:
        self.blocks = blocks
        self.offsets = np.cumsum([0, *(b.n_features for b in blocks)])[:-1]
        self.int_offsets = [int(o) for o in self.offsets]  # what the C extension takes
        # One row of coefficients per feature: a row gather per non-zero feature. Each row is
        # padded to whole cache lines and starts one: a log reads some 600 scattered rows, and
        # a row of 15 float32 would otherwise straddle two lines 7 times in 8. `coef_rows` is
        # the unpadded view; the C code reads the padded rows, `coef_width` items apart.
        self.coef_padded = _line_aligned_rows(linear.coef_.T)
        self.coef_width = self.coef_padded.shape[1]
        self.coef_rows = self.coef_padded[:, : linear.coef_.shape[0]]
        self.intercept = linear.intercept_
        self.calibrator = calibrator
        features_dtype = np.result_type(*(b.dtype for b in blocks))
        # scipy computes a CSR product in the common type of the matrix and the coefficients.
        self.dtype = np.result_type(features_dtype, self.coef_rows.dtype)
        self.native = (
            native
            and _fast_tfidf.NATIVE
            and self.dtype == np.float32
            and self.coef_rows.dtype == np.float32
            and self.intercept.dtype == np.float32
        )
        # (An extension built before `temperature_softmax` existed lacks it.)
        self.native_proba = native and hasattr(_speedups, "temperature_softmax")

    def decision(self, text: str) -> np.ndarray:
        if self.native:
            # The same sums in C: the row's products added in feature order, then the intercept.
            pieces = [
                (*block.native_row(text), offset)
                for block, offset in zip(self.blocks, self.int_offsets, strict=True)
            ]
            native = _speedups.linear_scores(
                pieces, self.coef_padded, self.intercept, self.coef_width
            )
            return np.frombuffer(native, dtype=np.float32)
        rows = [block.row(text) for block in self.blocks]
        indices = np.concatenate(
            [i + offset for (i, _), offset in zip(rows, self.offsets, strict=True)]
        )
        values = np.concatenate([v for _, v in rows]).astype(self.dtype, copy=False)
        scores = np.zeros(self.coef_rows.shape[1], dtype=self.dtype)
        if len(indices):
            products = np.take(self.coef_rows, indices, axis=0).astype(self.dtype, copy=False)
            products *= values[:, np.newaxis]
            products[0] += scores  # scipy starts from +0.0: the sign of a zero product
            # Summing down the rows of a C-ordered array adds row after row, as the loop does.
            scores = np.add.reduce(products, axis=0)
        return np.asarray(scores + self.intercept)

    def proba(self, decisions: np.ndarray) -> np.ndarray:
        """`_TemperatureScaling.predict`, then what `CalibratedClassifierCV` does after it.

        The C extension computes it when it can (`_proba_native`), with the same bits as
        `_proba_numpy`, which computes it otherwise.
        """
        if self.native_proba:
            proba = self._proba_native(decisions)
            if proba is not None:
                return proba
        return self._proba_numpy(decisions)

    def _proba_native(self, decisions: np.ndarray) -> np.ndarray | None:
        """`_proba_numpy` by `_speedups.temperature_softmax`, or None where numpy must compute it.

        The C code does the arithmetic of `_proba_numpy` in the same dtypes and order, except
        the exponential, which it leaves to `np.exp` (numpy's own SIMD code, which need not
        round as the C library does). It takes C-contiguous 2-D float32 or float64 decisions
        and declines (None here) decisions that look like probabilities (the calibrator then
        takes their logarithms) or give a NaN.
        """
        beta = self.calibrator.beta_
        if not (
            type(decisions) is np.ndarray
            and decisions.ndim == 2
            and decisions.flags.c_contiguous
            and decisions.dtype in _SOFTMAX_DTYPES
        ):
            return None
        scaled_dtype = _product_dtype(beta, decisions.dtype)
        if scaled_dtype is None:
            return None
        scaled = np.empty(decisions.shape, scaled_dtype)
        out = scaled if scaled_dtype == np.float64 else np.empty(decisions.shape)
        if _speedups.temperature_softmax(decisions, float(beta), np.exp, scaled, out):
            return out
        return None

    def _proba_numpy(self, decisions: np.ndarray) -> np.ndarray:
        """`proba` in numpy: the reference, and the code for what the C extension leaves."""
        # Decision values of a linear model almost never all lie in [0, 1]: test that first.
        looks_like_proba = (
            bool(decisions.min() >= 0)
            and bool(decisions.max() <= 1)
            and bool(
                np.all(
                    np.isclose(np.sum(decisions, axis=1), np.asarray(1.0, dtype=decisions.dtype))
                )
            )
        )
        if looks_like_proba:  # the calibrator then takes logarithms: let it do so itself
            proba = self.calibrator.predict(decisions)
        else:
            scaled = self.calibrator.beta_ * decisions
            scaled -= np.reshape(np.max(scaled, axis=1), (-1, 1))
            np.exp(scaled, out=scaled)
            scaled /= np.reshape(np.sum(scaled, axis=1), (-1, 1))
            proba = scaled
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        mean = np.zeros(proba.shape)
        mean += proba
        mean /= 1
        return mean


_SOFTMAX_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
# numpy 2 promotes a Python float to the array's dtype, a numpy scalar by its own dtype (NEP 50);
# numpy 1 looks at the scalar's value, which `_product_dtype` does not mirror.
_NEP50_PROMOTION = int(np.__version__.split(".")[0]) >= 2


def _product_dtype(beta: object, dtype: np.dtype[Any]) -> np.dtype[Any] | None:
    """The dtype of numpy's ``beta * decisions`` for float32 or float64 ``decisions``.

    None for a ``beta`` of another type (or numpy 1): the C extension then does not run.
    ``beta_`` is a numpy scalar of the decisions' dtype when scikit-learn fits it (float32 for
    the float32 decisions of the models `make train` fits), a Python float when set by hand.
    """
    beta_type = type(beta)
    if not _NEP50_PROMOTION or beta_type not in (float, np.float16, np.float32, np.float64):
        return None
    if dtype == np.float64 or beta_type is np.float64:
        return np.dtype(np.float64)
    return np.dtype(np.float32)


def compile_fast_proba(estimator: Any, *, native: bool = True) -> ProbaFunction | None:
    """`estimator.predict_proba` without the per-call overhead, or None for another shape.

    ``native=False`` keeps to the numpy code even where the C extension could run.
    """
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
    blocks = [_block(transformer, native) for _, transformer in union.transformer_list]
    if not blocks or any(b is None for b in blocks):
        return None
    model = _LinearTemperature(
        [b for b in blocks if b is not None], linear, fitted[0].calibrators[0], native=native
    )
    if not hasattr(model.calibrator, "beta_"):
        return None

    def predict_proba(texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, n_classes))
        normalized = [normalize_text(redact_secrets(text)) for text in texts]
        if len(normalized) == 1:  # the service's case: a view of the one row, not a stacked copy
            return model.proba(model.decision(normalized[0])[np.newaxis])
        decisions = np.vstack([model.decision(text) for text in normalized])
        return model.proba(decisions)

    return predict_proba
