"""Bearer-token checks: the API token for /v1, the admin token for model reloads."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service._errors import ApiError
from service.settings import Settings

# auto_error=False: a missing header is answered by us, in the service's error shape.
bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <token>")

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def _matches(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


# Dependencies are coroutines: FastAPI would run plain functions in a thread, at a cost per call.
async def require_api_token(request: Request, credentials: Credentials) -> None:
    expected = _settings(request).token("api")
    if expected is None:
        return
    if credentials is None:
        raise ApiError(401, "unauthorized", "missing bearer token", _CHALLENGE)
    if not _matches(credentials.credentials, expected):
        raise ApiError(401, "unauthorized", "invalid bearer token", _CHALLENGE)


async def require_admin_token(request: Request, credentials: Credentials) -> None:
    expected = _settings(request).token("admin")
    if expected is None:
        raise ApiError(
            404, "reload_disabled", "model reload is disabled: AUTOHEAL_ADMIN_TOKEN is not set"
        )
    if credentials is None:
        raise ApiError(401, "unauthorized", "missing admin bearer token", _CHALLENGE)
    if not _matches(credentials.credentials, expected):
        raise ApiError(403, "forbidden", "invalid admin bearer token")
