"""``autoheal validate``: the command's logic as a plain function (``autoheal/cli.py`` registers it).

Exit codes: 0 every check passed, 1 a check failed (or, with ``--heal``, remediation failed),
2 the configuration or the command line is wrong, or the heal cannot start.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Final

from autoheal.validate._config import ConfigError, load_config
from autoheal.validate._report import write_reports
from autoheal.validate._results import ValidationResult
from autoheal.validate._run import run_validation

if TYPE_CHECKING:
    from service.remediation._heal import Healer

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
EXIT_CONFIG: Final = 2
DEFAULT_REPORT_DIR: Final = Path(".autoheal/validate")


def _err(text: str) -> None:
    print(f"autoheal: {text}", file=sys.stderr)


def _healer(
    repository: str, dry_run: bool, threshold: float | None, env: Mapping[str, str]
) -> Healer | None:
    from service.remediation._classify import ClassifierUnavailable
    from service.remediation._heal import HealOptions
    from service.remediation._settings import ConfigError as HealConfigError
    from service.remediation._settings import RemediationSettings, build_healer

    try:
        settings = RemediationSettings.from_env(env, repository=repository)
        options = HealOptions(threshold=threshold, dry_run=dry_run)
        return build_healer(settings, repository, options)
    except (HealConfigError, ClassifierUnavailable) as exc:
        _err(f"--heal: {exc}")
        return None


def _heal(
    result: ValidationResult,
    healer: Healer,
    repository: str,
    root: Path,
    env: Mapping[str, str],
) -> bool:
    """Hand the failures to remediation; False when it could not finish."""
    from github import GithubException

    from autoheal.validate._heal import heal_validation, validation_run
    from service.remediation._classify import ClassifierUnavailable
    from service.remediation._retry import GitHubUnavailable, describe

    run = validation_run(repository, root, env)
    try:
        report = heal_validation(result, healer, run)
    except (GitHubUnavailable, ClassifierUnavailable) as exc:
        _err(f"--heal: {exc}")
        return False
    except GithubException as exc:
        _err(f"--heal: GitHub refused: {describe(exc)}")
        return False
    result.heal = {
        "repository": repository,
        "run_id": run.id,
        "outcomes": [asdict(outcome) for outcome in report.outcomes],
        "errors": report.errors,
        "alerts": report.alerts,
    }
    for error in report.errors:
        _err(f"--heal: {error}")
    return report.ok


def validate_command(
    config: Path | None,
    *,
    repo: str | None = None,
    heal: bool = False,
    report_dir: Path = DEFAULT_REPORT_DIR,
    quiet: bool = False,
    dry_run: bool = False,
    threshold: float | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    """Run the declared checks, write the reports, optionally heal; return the exit code."""
    env = os.environ if env is None else env
    if dry_run and not heal:
        _err("--dry-run applies to --heal only")
        return EXIT_CONFIG
    try:
        loaded = load_config(config)
    except ConfigError as exc:
        _err(str(exc))
        return EXIT_CONFIG
    healer = None
    repository = repo or env.get("GITHUB_REPOSITORY", "").strip()
    if heal:
        if not repository:
            _err("--heal needs --repo OWNER/NAME (or GITHUB_REPOSITORY)")
            return EXIT_CONFIG
        healer = _healer(repository, dry_run, threshold, env)
        if healer is None:
            return EXIT_CONFIG
    console = None
    if not quiet:
        from rich.console import Console

        console = Console(stderr=True)
    result = run_validation(loaded, console=console)
    healed = True
    if healer is not None and not result.ok:
        healed = _heal(result, healer, repository, loaded.root, env)
    try:
        _, markdown = write_reports(result, report_dir)
    except OSError as exc:
        _err(f"cannot write the report to {report_dir}: {exc.strerror or exc}")
        return EXIT_FAILED if not result.ok else EXIT_CONFIG
    failed = len(result.failed)
    status = "all passed" if result.ok else f"{failed} failed"
    print(f"validate: {len(result.checks)} check(s), {status}; report: {markdown}")
    return EXIT_OK if result.ok and healed else EXIT_FAILED
