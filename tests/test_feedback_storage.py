"""Feedback storage on SQLite and PostgreSQL: which label counts, idempotent recording, bad
input refused with nothing stored, and the confirmation a resolved fix records."""

from __future__ import annotations

import datetime as dt

import pytest

from datasets.feedback import MAX_REGION_CHARS
from service._outcome_job import outcome_job
from service.storage import (
    Database,
    InvalidInput,
    Job,
    effective_feedback,
    find_failure,
    list_feedback,
    record_feedback,
    upsert_failure,
)

REPO = "octo-org/shop"
FP = "0123456789abcdef"
REGION = "Run pytest\nFAILED tests/test_cart.py::test_total - assert 3 == 4\ncontext line"
T0 = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)


def _at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_the_latest_human_label_wins_and_a_confirmation_never_overrides_it(
    storage_db: Database,
) -> None:
    record_feedback(
        storage_db, fingerprint=FP, category="test_failure", source="confirmed_fix",
        repository=REPO, region=REGION, at=_at(0),
    )  # fmt: skip
    (only,) = effective_feedback(storage_db)
    assert (only.category, only.source, only.region) == ("test_failure", "confirmed_fix", REGION)

    record_feedback(
        storage_db, fingerprint=FP, category="lint_format", source="relabel_comment",
        actor="octo-writer", at=_at(1),
    )  # fmt: skip
    record_feedback(storage_db, fingerprint=FP, category="compilation", source="api", at=_at(2))
    record_feedback(
        storage_db, fingerprint=FP, category="test_failure", source="confirmed_fix", at=_at(3)
    )
    (effective,) = effective_feedback(storage_db)
    assert (effective.category, effective.source) == ("compilation", "api")
    # The winner stored no text: the newest text of the fingerprint goes with it.
    assert effective.region == REGION
    assert [row.category for row in list_feedback(storage_db)] == [
        "test_failure", "compilation", "lint_format", "test_failure",
    ]  # fmt: skip
    assert len(list_feedback(storage_db, limit=2)) == 2


def test_fingerprints_are_independent_and_listed_newest_first(storage_db: Database) -> None:
    record_feedback(storage_db, fingerprint="a" * 16, category="network", source="api", at=_at(0))
    record_feedback(storage_db, fingerprint="b" * 16, category="timeout", source="api", at=_at(5))
    labels = effective_feedback(storage_db)
    assert [(label.fingerprint[0], label.category) for label in labels] == [
        ("b", "timeout"), ("a", "network"),
    ]  # fmt: skip
    (only_a,) = effective_feedback(storage_db, fingerprints=["a" * 16])
    assert only_a.category == "network"
    assert [row.fingerprint for row in list_feedback(storage_db, fingerprint="a" * 16)] == [
        "a" * 16
    ]


def test_a_reference_is_recorded_once(storage_db: Database) -> None:
    first, new = record_feedback(
        storage_db, fingerprint=FP, category="network", source="relabel_comment",
        reference=f"comment:{REPO}:1",
    )  # fmt: skip
    again, new_again = record_feedback(
        storage_db, fingerprint=FP, category="timeout", source="relabel_comment",
        reference=f"comment:{REPO}:1",
    )  # fmt: skip
    assert new and not new_again and again.id == first.id and again.category == "network"
    assert len(list_feedback(storage_db)) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category": "flaky"}, "unknown category"),
        ({"source": "email"}, "unknown feedback source"),
        ({"region": "x" * (MAX_REGION_CHARS + 1)}, "at most"),
        ({"region": "bad\x00byte"}, "NUL"),
        ({"fingerprint": "f" * 65}, "at most 64"),
        ({"actor": 12}, "must be a string"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    storage_db: Database, changes: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {"fingerprint": FP, "category": "network", "source": "api"}
    values.update(changes)
    with pytest.raises(InvalidInput, match=message):
        record_feedback(storage_db, **values)  # type: ignore[arg-type]
    assert list_feedback(storage_db) == []


def _resolve(db: Database, category: str, run_id: int) -> None:
    """A merged fix, then the green run that resolves it, through the outcome job."""
    upsert_failure(
        db, REPO, FP, category=category, confidence=0.9, workflow="CI", region=REGION,
        merged_at=_at(0),
    )  # fmt: skip
    payload = {
        "kind": "default_green", "repository": REPO, "workflow": "CI", "run_id": run_id,
        "at": _at(10).isoformat(),
    }  # fmt: skip
    finish = outcome_job(db, Job(kind="outcome", payload=payload))
    with db.session() as session:
        finish(session)
    # Delivered again under another id: resolved already, nothing more is recorded.
    with db.session() as session:
        outcome_job(db, Job(kind="outcome", payload=payload))(session)


def test_a_resolved_fix_confirms_the_category_with_the_region(storage_db: Database) -> None:
    _resolve(storage_db, "dependency_install", 77)
    failure = find_failure(storage_db, REPO, FP)
    assert failure is not None and failure.resolved_at == _at(10)
    (row,) = list_feedback(storage_db)
    assert (row.source, row.category, row.previous) == (
        "confirmed_fix", "dependency_install", "dependency_install",
    )  # fmt: skip
    assert (row.repository, row.region, row.actor) == (REPO, REGION, None)


def test_a_resolved_fix_of_an_unknown_failure_confirms_nothing(storage_db: Database) -> None:
    _resolve(storage_db, "unknown", 78)
    assert list_feedback(storage_db) == []
