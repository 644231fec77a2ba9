"""GitHub Apps in the stand-in: RS256 JSON web tokens, installations and installation tokens.

An app authenticates as itself with a JWT it signs with its private key (``iss`` = the app id,
``exp`` at most ten minutes after ``iat``); as itself it may only look up where it is installed
and mint installation tokens. An installation token (``ghs_...``) works like any token, limited
to the repositories and permissions it was minted for, and expires after an hour.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

import jwt

from service.fake_github._errors import ApiError
from service.fake_github._models import ALL_PERMISSIONS, Token

TOKEN_LIFETIME: Final = timedelta(hours=1)
MAX_JWT_SECONDS: Final = 600
JWT_LEEWAY: Final = 60
LEVELS: Final = ("read", "write")


@dataclass
class Installation:
    id: int
    app_id: int
    account: str
    repositories: frozenset[str]


@dataclass
class App:
    id: int
    slug: str
    public_key: bytes  # PEM
    permissions: frozenset[str]  # what it may write (the stand-in's permission names)

    @property
    def bot_login(self) -> str:
        return f"{self.slug}[bot]"


def looks_like_jwt(value: str) -> bool:
    return value.count(".") == 2 and value.startswith("eyJ")


def app_of_jwt(apps: Mapping[int, App], value: str) -> App:
    """The app that signed ``value``; GitHub's 401 when it did not, or the token is expired,
    not yet valid, or valid for longer than ten minutes."""
    try:
        issuer = jwt.decode(value, options={"verify_signature": False}).get("iss")
        app = apps.get(int(str(issuer)))
        if app is None:
            raise ApiError(401, "Integration not found")
        claims = jwt.decode(
            value,
            app.public_key,
            algorithms=["RS256"],
            options={"require": ["exp", "iat", "iss"]},
            leeway=JWT_LEEWAY,
        )
    except (jwt.PyJWTError, ValueError, TypeError):
        raise ApiError(401, "A JSON web token could not be decoded") from None
    if int(claims["exp"]) - int(claims["iat"]) > MAX_JWT_SECONDS + JWT_LEEWAY:
        raise ApiError(401, "'Expiration time' claim ('exp') is too far in the future")
    return app


def _permissions(app: App, asked: Any) -> frozenset[str]:
    """Write permissions of a new token: the app's, or those asked for (each one the app has)."""
    if asked is None:
        return app.permissions
    if not isinstance(asked, dict) or not all(
        isinstance(k, str) and v in LEVELS for k, v in asked.items()
    ):
        raise ApiError(422, "Invalid request.\n\nFor 'permissions', expected an object.")
    wanted = {name for name, level in asked.items() if level == "write" and name != "metadata"}
    if not wanted <= app.permissions or not wanted <= ALL_PERMISSIONS:
        raise ApiError(422, "The permissions requested are not granted to this installation.")
    return frozenset(wanted)


def mint_token(
    app: App, installation: Installation, body: Mapping[str, Any], now: datetime
) -> Token:
    """A new installation token for ``body``'s ``repositories`` (names, default: all of the
    installation's) and ``permissions``; not registered here."""
    names = body.get("repositories")
    if names is None:
        repositories = installation.repositories
    else:
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ApiError(422, "Invalid request.\n\nFor 'repositories', expected an array.")
        owner = installation.account
        repositories = frozenset(n if "/" in n else f"{owner}/{n}" for n in names)
        if not repositories <= installation.repositories:
            raise ApiError(
                422,
                "The list of repositories contains at least one repository that does not exist "
                "or is not accessible to the parent installation.",
            )
    value = "ghs_" + secrets.token_hex(18)
    permissions = _permissions(app, body.get("permissions"))
    return Token(value, app.bot_login, permissions, repositories, now + TOKEN_LIFETIME)


def installation_json(installation: Installation, app: App, api: str) -> dict[str, Any]:
    return {
        "id": installation.id,
        "app_id": app.id,
        "app_slug": app.slug,
        "target_type": "Organization",
        "account": {"login": installation.account, "type": "Organization"},
        "repository_selection": "selected",
        "permissions": {name: "write" for name in sorted(app.permissions)} | {"metadata": "read"},
        "access_tokens_url": f"{api}/app/installations/{installation.id}/access_tokens",
        "events": ["workflow_run", "issue_comment", "pull_request"],
    }
