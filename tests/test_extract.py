"""Error-region extraction: formats, containers, bad input, noise, bounds, fingerprints."""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from model import Evidence, LogReadError, Region, extract_region

STAMP = "2026-01-01T00:00:{:02d}.{:07d}Z "


def gha(lines: list[str], *, bom: bool = True, seed: int = 0) -> str:
    """A GitHub Actions job log: timestamped lines, BOM on line 1."""
    out = []
    for i, line in enumerate(lines):
        out.append(STAMP.format((i + seed) % 60, (i * 7919 + seed) % 10_000_000) + line)
    text = "\n".join(out) + "\n"
    return ("\ufeff" + text) if bom else text


def setup_lines() -> list[str]:
    return [
        "Current runner version: '2.333.1'",
        "##[group]Runner Image",
        "Image: ubuntu-24.04",
        "##[endgroup]",
        "##[group]Run actions/checkout@v4",
        "with:",
        "  repository: acme/widget",
        "##[endgroup]",
        "Syncing repository: acme/widget",
    ]


def post_lines() -> list[str]:
    return [
        "Post job cleanup.",
        "[command]/usr/bin/git version",
        "git version 2.53.0",
        "Cleaning up orphan processes",
    ]


def line_of(lines: list[str], needle: str) -> int:
    """1-based number of the first line containing `needle`."""
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def evidence_lines(region: Region) -> set[int]:
    return {e.line for e in region.evidence}


# ---------------------------------------------------------------------------- GitHub Actions


def python_failure_log() -> list[str]:
    return [
        *setup_lines(),
        "##[group]Run pip install -r requirements.txt",
        "\x1b[36;1mpip install -r requirements.txt\x1b[0m",
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        "Collecting requests",
        "Successfully installed requests-2.32.3",
        "##[group]Run pytest -q",
        "\x1b[36;1mpytest -q || echo 'error: tests failed'\x1b[0m",
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        "tests/test_api.py::test_error_handling PASSED",
        "tests/test_api.py::test_errors_are_logged PASSED",
        "src/errors.ts compiled",
        "tests/test_cache.py::test_hit PASSED",
        "tests/test_cache.py::test_miss PASSED",
        "tests/test_db.py::test_connect ",
        "Traceback (most recent call last):",
        '  File "/home/runner/work/widget/widget/app/db.py", line 12, in connect',
        "    raise ConnectionError(url)",
        "ConnectionError: postgres://db:5432 refused the connection",
        "tests/test_db.py::test_connect FAILED",
        "=========================== short test summary info ============================",
        "FAILED tests/test_db.py::test_connect - ConnectionError: postgres://db:5432 refused",
        "========================= 1 failed, 41 passed in 3.21s =========================",
        "##[error]Process completed with exit code 1.",
        *post_lines(),
    ]


def test_github_pytest_failure_root_cause_and_line_numbers() -> None:
    lines = python_failure_log()
    region = extract_region(gha(lines))
    assert region.log_format == "github_actions"
    assert region.step == "Run pytest -q"
    assert region.exit_code == 1
    assert "ConnectionError: postgres://db:5432 refused the connection" in region.decisive
    got = evidence_lines(region)
    for needle in (
        "Traceback (most recent",
        "ConnectionError: postgres://db:5432 refused the connection",
        "FAILED tests/test_db.py::test_connect - ",
        "1 failed, 41 passed",
        "Process completed with exit code 1",
    ):
        assert line_of(lines, needle) in got, needle
    by_line = {e.line: e.text for e in region.evidence}
    exit_no = line_of(lines, "Process completed")
    assert by_line[exit_no] == "##[error]Process completed with exit code 1."
    # Noise never becomes evidence: passing tests with "error" in their names, the step's
    # echoed script, the post-job cleanup.
    for needle in ("test_error_handling", "src/errors.ts", "echo 'error", "git version 2.53"):
        assert line_of(lines, needle) not in got, needle
    assert region.total_lines == len(lines)
    assert region.text.startswith("step: Run pytest -q")
    assert "Traceback" in region.text.split("\n")[1] or "Traceback" in region.text


def test_evidence_is_sorted_bounded_and_cleaned() -> None:
    region = extract_region(gha(python_failure_log()))
    numbers = [e.line for e in region.evidence]
    assert numbers == sorted(numbers)
    assert all(isinstance(e, Evidence) and e.file is None for e in region.evidence)
    assert all("\x1b" not in e.text and not e.text.startswith("2026-") for e in region.evidence)


