"""`_LinearTemperature.proba` in C (`model._speedups.temperature_softmax`) against its numpy code.

`_proba_numpy` is the reference: the C path must give the same bits for every input it takes
and decline (None from `_proba_native`) the others, which numpy then computes. The tests compare
the float64 results bit for bit (`.view(np.uint64)`), so a NaN must even be the same NaN.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.calibration import _TemperatureScaling

from model._inference import _LinearTemperature, _product_dtype
from tests.native_support import REQUIRED, trained_linear_temperature

try:
    from model import _speedups
except ImportError:  # built without a C compiler
    _speedups = None  # type: ignore[assignment]

HAS_SOFTMAX = hasattr(_speedups, "temperature_softmax")
needs_softmax = pytest.mark.skipif(
    not HAS_SOFTMAX, reason="model._speedups is not built (no C compiler at install time)"
)

DTYPES = [np.float32, np.float64]
# The kinds of `beta_`: scikit-learn fits a numpy scalar of the decisions' dtype (float32 for
# the models `make train` fits); a Python float or another numpy float when set by hand.
BETA_TYPES: list[Any] = [float, np.float16, np.float32, np.float64]


def temperature(beta: Any) -> _LinearTemperature:
    """A `_LinearTemperature` with only what `proba` reads: a calibrator of inverse
    temperature ``beta`` and the switch to the C path."""
    calibrator = _TemperatureScaling()
    calibrator.beta_ = beta
    model = object.__new__(_LinearTemperature)
    model.calibrator = calibrator
    model.native_proba = True
    return model


def bits(array: np.ndarray) -> np.ndarray:
    assert array.dtype == np.float64 and array.flags.c_contiguous
    return array.view(np.uint64)


def assert_same_proba(model: _LinearTemperature, decisions: np.ndarray) -> bool:
    """Public `proba` equals `_proba_numpy` bit for bit; True when the C path computed it."""
    with np.errstate(all="ignore"):
        expected = model._proba_numpy(decisions.copy())
        native = model._proba_native(decisions)
        public = model.proba(decisions)
    # (The calibrator turns a one-column probability p into the logits (-p, p): two columns.)
    assert public.shape == expected.shape
    assert np.array_equal(bits(public), bits(expected))
    if native is not None:
        assert np.array_equal(bits(native), bits(expected))
    return native is not None


def looks_like_probabilities(decisions: np.ndarray) -> bool:
    """The test before the softmax in `_proba_numpy`, written out as numpy computes it."""
    sums = np.sum(decisions, axis=1)
    one = np.asarray(1.0, dtype=decisions.dtype)
    with np.errstate(all="ignore"):
        return bool(decisions.min() >= 0 and decisions.max() <= 1 and np.all(np.isclose(sums, one)))


# ------------------------------------------------------------------ hypothesis: any values


def _values(width: Literal[32, 64]) -> st.SearchStrategy[float]:
    big = float(np.finfo(np.float32 if width == 32 else np.float64).max)
    tiny = float(np.finfo(np.float32 if width == 32 else np.float64).smallest_subnormal)
    return st.one_of(
        st.floats(-40, 40, width=width),  # decision values of a linear model
        st.floats(0, 1, width=width),  # values in [0, 1]: the probability test runs further
        st.floats(width=width),  # anything: huge, tiny, subnormal, inf, nan
        st.sampled_from([0.0, -0.0, 1.0, -1.0, tiny, -tiny, big, -big]),
        st.sampled_from([float("inf"), float("-inf"), float("nan")]),
    )


def _betas() -> st.SearchStrategy[Any]:
    magnitudes = st.one_of(
        st.floats(0.05, 20),
        st.sampled_from([0.0, -1.0, 1e-300, 1e300, float("inf"), float("nan")]),
    )
    return st.tuples(st.sampled_from(BETA_TYPES), magnitudes).map(_beta_of_type)


def _beta_of_type(type_and_value: tuple[Any, float]) -> Any:
    beta_type, value = type_and_value
    with np.errstate(over="ignore"):  # 1e300 as float16 or float32: inf
        return beta_type(value)


@st.composite
def _decisions(draw: st.DrawFn) -> np.ndarray:
    """Rows of random decision values, of values in [0, 1], or of a few drawn values repeated,
    with a few drawn values put in at random places. (Filling the array from a seeded
    generator rather than drawing every item keeps thousands of examples fast.)"""
    dtype = draw(st.sampled_from(DTYPES))
    cols = draw(st.integers(1, 40))
    rows = draw(st.sampled_from([1, 1, 1, 2, 3, 5]))
    width: Literal[32, 64] = 32 if dtype is np.float32 else 64
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["decisions", "unit", "palette"]))
    if kind == "decisions":
        scale = draw(st.sampled_from([1e-3, 1.0, 5.0, 40.0, 1e4]))
        values = rng.standard_normal((rows, cols)) * scale
    elif kind == "unit":
        values = rng.random((rows, cols))
    else:
        palette = np.array(draw(st.lists(_values(width), min_size=1, max_size=6)))
        values = palette[rng.integers(len(palette), size=(rows, cols))]
    with np.errstate(over="ignore"):
        decisions = values.astype(dtype)
    for value in draw(st.lists(_values(width), max_size=3)):
        decisions[rng.integers(rows), rng.integers(cols)] = value
    return decisions


@needs_softmax
@settings(max_examples=3000, deadline=None)
@given(_decisions(), _betas())
def test_c_path_has_the_bits_of_numpy(decisions: np.ndarray, beta: Any) -> None:
    """Same bits; and the C path declines only decisions that look like probabilities or
    whose softmax holds a NaN (a NaN in the scaled values, or an infinite row maximum)."""
    model = temperature(beta)
    with np.errstate(all="ignore"):
        scaled = beta * decisions
        finite_maxima = np.all(np.isfinite(np.max(scaled, axis=1)))
        expected_to_run = (
            not looks_like_probabilities(decisions)
            and not np.any(np.isnan(scaled))
            and bool(finite_maxima)
        )
    assert assert_same_proba(model, decisions) == expected_to_run


# ------------------------------------------------------------------ probabilities and sums


@st.composite
def _near_probabilities(draw: st.DrawFn) -> np.ndarray:
    """Rows in [0, 1] summing to about 1, some just inside or outside `isclose`'s tolerance."""
    dtype = draw(st.sampled_from(DTYPES))
    cols = draw(st.integers(1, 40))
    rows = draw(st.sampled_from([1, 1, 2, 4]))
    weights = np.array(
        draw(st.lists(st.floats(0, 1000), min_size=rows * cols, max_size=rows * cols))
    ).reshape(rows, cols)
    weights[:, 0] += 1e-3  # no row of zeros
    stretch = draw(st.sampled_from([0.0, 1e-6, -1e-6, 9.9e-6, -9.9e-6, 1e-5, -1e-5, 2e-5, -2e-5]))
    rows_sum_to = 1.0 + stretch + draw(st.floats(-1e-7, 1e-7))
    probabilities = weights / weights.sum(axis=1, keepdims=True) * rows_sum_to
    decisions: np.ndarray = np.clip(probabilities, 0.0, 1.0).astype(dtype)
    return decisions


