"""``autoheal heal``: the command's logic as a plain function, and its option help texts.

``autoheal/cli.py`` registers it with typer. Importing this module is cheap (the package
``__init__`` is, too, apart from PyGithub and httpx).
"""

from __future__ import annotations

import sys
from typing import Final

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1  # GitHub, the log or the classifier failed: the run was not (fully) healed
EXIT_CONFIG: Final = 2  # cannot start: missing token, bad arguments, no model
EXIT_BREAKER: Final = 3  # the circuit breaker stopped new issues: an alert was raised

HELP: Final = (
    "Heal one failed GitHub Actions run: classify the failed jobs' logs, then re-run transient "
    "failures, open issues with diagnostics and draft fix PRs, or comment on known failures. "
    "Needs GITHUB_TOKEN (or a GitHub App: AUTOHEAL_GITHUB_APP_ID and its private key); optional "
    "GITHUB_API_URL, COPILOT_TOKEN, AUTOHEAL_SERVICE_URL."
)
REPO_HELP: Final = "The repository, OWNER/NAME."
RUN_ID_HELP: Final = "The workflow run id (github.event.workflow_run.id)."
DRY_RUN_HELP: Final = "Print what would be done; write nothing to GitHub."
ALLOW_FORKS_HELP: Final = (
    "Also heal runs whose head repository is a fork (their logs are attacker-controlled)."
)
THRESHOLD_HELP: Final = (
    "Confidence (0-1) needed to re-run, or to open a fix PR; below it a needs-triage issue is "
    "opened. Default: the classifier's threshold."
)


def _err(text: str) -> None:
    print(f"autoheal: {text}", file=sys.stderr)


def heal_command(
    repo: str, run_id: int, dry_run: bool, allow_forks: bool, threshold: float | None
) -> int:
    """Heal run ``run_id`` of ``repo``; return the process exit code."""
    # Imported here so that reading the help texts above stays instant.
    from github import GithubException

    from service.remediation._classify import ClassifierUnavailable
    from service.remediation._heal import HealOptions
    from service.remediation._retry import GitHubUnavailable, describe
    from service.remediation._settings import ConfigError, RemediationSettings, build_healer

    if threshold is not None and not 0.0 <= threshold <= 1.0:
        _err("--threshold must be between 0 and 1")
        return EXIT_CONFIG
    try:
        settings = RemediationSettings.from_env(repository=repo)
        options = HealOptions(allow_forks=allow_forks, threshold=threshold, dry_run=dry_run)
        healer = build_healer(settings, repo, options)
    except (ConfigError, ClassifierUnavailable) as exc:
        _err(str(exc))
        return EXIT_CONFIG
    try:
        report = healer.heal(repo, run_id)
    except (GitHubUnavailable, ClassifierUnavailable) as exc:
        _err(str(exc))
        return EXIT_FAILED
    except GithubException as exc:
        _err(f"GitHub refused: {describe(exc)}")
        return EXIT_FAILED
    for error in report.errors:
        _err(error)
    if report.errors:
        return EXIT_FAILED
    if report.alerts:
        return EXIT_BREAKER
    return EXIT_OK
