"""The prediction path's fused C steps equal the separate ones bit for bit.

`_speedups.tfidf_features` counts a text's features and weighs the row in one call (what
`count_features` then `tfidf_values` compute), and `_LinearTemperature.decision` hands its bytes
straight to `linear_scores`: the rows and the decision values must not change by a bit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import _fast_tfidf
from model._inference import _LinearTemperature
from model._normalize import normalize_text
from model.redact import redact_secrets
from tests.native_support import needs_native, trained_linear_temperature

pytestmark = needs_native

# Pieces of the texts the classifier sees, and characters that split or join its tokens.
PIECES = [
    "error",
    "ERROR:",
    "failed",
    "npm ERR!",
    "Traceback",
    "<num>",
    "<path>",
    "<hex>",
    "test_",
    "==",
    "::",
    " ",
    "\n",
    "\t",
    "\x1c",
    "\x1f",
    "\x0b",
    "a",
    "_",
    "9",
    "\u00e9t\u00e9",
    "\u4e2d",
    "\u00a0",
]
TEXTS = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.text(alphabet=st.characters(max_codepoint=127), max_size=200),
    st.text(max_size=80),
)


_MODELS: dict[Path, _LinearTemperature] = {}


def _cached_model(artifact: Path) -> _LinearTemperature:
    if artifact not in _MODELS:
        _MODELS[artifact] = trained_linear_temperature(artifact)
    return _MODELS[artifact]


def _assert_fused_equals_separate(model: _LinearTemperature, text: str) -> None:
    assert model.native
    rows = []
    for block in model.blocks:
        indices, values = block.row(text)  # count_features, then tfidf_values
        fused = block.native_row(text)
        # The fused path ran (bytes, not the arrays of the fallback) and gave the same bits.
        assert type(fused[0]) is bytes and type(fused[1]) is bytes
        assert fused[0] == indices.astype(np.int32).tobytes()
        assert fused[1] == values.astype(np.float32).tobytes()
        rows.append((indices, values))
    # The decision sums of the separate rows, as arrays (the unfused path), over unpadded
    # coefficient rows (the model reads rows padded to cache lines).
    pieces = [(i, v, offset) for (i, v), offset in zip(rows, model.int_offsets, strict=True)]
    coef = np.ascontiguousarray(model.coef_rows)
    raw = _fast_tfidf._speedups.linear_scores(pieces, coef, model.intercept)
    separate = np.frombuffer(raw, dtype=np.float32)
    assert model.decision(text).tobytes() == separate.tobytes()


def test_fused_rows_equal_the_separate_steps_on_generated_logs(model_artifact: Path) -> None:
    from datasets.generator import generate
    from model import extract_region
    from model._features import feature_text

    model = _cached_model(model_artifact)
    texts = [feature_text(extract_region(r.log)) for r in generate(150, seed=41)]
    texts += ["", "   ", "\u00e9t\u00e9 error failed", "x" * 1_000_000]
    for text in texts:
        _assert_fused_equals_separate(model, normalize_text(redact_secrets(text)))
        _assert_fused_equals_separate(model, text)


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
def test_fused_rows_equal_the_separate_steps_on_any_text(model_artifact: Path, text: str) -> None:
    _assert_fused_equals_separate(_cached_model(model_artifact), text)


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.one_of(st.integers(0, 40), st.none()), max_size=300),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_tfidf_features_is_count_then_tfidf(
    features: list[int | None], as_bytes: bool, with_tf: bool, with_idf: bool, l2: bool
) -> None:
    from model import _speedups as speedups

    # float32 tf and idf values with many mantissa bits, as fitted ones have.
    logs = (1.0 + np.log(np.arange(1, 12, dtype=np.float32))).astype(np.float32)
    tf = np.concatenate(([np.float32(0.0)], logs)) if with_tf else None
    idf = (np.arange(41, dtype=np.float32) / np.float32(7.3) + np.float32(1)) if with_idf else None
    argument: Any = features
    if as_bytes:
        argument = np.array([f for f in features if f is not None], np.int32).tobytes()
    indices, counts = speedups.count_features(argument)
    expected = speedups.tfidf_values(indices, counts, tf, idf, l2)
    fused = speedups.tfidf_features(argument, tf, idf, l2)
    if expected is None:  # a count beyond the 12-entry tf table
        assert fused is None
        assert tf is not None
        assert int(np.frombuffer(counts, np.int32).max()) >= len(tf)
    else:
        assert fused == (indices, expected)


@settings(max_examples=1500, deadline=None)
@given(
    st.integers(0, 31).flatmap(
        lambda bits: st.lists(st.integers(0, (1 << bits) - 1), max_size=3000)
    ),
    st.booleans(),
)
def test_count_features_sorts_and_counts_values_of_any_width(
    features: list[int], as_bytes: bool
) -> None:
    """The radix sort behind `count_features` takes as many passes as the largest value needs:
    every width from 0 to 31 bits, any length, sorted and counted."""
    from collections import Counter

    from model import _speedups as speedups

    argument: Any = np.array(features, np.int32).tobytes() if as_bytes else features
    indices, counts = speedups.count_features(argument)
    expected = sorted(Counter(features).items())
    assert np.frombuffer(indices, np.int32).tolist() == [value for value, _ in expected]
    assert np.frombuffer(counts, np.int32).tolist() == [count for _, count in expected]


def test_tfidf_features_rejects_what_the_separate_steps_reject() -> None:
    from model import _speedups as speedups

    idf = np.ones(3, dtype=np.float32)
    tf = np.arange(4, dtype=np.float32)
    assert speedups.tfidf_features(b"", tf, idf, True) == (b"", b"")
    assert speedups.tfidf_features([2, 2, 2, 2, 2], tf, idf, True) is None  # count 5 beyond tf
    with pytest.raises(IndexError):  # feature 7 beyond the idf vector
        speedups.tfidf_features([0, 7], None, idf, True)
    with pytest.raises(ValueError, match="range"):
        speedups.tfidf_features([-1], None, idf, True)
    with pytest.raises(TypeError, match="bytes"):
        speedups.tfidf_features(b"abc", None, idf, True)  # not a whole number of int32
    with pytest.raises(TypeError, match="bytes"):
        speedups.tfidf_features(b"", np.arange(4, dtype=np.float64), idf, True)
    with pytest.raises(TypeError, match="bytes"):
        speedups.tfidf_features(b"", tf, np.ones(3, dtype=np.float64), True)
