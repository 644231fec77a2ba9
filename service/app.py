"""The app factory: ``create_app(settings)`` builds the FastAPI app; the model loads at startup."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from model.classifier import ModelLoadError
from service._database_handle import DatabaseHandle
from service._errors import install_error_handlers
from service._metrics import Metrics
from service._middleware import RequestContextMiddleware
from service._model_watch import watch_model
from service._state import ModelHolder
from service.routers import classify, feedback, health, metrics, models, stats, webhooks
from service.schemas import ClassifyRequest
from service.settings import Settings

log = logging.getLogger("autoheal.service")

DESCRIPTION = (
    "Classify failed CI job logs: the decisive lines, the failure's category and a calibrated "
    'confidence. Errors are JSON objects `{"error": {"code", "message", "request_id"}}`.'
)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    holder: ModelHolder = app.state.holder
    app.state.classify_limiter = anyio.CapacityLimiter(settings.classify_threads)
    try:
        await holder.load()
    except ModelLoadError:
        # Stay up but not ready (/readyz answers 503) so that a fixed model can be reloaded.
        log.error("starting without a model", extra={"model_uri": settings.model_uri})
    # The modules and the model loaded so far live as long as the process: frozen, they are no
    # longer re-scanned by every full garbage collection (each took ~0.1 s, a latency spike).
    gc.freeze()
    worker = None
    if settings.worker_enabled:
        from service._worker_setup import make_worker  # PyGithub and the handlers: only here

        worker = make_worker(settings, app.state.database, lambda: holder.classifier)
        worker.start()
    app.state.worker = worker
    async with anyio.create_task_group() as tasks:
        if settings.reload_signal_file is not None:
            tasks.start_soon(holder.watch_signal)
        tasks.start_soon(watch_model, holder)
        try:
            yield
        finally:
            tasks.cancel_scope.cancel()
            if worker is not None:
                # A job still running after this keeps its lease until it expires; then any
                # other worker resumes it.
                await anyio.to_thread.run_sync(worker.stop)
            await anyio.to_thread.run_sync(app.state.database.close)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated schema plus the JSON request model, which the route reads by hand."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ClassifyRequest"] = ClassifyRequest.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        app.openapi_schema = schema
    return app.openapi_schema


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service. Nothing is read or loaded until the app starts (its lifespan)."""
    settings = settings if settings is not None else Settings()
    app = FastAPI(
        title="autoheal",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.metrics = Metrics()
    app.state.holder = ModelHolder(settings, app.state.metrics)
    app.state.database = DatabaseHandle(settings.database_url)
    app.state.worker = None
    install_error_handlers(app)
    for router in (
        classify.router,
        models.router,
        health.router,
        metrics.router,
        webhooks.router,
        feedback.router,
    ):
        app.include_router(router)
    stats.install(app)
    app.add_middleware(
        RequestContextMiddleware, metrics=app.state.metrics, access_log=settings.access_log
    )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app
