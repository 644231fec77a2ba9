"""``POST /v1/feedback``: a person corrects a failure's category; ``GET /v1/feedback`` lists them.

The label is stored with the text the model classified for the failure (redacted), which the
next training run learns from (``autoheal dataset export``, then ``autoheal train``). A
failure autoheal has seen is named by its fingerprint alone; for any other, the log is sent
along and the service extracts and redacts its region itself.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Annotated, Any, Final

import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from datasets.feedback import region_text
from model import LogReadError, Region, extract_region
from model.classifier import Classifier
from model.taxonomy import LABELS
from service._auth import Credentials, require_api_token
from service._body import read_body
from service._database_handle import DatabaseHandle, DatabaseUnavailable
from service._errors import ApiError
from service.routers._common import holder, invalid_body
from service.schemas import NOT_BLANK, error_responses
from service.settings import Settings
from service.storage import Database, Failure, Feedback, effective_feedback, list_feedback
from service.storage import record_feedback as store_feedback
from service.storage._feedback import API

router = APIRouter(prefix="/v1/feedback", tags=["feedback"])

FINGERPRINT: Final = r"^[A-Za-z0-9_.:-]{1,64}$"
REPOSITORY: Final = r"^[A-Za-z0-9_.-]{1,39}/[A-Za-z0-9_.-]{1,100}$"
_CHALLENGE: Final = {"WWW-Authenticate": "Bearer"}


class FeedbackRequest(BaseModel):
    """The category a failure should have had."""

    model_config = ConfigDict(extra="forbid")

    fingerprint: str = Field(
        ..., pattern=FINGERPRINT, description="The failure's fingerprint, as /v1/classify gave it."
    )
    category: str = Field(..., description=f"The right category: one of {', '.join(LABELS)}.")
    repository: str | None = Field(
        default=None, pattern=REPOSITORY, description="owner/name, when the failure is known."
    )
    log: str | None = Field(
        default=None,
        pattern=NOT_BLANK,
        description="The job's log; needed when autoheal has not stored the failure.",
    )
    actor: str | None = Field(
        default=None, max_length=100, description="Who gives the label (kept with it)."
    )


class FeedbackItem(BaseModel):
    id: int
    fingerprint: str
    category: str
    previous: str | None = Field(default=None, description="The model's category.")
    source: str = Field(..., description="relabel_comment, api or confirmed_fix.")
    repository: str | None = None
    actor: str | None = None
    created_at: dt.datetime
    trainable: bool = Field(..., description="Whether the failure's region text is stored.")


class FeedbackAnswer(FeedbackItem):
    effective_category: str = Field(
        ..., description="The category that counts for the fingerprint now (the latest label)."
    )


class FeedbackList(BaseModel):
    items: list[FeedbackItem]


REQUEST_BODY: Final[dict[str, Any]] = {
    "required": True,
    "content": {"application/json": {"schema": FeedbackRequest.model_json_schema()}},
}


async def require_feedback_token(request: Request, credentials: Credentials) -> None:
    """The admin token when one is configured (labels change what the model learns), else
    the API token like the other /v1 routes."""
    settings: Settings = request.app.state.settings
    expected = settings.token("admin")
    if expected is None:
        await require_api_token(request, credentials)
        return
    if credentials is None:
        raise ApiError(401, "unauthorized", "missing admin bearer token", _CHALLENGE)
    if not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise ApiError(403, "forbidden", "invalid admin bearer token")


def _parse(body: bytes) -> FeedbackRequest:
    try:
        parsed = FeedbackRequest.model_validate_json(body)
    except ValidationError as exc:
        raise invalid_body(exc) from None
    if parsed.category not in LABELS:
        raise ApiError(
            422,
            "unknown_category",
            f"unknown category {parsed.category!r}; use one of: {', '.join(LABELS)}",
        )
    return parsed


def _failure(db: Database, fingerprint: str, repository: str | None) -> Failure | None:
    query = select(Failure).where(Failure.fingerprint == fingerprint)
    if repository is not None:
        query = query.where(Failure.repository == repository)
    with db.session() as session:
        return session.scalars(
            query.order_by(Failure.last_seen.desc(), Failure.id.desc()).limit(1)
        ).first()


def _region_of_log(log: str, fingerprint: str) -> Region:
    try:
        region = extract_region(log)
    except LogReadError as exc:
        raise ApiError(400, "unreadable_log", str(exc)) from None
    if not region.evidence:
        raise ApiError(422, "no_failure_found", "no failing step or error line found in the log")
    if region.fingerprint != fingerprint:
        raise ApiError(
            422,
            "fingerprint_mismatch",
            f"the log's failure has the fingerprint {region.fingerprint}, not {fingerprint}",
        )
    return region


def _item(row: Feedback) -> dict[str, Any]:
    return {
        "id": row.id,
        "fingerprint": row.fingerprint,
        "category": row.category,
        "previous": row.previous,
        "source": row.source,
        "repository": row.repository,
        "actor": row.actor,
        "created_at": row.created_at,
        "trainable": row.region is not None,
    }


def _record(
    db: Database, request: FeedbackRequest, classifier: Classifier | None
) -> dict[str, Any]:
    """Blocking: extract the log's region if sent, find the failure, store the label."""
    sent = _region_of_log(request.log, request.fingerprint) if request.log else None
    failure = _failure(db, request.fingerprint, request.repository)
    previous = failure.category if failure else None
    if previous is None and sent is not None and classifier is not None:
        # A failure the service never saw: what the model says now is what is corrected.
        previous = classifier.predict_region(sent).category
    region = region_text(sent) if sent is not None else None
    if region is None:
        if failure is None:
            raise ApiError(
                404,
                "unknown_fingerprint",
                f"autoheal has no failure with fingerprint {request.fingerprint}"
                + (f" in {request.repository}" if request.repository else "")
                + ": send the job's log in 'log' to label it",
            )
        if failure.region is None:
            raise ApiError(
                404,
                "no_region",
                f"autoheal kept no log text for failure {request.fingerprint}: send the job's "
                "log in 'log' to label it",
            )
        region = failure.region
    row, _ = store_feedback(
        db,
        fingerprint=request.fingerprint,
        category=request.category,
        source=API,
        repository=request.repository or (failure.repository if failure else None),
        previous=previous,
        actor=request.actor,
        region=region,
    )
    (effective,) = effective_feedback(db, fingerprints=[request.fingerprint])
    return {**_item(row), "effective_category": effective.category}


