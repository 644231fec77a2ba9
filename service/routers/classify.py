"""``POST /v1/classify``: name the failure in one CI log.

The route is the service's hot path, so it does by hand what FastAPI's machinery would do at a
cost comparable to classifying a log: the bearer token is checked and the query string is
validated (same model, same errors) only in the handler, and the answer, a plain dict already
shaped like `ClassifyResponse`, is written with orjson instead of being validated again. The
OpenAPI document still declares the parameters, the security scheme and the response model.

A small, uncompressed log (most requests) is classified on the event loop: it costs about a
millisecond, less than handing it to a thread and back. Larger or compressed bodies go to a
worker thread (bounded by the app's ``classify_limiter``) so that they never hold up the loop.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, Final

import anyio.to_thread
import orjson
from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from model import LogReadError, LogText, extract_region
from model.classifier import Classifier, Prediction
from service._auth import bearer, require_api_token
from service._body import BodyKind, body_kind, gunzip, is_gzipped, read_body, unwrap_log
from service._errors import ApiError
from service._metrics import Metrics
from service.routers._common import current_classifier, invalid_body
from service.schemas import (
    MAX_RUN_ID,
    NOT_BLANK,
    ClassifyContext,
    ClassifyRequest,
    ClassifyResponse,
    error_responses,
)
from service.settings import Settings


class _RequestOnlyRoute(APIRoute):
    """A route whose endpoint takes the `Request` alone and returns its `Response`: it is called
    as is, without FastAPI's parameter solving and response validation (there is nothing to
    solve or validate, and on the hot path they cost as much as a third of the parsing). The
    OpenAPI document is built from the route as usual."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        if self.dependant.dependencies or self.dependant.query_params or self.body_field:
            return super().get_route_handler()  # something to solve after all
        endpoint: Callable[[Request], Coroutine[Any, Any, Response]] = self.endpoint
        return endpoint


router = APIRouter(prefix="/v1", tags=["classify"], route_class=_RequestOnlyRoute)

_CONTEXT_FIELDS: Final = tuple(ClassifyContext.model_fields)
# Bodies up to this size, not gzip-encoded, are classified on the event loop (about 1 ms per
# 20 KB); anything larger runs in a worker thread.
INLINE_MAX_BYTES: Final = 64 * 1024
_CONTAINER_MAGICS: Final = (b"\x1f\x8b", b"PK\x03\x04", b"PK\x05\x06")


class ClassifyQuery(BaseModel):
    """The query string: a threshold override and, for raw bodies, the log's context."""

    model_config = ConfigDict(extra="ignore")

    threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Confidence needed for auto_fix (overrides default).",
    )
    repository: str | None = Field(default=None, max_length=1024)
    workflow: str | None = Field(default=None, max_length=1024)
    job: str | None = Field(default=None, max_length=1024)
    run_id: int | None = Field(default=None, ge=0, le=MAX_RUN_ID)


# The query of most requests (none): only read, so one instance serves them all.
_NO_QUERY: Final = ClassifyQuery()


def _query_parameters() -> list[dict[str, Any]]:
    """OpenAPI ``parameters`` of the query string, as FastAPI would declare them."""
    out = []
    for name, schema in ClassifyQuery.model_json_schema()["properties"].items():
        schema.pop("default", None)
        parameter: dict[str, Any] = {"name": name, "in": "query", "required": False}
        parameter["schema"] = schema
        if "description" in schema:
            parameter["description"] = schema["description"]
        out.append(parameter)
    return out


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


def _query(request: Request) -> ClassifyQuery:
    """The validated query string; 422 ``invalid_request`` as FastAPI words it otherwise."""
    if not request.scope.get("query_string"):
        return _NO_QUERY
    params = request.query_params
    given = {name: params[name] for name in ClassifyQuery.model_fields if name in params}
    try:
        return ClassifyQuery.model_validate(given)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        raise RequestValidationError(
            [{**err, "loc": ("query", *err["loc"])} for err in errors]
        ) from None


class _ClassifyBody(ClassifyContext):
    """`ClassifyRequest` as the route parses it: the log straight into the UTF-8 bytes of its
    text, which the scanner reads (a 20 KB log parsed as a str and encoded again costs four
    times as much). A blank log is refused afterwards, as `ClassifyRequest`'s pattern would."""

    model_config = ConfigDict(extra="forbid")

    log: bytes


