"""End to end: autoheal heal against the GitHub stand-in, over real HTTP, with PyGithub.

Logs come from the generator; the small test model decides their category, so each test picks
logs by what the model predicts and asserts on the policy branch taken.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from model.taxonomy import UNKNOWN
from service.fake_github import FakeGitHubServer, JobSpec
from service.remediation import HealReport
from service.remediation._markers import markers_in
from service.remediation.cli import EXIT_BREAKER, EXIT_OK, heal_command
from tests.heal_support import (
    BOT,
    BOT_TOKEN,
    LEAK,
    MAINTAINER,
    REPO,
    Harness,
    Logs,
)


def _markers(body: str | None) -> dict[str, set[str]]:
    return markers_in(body)


# ---- the policy branches -------------------------------------------------------------------


def test_a_run_that_did_not_fail_is_left_alone(harness: Harness, logs: Logs) -> None:
    run_id = harness.run(logs.confident[0].log, conclusion="success")
    report = harness.heal(run_id)
    assert report.verdict == "not-failed" and report.ok
    assert harness.writes() == [] and harness.audit() == []


def test_fork_runs_are_skipped_unless_allowed(harness: Harness, logs: Logs) -> None:
    harness.state.add_repo("mallory/shop", fork_of=REPO)
    run_id = harness.run(logs.confident[0].log, head_repo="mallory/shop")
    report = harness.heal(run_id)
    assert report.verdict == "fork" and harness.writes() == []
    # The fork's log was not even downloaded.
    assert not any("/logs" in r.path for r in harness.state.requests)
    report = harness.heal(run_id, allow_forks=True)
    assert report.verdict == "heal" and len(harness.state.issues(REPO)) == 1


def test_transient_first_attempt_reruns_then_second_failure_opens_an_issue(
    harness: Harness, logs: Logs
) -> None:
    sample = logs.transient[0]
    run_id = harness.run(sample.log, names=("deploy",))
    report = harness.heal(run_id)
    assert [o.action for o in report.outcomes] == ["rerun"]
    assert [(r.run_id, r.attempt, r.failed_only) for r in harness.state.reruns] == [
        (run_id, 2, True)
    ]
    assert harness.state.issues(REPO) == [] and harness.autofix_branches() == []
    assert any('"rerun-failed-jobs"' in line for line in harness.audit())
    # The re-run fails the same way: now it is treated like any confident failure.
    harness.state.finish_attempt(run_id, "failure", logs={"deploy": sample.log})
    report = harness.heal(run_id)
    assert [o.action for o in report.outcomes] == ["fix"] and report.ok
    assert len(harness.state.reruns) == 1
    (issue,) = harness.state.issues(REPO)
    assert f"autoheal:{sample.category}" in issue.labels
    assert "attempt 2" in (issue.body or "")


def test_confident_failure_opens_issue_branch_plan_draft_pr_and_asks_copilot(
    harness: Harness, logs: Logs
) -> None:
    sample = logs.confident[0]
    run_id = harness.run(sample.log, names=("build",))
    report = harness.heal(run_id, copilot=True)
    assert report.ok and [o.action for o in report.outcomes] == ["fix"]
    (issue,) = harness.state.issues(REPO)
    assert set(issue.labels) == {"autoheal", f"autoheal:{sample.category}"}
    body = issue.body or ""
    assert _markers(body)["fingerprint"] == {sample.fingerprint}
    assert _markers(body)["run"] == {str(run_id)}
    assert "## Fix plan" in body and f"/actions/runs/{run_id}" in body
    assert "Run build" in body  # the failing step, from the job's steps
    (branch,) = harness.autofix_branches()
    assert branch.startswith(f"autofix/ci/{sample.category}/") and branch[-14:].isdigit()
    plan = harness.state.file(REPO, branch, f".github/autoheal/{sample.fingerprint}.md")
    assert plan is not None and f"#{issue.number}" in plan.decode()
    (pull,) = harness.state.pulls(REPO)
    assert pull.pull is not None and pull.pull.draft and pull.pull.head_ref == branch
    assert (pull.body or "").startswith(f"Fixes #{issue.number}")
    comments = harness.state.comments(REPO, pull.number)
    assert len(comments) == 1 and comments[0].body.startswith("@copilot ")
    assert comments[0].user == MAINTAINER  # posted with COPILOT_TOKEN, not the bot token
    assert "autoheal:awaiting-fix" not in issue.labels
    # Never merged, approved or marked ready.
    assert harness.state.merges == [] and harness.state.reviews == []
    assert not any(r.method == "PATCH" and "/pulls/" in r.path for r in harness.state.requests)
    # Every write is in the audit trail; the lock branch is gone.
    actions = [line.split('"action": "')[1].split('"')[0] for line in harness.audit()]
    for expected in (
        "create-issue",
        "create-branch",
        "commit-plan",
        "create-pull",
        "comment-copilot",
    ):
        assert expected in actions
    assert not [b for b in harness.state.branches(REPO) if b.startswith("autoheal/lock/")]


def test_without_copilot_token_the_issue_is_labelled_and_explains_how(
    harness: Harness, logs: Logs
) -> None:
    run_id = harness.run(logs.confident[0].log)
    report = harness.heal(run_id, copilot=False)
    assert report.ok
    (issue,) = harness.state.issues(REPO)
    assert "autoheal:awaiting-fix" in issue.labels
    notes = harness.state.comments(REPO, issue.number)
    assert len(notes) == 1 and "COPILOT_TOKEN" in notes[0].body and notes[0].user == BOT
    (pull,) = harness.state.pulls(REPO)
    assert harness.state.comments(REPO, pull.number) == []


def test_low_confidence_opens_a_needs_triage_issue_only(harness: Harness, logs: Logs) -> None:
    sample = logs.confident[1]
    run_id = harness.run(sample.log)
    report = harness.heal(run_id, threshold=0.9999)
    assert [o.action for o in report.outcomes] == ["triage"]
    (issue,) = harness.state.issues(REPO)
    assert set(issue.labels) == {"autoheal", "needs-triage"}
    assert "Manual review required" in (issue.body or "")
    assert (issue.body or "").count("%") >= 3  # the top three categories
    assert harness.state.pulls(REPO) == [] and harness.autofix_branches() == []


def test_unknown_opens_a_needs_triage_issue(harness: Harness) -> None:
    log = "hello\n"  # nothing decisive: the classifier abstains
    run_id = harness.run(log)
    report = harness.heal(run_id, threshold=0.0)
    assert [o.category for o in report.outcomes] == [UNKNOWN]
    (issue,) = harness.state.issues(REPO)
    assert "needs-triage" in issue.labels and harness.state.pulls(REPO) == []


def test_same_failure_in_two_jobs_is_one_failure(harness: Harness, logs: Logs) -> None:
    sample = logs.confident[0]
    run_id = harness.run(sample.log, sample.log, names=("py3.11", "py3.12"))
    report = harness.heal(run_id)
    assert len(report.outcomes) == 1 and report.outcomes[0].jobs == ("py3.11", "py3.12")
    assert len(harness.state.issues(REPO)) == 1


# ---- de-duplication --------------------------------------------------------------------------


def test_a_known_failure_gets_one_comment_and_nothing_else(harness: Harness, logs: Logs) -> None:
    sample = logs.confident[0]
    first_run = harness.run(sample.log)
    assert harness.heal(first_run).ok
    before = (len(harness.state.pulls(REPO)), harness.autofix_branches())
    second_run = harness.run(sample.log)
    report = harness.heal(second_run)
    assert [o.action for o in report.outcomes] == ["seen-again"]
    (issue,) = harness.state.issues(REPO)
    seen = [c for c in harness.state.comments(REPO, issue.number) if "Seen again" in c.body]
    assert len(seen) == 1 and f"/actions/runs/{second_run}" in seen[0].body
    assert (len(harness.state.pulls(REPO)), harness.autofix_branches()) == before
    # Healing either run again (a retried request) writes nothing: each finds its markers.
    writes = len(harness.writes())
    assert harness.heal(second_run).ok and harness.heal(first_run).ok
    assert len(harness.writes()) == writes


def test_a_failure_that_comes_back_after_its_issue_was_closed_reopens_it(
    harness: Harness, logs: Logs
) -> None:
    import httpx

    sample = logs.confident[0]
    assert harness.heal(harness.run(sample.log)).ok
    (issue,) = harness.state.issues(REPO)
    closed = httpx.patch(
        f"{harness.server.base_url}/repos/{REPO}/issues/{issue.number}",
        json={"state": "closed"},
        headers={"Authorization": f"token {BOT_TOKEN}"},
    )
    assert closed.status_code == 200
    pulls_before = len(harness.state.pulls(REPO))
    again = harness.run(sample.log)
    report = harness.heal(again)
    assert report.ok
    assert [(o.action, o.issue) for o in report.outcomes] == [("reopened", issue.number)]
    (reopened,) = harness.state.issues(REPO)  # no second issue
    assert reopened.number == issue.number and reopened.state == "open"
    notes = [c for c in harness.state.comments(REPO, issue.number) if "came back" in c.body]
    assert len(notes) == 1 and f"/actions/runs/{again}" in notes[0].body
    assert len(harness.state.pulls(REPO)) == pulls_before
    # A retried heal of the same run finds its comment and writes nothing new.
    writes = len(harness.writes())
    assert harness.heal(again).ok
    assert len([w for w in harness.writes()[writes:] if "/comments" in w]) == 0


@pytest.mark.parametrize("same_run", [False, True], ids=["two-runs", "same-run-twice"])
def test_concurrent_heals_open_exactly_one_issue_branch_and_pull(
    harness: Harness, logs: Logs, same_run: bool
) -> None:
    sample = logs.confident[0]
    first = harness.run(sample.log)
    runs = [first, first if same_run else harness.run(sample.log)]
    # Slow issue listing widens the window in which both healers see no issue.
    harness.state.add_fault("delay", "GET", f"/repos/{REPO}/issues", times=2, seconds=0.3)
    # A slow issue creation keeps the winner inside the lock while the loser arrives.
    harness.state.add_fault("delay", "POST", f"/repos/{REPO}/issues", seconds=1.0)
    barrier = threading.Barrier(2)
    reports: list[HealReport] = []

    def heal(run_id: int) -> None:
        barrier.wait()
        reports.append(harness.heal(run_id))

    threads = [threading.Thread(target=heal, args=(r,)) for r in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(reports) == 2 and all(r.ok for r in reports), [r.errors for r in reports]
    assert any("another heal holds autoheal/lock/" in line for line in harness.lines)
    assert len(harness.state.issues(REPO)) == 1
    assert len(harness.state.pulls(REPO)) == 1
    assert len(harness.autofix_branches()) == 1
    assert not [b for b in harness.state.branches(REPO) if b.startswith("autoheal/lock/")]
    (issue,) = harness.state.issues(REPO)
    seen = [c for c in harness.state.comments(REPO, issue.number) if "Seen again" in c.body]
    assert len(seen) == (0 if same_run else 1)


# ---- GitHub errors ---------------------------------------------------------------------------


def test_502_after_the_issue_was_created_still_gives_one_issue(
    harness: Harness, logs: Logs
) -> None:
    harness.state.add_fault("502", "POST", f"/repos/{REPO}/issues", after_write=True)
    report = harness.heal(harness.run(logs.confident[0].log))
    assert report.ok
    assert len(harness.state.issues(REPO)) == 1 and len(harness.state.pulls(REPO)) == 1
    posts = [r for r in harness.state.requests if r.method == "POST" and r.path.endswith("/issues")]
    assert [r.status for r in posts] == [502]  # found by its marker, not sent again
    assert harness.sleeps  # backed off before looking


def test_rate_limits_are_retried_after_the_time_github_asks(harness: Harness, logs: Logs) -> None:
    harness.state.add_fault("rate_limit", "POST", f"/repos/{REPO}/issues", seconds=30)
    harness.state.add_fault("secondary_rate_limit", "POST", f"/repos/{REPO}/pulls", seconds=45)
    report = harness.heal(harness.run(logs.confident[0].log))
    assert report.ok and len(harness.state.issues(REPO)) == 1
    assert len(harness.state.pulls(REPO)) == 1
    assert any(29 <= s <= 33 for s in harness.sleeps), harness.sleeps  # X-RateLimit-Reset
    assert 45.0 in harness.sleeps  # Retry-After


def test_a_rate_limit_longer_than_the_cap_fails_clearly(harness: Harness, logs: Logs) -> None:
    harness.state.add_fault("429", "POST", f"/repos/{REPO}/issues", seconds=3600)
    report = harness.heal(harness.run(logs.confident[0].log))
    assert not report.ok and "rate limit" in report.errors[0]
    assert harness.state.issues(REPO) == []


# ---- safety ----------------------------------------------------------------------------------


def test_secrets_and_markup_from_the_log_never_reach_github(harness: Harness, logs: Logs) -> None:
    sample = logs.confident[0]
    hostile = sample.log.replace(
        "\n",
        f"\n2025-01-01T00:00:00.0000000Z git push https://x-access-token:{LEAK}@github.com/o/r "
        "@octo-org/admins ```` <!-- autoheal:fingerprint=ffffffffffffffff -->\n",
        3,
    )
    run_id = harness.run(hostile, names=(f"build {LEAK}",))
    report = harness.heal(run_id)
    assert report.outcomes and not report.errors
    written: list[str] = []
    for issue in harness.state.issues(REPO, include_pulls=True):
        written += [issue.title, issue.body or ""]
    written += [c.body for c in harness.state.comments(REPO)]
    for branch in harness.autofix_branches():
        for fp in {o.fingerprint for o in report.outcomes}:
            content = harness.state.file(REPO, branch, f".github/autoheal/{fp}.md")
            written.append(content.decode() if content else "")
    written += list(harness.state.branches(REPO))
    text = "\n".join(written)
    assert LEAK not in text and LEAK[:12] not in text
    assert "@octo-org/admins" not in text
    assert "ffffffffffffffff" not in {
        v for b in written for v in _markers(b).get("fingerprint", ())
    }


def test_dry_run_writes_nothing(harness: Harness, logs: Logs) -> None:
    run_id = harness.run(logs.confident[0].log)
    report = harness.heal(run_id, dry_run=True)
    assert report.ok and [o.action for o in report.outcomes] == ["fix"]
    assert harness.writes() == []
    assert harness.audit() == []
    assert any(line.strip().startswith("would open issue") for line in harness.lines)
    assert any("would open draft PR" in line for line in harness.lines)


def test_circuit_breaker_stops_new_issues_and_alerts(
    github: FakeGitHubServer,
    logs: Logs,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    model_artifact: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", github.base_url)
    monkeypatch.setenv("AUTOHEAL_MODEL_URI", str(model_artifact))
    monkeypatch.setenv("AUTOHEAL_AUDIT_PATH", str(tmp_path / "audit.jsonl"))
    monkeypatch.setenv("AUTOHEAL_MAX_ISSUES_PER_HOUR", "1")
    monkeypatch.setenv("AUTOHEAL_GITHUB_THROTTLE", "0")
    monkeypatch.delenv("AUTOHEAL_SERVICE_URL", raising=False)
    monkeypatch.delenv("COPILOT_TOKEN", raising=False)
    state = github.state
    first = state.add_run(REPO, jobs=[JobSpec("a", "failure", logs.confident[0].log)])
    second = state.add_run(REPO, jobs=[JobSpec("b", "failure", logs.confident[1].log)])
    assert heal_command(REPO, first, False, False, None) == EXIT_OK
    capsys.readouterr()
    assert heal_command(REPO, second, False, False, None) == EXIT_BREAKER
    err = capsys.readouterr().err
    assert "circuit breaker open" in err and REPO in err
    assert len(state.issues(REPO)) == 1
    assert '"alert"' in (tmp_path / "audit.jsonl").read_text()
    assert (tmp_path / "circuit-breaker.json").is_file()
    # A known failure is still commented on while the breaker is open.
    third = state.add_run(REPO, jobs=[JobSpec("a", "failure", logs.confident[0].log)])
    assert heal_command(REPO, third, False, False, None) == EXIT_OK


# ---- the classifier over HTTP ----------------------------------------------------------------


def test_classifier_over_http_with_the_real_service(
    harness: Harness, logs: Logs, model_artifact: Path
) -> None:
    from pydantic import SecretStr

    from service.app import create_app
    from service.settings import Settings
    from tests._service_support import live_server

    sample = logs.confident[0]
    app = create_app(
        Settings(model_uri=str(model_artifact), api_token=SecretStr("svc-token"), access_log=False)
    )
    with live_server(app) as url:
        denied = harness.heal(harness.run(sample.log), service={"service_url": url})
        assert not denied.ok and "HTTP 401" in denied.errors[0]
        assert harness.writes() == []
        report = harness.heal(
            harness.run(sample.log),
            service={"service_url": url, "service_token": "svc-token"},
        )
    assert report.ok, report.errors
    (outcome,) = report.outcomes
    assert (outcome.category, outcome.fingerprint) == (sample.category, sample.fingerprint)
    assert outcome.action == "fix" and len(harness.state.issues(REPO)) == 1


def test_github_backed_breaker_counts_recent_autoheal_issues(harness: Harness, logs: Logs) -> None:
    from service.remediation import GitHubCircuitBreaker, PyGithubGateway, make_github

    gateway = PyGithubGateway(make_github(BOT_TOKEN, harness.server.base_url, throttle=False), REPO)
    harness.breaker = GitHubCircuitBreaker(gateway, limit=1)  # type: ignore[assignment]
    assert harness.heal(harness.run(logs.confident[0].log)).ok
    report = harness.heal(harness.run(logs.confident[1].log))
    assert report.alerts and [o.action for o in report.outcomes] == ["blocked"]
    assert len(harness.state.issues(REPO)) == 1 and harness.alerts
