"""`autoheal validate` reports (JSON and Markdown) and the command's exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from autoheal.cli import app
from autoheal.validate import (
    CheckResult,
    Problem,
    ValidationResult,
    report_json,
    report_markdown,
)

CONFIG = """
[project]
name = "shop"

[[tool.autoheal.validate.commands]]
name = "unit"
run = "echo all good"

[[tool.autoheal.validate.schemas]]
name = "records"
files = ["data/records.jsonl"]
schema = "schemas/record.json"

[[tool.autoheal.validate.datasets]]
name = "train"
files = ["data/train/*"]
"""
SCHEMA = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}


def make_repo(root: Path, *, broken: bool) -> Path:
    (root / "data/train").mkdir(parents=True)
    (root / "schemas").mkdir()
    (root / "pyproject.toml").write_text(CONFIG)
    (root / "schemas/record.json").write_text(json.dumps(SCHEMA))
    second = '{"id": "2"}' if broken else '{"id": 2}'
    (root / "data/records.jsonl").write_text('{"id": 1}\n' + second + "\n")
    (root / "data/train/a.csv").write_text("text,label\na,1\nb,2\n")
    pq.write_table(pa.table({"text": ["c"], "label": [3]}), root / "data/train/b.parquet")
    return root


def invoke(*args: str, env: dict[str, str | None] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["validate", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_passing_repository_exits_zero_and_writes_both_reports(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", broken=False)
    out = tmp_path / "out"
    code, stdout, stderr = invoke(
        "--config", str(root / "pyproject.toml"), "--report-dir", str(out)
    )
    assert code == 0, stderr
    assert "3 check(s), all passed" in stdout
    assert "pass command unit" in stderr and "pass dataset train" in stderr  # progress lines
    report = json.loads((out / "validate-report.json").read_text())
    assert report["ok"] is True and report["failed"] == [] and report["heal"] is None
    assert [r["name"] for r in report["results"]] == ["unit", "records", "train"]
    train = report["results"][2]
    assert train["details"]["columns"] == {"text": "string", "label": "int64"}
    assert (out / "validate-report.md").read_text().startswith("# Validation report: passed")


def test_broken_data_file_exits_one_with_the_record_in_both_reports(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", broken=True)
    out = tmp_path / "out"
    code, stdout, _ = invoke(
        "--config", str(root / "pyproject.toml"), "--report-dir", str(out), "--quiet"
    )
    assert code == 1 and "1 failed" in stdout
    report = json.loads((out / "validate-report.json").read_text())
    assert report["ok"] is False and report["failed"] == ["records"]
    (records,) = [r for r in report["results"] if not r["ok"]]
    assert records["problems"] == [
        {
            "message": "'2' is not of type 'integer'",
            "file": "data/records.jsonl",
            "line": 2,
            "record": 2,
            "column": None,
            "pointer": "/id",
        }
    ]
    markdown = (out / "validate-report.md").read_text()
    assert "# Validation report: 1 of 3 failed" in markdown
    assert "| `data/records.jsonl` | line 2 | `/id` | `'2' is not of type 'integer'` |" in markdown


def test_bad_configuration_and_usage_exit_two(tmp_path: Path) -> None:
    bad = tmp_path / "pyproject.toml"
    bad.write_text("[[tool.autoheal.validate.commands]]\nname = 'x'\n")
    code, _, stderr = invoke("--config", str(bad), "--report-dir", str(tmp_path / "o"))
    assert code == 2 and str(bad) in stderr and "commands[0].run: Field required" in stderr
    root = make_repo(tmp_path / "repo", broken=True)
    args = ("--config", str(root / "pyproject.toml"), "--report-dir", str(tmp_path / "o"))
    code, _, stderr = invoke(*args, "--dry-run")
    assert code == 2 and "--dry-run applies to --heal only" in stderr
    code, _, stderr = invoke(*args, "--heal", env={"GITHUB_REPOSITORY": None})
    assert code == 2 and "--heal needs --repo" in stderr
    code, _, stderr = invoke(*args, "--heal", "--repo", "o/r", env={"GITHUB_TOKEN": ""})
    assert code == 2 and "GITHUB_TOKEN is not set" in stderr
    assert not (tmp_path / "o").exists()  # nothing ran


def test_markdown_report_neutralises_data_text() -> None:
    check = CheckResult("data | set", "dataset")
    check.fail(Problem("bad `value` | here\nnext line", file="a|b.csv", line=3, column="c"), 10)
    check.details["output_tail"] = "```\nnot closed"
    check.details["command"] = "make test"
    check.summary = "1 problem(s)"
    result = ValidationResult("pyproject.toml", [check])
    markdown = report_markdown(result)
    assert "| `a\\|b.csv` | line 3 | `c` | `bad 'value' \\| here next line` |" in markdown
    assert "````text\n```\nnot closed\n````" in markdown  # a longer fence than any inside
    data = report_json(result)
    assert data["results"][0]["problems"][0]["line"] == 3 and data["failed"] == ["data | set"]