def test_docker_pip_root_cause_beats_its_echoes() -> None:
    lines = [
        *setup_lines(),
        "##[group]Run docker build -t app .",
        "##[endgroup]",
        "#12 [builder 4/9] RUN apt-get update",
        "#14 [builder 6/9] RUN pip install -r requirements.txt",
        "#14 1.204 Collecting numpy==9.9.9",
        "#14 2.312 ERROR: No matching distribution found for numpy==9.9.9",
        '#14 ERROR: process "/bin/sh -c pip install -r requirements.txt" did not complete '
        "successfully: exit code: 1",
        "------",
        'ERROR: failed to solve: process "/bin/sh -c pip install" did not complete successfully: '
        "exit code: 1",
        "##[error]Process completed with exit code 1.",
        *post_lines(),
    ]
    region = extract_region(gha(lines))
    assert "No matching distribution found for numpy==9.9.9" in region.decisive
    assert "did not complete" not in region.decisive
    assert line_of(lines, "No matching distribution") in evidence_lines(region)


def test_compiler_error_beats_make_echo() -> None:
    lines = [
        *setup_lines(),
        "##[group]Run make",
        "##[endgroup]",
        "cc -O2 -c src/main.c -o build/main.o",
        "src/util.c:10:5: warning: unused variable 'tmp' [-Wunused-variable]",
        "src/main.c:42:13: error: 'count' undeclared (first use in this function)",
        "   42 |     return count + 1;",
        "make: *** [Makefile:12: build/main.o] Error 1",
        "make: *** [all] Error 2",
        "##[error]Process completed with exit code 2.",
        *post_lines(),
    ]
    region = extract_region(gha(lines))
    assert "'count' undeclared" in region.decisive
    assert region.exit_code == 2
    assert line_of(lines, "warning: unused variable") not in evidence_lines(region)


def test_retried_download_that_succeeded_is_not_the_cause() -> None:
    lines = [
        *setup_lines(),
        "##[group]Run npm ci",
        "##[endgroup]",
        "npm ERR! network request to https://registry.npmjs.org/left-pad failed, reason: "
        "ECONNRESET, retrying",
        "npm WARN retry will retry, error on last attempt: Error: ECONNRESET",
        "added 1423 packages in 38s",
        "Successfully installed dependencies",
        "##[group]Run npm test",
        "##[endgroup]",
        "FAIL src/sum.test.js",
        "  ● sum › adds numbers",
        "    expect(received).toBe(expected) // Object.is equality",
        "Tests:       1 failed, 12 passed, 13 total",
        "##[error]Process completed with exit code 1.",
        *post_lines(),
    ]
    region = extract_region(gha(lines))
    assert region.step == "Run npm test"
    assert "FAIL src/sum.test.js" in region.decisive
    assert line_of(lines, "ECONNRESET, retrying") not in evidence_lines(region)
    assert line_of(lines, "Tests:       1 failed") in evidence_lines(region)


def test_passing_test_printing_a_traceback_is_not_the_cause() -> None:
    lines = [
        *setup_lines(),
        "##[group]Run pytest -v -s",
        "##[endgroup]",
        "tests/test_log.py::test_logs_exceptions Traceback (most recent call last):",
        '  File "app/log.py", line 3, in emit',
        "ValueError: expected in this test",
        "PASSED",
        "tests/test_log.py::test_more PASSED",
        "tests/test_io.py::test_read FAILED",
        "E   FileNotFoundError: [Errno 2] No such file or directory: 'data.csv'",
        "==================== 1 failed, 2 passed in 0.12s ====================",
        "##[error]Process completed with exit code 1.",
    ]
    region = extract_region(gha(lines))
    assert "expected in this test" not in region.decisive
    assert "test_read FAILED" in region.decisive or "FileNotFoundError" in region.decisive


def test_warnings_and_zero_error_summaries_are_noise() -> None:
    lines = [
        *setup_lines(),
        "##[group]Run npm run lint",
        "##[endgroup]",
        "##[warning]Node.js 16 actions are deprecated.",
        "DeprecationWarning: the 'error' option is deprecated",
        "Found 0 errors. Watching for file changes.",
        "src/api.ts",
        "  12:5  error  'x' is assigned a value but never used  no-unused-vars",
        "✖ 1 problem (1 error, 0 warnings)",
        "##[error]Process completed with exit code 1.",
    ]
    region = extract_region(gha(lines))
    assert "no-unused-vars" in region.decisive
    got = evidence_lines(region)
    assert line_of(lines, "Found 0 errors") not in got
    assert line_of(lines, "DeprecationWarning") not in got
    assert line_of(lines, "1 problem") in got


