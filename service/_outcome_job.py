"""Outcome jobs: what became of autoheal's issues and pull requests, written to ``failures`` and
``events`` (the raw material of :mod:`service.outcomes`).

Each change is written once: a timestamp column is set only while it is empty, and its event is
recorded in the same step, so a job that runs twice (a redelivery under another id, a retry)
counts nothing twice. Pull requests and issues that autoheal did not open are left alone.

Event kinds written here: ``pr_merged``, ``pr_closed``, ``copilot_responded``, ``fix_passed``
(a green run on a fix's branch), ``resolved`` (the fix merged and the workflow's next run on
the default branch was green; it also records the category as confirmed feedback),
``issue_closed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.storage import (
    Database,
    confirm_fix,
    find_failure_by_branch,
    find_failure_by_issue,
    find_failure_by_pr,
    record_event,
)
from service.storage._models import Failure, Job, utcnow
from service.worker import Finisher


def parse_time(value: object) -> dt.datetime:
    """GitHub's ISO 8601 time, or now when absent or unreadable."""
    if isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return utcnow()
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return utcnow()


def _event(session: Session, failure: Failure, kind: str, at: dt.datetime, **data: Any) -> None:
    record_event(
        session,
        failure.repository,
        kind,
        fingerprint=failure.fingerprint,
        category=failure.category,
        data={key: value for key, value in data.items() if value is not None},
        at=at,
    )


def _locked(session: Session, failure: Failure | None) -> Failure | None:
    """The row re-read under a row lock (PostgreSQL), so that two jobs changing the same
    failure at once take turns and the second sees the first's change."""
    if failure is not None:
        session.refresh(failure, with_for_update=True)
    return failure


def _by_pull(session: Session, payload: Mapping[str, Any]) -> Failure | None:
    """The failure whose fix is this pull request: by number, branch, or the issue it closes."""
    repository, number = str(payload["repository"]), int(payload["number"])
    found = find_failure_by_pr(session, repository, number)
    branch = payload.get("head_branch")
    if found is None and isinstance(branch, str) and branch:
        found = find_failure_by_branch(session, repository, branch)
    for issue in payload.get("closes") or []:
        if found is not None:
            break
        found = find_failure_by_issue(session, repository, int(issue))
    return _locked(session, found)


def _pr_closed(session: Session, payload: Mapping[str, Any]) -> None:
    failure = _by_pull(session, payload)
    if failure is None:
        return
    at = parse_time(payload.get("at"))
    number = int(payload["number"])
    if payload.get("merged"):
        if failure.merged_at is None:
            failure.merged_at = at
            failure.pr_number = failure.pr_number or number
            _event(session, failure, "pr_merged", at, pull=number)
    elif failure.pr_closed_at is None and failure.merged_at is None:
        failure.pr_closed_at = at
        _event(session, failure, "pr_closed", at, pull=number)


def _copilot_responded(session: Session, payload: Mapping[str, Any]) -> None:
    repository, number = str(payload["repository"]), int(payload["number"])
    failure = _locked(
        session,
        find_failure_by_pr(session, repository, number)
        or find_failure_by_issue(session, repository, number),
    )
    if failure is None or failure.copilot_responded_at is not None:
        return
    at = parse_time(payload.get("at"))
    failure.copilot_responded_at = at
    _event(session, failure, "copilot_responded", at, number=number, via=payload.get("via"))


def _fix_passed(session: Session, payload: Mapping[str, Any]) -> None:
    branch = str(payload.get("head_branch") or "")
    failure = find_failure_by_branch(session, str(payload["repository"]), branch)
    if failure is None:
        return
    at = parse_time(payload.get("at"))
    _event(session, failure, "fix_passed", at, run_id=payload.get("run_id"), branch=branch)


def _default_green(session: Session, payload: Mapping[str, Any]) -> None:
    """The workflow's run on the default branch after a merged fix was green: resolved."""
    at = parse_time(payload.get("at"))
    waiting = session.scalars(
        select(Failure)
        .where(Failure.repository == str(payload["repository"]))
        .where(Failure.workflow == str(payload.get("workflow") or ""))
        .where(Failure.merged_at.is_not(None), Failure.resolved_at.is_(None))
        .with_for_update()
    ).all()
    for failure in waiting:
        merged = failure.merged_at
        if merged is not None and merged <= at:
            failure.resolved_at = at
            _event(session, failure, "resolved", at, run_id=payload.get("run_id"))
            # The fix held: the category it was made for was right (a person's label wins).
            run = payload.get("run_id") or at.isoformat()
            confirm_fix(session, failure, reference=f"confirmed_fix:{failure.id}:{run}")


def _issue_closed(session: Session, payload: Mapping[str, Any]) -> None:
    repository, number = str(payload["repository"]), int(payload["number"])
    failure = _locked(session, find_failure_by_issue(session, repository, number))
    if failure is None or failure.issue_closed_at is not None:
        return
    at = parse_time(payload.get("at"))
    failure.issue_closed_at = at
    _event(session, failure, "issue_closed", at, issue=number)


_KINDS = {
    "pr_closed": _pr_closed,
    "copilot_responded": _copilot_responded,
    "fix_passed": _fix_passed,
    "default_green": _default_green,
    "issue_closed": _issue_closed,
}


def outcome_job(db: Database, job: Job) -> Finisher:
    """Handler for ``outcome`` jobs: all the work happens in the completing transaction."""
    payload = dict(job.payload)
    apply = _KINDS.get(str(payload.get("kind")))
    if apply is None:
        raise ValueError(f"unknown outcome kind {payload.get('kind')!r}")

    def finish(session: Session) -> None:
        apply(session, payload)

    return finish
