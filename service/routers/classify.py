"""``POST /v1/classify``: name the failure in one CI log."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Final

import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request
from pydantic import ValidationError

from model import LogReadError, Region, extract_region
from service._auth import require_api_token
from service._batcher import PredictionBatcher
from service._body import BodyKind, body_kind, gunzip, is_gzipped, read_body, unwrap_log
from service._errors import ApiError
from service._metrics import Metrics
from service.routers._common import current_classifier
from service.schemas import (
    NOT_BLANK,
    ClassifyContext,
    ClassifyRequest,
    ClassifyResponse,
    error_responses,
)
from service.settings import Settings

router = APIRouter(prefix="/v1", tags=["classify"], dependencies=[Depends(require_api_token)])

_CONTEXT_FIELDS: Final = tuple(ClassifyContext.model_fields)

REQUEST_BODY: Final[dict[str, Any]] = {
    "required": True,
    "description": (
        "The log, either as JSON (with optional context) or as the raw log text. "
        "Send `Content-Encoding: gzip` to upload it compressed."
    ),
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/ClassifyRequest"}},
        "text/plain": {"schema": {"type": "string", "pattern": NOT_BLANK}},
        "application/octet-stream": {
            "schema": {"type": "string", "format": "binary", "minLength": 1, "pattern": NOT_BLANK}
        },
    },
}


def _parse_json(body: bytes) -> ClassifyRequest:
    try:
        return ClassifyRequest.model_validate_json(body)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        if any(err["type"] == "json_invalid" for err in errors):
            raise ApiError(
                400, "invalid_json", f"the body is not valid JSON: {errors[0]['msg']}"
            ) from None
        if any(
            err["loc"] == ("log",) and err["type"] == "string_pattern_mismatch" for err in errors
        ):
            raise ApiError(422, "empty_log", "the log is empty") from None
        if any(err["type"] == "model_type" for err in errors):
            raise ApiError(422, "invalid_request", "the JSON body must be an object") from None
        parts = [
            f"{'.'.join(str(p) for p in err['loc']) or 'body'}: {err['msg']}" for err in errors[:5]
        ]
        raise ApiError(422, "invalid_request", "; ".join(parts)) from None


def _extract(
    body: bytes, kind: BodyKind, gzipped: bool, limit: int
) -> tuple[Region, dict[str, Any]]:
    """The CPU-bound reading of one request: inflate, parse, find the error region."""
    if gzipped:
        body = gunzip(body, limit)
    context: dict[str, Any] = {}
    log: str | bytes
    if kind == "json":
        parsed = _parse_json(body)
        context = parsed.model_dump(include=set(_CONTEXT_FIELDS), exclude_none=True)
        log = parsed.log  # text: the classifier reads it as is, never as a container
    else:
        log = unwrap_log(body, limit)
    if not log or log.isspace():
        raise ApiError(422, "empty_log", "the log is empty")
    try:
        return extract_region(log), context
    except LogReadError as exc:
        raise ApiError(400, "unreadable_log", str(exc)) from None


@router.post(
    "/classify",
    response_model=ClassifyResponse,
    summary="Classify one CI job log",
    openapi_extra={"requestBody": REQUEST_BODY},
    responses=error_responses(400, 401, 413, 415, 422, 503),
)
async def classify(
    request: Request,
    threshold: Annotated[
        float | None,
        Query(ge=0.0, le=1.0, description="Confidence needed for auto_fix (overrides default)."),
    ] = None,
    repository: Annotated[str | None, Query(max_length=1024)] = None,
    workflow: Annotated[str | None, Query(max_length=1024)] = None,
    job: Annotated[str | None, Query(max_length=1024)] = None,
    run_id: Annotated[int | None, Query(ge=0)] = None,
) -> dict[str, Any]:
    """Classify a log sent as JSON (`{"log": ...}`) or as the raw text of the log.

    Context (repository, workflow, job, run_id) comes from the JSON body or, for raw bodies, from
    the query string; it is echoed in the answer. Binary and non-UTF-8 logs are accepted.
    """
    settings: Settings = request.app.state.settings
    kind = body_kind(request)
    gzipped = is_gzipped(request)
    classifier = current_classifier(request)  # kept for the whole request, even across a reload
    body = await read_body(request, settings.max_body_bytes)
    limiter = request.app.state.classify_limiter
    region, context = await anyio.to_thread.run_sync(
        _extract, body, kind, gzipped, settings.max_body_bytes, limiter=limiter
    )
    batcher: PredictionBatcher = request.app.state.batcher
    prediction = await asyncio.wrap_future(batcher.submit(classifier, region, threshold))
    result = prediction.to_dict()
    query = {"repository": repository, "workflow": workflow, "job": job, "run_id": run_id}
    for name, value in query.items():
        if value is not None:
            context.setdefault(name, value)
    metrics: Metrics = request.app.state.metrics
    metrics.observe_prediction(result["category"], result["confidence"], result["auto_fix"])
    return {**result, **context}
