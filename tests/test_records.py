from __future__ import annotations

import json
from pathlib import Path

import pytest

from datasets.records import DatasetError, LabelledLog, read_jsonl, write_jsonl


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_round_trip(tmp_path: Path) -> None:
    records = [
        LabelledLog(id="a", label="timeout", source="t", log="x\ny", family="f1", kind="full"),
        LabelledLog(id="b", label="unknown", source="t", log="", extra={"tags": ["k"]}),
    ]
    path = tmp_path / "d.jsonl"
    assert write_jsonl(path, records) == 2
    assert list(read_jsonl(path)) == records


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (json.dumps({"id": "x", "label": "timeout", "source": "s"}), "missing field 'log'"),
        (json.dumps({"id": "x", "label": "flaky", "source": "s", "log": ""}), "unknown label"),
        (json.dumps({"id": 3, "label": "timeout", "source": "s", "log": ""}), "must be a string"),
    ],
)
def test_bad_line_names_file_and_line(tmp_path: Path, line: str, reason: str) -> None:
    good = json.dumps({"id": "ok", "label": "network", "source": "s", "log": "x"})
    path = _write(tmp_path / "bad.jsonl", [good, "", line])
    with pytest.raises(DatasetError) as info:
        list(read_jsonl(path))
    assert info.value.line == 3
    assert str(path) in str(info.value)
    assert reason in str(info.value)


def test_duplicate_id(tmp_path: Path) -> None:
    line = json.dumps({"id": "same", "label": "network", "source": "s", "log": "x"})
    with pytest.raises(DatasetError, match="duplicate id"):
        list(read_jsonl(_write(tmp_path / "dup.jsonl", [line, line])))


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bin.jsonl"
    path.write_bytes(b'{"id": "a", "label": "network", "source": "s", "log": "\xff\xfe"}\n')
    with pytest.raises(DatasetError, match="UTF-8"):
        list(read_jsonl(path))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="cannot open"):
        list(read_jsonl(tmp_path / "nope.jsonl"))
