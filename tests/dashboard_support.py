"""The service app with the outcome routes, on a temporary SQLite database, for the dashboard
tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from service.app import create_app
from service.routers import stats as stats_router
from service.settings import Settings
from service.storage import Database
from tests.outcomes_support import seed_outcomes


def make_app(tmp_path: Path, *, seeded: bool, **overrides: Any) -> FastAPI:
    """The real app (no model, no worker) over ``tmp_path/outcomes.db``, seeded when asked."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{tmp_path / 'outcomes.db'}"
    db = Database(url)
    db.upgrade()
    if seeded:
        seed_outcomes(db, now=dt.datetime.now(dt.UTC), count=60)
    db.dispose()
    options: dict[str, Any] = {
        "database_url": url,
        "worker_enabled": False,
        "model_uri": str(tmp_path / "no-model.joblib"),
        "access_log": False,
        "github_api_url": "https://api.github.com",
        **overrides,
    }
    app = create_app(Settings(_env_file=None, **options))  # type: ignore[call-arg]
    if not any(getattr(route, "path", None) == "/dashboard" for route in app.routes):
        stats_router.install(app)  # until service/app.py installs it itself
    return app
