"""``autoheal dataset import``: real failed job logs from GitHub, pre-labelled for review.

The failed workflow runs of a repository created since a date are listed (newest first, at most
``limit``), the log of each failed job is downloaded (its last ``max_log_bytes`` at most), its
decisive lines are extracted and redacted, and the current model suggests a label. The review
file lists one row per distinct failure (same fingerprint: one row, counted), least confident
first, so a maintainer labels first the logs that teach the model most.

A row is unreviewed while its ``label`` is ``null``: training refuses such a file with the file
and line at fault. Fill in ``label`` (the suggestion or another category), or set ``skip`` to
``true`` for a row you leave out; then ``autoheal train --data FILE`` trains on it. A later
import with ``--update`` merges into the file: its rows, labels and skips stay, a failure seen
again is counted on its row (each job once), and only new failures add rows to review.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from github import Github
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from datasets._import._github import failed_job_logs
from datasets._import._review import (
    ReviewFileError,
    ReviewSet,
    read_review_file,
    review_row,
    write_review_file,
)
from model._extract import extract_region
from model.classifier import Classifier
from service.remediation._retry import RetryPolicy

__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_MAX_LOG_BYTES",
    "REVIEW_DIR",
    "ImportReport",
    "default_output",
    "import_command",
    "import_failed_logs",
    "parse_since",
]

REVIEW_DIR: Final = Path("var/data/review")
DEFAULT_LIMIT: Final = 200
DEFAULT_MAX_LOG_BYTES: Final = 64 * 1024 * 1024
_REPO: Final = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


class ImportConfigError(ValueError):
    """The import cannot start: a malformed argument, an existing output file."""


@dataclass
class ImportReport:
    path: Path
    runs: int = 0
    jobs: int = 0
    written: int = 0
    duplicates: int = 0
    kept: int = 0  # rows of the earlier review file (with --update)
    already_counted: int = 0  # jobs the earlier file already counted
    skipped: list[tuple[str, str]] = field(default_factory=list)
    suggested: Counter[str] = field(default_factory=Counter)


def parse_since(text: str) -> str:
    """``YYYY-MM-DD`` or an ISO 8601 timestamp, as GitHub's ``created`` filter expects it."""
    value = text.strip()
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value).isoformat()
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ImportConfigError(
            f"--since must be a date (YYYY-MM-DD) or an ISO timestamp, got {text!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_repository(name: str) -> str:
    if not _REPO.match(name):
        raise ImportConfigError(f"--repo must be OWNER/NAME, got {name!r}")
    return name


def default_output(repository: str, since: str) -> Path:
    owner, _, name = repository.partition("/")
    day = since[:10]
    return REVIEW_DIR / f"{owner}__{name}-{day}.jsonl"


def import_failed_logs(
    github: Github,
    repository: str,
    since: str,
    classifier: Classifier,
    out: Path,
    *,
    limit: int = DEFAULT_LIMIT,
    max_log_bytes: int = DEFAULT_MAX_LOG_BYTES,
    policy: RetryPolicy | None = None,
    per_page: int = 100,
    console: Console | None = None,
    earlier: list[dict[str, Any]] | None = None,
) -> ImportReport:
    """Fetch, extract, redact, pre-label, de-duplicate and write the review file; with
    ``earlier`` (the rows of the review file being updated), merge into those rows."""
    console = console or Console(stderr=True)
    report = ImportReport(out)
    rows = ReviewSet()
    rows.seed(earlier or [])
    report.kept = len(earlier or [])
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task(f"importing {repository}", total=None, detail="")

        def show() -> None:
            detail = (
                f"{report.runs} runs, {report.jobs} failed jobs, "
                f"{len(report.skipped)} skipped, {rows.duplicates} duplicates"
            )
            progress.update(task, detail=detail)

        def on_run(jobs: int) -> None:
            report.runs += 1
            report.jobs += jobs
            show()

        def on_skip(where: str, reason: str) -> None:
            report.skipped.append((where, reason))
            show()

        for fetched in failed_job_logs(
            github,
            repository,
            since,
            limit=limit,
            max_log_bytes=max_log_bytes,
            policy=policy or RetryPolicy(),
            per_page=per_page,
            on_run=on_run,
            on_skip=on_skip,
        ):
            region = extract_region(fetched.content)
            if not region.evidence:
                on_skip(f"run {fetched.run_id} job {fetched.job_id}", "no error lines found")
                continue
            rows.add(review_row(fetched, region, classifier.predict_region(region)))
            show()
    ordered = rows.ordered()
    report.written = write_review_file(out, ordered)
    report.duplicates = rows.duplicates
    report.already_counted = rows.already_counted
    report.suggested.update(row["suggested"] for row in ordered if row.get("suggested"))
    return report


def _err(text: str) -> None:
    print(f"autoheal: {text}", file=sys.stderr)


def import_command(
    repository: str,
    since: str,
    *,
    limit: int,
    out: Path | None,
    model_uri: str,
    max_log_mb: float,
    overwrite: bool,
    update: bool = False,
) -> int:
    """The command's logic; returns the exit code (0 done, 1 GitHub failed, 2 cannot start)."""
    from github import GithubException

    from model.classifier import ModelLoadError
    from service.remediation._pygithub import DEFAULT_API_URL, make_github
    from service.remediation._retry import GitHubUnavailable, describe
    from service.remediation._settings import ConfigError, github_token_from_env

    try:
        check_repository(repository)
        day = parse_since(since)
        target = out or default_output(repository, day)
        if overwrite and update:
            raise ImportConfigError("--overwrite and --update exclude each other")
        earlier: list[dict[str, Any]] | None = None
        if update and target.exists():
            earlier = read_review_file(target)
        elif target.exists() and not overwrite:
            raise ImportConfigError(
                f"{target} exists (it may hold reviewed labels): pass --update to merge into "
                "it, --out, or --overwrite"
            )
        token = github_token_from_env(os.environ, repository)
        classifier = Classifier.load(model_uri)
    except (ImportConfigError, ReviewFileError, ModelLoadError, ConfigError) as exc:
        _err(str(exc))
        return 2
    throttle = os.environ.get("AUTOHEAL_GITHUB_THROTTLE", "").strip().lower()
    github = make_github(
        token,
        os.environ.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL,
        throttle=throttle not in ("0", "false", "no", "off"),
    )
    console = Console(stderr=True)
    try:
        report = import_failed_logs(
            github,
            repository,
            day,
            classifier,
            target,
            limit=limit,
            max_log_bytes=max(int(max_log_mb * 1024 * 1024), 1024),
            console=console,
            earlier=earlier,
        )
    except GitHubUnavailable as exc:
        _err(str(exc))
        return 1
    except GithubException as exc:
        _err(f"GitHub refused: {describe(exc)}")
        return 1
    reasons = Counter(reason for _, reason in report.skipped)
    merged = (
        f", {report.kept} rows kept from the earlier file, "
        f"{report.already_counted} jobs it already counted"
        if earlier is not None
        else ""
    )
    console.print(
        f"wrote {report.written} logs to review to {report.path} "
        f"({report.runs} failed runs, {report.jobs} failed jobs, "
        f"{report.duplicates} duplicates merged, {len(report.skipped)} skipped{merged})"
    )
    for reason, count in reasons.most_common():
        console.print(f"  skipped {count}: {reason}")
    if report.written:
        console.print(
            'fill in each row\'s label (the suggestion or another category) or set "skip": '
            f"true, then: autoheal train --data {report.path}"
        )
    return 0
