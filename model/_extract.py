"""`extract_region`: the decisive lines of a failed CI log, read in one bounded streaming pass."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from model._clusters import Step
from model._logtext import FORMAT_PROBE_BYTES, detect_format
from model._normalize import fingerprint
from model._scan import LogScanner
from model._select import Selection, select_evidence
from model._sources import CHUNK_SIZE, LogInput, read_sources

# A line longer than this (a minified bundle, a binary blob) is cut: only its start is scanned.
MAX_LINE_BYTES: Final[int] = 64 * 1024
_MAX_FAILED_MEMBERS: Final[int] = 4


@dataclass(frozen=True)
class Evidence:
    """One log line shown as evidence.

    `line` is 1-based in the original log, or in the zip member `file` (line 1 is the line
    that carries the BOM, if any). `text` is cleaned: no timestamp, no ANSI codes; GitHub
    markers such as `##[error]` are kept.
    """

    line: int
    text: str
    file: str | None = None


@dataclass(frozen=True)
class Region:
    """The error region of a log, bounded whatever the log's size."""

    evidence: tuple[Evidence, ...]  # decisive lines and support, by position
    text: str  # cleaned text for features: root-cause block first, at most max_chars
    decisive: str  # the root-cause line(s), cleaned
    fingerprint: str  # 16 hex chars, stable across runs of the same failure
    step: str | None  # failing step, when the log names steps
    exit_code: int | None
    log_format: str  # github_actions | gitlab | jenkins | azure | circleci | plain
    total_lines: int  # summed over zip members
    total_bytes: int  # uncompressed, summed over zip members


@dataclass(frozen=True)
class _MemberScan:
    name: str | None
    log_format: str
    step: Step | None
    failed: bool
    lines: int
    size: int
    skipped: bool = False  # steps above the failing one were not read


def _scan_member(name: str | None, chunks: Iterator[bytes]) -> _MemberScan:
    """Scan one log (or zip member). A log that fits in one chunk (every log sent over HTTP
    but the largest) is scanned from its failing step when it has one (see
    `LogScanner`): the steps that passed are not read unless no step failed."""
    first = next(chunks, None)
    if first is None:
        return _MemberScan(name, "plain", None, False, 0, 0)
    second = next(chunks, None)
    if second is not None:
        return _scan_chunks(name, itertools.chain((first, second), chunks), skip=False)
    scan = _scan_chunks(name, iter((first,)), skip=True)
    if scan.skipped and not scan.failed:
        scan = _scan_chunks(name, iter((first,)), skip=False)
    return scan


def _scan_chunks(name: str | None, chunks: Iterator[bytes], *, skip: bool) -> _MemberScan:
    scanner: LogScanner | None = None
    log_format = "plain"
    carry = b""  # the start of a line continued in the next chunk
    next_line = 1  # number of the first line not yet fed
    size = 0
    skipping = False  # inside an overlong line whose start was already scanned
    for chunk in chunks:
        size += len(chunk)
        if scanner is None:
            log_format = detect_format(chunk[:FORMAT_PROBE_BYTES])
            scanner = LogScanner(log_format, skip_passed_steps=skip)
        start = 0
        if skipping or carry:
            newline = chunk.find(b"\n")
            if newline < 0:
                if not skipping:
                    carry += chunk
                    if len(carry) > MAX_LINE_BYTES:
                        next_line += scanner.feed(carry[:MAX_LINE_BYTES] + b"\n", next_line)
                        carry, skipping = b"", True
                continue
            if not skipping:
                line = carry + chunk[: newline + 1]
                if len(line) > MAX_LINE_BYTES:
                    line = line[:MAX_LINE_BYTES] + b"\n"
                next_line += scanner.feed(line, next_line)
            carry, skipping, start = b"", False, newline + 1
        # The chunk is scanned in place, between `start` and its last newline: no copy.
        cut = chunk.rfind(b"\n", start) + 1
        if cut > start:
            next_line += scanner.feed(chunk, next_line, start, cut)
        else:
            cut = start
        carry = chunk[cut:]
        if len(carry) > MAX_LINE_BYTES:
            next_line += scanner.feed(carry[:MAX_LINE_BYTES] + b"\n", next_line)
            carry, skipping = b"", True
    if scanner is None:
        return _MemberScan(name, log_format, None, False, 0, 0)
    if carry:
        next_line += scanner.feed(carry + b"\n", next_line)
    step = scanner.finish()
    failed = scanner.failing is not None
    return _MemberScan(name, log_format, step, failed, next_line - 1, size, scanner.skipped)


def _chosen_members(scans: list[_MemberScan]) -> list[_MemberScan]:
    """The failed members (jobs), else the one with the strongest error lines."""
    failed = [s for s in scans if s.failed and s.step is not None]
    if failed:
        return failed[:_MAX_FAILED_MEMBERS]
    with_steps = [
        s for s in scans if s.step is not None and (s.step.candidates or s.step.last_lines)
    ]
    if not with_steps:
        return []
    return [max(with_steps, key=lambda s: s.step.best if s.step else 0)]


def extract_region(
    source: LogInput,
    *,
    max_evidence: int = 24,
    max_chars: int = 4000,
    chunk_size: int = CHUNK_SIZE,
) -> Region:
    """Find the failing step and its decisive lines in a CI log.

    `source` is the log text (a str, or a `LogText` of its UTF-8 bytes), its raw bytes, a path
    (plain, .gz or a GitHub run-logs .zip) or a binary stream. Raises LogReadError when a file cannot be read; any content,
    binary garbage included, gives a Region (possibly without evidence).
    """
    scans = [_scan_member(m.name, m.chunks) for m in read_sources(source, chunk_size=chunk_size)]
    total_lines = sum(s.lines for s in scans)
    total_bytes = sum(s.size for s in scans)
    chosen = _chosen_members(scans)
    log_format = chosen[0].log_format if chosen else (scans[0].log_format if scans else "plain")
    if not chosen:
        return Region(
            (), "", "", fingerprint("", None), None, None, log_format, total_lines, total_bytes
        )

    # The first failed job gets most of the budget; each other failed job a few lines.
    others = min(4 * (len(chosen) - 1), max_evidence // 2)
    evidence: list[Evidence] = []
    texts: list[str] = []
    primary: Selection | None = None
    for scan in chosen:
        assert scan.step is not None
        room = max_evidence - others if primary is None else min(4, max_evidence - len(evidence))
        if room <= 0:
            break
        selection = select_evidence(scan.step, room, max_chars)
        primary = primary or selection
        evidence.extend(Evidence(line, text, scan.name) for line, text in selection.lines)
        texts.append(selection.text)
    step = chosen[0].step
    assert step is not None and primary is not None
    text = "\n".join(t for t in texts if t)[:max_chars]
    return Region(
        evidence=tuple(evidence[:max_evidence]),
        text=text,
        decisive=primary.decisive,
        fingerprint=fingerprint(primary.decisive, step.name),
        step=step.name,
        exit_code=step.exit_code,
        log_format=log_format,
        total_lines=total_lines,
        total_bytes=total_bytes,
    )
