"""Per-log cost of classification, stage by stage, on the trained model.

Uses a 20 KB GitHub Actions job log (the same generator as `bench_extract`: noisy successful
steps, then a failing docker build) and measures the median time per log of each stage the
service runs: region extraction, the feature text, secret redaction + normalisation, each
vectoriser, logistic regression + calibration, and `Classifier.classify` end to end, for single
rows and for batches of 8; then `classify` on a 1 MB log (goal: median <= 20 ms).

Skips (one row saying so) when no model has been trained yet.
Run alone with `python -m bench.bench_classify`.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from bench.bench_extract import BENCH_DIR, ROOT, build_log

MODEL_PATH = ROOT / "var" / "models" / "autoheal-classifier.joblib"
BATCH = 8
_GOAL_1MB_MS = 20.0


def _median_ms(call: Callable[[], object], per: int = 1, repeat: int = 41) -> float:
    """Median wall time of `call` over `repeat` runs (after one warm-up), per item, in ms."""
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1e3 / per, 3)


def _row(name: str, ms: float, **extra: object) -> dict[str, object]:
    return {"name": name, "figure": ms, "unit": "ms", **extra}


def _stages(classifier: Any) -> tuple[Any, Any, Any]:
    """The fitted normaliser, the fitted feature union and the calibrated classifier."""
    estimator = classifier.estimator
    normalizer = estimator.named_steps["normalize"]
    calibrated = estimator.named_steps["calibrated"]
    inner = calibrated.calibrated_classifiers_[0].estimator
    return normalizer, inner.named_steps["features"], calibrated


def _fast_rows(
    features: Any, calibrated: Any, normalized: list[str], batch: list[str]
) -> list[dict[str, object]]:
    """Stages of the classifier's fast path (`model._inference`), when the model has its shape."""
    try:
        from model._inference import _block
    except ImportError:  # a checkout without the fast path
        return []
    import scipy.sparse as sp

    from model._fast_tfidf import NATIVE

    rows = []
    for native in (False, True) if NATIVE else (False,):
        kind = "C" if native else "numpy"
        blocks = [_block(transformer, native) for _, transformer in features.transformer_list]
        ready = [b for b in blocks if b is not None]
        if len(ready) != len(blocks):
            return []
        for (name, _), block in zip(features.transformer_list, ready, strict=True):
            rows.append(
                _row(
                    f"fast {name} vectoriser, {kind} (1 row)",
                    _median_ms(partial(block.transform, normalized)),
                )
            )
            rows.append(
                _row(
                    f"fast {name} vectoriser, {kind} (batch {BATCH}, per row)",
                    _median_ms(partial(block.transform, batch), per=BATCH),
                )
            )
    matrix = sp.hstack([b.transform(normalized) for b in ready]).tocsr()
    inner = calibrated.calibrated_classifiers_[0]
    linear = inner.estimator.named_steps["classify"]

    def linear_and_temperature() -> object:
        return inner.calibrators[0].predict(matrix @ linear.coef_.T + linear.intercept_)

    rows.append(_row("fast LR + temperature (1 row)", _median_ms(linear_and_temperature)))
    return rows


def _native_rows(classifier: Any) -> list[dict[str, object]]:
    """Prediction of the 256 pool logs with the C extension and with the numpy code: rounds
    alternate between the two, and the median round of each counts."""
    from bench._log_pool import build_pool
    from model import extract_region
    from model._fast_tfidf import NATIVE
    from model._features import feature_text
    from model._inference import compile_fast_proba

    if not NATIVE:
        return [{"name": "C extension", "skipped": "not built (no C compiler at install time)"}]
    texts = [feature_text(extract_region(path.read_bytes())) for path in build_pool()]
    implementations = {
        "C": compile_fast_proba(classifier.estimator),
        "numpy": compile_fast_proba(classifier.estimator, native=False),
    }
    times: dict[str, list[float]] = {name: [] for name in implementations}
    for _ in range(7):
        for name, proba in implementations.items():
            assert proba is not None
            start = time.perf_counter()
            for text in texts:
                proba([text])
            times[name].append((time.perf_counter() - start) / len(texts))
    c_ms, numpy_ms = (statistics.median(times[name]) * 1e3 for name in ("C", "numpy"))
    return [
        _row("predict 256 pool logs, C extension, per log", round(c_ms, 3)),
        _row("predict 256 pool logs, numpy, per log", round(numpy_ms, 3)),
        {"name": "predict: C / numpy", "figure": round(c_ms / numpy_ms, 2), "unit": "ratio"},
    ]


