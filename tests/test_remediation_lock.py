"""The failure lock: held as a branch, taken over when its holder stopped, never twice.

Everything runs against the GitHub stand-in over real HTTP with PyGithub. A healer that
"stopped" is a `FailureLock` that took the lock with a clock in the past and never released it,
which is exactly what a killed runner or a cancelled workflow leaves behind.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from service.remediation import PyGithubGateway, make_github
from service.remediation._lock import FailureLock, Held, lock_branch
from service.remediation._markers import markers_in
from service.remediation._types import RunInfo
from tests.heal_support import BOT_TOKEN, REPO, Harness, Logs

STALE_AFTER = 600.0


def _gateway(harness: Harness) -> PyGithubGateway:
    return PyGithubGateway(make_github(BOT_TOKEN, harness.server.base_url, throttle=False), REPO)


def _lock(harness: Harness, *, age: float, holder: str) -> FailureLock:
    """A lock whose clock reads ``age`` seconds ago."""
    moment = datetime.now(UTC) - timedelta(seconds=age)
    return FailureLock(
        _gateway(harness), stale_after=STALE_AFTER, now=lambda: moment, holder=holder
    )


def _left_behind(harness: Harness, run: RunInfo, fingerprint: str, *, age: float) -> Held:
    """The lock of a healer that took it ``age`` seconds ago and then stopped."""
    held = _lock(harness, age=age, holder="runner-7:4242:deadbeef").acquire(fingerprint, run)
    assert held is not None and held.took_over is None
    return held


def test_a_lock_left_by_a_stopped_healer_is_taken_over_and_the_failure_healed(
    harness: Harness, logs: Logs
) -> None:
    sample = logs.confident[0]
    run_id = harness.run(sample.log)
    run = _gateway(harness).get_run(run_id)
    stale = _left_behind(harness, run, sample.fingerprint, age=STALE_AFTER + 60)

    report = harness.heal(run_id)

    assert report.ok, report.errors
    assert len(harness.state.issues(REPO)) == 1 and len(harness.state.pulls(REPO)) == 1
    assert lock_branch(sample.fingerprint) not in harness.state.branches(REPO)
    assert any("took over the stale lock" in line and "runner-7" in line for line in harness.lines)
    takeovers = [line for line in harness.audit() if '"lock-takeover"' in line]
    assert len(takeovers) == 1 and stale.sha not in takeovers[0]  # the new holder's commit
    assert "runner-7:4242:deadbeef (run" in takeovers[0]


def test_a_lock_younger_than_the_limit_is_waited_for_and_kept(harness: Harness, logs: Logs) -> None:
    sample = logs.confident[0]
    run_id = harness.run(sample.log)
    run = _gateway(harness).get_run(run_id)
    held = _left_behind(harness, run, sample.fingerprint, age=60)

    report = harness.heal(run_id, lock_wait=0.3)

    assert not report.ok and "taken over" in " ".join(report.errors)
    assert harness.state.issues(REPO) == []
    assert harness.state.branches(REPO)[held.branch] == held.sha


def test_of_healers_taking_over_one_stale_lock_together_exactly_one_holds_it(
    harness: Harness, logs: Logs
) -> None:
    sample = logs.confident[0]
    run = _gateway(harness).get_run(harness.run(sample.log))
    stale = _left_behind(harness, run, sample.fingerprint, age=STALE_AFTER + 1)
    # Slow commit reads: every contender sees the stale lock before any of them moves it.
    harness.state.add_fault("delay", "GET", f"/repos/{REPO}/git/commits/*", times=8, seconds=0.4)
    contenders = [_lock(harness, age=0, holder=f"contender-{i}") for i in range(4)]
    barrier = threading.Barrier(len(contenders))
    results: list[Held | None] = []

    def contend(lock: FailureLock) -> None:
        barrier.wait()
        results.append(lock.acquire(sample.fingerprint, run))

    threads = [threading.Thread(target=contend, args=(lock,)) for lock in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    winners = [held for held in results if held is not None]
    assert len(results) == 4 and len(winners) == 1
    (winner,) = winners
    assert winner.took_over is not None and winner.took_over.sha == stale.sha
    assert harness.state.branches(REPO)[winner.branch] == winner.sha
    repo = harness.state.repo(REPO)
    assert repo.commits[winner.sha].parents == [stale.sha]  # moved forward, not forced


def test_a_holder_that_comes_back_late_does_not_release_the_new_holders_lock(
    harness: Harness, logs: Logs
) -> None:
    sample = logs.confident[0]
    run = _gateway(harness).get_run(harness.run(sample.log))
    late = _left_behind(harness, run, sample.fingerprint, age=STALE_AFTER * 2)
    current = _lock(harness, age=0, holder="current").acquire(sample.fingerprint, run)
    assert current is not None and current.took_over is not None

    assert _lock(harness, age=0, holder="late").release(late) is False
    assert harness.state.branches(REPO)[current.branch] == current.sha
    assert _lock(harness, age=0, holder="current").release(current) is True
    assert current.branch not in harness.state.branches(REPO)


def test_a_branch_without_lock_markers_is_never_taken_over(harness: Harness, logs: Logs) -> None:
    """A person's branch under the prefix, or an older autoheal's lock at the default head."""
    sample = logs.confident[0]
    run = _gateway(harness).get_run(harness.run(sample.log))
    gateway = _gateway(harness)
    _, head = gateway.default_branch()
    gateway.create_branch(lock_branch(sample.fingerprint), head, exclusive=True)
    far_future = _lock(harness, age=-10 * 365 * 86400.0, holder="future")
    assert far_future.stale(lock_branch(sample.fingerprint)) is None
    assert far_future.acquire(sample.fingerprint, run) is None
    assert harness.state.branches(REPO)[lock_branch(sample.fingerprint)] == head


def test_the_lock_commit_says_what_it_guards_and_who_holds_it(harness: Harness, logs: Logs) -> None:
    sample = logs.confident[0]
    run = _gateway(harness).get_run(harness.run(sample.log))
    held = _lock(harness, age=0, holder="ci-host:99:0a1b2c3d").acquire(sample.fingerprint, run)
    assert held is not None
    commit = harness.state.repo(REPO).commits[held.sha]
    found = markers_in(commit.message)
    assert found["kind"] == {"lock"} and found["fingerprint"] == {sample.fingerprint}
    assert found["run"] == {str(run.id)} and found["holder"] == {"ci-host:99:0a1b2c3d"}
    assert "10 minutes" in commit.message
    # Same files as the default branch: the lock commit changes nothing in the repository.
    _, head = _gateway(harness).default_branch()
    assert commit.tree == harness.state.repo(REPO).commits[head].tree
