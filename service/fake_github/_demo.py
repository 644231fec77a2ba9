"""Default tokens and the demo repository: failed runs with realistic Actions logs, a green run
and a run from a fork."""

from __future__ import annotations

from dataclasses import dataclass

from service.fake_github._state import ACTIONS_BOT, FakeGitHub, JobSpec

ACTIONS_TOKEN = "actions-token"
USER_TOKEN = "user-token"
MAINTAINER = "octo-maintainer"
DEMO_REPO = "octo-org/demo-app"
FORK_REPO = "outside-dev/demo-app"

WORKFLOW = """name: CI
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -e .[dev] && pytest
"""

# Used when the log generator is not importable: short logs in the runner's format.
_FALLBACK_LOGS = {
    "dependency_install": [
        "##[group]Run pip install -r requirements.txt",
        "pip install -r requirements.txt",
        "##[endgroup]",
        "Collecting requests==2.99.0",
        "ERROR: Could not find a version that satisfies the requirement requests==2.99.0",
        "ERROR: No matching distribution found for requests==2.99.0",
        "##[error]Process completed with exit code 1.",
    ],
    "network": [
        "##[group]Run npm ci",
        "npm ci",
        "##[endgroup]",
        "npm error code ECONNRESET",
        "npm error network aborted",
        "npm error network This is a problem related to network connectivity.",
        "##[error]Process completed with exit code 1.",
    ],
    "test_failure": [
        "##[group]Run pytest -q",
        "pytest -q",
        "##[endgroup]",
        "FAILED tests/test_orders.py::test_total - assert 41 == 42",
        "1 failed, 57 passed in 3.21s",
        "##[error]Process completed with exit code 1.",
    ],
    "lint_format": [
        "##[group]Run ruff check .",
        "ruff check .",
        "##[endgroup]",
        "src/app/orders.py:12:5: F841 Local variable `total` is assigned to but never used",
        "Found 1 error.",
        "##[error]Process completed with exit code 1.",
    ],
    "unknown": ["##[group]Run pytest -q", "pytest -q", "##[endgroup]", "58 passed in 3.02s"],
}


@dataclass(frozen=True)
class DemoRuns:
    dependency: int
    network: int
    test: int
    success: int
    fork: int


def log_for(family_id: str, seed: int) -> str:
    """A generated GitHub Actions log for ``family_id``, or a short built-in one."""
    try:
        from datasets.generator import render_example

        return render_example(family_id, seed)
    except (ImportError, KeyError):
        lines = _FALLBACK_LOGS[family_id.split("/")[0]]
        return "".join(
            f"2025-01-15T10:00:{i:02d}.{i:07d}Z {line}\n" for i, line in enumerate(lines)
        )


def add_default_tokens(state: FakeGitHub) -> None:
    """``actions-token`` acts as the Actions bot (no pull requests), ``user-token`` as a
    maintainer with every write permission."""
    state.add_token(ACTIONS_TOKEN, ACTIONS_BOT)
    state.add_token(USER_TOKEN, MAINTAINER)


def seed_demo(state: FakeGitHub) -> DemoRuns:
    files = {
        "README.md": "# demo-app\n\nA small service used to show autoheal.\n",
        "requirements.txt": "requests==2.32.3\nflask==3.0.3\n",
        "src/app/orders.py": "def total(items):\n    return sum(i.price for i in items)\n",
        ".github/workflows/ci.yml": WORKFLOW,
    }
    state.add_repo(DEMO_REPO, files=files, labels=["bug", "ci-failure"])
    state.add_repo(FORK_REPO, files=files, fork_of=DEMO_REPO)
    ok = log_for("unknown/successful-job", 11)
    dependency = state.add_run(
        DEMO_REPO,
        jobs=[
            JobSpec("lint", "success", ok),
            JobSpec(
                "test (3.11)",
                "failure",
                log_for("dependency_install/pip-no-matching-distribution", 1),
            ),
        ],
    )
    network = state.add_run(
        DEMO_REPO,
        name="Build",
        path=".github/workflows/build.yml",
        jobs=[JobSpec("build", "failure", log_for("network/npm-network-error", 2))],
    )
    test = state.add_run(
        DEMO_REPO,
        head_branch="main",
        jobs=[
            JobSpec("lint", "success", ok),
            JobSpec("test (3.12)", "failure", log_for("test_failure/pytest-assertion", 3)),
        ],
    )
    success = state.add_run(
        DEMO_REPO, conclusion="success", jobs=[JobSpec("test (3.11)", "success", ok)]
    )
    fork = state.add_run(
        DEMO_REPO,
        event="pull_request",
        head_branch="patch-1",
        head_repo=FORK_REPO,
        actor="outside-dev",
        display_title="Tidy order totals",
        jobs=[JobSpec("lint", "failure", log_for("lint_format/ruff-check", 4))],
    )
    return DemoRuns(dependency, network, test, success, fork)
