"""A GitHub Actions log is read from its failing step: the answer is the one a full read gives.

`extract_region` starts a one-chunk GitHub Actions log at the step holding the first
`##[error]` and reads the whole log again when no step turns out to have failed. The tests
compare with a full read (the shortcut switched off) and check whether the shortcut was taken,
so one that stopped being taken, or skipped what it must read, fails here.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import model._extract as extract_module
from model import extract_region
from model._extract import Region
from model._lines import failing_step_start

STAMP = "2026-11-02T10:00:00.0000000Z "


def _log(*lines: str) -> bytes:
    return "".join(f"{STAMP}{line}\n" for line in lines).encode()


_SCAN_CHUNKS = extract_module._scan_chunks


@pytest.fixture
def skips() -> Iterator[list[bool]]:
    """Per scan of a log, whether it skipped the steps above the failing one.

    (`model._extract` runs as Python, so its calls can be watched; the scanner may be
    compiled, see `model._compiled`.)"""
    seen: list[bool] = []
    real = _SCAN_CHUNKS

    def spy(name: str | None, chunks: Iterator[bytes], *, skip: bool) -> Any:
        scan = real(name, chunks, skip=skip)
        seen.append(scan.skipped)
        return scan

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(extract_module, "_scan_chunks", spy)
        yield seen


def full_read(log: bytes | str) -> Region:
    real = _SCAN_CHUNKS  # not the spy: a full read is not counted

    def never_skip(name: str | None, chunks: Iterator[bytes], *, skip: bool) -> Any:
        return real(name, chunks, skip=False)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(extract_module, "_scan_chunks", never_skip)
        return extract_region(log)


PASSING_STEPS = (
    "##[group]Run actions/checkout@v4",
    "with:",
    "##[endgroup]",
    "Syncing repository: acme/widgets",
    "error: this line is noise of a step that passed",
    "FAILED tests/test_flaky.py::test_retry - retried and passed",
    "##[group]Run make lint",
    "##[endgroup]",
    "All checks passed",
)
FAILING_STEP = (
    "##[group]Run pytest -q",
    "\x1b[36;1mpytest -q\x1b[0m",
    "##[endgroup]",
    "E   ModuleNotFoundError: No module named 'requests'",
    "ERROR tests/test_api.py - ModuleNotFoundError: No module named 'requests'",
    "##[error]Process completed with exit code 2.",
    "Post job cleanup.",
)


def test_the_failing_step_is_read_alone_and_gives_the_full_answer(skips: list[bool]) -> None:
    log = _log(*PASSING_STEPS, *FAILING_STEP)
    region = extract_region(log)
    assert skips == [True]
    assert failing_step_start(log, 0, len(log)) == log.index(f"{STAMP}##[group]Run pytest".encode())
    assert region == full_read(log)
    assert region.step == "Run pytest -q"
    assert "No module named 'requests'" in region.decisive
    assert region.total_lines == len(PASSING_STEPS) + len(FAILING_STEP)


def test_no_failing_step_reads_the_whole_log_again(skips: list[bool]) -> None:
    # The only annotation holds a tool's error (strong enough not to be the runner's reason):
    # no step fails, and the answer is the strongest step, which is above the annotation.
    log = _log(
        "##[group]Run cargo build",
        "##[endgroup]",
        "error[E0308]: mismatched types",
        "  --> src/main.rs:4:5",
        "##[group]Run ./report.sh",
        "##[endgroup]",
        "##[error]Error: report incomplete",
        "done",
    )
    region = extract_region(log)
    assert skips == [True, False], "the first pass skipped the build step, the second did not"
    assert region == full_read(log)
    assert region.step == "Run cargo build"
    assert "mismatched types" in region.decisive


def test_a_log_without_annotations_is_read_whole(skips: list[bool]) -> None:
    log = _log(*PASSING_STEPS)
    assert extract_region(log) == full_read(log)
    assert skips == [False]


@pytest.mark.parametrize(
    "header",
    [
        "echo ##[group]Run fake-step",  # not at the start of its line
        "##[group]Run redrawn\rdone",  # a terminal shows only the last segment
    ],
)
def test_a_header_the_scanner_would_not_read_as_a_step_is_passed_over(header: str) -> None:
    log = _log("##[group]Run make build", "##[endgroup]", header, "##[error]Process completed")
    assert failing_step_start(log, 0, len(log)) == log.index(f"{STAMP}##[group]Run make".encode())
    assert extract_region(log) == full_read(log)


def test_an_annotation_before_any_step_header_skips_nothing() -> None:
    log = _log("##[error]Unable to resolve action `acme/setup@v9`", *PASSING_STEPS)
    assert failing_step_start(log, 0, len(log)) == 0
    assert extract_region(log) == full_read(log)


def test_a_header_without_timestamp_counts() -> None:
    log = b"##[group]Run make\n##[endgroup]\nboom\n##[error]Process completed with exit code 1.\n"
    assert failing_step_start(log, 0, len(log)) == 0
    log = b"noise\n" + log
    assert failing_step_start(log, 0, len(log)) == len(b"noise\n")


def test_a_log_of_several_chunks_is_read_whole(skips: list[bool]) -> None:
    log = _log(*PASSING_STEPS * 20, *FAILING_STEP)
    region = extract_region(log, chunk_size=256)
    assert skips == [False]
    assert region == full_read(log)
    assert region == extract_region(log)  # and one chunk gives the same


def test_generated_and_handwritten_logs_give_the_full_answer(skips: list[bool]) -> None:
    from datasets.generator import generate
    from datasets.handwritten import load

    logs = [r.log for r in load()] + [r.log for r in generate(1500, seed=77)]
    for log in logs:
        assert extract_region(log) == full_read(log)
    # Many generated logs fail in a later step: the shortcut was taken, and compared above.
    assert sum(skips) > len(logs) // 4


def test_real_logs_give_the_full_answer(real_logs_dir: Path, skips: list[bool]) -> None:
    logs = [p for p in sorted(real_logs_dir.rglob("*")) if p.is_file() and p.suffix != ".json"]
    assert logs
    for path in logs:
        raw = path.read_bytes()
        assert extract_region(raw) == full_read(raw), path.name
    assert any(skips)


def test_a_line_of_many_false_headers_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2,000 headers inside one echoed line: rejecting the line rejects all of them at once.
    # Each ASCII line `clean_line` reads goes through the C function once: it is counted there
    # (`model._logtext` looks `_cclean` up when called, compiled or not).
    import model._logtext as logtext_module

    real = logtext_module._cclean
    if real is None:
        pytest.skip("model._cclean is not built (no C compiler at install time)")
    read: list[int] = []

    def clean_line(raw: bytes | str) -> str | None:
        read.append(len(raw))
        result: str | None = real.clean_line(raw)
        return result

    counting = types.ModuleType("counting_cclean")  # what `_logtext` holds: a module
    counting.clean_line = clean_line  # type: ignore[attr-defined]
    monkeypatch.setattr(logtext_module, "_cclean", counting)
    line = "echo " + "##[group]Run x " * 2_000
    log = _log("##[group]Run make", "##[endgroup]", line, "##[error]Process completed")
    assert failing_step_start(log, 0, len(log)) == 0
    assert len(read) == 2  # the echoed line, then the real header
