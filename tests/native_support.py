"""Running a test once with the C extension (`model._speedups`) and once with the numpy code.

Without the extension (a build without a C compiler) the C half is skipped, saying why; with
``AUTOHEAL_REQUIRE_NATIVE=1``, as CI sets, `test_the_extension_is_built_where_required` fails.
"""

from __future__ import annotations

import os

import pytest

from model._fast_tfidf import NATIVE

REQUIRED = os.environ.get("AUTOHEAL_REQUIRE_NATIVE") == "1"

needs_native = pytest.mark.skipif(
    not NATIVE, reason="model._speedups is not built (no C compiler at install time)"
)
# Parametrise a test's ``native`` argument with these: both implementations are compared.
MODES = [pytest.param(False, id="numpy"), pytest.param(True, id="c", marks=needs_native)]
