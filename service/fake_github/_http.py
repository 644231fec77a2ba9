"""Request helpers shared by the routers: caller identity, JSON bodies, pagination."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from service.fake_github._errors import ApiError, forbidden_integration
from service.fake_github._models import Token
from service.fake_github._render import Links
from service.fake_github._state import FakeGitHub

T = TypeVar("T")
PER_PAGE_DEFAULT = 30
PER_PAGE_MAX = 100


def state_of(request: Request) -> FakeGitHub:
    found: FakeGitHub = request.app.state.fake
    return found


def links_of(request: Request) -> Links:
    return Links(f"{request.url.scheme}://{request.url.netloc}")


def token_of(request: Request) -> Token:
    """The caller's token (the middleware has already refused unknown ones)."""
    found: Token = request.state.token
    return found


def require(request: Request, permission: str, message: str | None = None) -> Token:
    """The caller's token if it may write with ``permission``, else GitHub's 403."""
    token = token_of(request)
    if permission not in token.permissions:
        if message is not None:
            raise ApiError(403, message)
        raise forbidden_integration()
    return token


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        parsed = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Problems parsing JSON") from None
    if not isinstance(parsed, dict):
        raise ApiError(400, "Problems parsing JSON")
    return parsed


def opt_str(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise ApiError(422, f'Invalid request.\n\nFor "{key}", {value!r} is not a string.')
    return value


def req_str(body: dict[str, Any], key: str, resource: str) -> str:
    value = opt_str(body, key)
    if not value:
        raise ApiError(
            422,
            "Validation Failed",
            errors=[{"resource": resource, "field": key, "code": "missing_field"}],
        )
    return value


def str_list(value: Any, key: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError(
            422, f'Invalid request.\n\nFor "{key}", {value!r} is not an array of strings.'
        )
    return list(value)


def int_param(request: Request, key: str, default: int) -> int:
    raw = request.query_params.get(key)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError(422, f"Invalid value for {key}: {raw!r}") from None


def page(request: Request, items: Sequence[T]) -> tuple[list[T], dict[str, str]]:
    """Slice ``items`` by ``page``/``per_page`` and build GitHub's ``Link`` header."""
    per_page = min(max(int_param(request, "per_page", PER_PAGE_DEFAULT), 1), PER_PAGE_MAX)
    number = max(int_param(request, "page", 1), 1)
    last = max((len(items) + per_page - 1) // per_page, 1)
    chunk = list(items[(number - 1) * per_page : number * per_page])
    base = f"{request.url.scheme}://{request.url.netloc}{request.url.path}"
    params = {k: v for k, v in request.query_params.items() if k != "page"}

    def link(target: int, rel: str) -> str:
        return f'<{base}?{urlencode({**params, "page": target})}>; rel="{rel}"'

    parts = []
    if number < last:
        parts += [link(number + 1, "next"), link(last, "last")]
    if number > 1:
        parts += [link(1, "first"), link(min(number - 1, last), "prev")]
    return chunk, ({"Link": ", ".join(parts)} if parts else {})


def respond(content: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    if status == 204:  # no body at all: a JSON "null" would break the HTTP framing
        return Response(status_code=204, headers=headers)
    return JSONResponse(content, status_code=status, headers=headers)
