"""The ASGI app: authentication, fault injection, rate-limit headers and the request log wrap
every call below ``/api/v3``; routers by concern answer them."""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections.abc import Awaitable, Callable
from typing import Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from service.fake_github import (
    _routes_actions,
    _routes_admin,
    _routes_apps,
    _routes_git,
    _routes_issues,
    _routes_misc,
    _routes_pulls,
)
from service.fake_github._apps import app_of_jwt, looks_like_jwt
from service.fake_github._errors import ApiError
from service.fake_github._http import state_of
from service.fake_github._models import Fault, RequestRecord, utcnow
from service.fake_github._state import RATE_LIMIT, FakeGitHub

API = "/api/v3"
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)
Handler = Callable[[Request], Awaitable[Response]]


def create_app(state: FakeGitHub) -> FastAPI:
    app = FastAPI(title="GitHub REST stand-in", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.fake = state
    app.add_exception_handler(ApiError, _api_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _bad_path)  # type: ignore[arg-type]
    app.middleware("http")(_gateway)
    routers = (_routes_misc, _routes_actions, _routes_issues, _routes_git, _routes_pulls)
    for module in (*routers, _routes_apps):
        app.include_router(module.router)
    app.include_router(_routes_actions.blobs)
    app.include_router(_routes_admin.router)
    return app


async def _api_error(_: Request, error: ApiError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


async def _bad_path(_: Request, error: RequestValidationError) -> JSONResponse:
    # A non-numeric id in a path: GitHub answers 404 rather than a validation report.
    return JSONResponse(ApiError(404, "Not Found").body(), status_code=404)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() in ("token", "bearer") and value.strip() else None


async def _gateway(request: Request, call_next: Handler) -> Response:
    path = request.url.path
    is_api = path.startswith(API + "/") or path == API
    if not (is_api or path.startswith("/api/blobs/")):
        return await call_next(request)
    state = state_of(request)
    login: str | None = None
    if is_api:
        try:
            login = _authenticate(request, state, path.removeprefix(API))
        except ApiError as refused:
            response: Response = JSONResponse(refused.body(), refused.status)
            _log(state, request, None, response.status_code, None)
            return response
    fault = state.take_fault(request.method, path.removeprefix(API) if is_api else path)
    if fault is not None and fault.kind == "delay":
        await asyncio.sleep(fault.seconds)
    if fault is not None and fault.kind != "delay":
        if fault.after_write:
            performed = await call_next(request)
            async for _ in performed.body_iterator:  # type: ignore[attr-defined]
                pass  # let the handler finish; its answer is replaced by the fault's
        response = _fault_response(fault, state.account(login).id if login else 0)
    else:
        response = await call_next(request)
    if login is not None and "X-RateLimit-Remaining" not in response.headers:
        _rate_headers(response, state.count_request(login), login, state)
    _log(state, request, login, response.status_code, fault.kind if fault else None)
    return response


# What an app may call as itself (with its JWT); everything else needs a token.
_APP_PATHS: Final = re.compile(
    r"^/app(/installations/\d+/access_tokens)?$|^/repos/[^/]+/[^/]+/installation$"
)
_REPO_PATH: Final = re.compile(r"^/repos/([^/]+)/([^/]+)(?:/|$)")


def _authenticate(request: Request, state: FakeGitHub, path: str) -> str:
    """Who calls, as ``request.state.token`` (or ``.app`` for an app's JWT); the login."""
    bearer = _bearer(request) or ""
    token = state.token(bearer)
    if token is None and looks_like_jwt(bearer):
        with state.lock:
            app = app_of_jwt(state.apps, bearer)
        if not _APP_PATHS.match(path):
            raise ApiError(
                403, "A JSON web token authenticates the app only: use an installation token"
            )
        request.state.app = app
        request.state.token = None
        return app.bot_login
    if token is None or token.expired(utcnow()):
        raise ApiError(401, "Bad credentials")
    repo = _REPO_PATH.match(path)
    full_name = f"{repo.group(1)}/{repo.group(2)}" if repo is not None else None
    allowed = token.repositories
    if full_name is not None and allowed is not None and full_name not in allowed:
        raise ApiError(404, "Not Found")  # GitHub hides what a token cannot see
    request.state.token = token
    return token.login


def _rate_headers(response: Response, remaining: int, login: str, state: FakeGitHub) -> None:
    reset = (int(time.time()) // 3600 + 1) * 3600
    response.headers["X-RateLimit-Limit"] = str(RATE_LIMIT)
    response.headers["X-RateLimit-Remaining"] = str(remaining)
    response.headers["X-RateLimit-Reset"] = str(reset)
    response.headers["X-RateLimit-Used"] = str(state.used(login))
    response.headers["X-RateLimit-Resource"] = "core"


def _fault_response(fault: Fault, account_id: int) -> Response:
    wait = str(math.ceil(fault.seconds))
    if fault.kind in ("500", "502"):
        return JSONResponse({"message": "Server Error"}, status_code=int(fault.kind))
    if fault.kind == "rate_limit":
        message = f"API rate limit exceeded for user ID {account_id}."
        headers = {
            "X-RateLimit-Limit": str(RATE_LIMIT),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": str(int(time.time() + math.ceil(fault.seconds))),
            "X-RateLimit-Used": str(RATE_LIMIT),
            "X-RateLimit-Resource": "core",
        }
        return JSONResponse(ApiError(403, message).body(), status_code=403, headers=headers)
    status = 429 if fault.kind == "429" else 403
    body = ApiError(status, SECONDARY_MESSAGE).body()
    return JSONResponse(body, status_code=status, headers={"Retry-After": wait})


def _log(
    state: FakeGitHub, request: Request, login: str | None, status: int, fault: str | None
) -> None:
    path = request.url.path
    query = request.url.query
    state.record_request(RequestRecord(request.method, path, query, login, status, fault, utcnow()))
