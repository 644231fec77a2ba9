"""A repository's own `.github/autoheal.toml`: off, a threshold, categories kept for people."""

from __future__ import annotations

import pytest

from service.remediation import make_github
from service.remediation._repo_config import (
    CONFIG_PATH,
    RepoConfigError,
    RepoPolicy,
    parse_repo_config,
)
from tests.heal_support import COPILOT_TOKEN, REPO, Harness, Logs


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        (b"", RepoPolicy()),
        (b"enabled = false\n", RepoPolicy(enabled=False)),
        (b"threshold = 0.9\n", RepoPolicy(threshold=0.9)),
        (b"threshold = 1\n", RepoPolicy(threshold=1.0)),
        (
            b'triage_only = ["network", "infrastructure"]\n',
            RepoPolicy(triage_only=frozenset({"network", "infrastructure"})),
        ),
    ],
)
def test_valid_files(text: bytes, policy: RepoPolicy) -> None:
    assert parse_repo_config(text) == policy


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"enabled = \n", "not valid TOML"),
        (b"threshhold = 0.9\n", "unknown keys 'threshhold'"),
        (b"threshold = 1.5\n", "threshold must be a number from 0 to 1"),
        (b"threshold = true\n", "threshold must be a number"),
        (b'enabled = "no"\n', "enabled must be true or false"),
        (b'triage_only = "network"\n', "triage_only must be a list"),
        (b'triage_only = ["flaky"]\n', "unknown categories 'flaky'"),
        (b"\xff\xfe", "not UTF-8"),
        (b"# " + b"x" * 70_000, "larger than"),
    ],
)
def test_invalid_files_say_what_is_wrong(text: bytes, message: str) -> None:
    with pytest.raises(RepoConfigError, match=message):
        parse_repo_config(text)


def _configure(harness: Harness, text: str) -> None:
    repo = make_github(COPILOT_TOKEN, harness.server.base_url, throttle=False).get_repo(REPO)
    repo.create_file(CONFIG_PATH, "Configure autoheal", text)


def test_a_repository_that_turned_autoheal_off_gets_nothing_written(
    harness: Harness, logs: Logs
) -> None:
    _configure(harness, "enabled = false\n")
    writes_before = harness.writes()
    report = harness.heal(harness.run(logs.confident[0].log))
    assert report.ok and report.verdict == "disabled" and report.outcomes == []
    assert harness.writes() == writes_before
    assert any("turned off for this repository" in line for line in harness.lines)


def test_a_category_kept_for_people_gets_a_triage_issue_and_no_pull_request(
    harness: Harness, logs: Logs
) -> None:
    sample = logs.confident[0]
    _configure(harness, f'triage_only = ["{sample.category}"]\n')
    report = harness.heal(harness.run(sample.log))
    assert report.ok and [o.action for o in report.outcomes] == ["triage"]
    (issue,) = harness.state.issues(REPO)
    assert "needs-triage" in issue.labels and "`triage_only`" in (issue.body or "")
    assert harness.state.pulls(REPO) == [] and harness.autofix_branches() == []


def test_the_repositorys_threshold_decides_between_fix_and_triage(
    harness: Harness, logs: Logs
) -> None:
    sample = logs.confident[0]  # confident (>= 0.9), but not certain
    assert sample.confidence < 1.0
    _configure(harness, "threshold = 1.0\n")
    report = harness.heal(harness.run(sample.log))
    assert [o.action for o in report.outcomes] == ["triage"]
    assert harness.state.pulls(REPO) == []


def test_a_broken_file_is_reported_and_the_defaults_apply(harness: Harness, logs: Logs) -> None:
    sample = logs.confident[0]
    _configure(harness, "enabled = maybe\n")
    report = harness.heal(harness.run(sample.log))
    assert report.ok and [o.action for o in report.outcomes] == ["fix"]
    assert any(f"{CONFIG_PATH} is ignored" in line for line in harness.lines)
    assert len(harness.state.pulls(REPO)) == 1


def test_the_issue_states_the_threshold_the_failure_was_judged_by(
    harness: Harness, logs: Logs
) -> None:
    sample = logs.confident[0]
    _configure(harness, "threshold = 1.0\n")
    harness.heal(harness.run(sample.log))
    (issue,) = harness.state.issues(REPO)
    body = issue.body or ""
    assert "(threshold 100.0%)" in body
    assert "(threshold 70.0%)" not in body  # the classifier's default was not what decided


def test_a_platform_floor_raises_a_repositorys_lower_threshold(
    harness: Harness, logs: Logs
) -> None:
    sample = logs.confident[0]  # confident (>= 0.9), but not certain
    assert sample.confidence < 1.0
    _configure(harness, "threshold = 0.1\n")
    report = harness.heal(harness.run(sample.log), repo_threshold_floor=1.0)
    assert [o.action for o in report.outcomes] == ["triage"]
    assert harness.state.pulls(REPO) == []
    assert any("allows no lower than 1" in line for line in harness.lines)
    (issue,) = harness.state.issues(REPO)
    assert "(threshold 100.0%)" in (issue.body or "")


def test_a_floor_below_the_repositorys_threshold_changes_nothing(
    harness: Harness, logs: Logs
) -> None:
    sample = logs.confident[0]
    _configure(harness, "threshold = 0.1\n")
    report = harness.heal(harness.run(sample.log), repo_threshold_floor=0.05)
    assert [o.action for o in report.outcomes] == ["fix"]
    assert not any("allows no lower" in line for line in harness.lines)
