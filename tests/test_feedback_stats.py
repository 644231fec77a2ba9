"""People's agreement with the model, in /v1/stats and `autoheal report`, on both backends."""

from __future__ import annotations

import datetime as dt
import io

from rich.console import Console

from service._dashboard import render_dashboard
from service._stats import collect_stats
from service.report_cli import report_command
from service.storage import Database, record_feedback
from service.storage._models import Failure

NOW = dt.datetime(2030, 3, 10, 12, tzinfo=dt.UTC)


def _label(
    db: Database, fp: str, category: str, previous: str | None, source: str, days: int
) -> None:
    record_feedback(
        db, fingerprint=fp * 16, category=category, source=source, previous=previous,
        repository="o/r", at=NOW - dt.timedelta(days=days),
    )  # fmt: skip


def _seed(db: Database) -> None:
    _label(db, "a", "network", "network", "relabel_comment", 1)  # agreed
    _label(db, "b", "timeout", "network", "relabel_comment", 2)  # corrected
    _label(db, "c", "timeout", "network", "api", 3)  # corrected the same way
    _label(db, "d", "compilation", "test_failure", "api", 4)
    _label(db, "e", "test_failure", "test_failure", "confirmed_fix", 5)
    _label(db, "f", "lint_format", "lint_format", "api", 60)  # outside the window
    _label(db, "g", "network", None, "api", 1)  # never classified: says nothing of the model
    # A person overrides a confirmation: it counts as a label, not as a confirmation.
    _label(db, "h", "test_failure", "test_failure", "confirmed_fix", 6)
    _label(db, "h", "dependency_install", "test_failure", "relabel_comment", 5)


def test_agreement_counts_the_latest_human_label_in_the_window(storage_db: Database) -> None:
    _seed(storage_db)
    feedback = collect_stats(storage_db, days=30, now=NOW).feedback
    assert (feedback.labelled, feedback.agreed, feedback.confirmed_fixes) == (5, 1, 1)
    assert feedback.agreement == 0.2
    assert feedback.corrections == [
        ("network", "timeout", 2),
        ("test_failure", "compilation", 1),
        ("test_failure", "dependency_install", 1),
    ]
    as_dict = collect_stats(storage_db, days=30, now=NOW).to_dict()["feedback"]
    assert as_dict["corrections"][0] == {"model": "network", "people": "timeout", "count": 2}


def test_no_feedback_is_an_empty_agreement(storage_db: Database) -> None:
    feedback = collect_stats(storage_db, days=30, now=NOW).feedback
    assert (feedback.labelled, feedback.agreement, feedback.corrections) == (0, None, [])


def test_the_report_prints_the_agreement(storage_db: Database) -> None:
    _seed(storage_db)
    out = io.StringIO()
    url = storage_db.engine.url.render_as_string(hide_password=False)
    code = report_command(30, database_url=url, console=Console(file=out, width=200), now=NOW)
    assert code == 0
    text = out.getvalue()
    assert "People labelled 5 failures and kept the model's category for 1 (20%)" in text
    assert "network -> timeout: 2" in text


def test_a_category_people_corrected_is_the_failures_category_in_the_figures(
    storage_db: Database,
) -> None:
    with storage_db.session() as session:
        for fp, category in (("p", "test_failure"), ("q", "test_failure"), ("r", "network")):
            session.add(
                Failure(
                    repository="o/r", fingerprint=fp * 16, category=category, confidence=0.9,
                    first_seen=NOW - dt.timedelta(days=1), issue_number=1,
                )
            )  # fmt: skip
        session.commit()
    _label(storage_db, "p", "infrastructure", "test_failure", "relabel_comment", 1)
    # A confirmed fix agrees with the model: it changes nothing here.
    _label(storage_db, "q", "test_failure", "test_failure", "confirmed_fix", 1)
    # A label given for every repository (no repository) applies too.
    record_feedback(
        storage_db, fingerprint="r" * 16, category="timeout", source="api", previous="network",
        at=NOW - dt.timedelta(hours=3),
    )  # fmt: skip

    stats = collect_stats(storage_db, days=30, now=NOW)

    assert stats.categories == {"test_failure": 1, "infrastructure": 1, "timeout": 1}
    assert set(stats.by_category) == {"test_failure", "infrastructure", "timeout"}
    recent = {r["fingerprint"][0]: r for r in stats.to_dict()["recent_failures"]}
    assert (recent["p"]["category"], recent["p"]["model_category"]) == (
        "infrastructure",
        "test_failure",
    )
    assert recent["p"]["corrected"] is True and recent["q"]["corrected"] is False
    assert (recent["q"]["category"], recent["q"]["model_category"]) == ("test_failure",) * 2
    assert (recent["r"]["category"], recent["r"]["model_category"]) == ("timeout", "network")
    page = render_dashboard(stats)
    assert "corrected; model said test_failure" in page and "model said network" in page
