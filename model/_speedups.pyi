# The C extension's functions (model/_speedups.c); absent when the package was built without it.
# A buffer argument is any C-contiguous object of the item size the function expects (numpy
# arrays, bytes); numpy's arrays are not typed as buffers, hence `Any`.
from collections.abc import Callable
from typing import Any

def char_ngram_features(
    text: str,
    alphabet: Any,
    bits: int,
    min_n: int,
    max_n: int,
    slots: Any,
    slot_features: Any,
    shift: int,
    sorted_keys: Any,
    sorted_features: Any,
    /,
) -> bytes: ...
def word_features(text: str, vocabulary: dict[str, int], /) -> bytes | None: ...
def count_features(features: Any, /) -> tuple[bytes, bytes]: ...
def tfidf_values(indices: Any, counts: Any, tf: Any, idf: Any, l2: bool, /) -> bytes | None: ...
def tfidf_features(features: Any, tf: Any, idf: Any, l2: bool, /) -> tuple[bytes, bytes] | None: ...
def linear_scores(rows: list[tuple[Any, Any, int]], coef: Any, intercept: Any, /) -> bytes: ...
def temperature_softmax(
    decisions: Any, beta: float, exp: Callable[[Any, Any], object], scaled: Any, out: Any, /
) -> bool: ...
