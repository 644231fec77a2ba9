"""Remediation: heal one failed GitHub Actions run (re-run, issue, draft PR, Copilot hand-off).

Payloads are built by pure functions (:mod:`._payloads`), decisions by :mod:`._policy`, and
every GitHub write goes through an injected :class:`GitHubGateway`.
"""

from service.remediation._audit import AuditEntry, AuditSink, JsonlAuditSink, MemoryAuditSink
from service.remediation._breaker import (
    CircuitBreaker,
    FileCircuitBreaker,
    GitHubCircuitBreaker,
    MemoryCircuitBreaker,
)
from service.remediation._classify import (
    ClassifierUnavailable,
    FailureClassifier,
    HttpClassifier,
    JobContext,
    LocalClassifier,
)
from service.remediation._gateway import GitHubGateway, RefExists
from service.remediation._heal import Healer, HealError, HealOptions, HealReport, Outcome
from service.remediation._policy import Action, RunVerdict, choose_action, judge_run
from service.remediation._pygithub import PyGithubGateway, make_github
from service.remediation._retry import GitHubUnavailable, RetryPolicy
from service.remediation._sanitize import clean_text, fence, redact
from service.remediation._settings import (
    ConfigError,
    RemediationSettings,
    build_healer,
    make_classifier,
)
from service.remediation._types import Failure, IssueRef, JobInfo, PullRef, RunInfo

__all__ = [
    "Action",
    "AuditEntry",
    "AuditSink",
    "CircuitBreaker",
    "ClassifierUnavailable",
    "ConfigError",
    "Failure",
    "FailureClassifier",
    "FileCircuitBreaker",
    "GitHubCircuitBreaker",
    "GitHubGateway",
    "GitHubUnavailable",
    "HealError",
    "HealOptions",
    "HealReport",
    "Healer",
    "HttpClassifier",
    "IssueRef",
    "JobContext",
    "JobInfo",
    "JsonlAuditSink",
    "LocalClassifier",
    "MemoryAuditSink",
    "MemoryCircuitBreaker",
    "Outcome",
    "PullRef",
    "PyGithubGateway",
    "RefExists",
    "RemediationSettings",
    "RetryPolicy",
    "RunInfo",
    "RunVerdict",
    "build_healer",
    "choose_action",
    "clean_text",
    "fence",
    "judge_run",
    "make_classifier",
    "make_github",
    "redact",
]
