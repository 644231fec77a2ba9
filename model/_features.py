"""The feature side of the classifier: what text the model sees, and the pipeline that reads it.

The estimator's input is one string per log: the failing step's name and the decisive region,
never the whole log (TF-IDF reads about 5 MB/s; the region is bounded, the log is not). The
classes here are importable at module level so a pickled pipeline loads without training code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from model._extract import Region
from model._normalize import normalize_text
from model.redact import redact_secrets

# Characters at the head of the text (step, decisive lines) that the character n-grams read. Character
# n-grams survive unseen spellings (new package names, new error codes) but cost ~1 MB/s.
HEADLINE_CHARS = 600


def feature_text(region: Region) -> str:
    """The text the model classifies: step name, decisive lines, then the region with context.

    The order matters: :class:`HeadlineSelector` reads the head of this text.
    """
    step = (region.step or "").replace("\n", " ")
    decisive = region.decisive.replace("\n", " ")
    return f"{step}\n{decisive}\n{region.text}"


class TextNormalizer(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Redact secrets, then mask run-specific detail (times, hashes, numbers, paths)."""

    def fit(self, X: Iterable[str], y: Any = None) -> TextNormalizer:
        return self

    def transform(self, X: Iterable[str]) -> list[str]:
        return [normalize_text(redact_secrets(text)) for text in X]


class HeadlineSelector(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Keep the head of the normalised text: its first ``max_chars`` characters.

    Normalisation folds the text onto one line, so the head is the step name, the decisive
    lines and the start of their context. Cross-validation preferred this to the step and
    decisive lines alone (which lost about 0.035 macro-F1).
    """

    def __init__(self, max_chars: int = HEADLINE_CHARS) -> None:
        self.max_chars = max_chars

    def fit(self, X: Iterable[str], y: Any = None) -> HeadlineSelector:
        return self

    def transform(self, X: Iterable[str]) -> list[str]:
        return [text[: self.max_chars] for text in X]


# Tokens: words, error codes (E0308, TS2322), dotted names (java.lang.OutOfMemoryError),
# masked placeholders (<num>, <path>) and the punctuation-words that distinguish tools.
TOKEN_PATTERN = (
    r"(?u)<[a-z]+>|[a-z_][a-z0-9_]*(?:[.:\-][a-z0-9_]+)*|[a-z]*\d+[a-z0-9]*|[!*#=^~]{2,}"
)


def build_features(*, min_df: int = 2) -> FeatureUnion:
    """Word TF-IDF over the whole feature text and character TF-IDF over its headline.

    Word unigrams, not bigrams: on family-held-out cross-validation of the training split
    (``python -m training.sweep``) unigrams gained about 0.015 macro-F1 over 1-2-grams, in 6 of
    8 folds, and cost less.
    """
    words = TfidfVectorizer(
        token_pattern=TOKEN_PATTERN,
        lowercase=False,  # the normaliser lowercases already
        ngram_range=(1, 1),
        min_df=min_df,
        max_df=0.9,
        sublinear_tf=True,
        max_features=150_000,
        dtype=np.float32,
    )
    chars = Pipeline(
        [
            ("headline", HeadlineSelector()),
            (
                "tfidf",
                TfidfVectorizer(
                    analyzer="char_wb",
                    lowercase=False,
                    ngram_range=(3, 5),
                    min_df=min_df,
                    sublinear_tf=True,
                    max_features=80_000,
                    dtype=np.float32,
                ),
            ),
        ]
    )
    return FeatureUnion([("words", words), ("chars", chars)])


def build_classifier(*, C: float = 4.0, min_df: int = 2) -> Pipeline:
    """TF-IDF features and logistic regression, over already normalised text."""
    # tol=1e-3: the decision boundary stops moving long before the default tolerance is met,
    # and each lbfgs iteration over ~200k sparse features is the cost of training.
    return Pipeline(
        [
            ("features", build_features(min_df=min_df)),
            ("classify", LogisticRegression(C=C, tol=1e-3, max_iter=500)),
        ]
    )


def build_pipeline(*, C: float = 4.0, min_df: int = 2) -> Pipeline:
    """The whole uncalibrated pipeline: normaliser, features, logistic regression."""
    return Pipeline(
        [("normalize", TextNormalizer()), ("model", build_classifier(C=C, min_df=min_df))]
    )
