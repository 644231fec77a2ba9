"""``/_fake/``: inspect the state, seed runs and tokens, and arm faults from another process.

These endpoints need no token: the stand-in listens on the loopback interface only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from service.fake_github._errors import ApiError
from service.fake_github._http import json_body, state_of
from service.fake_github._models import FAULT_KINDS
from service.fake_github._state import JobSpec

router = APIRouter(prefix="/_fake")


def _out(value: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(jsonable_encoder(value), status_code=status)


@router.get("")
async def summary(request: Request) -> JSONResponse:
    state = state_of(request)
    with state.lock:
        repos = {
            full: {
                "default_branch": repo.default_branch,
                "fork_of": repo.fork_of,
                "branches": dict(repo.branches),
                "issues": sum(1 for i in repo.issues.values() if i.pull is None),
                "pulls": sum(1 for i in repo.issues.values() if i.pull is not None),
            }
            for full, repo in state.repos.items()
        }
        runs = [
            {"id": r.id, "repo": r.repo, "conclusion": r.conclusion, "attempt": r.run_attempt}
            for r in state.runs.values()
        ]
        tokens = {
            t.value: {"login": t.login, "permissions": sorted(t.permissions)}
            for t in state.tokens.values()
        }
    return _out({"repos": repos, "runs": runs, "tokens": tokens, "requests": len(state.requests)})


@router.get("/requests")
async def requests(request: Request) -> JSONResponse:
    return _out(state_of(request).requests)


@router.get("/records/{kind}")
async def records(request: Request, kind: str) -> JSONResponse:
    """``merges``, ``reviews``, ``reruns`` or ``agent_assignments``."""
    state = state_of(request)
    found = {
        "merges": state.merges,
        "reviews": state.reviews,
        "reruns": state.reruns,
        "agent_assignments": state.agent_assignments,
    }.get(kind)
    if found is None:
        raise ApiError(404, f"unknown record kind {kind!r}")
    return _out(found)


@router.get("/repos/{owner}/{name}/{kind}")
async def repo_records(request: Request, owner: str, name: str, kind: str) -> JSONResponse:
    """``issues``, ``pulls``, ``comments``, ``branches`` or ``labels`` of one repository."""
    state = state_of(request)
    full = f"{owner}/{name}"
    value: object
    if kind == "issues":
        value = state.issues(full)
    elif kind == "pulls":
        value = state.pulls(full)
    elif kind == "comments":
        value = state.comments(full)
    elif kind == "branches":
        value = state.branches(full)
    elif kind == "labels":
        value = state.labels(full)
    else:
        raise ApiError(404, f"unknown kind {kind!r}")
    return _out(value)


@router.get("/faults")
async def list_faults(request: Request) -> JSONResponse:
    return _out(state_of(request).faults)


@router.post("/faults")
async def add_fault(request: Request) -> JSONResponse:
    """Body: ``{"kind": one of FAULT_KINDS, "method": "POST", "path": "/repos/*/issues",
    "times": 1, "after_write": false, "seconds": 1.0}``."""
    body = await json_body(request)
    kind = body.get("kind")
    if kind not in FAULT_KINDS:
        raise ApiError(422, f"kind must be one of {list(FAULT_KINDS)}")
    try:
        fault = state_of(request).add_fault(
            kind,
            str(body.get("method", "*")),
            str(body.get("path", "*")),
            times=int(body.get("times", 1)),
            after_write=bool(body.get("after_write", False)),
            seconds=float(body.get("seconds", 1.0)),
        )
    except (TypeError, ValueError) as error:
        raise ApiError(422, str(error)) from None
    return _out(fault, 201)


@router.delete("/faults")
async def clear_faults(request: Request) -> JSONResponse:
    state_of(request).clear_faults()
    return _out({"cleared": True})


@router.post("/tokens")
async def add_token(request: Request) -> JSONResponse:
    body = await json_body(request)
    token, login = body.get("token"), body.get("login")
    if not isinstance(token, str) or not isinstance(login, str):
        raise ApiError(422, "token and login are required strings")
    permissions = body.get("permissions")
    try:
        state_of(request).add_token(token, login, permissions=permissions)
    except ValueError as error:
        raise ApiError(422, str(error)) from None
    return _out({"token": token, "login": login}, 201)


@router.post("/roles")
async def set_role(request: Request) -> JSONResponse:
    """Body: ``{"repo": "o/r", "login": ..., "role": "write"}`` (``null`` removes the role)."""
    body = await json_body(request)
    repo, login, role = body.get("repo"), body.get("login"), body.get("role")
    if not isinstance(repo, str) or not isinstance(login, str):
        raise ApiError(422, "repo and login are required strings")
    if role is not None and not isinstance(role, str):
        raise ApiError(422, "role must be a string or null")
    try:
        state_of(request).set_role(repo, login, role)
    except ValueError as error:
        raise ApiError(422, str(error)) from None
    return _out({"repo": repo, "login": login, "role": role})


@router.post("/runs")
async def add_run(request: Request) -> JSONResponse:
    """Body: ``{"repo": "o/r", "jobs": [{"name": ..., "conclusion": ..., "log": ...}],
    "conclusion": "failure", "head_branch": ..., "head_repo": ..., "event": ..., "name": ...}``."""
    body = await json_body(request)
    jobs = [
        JobSpec(str(j["name"]), j.get("conclusion", "failure"), j.get("log", ""))
        for j in body.get("jobs", [])
        if isinstance(j, dict) and "name" in j
    ]
    keys = ("name", "path", "head_branch", "head_repo", "event", "actor", "display_title")
    options = {k: str(body[k]) for k in keys if isinstance(body.get(k), str)}
    try:
        run_id = state_of(request).add_run(
            str(body.get("repo", "")),
            jobs=jobs,
            conclusion=body.get("conclusion", "failure"),
            **options,  # type: ignore[arg-type]
        )
    except ApiError:
        raise
    except (KeyError, TypeError, ValueError) as error:
        raise ApiError(422, f"cannot seed run: {error}") from None
    return _out({"id": run_id}, 201)


@router.post("/runs/{run_id}/finish")
async def finish(request: Request, run_id: int) -> JSONResponse:
    """Complete a re-run's queued jobs: ``{"conclusion": "success", "logs": {job: text}}``."""
    body = await json_body(request)
    state = state_of(request)
    if run_id not in state.runs:
        raise ApiError(404, "Not Found")
    state.finish_attempt(run_id, str(body.get("conclusion", "success")), body.get("logs"))
    return _out(state.run(run_id))
