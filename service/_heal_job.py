"""Heal jobs: run the remediation policy on one failed run, then record what it did.

The policy is the one ``autoheal heal`` runs (:func:`service.remediation.build_healer`), with
the service's seams: the audit trail and the circuit breaker in the database (shared by every
process), the repository pause switch, and the classifier the service has loaded.

Recording is idempotent per run: a failure's sighting counts once per run (``last_run_id``),
an issue or pull request once per number, so a retried or resumed heal counts nothing twice.
Event kinds written here: ``failure_seen``, ``issue_opened``, ``issue_reopened`` (a failure came
back after its issue was closed), ``pr_opened``, ``copilot_requested``, ``rerun_requested``,
``issue_blocked`` (the circuit breaker or a pause stopped a new issue).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from datasets.feedback import region_text
from model._extract import extract_region
from model.classifier import Prediction
from service._github_auth import github_token_for
from service.remediation import (
    AuditEntry,
    AuditSink,
    CircuitBreaker,
    ClassifierUnavailable,
    FailureClassifier,
    GitHubGateway,
    HealOptions,
    HealReport,
    JobContext,
    Outcome,
    RemediationSettings,
    build_healer,
)
from service.remediation._lock import LOCK_PREFIX
from service.settings import Settings
from service.storage import (
    AuditRecord,
    Database,
    DatabaseAuditSink,
    DatabaseCircuitBreaker,
    find_failure,
    is_paused,
    record_event,
    upsert_failure,
)
from service.storage._models import Job, utcnow
from service.worker import Finisher, JobFailed

log = logging.getLogger("autoheal.worker")

# Regions a worker remembers between classifying a run's logs and recording its failures.
MAX_REMEMBERED_REGIONS: Final = 256
# What remediation did first, as stored in ``failures.action``.
_FIRST_ACTION: Final = {
    "rerun": "rerun",
    "fix": "fix_pr",
    "triage": "triage_issue",
    "blocked": "skipped",
    "seen-again": "known_issue",
    "reopened": "known_issue",
}
# Outcomes whose issue was opened by this run (``resume``: an earlier attempt of it).
_OPENED_BY_RUN: Final = frozenset({"fix", "triage", "resume", "already-done"})


class HeldModelClassifier:
    """The classifier the service has loaded now (it may be reloaded between jobs).

    It remembers the redacted region text of what it classified last (by fingerprint), so
    that the failure row keeps what a correction of its category would be trained on.
    """

    def __init__(self, current: Callable[[], Any], threshold: float | None) -> None:
        self.current = current
        self.threshold = threshold
        self._regions: OrderedDict[str, str] = OrderedDict()

    def classify(self, log: bytes, context: JobContext) -> Prediction:
        classifier = self.current()
        if classifier is None:
            raise ClassifierUnavailable("the service has no model loaded yet")
        region = extract_region(log)
        prediction: Prediction = classifier.predict_region(region, threshold=self.threshold)
        self._regions[prediction.fingerprint] = region_text(region)
        self._regions.move_to_end(prediction.fingerprint)
        while len(self._regions) > MAX_REMEMBERED_REGIONS:
            self._regions.popitem(last=False)
        return prediction

    def region_text(self, fingerprint: str) -> str | None:
        """The redacted region last classified under ``fingerprint``, if remembered."""
        return self._regions.get(fingerprint)


class PauseAwareBreaker:
    """The database circuit breaker, closed while the repository is paused by an alert."""

    def __init__(self, db: Database, inner: CircuitBreaker) -> None:
        self.db = db
        self.inner = inner

    def allows(self, repository: str) -> bool:
        return not is_paused(self.db, repository) and self.inner.allows(repository)

    def acquire(self, repository: str) -> bool:
        return not is_paused(self.db, repository) and self.inner.acquire(repository)


class JobAuditSink:
    """Tags every audit record with the job that wrote it (to find the job's own locks)."""

    def __init__(self, inner: AuditSink, job_id: int) -> None:
        self.inner = inner
        self.job_id = job_id

    def record(self, entry: AuditEntry) -> None:
        self.inner.record(dataclasses.replace(entry, detail={**entry.detail, "job": self.job_id}))


def remediation_settings(settings: Settings, repository: str) -> RemediationSettings:
    """How to heal ``repository``: its token (the GitHub App's for it, or the one token)."""
    token = github_token_for(settings, repository)
    if token is None:
        raise JobFailed(
            "neither GITHUB_TOKEN nor AUTOHEAL_GITHUB_APP_ID is set: the worker cannot write "
            "to GitHub"
        )
    return RemediationSettings(
        github_token=token,
        api_url=settings.github_api_url,
        copilot_token=settings.token("copilot"),
        breaker_limit=settings.max_issues_per_hour,
        throttle=settings.github_throttle,
    )


LOCK_ACTIONS: Final = ("lock", "lock-takeover", "unlock")


def release_stale_locks(db: Database, gateway: GitHubGateway, job: Job, audit: AuditSink) -> int:
    """Delete lock branches this job took on an earlier attempt and never released (its
    process died holding them), at once rather than when they go stale. Only a branch that
    still points at the commit this job put there: a lock taken over since is another heal's."""
    since = job.created_at - dt.timedelta(minutes=1)
    with db.session() as session:
        rows = session.scalars(
            select(AuditRecord)
            .where(AuditRecord.repository == job.payload.get("repository"))
            .where(AuditRecord.action.in_(LOCK_ACTIONS), AuditRecord.at >= since)
            .order_by(AuditRecord.id)
        ).all()
    held: dict[str, AuditRecord] = {}
    for row in rows:
        if (row.detail or {}).get("job") != job.id or not row.target:
            continue
        if row.action != "unlock":
            held[row.target] = row
        else:
            held.pop(row.target, None)
    released = 0
    for branch, row in held.items():
        if not branch.startswith(LOCK_PREFIX):
            continue
        current = gateway.branch_commit(branch)
        sha = (row.detail or {}).get("sha")
        if current is None or (sha is not None and current.sha != sha):
            continue  # released, or taken over by another heal since: not this job's any more
        gateway.delete_branch(branch)
        released += 1
        audit.record(
            AuditEntry(
                "release-stale-lock",
                row.repository,
                int((row.detail or {}).get("run_id") or 0),
                "done",
                (row.detail or {}).get("fingerprint"),
                branch,
            )
        )
    return released


def _lock_row(session: Session, repository: str, fingerprint: str) -> Any:
    found = find_failure(session, repository, fingerprint)
    if found is not None:
        session.refresh(found, with_for_update=True)
    return found


def record_outcome(
    session: Session,
    repository: str,
    payload: Mapping[str, Any],
    outcome: Outcome,
    *,
    copilot: bool,
    paused: bool,
    region: str | None = None,
) -> None:
    """Write one failure's row and events (idempotent for the same run). ``region`` is the
    redacted text the failure was classified on."""
    run_id = int(payload["run_id"])
    now = utcnow()
    existing = _lock_row(session, repository, outcome.fingerprint)
    new_run = existing is None or existing.last_run_id != run_id
    fields: dict[str, Any] = {
        "category": outcome.category,
        "confidence": float(outcome.confidence),
        "last_run_id": run_id,
    }
    if payload.get("workflow"):
        fields["workflow"] = str(payload["workflow"])
    if region is not None:
        fields["region"] = region
    first = _FIRST_ACTION.get(outcome.action)
    if outcome.action in ("resume", "already-done"):
        first = "fix_pr" if outcome.pull else "triage_issue"
    if first and (existing is None or existing.action is None):
        fields["action"] = first
    new_issue = bool(outcome.issue) and (existing is None or existing.issue_number != outcome.issue)
    new_pull = bool(outcome.pull) and (existing is None or existing.pr_number != outcome.pull)
    came_back = existing is not None and (
        outcome.action == "reopened" or (new_issue and existing.issue_closed_at is not None)
    )
    if outcome.issue:
        fields["issue_number"] = outcome.issue
    if outcome.pull:
        fields["pr_number"] = outcome.pull
    if outcome.branch:
        fields["branch"] = outcome.branch
    if came_back:
        fields["issue_closed_at"] = None
        fields["reopened"] = existing.reopened + 1
    if new_pull and copilot:
        fields["copilot_requested_at"] = now
    # ``seen`` even when no row was found: another process may insert it at the same moment,
    # and the upsert then counts this sighting on the row it created (a new row starts at one).
    upsert_failure(session, repository, outcome.fingerprint, seen=new_run, **fields)

    def event(kind: str, **data: Any) -> None:
        data = {"run_id": run_id, **{k: v for k, v in data.items() if v is not None}}
        record_event(
            session, repository, kind, fingerprint=outcome.fingerprint,
            category=outcome.category, data=data, at=now,
        )  # fmt: skip

    if new_run:
        event("failure_seen", action=outcome.action, confidence=round(outcome.confidence, 4))
        if outcome.action == "rerun":
            event("rerun_requested")
        if outcome.action == "blocked":
            event("issue_blocked", reason="paused" if paused else "circuit_breaker")
    if new_issue and outcome.action in _OPENED_BY_RUN:
        event("issue_opened", issue=outcome.issue)
    if came_back and new_run:
        event("issue_reopened", issue=outcome.issue)
    if new_pull:
        event("pr_opened", pull=outcome.pull, branch=outcome.branch)
        if copilot:
            event("copilot_requested", pull=outcome.pull)


class HealJob:
    """The ``heal`` job handler."""

    def __init__(self, settings: Settings, classifier: FailureClassifier) -> None:
        self.settings = settings
        self.classifier = classifier

    def options(self) -> HealOptions:
        return HealOptions(
            allow_forks=self.settings.allow_forks,
            threshold=self.settings.threshold,
            repo_threshold_floor=self.settings.repo_threshold_floor,
        )

    def __call__(self, db: Database, job: Job) -> Finisher:
        payload = dict(job.payload)
        repository, run_id = str(payload["repository"]), int(payload["run_id"])
        audit = JobAuditSink(DatabaseAuditSink(db), job.id)
        breaker = PauseAwareBreaker(
            db, DatabaseCircuitBreaker(db, max_per_hour=self.settings.max_issues_per_hour)
        )
        healer = build_healer(
            remediation_settings(self.settings, repository), repository, self.options(),
            classifier=self.classifier, audit=audit, breaker=breaker,
            say=lambda text: log.debug(text, extra={"job_id": job.id}),
            alert=lambda text: log.warning(text, extra={"job_id": job.id}),
        )  # fmt: skip
        if job.attempts > 1 and release_stale_locks(db, healer.gh, job, audit):
            log.warning("released a lock left by a dead attempt", extra={"job_id": job.id})
        paused = is_paused(db, repository)
        report = healer.heal(repository, run_id)
        self._fill_pulls(healer.gh, report)
        copilot = self.settings.token("copilot") is not None

        remembered = self.classifier if isinstance(self.classifier, HeldModelClassifier) else None

        def finish(session: Session) -> None:
            for outcome in report.outcomes:
                region = remembered.region_text(outcome.fingerprint) if remembered else None
                record_outcome(
                    session, repository, payload, outcome, copilot=copilot, paused=paused,
                    region=region,
                )  # fmt: skip

        if report.errors:
            raise JobFailed("; ".join(report.errors), finish)
        return finish

    @staticmethod
    def _fill_pulls(gateway: GitHubGateway, report: HealReport) -> None:
        """An ``already-done`` outcome names its issue only: look its pull request up."""
        for outcome in report.outcomes:
            if outcome.action == "already-done" and outcome.pull is None:
                try:
                    pull = gateway.find_pull(outcome.fingerprint)
                except Exception:  # a read for the record only; the heal itself succeeded
                    continue
                if pull is not None:
                    outcome.pull, outcome.branch = pull.number, pull.head
