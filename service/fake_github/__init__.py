"""A stateful stand-in for GitHub's REST API over real HTTP, for tests and demos.

``serve()`` starts it in a background thread and returns a handle (``base_url`` for PyGithub,
``state`` to seed and inspect, ``stop()``); ``main()`` runs it in the foreground.
"""

from service.fake_github._app import create_app
from service.fake_github._demo import (
    ACTIONS_TOKEN,
    DEMO_REPO,
    FORK_REPO,
    MAINTAINER,
    USER_TOKEN,
    DemoRuns,
    add_default_tokens,
    seed_demo,
)
from service.fake_github._models import (
    FAULT_KINDS,
    AgentAssignment,
    Comment,
    Fault,
    FaultKind,
    Issue,
    Job,
    MergeAttempt,
    RequestRecord,
    Rerun,
    Review,
    Run,
)
from service.fake_github._server import FakeGitHubServer, main, serve
from service.fake_github._state import ACTIONS_BOT, FakeGitHub, JobSpec

__all__ = [
    "ACTIONS_BOT",
    "ACTIONS_TOKEN",
    "DEMO_REPO",
    "FAULT_KINDS",
    "FORK_REPO",
    "MAINTAINER",
    "USER_TOKEN",
    "AgentAssignment",
    "Comment",
    "DemoRuns",
    "FakeGitHub",
    "FakeGitHubServer",
    "Fault",
    "FaultKind",
    "Issue",
    "Job",
    "JobSpec",
    "MergeAttempt",
    "RequestRecord",
    "Rerun",
    "Review",
    "Run",
    "add_default_tokens",
    "create_app",
    "main",
    "seed_demo",
    "serve",
]
