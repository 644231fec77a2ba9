"""Healing as a GitHub App: repository-scoped installation tokens, minted over real HTTP.

The stand-in checks the app's RS256 JWTs with its public key, mints tokens limited to the
repositories and permissions asked for, refuses them elsewhere and after they expire.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pydantic import ValidationError
from typer.testing import CliRunner

from autoheal.cli import app
from service import Settings
from service.fake_github import FakeGitHub, FakeGitHubServer, serve
from service.remediation._app_auth import AppNotInstalled, GitHubAppTokens
from service.remediation._settings import ConfigError, RemediationSettings
from tests._service_support import model_path
from tests._webhook_support import BOT, BOT_TOKEN, REPO, issue_log
from tests._worker_env import worker_env

APP_ID = 424242
OTHER = "octo-org/private-infra"


def _pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture(scope="module")
def private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _public(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.fixture
def github(private_key: rsa.RSAPrivateKey) -> Iterator[FakeGitHubServer]:
    """REPO and OTHER exist; the app is installed on REPO only. (The bot token is for the
    test's own reads, building webhook payloads; the service is given no token.)"""
    state = FakeGitHub()
    state.add_token(BOT_TOKEN, BOT)
    for name in (REPO, OTHER):
        state.add_repo(name, files={"README.md": "# x\n"})
    state.add_app(APP_ID, _public(private_key), slug="autoheal-ci")
    state.install_app(APP_ID, [REPO])
    server = serve(state=state)
    yield server
    server.stop()


def _jwt(key: rsa.RSAPrivateKey, *, lifetime: int = 540, app_id: int = APP_ID) -> str:
    now = int(time.time())
    claims = {"iat": now - 60, "exp": now + lifetime, "iss": str(app_id)}
    return jwt.encode(claims, key, algorithm="RS256")


def _get(server: FakeGitHubServer, path: str, token: str) -> httpx.Response:
    return httpx.get(f"{server.base_url}{path}", headers={"Authorization": f"Bearer {token}"})


def test_the_stand_in_mints_scoped_tokens_for_the_apps_jwt_only(
    github: FakeGitHubServer, private_key: rsa.RSAPrivateKey
) -> None:
    app_jwt = _jwt(private_key)
    found = _get(github, f"/repos/{REPO}/installation", app_jwt)
    assert found.status_code == 200, found.text
    assert _get(github, f"/repos/{OTHER}/installation", app_jwt).status_code == 404
    # As itself, the app reads nothing else; a forged or too long-lived JWT is refused.
    assert _get(github, f"/repos/{REPO}", app_jwt).status_code == 403
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert _get(github, f"/repos/{REPO}/installation", _jwt(stranger)).status_code == 401
    too_long = _jwt(private_key, lifetime=3600)
    assert _get(github, f"/repos/{REPO}/installation", too_long).status_code == 401

    url = f"{github.base_url}/app/installations/{found.json()['id']}/access_tokens"
    auth = {"Authorization": f"Bearer {app_jwt}"}
    wider = httpx.post(url, headers=auth, json={"repositories": ["private-infra"]})
    assert wider.status_code == 422
    minted = httpx.post(
        url, headers=auth, json={"repositories": ["shop"], "permissions": {"issues": "write"}}
    )
    assert minted.status_code == 201, minted.text
    token = minted.json()["token"]
    assert token.startswith("ghs_") and minted.json()["expires_at"].endswith("Z")
    assert _get(github, f"/repos/{REPO}", token).status_code == 200
    assert _get(github, f"/repos/{OTHER}", token).status_code == 404  # hidden, not forbidden
    issue = httpx.post(
        f"{github.base_url}/repos/{REPO}/issues",
        headers={"Authorization": f"token {token}"},
        json={"title": "t", "body": "b"},
    )
    assert issue.status_code == 201 and issue.json()["user"]["login"] == "autoheal-ci[bot]"
    branch = httpx.post(
        f"{github.base_url}/repos/{REPO}/git/refs",
        headers={"Authorization": f"token {token}"},
        json={"ref": "refs/heads/x", "sha": "0" * 40},
    )
    assert branch.status_code == 403  # minted with issues: write only
    # An installation token stops working when it expires.
    stored = github.state.tokens[token]
    stored.expires_at = stored.expires_at - timedelta(hours=2)  # type: ignore[operator]
    assert _get(github, f"/repos/{REPO}", token).status_code == 401


def test_app_tokens_are_minted_per_repository_cached_and_renewed_before_expiry(
    github: FakeGitHubServer, private_key: rsa.RSAPrivateKey
) -> None:
    now = [time.time()]
    tokens = GitHubAppTokens(APP_ID, _pem(private_key), github.base_url, clock=lambda: now[0])
    first = tokens.token_for(REPO)
    assert tokens.token_for(REPO) == first  # cached
    minted = [r for r in github.state.requests if r.path.endswith("/access_tokens")]
    assert len(minted) == 1
    assert github.state.tokens[first].repositories == frozenset({REPO})
    assert github.state.tokens[first].permissions == frozenset(
        {"actions", "contents", "issues", "pull_requests"}
    )
    now[0] += 3600 - 300  # five minutes left: not enough for a heal
    second = tokens.token_for(REPO)
    assert second != first
    with pytest.raises(AppNotInstalled, match=f"not installed on {OTHER}"):
        tokens.token_for(OTHER)


def test_settings_need_a_readable_rsa_key_with_the_app_id(
    tmp_path: Path, private_key: rsa.RSAPrivateKey
) -> None:
    pem = _pem(private_key)
    one_line = pem.replace("\n", "\\n")  # as a CI secret or .env line carries it
    assert Settings(github_app_id=1, github_app_private_key=one_line).github_app_key() == pem
    key_file = tmp_path / "app.pem"
    key_file.write_text(pem)
    assert Settings(github_app_id=1, github_app_private_key_file=key_file).github_app_key() == pem
    elliptic = _pem(ec.generate_private_key(ec.SECP256R1()))
    for values, message in (
        ({"github_app_id": 1}, "needs exactly one of"),
        ({"github_app_private_key": pem}, "AUTOHEAL_GITHUB_APP_ID is not"),
        ({"github_app_id": 1, "github_app_private_key": "not a key"}, "not a PEM private key"),
        ({"github_app_id": 1, "github_app_private_key": elliptic}, "not an RSA key"),
        ({"github_app_id": 1, "github_app_private_key_file": tmp_path / "missing.pem"}, "read"),
    ):
        with pytest.raises(ValidationError, match=message):
            Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def model_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return model_path(request, tmp_path_factory)


def test_the_worker_heals_as_the_app_with_a_token_for_that_repository_only(
    tmp_path: Path,
    model_file: Path,
    github: FakeGitHubServer,
    private_key: rsa.RSAPrivateKey,
) -> None:
    state = github.state
    with worker_env(
        tmp_path,
        model_file,
        github,
        github_token=None,
        copilot_token=None,
        github_app_id=APP_ID,
        github_app_private_key=_pem(private_key),
    ) as env:
        env.heal(issue_log(model_file))
        (issue,) = state.issues(REPO)
        assert issue.user == "autoheal-ci[bot]"
        assert len(state.pulls(REPO)) == 1 and env.failure().issue_number == issue.number
        writers = {r.login for r in state.requests if r.method != "GET" and "/repos/" in r.path}
        assert writers == {"autoheal-ci[bot]"}
        used = [t for t in state.tokens.values() if t.login == "autoheal-ci[bot]"]
        assert used and all(t.repositories == frozenset({REPO}) for t in used)


def test_autoheal_heal_mints_its_token_from_the_app_when_no_token_is_given(
    github: FakeGitHubServer, private_key: rsa.RSAPrivateKey, tmp_path: Path
) -> None:
    key_file = tmp_path / "app.pem"
    key_file.write_text(_pem(private_key))
    env = {
        "GITHUB_API_URL": github.base_url,
        "AUTOHEAL_GITHUB_APP_ID": str(APP_ID),
        "AUTOHEAL_GITHUB_APP_PRIVATE_KEY_FILE": str(key_file),
    }
    settings = RemediationSettings.from_env(env, repository=REPO)
    assert github.state.tokens[settings.github_token].repositories == frozenset({REPO})
    # A token given wins; without a repository (or an app) there is nothing to mint.
    given = RemediationSettings.from_env({**env, "GITHUB_TOKEN": "given"}, repository=REPO)
    assert given.github_token == "given"
    with pytest.raises(ConfigError, match="GITHUB_TOKEN is not set"):
        RemediationSettings.from_env(env)
    with pytest.raises(ConfigError, match=f"not installed on {OTHER}"):
        RemediationSettings.from_env(env, repository=OTHER)
    broken = {**env, "AUTOHEAL_GITHUB_APP_PRIVATE_KEY_FILE": str(tmp_path / "nope.pem")}
    with pytest.raises(ConfigError, match="cannot read the GitHub App private key file"):
        RemediationSettings.from_env(broken, repository=REPO)
    with pytest.raises(ConfigError, match="positive integer"):
        RemediationSettings.from_env({**env, "AUTOHEAL_GITHUB_APP_ID": "x"}, repository=REPO)


def test_dataset_import_reads_runs_with_an_app_token_when_no_token_is_given(
    github: FakeGitHubServer,
    private_key: rsa.RSAPrivateKey,
    model_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.setenv("GITHUB_API_URL", github.base_url)
    monkeypatch.setenv("AUTOHEAL_GITHUB_THROTTLE", "0")
    monkeypatch.setenv("AUTOHEAL_GITHUB_APP_ID", str(APP_ID))
    monkeypatch.setenv("AUTOHEAL_GITHUB_APP_PRIVATE_KEY", _pem(private_key))
    args = ["dataset", "import", "--repo", REPO, "--since", "2025-06-01", "-m", str(model_file)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    readers = {r.login for r in github.state.requests if "/actions/runs" in r.path}
    assert readers == {"autoheal-ci[bot]"}
    other = CliRunner().invoke(app, [*args[:3], OTHER, *args[4:]])
    assert other.exit_code == 2 and f"not installed on {OTHER}" in other.output
