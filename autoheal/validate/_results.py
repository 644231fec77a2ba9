"""What a validation run found: plain records shared by the checks, the reports and the heal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

CheckKind = Literal["command", "schema", "dataset"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located as precisely as the check can.

    ``file`` is relative to the repository root. ``line`` is 1-based in the file; ``record`` is
    the 1-based record (a JSON Lines line that holds a record, a CSV data row, an element of a
    top-level JSON array); ``pointer`` is the JSON pointer of the value at fault.
    """

    message: str
    file: str | None = None
    line: int | None = None
    record: int | None = None
    column: str | None = None
    pointer: str | None = None

    def location(self) -> str:
        """``data/x.jsonl line 3 /age``-like text, for logs and Markdown."""
        parts = [self.file or ""]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.record is not None and self.line is None:
            parts.append(f"record {self.record}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        if self.pointer:
            parts.append(f"at {self.pointer}")
        return " ".join(p for p in parts if p)

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "record": self.record,
            "column": self.column,
            "pointer": self.pointer,
        }


@dataclass
class CheckResult:
    """The outcome of one declared check."""

    name: str
    kind: CheckKind
    ok: bool = True
    problems: list[Problem] = field(default_factory=list)
    omitted: int = 0  # problems found beyond ``max_errors``
    files: list[str] = field(default_factory=list)  # the files checked, relative to the root
    summary: str = ""
    details: dict[str, Any] = field(default_factory=dict)  # exit code, output tail, columns...
    seconds: float = 0.0

    def fail(self, problem: Problem, limit: int) -> None:
        self.ok = False
        if len(self.problems) < limit:
            self.problems.append(problem)
        else:
            self.omitted += 1


@dataclass
class ValidationResult:
    """Every check of one run, in the order they were declared."""

    config_path: str
    checks: list[CheckResult] = field(default_factory=list)
    heal: dict[str, Any] | None = None  # what remediation did, with --heal

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def failed(self) -> list[CheckResult]:
        return [check for check in self.checks if not check.ok]
