"""``POST /v1/webhooks/github``: GitHub tells autoheal what happened; autoheal queues the work.

Order matters: the body is read under a size cap and its signature checked on the raw bytes
before the header values and the JSON are looked at. A delivery that passes is stored together
with its job in one transaction before the answer, so once GitHub hears 202 the work survives
a crash; a bad request stores nothing. A repeated ``X-GitHub-Delivery`` is answered 200 and
changes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qs

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from service._body import read_body
from service._database_handle import DatabaseHandle, DatabaseUnavailable
from service._errors import ApiError
from service._webhook_routing import PayloadError, Routed, route
from service._webhook_signature import SIGNATURE_HEADER, SignatureError, verify
from service.schemas import error_responses
from service.settings import Settings
from service.storage import Database, enqueue, record_delivery
from service.storage._models import Failure, WebhookDelivery

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])

EVENT_HEADER: Final = "X-GitHub-Event"
DELIVERY_HEADER: Final = "X-GitHub-Delivery"
_EVENT: Final = re.compile(r"^[a-z_]{1,60}$")
_DELIVERY: Final = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


class WebhookAnswer(BaseModel):
    """What autoheal did with a delivery."""

    delivery: str
    event: str
    action: str | None
    outcome: str
    """accepted (a job was queued), recorded (an outcome job was queued), ignored, or
    duplicate (this delivery, or the same work from another delivery, was already stored)."""
    job_id: int | None = None
    reason: str


REQUEST_BODY: Final[dict[str, Any]] = {
    "required": True,
    "description": "The event payload exactly as GitHub sent it (signed with the shared secret).",
    "content": {
        "application/json": {"schema": {"type": "object"}},
        "application/x-www-form-urlencoded": {
            "schema": {"type": "object", "properties": {"payload": {"type": "string"}}}
        },
    },
}
HEADERS: Final = [
    {
        "name": name,
        "in": "header",
        "required": True,
        "schema": {"type": "string", "pattern": pattern},
        "description": text,
    }
    for name, pattern, text in (
        (
            SIGNATURE_HEADER,
            "^sha256=[0-9a-fA-F]{64}$",
            "sha256=<hex HMAC-SHA256 of the raw body with the webhook secret>",
        ),
        (EVENT_HEADER, _EVENT.pattern, "The event name, e.g. workflow_run."),
        (DELIVERY_HEADER, _DELIVERY.pattern, "The delivery's unique id (a redelivery repeats it)."),
    )
]


@dataclass(frozen=True)
class _Stored:
    outcome: str
    job_id: int | None
    reason: str


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _header(request: Request, name: str, pattern: re.Pattern[str], code: str) -> str:
    value = request.headers.get(name, "").strip()
    if not value:
        raise ApiError(400, code, f"the {name} header is missing")
    if not pattern.match(value):
        raise ApiError(400, code, f"the {name} header is malformed")
    return value


def _payload(request: Request, body: bytes) -> Mapping[str, Any]:
    """The JSON payload, sent as JSON or as the form field ``payload`` (GitHub offers both)."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    text: str | bytes = body
    if media == "application/x-www-form-urlencoded":
        try:
            fields = parse_qs(body.decode("utf-8"), strict_parsing=True, max_num_fields=20)
        except (UnicodeDecodeError, ValueError) as exc:
            raise ApiError(400, "invalid_form", f"the form body is malformed: {exc}") from None
        if "payload" not in fields:
            raise ApiError(400, "invalid_form", "the form body has no 'payload' field")
        text = fields["payload"][0]
    try:
        parsed = json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(400, "invalid_json", f"the payload is not valid JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise ApiError(400, "invalid_json", "the payload must be a JSON object")
    return parsed


def _awaits_green_run(session: Session, repository: str, workflow: str) -> bool:
    """Whether a merged fix of ``workflow`` in ``repository`` waits for a green run."""
    found = session.scalars(
        select(Failure.id)
        .where(Failure.repository == repository, Failure.workflow == workflow)
        .where(Failure.merged_at.is_not(None), Failure.resolved_at.is_(None))
        .limit(1)
    ).first()
    return found is not None


def store_delivery(db: Database, delivery_id: str, routed: Routed, *, max_attempts: int) -> _Stored:
    """Record the delivery and queue its job in one transaction (blocking)."""
    with db.session() as session:
        job_kind, reason = routed.job_kind, routed.reason
        payload = routed.job_payload
        if payload.get("kind") == "default_green" and not _awaits_green_run(
            session, str(routed.repository), str(payload.get("workflow"))
        ):
            job_kind, reason = None, "a green run, but no merged fix awaits one"
        outcome = "ignored"
        if job_kind is not None:
            outcome = "recorded" if job_kind == "outcome" else "accepted"
        if not record_delivery(
            session, delivery_id, routed.event, routed.action, routed.repository, outcome=outcome
        ):
            return _Stored("duplicate", None, "this delivery was already received")
        if job_kind is None:
            return _Stored(outcome, None, reason)
        job_id = enqueue(
            session, job_kind, dict(payload), dedupe_key=routed.dedupe_key,
            max_attempts=max_attempts,
        )  # fmt: skip
        delivery = session.get(WebhookDelivery, delivery_id)
        if job_id is None:
            outcome, reason = "duplicate", "the same work was already queued by another delivery"
        if delivery is not None:
            delivery.job_id, delivery.outcome = job_id, outcome
        return _Stored(outcome, job_id, reason)


@router.post(
    "/github",
    response_model=WebhookAnswer,
    status_code=202,
    summary="Receive a GitHub webhook delivery",
    openapi_extra={"requestBody": REQUEST_BODY, "parameters": HEADERS},
    responses={
        200: {"model": WebhookAnswer, "description": "Ignored, or already received."},
        **error_responses(400, 401, 404, 413, 422, 503),
    },
)
async def github_webhook(request: Request) -> JSONResponse:
    settings = _settings(request)
    # Which headers are present says nothing about the secret: checked first. Their values are
    # read only once the signature holds.
    signature = request.headers.get(SIGNATURE_HEADER)
    if not (signature or "").strip():
        raise ApiError(401, "missing_signature", f"the {SIGNATURE_HEADER} header is missing")
    for name, code in ((EVENT_HEADER, "invalid_event"), (DELIVERY_HEADER, "invalid_delivery")):
        if not request.headers.get(name, "").strip():
            raise ApiError(400, code, f"the {name} header is missing")
    secrets = settings.webhook_secrets()
    if not secrets:
        raise ApiError(
            404, "webhooks_disabled", "webhooks are disabled: AUTOHEAL_WEBHOOK_SECRET is not set"
        )
    body = await read_body(request, settings.webhook_max_body_bytes)
    try:
        verify(secrets, body, signature)
    except SignatureError as exc:
        raise ApiError(401, exc.code, exc.message) from None
    event = _header(request, EVENT_HEADER, _EVENT, "invalid_event")
    delivery_id = _header(request, DELIVERY_HEADER, _DELIVERY, "invalid_delivery")
    payload = _payload(request, body)
    try:
        routed = route(
            event,
            payload,
            copilot_logins=settings.copilot_login_set(),
            allow_forks=settings.allow_forks,
        )
    except PayloadError as exc:
        raise ApiError(422, "invalid_payload", f"{event} payload: {exc}") from None
    handle: DatabaseHandle = request.app.state.database
    try:
        db = await anyio.to_thread.run_sync(handle.get)
        stored = await anyio.to_thread.run_sync(
            lambda: store_delivery(db, delivery_id, routed, max_attempts=settings.job_max_attempts)
        )
    except DatabaseUnavailable as exc:
        raise ApiError(503, "storage_unavailable", str(exc), {"Retry-After": "5"}) from None
    except SQLAlchemyError as exc:
        # Nothing was stored (the transaction rolled back): GitHub may deliver again.
        message = f"the delivery could not be stored: {type(exc).__name__}"
        raise ApiError(503, "storage_unavailable", message, {"Retry-After": "5"}) from None
    if stored.job_id is not None:
        worker = getattr(request.app.state, "worker", None)
        if worker is not None:
            worker.wake()
    answer = WebhookAnswer(
        delivery=delivery_id,
        event=event,
        action=routed.action,
        outcome=stored.outcome,
        job_id=stored.job_id,
        reason=stored.reason,
    )
    status = 202 if stored.outcome in ("accepted", "recorded") else 200
    return JSONResponse(answer.model_dump(), status_code=status)
