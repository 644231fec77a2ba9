"""Git data: refs (branches), branches, commits and file contents (each write a commit)."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.fake_github import _git, _render
from service.fake_github._errors import ApiError, not_found, validation
from service.fake_github._http import (
    json_body,
    links_of,
    opt_str,
    req_str,
    require,
    respond,
    state_of,
    str_list,
)
from service.fake_github._models import Repo

router = APIRouter(prefix="/api/v3/repos/{owner}/{name}")


def _branch_of(ref: str) -> str:
    """``heads/x`` or ``refs/heads/x`` to ``x``; other namespaces (tags) are not kept."""
    ref = unquote(ref).removeprefix("refs/")
    if not ref.startswith("heads/"):
        raise not_found()
    return ref.removeprefix("heads/")


def _ref_json(request: Request, repo: Repo, branch: str) -> Response:
    sha = repo.branches.get(branch)
    if sha is None:
        raise not_found()
    return respond(_render.ref(links_of(request), repo.full_name, f"refs/heads/{branch}", sha))


@router.get("/git/ref/{ref:path}")
async def get_ref(request: Request, owner: str, name: str, ref: str) -> Response:
    state = state_of(request)
    with state.lock:
        return _ref_json(request, state.repo(f"{owner}/{name}"), _branch_of(ref))


@router.get("/git/refs/{ref:path}")
async def get_ref_legacy(request: Request, owner: str, name: str, ref: str) -> Response:
    return await get_ref(request, owner, name, ref)


@router.get("/git/matching-refs/{ref:path}")
async def matching_refs(request: Request, owner: str, name: str, ref: str) -> Response:
    state = state_of(request)
    prefix = "refs/" + unquote(ref).removeprefix("refs/")
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        links = links_of(request)
        found = [
            _render.ref(links, repo.full_name, f"refs/heads/{b}", sha)
            for b, sha in sorted(repo.branches.items())
            if f"refs/heads/{b}".startswith(prefix)
        ]
        return respond(found)


@router.post("/git/refs")
async def create_ref(request: Request, owner: str, name: str) -> Response:
    require(request, "contents")
    body = await json_body(request)
    ref = req_str(body, "ref", "Reference")
    sha = req_str(body, "sha", "Reference")
    if not ref.startswith("refs/") or ref.count("/") < 2:
        raise ApiError(422, "Reference name must start with 'refs/' and have at least two slashes.")
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        branch = _branch_of(ref)
        if branch in repo.branches:
            raise ApiError(422, "Reference already exists")
        if sha not in repo.commits:
            raise ApiError(422, "Object does not exist")
        repo.branches[branch] = sha
        rendered = _render.ref(links_of(request), repo.full_name, ref, sha)
    return respond(rendered, status=201)


@router.patch("/git/refs/{ref:path}")
async def update_ref(request: Request, owner: str, name: str, ref: str) -> Response:
    require(request, "contents")
    body = await json_body(request)
    sha = req_str(body, "sha", "Reference")
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        branch = _branch_of(ref)
        if branch not in repo.branches:
            raise ApiError(422, "Reference does not exist")
        if sha not in repo.commits:
            raise ApiError(422, "Object does not exist")
        # GitHub moves a ref only forward unless asked to force it: a compare-and-swap.
        if body.get("force") is not True and not _git.descends_from(
            repo, sha, repo.branches[branch]
        ):
            raise ApiError(422, "Update is not a fast forward")
        repo.branches[branch] = sha
        return _ref_json(request, repo, branch)


@router.delete("/git/refs/{ref:path}")
async def delete_ref(request: Request, owner: str, name: str, ref: str) -> Response:
    require(request, "contents")
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        branch = _branch_of(ref)
        if branch not in repo.branches:
            raise ApiError(422, "Reference does not exist")
        del repo.branches[branch]
    return respond(None, status=204)


@router.get("/branches/{branch:path}")
async def get_branch(request: Request, owner: str, name: str, branch: str) -> Response:
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        sha = repo.branches.get(unquote(branch))
        if sha is None:
            raise ApiError(404, "Branch not found")
        links = links_of(request)
        return respond(
            {
                "name": unquote(branch),
                "commit": _render.commit(links, state, repo, sha),
                "protected": False,
                "_links": {"self": f"{links.repo(repo.full_name)}/branches/{branch}"},
            }
        )


@router.get("/git/commits/{sha}")
async def get_commit(request: Request, owner: str, name: str, sha: str) -> Response:
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        if sha not in repo.commits:
            raise not_found()
        return respond(_render.commit(links_of(request), state, repo, sha))


def _person_date(body: dict[str, Any], key: str) -> datetime | None:
    person = body.get(key)
    if person is None:
        return None
    if not isinstance(person, dict) or not isinstance(person.get("date", ""), str):
        raise validation("Commit", key, "invalid")
    raw = person.get("date")
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise validation("Commit", key, "invalid", f"{raw!r} is not a date") from None
    if moment.tzinfo is None:
        raise validation("Commit", key, "invalid", f"{raw!r} has no time zone")
    return moment.astimezone(UTC).replace(microsecond=0)


@router.post("/git/commits")
async def create_commit(request: Request, owner: str, name: str) -> Response:
    """A commit object from a tree and parents; no branch moves (``PATCH /git/refs`` does).

    The stand-in names a tree by the id of a commit that has it (that is what it renders as
    ``tree.sha``).
    """
    token = require(request, "contents")
    body = await json_body(request)
    message = req_str(body, "message", "Commit")
    tree_sha = req_str(body, "tree", "Commit")
    parents = str_list(body.get("parents", []), "parents")
    date = _person_date(body, "committer") or _person_date(body, "author")
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        if tree_sha not in repo.commits or any(p not in repo.commits for p in parents):
            raise ApiError(422, "Object does not exist")
        if len(parents) > 1:
            raise ApiError(422, "merge commits are not supported by the stand-in")
        tree = dict(repo.commits[tree_sha].tree)
        sha = _git.commit(repo, parents[0] if parents else None, tree, message, token.login, date)
        rendered = _render.commit(links_of(request), state, repo, sha)
    return respond(rendered, status=201)


@router.get("/contents/{path:path}")
async def get_contents(request: Request, owner: str, name: str, path: str) -> Response:
    state = state_of(request)
    path = unquote(path).strip("/")
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        ref = request.query_params.get("ref") or repo.default_branch
        found = _git.tree_at(repo, ref)
        if found is None:
            raise ApiError(404, f"No commit found for the ref {ref}")
        links = links_of(request)
        tree = found[1]
        if path in tree:
            return respond(_render.content(links, repo.full_name, path, tree[path], ref))
        prefix = f"{path}/" if path else ""
        children = sorted({p[len(prefix) :].split("/")[0] for p in tree if p.startswith(prefix)})
        if not children:
            raise not_found()
        listing = []
        for child in children:
            full = prefix + child
            if full in tree:
                entry = _render.content(links, repo.full_name, full, tree[full], ref)
                del entry["content"], entry["encoding"]
            else:
                entry = {"type": "dir", "name": child, "path": full, "sha": "0" * 40, "size": 0}
                entry["url"] = f"{links.repo(repo.full_name)}/contents/{full}?ref={ref}"
            listing.append(entry)
        return respond(listing)


@router.put("/contents/{path:path}")
async def put_contents(request: Request, owner: str, name: str, path: str) -> Response:
    """Create or update one file with a commit on ``branch``; updates need the blob ``sha``."""
    token = require(request, "contents")
    body = await json_body(request)
    message = req_str(body, "message", "Commit")
    try:
        data = base64.b64decode(req_str(body, "content", "Commit"), validate=True)
    except (binascii.Error, ValueError):
        raise validation("Commit", "content", "invalid", "content is not valid Base64") from None
    path = unquote(path).strip("/")
    if not path:
        raise ApiError(422, "path cannot be empty")
    state = state_of(request)
    with state.lock:
        repo = state.repo(f"{owner}/{name}")
        branch = opt_str(body, "branch") or repo.default_branch
        if branch not in repo.branches:
            raise ApiError(404, f"Branch {branch} not found")
        parent = repo.branches[branch]
        tree = dict(repo.commits[parent].tree)
        given = opt_str(body, "sha")
        if path in tree:
            if given is None:
                raise ApiError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
            if given != _git.blob_sha(tree[path]):
                raise ApiError(409, f"{path} does not match {given}")
        tree[path] = data
        created = path not in repo.commits[parent].tree
        sha = _git.commit(repo, parent, tree, message, token.login)
        repo.branches[branch] = sha
        links = links_of(request)
        out = {
            "content": _render.content(links, repo.full_name, path, data, branch),
            "commit": _render.commit(links, state, repo, sha),
        }
    return respond(out, status=201 if created else 200)