def _parse_json(body: bytes) -> tuple[bytes, dict[str, Any]]:
    """The log's text as UTF-8 and the context of a JSON body; errors as `ClassifyRequest`
    words them (the body is parsed again by it only when it is invalid)."""
    parsed: _ClassifyBody | ClassifyRequest
    try:
        parsed = _ClassifyBody.model_validate_json(body)
    except ValidationError:
        parsed = _parse_documented(body)
    log = (
        parsed.log if isinstance(parsed.log, bytes) else parsed.log.encode("utf-8", "surrogatepass")
    )
    return log, parsed.model_dump(include=set(_CONTEXT_FIELDS), exclude_none=True)


def _parse_documented(body: bytes) -> ClassifyRequest:
    try:
        return ClassifyRequest.model_validate_json(body)
    except ValidationError as exc:
        if any(
            err["loc"] == ("log",) and err["type"] == "string_pattern_mismatch"
            for err in exc.errors(include_url=False, include_input=False)
        ):
            raise ApiError(422, "empty_log", "the log is empty") from None
        raise invalid_body(exc) from None


# What `str.isspace` counts as blank among ASCII bytes (\x1c-\x1f included).
_ASCII_SPACE: Final = bytes(b for b in range(128) if chr(b).isspace())


def _is_blank_text(log: bytes) -> bool:
    """Whether UTF-8 text is empty or all white space (``str.isspace``), decoding it only
    when the first byte that is not ASCII white space is not ASCII."""
    rest = log.lstrip(_ASCII_SPACE)
    if not rest:
        return True
    if rest[0] < 0x80:
        return False
    return rest.decode("utf-8", "surrogatepass").isspace()


def _classify(
    classifier: Classifier,
    body: bytes,
    kind: BodyKind,
    gzipped: bool,
    limit: int,
    threshold: float | None,
) -> tuple[Prediction, dict[str, Any]]:
    """The CPU-bound work of one request: inflate, parse, find the error region, predict."""
    if gzipped:
        body = gunzip(body, limit)
    context: dict[str, Any] = {}
    log: LogText | bytes
    if kind == "json":
        text, context = _parse_json(body)
        if _is_blank_text(text):
            raise ApiError(422, "empty_log", "the log is empty")
        log = LogText(text)  # text: the classifier reads it as is, never as a container
    else:
        log = unwrap_log(body, limit)
        if not log or log.isspace():
            raise ApiError(422, "empty_log", "the log is empty")
    try:
        region = extract_region(log)
    except LogReadError as exc:
        raise ApiError(400, "unreadable_log", str(exc)) from None
    return classifier.predict_region(region, threshold=threshold), context


def _answer(prediction: Prediction, context: dict[str, Any]) -> dict[str, Any]:
    """The JSON object of `ClassifyResponse`: its fields in order (context first, absent ones
    null, every evidence item with its ``file``), then any extra fields of the prediction."""
    answer: dict[str, Any] = {name: context.get(name) for name in _CONTEXT_FIELDS}
    answer.update(prediction.to_dict())
    answer["evidence"] = [
        {"line": item.line, "text": item.text, "file": item.file} for item in prediction.evidence
    ]
    return answer


@router.post(
    "/classify",
    response_model=ClassifyResponse,
    summary="Classify one CI job log",
    openapi_extra={
        "requestBody": REQUEST_BODY,
        "parameters": _query_parameters(),
        "security": [{"HTTPBearer": []}],
    },
    responses=error_responses(400, 401, 413, 415, 422, 503),
)
async def classify(request: Request) -> Response:
    """Classify a log sent as JSON (`{"log": ...}`) or as the raw text of the log.

    Context (repository, workflow, job, run_id) comes from the JSON body or, for raw bodies, from
    the query string; it is echoed in the answer. Binary and non-UTF-8 logs are accepted.
    """
    await require_api_token(request, await bearer(request))
    query = _query(request)
    settings: Settings = request.app.state.settings
    kind = body_kind(request)
    gzipped = is_gzipped(request)
    classifier = current_classifier(request)  # kept for the whole request, even across a reload
    limit = settings.max_body_bytes
    body = await read_body(request, limit)
    work = (classifier, body, kind, gzipped, limit, query.threshold)
    if gzipped or len(body) > INLINE_MAX_BYTES or body.startswith(_CONTAINER_MAGICS):
        limiter = request.app.state.classify_limiter
        prediction, context = await anyio.to_thread.run_sync(_classify, *work, limiter=limiter)
    else:
        prediction, context = _classify(*work)
    for name in _CONTEXT_FIELDS:
        value = getattr(query, name)
        if value is not None:
            context.setdefault(name, value)
    answer = _answer(prediction, context)
    metrics: Metrics = request.app.state.metrics
    metrics.observe_prediction(answer["category"], answer["confidence"], answer["auto_fix"])
    body = orjson.dumps(answer, option=orjson.OPT_SERIALIZE_NUMPY)
    return Response(body, media_type="application/json")
