"""``autoheal jobs list`` and ``autoheal jobs retry ID``: the commands' logic as plain functions.

``autoheal/cli.py`` registers them with typer. Both read ``AUTOHEAL_DATABASE_URL`` (default
``sqlite:///var/autoheal.db``) unless given a URL, and return the process exit code.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Final

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from service.storage import Database

EXIT_OK: Final = 0
EXIT_NOT_RETRIED: Final = 1  # no such job, or it is not dead
EXIT_CONFIG: Final = 2  # bad arguments, or the database cannot be opened

LIST_HELP: Final = (
    "List the durable jobs (most recent first): kind, status, attempts, next run, last error."
)
RETRY_HELP: Final = "Queue a dead job again, with a fresh set of attempts."
STATUS_HELP: Final = "Only jobs in this status: queued, running, done or dead."
LIMIT_HELP: Final = "How many jobs to show."
DATABASE_HELP: Final = (
    "Database URL (default: AUTOHEAL_DATABASE_URL, else sqlite:///var/autoheal.db)."
)


def _err(text: str) -> None:
    print(f"autoheal: {text}", file=sys.stderr)


def _when(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def _subject(payload: dict[str, object]) -> str:
    repository = payload.get("repository") or ""
    for key, label in (("run_id", "run "), ("number", "#"), ("key", "")):
        if payload.get(key) is not None:
            return f"{repository} {label}{payload[key]}".strip()
    return str(repository)


def _open(database_url: str | None) -> Database:
    from service.storage import Database, default_database_url

    database = Database(database_url or default_database_url())
    database.upgrade()
    return database


def jobs_list(
    status: str | None = None,
    limit: int = 50,
    database_url: str | None = None,
    *,
    console: Console | None = None,
) -> int:
    """Print the jobs as a table; the exit code."""
    from service.storage import JOB_STATUSES, StorageError, list_jobs

    if status is not None and status not in JOB_STATUSES:
        _err(f"--status must be one of {', '.join(JOB_STATUSES)}, got {status!r}")
        return EXIT_CONFIG
    if limit < 1:
        _err("--limit must be at least 1")
        return EXIT_CONFIG
    try:
        database = _open(database_url)
        jobs = list_jobs(database, status=status, limit=limit)
    except Exception as exc:  # a bad URL or an unreachable server: say which
        kind = "" if isinstance(exc, StorageError) else f"{type(exc).__name__}: "
        _err(f"cannot read the jobs: {kind}{exc}")
        return EXIT_CONFIG
    out = console or Console()
    if not jobs:
        out.print(f"no {status + ' ' if status else ''}jobs")
        return EXIT_OK
    table = Table(title=f"autoheal jobs{f' ({status})' if status else ''}")
    for column in ("id", "kind", "status", "attempts", "subject", "next run", "last error"):
        table.add_column(column, overflow="fold")
    for job in jobs:
        table.add_row(
            str(job.id),
            job.kind,
            job.status,
            f"{job.attempts}/{job.max_attempts}",
            _subject(dict(job.payload or {})),
            _when(job.run_after) if job.status == "queued" else "-",
            (job.last_error or "")[:300],
        )
    out.print(table)
    return EXIT_OK


def jobs_retry(job_id: int, database_url: str | None = None) -> int:
    """Re-queue dead job ``job_id``; the exit code."""
    from service.storage import StorageError, get_job, retry

    try:
        database = _open(database_url)
        if retry(database, job_id):
            print(f"job {job_id} queued again")
            return EXIT_OK
        job = get_job(database, job_id)
    except Exception as exc:
        kind = "" if isinstance(exc, StorageError) else f"{type(exc).__name__}: "
        _err(f"cannot retry job {job_id}: {kind}{exc}")
        return EXIT_CONFIG
    if job is None:
        _err(f"no job {job_id}")
    else:
        _err(f"job {job_id} is {job.status}, not dead: only dead jobs are retried")
    return EXIT_NOT_RETRIED


PRUNE_HELP: Final = (
    "Delete webhook deliveries and finished (done) jobs older than the retention window; "
    "dead, queued and running jobs, failures, events, feedback and the audit trail are kept."
)


def jobs_prune(days: int, database_url: str | None = None, *, dry_run: bool = False) -> int:
    """Prune old deliveries and done jobs; the exit code."""
    from service.storage import StorageError, prune

    if days < 1:
        _err("--days must be at least 1")
        return EXIT_CONFIG
    try:
        database = _open(database_url)
        if dry_run:
            with database.session() as session:
                pruned = prune(session, dt.timedelta(days=days))
                session.rollback()
        else:
            pruned = prune(database, dt.timedelta(days=days))
    except Exception as exc:
        kind = "" if isinstance(exc, StorageError) else f"{type(exc).__name__}: "
        _err(f"cannot prune: {kind}{exc}")
        return EXIT_CONFIG
    verb = "would delete" if dry_run else "deleted"
    print(
        f"{verb} {pruned.deliveries} webhook deliveries and {pruned.jobs} done jobs "
        f"older than {days} days"
    )
    return EXIT_OK
