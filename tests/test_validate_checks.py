"""Each `autoheal validate` check, passing and failing, on a small repository in tmp_path."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from autoheal.validate import CheckResult, load_config, run_validation
from autoheal.validate._commands import run_command

SCHEMA = {
    "type": "object",
    "required": ["id", "text"],
    "properties": {"id": {"type": "integer", "minimum": 1}, "text": {"type": "string"}},
}


def repo(root: Path, files: dict[str, bytes | str], config: str) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    (root / "autoheal.toml").write_text("[validate]\n" + config)
    return root


def run_one(root: Path) -> CheckResult:
    result = run_validation(load_config(root / "autoheal.toml"))
    (check,) = result.checks
    return check


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def parquet(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


SCHEMA_CHECK = '[[validate.schemas]]\nfiles = ["data/*.json*"]\nschema = "schemas/record.json"\n'
DATASET_CHECK = '[[validate.datasets]]\nname = "train"\nfiles = ["data/train/*"]\n'


# ---- JSON Schema ---------------------------------------------------------------------------


def test_schema_check_passes_on_valid_files(tmp_path: Path) -> None:
    files = {
        "schemas/record.json": json.dumps(SCHEMA),
        "data/a.jsonl": jsonl({"id": 1, "text": "a"}, {"id": 2, "text": "b"}) + "\n",
        "data/b.json": json.dumps({"id": 3, "text": "c"}),
    }
    check = run_one(repo(tmp_path, files, SCHEMA_CHECK))
    assert check.ok and check.problems == []
    assert check.files == ["data/a.jsonl", "data/b.json"]
    assert check.summary == "3 document(s) in 2 file(s) valid"


def test_schema_violation_names_file_line_record_and_pointer(tmp_path: Path) -> None:
    lines = jsonl({"id": 1, "text": "a"}) + "\n" + jsonl({"id": "7", "text": "b"}, {"id": 0})
    files = {"schemas/record.json": json.dumps(SCHEMA), "data/a.jsonl": lines}
    check = run_one(repo(tmp_path, files, SCHEMA_CHECK))
    assert not check.ok
    found = [(p.file, p.line, p.record, p.pointer, p.message) for p in check.problems]
    assert found == [
        ("data/a.jsonl", 3, 2, "/id", "'7' is not of type 'integer'"),
        ("data/a.jsonl", 4, 3, "", "'text' is a required property"),
        ("data/a.jsonl", 4, 3, "/id", "0 is less than the minimum of 1"),
    ]


def test_broken_jsonl_line_and_broken_json_document(tmp_path: Path) -> None:
    files = {
        "schemas/record.json": json.dumps(SCHEMA),
        "data/a.jsonl": '{"id": 1, "text": "a"}\n{"id": 2, "text": \n{"id": 3, "text": "c"}\n',
        "data/b.json": '{\n  "id": 1,\n  "text": "a",,\n}\n',
    }
    check = run_one(repo(tmp_path, files, SCHEMA_CHECK))
    found = [(p.file, p.line, p.message.split(":")[0]) for p in check.problems]
    assert found == [("data/a.jsonl", 2, "invalid JSON"), ("data/b.json", 3, "invalid JSON")]
    assert check.summary == "2 problem(s) in 2 file(s)"


def test_schema_check_refuses_binary_broken_utf8_and_a_bad_schema(tmp_path: Path) -> None:
    files = {
        "schemas/record.json": json.dumps(SCHEMA),
        "data/a.json": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "data/b.jsonl": b'{"id": 1, "text": "ok"}\n{"id": 2, "text": "caf\xe9"}\n',
    }
    check = run_one(repo(tmp_path, files, SCHEMA_CHECK))
    by_file = {p.file: p for p in check.problems}
    assert "binary file" in by_file["data/a.json"].message
    assert by_file["data/b.jsonl"].line == 2
    assert by_file["data/b.jsonl"].message.startswith("not valid UTF-8")
    (tmp_path / "schemas/record.json").write_text('{"type": "objekt"}')
    check = run_one(tmp_path)
    assert [p.file for p in check.problems] == ["schemas/record.json"]
    assert check.problems[0].message.startswith("invalid JSON Schema")


def test_schema_check_fails_when_no_file_matches(tmp_path: Path) -> None:
    check = run_one(repo(tmp_path, {"schemas/record.json": json.dumps(SCHEMA)}, SCHEMA_CHECK))
    assert [p.message for p in check.problems] == ["no file matches 'data/*.json*'"]


# ---- datasets ------------------------------------------------------------------------------


def test_dataset_of_jsonl_csv_and_parquet_loads_as_one_table(tmp_path: Path) -> None:
    files = {
        "data/train/a.jsonl": jsonl({"text": "a", "label": 1, "score": None}),
        "data/train/b.csv": "text,label,score\nb,2,0.5\nc,3,1.5\n",
    }
    repo(tmp_path, files, DATASET_CHECK)
    table = pa.table({"text": ["d"], "label": pa.array([4], pa.int32()), "score": [2.0]})
    parquet(tmp_path / "data/train/c.parquet", table)
    check = run_one(tmp_path)
    assert check.ok, check.problems
    # int32 and int64 promote to int64; null (all-null in the JSON file) to double.
    assert check.details["columns"] == {"text": "string", "label": "int64", "score": "double"}
    assert check.details["rows"] == 4 and check.details["formats"] == ["csv", "json", "parquet"]


def test_csv_column_type_differs_from_parquet_names_the_row(tmp_path: Path) -> None:
    repo(tmp_path, {"data/train/b.csv": "text,label\nx,1\ny,2\nz,two\n"}, DATASET_CHECK)
    parquet(tmp_path / "data/train/a.parquet", pa.table({"text": ["a"], "label": [0]}))
    check = run_one(tmp_path)
    (problem,) = check.problems
    assert (problem.file, problem.column, problem.record, problem.line) == (
        "data/train/b.csv",
        "label",
        3,
        4,
    )
    assert "is string here but int64 in data/train/a.parquet" in problem.message


PINNED_CHECK = DATASET_CHECK + (
    "columns = { text = 'string', label = 'int64', score = 'double', tags = 'list<string>' }\n"
)


def test_pinned_columns_accept_fitting_types_in_every_format(tmp_path: Path) -> None:
    files = {
        "data/train/a.jsonl": jsonl({"text": "a", "label": 1, "score": None, "tags": ["x"]}),
        "data/train/b.jsonl": jsonl({"text": "b", "label": 2, "score": 3, "tags": []}),
    }
    repo(tmp_path, files, PINNED_CHECK)
    narrow = {"text": pa.array(["c"], pa.large_string()), "label": pa.array([3], pa.int8())}
    parquet(
        tmp_path / "data/train/c.parquet",
        pa.table({**narrow, "score": [0.5], "tags": pa.array([["y"]], pa.list_(pa.string()))}),
    )
    check = run_one(tmp_path)
    assert check.ok, check.problems
    assert check.details["columns"] == {
        "text": "string", "label": "int64", "score": "double", "tags": "list<item: string>",
    }  # fmt: skip


def test_a_type_that_drifted_in_every_file_breaks_the_pin_with_its_line(tmp_path: Path) -> None:
    """Without pins both files agree (label is a string in each); the pin catches it."""
    record = {"text": "a", "score": 0.5, "tags": []}
    files = {
        "data/train/a.jsonl": jsonl({**record, "label": "1"}, {**record, "label": "two"}),
        "data/train/b.jsonl": jsonl({**record, "label": "three"}),
    }
    unpinned = run_one(repo(tmp_path, files, DATASET_CHECK))
    assert unpinned.ok and unpinned.details["columns"]["label"] == "string"
    check = run_one(repo(tmp_path, files, PINNED_CHECK))
    assert not check.ok
    first, second = check.problems
    assert (first.file, first.column, first.record, first.line) == (
        "data/train/a.jsonl", "label", 2, 2,
    )  # fmt: skip
    assert first.message == "column 'label' is string here but the check pins int64"
    assert (second.file, second.line) == ("data/train/b.jsonl", 1)


def test_pinned_columns_missing_extra_and_allowed_extra(tmp_path: Path) -> None:
    files = {
        "data/train/a.jsonl": jsonl({"text": "a", "label": 1, "score": 0.1, "tags": [], "x": 1}),
        "data/train/b.jsonl": jsonl({"text": "b", "label": 2, "tags": [], "x": "y"}),
    }
    check = run_one(repo(tmp_path, files, PINNED_CHECK))
    messages = [(p.file, p.message) for p in check.problems]
    assert messages == [
        ("data/train/a.jsonl", "column(s) 'x' are not among the pinned columns "
         '(extra_columns = "allow" accepts them)'),
        ("data/train/b.jsonl", "missing pinned column(s) 'score'"),
        ("data/train/b.jsonl", "column(s) 'x' are not among the pinned columns "
         '(extra_columns = "allow" accepts them)'),
    ]  # fmt: skip
    # Allowed, an extra column must still agree across files: 'x' is int64 then string.
    allowing = run_one(repo(tmp_path, files, PINNED_CHECK + "extra_columns = 'allow'\n"))
    messages = [(p.file, p.column) for p in allowing.problems]
    assert messages == [("data/train/b.jsonl", None), ("data/train/b.jsonl", "x")]
    assert "missing pinned column(s) 'score'" in allowing.problems[0].message
    assert "column 'x' is string here but int64 in data/train/a.jsonl" in (
        allowing.problems[1].message
    )


def test_renamed_column_is_reported_with_both_names(tmp_path: Path) -> None:
    files = {
        "data/train/a.jsonl": jsonl({"text": "a", "label": 1}),
        "data/train/b.jsonl": jsonl({"content": "b", "label": 2}),
    }
    check = run_one(repo(tmp_path, files, DATASET_CHECK))
    (problem,) = check.problems
    assert problem.file == "data/train/b.jsonl"
    assert problem.message == (
        "columns differ from data/train/a.jsonl: missing 'text'; new 'content' (renamed?)"
    )


def test_broken_jsonl_line_and_type_change_within_a_file_name_the_line(tmp_path: Path) -> None:
    files = {
        "data/train/a.jsonl": '{"text": "a", "label": 1}\n{"text": "b", "label": \n',
        "data/train/b.jsonl": jsonl({"text": "a", "label": 1}, {"text": "b", "label": "x"}),
        "data/train/c.jsonl": jsonl({"text": "a", "label": 1}) + "[1, 2]\n",
    }
    check = run_one(repo(tmp_path, files, DATASET_CHECK))
    found = [(p.file, p.line, p.column, p.message) for p in check.problems]
    assert found[0][:3] == ("data/train/a.jsonl", 2, None)
    assert found[0][3].startswith("invalid JSON: Expecting value")
    assert found[1] == (
        "data/train/b.jsonl",
        2,
        "label",
        "column 'label' is a string here but a number on line 1",
    )
    assert found[2] == (
        "data/train/c.jsonl",
        2,
        None,
        "a record must be a JSON object, found array",
    )


def test_binary_broken_utf8_empty_corrupt_parquet_and_huge_files(tmp_path: Path) -> None:
    files = {
        "data/train/a.jsonl": jsonl({"text": "a"}),
        "data/train/b.csv": b"text\nok\ncaf\xc3\n",
        "data/train/c.jsonl": b"\x00\x01\x02\x03\x04binary",
        "data/train/d.parquet": b"PAR1 this is not parquet at all",
        "data/train/e.jsonl": b"",
        "data/train/f.jsonl": jsonl(*({"text": "x" * 100} for _ in range(20_000))),
        "data/train/g.xlsx": b"PK\x03\x04",
    }
    repo(tmp_path, files, "max_file_mb = 1\n" + DATASET_CHECK)
    check = run_one(tmp_path)
    by_file = {p.file: p for p in check.problems}
    assert by_file["data/train/b.csv"].line == 3
    assert by_file["data/train/b.csv"].message.startswith("not valid UTF-8")
    assert "binary file" in by_file["data/train/c.jsonl"].message
    assert "not a readable Parquet file" in by_file["data/train/d.parquet"].message
    assert by_file["data/train/e.jsonl"].message == "the file is empty"
    assert "over the limit of 1,048,576 (max_file_mb)" in by_file["data/train/f.jsonl"].message
    assert "unknown format '.xlsx'" in by_file["data/train/g.xlsx"].message
    assert len(check.problems) == 6 and check.files[0] == "data/train/a.jsonl"


def test_max_errors_bounds_the_problems_kept(tmp_path: Path) -> None:
    files = {
        "schemas/record.json": json.dumps(SCHEMA),
        "data/a.jsonl": jsonl(*({"id": "x", "text": "t"} for _ in range(30))),
    }
    check = run_one(repo(tmp_path, files, "max_errors = 4\n" + SCHEMA_CHECK))
    assert len(check.problems) == 4 and check.omitted == 26
    assert check.summary == "30 problem(s) in 1 file(s)"


# ---- commands ------------------------------------------------------------------------------


def test_command_passes_fails_and_its_output_tail_is_redacted(tmp_path: Path) -> None:
    secret = "ghp_" + "Q9w8E7r6T5y4U3i2O1p0A9s8D7f6G5h4J3k2"
    config = (
        '[[validate.commands]]\nname = "ok"\nrun = "echo fine"\n'
        f'[[validate.commands]]\nname = "tests"\nrun = "echo 1 failed; echo token={secret} >&2; exit 3"\n'
    )
    result = run_validation(load_config(repo(tmp_path, {}, config) / "autoheal.toml"))
    ok, failed = result.checks
    assert ok.ok and ok.details["exit_code"] == 0 and ok.details["output_tail"] == "fine"
    assert not failed.ok and failed.details["exit_code"] == 3
    assert failed.problems[0].message == "exited with code 3"
    assert "1 failed" in failed.details["output_tail"]
    assert (
        secret not in json.dumps(failed.details) and "[REDACTED]" in failed.details["output_tail"]
    )


def _alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie waiting for its new parent to reap it."""
    try:
        os.kill(pid, 0)
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (ProcessLookupError, FileNotFoundError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_command_timeout_stops_the_whole_process_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    outcome = run_command(f"sleep 60 & echo $! > {pid_file}; echo started; wait", tmp_path, 0.5)
    assert outcome.timed_out and outcome.exit_code is None and outcome.tail == "started"
    child = int(pid_file.read_text())
    for _ in range(50):  # the kill is sent; give the kernel a moment to deliver it
        if not _alive(child):
            break
        time.sleep(0.1)
    else:
        pytest.fail("the command's child survived the timeout")


def test_command_timeout_is_a_failed_check(tmp_path: Path) -> None:
    config = '[[validate.commands]]\nname = "slow"\nrun = "sleep 30"\ntimeout = 0.3\n'
    check = run_one(repo(tmp_path, {}, config))
    assert not check.ok and check.details["timed_out"]
    assert check.problems[0].message == "timed out after 0.3s and was stopped"


def test_command_output_is_bounded(tmp_path: Path) -> None:
    outcome = run_command("yes line | head -n 200000; exit 1", tmp_path, 30)
    assert outcome.exit_code == 1 and outcome.tail.count("\n") == 199
