"""The stand-in's memory: seeding, inspection, faults and the request log, behind one lock.

Handlers mutate the records while holding ``state.lock``; everything returned to callers
outside the lock is a deep copy, so tests can read while the server thread writes.
"""

from __future__ import annotations

import copy
import fnmatch
import hmac
import secrets
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from service.fake_github import _git
from service.fake_github._apps import App, Installation
from service.fake_github._errors import ApiError, not_found
from service.fake_github._models import (
    ALL_PERMISSIONS,
    FAULT_KINDS,
    Account,
    AgentAssignment,
    Comment,
    Fault,
    FaultKind,
    Issue,
    Job,
    Label,
    MergeAttempt,
    Repo,
    RequestRecord,
    Rerun,
    Review,
    Run,
    Step,
    Token,
    utcnow,
)

ACTIONS_BOT = "github-actions[bot]"
RATE_LIMIT = 5000
BOT_PERMISSIONS = frozenset({"actions", "contents", "issues"})
REPOSITORY_ROLES = ("read", "triage", "write", "maintain", "admin")


@dataclass(frozen=True)
class JobSpec:
    """A job to seed: ``steps`` are (name, conclusion) pairs; by default a setup step, a
    checkout step, one step named after the job carrying its conclusion, and a completion."""

    name: str
    conclusion: str | None = "failure"
    log: str | None = ""
    steps: Sequence[tuple[str, str | None]] | None = None


@dataclass
class _Counters:
    ids: int = 1000
    runs: int = 7_100_000_000
    jobs: int = 19_800_000_000
    used: dict[str, int] = field(default_factory=dict)