def _handle(request: Request) -> DatabaseHandle:
    handle: DatabaseHandle = request.app.state.database
    return handle


def _storage_error(exc: Exception) -> ApiError:
    if isinstance(exc, DatabaseUnavailable):
        return ApiError(503, "storage_unavailable", str(exc), {"Retry-After": "5"})
    message = f"the feedback could not be stored: {type(exc).__name__}"
    return ApiError(503, "storage_unavailable", message, {"Retry-After": "5"})


@router.post(
    "",
    response_model=FeedbackAnswer,
    status_code=201,
    summary="Correct a failure's category",
    dependencies=[Depends(require_feedback_token)],
    openapi_extra={"requestBody": REQUEST_BODY},
    responses=error_responses(400, 401, 403, 404, 413, 415, 422, 503),
)
async def post_feedback(request: Request) -> dict[str, Any]:
    """Store the right category for a failure (by fingerprint). Needs the admin token when one
    is configured, else the API token. A later label for the same fingerprint replaces an
    earlier one; a confirmed fix never overrides a label a person gave."""
    settings: Settings = request.app.state.settings
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise ApiError(
            415, "unsupported_media_type", f"content type {media or 'none'!r}: send JSON"
        )
    body = await read_body(request, settings.max_body_bytes)
    parsed = _parse(body)
    try:
        db = await anyio.to_thread.run_sync(_handle(request).get)
        classifier = holder(request).classifier
        return await anyio.to_thread.run_sync(_record, db, parsed, classifier)
    except (DatabaseUnavailable, SQLAlchemyError) as exc:
        raise _storage_error(exc) from None


@router.get(
    "",
    response_model=FeedbackList,
    summary="List recent feedback",
    dependencies=[Depends(require_api_token)],
    responses=error_responses(401, 422, 503),
)
async def get_feedback(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=1000, description="How many, newest first.")] = 50,
    fingerprint: Annotated[str | None, Query(pattern=FINGERPRINT)] = None,
) -> dict[str, Any]:
    """Feedback rows, newest first (every row: the one that counts is the latest label)."""
    try:
        db = await anyio.to_thread.run_sync(_handle(request).get)
        rows = await anyio.to_thread.run_sync(
            lambda: list_feedback(db, limit=limit, fingerprint=fingerprint)
        )
    except (DatabaseUnavailable, SQLAlchemyError) as exc:
        raise _storage_error(exc) from None
    return {"items": [_item(row) for row in rows]}


@router.api_route(
    "", methods=["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"], include_in_schema=False
)
async def other_methods() -> None:
    """405 naming both methods: with two routes on one path, the framework's own answer would
    name only the first one's."""
    raise ApiError(405, "method_not_allowed", "use GET or POST", {"Allow": "GET, POST"})
