"""GitHub App endpoints, answered to the app's own JWT: where it is installed, and minting
installation tokens (``service.fake_github._apps``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.fake_github._apps import App, installation_json, mint_token
from service.fake_github._errors import ApiError, not_found
from service.fake_github._http import json_body, links_of, respond, state_of
from service.fake_github._models import utcnow
from service.fake_github._render import when

router = APIRouter(prefix="/api/v3")


def _app(request: Request) -> App:
    app: App | None = getattr(request.state, "app", None)
    if app is None:
        raise ApiError(401, "A JSON web token could not be decoded")
    return app


@router.get("/app")
async def get_app(request: Request) -> Response:
    app = _app(request)
    return respond({"id": app.id, "slug": app.slug, "name": app.slug, "owner": None})


@router.get("/repos/{owner}/{name}/installation")
async def repo_installation(request: Request, owner: str, name: str) -> Response:
    app = _app(request)
    state = state_of(request)
    full_name = f"{owner}/{name}"
    with state.lock:
        for installation in state.installations.values():
            if installation.app_id == app.id and full_name in installation.repositories:
                api = links_of(request).api
                return respond(installation_json(installation, app, api))
    raise not_found()


@router.post("/app/installations/{installation_id}/access_tokens")
async def access_token(request: Request, installation_id: int) -> Response:
    app = _app(request)
    body = await json_body(request)
    state = state_of(request)
    with state.lock:
        installation = state.installations.get(installation_id)
        if installation is None or installation.app_id != app.id:
            raise not_found()
        token = mint_token(app, installation, body, utcnow())
        state.tokens[token.value] = token
    assert token.repositories is not None and token.expires_at is not None
    return respond(
        {
            "token": token.value,
            "expires_at": when(token.expires_at),
            "permissions": {p: "write" for p in sorted(token.permissions)} | {"metadata": "read"},
            "repository_selection": "selected",
            "repositories": [{"full_name": r} for r in sorted(token.repositories)],
        },
        status=201,
    )
