"""Outcome rates as pure functions over hand-built failure rows."""

from __future__ import annotations

import datetime as dt
import types

import pytest

from service.outcomes import (
    TARGETS,
    FailureFacts,
    by_category,
    by_repository,
    category_counts,
    compute_rates,
    confidence_histogram,
    daily_series,
    group_rates,
    in_window,
    percentile,
)

NOW = dt.datetime(2024, 6, 10, 12, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def fact(**fields: object) -> FailureFacts:
    base: dict[str, object] = {
        "repository": "acme/app",
        "fingerprint": f"fp{len(fields)}",
        "category": "test_failure",
        "confidence": 0.9,
        "first_seen": NOW - 48 * HOUR,
    }
    base.update(fields)
    return FailureFacts(**base)  # type: ignore[arg-type]


def test_issue_creation_counts_issues_and_reruns_over_distinct_failures() -> None:
    facts = [
        fact(issue_number=1),
        fact(action="rerun", category="network"),
        fact(action="skipped"),
        fact(),
    ]
    rate = compute_rates(facts).rates["issue_creation"]
    assert (rate.numerator, rate.denominator) == (2, 4)
    assert rate.value == pytest.approx(0.5)
    assert rate.target == TARGETS["issue_creation"] == 1.0
    assert rate.meets_target is False


def test_pr_creation_only_counts_failures_a_fix_was_possible_for() -> None:
    facts = [
        fact(pr_number=5, issue_number=4),  # fixable, fixed
        fact(issue_number=6),  # fixable, no PR
        fact(category="unknown", confidence=0.99, issue_number=7),  # not fixable: unknown
        fact(confidence=0.5, issue_number=8),  # not fixable: below threshold
        fact(category="network", action="rerun"),  # transient, re-run only: not fixable
        fact(category="network", action="rerun", issue_number=9, pr_number=10),  # came back
    ]
    rate = compute_rates(facts, threshold=0.7).rates["pr_creation"]
    assert (rate.numerator, rate.denominator) == (2, 3)
    # The threshold decides: at 0.5 the 0.5-confidence failure becomes fixable.
    assert compute_rates(facts, threshold=0.5).rates["pr_creation"].denominator == 4


def test_copilot_response_skips_young_unanswered_handoffs_only_when_now_is_given() -> None:
    facts = [
        fact(copilot_requested_at=NOW - 5 * HOUR, copilot_responded_at=NOW - 4 * HOUR),
        fact(copilot_requested_at=NOW - 5 * HOUR),
        fact(copilot_requested_at=NOW - dt.timedelta(minutes=5)),  # too young
        fact(copilot_requested_at=NOW - dt.timedelta(minutes=5), copilot_responded_at=NOW),
    ]
    with_now = compute_rates(facts, now=NOW).rates["copilot_response"]
    assert (with_now.numerator, with_now.denominator) == (2, 3)
    without = compute_rates(facts).rates["copilot_response"]
    assert (without.numerator, without.denominator) == (2, 4)


def test_merge_rate_fix_success_and_time_to_merge() -> None:
    start = NOW - 100 * HOUR
    facts = [
        fact(first_seen=start, pr_number=1, merged_at=start + 2 * HOUR, resolved_at=NOW),
        fact(first_seen=start, pr_number=2, merged_at=start + 10 * HOUR),
        fact(first_seen=start, pr_number=3, merged_at=start + 30 * HOUR, resolved_at=NOW),
        fact(first_seen=start, pr_number=4, pr_closed_at=start + 5 * HOUR),  # closed unmerged
        fact(first_seen=start, pr_number=5),  # still open: not decided
    ]
    rates = compute_rates(facts)
    merge = rates.rates["merge"]
    assert (merge.numerator, merge.denominator) == (3, 4)
    assert merge.meets_target is True  # 75 % >= 60 %
    success = rates.rates["fix_success"]
    assert (success.numerator, success.denominator) == (2, 3)
    assert success.meets_target is None  # no target
    assert rates.time_to_merge.samples == 3
    assert rates.time_to_merge.median_hours == pytest.approx(10.0)
    assert rates.time_to_merge.p90_hours == pytest.approx(10 + 0.8 * 20)
    assert rates.time_to_merge.meets_target is True


def test_no_samples_means_no_value_and_no_verdict() -> None:
    rates = compute_rates([])
    assert rates.failures == 0
    for rate in rates.rates.values():
        assert rate.value is None and rate.meets_target is None
    assert rates.time_to_merge.median_hours is None
    assert rates.to_dict()["issue_creation"]["value"] is None


def test_percentile_interpolates() -> None:
    assert percentile([], 0.5) is None
    assert percentile([4.0], 0.9) == 4.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == pytest.approx(2.5)
    assert percentile([10.0, 0.0], 1.0) == 10.0


def test_groups_by_category_and_repository() -> None:
    facts = [
        fact(repository="a/x", category="lint_format", issue_number=1),
        fact(repository="a/x", category="test_failure"),
        fact(repository="b/y", category="test_failure", issue_number=2),
    ]
    per_category = group_rates(facts, by_category)
    assert list(per_category) == ["lint_format", "test_failure"]
    assert per_category["test_failure"].rates["issue_creation"].value == pytest.approx(0.5)
    per_repo = group_rates(facts, by_repository, threshold=0.95)
    assert per_repo["a/x"].failures == 2 and per_repo["b/y"].failures == 1
    assert per_repo["b/y"].rates["pr_creation"].denominator == 0  # 0.9 < 0.95


def test_window_and_daily_series() -> None:
    facts = [
        fact(first_seen=NOW - 30 * HOUR, issue_number=1),  # yesterday
        fact(first_seen=NOW - 2 * HOUR),  # today, no issue
        fact(first_seen=NOW - 2 * HOUR, issue_number=2),
        fact(first_seen=NOW - 10 * 24 * HOUR, issue_number=3),  # outside a 7-day window
    ]
    recent = in_window(facts, NOW - 7 * 24 * HOUR, NOW)
    assert len(recent) == 3
    series = daily_series(
        recent, days=7, until=NOW, issue_times=[NOW - 30 * HOUR, NOW - HOUR, NOW - HOUR]
    )
    assert [p.day for p in series.points][-1] == NOW.date()
    assert len(series.points) == 7
    values = series.values("issue_creation")
    assert values[-1] == pytest.approx(0.5)
    assert values[-2] == pytest.approx(1.0)
    assert values[0] is None
    assert [p.issues_opened for p in series.points][-2:] == [1, 2]
    rows = series.to_list()
    assert rows[-1]["date"] == NOW.date().isoformat()
    assert rows[-1]["issue_creation"]["denominator"] == 2


def test_histogram_and_category_counts() -> None:
    facts = [fact(confidence=c) for c in (0.0, 0.05, 0.55, 0.99, 1.0)]
    assert confidence_histogram(facts) == [2, 0, 0, 0, 0, 1, 0, 0, 0, 2]
    counted = category_counts([fact(category="b"), fact(category="a"), fact(category="b")])
    assert list(counted.items()) == [("b", 2), ("a", 1)]


def test_of_copies_a_row_and_makes_naive_times_utc() -> None:
    naive = dt.datetime(2024, 6, 1, 8, 0)
    row = types.SimpleNamespace(
        repository="acme/app", fingerprint="f", category="timeout", confidence=0.8,
        first_seen=naive, last_seen=naive, occurrences=3, workflow="CI", last_run_id=9,
        issue_number=1, pr_number=None, action="fix_pr", copilot_requested_at=None,
        copilot_responded_at=None, merged_at=naive + HOUR, pr_closed_at=None,
        resolved_at=None, issue_closed_at=None, reopened=None,
    )  # fmt: skip
    copied = FailureFacts.of(row)
    assert copied.first_seen.tzinfo is dt.UTC
    assert copied.hours_to_merge == pytest.approx(1.0)
    assert copied.occurrences == 3 and copied.reopened == 0
