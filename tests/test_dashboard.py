"""``GET /v1/stats``, ``GET /dashboard``, resuming a repository, and the outcome gauges, through
the real app (in process)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.storage import Database, is_paused, pause_repository, upsert_failure
from tests.dashboard_support import make_app

CHARTS = (
    "rate-issue_creation",
    "rate-pr_creation",
    "rate-copilot_response",
    "rate-merge",
    "rate-fix_success",
    "time-to-merge",
    "volume",
    "categories",
    "confidence",
)


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(make_app(tmp_path / "seeded", seeded=True, admin_token="adm1n")) as client:
        yield client


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(make_app(tmp_path / "empty", seeded=False)) as client:
        yield client


def _charts(page: str) -> set[str]:
    return set(re.findall(r'<svg class="chart" data-chart="([a-z_-]+)"', page))


def test_dashboard_without_data_says_so_and_still_draws_every_chart(empty: TestClient) -> None:
    response = empty.get("/dashboard")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "No failures yet" in page
    assert _charts(page) == set(CHARTS)
    assert "<polyline" not in page and 'class="bar"' not in page
    assert page.count('class="no-data"') == len(CHARTS)


def test_dashboard_with_data_draws_series_targets_and_links(seeded: TestClient) -> None:
    response = seeded.get("/dashboard?days=14")
    assert response.status_code == 200
    page = response.text
    assert "No failures yet" not in page
    assert _charts(page) == set(CHARTS)
    assert page.count('class="series"') >= 4  # one line per rate with samples on several days
    assert page.count('class="target"') >= 6  # targets of 4 rates, time to merge, threshold
    assert page.count('class="bar"') > 10
    assert re.search(r'href="https://github\.com/acme/[a-z]+/issues/\d+"', page)
    assert re.search(r'href="https://github\.com/acme/[a-z]+/pull/\d+"', page)
    assert re.search(r'href="https://github\.com/[a-z]+/[a-z]+/actions/runs/\d+"', page)
    # Self-contained: no script, no stylesheet or image fetched from anywhere.
    assert "<script" not in page and "<link" not in page and " src=" not in page
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_text_from_the_database_is_escaped(tmp_path: Path) -> None:
    app = make_app(tmp_path, seeded=False)
    db = Database(app.state.settings.database_url)
    upsert_failure(db, "evil/repo", "fp1", category="<img src=x onerror=alert(1)>",
                   confidence=0.9, workflow="<script>alert(1)</script>", issue_number=3)  # fmt: skip
    db.dispose()
    with TestClient(app) as client:
        page = client.get("/dashboard").text
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_stats_json(seeded: TestClient, empty: TestClient) -> None:
    document = seeded.get("/v1/stats", params={"days": 30}).json()
    assert document["window"]["days"] == 30
    overall = document["overall"]
    assert overall["failures"] == 60
    assert overall["issue_creation"]["target"] == 1.0
    assert overall["copilot_response"]["target"] == 0.8
    assert overall["merge"]["target"] == 0.6
    assert document["targets"]["time_to_merge_hours"] == 24.0
    assert 0 < overall["issue_creation"]["value"] <= 1
    assert set(document["by_repository"]) == {"acme/web", "acme/api", "tools/cli"}
    assert sum(v["failures"] for v in document["by_category"].values()) == 60
    assert len(document["daily"]) == 30
    assert sum(b["count"] for b in document["confidence_histogram"]) == 60
    assert document["recent_failures"][0]["run_url"].startswith("https://github.com/")
    assert empty.get("/v1/stats").json()["overall"]["failures"] == 0
    bad = seeded.get("/v1/stats", params={"days": 0})
    assert bad.status_code == 422 and "error" in bad.json()


def test_stats_needs_the_api_token_when_one_is_set(tmp_path: Path) -> None:
    with TestClient(make_app(tmp_path, seeded=False, api_token="s3cret")) as client:
        assert client.get("/v1/stats").status_code == 401
        ok = client.get("/v1/stats", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200


def test_resume_needs_the_admin_token(seeded: TestClient, empty: TestClient) -> None:
    settings = seeded.app.state.settings  # type: ignore[attr-defined]
    db = Database(settings.database_url)
    pause_repository(db, "acme/web", "issue surge")
    page = seeded.get("/dashboard").text
    assert "paused since" in page and "issue surge" in page
    url = "/v1/repositories/acme/web/resume"
    assert seeded.post(url).status_code == 401
    assert seeded.post(url, headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert empty.post(url, headers={"Authorization": "Bearer x"}).status_code == 404
    assert is_paused(db, "acme/web")
    answer = seeded.post(url, headers={"Authorization": "Bearer adm1n"})
    assert answer.status_code == 200 and answer.json() == {
        "repository": "acme/web",
        "resumed": True,
    }
    assert not is_paused(db, "acme/web")
    again = seeded.post(url, headers={"Authorization": "Bearer adm1n"}).json()
    assert again["resumed"] is False
    bad = seeded.post(
        "/v1/repositories/acme/we%20b/resume", headers={"Authorization": "Bearer adm1n"}
    )
    assert bad.status_code == 422
    db.dispose()


def test_outcome_gauges_on_metrics(seeded: TestClient) -> None:
    seeded.get("/v1/stats")  # the database is opened by first use
    text = seeded.get("/metrics").text
    assert re.search(
        r'autoheal_outcome_rate\{name="all",rate="issue_creation",scope="overall"\} 0\.\d+', text
    )
    assert 'autoheal_outcome_rate_target{rate="copilot_response"} 0.8' in text
    assert 'scope="repository"' in text and 'scope="category"' in text
    assert "autoheal_time_to_merge_hours" in text
    assert "autoheal_repositories_paused 0.0" in text


def test_stats_are_computed_for_the_current_day(seeded: TestClient) -> None:
    document = seeded.get("/v1/stats", params={"days": 1}).json()
    assert document["daily"][-1]["date"] == dt.datetime.now(dt.UTC).date().isoformat()
