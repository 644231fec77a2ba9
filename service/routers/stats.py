"""Outcomes: ``GET /v1/stats`` (JSON), ``GET /dashboard`` (HTML), and resuming a repository
that an alert paused (``POST /v1/repositories/{owner}/{name}/resume``, admin token)."""

from __future__ import annotations

import hmac
import re
from typing import Annotated, Any, Final

import anyio
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.exc import SQLAlchemyError

from service._auth import Credentials, require_api_token
from service._dashboard import render_dashboard
from service._database_handle import DatabaseHandle, DatabaseUnavailable
from service._errors import ApiError
from service._metrics import Metrics
from service._outcome_gauges import OutcomeCollector
from service._stats import Stats, collect_stats
from service.schemas import error_responses
from service.settings import Settings
from service.storage import Database, resume_repository

router = APIRouter(tags=["outcomes"])

MAX_DAYS: Final = 365
_NAME: Final = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
Days = Annotated[int, Query(ge=1, le=MAX_DAYS, description="Days of history, ending today (UTC).")]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def database_handle(app: FastAPI) -> DatabaseHandle:
    """The app's shared database handle (created here when the app did not make one)."""
    handle: DatabaseHandle | None = getattr(app.state, "database", None)
    if handle is None:
        settings: Settings = app.state.settings
        handle = DatabaseHandle(settings.database_url)
        app.state.database = handle
    return handle


async def _database(request: Request) -> Database:
    try:
        return await anyio.to_thread.run_sync(database_handle(request.app).get)
    except DatabaseUnavailable as exc:
        raise ApiError(503, "storage_unavailable", str(exc), {"Retry-After": "5"}) from None


async def _stats(request: Request, days: int) -> Stats:
    settings = _settings(request)
    db = await _database(request)
    try:
        return await anyio.to_thread.run_sync(
            lambda: collect_stats(
                db, threshold=settings.threshold, days=days, api_url=settings.github_api_url
            )
        )
    except SQLAlchemyError as exc:
        message = f"the outcomes could not be read: {type(exc).__name__}"
        raise ApiError(503, "storage_unavailable", message, {"Retry-After": "5"}) from None


@router.get(
    "/v1/stats",
    summary="Outcome rates against their targets",
    dependencies=[Depends(require_api_token)],
    responses=error_responses(401, 422, 503),
)
async def stats(request: Request, days: Days = 30) -> dict[str, Any]:
    """Issue creation, PR creation, Copilot response, merge and fix success rates, and time to
    merge: overall, per category, per repository and per day, over the last ``days`` days;
    failures per category, the confidence histogram, recent failures and paused repositories."""
    return (await _stats(request, days)).to_dict()


@router.get(
    "/dashboard",
    summary="The outcomes dashboard (HTML)",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}}},
)
async def dashboard(request: Request, days: Days = 30) -> HTMLResponse:
    """A self-contained page (no script, no external request): rates against targets over
    time, categories, confidence, and recent failures with links to their issue, PR and run."""
    page = render_dashboard(await _stats(request, days))
    headers = {
        "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    }
    return HTMLResponse(page, headers=headers)


async def require_admin(request: Request, credentials: Credentials) -> None:
    expected = _settings(request).token("admin")
    if expected is None:
        raise ApiError(
            404, "admin_disabled", "resuming is disabled: AUTOHEAL_ADMIN_TOKEN is not set"
        )
    if credentials is None:
        raise ApiError(
            401, "unauthorized", "missing admin bearer token", {"WWW-Authenticate": "Bearer"}
        )
    if not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise ApiError(403, "forbidden", "invalid admin bearer token")


@router.post(
    "/v1/repositories/{owner}/{name}/resume",
    summary="Resume automatic issue creation after an alert paused it",
    dependencies=[Depends(require_admin)],
    responses=error_responses(401, 403, 404, 422, 503),
)
async def resume(request: Request, owner: str, name: str) -> dict[str, Any]:
    """``resumed`` is false when the repository was not paused."""
    if not _NAME.match(owner) or not _NAME.match(name):
        raise ApiError(422, "invalid_repository", "owner and name must be GitHub names")
    repository = f"{owner}/{name}"
    db = await _database(request)
    try:
        resumed = await anyio.to_thread.run_sync(lambda: resume_repository(db, repository))
    except SQLAlchemyError as exc:
        message = f"the repository could not be resumed: {type(exc).__name__}"
        raise ApiError(503, "storage_unavailable", message, {"Retry-After": "5"}) from None
    return {"repository": repository, "resumed": resumed}


def install(app: FastAPI) -> None:
    """Add the routes and the outcome gauges to ``app`` (call once, in ``create_app``)."""
    app.include_router(router)
    settings: Settings = app.state.settings
    metrics: Metrics = app.state.metrics

    def opened() -> Database | None:
        # Only a database something else opened: a scrape must not create or migrate one.
        handle: DatabaseHandle | None = getattr(app.state, "database", None)
        return handle.opened if handle is not None else None

    metrics.add_collector(OutcomeCollector(opened, threshold=settings.threshold))
