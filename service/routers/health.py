"""Liveness and readiness probes; open even when an API token is configured."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from service.routers._common import holder
from service.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=Health,
    summary="The model is loaded",
    responses={503: {"model": Health, "description": "No model is loaded."}},
)
async def readyz(request: Request) -> JSONResponse | dict[str, str | None]:
    held = holder(request)
    if held.classifier is None:
        detail = held.last_error or "the model is still loading"
        return JSONResponse({"status": "unavailable", "detail": detail}, status_code=503)
    return {"status": "ready", "model_version": held.classifier.model_version}
