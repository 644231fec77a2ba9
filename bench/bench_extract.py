"""Speed and memory of error-region extraction on realistic GitHub Actions logs.

Builds (once, under var/bench/) a 1 MB and a 100 MB job log: a setup phase, several steps of
noisy but successful output (installs with a retried download, compiler warnings, passing tests
whose names contain "error", file listings with error.js in paths, deprecation notices,
progress bars), then a docker build whose pip install fails, echoed by docker and the runner.

Rows: median extraction time for 1 MB; time and peak RSS for 100 MB (in a fresh process, so the
RSS is the extractor's own); the ratio of that time to `grep -c -i error` on the same file; the
time per log of the 256 pool logs (`bench._log_pool`) with the scanner compiled and from source.
Run alone with `python -m bench.bench_extract`.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
ROOT_CAUSE = "ERROR: No matching distribution found for numpy==9.9.9"
# pip states the root cause twice, "Could not find a version ..." then "No matching ..."; either
# is right, the docker and runner echoes that follow are not.
_ROOT_CAUSE_MARK = "numpy==9.9.9"
_ECHO_MARK = "did not complete successfully"

_NOISE = (
    "Collecting requests>=2.31 (from -r requirements.txt (line 4))",
    "  Downloading requests-2.32.3-py3-none-any.whl (64 kB)",
    "     \u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501 64.9/64.9 kB 3.1 MB/s eta 0:00:00",
    "Requirement already satisfied: idna<4,>=2.5 in /opt/hostedtoolcache/Python/3.11.9/x64/lib",
    "npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory.",
    "added 1423 packages, and audited 1424 packages in 38s",
    "src/components/ErrorBoundary.tsx",
    "dist/api/error.js.map",
    "  adding 'autoheal_demo/errors.py'",
    "tests/test_api.py::test_error_handling PASSED                                 [ 41%]",
    "tests/test_api.py::test_retry_on_error PASSED                                 [ 42%]",
    "tests/test_parser.py::test_parse_empty SKIPPED (needs network)                [ 43%]",
    "warning: unused variable `handle` --> src/worker.rs:88:9",
    "[WARNING] The POM for com.example:widget:jar:1.4 is missing, no dependency information",
    "DeprecationWarning: datetime.datetime.utcnow() is deprecated and scheduled for removal",
    "   Compiling serde_json v1.0.117",
    "[ 42%] Building CXX object src/CMakeFiles/core.dir/parser.cpp.o",
    "Found 0 errors. Watching for file changes.",
    "  \u2713 renders the error page (12 ms)",
    "info: checking for updates, 0 errors reported",
    "WARNING: Retrying (Retry(total=4)) after connection broken by 'ReadTimeoutError': /simple/x/",
    "Successfully installed requests-2.32.3 urllib3-2.2.1",
    "#12 [builder 4/9] RUN apt-get update && apt-get install -y --no-install-recommends gcc",
    "Get:7 http://archive.ubuntu.com/ubuntu jammy-updates/main amd64 Packages [1,791 kB]",
)
_FAILURE = (
    "#14 [builder 6/9] RUN pip install -r requirements.txt",
    "#14 1.204 Collecting numpy==9.9.9 (from -r requirements.txt (line 2))",
    "#14 2.311 ERROR: Could not find a version that satisfies the requirement numpy==9.9.9 "
    "(from versions: 1.26.4, 2.0.0, 2.1.3)",
    f"#14 2.312 {ROOT_CAUSE}",
    '#14 ERROR: process "/bin/sh -c pip install -r requirements.txt" did not complete '
    "successfully: exit code: 1",
    "------",
    " > [builder 6/9] RUN pip install -r requirements.txt:",
    f"2.312 {ROOT_CAUSE}",
    "------",
    'ERROR: failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not '
    "complete successfully: exit code: 1",
    "##[error]Process completed with exit code 1.",
)


def _lines(size: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    clock = datetime(2026, 1, 1, 12, 0, 0)
    written = 0
    step = 0

    def stamp(text: str) -> str:
        nonlocal clock
        clock += timedelta(microseconds=rng.randint(50, 90_000))
        return clock.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z " + text + "\n"

    head = ["\ufeff" + "Current runner version: '2.333.1'", "##[group]Runner Image", "##[endgroup]"]
    for text in head:
        line = stamp(text)
        written += len(line)
        yield line
    tail = [stamp(t) for t in ("##[group]Run docker build -t app .", "##[endgroup]", *_FAILURE)]
    tail += [stamp("Post job cleanup."), stamp("[command]/usr/bin/git version")]
    budget = size - sum(len(t.encode()) for t in tail)
    while written < budget:
        if rng.random() < 0.0005:
            step += 1
            for text in (
                f"##[group]Run make step-{step}",
                f"\x1b[36;1mmake step-{step}\x1b[0m",
                "shell: /usr/bin/bash -e {0}",
                "##[endgroup]",
            ):
                line = stamp(text)
                written += len(line)
                yield line
        text = rng.choice(_NOISE)
        if rng.random() < 0.1:
            text = f"\x1b[32m{text}\x1b[0m"
        line = stamp(text)
        written += len(line.encode())
        yield line
    yield from tail


def build_log(path: Path, size: int, seed: int = 7) -> Path:
    """Write a synthetic job log of about `size` bytes unless it already exists."""
    if path.exists() and abs(path.stat().st_size - size) < size // 50:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as out:
        for line in _lines(size, seed):
            out.write(line)
    tmp.replace(path)
    return path


# Peak RSS is read from /proc/self/status (VmHWM), which starts afresh at exec: getrusage's
# ru_maxrss carries over the parent's resident size from before the exec, so a child of a
# large benchmark process would report the parent's footprint.
_HWM = (
    "def hwm_mb():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            return int(line.split()[1]) / 1024\n"
    "    import resource\n"
    "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
)

_CHILD = (
    _HWM
    + """
