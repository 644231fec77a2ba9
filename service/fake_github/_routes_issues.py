"""Issues (pull requests included, as on GitHub), comments, labels and assignees."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.fake_github import _render
from service.fake_github._errors import ApiError, not_found, validation
from service.fake_github._http import (
    json_body,
    links_of,
    opt_str,
    page,
    req_str,
    require,
    respond,
    state_of,
    str_list,
)
from service.fake_github._models import AgentAssignment, Comment, Issue, Repo, utcnow
from service.fake_github._state import FakeGitHub, parse_time

router = APIRouter(prefix="/api/v3/repos/{owner}/{name}")
COPILOT = "copilot-swe-agent[bot]"


def issue_in(repo: Repo, number: int) -> Issue:
    found = repo.issues.get(number)
    if found is None:
        raise not_found()
    return found


def render(request: Request, repo: Repo, found: Issue) -> dict[str, Any]:
    return _render.issue(links_of(request), state_of(request), repo, found)


@router.get("/issues")
async def list_issues(request: Request, owner: str, name: str) -> Response:
    state = state_of(request)
    params = request.query_params
    wanted_state = params.get("state", "open")
    wanted_labels = {x.strip().lower() for x in params.get("labels", "").split(",") if x.strip()}
    since = parse_time(params["since"]) if params.get("since") else None
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        found = [
            i
            for i in repo.issues.values()
            if wanted_state in ("all", i.state)
            and wanted_labels <= {n.lower() for n in i.labels}
            and (since is None or i.updated_at >= since)
            and params.get("creator") in (None, i.user)
            and params.get("assignee") in (None, "*", *i.assignees)
        ]
        key = "updated_at" if params.get("sort") == "updated" else "created_at"
        found.sort(
            key=lambda i: (getattr(i, key), i.number), reverse=params.get("direction") != "asc"
        )
        chunk, headers = page(request, found)
        return respond([render(request, repo, i) for i in chunk], headers=headers)


@router.post("/issues")
async def create_issue(request: Request, owner: str, name: str) -> Response:
    token = require(request, "issues")
    body = await json_body(request)
    title = req_str(body, "title", "Issue")
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        now = utcnow()
        number = state.new_number(repo)
        found = Issue(state.next_id(), number, title, opt_str(body, "body"), token.login, now, now)
        _set_labels(state, repo, found, str_list(body.get("labels"), "labels"))
        found.assignees = _dedupe(str_list(body.get("assignees"), "assignees"))
        repo.issues[number] = found
        return respond(render(request, repo, found), status=201)


@router.get("/issues/{number}")
async def get_issue(request: Request, owner: str, name: str, number: int) -> Response:
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        return respond(render(request, repo, issue_in(repo, number)))


@router.patch("/issues/{number}")
async def edit_issue(request: Request, owner: str, name: str, number: int) -> Response:
    require(request, "issues")
    body = await json_body(request)
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        found = issue_in(repo, number)
        edit_common(state, repo, found, body)
        if "labels" in body:
            _set_labels(state, repo, found, str_list(body["labels"], "labels"), replace=True)
        if "assignees" in body:
            found.assignees = _dedupe(str_list(body["assignees"], "assignees"))
        return respond(render(request, repo, found))


def edit_common(state: FakeGitHub, repo: Repo, found: Issue, body: dict[str, Any]) -> None:
    """Title, body and state: the fields issues and pull requests edit alike."""
    if "title" in body:
        found.title = req_str(body, "title", "Issue")
    if "body" in body:
        found.body = opt_str(body, "body")
    new_state = opt_str(body, "state")
    if new_state is not None:
        if new_state not in ("open", "closed"):
            raise validation("Issue", "state", "invalid")
        if new_state != found.state:
            found.state = new_state
            found.closed_at = utcnow() if new_state == "closed" else None
            found.state_reason = opt_str(body, "state_reason") or (
                "completed" if new_state == "closed" else "reopened"
            )
    found.updated_at = utcnow()


@router.get("/issues/{number}/comments")
async def list_comments(request: Request, owner: str, name: str, number: int) -> Response:
    state = state_of(request)
    since = request.query_params.get("since")
    moment = parse_time(since) if since else None
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        issue_in(repo, number)
        found = [
            c
            for c in repo.comments.values()
            if c.issue_number == number and (moment is None or c.updated_at >= moment)
        ]
        chunk, headers = page(request, found)
        links = links_of(request)
        rendered = [_render.comment(links, state, repo.full_name, c) for c in chunk]
        return respond(rendered, headers=headers)


@router.post("/issues/{number}/comments")
async def create_comment(request: Request, owner: str, name: str, number: int) -> Response:
    token = require(request, "issues")
    text = req_str(await json_body(request), "body", "IssueComment")
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        found = issue_in(repo, number)
        now = utcnow()
        made = Comment(state.next_id(), number, text, token.login, now, now)
        repo.comments[made.id] = made
        found.updated_at = now
        return respond(_render.comment(links_of(request), state, repo.full_name, made), 201)


@router.get("/issues/comments/{comment_id}")
async def get_comment(request: Request, owner: str, name: str, comment_id: int) -> Response:
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        found = repo.comments.get(comment_id)
        if found is None:
            raise not_found()
        return respond(_render.comment(links_of(request), state, repo.full_name, found))


@router.patch("/issues/comments/{comment_id}")
async def edit_comment(request: Request, owner: str, name: str, comment_id: int) -> Response:
    require(request, "issues")
    text = req_str(await json_body(request), "body", "IssueComment")
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        found = repo.comments.get(comment_id)
        if found is None:
            raise not_found()
        found.body, found.updated_at = text, utcnow()
        return respond(_render.comment(links_of(request), state, repo.full_name, found))


def _labels_payload(body: dict[str, Any]) -> list[str]:
    raw = body.get("labels", [])
    names = [x["name"] if isinstance(x, dict) and "name" in x else x for x in raw or []]
    return str_list(names, "labels")


async def _label_body(request: Request) -> list[str]:
    raw = await request.body()
    if raw.strip().startswith(b"["):  # GitHub also accepts a bare array of names
        return _labels_payload({"labels": (await request.json())})
    return _labels_payload(await json_body(request))


def _set_labels(
    state: FakeGitHub, repo: Repo, found: Issue, names: list[str], *, replace: bool = False
) -> None:
    """Labels unknown to the repository are created, as GitHub does for writers."""
    chosen = [] if replace else list(found.labels)
    for label_name in names:
        label = state.ensure_label(repo, label_name)
        if label.name.lower() not in {n.lower() for n in chosen}:
            chosen.append(label.name)
    found.labels = chosen
    found.updated_at = utcnow()


def _issue_labels(request: Request, repo: Repo, found: Issue) -> Response:
    links = links_of(request)
    rendered = [_render.label(links, repo.full_name, repo.labels[n.lower()]) for n in found.labels]
    return respond(rendered)


@router.get("/issues/{number}/labels")
async def list_issue_labels(request: Request, owner: str, name: str, number: int) -> Response:
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        return _issue_labels(request, repo, issue_in(repo, number))


@router.post("/issues/{number}/labels")
async def add_labels(request: Request, owner: str, name: str, number: int) -> Response:
    return await _change_labels(request, f"{owner}/{name}", number, replace=False)


@router.put("/issues/{number}/labels")
async def set_labels(request: Request, owner: str, name: str, number: int) -> Response:
    return await _change_labels(request, f"{owner}/{name}", number, replace=True)


async def _change_labels(
    request: Request, repo_name: str, number: int, *, replace: bool
) -> Response:
    require(request, "issues")
    names = await _label_body(request)
    state = state_of(request)
    with state.lock:
        repo = state.repo(repo_name)
        found = issue_in(repo, number)
        _set_labels(state, repo, found, names, replace=replace)
        return _issue_labels(request, repo, found)


@router.delete("/issues/{number}/labels")
async def clear_labels(request: Request, owner: str, name: str, number: int) -> Response:
    require(request, "issues")
    state = state_of(request)
    with state.lock:
        found = issue_in(state.repo(f"{owner}/{name}"), number)
        found.labels, found.updated_at = [], utcnow()
    return respond(None, status=204)


@router.delete("/issues/{number}/labels/{label}")
async def remove_label(
    request: Request, owner: str, name: str, number: int, label: str
) -> Response:
    require(request, "issues")
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        found = issue_in(repo, number)
        kept = [n for n in found.labels if n.lower() != label.lower()]
        if len(kept) == len(found.labels):
            raise ApiError(404, "Label does not exist")
        found.labels, found.updated_at = kept, utcnow()
        return _issue_labels(request, repo, found)


@router.post("/issues/{number}/assignees")
async def add_assignees(request: Request, owner: str, name: str, number: int) -> Response:
    """Assign; ``agent_assignment`` (target_repo, base_branch, custom_instructions) goes with
    assigning the Copilot coding agent, which a bot token cannot start (silently dropped,
    as GitHub drops assignees it will not accept)."""
    token = require(request, "issues")
    body = await json_body(request)
    wanted = str_list(body.get("assignees"), "assignees")
    agent = body.get("agent_assignment")
    if agent is not None and not (
        isinstance(agent, dict) and all(isinstance(v, str) for v in agent.values())
    ):
        raise ApiError(422, "Invalid request.\n\nagent_assignment must be an object of strings.")
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        found = issue_in(repo, number)
        is_bot = state.account(token.login).type == "Bot"
        accepted = [a for a in wanted if not (is_bot and a == COPILOT)]
        found.assignees = _dedupe([*found.assignees, *accepted])
        found.updated_at = utcnow()
        state.record_agent_assignment(
            AgentAssignment(repo.full_name, number, token.login, tuple(accepted), agent, utcnow())
        )
        return respond(render(request, repo, found), status=201)


@router.delete("/issues/{number}/assignees")
async def remove_assignees(request: Request, owner: str, name: str, number: int) -> Response:
    require(request, "issues")
    gone = set(str_list((await json_body(request)).get("assignees"), "assignees"))
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        found = issue_in(repo, number)
        found.assignees = [a for a in found.assignees if a not in gone]
        return respond(render(request, repo, found))


@router.get("/labels")
async def list_labels(request: Request, owner: str, name: str) -> Response:
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        chunk, headers = page(request, list(repo.labels.values()))
        links = links_of(request)
        return respond([_render.label(links, repo.full_name, x) for x in chunk], headers=headers)


@router.post("/labels")
async def create_label(request: Request, owner: str, name: str) -> Response:
    require(request, "issues")
    body = await json_body(request)
    label_name = req_str(body, "name", "Label")
    color = (opt_str(body, "color") or "ededed").lstrip("#")
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        if label_name.lower() in repo.labels:
            raise validation("Label", "name", "already_exists")
        made = state.ensure_label(repo, label_name, color)
        made.description = opt_str(body, "description")
        return respond(_render.label(links_of(request), repo.full_name, made), status=201)


@router.get("/labels/{label}")
async def get_label(request: Request, owner: str, name: str, label: str) -> Response:
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        found = repo.labels.get(label.lower())
        if found is None:
            raise not_found()
        return respond(_render.label(links_of(request), repo.full_name, found))


def _dedupe(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))
