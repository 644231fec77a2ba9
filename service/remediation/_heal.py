"""Heal one failed workflow run: classify its failed jobs and act on each distinct failure.

Concurrency: before opening anything for a failure, a healer takes the failure's lock, the branch
``autoheal/lock/<fingerprint>`` (:mod:`service.remediation._lock`); the first one wins, re-checks
for an issue under the lock, opens what the policy asks for, and deletes the lock branch. A loser
waits for the winner's issue to appear and then comments on it like any later run would. A lock
left by a healer that stopped is taken over once it is ``lock_stale_after`` seconds old.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar

from model.classifier import Prediction
from service.remediation import _payloads as payloads
from service.remediation._audit import AuditEntry, AuditSink, utc_now
from service.remediation._breaker import CircuitBreaker
from service.remediation._classify import FailureClassifier, JobContext
from service.remediation._gateway import GitHubGateway
from service.remediation._lock import FailureLock, holder_of, lock_branch
from service.remediation._markers import has_marker, markers_in
from service.remediation._policy import (
    Action,
    RunVerdict,
    choose_action,
    is_confident,
    judge_run,
)
from service.remediation._repo_config import (
    CONFIG_PATH,
    DEFAULT_POLICY,
    RepoConfigError,
    parse_repo_config,
)
from service.remediation._types import Failure, IssueRef, JobInfo, PullRef, RunInfo

T = TypeVar("T")


class HealError(RuntimeError):
    """A failure could not be handled (the run's other failures still are)."""


@dataclass(frozen=True)
class HealOptions:
    allow_forks: bool = False
    threshold: float | None = None  # None: the classifier's own threshold
    # The lowest threshold a repository's own file may ask for (None: any); a platform team's
    # say over repositories that would open fix PRs on weaker evidence than it allows.
    repo_threshold_floor: float | None = None
    dry_run: bool = False
    lock_wait: float = 60.0  # how long a loser waits for the winner's issue
    lock_poll: float = 1.0
    # A lock older than this was left by a healer that stopped (see `_lock`): taken over.
    lock_stale_after: float = 600.0
    now: Callable[[], datetime] = utc_now
    sleep: Callable[[float], None] = time.sleep


@dataclass
class Outcome:
    """What happened to one failure of the run."""

    fingerprint: str
    category: str
    confidence: float
    jobs: tuple[str, ...]
    action: str = ""
    issue: int | None = None
    pull: int | None = None
    branch: str | None = None
    error: str | None = None


@dataclass
class HealReport:
    repository: str
    run_id: int
    verdict: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.alerts


class Healer:
    def __init__(
        self,
        gateway: GitHubGateway,
        classifier: FailureClassifier,
        *,
        audit: AuditSink,
        breaker: CircuitBreaker,
        copilot: GitHubGateway | None = None,
        options: HealOptions | None = None,
        say: Callable[[str], None] = lambda _: None,
        alert: Callable[[str], None] = lambda _: None,
    ) -> None:
        self.gh = gateway
        self.classifier = classifier
        self.audit = audit
        self.breaker = breaker
        self.copilot = copilot
        self.options = options or HealOptions()
        self._say_out = say
        self._alert_out = alert
        self._report = HealReport("", 0)
        self._run: RunInfo | None = None
        self._policy = DEFAULT_POLICY
        self._locks = FailureLock(
            gateway, stale_after=self.options.lock_stale_after, now=self.options.now
        )

    # -- reporting -------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self._report.lines.append(text)
        self._say_out(text)

    def _write(
        self, action: str, fingerprint: str | None, what: str, fn: Callable[[], T], dry: T
    ) -> T:
        """Send one GitHub write (or, in a dry run, only say it), and record it in the audit."""
        run = self._run
        assert run is not None
        if self.options.dry_run:
            self._say(f"  would {what}")
            return dry
        try:
            result = fn()
        except Exception as exc:
            self.audit.record(
                AuditEntry(
                    action, run.repository, run.id, "failed", fingerprint, what, {"error": str(exc)}
                )
            )
            raise
        self.audit.record(
            AuditEntry(action, run.repository, run.id, "done", fingerprint, what, _detail(result))
        )
        self._say(f"  {what}")
        return result

    # -- entry point -----------------------------------------------------------------------
    def heal(self, repository: str, run_id: int) -> HealReport:
        self._report = HealReport(repository, run_id)
        run = self.gh.get_run(run_id)
        self._run = run
        verdict = judge_run(run, allow_forks=self.options.allow_forks)
        self._report.verdict = verdict.value
        prefix = "[dry run] " if self.options.dry_run else ""
        if verdict is RunVerdict.NOT_FAILED:
            self._say(
                f"{prefix}run {run_id} did not fail ({run.status}/{run.conclusion}): nothing to do"
            )
            return self._report
        if verdict is RunVerdict.FORK:
            self._say(
                f"{prefix}run {run_id} comes from the fork {run.head_repository}: skipped "
                "(its log is controlled by the fork; use --allow-forks to heal it)"
            )
            return self._report
        self._say(f"{prefix}run {run_id} of {run.workflow!r} failed (attempt {run.run_attempt})")
        if not self._load_policy():
            return self._report
        rerun = self._act(self._classify(run))
        if rerun:
            self._rerun(run, rerun)
        return self._report

    def heal_failures(self, run: RunInfo, failures: Sequence[Failure]) -> HealReport:
        """Act on failures found and classified outside a run's job logs (``autoheal validate``).

        ``run`` describes where they were seen (a workflow run, or a local run with an id of the
        caller's choosing). Each failure takes the same path as one read from a failed job: found
        by its fingerprint marker, commented on when known, else issue, branch, draft PR and
        hand-off. A transient failure on a first attempt opens nothing: the run that saw it is
        still going on, so it cannot be re-run from here; a later attempt opens the issue.
        """
        self._report = HealReport(run.repository, run.id, verdict=RunVerdict.HEAL.value)
        self._run = run
        prefix = "[dry run] " if self.options.dry_run else ""
        self._say(f"{prefix}{len(failures)} failure(s) seen in {run.workflow!r} (run {run.id})")
        if not self._load_policy():
            return self._report
        for failure in self._act(failures):
            self._say(
                f"  {failure.fingerprint}: cannot re-run from inside run {run.id}, so nothing "
                "is opened; the same failure on a later attempt opens an issue"
            )
        return self._report

    def _load_policy(self) -> bool:
        """Read the repository's ``.github/autoheal.toml``; False when it turns autoheal off."""
        data = self.gh.read_file(CONFIG_PATH)
        self._policy = DEFAULT_POLICY
        if data is not None:
            try:
                self._policy = parse_repo_config(data)
            except RepoConfigError as exc:
                self._say(f"  {CONFIG_PATH} is ignored (defaults apply): {exc}")
        asked, floor = self._policy.threshold, self.options.repo_threshold_floor
        if asked is not None and floor is not None and asked < floor:
            self._say(
                f"  {CONFIG_PATH} asks for threshold {asked:g}; this service allows no lower "
                f"than {floor:g}, which applies"
            )
        if not self._policy.enabled:
            self._report.verdict = "disabled"
            self._say(f"  autoheal is turned off for this repository ({CONFIG_PATH})")
        return self._policy.enabled

    def _act(self, failures: Sequence[Failure]) -> list[Failure]:
        """Handle each failure; return those whose jobs the policy asks to re-run."""
        rerun: list[Failure] = []
        for failure in map(self._judged, failures):
            outcome = Outcome(
                failure.fingerprint,
                failure.prediction.category,
                failure.prediction.confidence,
                tuple(job.name for job in failure.jobs),
            )
            self._report.outcomes.append(outcome)
            self._say(
                f"failure {failure.fingerprint} in {', '.join(outcome.jobs)}: "
                f"{outcome.category} ({100 * outcome.confidence:.1f}%)"
            )
            try:
                if self._handle(failure, outcome):
                    rerun.append(failure)
            except Exception as exc:
                outcome.error = str(exc)
                self._report.errors.append(f"{failure.fingerprint}: {exc}")
                self._say(f"  error: {exc}")
        return rerun

    def _classify(self, run: RunInfo) -> list[Failure]:
        jobs = self.gh.failed_jobs(run.id)
        if not jobs:
            self._say("no failed job in the latest attempt: nothing to do")
        grouped: dict[str, tuple[Prediction, list[JobInfo]]] = {}
        for job in jobs:
            try:
                log = self.gh.job_log(job.id)
                context = JobContext(run.repository, run.workflow, job.name, run.id)
                prediction = self.classifier.classify(log, context)
            except Exception as exc:
                self._report.errors.append(f"job {job.name}: {exc}")
                self._say(f"job {job.name}: cannot classify its log: {exc}")
                continue
            entry = grouped.setdefault(prediction.fingerprint, (prediction, []))
            entry[1].append(job)
        return [Failure(pred, tuple(found)) for pred, found in grouped.values()]

    # -- one failure -----------------------------------------------------------------------
    def _threshold(self, prediction: Prediction) -> float:
        """The repository's own threshold (no lower than the floor), else the one given, else
        the classifier's."""
        if self._policy.threshold is not None:
            floor = self.options.repo_threshold_floor
            return self._policy.threshold if floor is None else max(floor, self._policy.threshold)
        return prediction.threshold if self.options.threshold is None else self.options.threshold

    def _judged(self, failure: Failure) -> Failure:
        """The failure with the threshold it is judged by: what its issue states is what was
        applied, not the classifier's default."""
        prediction = failure.prediction
        threshold = self._threshold(prediction)
        if threshold == prediction.threshold:
            return failure
        confident = is_confident(prediction, threshold)
        return replace(
            failure, prediction=replace(prediction, threshold=threshold, auto_fix=confident)
        )

    def _handle(self, failure: Failure, outcome: Outcome) -> bool:
        """Act on one failure; True when it asks for a re-run of the failed jobs."""
        run = self._run
        assert run is not None
        known = self.gh.find_issue(failure.fingerprint)
        if known is not None and not has_marker(known.body, "run", run.id):
            self._known(failure, known, outcome)
            return False
        if known is None:
            closed = self.gh.find_closed_issue(failure.fingerprint)
            if closed is not None:
                self._reopen(failure, closed, outcome)
                return False
        if known is not None and self._complete(failure, known):
            outcome.action, outcome.issue = "already-done", known.number
            self._say(f"  issue #{known.number} was opened for this run and is complete")
            return False
        action = choose_action(
            failure.prediction, run.run_attempt, self._threshold(failure.prediction)
        )
        if action is Action.FIX and failure.prediction.category in self._policy.triage_only:
            action = Action.TRIAGE  # the repository wants people to look at this category
        if known is None:
            outcome.action = action.value
            if action is Action.RERUN:
                self._say("  transient on the first attempt: the failed jobs will be re-run")
                return True
            if not self.breaker.allows(run.repository):
                self._trip(failure, outcome)
                return False
        if self.options.dry_run:
            if known is None:
                self._open(failure, action, outcome)
            else:
                self._known(failure, known, outcome)
            return False
        # Opening, or finishing what this run opened, happens only under the lock.
        for _ in range(3):
            with self._lock(failure) as won:
                if won:
                    known = self.gh.find_issue(failure.fingerprint)
                    if known is None:
                        self._open(failure, action, outcome)
                    else:
                        self._known(failure, known, outcome)
                    return False
            self._wait_unlocked(failure)
            known = self.gh.find_issue(failure.fingerprint)
            if known is not None and not has_marker(known.body, "run", run.id):
                self._known(failure, known, outcome)
                return False
            # The other healer opened nothing, or this run's issue needs finishing: take the lock.
        raise HealError(f"could not take the lock for failure {failure.fingerprint}")

    def _complete(self, failure: Failure, issue: IssueRef) -> bool:
        """Whether everything this run opened for ``failure`` exists (reads only)."""
        if "fix" not in markers_in(issue.body).get("action", set()):
            return True
        pull = self.gh.find_pull(failure.fingerprint)
        if pull is None:
            return False
        if self.copilot is not None:
            wanted = {"kind": "copilot", "fingerprint": failure.fingerprint}
            return self.gh.find_comment(pull.number, wanted) is not None
        wanted = {"kind": "awaiting-fix", "fingerprint": failure.fingerprint}
        return self.gh.find_comment(issue.number, wanted) is not None

    def _known(self, failure: Failure, issue: IssueRef, outcome: Outcome) -> None:
        run = self._run
        assert run is not None
        outcome.issue = issue.number
        if has_marker(issue.body, "run", run.id):
            # This run opened the issue (an earlier, interrupted or retried heal): finish it.
            outcome.action = "resume"
            self._say(f"  issue #{issue.number} was opened for this run: checking it is complete")
            if "fix" in markers_in(issue.body).get("action", set()):
                self._complete_fix(failure, issue, outcome)
            return
        outcome.action = "seen-again"
        markers = {"kind": "seen-again", "run": str(run.id), "fingerprint": failure.fingerprint}
        came_back = {**markers, "kind": "came-back"}
        if self.gh.find_comment(issue.number, came_back) is not None:
            # This run reopened the issue (an earlier, retried heal) and said so there.
            outcome.action = "reopened"
            self._say(f"  #{issue.number} was reopened for this run already")
            return
        if self.gh.find_comment(issue.number, markers) is not None:
            self._say(f"  known as #{issue.number}; this run is already noted there")
            return
        body = payloads.seen_again_comment(failure, run)
        self._write(
            "comment-seen-again",
            failure.fingerprint,
            f"comment on known issue #{issue.number}: seen again in run {run.id}",
            lambda: self.gh.comment(issue.number, body, markers),
            "",
        )

    def _reopen(self, failure: Failure, issue: IssueRef, outcome: Outcome) -> None:
        """The failure came back after its issue was closed: reopen it and say where."""
        run = self._run
        assert run is not None
        outcome.issue, outcome.action = issue.number, "reopened"
        self._write(
            "reopen-issue",
            failure.fingerprint,
            f"reopen issue #{issue.number}: the failure came back in run {run.id}",
            lambda: self.gh.reopen_issue(issue.number),
            None,
        )
        markers = {"kind": "came-back", "run": str(run.id), "fingerprint": failure.fingerprint}
        if self.options.dry_run or self.gh.find_comment(issue.number, markers) is not None:
            return
        body = payloads.came_back_comment(failure, run)
        self._write(
            "comment-came-back",
            failure.fingerprint,
            f"comment on reopened issue #{issue.number}: came back in run {run.id}",
            lambda: self.gh.comment(issue.number, body, markers),
            "",
        )

    def _trip(self, failure: Failure, outcome: Outcome) -> None:
        run = self._run
        assert run is not None
        outcome.action = "blocked"
        message = (
            f"circuit breaker open for {run.repository}: too many new autoheal issues within an "
            f"hour; not opening one for failure {failure.fingerprint} of run {run.id}"
        )
        self._report.alerts.append(message)
        self._alert_out(message)
        self._say(f"  {message}")
        if not self.options.dry_run:
            self.audit.record(
                AuditEntry(
                    "circuit-breaker", run.repository, run.id, "alert", failure.fingerprint, message
                )
            )

    @contextmanager
    def _lock(self, failure: Failure) -> Iterator[bool]:
        run = self._run
        assert run is not None
        held = self._locks.acquire(failure.fingerprint, run)
        if held is None:
            yield False
            return
        detail: dict[str, Any] = {"sha": held.sha}
        action = "lock"
        if held.took_over is not None:
            action = "lock-takeover"
            detail["took_over"] = holder_of(held.took_over)
            detail["stale_since"] = held.took_over.date.isoformat()
            self._say(f"  took over the stale lock {held.branch} of {detail['took_over']}")
        entry = AuditEntry(
            action, run.repository, run.id, "done", failure.fingerprint, held.branch, detail
        )
        self.audit.record(entry)
        try:
            yield True
        finally:
            released = self._locks.release(held)
            self.audit.record(
                AuditEntry(
                    "unlock",
                    run.repository,
                    run.id,
                    "done" if released else "skipped",
                    failure.fingerprint,
                    held.branch,
                    {} if released else {"reason": "another heal took the lock over"},
                )
            )

    def _wait_unlocked(self, failure: Failure) -> None:
        """Another healer holds the lock: wait (bounded) until it releases it or it goes stale."""
        name = lock_branch(failure.fingerprint)
        self._say(f"  another heal holds {name}: waiting for it")
        waited = 0.0
        while (held := self.gh.branch_commit(name)) is not None:
            if self._locks.is_stale(held):
                return  # its holder stopped: the next attempt takes it over
            if waited >= self.options.lock_wait:
                raise HealError(
                    f"another heal has held the lock branch {name!r} for more than "
                    f"{self.options.lock_wait:.0f}s; autoheal takes its own locks over "
                    f"{self.options.lock_stale_after:.0f}s after they were taken (a branch "
                    "without autoheal's lock markers is never taken over: delete it if no "
                    "heal is running)"
                )
            self.options.sleep(self.options.lock_poll)
            waited += self.options.lock_poll

    # -- opening ---------------------------------------------------------------------------
    def _open(self, failure: Failure, action: Action, outcome: Outcome) -> None:
        run = self._run
        assert run is not None
        if not self.options.dry_run and not self.breaker.acquire(run.repository):
            self._trip(failure, outcome)
            return
        payload = (
            payloads.fix_issue(failure, run)
            if action is Action.FIX
            else payloads.triage_issue(
                failure, run, by_policy=failure.prediction.category in self._policy.triage_only
            )
        )
        issue = self._write(
            "create-issue",
            failure.fingerprint,
            f"open issue {payload.title!r} labelled {', '.join(payload.labels)}",
            lambda: self.gh.create_issue(
                payload.title, payload.body, payload.labels, failure.fingerprint
            ),
            IssueRef(0, "(dry run)", payload.body),
        )
        outcome.issue = issue.number or None
        if action is Action.FIX:
            self._complete_fix(failure, issue, outcome)

    def _complete_fix(self, failure: Failure, issue: IssueRef, outcome: Outcome) -> None:
        """Branch with the plan, draft PR, hand-off: each step skipped when already done."""
        run = self._run
        assert run is not None
        fp = failure.fingerprint
        pull = self.gh.find_pull(fp)
        if pull is None:
            pull = self._open_pull(failure, issue, outcome)
        outcome.pull, outcome.branch = pull.number or None, pull.head
        if self.copilot is not None:
            markers = {"kind": "copilot", "fingerprint": fp}
            if pull.number and self.gh.find_comment(pull.number, markers):
                return
            body = payloads.copilot_comment(failure, run, issue.number)
            copilot = self.copilot
            self._write(
                "comment-copilot",
                fp,
                f"ask @copilot on PR #{pull.number} (with COPILOT_TOKEN)",
                lambda: copilot.comment(pull.number, body, markers),
                "",
            )
            return
        self._write(
            "add-label",
            fp,
            f"label issue #{issue.number} {payloads.LABEL_AWAITING}",
            lambda: self.gh.add_labels(issue.number, (payloads.LABEL_AWAITING,)),
            None,
        )
        markers = {"kind": "awaiting-fix", "fingerprint": fp}
        if issue.number and self.gh.find_comment(issue.number, markers):
            return
        note = payloads.awaiting_fix_note(failure, run, pull.html_url)
        self._write(
            "comment-awaiting-fix",
            fp,
            f"note on issue #{issue.number} how to enable Copilot",
            lambda: self.gh.comment(issue.number, note, markers),
            "",
        )

    def _open_pull(self, failure: Failure, issue: IssueRef, outcome: Outcome) -> PullRef:
        run = self._run
        assert run is not None
        fp = failure.fingerprint
        category = failure.prediction.category
        path = payloads.plan_path(fp)
        prefix = f"autofix/{payloads.slug(run.workflow)}/{category}/"
        base, sha = self.gh.default_branch()
        branch = self.gh.find_plan_branch(prefix, path)
        if branch is None:
            branch = payloads.branch_name(run, category, self.options.now())
            if self.gh.ref_exists(branch):
                branch = f"{branch}-{fp[:8]}"  # another failure's branch from the same second
            name = branch
            self._write(
                "create-branch", fp, f"create branch {branch} from {base}",
                lambda: self.gh.create_branch(name, sha, exclusive=False), None,
            )  # fmt: skip
            content = payloads.plan_file(failure, run, issue.number)
            self._write(
                "commit-plan", fp, f"commit {path} to {branch}",
                lambda: self.gh.create_file(name, path, f"autoheal: fix plan for #{issue.number}", content),
                None,
            )  # fmt: skip
        head = branch
        title = payloads.pull_title(failure)
        body = payloads.pull_body(failure, run, issue.number)
        return self._write(
            "create-pull",
            fp,
            f"open draft PR from {head} to {base} (Fixes #{issue.number})",
            lambda: self.gh.create_pull(title, body, head, base, fp),
            PullRef(0, "(dry run)", head),
        )

    def _rerun(self, run: RunInfo, failures: list[Failure]) -> None:
        fps = ",".join(f.fingerprint for f in failures)
        try:
            self._write(
                "rerun-failed-jobs",
                fps,
                f"re-run the failed jobs of run {run.id} (attempt {run.run_attempt})",
                lambda: self.gh.rerun_failed_jobs(run.id, run.run_attempt),
                None,
            )
        except Exception as exc:
            self._report.errors.append(f"re-run: {exc}")
            self._say(f"  error: cannot re-run: {exc}")


def _detail(result: Any) -> dict[str, Any]:
    if isinstance(result, IssueRef | PullRef):
        return {"number": result.number, "url": result.html_url}
    if isinstance(result, str) and result:
        return {"url": result}
    return {}
