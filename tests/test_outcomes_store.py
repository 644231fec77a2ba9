"""Outcomes read from a real database (SQLite and PostgreSQL), alerts queued once and delivered,
and the terminal report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from rich.console import Console

from service._stats import collect_stats
from service.alerts import ALERT_JOB, check_alerts, evaluate_alerts, queue_alerts, run_alert_job
from service.outcomes import FailureFacts, compute_rates, in_window
from service.report_cli import report_command
from service.settings import Settings
from service.storage import (
    Database,
    is_paused,
    list_events,
    list_jobs,
    resume_repository,
    upsert_failure,
)
from tests.outcomes_support import seed_outcomes

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
HOUR = dt.timedelta(hours=1)


def test_stats_from_the_database_match_the_pure_rates(storage_db: Database) -> None:
    rows = seed_outcomes(storage_db, now=NOW, count=45)
    stats = collect_stats(
        storage_db, threshold=0.7, days=30, now=NOW, api_url="https://ghe.test/api/v3"
    )
    facts = [FailureFacts.of(row) for row in rows]
    expected = compute_rates(in_window(facts, stats.since), threshold=0.7, now=NOW)
    assert stats.overall == expected
    assert stats.overall.failures == 45
    assert sum(stats.categories.values()) == 45
    assert sum(stats.confidence) == 45
    assert sum(r.failures for r in stats.by_repository.values()) == 45
    issues = list_events(storage_db, kinds=["issue_opened"], since=stats.since)
    assert sum(p.issues_opened for p in stats.daily.points) == len(issues) > 0
    assert sum(p.rates.failures for p in stats.daily.points) == 45
    linked = next(r for r in stats.recent if r.facts.pr_number is not None)
    assert (
        linked.pr_url == f"https://ghe.test/{linked.facts.repository}/pull/{linked.facts.pr_number}"
    )
    document = json.loads(json.dumps(stats.to_dict()))
    assert document["overall"]["failures"] == 45
    assert set(document["by_repository"]) == {"acme/web", "acme/api", "tools/cli"}
    # A shorter window holds fewer failures.
    week = collect_stats(storage_db, threshold=0.7, days=7, now=NOW)
    assert 0 < week.overall.failures < 45
    assert len(week.daily.points) == 7


def test_stats_of_an_empty_database(storage_db: Database) -> None:
    stats = collect_stats(storage_db, now=NOW)
    assert stats.overall.failures == 0 and stats.recent == [] and stats.paused == []
    assert stats.to_dict()["overall"]["merge"]["value"] is None


def _bad_repository(db: Database, repository: str, count: int, *, hours_ago: float = 3) -> None:
    """Failures that got no issue: issue creation at 0 %."""
    for index in range(count):
        upsert_failure(
            db,
            repository,
            f"bad{index:02d}",
            category="lint_format",
            confidence=0.4,
            first_seen=NOW - hours_ago * HOUR,
            action="skipped",
        )


def test_alerts_are_queued_once_delivered_and_pause_until_resumed(storage_db: Database) -> None:
    _bad_repository(storage_db, "acme/bad", 6)
    upsert_failure(storage_db, "acme/ok", "fine", category="lint_format", confidence=0.4,
                   first_seen=NOW - 3 * HOUR, issue_number=1)  # fmt: skip
    alerts = evaluate_alerts(storage_db, threshold=0.7, now=NOW)
    assert [(a.repository, a.figure) for a in alerts] == [("acme/bad", "issue_creation")]
    assert queue_alerts(storage_db, alerts) == alerts
    assert queue_alerts(storage_db, alerts) == []  # a second process evaluating: no new job
    settings = Settings(_env_file=None, threshold=0.7)  # type: ignore[call-arg]
    assert check_alerts(storage_db, settings, now=NOW) == []
    jobs = [job for job in list_jobs(storage_db) if job.kind == ALERT_JOB]
    assert len(jobs) == 1
    delivered = run_alert_job(storage_db, settings, jobs[0].payload)
    assert delivered.paused and not delivered.posted  # no webhook configured
    assert is_paused(storage_db, "acme/bad") and not is_paused(storage_db, "acme/ok")
    recorded = list_events(storage_db, repository="acme/bad", kinds=["alert"])
    assert len(recorded) == 1 and recorded[0].data["key"] == alerts[0].key
    run_alert_job(storage_db, settings, jobs[0].payload)  # retried: still one record
    assert len(list_events(storage_db, kinds=["alert"])) == 1
    # Paused: not judged again. Resumed: the old failures do not pause it again...
    assert evaluate_alerts(storage_db, threshold=0.7, now=NOW) == []
    assert resume_repository(storage_db, "acme/bad")
    later = dt.datetime.now(dt.UTC) + 2 * HOUR
    assert evaluate_alerts(storage_db, threshold=0.7, now=later) == []
    # ...but new bad failures after the resume do.
    for index in range(5):
        upsert_failure(storage_db, "acme/bad", f"new{index}", category="lint_format",
                       confidence=0.4, first_seen=later - 1.5 * HOUR)  # fmt: skip
    again = evaluate_alerts(storage_db, threshold=0.7, now=later)
    assert [a.repository for a in again] == ["acme/bad"]
    assert again[0].key != alerts[0].key


def test_report_prints_tables(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'report.db'}"
    db = Database(url)
    db.upgrade()
    seed_outcomes(db, now=NOW, count=20)
    db.dispose()
    console = Console(record=True, width=160)
    assert report_command(30, database_url=url, console=console, now=NOW) == 0
    text = console.export_text()
    assert "Issue creation" in text and "Per category" in text and "acme/web" in text
    empty = Console(record=True, width=160)
    assert report_command(7, database_url=f"sqlite:///{tmp_path / 'e.db'}", console=empty) == 0
    assert "No failures" in empty.export_text()
    broken = Console(record=True, width=160)
    assert report_command(7, database_url="mysql://nowhere/x", console=broken) == 2
    assert "unsupported database" in broken.export_text()
