"""Seeding a database with failures and events through the storage API, for the outcome tests."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy.orm import Session

from service.storage import Database, record_event, upsert_failure

REPOSITORIES = ("acme/web", "acme/api", "tools/cli")
CATEGORIES = (
    "test_failure",
    "dependency_install",
    "lint_format",
    "compilation",
    "network",
    "timeout",
    "unknown",
)


def seed_outcomes(db: Database, *, now: dt.datetime, count: int = 60, seed: int = 5) -> list[Any]:
    """``count`` failures over the last two weeks, in the shapes remediation leaves behind:
    re-runs, triage issues, fix PRs handed to Copilot, merged, closed and resolved fixes."""
    with db.session() as session:  # one transaction: seeding stays fast
        return _seed(session, now, count, random.Random(seed))


def _seed(session: Session, now: dt.datetime, count: int, rng: random.Random) -> list[Any]:
    rows = []
    number = 100
    for index in range(count):
        repository = REPOSITORIES[index % len(REPOSITORIES)]
        category = rng.choice(CATEGORIES)
        confidence = round(rng.uniform(0.35, 0.99), 3)
        first = now - dt.timedelta(hours=rng.uniform(2, 14 * 24))
        fields: dict[str, Any] = {
            "category": category,
            "confidence": confidence,
            "workflow": "CI",
            "first_seen": first,
            "last_seen": first + dt.timedelta(hours=rng.uniform(0, 6)),
            "occurrences": rng.randint(1, 4),
            "last_run_id": 9000 + index,
        }
        events: list[tuple[str, dt.datetime]] = [("failure_seen", first)]
        confident = category != "unknown" and confidence >= 0.7
        if confident and category in ("network", "timeout") and rng.random() < 0.5:
            fields["action"] = "rerun"
            events.append(("rerun_requested", first))
        elif rng.random() < 0.93:
            number += 1
            fields["issue_number"] = number
            events.append(("issue_opened", first + dt.timedelta(minutes=1)))
            fields["action"] = "fix_pr" if confident else "triage_issue"
            if confident and rng.random() < 0.9:
                number += 1
                fields["pr_number"] = number
                fields["branch"] = f"autofix/ci/{category}/{index}"
                asked = first + dt.timedelta(minutes=2)
                fields["copilot_requested_at"] = asked
                events += [("pr_opened", asked), ("copilot_requested", asked)]
                if rng.random() < 0.85:
                    answered = asked + dt.timedelta(minutes=rng.uniform(5, 90))
                    fields["copilot_responded_at"] = answered
                    events.append(("copilot_responded", answered))
                    decided = answered + dt.timedelta(hours=rng.uniform(1, 40))
                    if decided < now and rng.random() < 0.7:
                        fields["merged_at"] = decided
                        events.append(("pr_merged", decided))
                        if rng.random() < 0.8:
                            fields["resolved_at"] = decided + dt.timedelta(hours=1)
                            events.append(("resolved", decided + dt.timedelta(hours=1)))
                    elif decided < now and rng.random() < 0.5:
                        fields["pr_closed_at"] = decided
                        events.append(("pr_closed", decided))
        else:
            fields["action"] = "skipped"
        fingerprint = f"{index:04d}{rng.getrandbits(48):012x}"
        rows.append(upsert_failure(session, repository, fingerprint, **fields))
        for kind, at in events:
            record_event(
                session, repository, kind, fingerprint=fingerprint, category=category, at=at
            )
    return rows