@needs_softmax
@settings(max_examples=800, deadline=None)
@given(_near_probabilities(), st.sampled_from([1.0, np.float32(1.7), np.float64(0.6)]))
def test_the_probability_test_agrees_with_numpy(decisions: np.ndarray, beta: Any) -> None:
    """Near the tolerance of `isclose`, the sums in the decisions' dtype decide as numpy's do."""
    ran = assert_same_proba(temperature(beta), decisions)
    assert ran == (not looks_like_probabilities(decisions))


@needs_softmax
@pytest.mark.parametrize("dtype", DTYPES)
def test_sums_at_the_tolerance_of_isclose(dtype: Any) -> None:
    """Every float near 1 as a one-item row, and split over eight and eleven items."""
    one = dtype(1.0)
    below = [one]
    above = [one]
    for _ in range(400 if dtype is np.float32 else 50):
        below.append(np.nextafter(below[-1], dtype(0)))
        above.append(np.nextafter(above[-1], dtype(2)))
    # float64: values near the tolerance 1e-5 + 1e-8 itself.
    near_tolerance = [
        dtype(1.0 - 1.001e-5 + k * 1e-12) for k in range(-50, 50) if dtype is np.float64
    ]
    model = temperature(np.float32(1.3))
    declined = 0
    for total in [*below, *above, *near_tolerance]:
        for cols in (1, 8, 11):
            decisions = np.full((1, cols), total / cols, dtype=dtype)
            decisions[0, 0] = total - (total / cols) * (cols - 1)
            ran = assert_same_proba(model, decisions)
            assert ran == (not looks_like_probabilities(decisions))
            declined += not ran
    assert declined > 0  # some of these sums are close enough to 1


