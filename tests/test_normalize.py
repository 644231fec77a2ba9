"""normalize_text: masks run-specific details, keeps what carries meaning."""

from __future__ import annotations

import pytest

from model import normalize_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-01T12:00:00.1234567Z done", "<ts> done"),
        ("took 12.5s and 300ms", "took <dur> and <dur>"),
        ("commit 5c115507f6dd24b8de37d8bbe0bb4509d0cc0fa3 failed", "commit <hex> failed"),
        ("id 123e4567-e89b-12d3-a456-426614174000", "id <uuid>"),
        ("numpy 1.26.4 needs v2.0.0-rc1", "numpy <ver> needs <ver>"),
        ("used 512 MiB of 2.5GB", "used <size> of <size>"),
        ("connect 10.0.0.12:5432 refused", "connect <ip> refused"),
        (
            "Failed https://pypi.org/simple/numpy/ and http://user@10.1.1.1:8080/x",
            "failed <url:pypi.org> and <url:<ip>>",
        ),
        (
            'File "/home/runner/work/app/app/tests/test_api.py", line 12',
            'file "<path>/test_api.py", line <n>',
        ),
        ("C:\\Users\\me\\src\\Program.cs(10,5): error", "<path>/program.cs(<n>,<n>): error"),
        ("open /tmp/tmpab12cd34/data.csv", "open <tmp>/data.csv"),
        ("mkdir /tmp/pytest-of-runner/pytest-3", "mkdir <tmp>"),
        ("  Lots   of\tspace  ", "lots of space"),
        ("exit code 137", "exit code <n>"),
    ],
)
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


def test_normalize_is_deterministic_and_idempotent() -> None:
    text = "2026-01-01T00:00:00Z /tmp/x1/y.py:3: error: boom 0xdeadbeef in 1.5s"
    once = normalize_text(text)
    assert once == normalize_text(text)
    assert normalize_text(once) == once


def test_different_errors_stay_different() -> None:
    assert normalize_text("KeyError: 'user_id'") != normalize_text("TypeError: 'user_id'")
    assert normalize_text("src/a/test_api.py") != normalize_text("src/a/test_db.py")
