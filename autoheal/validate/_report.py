"""The failure report, as JSON and as Markdown: pure functions of a :class:`ValidationResult`.

Both list each check, and for each failing one every problem kept: the file, the line or
record, the column or JSON pointer, and the error. Text from data files and command output is
already redacted; the Markdown fences it so that nothing in it renders as markup.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Final

from autoheal.validate._results import CheckResult, ValidationResult

REPORT_VERSION: Final = 1
JSON_NAME: Final = "validate-report.json"
MARKDOWN_NAME: Final = "validate-report.md"


def fence(text: str) -> str:
    """``text`` in a code block whose fence is longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}text\n{text}\n{ticks}"


def _check_dict(check: CheckResult) -> dict[str, Any]:
    return {
        "name": check.name,
        "kind": check.kind,
        "ok": check.ok,
        "summary": check.summary,
        "files": check.files,
        "problems": [problem.to_dict() for problem in check.problems],
        "omitted": check.omitted,
        "details": check.details,
        "seconds": round(check.seconds, 3),
    }


def report_json(result: ValidationResult) -> dict[str, Any]:
    return {
        "version": REPORT_VERSION,
        "ok": result.ok,
        "config": result.config_path,
        "checks": len(result.checks),
        "failed": [check.name for check in result.failed],
        "results": [_check_dict(check) for check in result.checks],
        "heal": result.heal,
    }


def _cell(text: str | int | None) -> str:
    """A Markdown table cell: no pipes, no newlines, no markup."""
    if text is None or text == "":
        return ""
    value = " ".join(str(text).split()).replace("|", "\\|")
    return "`" + value.replace("`", "'") + "`"


def _where(problem_line: int | None, record: int | None) -> str:
    if problem_line is not None:
        return f"line {problem_line}"
    if record is not None:
        return f"record {record}"
    return ""


def _failing_check(check: CheckResult) -> list[str]:
    lines = [f"### {check.kind} `{check.name}`: {check.summary}", ""]
    if check.problems:
        lines += ["| File | Where | Column / path | Error |", "|---|---|---|---|"]
        for p in check.problems:
            lines.append(
                f"| {_cell(p.file)} | {_where(p.line, p.record)} | "
                f"{_cell(p.column or p.pointer)} | {_cell(p.message)} |"
            )
        if check.omitted:
            lines.append(f"\n…and {check.omitted} more problem(s) not listed.")
        lines.append("")
    tail = check.details.get("output_tail")
    if isinstance(tail, str) and tail:
        command = check.details.get("command", "")
        lines += [f"Output of {_cell(command)} (last lines):", "", fence(tail), ""]
    return lines


def _heal_section(heal: dict[str, Any]) -> list[str]:
    lines = ["## Remediation", ""]
    for outcome in heal.get("outcomes", []):
        issue = f"issue #{outcome['issue']}" if outcome.get("issue") else "no issue"
        pull = f", draft PR #{outcome['pull']}" if outcome.get("pull") else ""
        jobs = ", ".join(outcome.get("jobs", ()))
        lines.append(
            f"- {_cell(jobs)}: `{outcome['category']}` "
            f"({100 * float(outcome['confidence']):.1f}%), {outcome['action'] or 'nothing done'}: "
            f"{issue}{pull} (fingerprint `{outcome['fingerprint']}`)"
        )
    lines += [f"- error: {_cell(error)}" for error in heal.get("errors", [])]
    lines += [f"- alert: {_cell(alert)}" for alert in heal.get("alerts", [])]
    return [*lines, ""]


def report_markdown(result: ValidationResult) -> str:
    status = "passed" if result.ok else f"{len(result.failed)} of {len(result.checks)} failed"
    lines = [
        f"# Validation report: {status}",
        "",
        f"Configuration: {_cell(result.config_path)}",
        "",
        "| Check | Kind | Result | Summary |",
        "|---|---|---|---|",
    ]
    for check in result.checks:
        mark = "pass" if check.ok else "**FAIL**"
        lines.append(f"| {_cell(check.name)} | {check.kind} | {mark} | {_cell(check.summary)} |")
    lines.append("")
    if result.failed:
        lines += ["## Failures", ""]
        for check in result.failed:
            lines += _failing_check(check)
    if result.heal is not None:
        lines += _heal_section(result.heal)
    return "\n".join(lines).rstrip() + "\n"


def write_reports(result: ValidationResult, directory: Path) -> tuple[Path, Path]:
    """Write both reports into ``directory`` (created); return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path = directory / JSON_NAME, directory / MARKDOWN_NAME
    json_path.write_text(json.dumps(report_json(result), indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(report_markdown(result), encoding="utf-8")
    return json_path, md_path
