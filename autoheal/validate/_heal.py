"""Handing failed checks to remediation, the path a failed workflow run takes.

Each failed check becomes a log-like text, shaped like the job log of a CI step that ran it.
The classifier reads it as it reads any job log: it names the category and computes the
fingerprint from the decisive lines and the step. The text holds no times, durations or absolute
paths, so the same failure gives the same fingerprint on every run, and the healer's marker
search finds the issue already opened for it instead of opening another.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from autoheal.validate._results import CheckResult, ValidationResult
from service.remediation._classify import JobContext
from service.remediation._heal import Healer, HealReport
from service.remediation._types import Failure, JobInfo, RunInfo

LOCAL_WORKFLOW: Final = "autoheal validate"
MAX_PROBLEM_LINES: Final = 30


def step_title(check: CheckResult) -> str:
    return f"autoheal validate --check '{check.name}'"


def _command_log(check: CheckResult) -> list[str]:
    command = str(check.details.get("command", ""))
    lines = [f"##[group]Run {command}", command, "##[endgroup]"]
    tail = str(check.details.get("output_tail", ""))
    lines += tail.splitlines()
    if check.details.get("timed_out"):
        timeout = float(check.details.get("timeout", 0))
        lines.append(
            f"##[error]The command timed out after {timeout:g} seconds and was cancelled "
            "(the check's timeout)."
        )
    else:
        lines.append(f"##[error]Process completed with exit code {check.details.get('exit_code')}.")
    return lines


def _data_log(check: CheckResult) -> list[str]:
    title = step_title(check)
    lines = [f"##[group]Run {title}", title]
    if check.kind == "schema":
        schema = check.details.get("schema", "")
        lines.append(f"Validating {len(check.files)} file(s) against the JSON Schema {schema}")
    else:
        lines.append(
            f"Loading dataset '{check.name}' from {len(check.files)} file(s) with pyarrow, "
            "as Hugging Face datasets would"
        )
    lines.append("##[endgroup]")
    for problem in check.problems[:MAX_PROBLEM_LINES]:
        where = problem.location() or "(check)"
        if check.kind == "schema" and problem.pointer is not None:
            lines.append(f"{where}: jsonschema.exceptions.ValidationError: {problem.message}")
        else:
            lines.append(f"{where}: error: {problem.message}")
    hidden = len(check.problems) - MAX_PROBLEM_LINES + check.omitted
    if hidden > 0:
        lines.append(f"... and {hidden} more problem(s)")
    if check.kind == "schema":
        lines.append(f"##[error]Schema validation failed: {check.summary}")
    else:
        lines.append(
            f"##[error]Dataset '{check.name}' does not load as one table (column or feature "
            f"mismatch, or an unreadable file): {check.summary}"
        )
    lines.append("##[error]Process completed with exit code 1.")
    return lines


def diagnostic_log(check: CheckResult) -> str:
    """The failed check as the job log of a step that ran it (what the classifier reads)."""
    lines = _command_log(check) if check.kind == "command" else _data_log(check)
    return "\n".join(lines) + "\n"


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    out = done.stdout.strip()
    return out if done.returncode == 0 and out else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def validation_run(repository: str, root: Path, env: Mapping[str, str] | None = None) -> RunInfo:
    """Where the failures were seen: the workflow run from ``GITHUB_*`` variables in Actions,
    else a local run numbered by the clock (so a later local run notes itself on the issue)."""
    env = os.environ if env is None else env
    server = env.get("GITHUB_SERVER_URL", "").rstrip("/") or "https://github.com"
    run_id = _int(env.get("GITHUB_RUN_ID"), 0)
    html_url = (
        f"{server}/{repository}/actions/runs/{run_id}" if run_id else f"{server}/{repository}"
    )
    return RunInfo(
        id=run_id or int(time.time()),
        repository=repository,
        workflow=env.get("GITHUB_WORKFLOW") or LOCAL_WORKFLOW,
        run_attempt=max(1, _int(env.get("GITHUB_RUN_ATTEMPT"), 1)),
        status="completed",
        conclusion="failure",
        html_url=html_url,
        head_repository=None,
        head_branch=env.get("GITHUB_REF_NAME") or _git(root, "rev-parse", "--abbrev-ref", "HEAD"),
        head_sha=env.get("GITHUB_SHA") or _git(root, "rev-parse", "HEAD") or "unknown",
        event=env.get("GITHUB_EVENT_NAME") or "local",
    )


def heal_validation(result: ValidationResult, healer: Healer, run: RunInfo) -> HealReport:
    """Classify each failed check and hand the failures to ``healer`` (grouped by fingerprint,
    like jobs of one run that fail the same way)."""
    grouped: dict[str, tuple[Failure, list[JobInfo]]] = {}
    for index, check in enumerate(result.failed, start=1):
        name = f"validate: {check.name}"
        context = JobContext(run.repository, run.workflow, name, run.id)
        prediction = healer.classifier.classify(diagnostic_log(check).encode("utf-8"), context)
        job = JobInfo(index, name, "failure", step_title(check), run.html_url)
        entry = grouped.setdefault(prediction.fingerprint, (Failure(prediction, ()), []))
        entry[1].append(job)
    failures = [Failure(first.prediction, tuple(jobs)) for first, jobs in grouped.values()]
    return healer.heal_failures(run, failures)