def test_weak_failure_keeps_the_output_before_the_exit() -> None:
    lines = [
        *setup_lines(),
        "##[group]Run ./scripts/check-format.sh",
        "##[endgroup]",
        "Checking 412 files",
        "These files are not formatted according to the style guide:",
        "src/core/engine.py",
        "Run ./scripts/format.sh and commit the result.",
        "##[error]Process completed with exit code 1.",
        *post_lines(),
    ]
    region = extract_region(gha(lines))
    got = evidence_lines(region)
    assert line_of(lines, "src/core/engine.py") in got
    assert line_of(lines, "Process completed") in got


def test_failing_step_is_preferred_over_earlier_noise() -> None:
    lines = [
        *setup_lines(),
        "##[group]Run make lint",
        "##[endgroup]",
        "error: this is a test fixture name, not a failure? no: a real-looking one",
        "##[group]Run cargo test",
        "##[endgroup]",
        "error[E0308]: mismatched types",
        " --> src/lib.rs:5:5",
        "error: could not compile `widget` due to 1 previous error",
        "##[error]Process completed with exit code 101.",
    ]
    region = extract_region(gha(lines))
    assert region.step == "Run cargo test"
    assert region.decisive == "error[E0308]: mismatched types"
    assert line_of(lines, " --> src/lib.rs") in evidence_lines(region)
    assert region.exit_code == 101


# ---------------------------------------------------------------------------- other formats


def test_gitlab_log() -> None:
    lines = [
        "Running with gitlab-runner 16.5.0 (853330f9)",
        "section_start:1700000000:prepare_executor\r\x1b[0K\x1b[0K\x1b[36;1mPreparing\x1b[0;m",
        "Using docker image python:3.12",
        "section_end:1700000001:prepare_executor\r\x1b[0K",
        "section_start:1700000002:step_script\r\x1b[0K\x1b[0K\x1b[36;1mExecuting step_script\x1b[0;m",
        "$ pip install -e .",
        "$ python -m mypy src",
        'src/app.py:3: error: Incompatible return value type (got "int", expected "str")',
        "Found 1 error in 1 file (checked 12 source files)",
        "section_end:1700000100:step_script\r\x1b[0K",
        "section_start:1700000101:cleanup_file_variables\r\x1b[0K\x1b[0KCleaning up",
        "section_end:1700000102:cleanup_file_variables\r\x1b[0K",
        "\x1b[31;1mERROR: Job failed: exit code 1\x1b[0;m",
    ]
    region = extract_region("\n".join(lines) + "\n")
    assert region.log_format == "gitlab"
    assert region.step == "step_script"
    assert region.exit_code == 1
    assert "Incompatible return value type" in region.decisive
    assert line_of(lines, "Found 1 error") in evidence_lines(region)


def test_jenkins_log() -> None:
    lines = [
        "Started by user admin",
        "[Pipeline] Start of Pipeline",
        "[Pipeline] stage",
        "[Pipeline] { (Build)",
        "[Pipeline] sh",
        "[2024-03-01T10:00:00.000Z] + mvn -B package",
        "[2024-03-01T10:00:05.000Z] [ERROR] /src/main/java/App.java:[12,8] cannot find symbol",
        "[2024-03-01T10:00:05.000Z] [INFO] BUILD FAILURE",
        "[Pipeline] }",
        "ERROR: script returned exit code 1",
        "Finished: FAILURE",
    ]
    region = extract_region("\n".join(lines))
    assert region.log_format == "jenkins"
    assert region.step == "Build"
    assert "cannot find symbol" in region.decisive
    assert line_of(lines, "cannot find symbol") in evidence_lines(region)


def test_azure_log() -> None:
    lines = [
        "##[section]Starting: Initialize job",
        "Agent name: 'Hosted Agent'",
        "##[section]Finishing: Initialize job",
        "##[section]Starting: dotnet build",
        "Program.cs(10,5): error CS0103: The name 'foo' does not exist in the current context",
        "Build FAILED.",
        "##[error]Bash exited with code '1'.",
        "##[section]Finishing: dotnet build",
    ]
    region = extract_region(gha(lines, bom=False))
    assert region.log_format == "azure"
    assert region.step == "dotnet build"
    assert "error CS0103" in region.decisive
    assert region.exit_code == 1


