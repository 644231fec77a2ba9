"""GitHub's JSON shapes. Every ``url`` is absolute on this server under ``/api/v3``:
PyGithub builds follow-up requests from them and refuses other hosts or prefixes."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.fake_github._git import blob_sha
from service.fake_github._models import Account, Comment, Issue, Job, Label, Repo, Run, Token
from service.fake_github._state import FakeGitHub

Json = dict[str, Any]


@dataclass(frozen=True)
class Links:
    """``origin`` is ``scheme://host:port`` as the client addressed this server."""

    origin: str

    @property
    def api(self) -> str:
        return f"{self.origin}/api/v3"

    def repo(self, full_name: str) -> str:
        return f"{self.api}/repos/{full_name}"

    def html(self, path: str) -> str:
        return f"{self.origin}/{path}"


def when(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def user(links: Links, account: Account) -> Json:
    login = account.login
    return {
        "login": login,
        "id": account.id,
        "node_id": f"U_{account.id}",
        "type": account.type,
        "site_admin": False,
        "avatar_url": f"{links.origin}/avatars/{login}",
        "url": f"{links.api}/users/{login}",
        "html_url": links.html(login),
    }


def repo(links: Links, state: FakeGitHub, item: Repo, token: Token | None) -> Json:
    url = links.repo(item.full_name)
    writer = token is not None and "contents" in token.permissions
    is_user = token is not None and state.account(token.login).type == "User"
    out: Json = {
        "id": item.id,
        "node_id": f"R_{item.id}",
        "name": item.name,
        "full_name": item.full_name,
        "owner": user(links, state.account(item.owner)),
        "private": item.private,
        "visibility": "private" if item.private else "public",
        "fork": item.fork_of is not None,
        "default_branch": item.default_branch,
        "url": url,
        "html_url": links.html(item.full_name),
        "issues_url": url + "/issues{/number}",
        "pulls_url": url + "/pulls{/number}",
        "labels_url": url + "/labels{/name}",
        "git_refs_url": url + "/git/refs{/sha}",
        "contents_url": url + "/contents/{+path}",
        "created_at": when(item.created_at),
        "updated_at": when(item.created_at),
        "has_issues": True,
        "archived": False,
        "permissions": {
            "admin": is_user,
            "maintain": is_user,
            "push": writer,
            "triage": writer,
            "pull": True,
        },
    }
    parent = state.repos.get(item.fork_of) if item.fork_of else None
    if parent is not None:
        out["parent"] = out["source"] = repo(links, state, parent, token)
    return out


def label(links: Links, repo_name: str, item: Label) -> Json:
    return {
        "id": item.id,
        "node_id": f"LA_{item.id}",
        "url": f"{links.repo(repo_name)}/labels/{item.name}",
        "name": item.name,
        "color": item.color,
        "default": False,
        "description": item.description,
    }


def issue(links: Links, state: FakeGitHub, item: Repo, found: Issue) -> Json:
    base = links.repo(item.full_name)
    url = f"{base}/issues/{found.number}"
    kind = "pull" if found.pull else "issues"
    comments = sum(1 for c in item.comments.values() if c.issue_number == found.number)
    assignees = [user(links, state.account(login)) for login in found.assignees]
    out: Json = {
        "id": found.id,
        "node_id": f"I_{found.id}",
        "number": found.number,
        "title": found.title,
        "body": found.body,
        "state": found.state,
        "state_reason": found.state_reason,
        "locked": False,
        "user": user(links, state.account(found.user)),
        "labels": [label(links, item.full_name, item.labels[n.lower()]) for n in found.labels],
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "comments": comments,
        "created_at": when(found.created_at),
        "updated_at": when(found.updated_at),
        "closed_at": when(found.closed_at),
        "author_association": "OWNER" if found.user == item.owner else "CONTRIBUTOR",
        "url": url,
        "repository_url": base,
        "labels_url": url + "/labels{/name}",
        "comments_url": url + "/comments",
        "events_url": url + "/events",
        "html_url": links.html(f"{item.full_name}/{kind}/{found.number}"),
    }
    if found.pull is not None:
        html = links.html(f"{item.full_name}/pull/{found.number}")
        out["draft"] = found.pull.draft
        out["pull_request"] = {
            "url": f"{base}/pulls/{found.number}",
            "html_url": html,
            "diff_url": html + ".diff",
            "patch_url": html + ".patch",
            "merged_at": when(found.pull.merged_at),
        }
    return out


def _part(links: Links, state: FakeGitHub, repo_name: str, ref: str, sha: str) -> Json:
    owner = repo_name.split("/")[0]
    found = state.repos.get(repo_name)
    return {
        "label": f"{owner}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": user(links, state.account(owner)),
        "repo": None if found is None else repo(links, state, found, None),
    }


def pull(links: Links, state: FakeGitHub, item: Repo, found: Issue) -> Json:
    info = found.pull
    assert info is not None
    as_issue = issue(links, state, item, found)
    url = f"{links.repo(item.full_name)}/pulls/{found.number}"
    head_repo = state.repos.get(info.head_repo)
    head_sha = head_repo.branches.get(info.head_ref, "") if head_repo else ""
    base_sha = item.branches.get(info.base_ref, info.base_sha)
    merged_by = state.account(info.merged_by) if info.merged_by else None
    keep = ("id", "number", "title", "body", "state", "locked", "user", "labels", "assignee")
    out: Json = {key: as_issue[key] for key in keep}
    out.update(
        {
            "node_id": f"PR_{info.id}",
            "id": info.id,
            "assignees": as_issue["assignees"],
            "created_at": as_issue["created_at"],
            "updated_at": as_issue["updated_at"],
            "closed_at": as_issue["closed_at"],
            "author_association": as_issue["author_association"],
            "draft": info.draft,
            "merged": info.merged,
            "merged_at": when(info.merged_at),
            "merged_by": None if merged_by is None else user(links, merged_by),
            "merge_commit_sha": info.merge_commit_sha,
            "mergeable": None if info.merged else True,
            "mergeable_state": "draft" if info.draft else "clean",
            "maintainer_can_modify": info.maintainer_can_modify,
            "head": _part(links, state, info.head_repo, info.head_ref, head_sha),
            "base": _part(links, state, item.full_name, info.base_ref, base_sha),
            "url": url,
            "html_url": as_issue["pull_request"]["html_url"],
            "diff_url": as_issue["pull_request"]["diff_url"],
            "patch_url": as_issue["pull_request"]["patch_url"],
            "issue_url": as_issue["url"],
            "comments_url": as_issue["comments_url"],
            "commits_url": url + "/commits",
            "review_comments_url": url + "/comments",
            "statuses_url": f"{links.repo(item.full_name)}/statuses/{head_sha}",
            "comments": as_issue["comments"],
        }
    )
    return out


def comment(links: Links, state: FakeGitHub, repo_name: str, found: Comment) -> Json:
    base = links.repo(repo_name)
    return {
        "id": found.id,
        "node_id": f"IC_{found.id}",
        "url": f"{base}/issues/comments/{found.id}",
        "html_url": links.html(f"{repo_name}/issues/{found.issue_number}#issuecomment-{found.id}"),
        "issue_url": f"{base}/issues/{found.issue_number}",
        "body": found.body,
        "user": user(links, state.account(found.user)),
        "created_at": when(found.created_at),
        "updated_at": when(found.updated_at),
        "author_association": "CONTRIBUTOR",
    }


def run(links: Links, state: FakeGitHub, found: Run, token: Token | None) -> Json:
    base = links.repo(found.repo)
    url = f"{base}/actions/runs/{found.id}"
    item = state.repos[found.repo]
    head = state.repos.get(found.head_repo, item)
    pulls = []
    for number in found.pull_requests:
        pr = item.issues.get(number)
        if pr is None or pr.pull is None:
            continue
        pulls.append(
            {
                "id": pr.pull.id,
                "number": number,
                "url": f"{base}/pulls/{number}",
                "head": {
                    "ref": pr.pull.head_ref,
                    "sha": found.head_sha,
                    "repo": _mini(links, head),
                },
                "base": {
                    "ref": pr.pull.base_ref,
                    "sha": pr.pull.base_sha,
                    "repo": _mini(links, item),
                },
            }
        )
    actor = user(links, state.account(found.actor))
    return {
        "id": found.id,
        "node_id": f"WFR_{found.id}",
        "name": found.name,
        "display_title": found.display_title,
        "path": found.path,
        "head_branch": found.head_branch,
        "head_sha": found.head_sha,
        "run_number": found.run_number,
        "run_attempt": found.run_attempt,
        "event": found.event,
        "status": found.status,
        "conclusion": found.conclusion,
        "workflow_id": found.workflow_id,
        "check_suite_id": found.id + 1,
        "url": url,
        "html_url": links.html(f"{found.repo}/actions/runs/{found.id}"),
        "jobs_url": url + "/jobs",
        "logs_url": url + "/logs",
        "check_suite_url": f"{base}/check-suites/{found.id + 1}",
        "artifacts_url": url + "/artifacts",
        "cancel_url": url + "/cancel",
        "rerun_url": url + "/rerun",
        "previous_attempt_url": (
            f"{url}/attempts/{found.run_attempt - 1}" if found.run_attempt > 1 else None
        ),
        "workflow_url": f"{base}/actions/workflows/{found.workflow_id}",
        "pull_requests": pulls,
        "created_at": when(found.created_at),
        "updated_at": when(found.updated_at),
        "run_started_at": when(found.created_at),
        "actor": actor,
        "triggering_actor": actor,
        "head_commit": {"id": found.head_sha, "tree_id": found.head_sha, "message": "update"},
        "repository": repo(links, state, item, token),
        "head_repository": repo(links, state, head, token),
    }


def _mini(links: Links, item: Repo) -> Json:
    return {"id": item.id, "url": links.repo(item.full_name), "name": item.name}


def job(links: Links, state: FakeGitHub, found: Job) -> Json:
    parent = state.runs[found.run_id]
    base = links.repo(parent.repo)
    return {
        "id": found.id,
        "run_id": found.run_id,
        "run_attempt": found.run_attempt,
        "node_id": f"CR_{found.id}",
        "head_sha": parent.head_sha,
        "head_branch": parent.head_branch,
        "workflow_name": parent.name,
        "name": found.name,
        "status": found.status,
        "conclusion": found.conclusion,
        "created_at": when(found.started_at),
        "started_at": when(found.started_at),
        "completed_at": when(found.completed_at),
        "url": f"{base}/actions/jobs/{found.id}",
        "html_url": links.html(f"{parent.repo}/actions/runs/{found.run_id}/job/{found.id}"),
        "run_url": f"{base}/actions/runs/{found.run_id}",
        "check_run_url": f"{base}/check-runs/{found.id}",
        "labels": ["ubuntu-latest"],
        "runner_id": 1,
        "runner_name": found.runner_name,
        "runner_group_id": 1,
        "runner_group_name": "GitHub Actions",
        "steps": [
            {
                "name": step.name,
                "number": step.number,
                "status": step.status,
                "conclusion": step.conclusion,
                "started_at": when(found.started_at),
                "completed_at": when(found.completed_at),
            }
            for step in found.steps
        ],
    }


def ref(links: Links, repo_name: str, name: str, sha: str) -> Json:
    base = links.repo(repo_name)
    return {
        "ref": name,
        "node_id": f"REF_{sha[:12]}",
        "url": f"{base}/git/{name}",
        "object": {"sha": sha, "type": "commit", "url": f"{base}/git/commits/{sha}"},
    }


def content(links: Links, repo_name: str, path: str, data: bytes, ref_name: str) -> Json:
    base = links.repo(repo_name)
    sha = blob_sha(data)
    encoded = base64.encodebytes(data).decode()
    return {
        "type": "file",
        "encoding": "base64",
        "size": len(data),
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "content": encoded,
        "sha": sha,
        "url": f"{base}/contents/{path}?ref={ref_name}",
        "git_url": f"{base}/git/blobs/{sha}",
        "html_url": links.html(f"{repo_name}/blob/{ref_name}/{path}"),
        "download_url": links.html(f"{repo_name}/raw/{ref_name}/{path}"),
    }


def commit(links: Links, state: FakeGitHub, item: Repo, sha: str) -> Json:
    found = item.commits[sha]
    base = links.repo(item.full_name)
    person = {"name": found.author, "email": f"{found.author}@users.noreply.invalid"}
    person["date"] = when(found.date) or ""
    return {
        "sha": sha,
        "node_id": f"C_{sha[:12]}",
        "url": f"{base}/git/commits/{sha}",
        "html_url": links.html(f"{item.full_name}/commit/{sha}"),
        "message": found.message,
        "author": person,
        "committer": person,
        "tree": {"sha": sha, "url": f"{base}/git/trees/{sha}"},
        "parents": [
            {"sha": p, "url": f"{base}/git/commits/{p}", "html_url": links.html(p)}
            for p in found.parents
        ],
    }