import json, sys, time
from model import extract_region
start, cpu = time.perf_counter(), time.process_time()
region = extract_region(__import__("pathlib").Path(sys.argv[1]))
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
rss_mb = hwm_mb()
print(json.dumps({"seconds": elapsed, "cpu": cpu, "rss_mb": rss_mb, "decisive": region.decisive}))
"""
)


def _measure_in_child(path: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _baseline_rss_mb() -> float:
    code = _HWM + "import model\nprint(hwm_mb())"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return float(out.stdout.strip())


def _grep_seconds(path: Path, repeat: int = 3) -> tuple[float, float] | None:
    """Best wall-clock and CPU seconds of `grep -c -i error` over `repeat` runs."""
    grep = shutil.which("grep")
    if grep is None:
        return None
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([grep, "-c", "-i", "error", str(path)], check=False, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return min(walls), min(cpus)


def _is_root_cause(decisive: str) -> bool:
    return _ROOT_CAUSE_MARK in decisive and _ECHO_MARK not in decisive


def run() -> list[dict[str, object]]:
    from model import extract_region

    small = build_log(BENCH_DIR / "gha-1mb.log", 1_000_000)
    large = build_log(BENCH_DIR / "gha-100mb.log", 100_000_000)
    rows: list[dict[str, object]] = []

    data = small.read_bytes()
    extract_region(data)
    times = []
    for _ in range(21):
        start = time.perf_counter()
        region = extract_region(data)
        times.append(time.perf_counter() - start)
    ok_small = _is_root_cause(region.decisive)
    rows.append(
        {
            "name": "extract 1 MB (median)",
            "figure": round(statistics.median(times) * 1e3, 2),
            "unit": "ms",
            "ok": ok_small,
        }
    )

    child = _measure_in_child(large)
    seconds = float(str(child["seconds"]))
    cpu = float(str(child["cpu"]))
    ok_large = _is_root_cause(str(child["decisive"]))
    rows.append(
        {"name": "extract 100 MB", "figure": round(seconds, 3), "unit": "s", "ok": ok_large}
    )
    rows.append({"name": "extract 100 MB (CPU)", "figure": round(cpu, 3), "unit": "s"})
    rss = round(float(str(child["rss_mb"])), 1)
    rows.append(
        {
            "name": "extract 100 MB peak RSS",
            "figure": rss,
            "unit": "MB",
            "import_only_mb": round(_baseline_rss_mb(), 1),
        }
    )
    grep = _grep_seconds(large)
    if grep is not None:
        wall, grep_cpu = grep
        rows.append({"name": "grep -c -i error 100 MB", "figure": round(wall, 3), "unit": "s"})
        rows.append(
            {
                "name": "extract / grep (wall)",
                "figure": round(seconds / wall, 2),
                "unit": "x",
                "ratio": round(seconds / wall, 2),
            }
        )
        if grep_cpu > 0:
            rows.append(
                {
                    "name": "extract / grep (CPU)",
                    "figure": round(cpu / grep_cpu, 2),
                    "unit": "x",
                    "ratio": round(cpu / grep_cpu, 2),
                }
            )
    rows.extend(_compiled_and_source_rows())
    return rows


# Extraction of the pool's logs, timed in a child process: the log scanner runs compiled or from
# its source (`model._compiled`) for the life of a process.
_POOL_TIMING = """
import json, statistics, sys, time
import model
from bench._log_pool import build_pool
from model import extract_region
logs = [p.read_bytes() for p in build_pool()]
for log in logs:
    extract_region(log)
rounds = []
for _ in range(5):
    start = time.perf_counter()
    for log in logs:
        extract_region(log)
    rounds.append((time.perf_counter() - start) / len(logs))
print(json.dumps([model.COMPILED_SCANNER, statistics.median(rounds)]))
"""


def _pool_extract_ms(pure: bool) -> tuple[str, float]:
    env = {**os.environ, "AUTOHEAL_PURE_PYTHON": "1" if pure else "0"}
    out = subprocess.run(
        [sys.executable, "-c", _POOL_TIMING], cwd=ROOT, env=env, capture_output=True, check=True
    )
    state, seconds = json.loads(out.stdout)
    return str(state), float(seconds) * 1e3


def _compiled_and_source_rows() -> list[dict[str, object]]:
    """The scanner compiled by mypyc against its Python source: three alternating rounds."""
    compiled: list[float] = []
    source: list[float] = []
    state = ""
    for _ in range(3):
        state, ms = _pool_extract_ms(pure=False)
        compiled.append(ms)
        source.append(_pool_extract_ms(pure=True)[1])
    rows: list[dict[str, object]] = [
        {
            "name": "extract a 20 KB pool log, source (per log, median)",
            "figure": round(statistics.median(source), 3),
            "unit": "ms",
        }
    ]
    if state == "compiled":
        rows.append(
            {
                "name": "extract a 20 KB pool log, compiled (per log, median)",
                "figure": round(statistics.median(compiled), 3),
                "unit": "ms",
                "ratio_to_source": round(
                    statistics.median(compiled) / statistics.median(source), 2
                ),
            }
        )
    else:
        rows.append({"name": "extract, compiled scanner", "skipped": state})
    return rows


def main() -> None:
    for row in run():
        print(json.dumps(row))


if __name__ == "__main__":
    main()