class FakeGitHub:
    """In-memory GitHub: repositories, Actions runs and jobs, issues, pulls, git refs."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.signing_key = secrets.token_bytes(32)
        self.accounts: dict[str, Account] = {}
        self.tokens: dict[str, Token] = {}
        self.repos: dict[str, Repo] = {}
        self.runs: dict[int, Run] = {}
        self.jobs: dict[int, Job] = {}
        self._faults: list[Fault] = []
        self._requests: list[RequestRecord] = []
        self._reruns: list[Rerun] = []
        self._merges: list[MergeAttempt] = []
        self._reviews: list[Review] = []
        self._agent_assignments: list[AgentAssignment] = []
        self._counters = _Counters()
        self.apps: dict[int, App] = {}
        self.installations: dict[int, Installation] = {}

    # ---- ids and accounts -------------------------------------------------------------
    def next_id(self) -> int:
        with self.lock:
            self._counters.ids += 1
            return self._counters.ids

    def account(self, login: str) -> Account:
        """The account named ``login``, created on first mention."""
        with self.lock:
            found = self.accounts.get(login)
            if found is None:
                kind = "Bot" if login.endswith("[bot]") else "User"
                found = Account(login, self.next_id(), kind)
                self.accounts[login] = found
            return found

    def add_token(
        self, token: str, login: str, *, permissions: Sequence[str] | None = None
    ) -> None:
        """Register a token. Bots (logins ending in ``[bot]``) default to the Actions token's
        write permissions (actions, contents, issues: no pull requests); users get all."""
        with self.lock:
            account = self.account(login)
            if permissions is None:
                chosen = BOT_PERMISSIONS if account.type == "Bot" else ALL_PERMISSIONS
            else:
                chosen = frozenset(permissions)
            unknown = chosen - ALL_PERMISSIONS
            if unknown:
                raise ValueError(f"unknown permissions {sorted(unknown)}")
            self.tokens[token] = Token(token, login, chosen)

    def token(self, value: str) -> Token | None:
        with self.lock:
            return self.tokens.get(value)

    def add_app(
        self,
        app_id: int,
        public_key: bytes,
        *,
        slug: str = "autoheal",
        permissions: Sequence[str] = tuple(sorted(ALL_PERMISSIONS)),
    ) -> None:
        """Register a GitHub App by the PEM of its public key (``_apps`` checks its JWTs)."""
        with self.lock:
            self.apps[app_id] = App(app_id, slug, public_key, frozenset(permissions))
            self.account(f"{slug}[bot]")

    def install_app(self, app_id: int, repositories: Sequence[str]) -> int:
        """Install the app on ``repositories`` (of one owner); returns the installation id."""
        owners = {name.split("/", 1)[0] for name in repositories}
        if len(owners) != 1:
            raise ValueError("an installation belongs to one account: give its repositories")
        with self.lock:
            installation = Installation(
                self.next_id(), app_id, owners.pop(), frozenset(repositories)
            )
            self.installations[installation.id] = installation
            return installation.id

    # ---- seeding ----------------------------------------------------------------------
    def add_repo(
        self,
        full_name: str,
        *,
        default_branch: str = "main",
        files: Mapping[str, str | bytes] | None = None,
        fork_of: str | None = None,
        private: bool = False,
        labels: Sequence[str] = (),
    ) -> Repo:
        """Create a repository with one commit holding ``files`` on ``default_branch``."""
        owner, _, name = full_name.partition("/")
        if not owner or not name or "/" in name:
            raise ValueError(f"repository name must be owner/name, got {full_name!r}")
        with self.lock:
            if full_name in self.repos:
                raise ValueError(f"repository {full_name} already exists")
            self.account(owner)
            repo = Repo(self.next_id(), owner, name, default_branch, private, fork_of)
            tree = {
                path: text.encode() if isinstance(text, str) else text
                for path, text in (files or {"README.md": f"# {name}\n"}).items()
            }
            repo.branches[default_branch] = _git.commit(repo, None, tree, "Initial commit", owner)
            for label in labels:
                self.ensure_label(repo, label)
            self.repos[full_name] = repo
            return repo

    def set_role(self, repo: str, login: str, role: str | None) -> None:
        """Make ``login`` a collaborator of ``repo`` with ``role`` (None: no longer one)."""
        if role is not None and role not in REPOSITORY_ROLES:
            raise ValueError(f"unknown role {role!r}; expected one of {REPOSITORY_ROLES}")
        with self.lock:
            target = self.repo(repo)
            self.account(login)
            if role is None:
                target.roles.pop(login, None)
            else:
                target.roles[login] = role

    def role_of(self, repo: str, login: str) -> str | None:
        """``login``'s role on ``repo``: its collaborator role, admin for the owner, else None."""
        with self.lock:
            target = self.repo(repo)
            if login == target.owner:
                return "admin"
            return target.roles.get(login)

    def ensure_label(self, repo: Repo, name: str, color: str = "ededed") -> Label:
        with self.lock:
            found = repo.labels.get(name.lower())
            if found is None:
                found = Label(self.next_id(), name, color)
                repo.labels[name.lower()] = found
            return found

    def add_run(
        self,
        repo: str,
        *,
        jobs: Sequence[JobSpec] = (),
        name: str = "CI",
        path: str = ".github/workflows/ci.yml",
        head_branch: str | None = None,
        head_sha: str | None = None,
        head_repo: str | None = None,
        event: str = "push",
        conclusion: str | None = "failure",
        actor: str = "octocat",
        display_title: str | None = None,
        pull_requests: Sequence[int] = (),
    ) -> int:
        """Seed a workflow run (completed unless ``conclusion`` is None) and its jobs;
        return the run id. ``head_repo`` names the fork a run came from."""
        with self.lock:
            target = self.repo(repo)
            branch = head_branch or target.default_branch
            sha = head_sha or target.branches.get(branch) or target.branches[target.default_branch]
            self._counters.runs += 1
            run_id = self._counters.runs
            now = utcnow()
            same_workflow = [r for r in self.runs.values() if r.repo == repo and r.path == path]
            run = Run(
                id=run_id,
                repo=repo,
                name=name,
                path=path,
                workflow_id=self._workflow_id(repo, path),
                run_number=len(same_workflow) + 1,
                head_branch=branch,
                head_sha=sha,
                head_repo=head_repo or repo,
                event=event,
                status="completed" if conclusion is not None else "in_progress",
                conclusion=conclusion,
                actor=actor,
                display_title=display_title or f"{name} on {branch}",
                created_at=now,
                updated_at=now,
                pull_requests=list(pull_requests),
            )
            self.account(actor)
            self.runs[run_id] = run
            for spec in jobs:
                self.add_job(run_id, spec)
            return run_id

    def add_job(self, run_id: int, spec: JobSpec) -> int:
        """Add a job to the run's current attempt; return the job id."""
        with self.lock:
            run = self.runs[run_id]
            self._counters.jobs += 1
            job_id = self._counters.jobs
            pairs = spec.steps or [
                ("Set up job", "success"),
                ("Run actions/checkout@v4", "success"),
                (f"Run {spec.name}", spec.conclusion),
                ("Complete job", "success"),
            ]
            steps = [
                Step(step_name, number, step_conclusion, _status(step_conclusion))
                for number, (step_name, step_conclusion) in enumerate(pairs, start=1)
            ]
            now = utcnow()
            done = spec.conclusion is not None
            self.jobs[job_id] = Job(
                id=job_id,
                run_id=run_id,
                name=spec.name,
                run_attempt=run.run_attempt,
                status="completed" if done else "queued",
                conclusion=spec.conclusion,
                steps=steps,
                log=spec.log,
                started_at=now - timedelta(minutes=3),
                completed_at=now if done else None,
            )
            return job_id

    def finish_attempt(
        self, run_id: int, conclusion: str = "success", logs: Mapping[str, str] | None = None
    ) -> None:
        """Complete the queued jobs of the run's latest attempt (after a re-run) with
        ``conclusion`` and optional logs by job name, and the run with it."""
        with self.lock:
            run = self.runs[run_id]
            for job in self.jobs_of(run_id, latest=True):
                if job.status != "completed":
                    job.status = "completed"
                    job.conclusion = conclusion
                    job.completed_at = utcnow()
                    job.log = (logs or {}).get(job.name, "")
                    for step in job.steps:
                        step.status, step.conclusion = "completed", conclusion
            run.status, run.conclusion, run.updated_at = "completed", conclusion, utcnow()

    def _workflow_id(self, repo: str, path: str) -> int:
        for run in self.runs.values():
            if run.repo == repo and run.path == path:
                return run.workflow_id
        return self.next_id()

    # ---- lookups used by handlers -----------------------------------------------------
    def repo(self, full_name: str) -> Repo:
        with self.lock:
            found = self.repos.get(full_name)
            if found is None:
                raise not_found()
            return found

    def run_in(self, repo: str, run_id: int) -> Run:
        with self.lock:
            run = self.runs.get(run_id)
            if run is None or run.repo != repo:
                raise not_found()
            return run

    def job_in(self, repo: str, job_id: int) -> Job:
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None or self.runs[job.run_id].repo != repo:
                raise not_found()
            return job

    def jobs_of(self, run_id: int, *, latest: bool) -> list[Job]:
        """Jobs of a run; ``latest``: per job name, the one from the most recent attempt."""
        with self.lock:
            jobs = sorted((j for j in self.jobs.values() if j.run_id == run_id), key=lambda j: j.id)
            if not latest:
                return jobs
            newest: dict[str, Job] = {}
            for job in jobs:
                if job.name not in newest or job.run_attempt >= newest[job.name].run_attempt:
                    newest[job.name] = job
            return sorted(newest.values(), key=lambda j: j.id)

    def new_number(self, repo: Repo) -> int:
        """Issues and pull requests draw from one sequence per repository."""
        with self.lock:
            number = repo.next_number
            repo.next_number += 1
            return number

    def count_request(self, login: str) -> int:
        """Count a request against the token's hourly allowance; return what remains."""
        with self.lock:
            used = self._counters.used.get(login, 0) + 1
            self._counters.used[login] = used
            return max(RATE_LIMIT - used, 0)

    def used(self, login: str) -> int:
        with self.lock:
            return self._counters.used.get(login, 0)

    def sign(self, kind: str, object_id: int, expires: int) -> str:
        message = f"{kind}:{object_id}:{expires}".encode()
        return hmac.new(self.signing_key, message, "sha256").hexdigest()

    # ---- records ----------------------------------------------------------------------
    def record_request(self, record: RequestRecord) -> None:
        with self.lock:
            self._requests.append(record)

    def record_rerun(self, rerun: Rerun) -> None:
        with self.lock:
            self._reruns.append(rerun)

    def record_merge(self, attempt: MergeAttempt) -> None:
        with self.lock:
            self._merges.append(attempt)

    def record_review(self, review: Review) -> None:
        with self.lock:
            self._reviews.append(review)

    def record_agent_assignment(self, assignment: AgentAssignment) -> None:
        with self.lock:
            self._agent_assignments.append(assignment)

    # ---- faults -----------------------------------------------------------------------
    def add_fault(
        self,
        kind: FaultKind,
        method: str = "*",
        path: str = "*",
        *,
        times: int = 1,
        after_write: bool = False,
        seconds: float = 1.0,
    ) -> Fault:
        """Fail the next ``times`` requests whose method matches (``*`` for any) and whose
        path below ``/api/v3`` matches the glob ``path``. ``seconds`` is the delay for
        ``delay`` and the Retry-After / reset distance for the rate-limit kinds."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {FAULT_KINDS}")
        if times < 1 or seconds < 0:
            raise ValueError("times must be >= 1 and seconds >= 0")
        with self.lock:
            fault = Fault(self.next_id(), kind, method.upper(), path, times, after_write, seconds)
            self._faults.append(fault)
            return copy.copy(fault)

    def clear_faults(self) -> None:
        with self.lock:
            self._faults.clear()

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first armed fault matching this request, spending one of its uses."""
        with self.lock:
            for fault in self._faults:
                if fault.method not in ("*", method.upper()):
                    continue
                if not fnmatch.fnmatchcase(path, fault.path):
                    continue
                fault.hits += 1
                if fault.hits >= fault.times:
                    self._faults.remove(fault)
                return copy.copy(fault)
            return None

    # ---- inspection (deep copies) -----------------------------------------------------
    @property
    def faults(self) -> list[Fault]:
        with self.lock:
            return copy.deepcopy(self._faults)

    @property
    def requests(self) -> list[RequestRecord]:
        with self.lock:
            return list(self._requests)

    @property
    def reruns(self) -> list[Rerun]:
        with self.lock:
            return list(self._reruns)

    @property
    def merges(self) -> list[MergeAttempt]:
        with self.lock:
            return list(self._merges)

    @property
    def reviews(self) -> list[Review]:
        with self.lock:
            return list(self._reviews)

    @property
    def agent_assignments(self) -> list[AgentAssignment]:
        with self.lock:
            return list(self._agent_assignments)

    def issues(self, repo: str, *, include_pulls: bool = False) -> list[Issue]:
        with self.lock:
            found = self.repo(repo).issues.values()
            return copy.deepcopy([i for i in found if include_pulls or i.pull is None])

    def pulls(self, repo: str) -> list[Issue]:
        with self.lock:
            return copy.deepcopy([i for i in self.repo(repo).issues.values() if i.pull])

    def comments(self, repo: str, number: int | None = None) -> list[Comment]:
        with self.lock:
            found = self.repo(repo).comments.values()
            return copy.deepcopy([c for c in found if number in (None, c.issue_number)])

    def branches(self, repo: str) -> dict[str, str]:
        with self.lock:
            return dict(self.repo(repo).branches)

    def file(self, repo: str, ref: str, path: str) -> bytes | None:
        """A file's content at a branch or commit, or None."""
        with self.lock:
            found = _git.tree_at(self.repo(repo), ref)
            return None if found is None else found[1].get(path)

    def labels(self, repo: str) -> list[str]:
        with self.lock:
            return [label.name for label in self.repo(repo).labels.values()]

    def run(self, run_id: int) -> Run:
        with self.lock:
            if run_id not in self.runs:
                raise KeyError(run_id)
            return copy.deepcopy(self.runs[run_id])

    def runs_list(self) -> list[Run]:
        with self.lock:
            return copy.deepcopy(list(self.runs.values()))

    def run_jobs(self, run_id: int, *, latest: bool = True) -> list[Job]:
        with self.lock:
            return copy.deepcopy(self.jobs_of(run_id, latest=latest))


def _status(conclusion: str | None) -> str:
    return "completed" if conclusion is not None else "queued"


def check(condition: bool, status: int, message: str) -> None:
    """Raise GitHub's error when ``condition`` does not hold."""
    if not condition:
        raise ApiError(status, message)


def parse_time(value: str) -> datetime:
    """GitHub's ISO 8601 timestamps (``Z`` suffix accepted)."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(422, f"Invalid timestamp {value!r}") from None
    if parsed.tzinfo is None:
        raise ApiError(422, f"Timestamp without a timezone: {value!r}")
    return parsed
