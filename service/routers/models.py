"""``GET /v1/model`` (what is loaded) and ``POST /v1/model/reload`` (load the champion again)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from model.classifier import ModelLoadError
from service._auth import require_admin_token, require_api_token
from service._errors import ApiError
from service.routers._common import current_classifier, holder
from service.schemas import ModelInfo, ReloadResponse, error_responses

router = APIRouter(prefix="/v1/model", tags=["model"])


@router.get(
    "",
    response_model=ModelInfo,
    summary="Describe the loaded model",
    dependencies=[Depends(require_api_token)],
    responses=error_responses(401, 503),
)
async def model_info(request: Request) -> dict[str, Any]:
    """Name, version, alias, training metrics, label set and load time of the model in use."""
    return current_classifier(request).info()


@router.post(
    "/reload",
    response_model=ReloadResponse,
    summary="Load the configured model again without a restart",
    dependencies=[Depends(require_admin_token)],
    responses=error_responses(401, 403, 404, 503),
)
async def reload_model(request: Request) -> dict[str, Any]:
    """Load the model from the configured URI (e.g. the current champion) and swap it in.

    Requests already being classified finish with the model they started with. Needs the admin
    token; answers 404 when no admin token is configured. With several worker processes the
    others follow within ``AUTOHEAL_RELOAD_POLL_SECONDS``.
    """
    held = holder(request)
    previous = held.classifier.model_version if held.classifier is not None else None
    try:
        fresh = await held.load()
    except ModelLoadError as exc:
        raise ApiError(
            503, "model_load_failed", f"reload failed, the previous model stays: {exc}"
        ) from None
    held.announce_reload()
    return {"previous_version": previous, "model": fresh.info()}
