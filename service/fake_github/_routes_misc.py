"""Account, rate-limit and repository endpoints."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.fake_github import _render
from service.fake_github._errors import ApiError, forbidden_integration
from service.fake_github._http import links_of, respond, state_of, token_of
from service.fake_github._state import RATE_LIMIT

router = APIRouter(prefix="/api/v3")


@router.get("/user")
async def get_user(request: Request) -> Response:
    state = state_of(request)
    account = state.account(token_of(request).login)
    if account.type == "Bot":  # an installation token has no user behind it
        raise forbidden_integration()
    return respond(_render.user(links_of(request), account))


@router.get("/users/{login}")
async def get_named_user(request: Request, login: str) -> Response:
    state = state_of(request)
    with state.lock:
        if login not in state.accounts:
            raise ApiError(404, "Not Found")
        return respond(_render.user(links_of(request), state.accounts[login]))


@router.get("/rate_limit")
async def rate_limit(request: Request) -> Response:
    state = state_of(request)
    used = state.used(token_of(request).login)
    reset = (int(time.time()) // 3600 + 1) * 3600
    core = {"limit": RATE_LIMIT, "used": used, "remaining": RATE_LIMIT - used, "reset": reset}
    idle = {"limit": 30, "used": 0, "remaining": 30, "reset": reset}
    resources = {"core": core, "search": idle, "graphql": dict(core, used=0, remaining=RATE_LIMIT)}
    return respond({"resources": resources, "rate": core})


@router.get("/repos/{owner}/{name}")
async def get_repo(request: Request, owner: str, name: str) -> Response:
    state = state_of(request)
    with state.lock:
        found = state.repo(f"{owner}/{name}")
        return respond(_render.repo(links_of(request), state, found, token_of(request)))


# The legacy ``permission`` field folds the finer roles into admin, write and read.
_LEGACY_PERMISSION = {
    "admin": "admin", "maintain": "write", "write": "write", "triage": "read", "read": "read",
}  # fmt: skip


@router.get("/repos/{owner}/{name}/collaborators/{login}/permission")
async def collaborator_permission(request: Request, owner: str, name: str, login: str) -> Response:
    """A user's permission on the repository. A user who is no collaborator may read a
    public repository and nothing of a private one; an unknown login is 404."""
    state = state_of(request)
    with state.lock:
        found = state.repo(f"{owner}/{name}")
        if login not in state.accounts:
            raise ApiError(404, "Not Found")
        role = state.role_of(found.full_name, login) or ("none" if found.private else "read")
        body = {
            "permission": _LEGACY_PERMISSION.get(role, "none"),
            "role_name": role,
            "user": _render.user(links_of(request), state.accounts[login]),
        }
        return respond(body)
