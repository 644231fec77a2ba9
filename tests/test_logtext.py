"""Line cleaning, format detection and structural markers."""

from __future__ import annotations

import pytest

from model import clean_line, detect_format
from model._logtext import parse_marker


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b"\xef\xbb\xbf2026-01-01T00:00:00.1234567Z Current runner version\n",
            "Current runner version",
        ),
        (b"2026-01-01T00:00:00.1234567Z \x1b[31;1merror\x1b[0m: boom\r\n", "error: boom"),
        (b"2026-01-01T00:00:00.1234567Z ##[error]Process completed", "##[error]Process completed"),
        (b"[2024-03-01T10:00:00.123Z] + make test", "+ make test"),
        (b"Downloading 10%\rDownloading 55%\rDownloading 100%\r", "Downloading 100%"),
        (b"bad \xff\xfe utf8", "bad \ufffd\ufffd utf8"),
        (b"nul\x00 bytes\x07 here", "nul bytes here"),
        (b"section_start:1700000000:build_script\r\x1b[0KBuilding", "Building"),
        (b"\x1b]8;;https://example.com\x07link\x1b]8;;\x07", "link"),
        (b"", ""),
    ],
)
def test_clean_line(raw: bytes, expected: str) -> None:
    assert clean_line(raw) == expected


def test_clean_line_keeps_text_that_only_looks_like_a_prefix() -> None:
    assert clean_line("2026 was a good year") == "2026 was a good year"
    assert clean_line("[ 42%] Building CXX object") == "[ 42%] Building CXX object"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            b"\xef\xbb\xbf2026-01-01T00:00:00.1234567Z Current runner version '2.333.1'\n",
            "github_actions",
        ),
        (b"##[group]Run make\n", "github_actions"),
        (
            b"Running with gitlab-runner 16.0\nsection_start:1700000000:prepare_executor\r\x1b[0K",
            "gitlab",
        ),
        (b"Started by user admin\n[Pipeline] Start of Pipeline\n[Pipeline] stage\n", "jenkins"),
        (
            b"2026-01-01T00:00:00.1234567Z ##[section]Starting: Build\n"
            b"2026-01-01T00:00:00.1234567Z ##[group]Run x\n",
            "azure",
        ),
        (b"#!/bin/bash -eo pipefail\nnpm test\nExited with code exit status 1\n", "circleci"),
        (b"$ make\ncc -c main.c\nmain.c:3:1: error: expected ';'\n", "plain"),
        (b"", "plain"),
        (bytes(range(256)) * 10, "plain"),
    ],
)
def test_detect_format(head: bytes, expected: str) -> None:
    assert detect_format(head) == expected


def test_github_markers() -> None:
    step = parse_marker("", "##[group]Run pytest -q", "github_actions")
    assert step is not None and step.kind == "step" and step.name == "Run pytest -q"
    assert parse_marker("", "##[group]Runner Image", "github_actions") is None
    failure = parse_marker("", "##[error]Process completed with exit code 2.", "github_actions")
    assert failure is not None and failure.kind == "failure" and failure.exit_code == 2
    post = parse_marker("", "Post job cleanup.", "github_actions")
    assert post is not None and post.name == "Post job cleanup"
    # An annotation is content, not structure.
    assert parse_marker("", "##[error]src/a.ts(3,4): error TS2322: nope", "github_actions") is None


def test_other_format_markers() -> None:
    raw = "section_start:1700000000:step_script\r\x1b[0K"
    gitlab = parse_marker(raw, clean_line(raw), "gitlab")
    assert gitlab is not None and (gitlab.kind, gitlab.name) == ("step", "step_script")
    failed = parse_marker("", "ERROR: Job failed: exit code 3", "gitlab")
    assert failed is not None and failed.exit_code == 3
    stage = parse_marker("", "[Pipeline] { (Unit tests)", "jenkins")
    assert stage is not None and stage.name == "Unit tests"
    azure = parse_marker("", "##[section]Starting: Run tests", "azure")
    assert azure is not None and azure.name == "Run tests"
    circle = parse_marker("", "Exited with code exit status 1", "circleci")
    assert circle is not None and circle.kind == "failure" and circle.exit_code == 1