@needs_softmax
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("beta_type", BETA_TYPES)
def test_every_row_length_and_magnitude(dtype: Any, beta_type: Any) -> None:
    """Rows of 1 to 40 classes (and lengths where numpy's pairwise sum splits), 1 to 7 rows."""
    rng = np.random.default_rng(17)
    model = temperature(beta_type(1.1205347))
    lengths = [*range(1, 41), 127, 128, 129, 136, 255, 256, 257, 1000]
    for cols in lengths:
        for rows in (1, 2, 7):
            for scale in (1e-6, 0.1, 3.0, 40.0, 1e4):
                decisions = (rng.standard_normal((rows, cols)) * scale).astype(dtype)
                assert assert_same_proba(model, decisions)


@needs_softmax
def test_special_values() -> None:
    inf, nan = float("inf"), float("nan")
    rows = [
        [0.0, -0.0, 0.0],
        [-0.0, -0.0, -0.0],
        [1.0, 0.0, 0.0],  # a probability row: the calibrator's logarithms
        [0.5, 0.25, 0.25],
        [-inf, 1.0, 2.0],
        [-inf, -inf, -inf],
        [inf, 1.0, 2.0],
        [inf, inf, -inf],
        [nan, 1.0, 2.0],
        [1e30, -1e30, 0.0],
        [3.0e38, 3.0e38, 3.0e38],
        [1e-45, -1e-45, 0.0],
        [5.0, 5.0, 5.0],  # ties for the maximum
    ]
    for dtype in DTYPES:
        for beta_type in BETA_TYPES:
            for beta in (1.5, 0.0, -2.0, inf, nan):
                model = temperature(beta_type(beta))
                for row in rows:
                    assert_same_proba(model, np.array([row], dtype=dtype))
                assert_same_proba(model, np.array(rows, dtype=dtype))
    huge = np.array([[1e300, -1e300, 2.0]])  # float64 decisions beyond float32's range
    assert_same_proba(temperature(np.float64(10.0)), huge)


def test_the_product_dtype_is_numpys() -> None:
    for dtype in DTYPES:
        decisions = np.ones((1, 3), dtype=dtype)
        for beta_type in BETA_TYPES:
            beta = beta_type(1.5)
            assert _product_dtype(beta, decisions.dtype) == (beta * decisions).dtype
    assert _product_dtype(np.longdouble(1.5), np.dtype(np.float32)) is None
    assert _product_dtype(2, np.dtype(np.float32)) is None


# ------------------------------------------------------------------ what the C path declines


@needs_softmax
def test_other_arrays_are_left_to_numpy() -> None:
    model = temperature(np.float32(1.2))
    base = np.arange(24, dtype=np.float32).reshape(4, 6) - 10
    others: list[np.ndarray] = [
        np.asfortranarray(base),  # not C-contiguous
        base[:, ::2],  # strided
        base.astype(np.float16),
        base.astype(np.longdouble),
        base.astype(base.dtype.newbyteorder()),  # another byte order
    ]
    for decisions in others:
        assert model._proba_native(decisions) is None
        with np.errstate(all="ignore"):
            public, expected = model.proba(decisions), model._proba_numpy(decisions.copy())
        assert np.array_equal(public, expected, equal_nan=True)
    assert model._proba_native(base.reshape(2, 2, 6)) is None  # not 2-D
    assert model._proba_native(base[0]) is None
    assert temperature(1.2)._proba_native(np.zeros((0, 5), np.float32)) is None
    with pytest.raises(ValueError):  # numpy's min of nothing, as before
        temperature(1.2).proba(np.zeros((0, 5), np.float32))
    # A beta of another type: numpy computes.
    assert temperature(np.longdouble(1.2))._proba_native(base) is None