def test_circleci_log() -> None:
    lines = [
        "#!/bin/bash -eo pipefail",
        "go test ./...",
        "--- FAIL: TestParse (0.00s)",
        "    parse_test.go:14: got 3, want 4",
        "FAIL\tgithub.com/acme/widget/parse\t0.012s",
        "Exited with code exit status 1",
    ]
    region = extract_region("\n".join(lines))
    assert region.log_format == "circleci"
    assert region.step == "go test ./..."
    assert "--- FAIL: TestParse" in region.decisive
    assert region.exit_code == 1


def test_plain_terminal_output() -> None:
    lines = [
        "$ cargo build",
        "   Compiling widget v0.1.0",
        "error[E0425]: cannot find value `x` in this scope",
        " --> src/main.rs:2:13",
        'error: could not compile `widget` (bin "widget") due to 1 previous error',
    ]
    region = extract_region("\r\n".join(lines) + "\r\n")
    assert region.log_format == "plain"
    assert region.decisive == "error[E0425]: cannot find value `x` in this scope"
    assert {3, 4} <= evidence_lines(region)


# ---------------------------------------------------------------------------- bad input


def test_empty_log() -> None:
    for source in ("", b"", io.BytesIO(b"")):
        region = extract_region(source)
        assert region.evidence == () and region.total_lines == 0 and region.total_bytes == 0
        assert len(region.fingerprint) == 16


def test_broken_utf8_and_nul_bytes() -> None:
    data = gha(python_failure_log()).encode()
    data = data.replace(b"Collecting requests", b"Collecting \xff\xfe\x00requests")
    data = data.replace(b"refused the connection", b"refused the \xc3(connection\x00")
    region = extract_region(data)
    assert "ConnectionError: postgres://db:5432 refused the \ufffd(connection" in region.decisive


def test_binary_file_gives_a_result(tmp_path: Path) -> None:
    blob = bytes((i * 131 + 7) % 256 for i in range(300_000))
    path = tmp_path / "core.bin"
    path.write_bytes(blob)
    region = extract_region(path)
    assert region.total_bytes == len(blob)
    assert len(region.evidence) <= 24


def test_huge_single_line_is_bounded() -> None:
    data = b"x" * (10 * 1024 * 1024) + b" error: late\n" + b"ValueError: boom\n"
    region = extract_region(data)
    assert region.total_lines == 2
    assert region.decisive == "ValueError: boom"
    assert 2 in evidence_lines(region)
    assert all(len(e.text) <= 1002 for e in region.evidence)


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope.log"
    with pytest.raises(LogReadError, match=r"nope\.log"):
        extract_region(missing)
    with pytest.raises(LogReadError, match="directory"):
        extract_region(tmp_path)