def run() -> list[dict[str, object]]:
    import sklearn

    from model import extract_region
    from model._features import feature_text
    from model.classifier import Classifier

    if not MODEL_PATH.is_file():
        return [{"name": "classify", "skipped": f"no model at {MODEL_PATH}: run `make train`"}]
    classifier = Classifier.load(MODEL_PATH)
    normalizer, features, calibrated = _stages(classifier)
    log = build_log(BENCH_DIR / "gha-20kb.log", 20_000).read_bytes()
    big = build_log(BENCH_DIR / "gha-1mb.log", 1_000_000).read_bytes()
    # A batch of distinct logs: the same log with a different failing step name each.
    batch = [log.replace(b"make step-", f"make s{i}-".encode()) for i in range(BATCH)]

    region = extract_region(log)
    regions = [extract_region(b) for b in batch]
    text = feature_text(region)
    texts = [feature_text(r) for r in regions]
    normalized = normalizer.transform([text])
    normalized_batch = normalizer.transform(texts)
    rows = [
        _row("extract_region 20 KB", _median_ms(partial(extract_region, log))),
        _row("feature_text", _median_ms(partial(feature_text, region))),
        _row("TextNormalizer (1 row)", _median_ms(partial(normalizer.transform, [text]))),
        _row(
            f"TextNormalizer (batch {BATCH}, per row)",
            _median_ms(partial(normalizer.transform, texts), per=BATCH),
        ),
    ]
    # scikit-learn's own transforms, its input checks off, for reference.
    with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
        for name, transformer in features.transformer_list:
            rows.append(
                _row(
                    f"sklearn {name} vectoriser (1 row)",
                    _median_ms(partial(transformer.transform, normalized)),
                )
            )
            rows.append(
                _row(
                    f"sklearn {name} vectoriser (batch {BATCH}, per row)",
                    _median_ms(partial(transformer.transform, normalized_batch), per=BATCH),
                )
            )
        rows.append(
            _row(
                "sklearn features + LR + calibration (1 row)",
                _median_ms(partial(calibrated.predict_proba, normalized)),
            )
        )
        rows.append(
            _row(
                f"sklearn features + LR + calibration (batch {BATCH}, per row)",
                _median_ms(partial(calibrated.predict_proba, normalized_batch), per=BATCH),
            )
        )
    rows.extend(_fast_rows(features, calibrated, normalized, normalized_batch))
    rows.append(
        _row(
            "Classifier.probabilities (1 row)",
            _median_ms(partial(classifier.probabilities, [region])),
        )
    )
    rows.append(
        _row(
            f"Classifier.probabilities (batch {BATCH}, per row)",
            _median_ms(partial(classifier.probabilities, regions), per=BATCH),
        )
    )
    prediction = classifier.classify(log)
    rows.append(
        _row(
            "classify 20 KB end to end",
            _median_ms(partial(classifier.classify, log)),
            category=prediction.category,
        )
    )

    def extract_and_predict_batch() -> object:
        return classifier.predict_regions([extract_region(b) for b in batch])

    rows.append(
        _row(
            f"extract + predict_regions 20 KB (batch {BATCH}, per log)",
            _median_ms(extract_and_predict_batch, per=BATCH),
        )
    )
    rows.extend(_native_rows(classifier))
    big_ms = _median_ms(partial(classifier.classify, big), repeat=11)
    rows.append(_row("classify 1 MB end to end", big_ms, ok=big_ms <= _GOAL_1MB_MS))
    rows.append(_slowest_shaped_log_row(classifier))
    rows.extend(_hundred_mb_rows())
    return rows


