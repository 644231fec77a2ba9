"""Running a test once with the C extension (`model._speedups`) and once with the numpy code.

Without the extension (a build without a C compiler) the C half is skipped, saying why; with
``AUTOHEAL_REQUIRE_NATIVE=1``, as CI sets, `test_the_extension_is_built_where_required` fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from model._fast_tfidf import NATIVE
from model._inference import _block, _LinearTemperature
from model.classifier import Classifier

REQUIRED = os.environ.get("AUTOHEAL_REQUIRE_NATIVE") == "1"

needs_native = pytest.mark.skipif(
    not NATIVE, reason="model._speedups is not built (no C compiler at install time)"
)
# Parametrise a test's ``native`` argument with these: both implementations are compared.
MODES = [pytest.param(False, id="numpy"), pytest.param(True, id="c", marks=needs_native)]


def trained_linear_temperature(artifact: Path, *, native: bool = True) -> _LinearTemperature:
    """The decision-and-temperature stage of a trained artifact, as `compile_fast_proba` builds
    it (tests call its methods directly)."""
    estimator = Classifier.load(artifact).estimator
    calibrated = estimator.steps[1][1].calibrated_classifiers_[0]
    union, linear = (step for _, step in calibrated.estimator.steps)
    blocks = [_block(transformer, native) for _, transformer in union.transformer_list]
    assert all(b is not None for b in blocks)
    return _LinearTemperature(
        [b for b in blocks if b is not None], linear, calibrated.calibrators[0], native=native
    )