def test_corrupt_gzip_raises_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "job.log.gz"
    payload = "".join(f"line {i} error: {i * 7919 % 10007}\n" for i in range(20_000)).encode()
    compressed = gzip.compress(payload)
    path.write_bytes(compressed[: len(compressed) // 2])
    with pytest.raises(LogReadError, match="corrupt"):
        extract_region(path)


# ---------------------------------------------------------------------------- containers


def test_gzip_file(tmp_path: Path) -> None:
    lines = python_failure_log()
    path = tmp_path / "job.log.gz"
    path.write_bytes(gzip.compress(gha(lines).encode()))
    region = extract_region(path)
    assert "ConnectionError" in region.decisive
    assert line_of(lines, "Process completed") in evidence_lines(region)


def run_zip(passing: str, failing: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("0_lint.txt", passing)
        archive.writestr("1_test (ubuntu-latest).txt", failing)
        archive.writestr("test (ubuntu-latest)/1_Set up job.txt", "error: duplicate of job log\n")
        archive.writestr("docs/1_Build.txt", gha(["##[group]Run mkdocs build", "INFO done"]))
    return buffer.getvalue()


def test_run_logs_zip_picks_the_failed_job(tmp_path: Path) -> None:
    passing = gha([*setup_lines(), "##[group]Run ruff check .", "All checks passed!"])
    lines = python_failure_log()
    data = run_zip(passing, gha(lines))
    path = tmp_path / "logs_123.zip"
    path.write_bytes(data)
    for source in (path, data, io.BytesIO(data)):
        region = extract_region(source)
        assert "ConnectionError" in region.decisive
        files = {e.file for e in region.evidence}
        assert files == {"1_test (ubuntu-latest).txt"}
        assert line_of(lines, "Process completed") in evidence_lines(region)


class _OneWayStream(io.RawIOBase):
    """A non-seekable stream producing `total` bytes of generated log, chunk by chunk."""

    def __init__(self, parts: Iterator[bytes]) -> None:
        self._parts = parts
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        while not self._pending:
            try:
                self._pending = next(self._parts)
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def test_non_seekable_zip_stream() -> None:
    data = run_zip(gha(["All checks passed!"]), gha(python_failure_log()))
    stream = io.BufferedReader(_OneWayStream(iter([data[:1000], data[1000:]])))
    region = extract_region(stream)
    assert "ConnectionError" in region.decisive


def test_streaming_50_mb_stays_correct() -> None:
    noise = gha(
        [
            "Requirement already satisfied: idna in /opt/hostedtoolcache/Python/3.11/lib",
            "tests/test_api.py::test_error_handling PASSED",
            "dist/api/error.js.map",
            "WARNING: Retrying (Retry(total=4)) after connection broken by 'ReadTimeoutError'",
            "  \u2713 renders the error page (12 ms)",
        ]
        * 200,
        bom=False,
    ).encode()
    head = gha([*setup_lines(), "##[group]Run make test", "##[endgroup]"]).encode()
    tail = gha(
        [
            "src/main.c:42:13: error: 'count' undeclared (first use in this function)",
            "make: *** [all] Error 2",
            "##[error]Process completed with exit code 2.",
        ],
        bom=False,
    ).encode()
    repeats = 50_000_000 // len(noise)

    def parts() -> Iterator[bytes]:
        yield head
        for _ in range(repeats):
            yield noise
        yield tail

    region = extract_region(io.BufferedReader(_OneWayStream(parts()), buffer_size=1 << 20))
    noise_lines = noise.count(b"\n")
    error_line = head.count(b"\n") + repeats * noise_lines + 1
    assert "'count' undeclared" in region.decisive
    assert error_line in evidence_lines(region)
    assert region.total_lines == error_line + 2
    assert region.total_bytes == len(head) + repeats * len(noise) + len(tail)


# ---------------------------------------------------------------------------- fingerprints


def test_fingerprint_is_stable_across_runs() -> None:
    def run(seed: int, tmp: str, run_id: str, extra: int) -> Region:
        lines = [
            *setup_lines(),
            *[f"Downloading artifact {run_id} part {i}" for i in range(extra)],
            "##[group]Run pytest -q",
            "##[endgroup]",
            f"collected 42 items in {seed}.31s",
            f"E   FileNotFoundError: [Errno 2] No such file: '/tmp/{tmp}/fixtures/data.csv'",
            f"FAILED tests/test_io.py::test_read - FileNotFoundError ({seed}.02s)",
            "##[error]Process completed with exit code 1.",
        ]
        return extract_region(gha(lines, seed=seed))

    first = run(1, "pytest-of-runner/pytest-3", "8812345", 3)
    second = run(29, "pytest-of-runner/pytest-118", "9900001", 17)
    assert first.fingerprint == second.fingerprint
    assert len(first.fingerprint) == 16 and int(first.fingerprint, 16) >= 0


def test_fingerprint_differs_for_a_different_error() -> None:
    base = [*setup_lines(), "##[group]Run pytest -q", "##[endgroup]"]
    one = extract_region(
        gha([*base, "E   KeyError: 'user_id'", "##[error]Process completed with exit code 1."])
    )
    two = extract_region(
        gha(
            [
                *base,
                "E   TypeError: 'NoneType' object is not callable",
                "##[error]Process completed with exit code 1.",
            ]
        )
    )
    assert one.fingerprint != two.fingerprint


# ---------------------------------------------------------------------------- bounds


def test_error_flood_is_bounded() -> None:
    lines = [*setup_lines(), "##[group]Run mypy src", "##[endgroup]"]
    lines += [
        f"src/mod{i}.py:{i}: error: Name 'x{i}' is not defined  [name-defined]"
        for i in range(20_000)
    ]
    lines += ["Found 20000 errors in 20000 files (checked 20000 source files)"]
    lines += ["##[error]Process completed with exit code 1."]
    region = extract_region(gha(lines), max_evidence=10, max_chars=1000)
    assert len(region.evidence) <= 10
    assert len(region.text) <= 1000
    got = evidence_lines(region)
    assert line_of(lines, "src/mod0.py:0: error") in got
    assert line_of(lines, "Found 20000 errors") in got
    assert line_of(lines, "Process completed") in got