# Pieces that long lines are built of to make a regular expression work hard: dotted and dashed
# names, quotes, separators, hex and Unicode digits, URLs, secret words, error markers.
_SHAPES = (
    "a.", "a-", "1.", "a/", "'a", '"a', "`a", "x://", "0x", "1:", "token", "ERROR ", "\x1b[31m",
    "##[error]", "a", "1", "ab1", "a1.", "\\", "E   ", "password=", "::", "[", "(", "<", "---",
    "=", "\u00e9", "\u0664", "\t", "Error: ", "a_b", "@", "https://u:p@h/", "v1.2.3", "12:34:56",
    "deadbeef", "5ms ", "10MB ", "com.example.", "client-secret",
)  # fmt: skip
_SHAPED_PREFIXES = ("error: ", "2026-01-01T00:00:00.0000000Z ##[error]", "FAILED ")
_GOAL_SHAPED_MS = 50.0


def _slowest_shaped_log_row(classifier: Any) -> dict[str, object]:
    """The slowest of 64 KB logs of 16 lines, each one piece repeated to 4,000 characters."""
    slowest, which = 0.0, ""
    for shape in _SHAPES:
        for prefix in _SHAPED_PREFIXES:
            line = prefix + shape * (4000 // len(shape)) + " /x token=abcd\n"
            log = (line * 16).encode()
            ms = _median_ms(partial(classifier.classify, log), repeat=3)
            if ms > slowest:
                slowest, which = ms, f"{shape!r} after {prefix.split()[-1]!r}"
    return _row(
        f"classify 64 KB built to be slow (worst of {len(_SHAPES) * len(_SHAPED_PREFIXES)})",
        round(slowest, 2),
        shape=which,
        goal=f"<= {_GOAL_SHAPED_MS:g}",
        ok=slowest <= _GOAL_SHAPED_MS,
    )


# A fresh process loads the model and classifies a 100 MB log by path (streamed). Peak RSS is
# VmHWM, which starts afresh at exec (ru_maxrss would include this process's own size).
_CHILD = """
import json, sys, time
from pathlib import Path
from model.classifier import Classifier
def hwm_mb():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) / 1024
classifier = Classifier.load(sys.argv[2])
loaded = hwm_mb()
start = time.perf_counter()
prediction = classifier.classify(Path(sys.argv[1]))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "loaded_mb": loaded, "peak_mb": hwm_mb()}))
"""


def _hundred_mb_rows() -> list[dict[str, object]]:
    import subprocess
    import sys

    from bench.bench_extract import _grep_seconds

    path = build_log(BENCH_DIR / "gha-100mb.log", 100_000_000)
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(MODEL_PATH)],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    grep = _grep_seconds(path)
    rows: list[dict[str, object]] = [
        {
            "name": "classify 100 MB (fresh process)",
            "figure": round(result["seconds"], 3),
            "unit": "s",
            "ok": result["seconds"] <= 1.5,
        },
        {
            "name": "classify 100 MB peak RSS",
            "figure": round(result["peak_mb"], 1),
            "unit": "MB",
            "after_model_load_mb": round(result["loaded_mb"], 1),
            "ok": result["peak_mb"] <= 300,
        },
    ]
    if grep is not None:
        ratio = result["seconds"] / grep[0]
        rows.append(
            {
                "name": "classify 100 MB / grep -c -i error",
                "figure": round(ratio, 2),
                "unit": "x",
                "grep_s": round(grep[0], 3),
                "ok": ratio <= 5,
            }
        )
    return rows


def main() -> None:
    for row in run():
        print(json.dumps(row))


if __name__ == "__main__":
    main()
