"""The heal harness: the GitHub stand-in over real HTTP, a healer built as ``autoheal heal``
builds it, and generated logs the session's small model is confident about.

Registered as a plugin in ``conftest.py``: its fixtures (``classifier``, ``logs``, ``github``,
``harness``) serve every heal test module.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from datasets.generator import Family
from datasets.generator._assemble import render_family
from model.classifier import Classifier
from model.taxonomy import TRANSIENT, UNKNOWN
from service.fake_github import FakeGitHub, FakeGitHubServer, JobSpec, serve
from service.remediation import (
    HealOptions,
    HealReport,
    LocalClassifier,
    MemoryCircuitBreaker,
    RemediationSettings,
    RetryPolicy,
    build_healer,
)
from service.remediation._classify import JobContext

REPO = "octo-org/shop"
BOT_TOKEN = "bot-token"
BOT = "github-actions[bot]"
COPILOT_TOKEN = "copilot-user-token"
MAINTAINER = "octo-maintainer"
CONTEXT = JobContext(REPO, "CI", "build", 1)
LEAK = "ghp_" + "Q9w8E7r6T5y4U3i2O1p0A9s8D7f6G5h4J3k2"


@dataclass(frozen=True)
class Sample:
    log: str
    category: str
    confidence: float
    fingerprint: str


@dataclass
class Logs:
    confident: list[Sample] = field(default_factory=list)  # not transient, >= 0.9
    transient: list[Sample] = field(default_factory=list)  # transient, >= 0.9


@pytest.fixture(scope="session")
def classifier(model_artifact: Path) -> LocalClassifier:
    return LocalClassifier(Classifier.load(model_artifact))


# Families of a few labels, imported directly (not through the registry of every family).
SAMPLE_LABELS = ("dependency_install", "test_failure", "compilation", "network", "infrastructure")


def _families() -> list[Family]:
    found: list[Family] = []
    for label in SAMPLE_LABELS:
        module = importlib.import_module(f"datasets.generator.families.{label}")
        found += list(module.FAMILIES)
    return found


@pytest.fixture(scope="session")
def logs(classifier: LocalClassifier) -> Logs:
    found = Logs()
    seen: set[str] = set()
    for family in _families():
        for seed in range(2):
            text = render_family(family, seed, "github_actions")
            pred = classifier.classify(text.encode(), CONTEXT)
            if pred.category == UNKNOWN or pred.confidence < 0.9 or pred.fingerprint in seen:
                continue
            seen.add(pred.fingerprint)
            sample = Sample(text, pred.category, pred.confidence, pred.fingerprint)
            (found.transient if pred.category in TRANSIENT else found.confident).append(sample)
    if len(found.confident) < 3 or not found.transient:
        pytest.skip("the test model predicts too few generated logs confidently")
    return found


@pytest.fixture
def github() -> Iterator[FakeGitHubServer]:
    state = FakeGitHub()
    # The workflow token here may open pull requests (a repository setting on GitHub).
    state.add_token(BOT_TOKEN, BOT, permissions=["actions", "contents", "issues", "pull_requests"])
    state.add_token(COPILOT_TOKEN, MAINTAINER)
    state.add_repo(REPO, files={"README.md": "# shop\n", "app.py": "print('hi')\n"})
    server = serve(state=state)
    yield server
    server.stop()


@dataclass
class Harness:
    server: FakeGitHubServer
    classifier: LocalClassifier
    tmp: Path
    sleeps: list[float] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    breaker: MemoryCircuitBreaker = field(default_factory=MemoryCircuitBreaker)

    @property
    def state(self) -> FakeGitHub:
        return self.server.state

    def settings(self, copilot: bool, **extra: object) -> RemediationSettings:
        return RemediationSettings(
            **extra,  # type: ignore[arg-type]
            github_token=BOT_TOKEN,
            api_url=self.server.base_url,
            copilot_token=COPILOT_TOKEN if copilot else None,
            audit_path=self.tmp / "audit" / "remediation.jsonl",
            throttle=False,
            retry=RetryPolicy(sleep=self.sleeps.append, max_delay=120.0),
        )

    def heal(
        self,
        run_id: int,
        *,
        copilot: bool = True,
        service: dict[str, str] | None = None,
        **options: object,
    ) -> HealReport:
        given: dict[str, object] = {"lock_poll": 0.05, "lock_wait": 20.0, **options}
        opts = HealOptions(**given)  # type: ignore[arg-type]
        healer = build_healer(
            self.settings(copilot, **(service or {})),
            REPO,
            opts,
            classifier=None if service else self.classifier,
            breaker=self.breaker,
            say=self.lines.append,
            alert=self.alerts.append,
        )
        return healer.heal(REPO, run_id)

    def run(self, *logs: str, names: tuple[str, ...] = (), **kwargs: object) -> int:
        jobs = [
            JobSpec(names[i] if i < len(names) else f"job-{i}", "failure", log)
            for i, log in enumerate(logs)
        ]
        return self.state.add_run(REPO, jobs=jobs, **kwargs)  # type: ignore[arg-type]

    def writes(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.state.requests if r.method != "GET"]

    def autofix_branches(self) -> list[str]:
        return [b for b in self.state.branches(REPO) if b.startswith("autofix/")]

    def audit(self) -> list[str]:
        path = self.tmp / "audit" / "remediation.jsonl"
        return path.read_text().splitlines() if path.exists() else []


@pytest.fixture
def harness(github: FakeGitHubServer, classifier: LocalClassifier, tmp_path: Path) -> Harness:
    return Harness(github, classifier, tmp_path)
