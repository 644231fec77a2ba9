"""Running the declared checks in order, with progress on stderr."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from autoheal.validate._commands import check_command
from autoheal.validate._config import LoadedConfig
from autoheal.validate._dataset import check_dataset
from autoheal.validate._results import CheckKind, CheckResult, Problem, ValidationResult
from autoheal.validate._schema import check_schema

if TYPE_CHECKING:
    from rich.console import Console

Step = tuple[str, CheckKind, Callable[[], CheckResult]]


def _steps(loaded: LoadedConfig) -> list[Step]:
    config, root = loaded.config, loaded.root
    limit, size = config.max_errors, config.max_file_bytes
    steps: list[Step] = []
    for command in config.commands:
        steps.append((command.name, "command", partial(check_command, command, root)))
    for schema in config.schemas:
        steps.append((schema.name, "schema", partial(check_schema, schema, root, limit, size)))
    for dataset in config.datasets:
        steps.append((dataset.name, "dataset", partial(check_dataset, dataset, root, limit, size)))
    return steps


def _run_step(step: Step) -> CheckResult:
    name, kind, run = step
    started = time.monotonic()
    try:
        result = run()
    except MemoryError:
        result = CheckResult(name, kind)
        result.fail(Problem("out of memory while checking (lower max_file_mb)"), 1)
        result.summary = "out of memory"
    except Exception as exc:  # a check that breaks fails alone; the others still run
        result = CheckResult(name, kind)
        result.fail(Problem(f"the check itself failed: {type(exc).__name__}: {exc}"), 1)
        result.summary = "could not run"
    result.seconds = time.monotonic() - started
    return result


def run_validation(loaded: LoadedConfig, *, console: Console | None = None) -> ValidationResult:
    """Run every check. With ``console``, show a live bar (on a terminal) and a line per check."""
    result = ValidationResult(str(loaded.path))
    steps = _steps(loaded)
    if console is None:
        result.checks = [_run_step(step) for step in steps]
        return result
    from rich.markup import escape
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as bar:
        task = bar.add_task("validate", total=len(steps))
        for step in steps:
            bar.update(task, description=f"{step[1]} {step[0]}")
            check = _run_step(step)
            result.checks.append(check)
            mark = "[green]pass[/green]" if check.ok else "[bold red]FAIL[/bold red]"
            console.print(
                f"{mark} {check.kind} {escape(check.name)}: {escape(check.summary)}",
                highlight=False,
            )
            bar.advance(task)
    return result