@needs_softmax
def test_the_result_is_a_fresh_writable_array() -> None:
    decisions = np.array([[1.0, -2.0, 3.0]], dtype=np.float32)
    decisions.flags.writeable = False
    model = temperature(np.float32(1.0))
    first = model.proba(decisions)
    assert first.flags.writeable and first.flags.owndata and first.dtype == np.float64
    first[0, 0] = 7.0
    assert model.proba(decisions)[0, 0] != 7.0


# ------------------------------------------------------------------ the extension's checks


@needs_softmax
def test_wrong_arguments_raise() -> None:
    assert _speedups is not None
    softmax = _speedups.temperature_softmax
    decisions = np.array([[1.0, 2.0]], dtype=np.float32)
    scaled = np.empty((1, 2), np.float32)
    out = np.empty((1, 2))
    assert softmax(decisions, 1.0, np.exp, scaled, out) is True
    with pytest.raises(TypeError, match="float32 or float64"):
        softmax(decisions.astype(np.int32), 1.0, np.exp, scaled, out)
    with pytest.raises(TypeError, match="float32 or float64"):
        softmax(decisions[0], 1.0, np.exp, scaled, out)  # 1-D
    with pytest.raises((TypeError, ValueError, BufferError)):
        softmax(np.asfortranarray(np.ones((2, 2), np.float32)), 1.0, np.exp, scaled, out)
    with pytest.raises(ValueError, match="shapes"):
        softmax(decisions, 1.0, np.exp, np.empty((1, 3), np.float32), out)
    with pytest.raises(TypeError, match="out must be float64"):
        softmax(decisions, 1.0, np.exp, scaled, np.empty((1, 2), np.float32))
    with pytest.raises(TypeError, match="at least as wide"):
        softmax(decisions.astype(np.float64), 1.0, np.exp, scaled, out)
    read_only = np.empty((1, 2))
    read_only.flags.writeable = False
    with pytest.raises((BufferError, ValueError)):
        softmax(decisions, 1.0, np.exp, scaled, read_only)
    with pytest.raises(TypeError):
        softmax(decisions, "1.0", np.exp, scaled, out)  # type: ignore[arg-type]

    def failing_exp(*args: Any) -> Any:
        raise RuntimeError("no exponential")

    with pytest.raises(RuntimeError, match="no exponential"):
        softmax(decisions, 1.0, failing_exp, scaled, out)


@needs_softmax
def test_the_exponential_is_the_one_passed_in() -> None:
    """The C code calls ``exp(scaled, scaled)`` once and computes no exponential itself."""
    assert _speedups is not None
    calls: list[int] = []

    def counted_exp(values: np.ndarray, out: np.ndarray) -> None:
        calls.append(values.size)
        assert values is out
        np.exp(values, out=out)

    decisions = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 5.0]], dtype=np.float32)
    out = np.empty((2, 3))  # float64 and scaled in place: a float64 beta's product
    assert _speedups.temperature_softmax(decisions, 1.5, counted_exp, out, out) is True
    assert calls == [6]
    expected = temperature(np.float64(1.5))._proba_numpy(decisions)
    assert np.array_equal(bits(out), bits(expected))

    def ones_exp(values: np.ndarray, out: np.ndarray) -> None:
        out[...] = 1.0  # every class equally likely

    assert _speedups.temperature_softmax(decisions, 1.5, ones_exp, out, out) is True
    assert np.array_equal(out, np.full((2, 3), 1 / 3))


def test_the_extension_has_the_function_where_required() -> None:
    if not REQUIRED:
        pytest.skip("AUTOHEAL_REQUIRE_NATIVE is not set")
    assert HAS_SOFTMAX, "model._speedups lacks temperature_softmax: rebuild the package"


# ------------------------------------------------------------------ the trained model


@needs_softmax
def test_decisions_of_the_trained_model(model_artifact: Path) -> None:
    from datasets.generator import generate
    from model import extract_region
    from model._features import feature_text
    from model._normalize import normalize_text
    from model.redact import redact_secrets

    model = trained_linear_temperature(model_artifact)
    assert model.native_proba
    texts = [feature_text(extract_region(r.log)) for r in generate(150, seed=31)]
    decisions = [
        np.vstack([model.decision(normalize_text(redact_secrets(text)))]) for text in texts
    ]
    assert decisions[0].dtype == np.float32
    for row in decisions:
        assert assert_same_proba(model, row)
    assert assert_same_proba(model, np.vstack(decisions))  # all rows at once
