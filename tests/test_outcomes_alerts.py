"""Alert rules (pure), and delivering an alert: webhook, GitHub issue, pause; each once."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from service.alerts import (
    ALERT_LABEL,
    BELOW_TARGET,
    SURGE,
    Alert,
    AlertConfig,
    AlertDeliveryError,
    MemoryAlertLedger,
    deliver_alert,
    evaluate_rules,
    github_gateway_factory,
    issue_surge,
    quality_alerts,
)
from service.fake_github import DEMO_REPO, USER_TOKEN, FakeGitHubServer, serve
from service.outcomes import FailureFacts

NOW = dt.datetime(2024, 6, 10, 12, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def fact(**fields: Any) -> FailureFacts:
    base: dict[str, Any] = {
        "repository": "acme/app",
        "fingerprint": "fp",
        "category": "test_failure",
        "confidence": 0.9,
        "first_seen": NOW - 3 * HOUR,
    }
    base.update(fields)
    return FailureFacts(**base)


def times(per_day: list[int]) -> list[dt.datetime]:
    """Issue times: ``per_day[0]`` in the last 24 h, ``per_day[1]`` the day before, ..."""
    return [NOW - DAY * age - HOUR * (k + 1) for age, n in enumerate(per_day) for k in range(n)]


# -- the surge rule ------------------------------------------------------------------------------


def test_surge_needs_more_than_the_floor_when_the_baseline_is_quiet() -> None:
    assert issue_surge("acme/app", times([3, 0, 0, 0, 0, 0, 0, 0]), now=NOW) is None
    alert = issue_surge("acme/app", times([4, 0, 0, 0, 0, 0, 0, 0]), now=NOW)
    assert alert is not None
    assert (alert.rule, alert.value, alert.limit) == (SURGE, 4.0, 3.0)
    assert "4 issues" in alert.message and "acme/app" in alert.message


def test_surge_is_relative_to_three_times_the_trailing_median() -> None:
    busy = [0, 2, 2, 2, 1, 3, 2, 9]  # median of the previous 7 days: 2 -> limit 6
    assert issue_surge("acme/app", times([6, *busy[1:]]), now=NOW) is None
    alert = issue_surge("acme/app", times([7, *busy[1:]]), now=NOW)
    assert alert is not None and alert.limit == 6.0
    # Issues older than the baseline do not count; nor do future ones (clock skew).
    old = times([7, *busy[1:]]) + [NOW - 30 * DAY] * 50 + [NOW + HOUR] * 50
    again = issue_surge("acme/app", old, now=NOW)
    assert again is not None and again.value == 7.0 and again.limit == 6.0


def test_surge_after_a_resume_counts_only_newer_issues() -> None:
    issues = times([6, 0, 0, 0, 0, 0, 0, 0])
    assert issue_surge("acme/app", issues, now=NOW) is not None
    resumed = NOW - 3 * HOUR  # four of the six were before the resume
    assert issue_surge("acme/app", issues, now=NOW, resumed_at=resumed) is None


# -- quality rules -------------------------------------------------------------------------------


def test_a_figure_below_target_with_enough_samples_alerts() -> None:
    # Below the confidence threshold: no fix is possible, so only issue creation is judged.
    facts = [fact(issue_number=i, confidence=0.5) for i in range(4)] + [fact(confidence=0.5)]
    alerts = quality_alerts("acme/app", facts, now=NOW)
    assert [(a.rule, a.figure) for a in alerts] == [(BELOW_TARGET, "issue_creation")]
    assert alerts[0].value == pytest.approx(0.8) and alerts[0].samples == 5
    # Too few samples: no verdict.
    assert quality_alerts("acme/app", facts[1:], now=NOW) == []
    assert quality_alerts("acme/app", facts, now=NOW, config=AlertConfig(min_samples=6)) == []


def test_young_failures_and_failures_before_a_resume_are_not_judged() -> None:
    young = [fact(first_seen=NOW - dt.timedelta(minutes=10)) for _ in range(10)]
    assert quality_alerts("acme/app", young, now=NOW) == []
    old = [fact(first_seen=NOW - 5 * HOUR) for _ in range(10)]
    assert quality_alerts("acme/app", old, now=NOW) != []
    assert quality_alerts("acme/app", old, now=NOW, resumed_at=NOW - 4 * HOUR) == []
    outside = [fact(first_seen=NOW - 8 * DAY) for _ in range(10)]
    assert quality_alerts("acme/app", outside, now=NOW) == []


def test_merge_rate_and_time_to_merge_alerts() -> None:
    start = NOW - 5 * DAY
    merged = [
        fact(issue_number=i, pr_number=i, first_seen=start, merged_at=start + 30 * HOUR)
        for i in range(5)
    ]
    closed = [
        fact(issue_number=9 + i, pr_number=9 + i, first_seen=start, pr_closed_at=start + HOUR)
        for i in range(5)
    ]
    figures = {a.figure: a for a in quality_alerts("acme/app", merged + closed, now=NOW)}
    assert set(figures) == {"merge", "time_to_merge"}  # 50 % < 60 %; median 30 h >= 24 h
    assert figures["time_to_merge"].value == pytest.approx(30.0)
    fast = [
        fact(issue_number=i, pr_number=i, first_seen=start, merged_at=start + 2 * HOUR)
        for i in range(5)
    ]
    assert quality_alerts("acme/app", fast, now=NOW) == []


def test_evaluate_rules_per_repository_skips_paused_and_keys_are_stable() -> None:
    bad = [fact(repository="a/bad", confidence=0.5) for _ in range(5)]
    good = [fact(repository="b/good", issue_number=1, confidence=0.5) for _ in range(5)]
    surging = {"c/surge": times([5, 0, 0, 0, 0, 0, 0, 0])}
    alerts = evaluate_rules(bad + good, surging, now=NOW)
    assert sorted((a.repository, a.rule) for a in alerts) == [
        ("a/bad", BELOW_TARGET),
        ("c/surge", SURGE),
    ]
    later = evaluate_rules(bad + good, surging, now=NOW + HOUR)
    assert {a.key for a in alerts} == {a.key for a in later}  # same day, same alerts
    assert evaluate_rules(bad + good, surging, now=NOW, paused=["a/bad", "c/surge"]) == []
    resumed = evaluate_rules(
        bad, {}, now=NOW + 5 * HOUR, resumed={"a/bad": NOW - 10 * HOUR}
    )  # a new pause/resume cycle: a new key
    assert resumed and resumed[0].key not in {a.key for a in alerts}
    assert Alert.from_payload(alerts[0].to_payload()) == alerts[0]


# -- delivery ------------------------------------------------------------------------------------


class Receiver:
    """A local Slack-compatible webhook endpoint that records what it gets."""

    def __init__(self) -> None:
        self.bodies: list[Any] = []
        self.fail_next = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if receiver.fail_next:
                    receiver.fail_next -= 1
                    self.send_response(500)
                else:
                    receiver.bodies.append(json.loads(raw))
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def github() -> Iterator[FakeGitHubServer]:
    running = serve(demo=True)
    yield running
    running.stop()


def an_alert(repository: str = DEMO_REPO) -> Alert:
    facts = [fact(repository=repository) for _ in range(5)]
    return quality_alerts(repository, facts, now=NOW)[0]


def alert_issues(github: FakeGitHubServer) -> list[Any]:
    return [i for i in github.state.issues(DEMO_REPO) if ALERT_LABEL in i.labels]


def test_delivery_posts_opens_an_issue_and_pauses_once(
    receiver: Receiver, github: FakeGitHubServer
) -> None:
    alert = an_alert()
    ledger = MemoryAlertLedger()
    gateways = github_gateway_factory(USER_TOKEN, github.base_url)
    before = len(alert_issues(github))
    result = deliver_alert(alert, ledger, webhook_url=receiver.url, gateway_for=gateways)
    assert result.paused and result.posted and result.issue_number is not None
    assert receiver.bodies == [{"text": alert.message}]
    issues = alert_issues(github)
    assert len(issues) == before + 1
    assert issues[-1].number == result.issue_number
    assert alert.key in (issues[-1].body or "")
    assert ledger.paused == {DEMO_REPO: alert.message}
    # Again (a retried job, a second process): nothing new is sent.
    again = deliver_alert(alert, ledger, webhook_url=receiver.url, gateway_for=gateways)
    assert again.issue_number == result.issue_number
    assert len(receiver.bodies) == 1 and len(alert_issues(github)) == before + 1
    # A lost ledger (crash between creating and recording): the issue is found by its marker.
    fresh = MemoryAlertLedger()
    fresh.records[alert.key] = {"posted": True}
    found = deliver_alert(alert, fresh, webhook_url=receiver.url, gateway_for=gateways)
    assert found.issue_number == result.issue_number
    assert len(alert_issues(github)) == before + 1


def test_a_failed_step_raises_after_the_others_and_a_retry_finishes_it(
    receiver: Receiver,
) -> None:
    alert = an_alert("acme/app")
    ledger = MemoryAlertLedger()
    receiver.fail_next = 1
    with pytest.raises(AlertDeliveryError, match="webhook"):
        deliver_alert(alert, ledger, webhook_url=receiver.url)
    assert ledger.paused == {"acme/app": alert.message}  # the pause happened anyway
    assert ledger.progress(alert.key)["posted"] is False
    result = deliver_alert(alert, ledger, webhook_url=receiver.url)
    assert result.posted and receiver.bodies == [{"text": alert.message}]


def test_unreachable_webhook_is_an_error_not_a_crash() -> None:
    ledger = MemoryAlertLedger()
    with pytest.raises(AlertDeliveryError, match="webhook"):
        deliver_alert(an_alert("acme/app"), ledger, webhook_url="http://127.0.0.1:9/none")
    assert "acme/app" in ledger.paused
