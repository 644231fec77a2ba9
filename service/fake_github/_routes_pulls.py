"""Pull requests: open (draft or not), list, read, edit; merges and reviews are recorded so a
test can assert that nothing merged or approved."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.fake_github import _git, _render
from service.fake_github._errors import ApiError, validation
from service.fake_github._http import (
    json_body,
    links_of,
    opt_str,
    page,
    req_str,
    require,
    respond,
    state_of,
    token_of,
)
from service.fake_github._models import Issue, MergeAttempt, PullInfo, Repo, Review, utcnow
from service.fake_github._routes_issues import edit_common
from service.fake_github._state import FakeGitHub

router = APIRouter(prefix="/api/v3/repos/{owner}/{name}/pulls")
ACTIONS_PR_DENIED = "GitHub Actions is not permitted to create or approve pull requests."


def pull_in(repo: Repo, number: int) -> Issue:
    found = repo.issues.get(number)
    if found is None or found.pull is None:
        raise ApiError(404, "Not Found")
    return found


def _render_pull(request: Request, repo: Repo, found: Issue) -> dict[str, Any]:
    return _render.pull(links_of(request), state_of(request), repo, found)


def _head(state: FakeGitHub, repo: Repo, head: str) -> tuple[Repo, str]:
    """``branch`` or ``owner:branch`` (a fork of this repository) to (repository, branch)."""
    owner, sep, branch = head.partition(":")
    if not sep:
        return repo, head
    if owner == repo.owner:
        return repo, branch
    fork = state.repos.get(f"{owner}/{repo.name}")
    if fork is None or fork.fork_of != repo.full_name:
        raise validation("PullRequest", "head", "invalid")
    return fork, branch


@router.post("")
async def create_pull(request: Request, owner: str, name: str) -> Response:
    token = require(request, "pull_requests", ACTIONS_PR_DENIED)
    body = await json_body(request)
    head = req_str(body, "head", "PullRequest")
    base = req_str(body, "base", "PullRequest")
    title = req_str(body, "title", "PullRequest")
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        head_repo, head_ref = _head(state, repo, head)
        if head_ref not in head_repo.branches:
            raise validation("PullRequest", "head", "invalid")
        if base not in repo.branches:
            raise validation("PullRequest", "base", "invalid")
        if head_repo is repo and repo.branches[head_ref] == repo.branches[base]:
            message = f"No commits between {base} and {head_ref}"
            raise validation("PullRequest", "head", "custom", message)
        for other in repo.issues.values():
            info = other.pull
            if (
                info
                and other.state == "open"
                and (info.head_repo, info.head_ref, info.base_ref)
                == (
                    head_repo.full_name,
                    head_ref,
                    base,
                )
            ):
                message = f"A pull request already exists for {head_repo.owner}:{head_ref}."
                raise validation("PullRequest", "head", "custom", message)
        now = utcnow()
        number = state.new_number(repo)
        found = Issue(state.next_id(), number, title, opt_str(body, "body"), token.login, now, now)
        found.pull = PullInfo(
            id=state.next_id(),
            head_repo=head_repo.full_name,
            head_ref=head_ref,
            base_ref=base,
            draft=bool(body.get("draft", False)),
            base_sha=repo.branches[base],
            maintainer_can_modify=bool(body.get("maintainer_can_modify", True)),
        )
        repo.issues[number] = found
        return respond(_render_pull(request, repo, found), status=201)


@router.get("")
async def list_pulls(request: Request, owner: str, name: str) -> Response:
    state = state_of(request)
    params = request.query_params
    wanted_state = params.get("state", "open")
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        head = params.get("head")
        head_key = None
        if head:
            # GitHub expects owner:branch here; a bare branch name matches this repository's
            owner_part, sep, branch = head.partition(":")
            head_key = (f"{owner_part}/{repo.name}", branch) if sep else (repo.full_name, head)
        found = [
            i
            for i in repo.issues.values()
            if i.pull is not None
            and wanted_state in ("all", i.state)
            and (head_key is None or (i.pull.head_repo, i.pull.head_ref) == head_key)
            and params.get("base") in (None, i.pull.base_ref)
        ]
        found.sort(key=lambda i: i.number, reverse=params.get("direction", "desc") != "asc")
        chunk, headers = page(request, found)
        return respond([_render_pull(request, repo, i) for i in chunk], headers=headers)


@router.get("/{number}")
async def get_pull(request: Request, owner: str, name: str, number: int) -> Response:
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        return respond(_render_pull(request, repo, pull_in(repo, number)))


@router.patch("/{number}")
async def edit_pull(request: Request, owner: str, name: str, number: int) -> Response:
    require(request, "pull_requests", ACTIONS_PR_DENIED)
    body = await json_body(request)
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        found = pull_in(repo, number)
        edit_common(state, repo, found, body)
        base = opt_str(body, "base")
        if base is not None and found.pull is not None:
            if base not in repo.branches:
                raise validation("PullRequest", "base", "invalid")
            found.pull.base_ref = base
        return respond(_render_pull(request, repo, found))


@router.get("/{number}/merge")
async def is_merged(request: Request, owner: str, name: str, number: int) -> Response:
    state = state_of(request)
    with state.lock:
        found = pull_in(state.repo(f"{owner}/{name}"), number)
        merged = found.pull is not None and found.pull.merged
    return respond(None, status=204) if merged else respond({"message": "Not Found"}, 404)


@router.put("/{number}/merge")
async def merge(request: Request, owner: str, name: str, number: int) -> Response:
    """Merge (every attempt is recorded, refused or not)."""
    token = token_of(request)
    body = await json_body(request)
    method = opt_str(body, "merge_method") or "merge"
    state = state_of(request)
    repo_name = f"{owner}/{name}"
    status, out = 200, {}
    try:
        require(request, "contents")
        with state.lock:
            repo = state.repo(repo_name)
            found = pull_in(repo, number)
            out = _do_merge(state, repo, found, token.login, opt_str(body, "commit_title"))
    except ApiError as error:
        status = error.status
        raise
    finally:
        attempt = MergeAttempt(repo_name, number, token.login, method, status, utcnow())
        state.record_merge(attempt)
    return respond(out)


def _do_merge(
    state: FakeGitHub, repo: Repo, found: Issue, login: str, title: str | None
) -> dict[str, Any]:
    info = found.pull
    assert info is not None
    if info.draft:
        raise ApiError(405, "Pull Request is still a draft")
    if info.merged or found.state != "open":
        raise ApiError(405, "Pull Request is not mergeable")
    head_repo = state.repos[info.head_repo]
    tree = dict(repo.commits[repo.branches[info.base_ref]].tree)
    tree.update(head_repo.commits[head_repo.branches[info.head_ref]].tree)
    message = title or f"Merge pull request #{found.number}"
    sha = _git.commit(repo, repo.branches[info.base_ref], tree, message, login)
    repo.branches[info.base_ref] = sha
    now = utcnow()
    info.merged, info.merged_at, info.merged_by, info.merge_commit_sha = True, now, login, sha
    found.state, found.closed_at, found.updated_at = "closed", now, now
    return {"sha": sha, "merged": True, "message": "Pull Request successfully merged"}


@router.post("/{number}/reviews")
async def create_review(request: Request, owner: str, name: str, number: int) -> Response:
    """Review (recorded whatever the outcome); nobody may approve their own pull request."""
    token = token_of(request)
    body = await json_body(request)
    event = opt_str(body, "event") or "PENDING"
    text = opt_str(body, "body") or ""
    state = state_of(request)
    repo_name = f"{owner}/{name}"
    review_id = state.next_id()
    status = 200
    try:
        require(request, "pull_requests", ACTIONS_PR_DENIED)
        with state.lock:
            repo = state.repo(repo_name)
            found = pull_in(repo, number)
            if event == "APPROVE" and found.user == token.login:
                raise ApiError(422, "Unprocessable Entity: Can not approve your own pull request")
            links = links_of(request)
            submitted = event != "PENDING"
            out = {
                "id": review_id,
                "node_id": f"PRR_{review_id}",
                "user": _render.user(links, state.account(token.login)),
                "body": text,
                "state": _review_state(event),
                "commit_id": opt_str(body, "commit_id") or repo.branches.get(repo.default_branch),
                "html_url": links.html(f"{repo_name}/pull/{number}#pullrequestreview-{review_id}"),
                "pull_request_url": f"{links.repo(repo_name)}/pulls/{number}",
                "submitted_at": _render.when(utcnow()) if submitted else None,
                "author_association": "CONTRIBUTOR",
            }
    except ApiError as error:
        status = error.status
        raise
    finally:
        state.record_review(
            Review(review_id, repo_name, number, token.login, event, text, status, utcnow())
        )
    return respond(out)


def _review_state(event: str) -> str:
    return {
        "APPROVE": "APPROVED",
        "REQUEST_CHANGES": "CHANGES_REQUESTED",
        "COMMENT": "COMMENTED",
    }.get(event, "PENDING")
