"""The GitHub stand-in driven by the real PyGithub client over real HTTP."""

from __future__ import annotations

import io
import time
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from github import (
    Auth,
    BadCredentialsException,
    Github,
    GithubException,
    GithubRetry,
    InputGitAuthor,
    RateLimitExceededException,
    UnknownObjectException,
)

from service.fake_github import (
    ACTIONS_BOT,
    ACTIONS_TOKEN,
    DEMO_REPO,
    FORK_REPO,
    MAINTAINER,
    USER_TOKEN,
    FakeGitHub,
    FakeGitHubServer,
    JobSpec,
    add_default_tokens,
    serve,
)

COPILOT = "copilot-swe-agent[bot]"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeGitHubServer]:
    running = serve(demo=True)
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _no_faults_left(server: FakeGitHubServer) -> Iterator[None]:
    yield
    server.state.clear_faults()


def client(server: FakeGitHubServer, token: str = USER_TOKEN, **options: Any) -> Github:
    options.setdefault("retry", None)
    return Github(
        auth=Auth.Token(token),
        base_url=server.base_url,
        seconds_between_requests=0,
        seconds_between_writes=0,
        **options,
    )


def demo_runs(server: FakeGitHubServer) -> dict[str, int]:
    """Demo run ids by their first failing job's name (and 'fork' / 'success')."""
    out: dict[str, int] = {}
    for run_id, run in server.state.runs.items():
        if run.head_repo != run.repo:
            out["fork"] = run_id
        elif run.conclusion == "success":
            out["success"] = run_id
        else:
            failing = [j for j in server.state.run_jobs(run_id) if j.conclusion == "failure"]
            out.setdefault(failing[0].name, run_id)
    return out


def new_run(server: FakeGitHubServer, *jobs: JobSpec) -> int:
    return server.state.add_run(DEMO_REPO, jobs=list(jobs))


def marker() -> str:
    return f"<!-- autoheal:{uuid.uuid4().hex} -->"


def test_run_jobs_and_job_log_without_authorization(server: FakeGitHubServer) -> None:
    repo = client(server).get_repo(DEMO_REPO)
    run_id = demo_runs(server)["test (3.11)"]
    run = repo.get_workflow_run(run_id)
    assert (run.status, run.conclusion, run.run_attempt) == ("completed", "failure", 1)
    assert run.head_repository.full_name == run.repository.full_name == DEMO_REPO
    assert run.jobs_url.startswith(server.base_url + "/repos/")
    jobs = {j.name: j for j in run.jobs()}
    assert {n: j.conclusion for n, j in jobs.items()} == {
        "lint": "success",
        "test (3.11)": "failure",
    }
    failed = jobs["test (3.11)"]
    assert [s.conclusion for s in failed.steps].count("failure") == 1

    location = failed.logs_url()
    assert location.startswith(server.url) and "sig=" in location
    fetched = httpx.get(location)  # no Authorization header, like GitHub's signed blob URLs
    assert fetched.status_code == 200
    assert fetched.text == server.state.run_jobs(run_id)[1].log
    assert "##[error]" in fetched.text
    tampered = httpx.get(location.replace("sig=", "sig=0"))
    assert tampered.status_code == 403


def test_fork_run_has_foreign_head_repository_and_no_pulls(server: FakeGitHubServer) -> None:
    run = client(server).get_repo(DEMO_REPO).get_workflow_run(demo_runs(server)["fork"])
    assert run.event == "pull_request"
    assert run.head_repository.full_name == FORK_REPO != run.repository.full_name
    assert run.head_repository.fork is True
    assert run.pull_requests == []


def test_jobs_are_paginated_with_link_headers(server: FakeGitHubServer) -> None:
    run_id = new_run(server, *(JobSpec(f"shard {i}", "failure", f"log {i}\n") for i in range(5)))
    run = client(server, per_page=2).get_repo(DEMO_REPO).get_workflow_run(run_id)
    assert [j.name for j in run.jobs()] == [f"shard {i}" for i in range(5)]
    pages = [r for r in server.state.requests if r.path.endswith(f"/runs/{run_id}/jobs")]
    assert len(pages) == 3


def test_rerun_failed_jobs_starts_a_new_attempt(server: FakeGitHubServer) -> None:
    run_id = new_run(server, JobSpec("lint", "success", "ok\n"), JobSpec("test", "failure", "E\n"))
    repo = client(server).get_repo(DEMO_REPO)
    run = repo.get_workflow_run(run_id)
    assert run.rerun_failed_jobs() is True
    again = repo.get_workflow_run(run_id)
    assert (again.run_attempt, again.status) == (2, "queued")
    assert again.raw_data["conclusion"] is None
    latest = {j.name: (j.run_attempt, j.status) for j in again.jobs()}
    assert latest == {"lint": (1, "completed"), "test": (2, "queued")}
    assert len(list(again.jobs("all"))) == 3
    assert again.rerun_failed_jobs() is False  # still running: refused
    rerun = [r for r in server.state.reruns if r.run_id == run_id]
    assert [(r.attempt, r.login, r.failed_only) for r in rerun] == [(2, MAINTAINER, True)]
    server.state.finish_attempt(run_id, "success", {"test": "passed\n"})
    assert repo.get_workflow_run(run_id).conclusion == "success"


def test_rerun_refused_without_actions_permission(server: FakeGitHubServer) -> None:
    server.state.add_token("issues-only", "triager", permissions=["issues"])
    run_id = new_run(server, JobSpec("test", "failure", "E\n"))
    run = client(server, "issues-only").get_repo(DEMO_REPO).get_workflow_run(run_id)
    assert run.rerun_failed_jobs() is False
    assert not [r for r in server.state.reruns if r.run_id == run_id]
    assert server.state.requests[-1].status == 403


def test_whole_run_logs_zip_has_one_file_per_job(server: FakeGitHubServer) -> None:
    run_id = new_run(server, JobSpec("build", "failure", "B\n"), JobSpec("test", "success", "T\n"))
    url = f"{server.base_url}/repos/{DEMO_REPO}/actions/runs/{run_id}/logs"
    headers = {"Authorization": f"token {USER_TOKEN}"}
    redirect = httpx.get(url, headers=headers)
    assert redirect.status_code == 302
    archive = httpx.get(redirect.headers["location"])
    with zipfile.ZipFile(io.BytesIO(archive.content)) as opened:
        texts = {name: opened.read(name).decode() for name in opened.namelist()}
    assert texts == {"0_build.txt": "B\n", "1_test.txt": "T\n"}


def test_issue_flow_labels_comments_and_agent_assignment(server: FakeGitHubServer) -> None:
    github = client(server)
    repo = github.get_repo(DEMO_REPO)
    tag = marker()
    made = repo.create_issue("CI failure: test", body=f"{tag}\nDetails", labels=["ci-failure"])
    assert made.html_url.startswith(server.url + f"/{DEMO_REPO}/issues/")
    found = [
        i for i in repo.get_issues(state="open", labels=["ci-failure"]) if tag in (i.body or "")
    ]
    assert [i.number for i in found] == [made.number]

    made.create_comment("Seen again")
    made.add_to_labels("flaky")
    assert {label.name for label in repo.get_issue(made.number).labels} == {"ci-failure", "flaky"}
    assert "flaky" in {label.name for label in repo.get_labels()}
    assert [c.body for c in made.get_comments()] == ["Seen again"]
    made.remove_from_labels("flaky")
    assert [label.name for label in made.get_labels()] == ["ci-failure"]
    made.delete_labels()
    assert list(made.get_labels()) == []
    made.set_labels("ci-failure")

    agent = {"target_repo": DEMO_REPO, "base_branch": "main", "custom_instructions": "fix CI"}
    url = f"{made.url}/assignees"
    github.requester.requestJsonAndCheck(
        "POST", url, input={"assignees": [COPILOT], "agent_assignment": agent}
    )
    assert [a.login for a in repo.get_issue(made.number).assignees] == [COPILOT]
    record = server.state.agent_assignments[-1]
    assert (record.number, record.login, record.agent_assignment) == (
        made.number,
        MAINTAINER,
        agent,
    )

    # The Actions token cannot start the coding agent: the assignee is dropped.
    bot = client(server, ACTIONS_TOKEN)
    other = bot.get_repo(DEMO_REPO).create_issue("Another", body=marker())
    bot.requester.requestJsonAndCheck(
        "POST", f"{other.url}/assignees", input={"assignees": [COPILOT]}
    )
    assert server.state.issues(DEMO_REPO)[-1].assignees == []
    assert other.user.login == ACTIONS_BOT


def test_issue_edit_since_and_closed_filter(server: FakeGitHubServer) -> None:
    repo = client(server).get_repo(DEMO_REPO)
    made = repo.create_issue("To close", body=marker())
    made.edit(state="closed", labels=["bug"])
    closed = {i.number for i in repo.get_issues(state="closed")}
    assert made.number in closed
    assert made.number not in {i.number for i in repo.get_issues(state="open")}
    future = server.state.issues(DEMO_REPO)[-1].updated_at.replace(year=2999)
    assert list(repo.get_issues(state="all", since=future)) == []


def test_branch_file_and_draft_pull_request(server: FakeGitHubServer) -> None:
    repo = client(server).get_repo(DEMO_REPO)
    main = repo.get_git_ref("heads/main")
    branch = f"autoheal/fix-{uuid.uuid4().hex[:8]}"
    repo.create_git_ref(f"refs/heads/{branch}", main.object.sha)
    with pytest.raises(GithubException) as duplicate:
        repo.create_git_ref(f"refs/heads/{branch}", main.object.sha)
    assert duplicate.value.status == 422 and "already exists" in str(duplicate.value.data)

    created = repo.create_file("ci/pin.txt", "Pin the version", "requests==2.32.3\n", branch=branch)
    assert repo.get_git_ref(f"heads/{branch}").object.sha == created["commit"].sha
    assert server.state.file(DEMO_REPO, branch, "ci/pin.txt") == b"requests==2.32.3\n"
    assert server.state.file(DEMO_REPO, "main", "ci/pin.txt") is None
    with pytest.raises(GithubException) as no_sha:
        repo.create_file("ci/pin.txt", "Again", "x\n", branch=branch)
    assert no_sha.value.status == 422
    current = repo.get_contents("ci/pin.txt", ref=branch)
    assert not isinstance(current, list)
    repo.update_file("ci/pin.txt", "Update", "requests==2.32.4\n", current.sha, branch=branch)

    pull = repo.create_pull(base="main", head=branch, title="Fix CI", body=marker(), draft=True)
    assert pull.draft is True and pull.head.ref == branch and pull.base.ref == "main"
    listed = repo.get_pulls(state="open", head=f"octo-org:{branch}")
    assert [p.number for p in listed] == [pull.number]
    with pytest.raises(GithubException) as again:
        repo.create_pull(base="main", head=branch, title="Fix CI", body="", draft=True)
    assert again.value.status == 422

    as_issues = {i.number: i for i in repo.get_issues(state="all")}
    assert as_issues[pull.number].pull_request is not None
    numbers = sorted(as_issues)
    assert numbers == list(range(1, len(numbers) + 1))  # one sequence for issues and pulls


def test_commits_from_the_git_data_api_and_fast_forward_only_ref_updates(
    server: FakeGitHubServer,
) -> None:
    repo = client(server).get_repo(DEMO_REPO)
    head = repo.get_git_commit(repo.get_git_ref("heads/main").object.sha)
    stamp = "2026-01-02T03:04:05Z"
    person = InputGitAuthor("autoheal", "autoheal@users.noreply.github.com", stamp)
    first = repo.create_git_commit("first", head.tree, [head], author=person, committer=person)
    assert first.committer.date == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert [p.sha for p in first.parents] == [head.sha] and first.message == "first"
    assert repo.get_git_commit(first.sha).tree.sha  # readable back, with a tree
    assert repo.get_git_ref("heads/main").object.sha == head.sha  # no branch moved

    branch = f"lock-{uuid.uuid4().hex[:8]}"
    ref = repo.create_git_ref(f"refs/heads/{branch}", first.sha)
    child = repo.create_git_commit("child", head.tree, [first])
    sibling = repo.create_git_commit("sibling", head.tree, [first])
    ref.edit(child.sha, force=False)  # a fast-forward
    ref.edit(child.sha, force=False)  # to where it is: also accepted
    with pytest.raises(GithubException) as behind:
        ref.edit(sibling.sha, force=False)
    assert behind.value.status == 422 and "fast forward" in str(behind.value.data)
    assert repo.get_git_ref(f"heads/{branch}").object.sha == child.sha
    ref.edit(sibling.sha, force=True)
    assert repo.get_git_ref(f"heads/{branch}").object.sha == sibling.sha

    for bad in ({"message": "x", "tree": "0" * 40}, {"message": "x", "tree": head.sha,
                "parents": ["f" * 40]}):  # fmt: skip
        answer = httpx.post(
            f"{server.base_url}/repos/{DEMO_REPO}/git/commits",
            json=bad,
            headers={"Authorization": f"token {USER_TOKEN}"},
        )
        assert answer.status_code == 422, answer.text
    undated = httpx.post(
        f"{server.base_url}/repos/{DEMO_REPO}/git/commits",
        json={"message": "x", "tree": head.sha, "committer": {"date": "yesterday"}},
        headers={"Authorization": f"token {USER_TOKEN}"},
    )
    assert undated.status_code == 422 and "not a date" in undated.text


def test_actions_token_cannot_open_pull_requests(server: FakeGitHubServer) -> None:
    repo = client(server, ACTIONS_TOKEN).get_repo(DEMO_REPO)
    branch = f"bot/{uuid.uuid4().hex[:8]}"
    repo.create_git_ref(f"refs/heads/{branch}", repo.get_git_ref("heads/main").object.sha)
    repo.create_file("x.txt", "x", "x\n", branch=branch)
    with pytest.raises(GithubException) as denied:
        repo.create_pull(base="main", head=branch, title="t", body="b", draft=True)
    assert denied.value.status == 403 and "not permitted" in str(denied.value.data)


def test_merges_and_reviews_are_recorded(server: FakeGitHubServer) -> None:
    repo = client(server).get_repo(DEMO_REPO)
    branch = f"autoheal/merge-{uuid.uuid4().hex[:8]}"
    repo.create_git_ref(f"refs/heads/{branch}", repo.get_git_ref("heads/main").object.sha)
    repo.create_file("m.txt", "m", "m\n", branch=branch)
    pull = repo.create_pull(base="main", head=branch, title="t", body="b", draft=True)
    before = (len(server.state.merges), len(server.state.reviews))
    with pytest.raises(GithubException) as draft:
        pull.merge()
    assert draft.value.status == 405
    with pytest.raises(GithubException) as own:
        pull.create_review(event="APPROVE")
    assert own.value.status == 422
    merges, reviews = server.state.merges[before[0] :], server.state.reviews[before[1] :]
    assert [(m.number, m.status) for m in merges] == [(pull.number, 405)]
    assert [(r.number, r.event, r.status) for r in reviews] == [(pull.number, "APPROVE", 422)]
    assert server.state.branches(DEMO_REPO)["main"] == repo.get_git_ref("heads/main").object.sha


def test_repository_label_created_once(server: FakeGitHubServer) -> None:
    repo = client(server).get_repo(DEMO_REPO)
    name = f"autoheal-{uuid.uuid4().hex[:6]}"
    assert repo.create_label(name, "0e8a16").name == name
    with pytest.raises(GithubException) as exists:
        repo.create_label(name, "0e8a16")
    assert exists.value.status == 422
    assert exists.value.data["errors"][0]["code"] == "already_exists"


def test_bad_missing_and_bot_credentials(server: FakeGitHubServer) -> None:
    with pytest.raises(BadCredentialsException):
        client(server, "not-a-token").get_repo(DEMO_REPO).full_name  # noqa: B018
    anonymous = httpx.get(f"{server.base_url}/repos/{DEMO_REPO}")
    assert anonymous.status_code == 401 and anonymous.json()["message"] == "Bad credentials"
    assert client(server).get_user().login == MAINTAINER
    with pytest.raises(GithubException) as bot:
        client(server, ACTIONS_TOKEN).get_user().login  # noqa: B018
    assert bot.value.status == 403
    with pytest.raises(UnknownObjectException):
        client(server).get_repo("octo-org/missing").full_name  # noqa: B018


def test_malformed_json_is_a_clear_400(server: FakeGitHubServer) -> None:
    answer = httpx.post(
        f"{server.base_url}/repos/{DEMO_REPO}/issues",
        content=b"{not json",
        headers={"Authorization": f"Bearer {USER_TOKEN}"},
    )
    assert answer.status_code == 400 and answer.json()["message"] == "Problems parsing JSON"


def test_502_after_write_really_created_the_issue(server: FakeGitHubServer) -> None:
    repo = client(server).get_repo(DEMO_REPO)
    tag = marker()
    server.state.add_fault("502", "POST", "/repos/*/issues", after_write=True)
    with pytest.raises(GithubException) as failed:
        repo.create_issue("Created despite 502", body=tag)
    assert failed.value.status == 502
    assert [i.title for i in server.state.issues(DEMO_REPO) if tag in (i.body or "")] == [
        "Created despite 502"
    ]


def test_default_style_retry_duplicates_a_post_after_a_502(server: FakeGitHubServer) -> None:
    retrying = client(server, retry=GithubRetry(total=2, backoff_factor=0))
    tag = marker()
    server.state.add_fault("502", "POST", "/repos/*/issues", after_write=True)
    retrying.get_repo(DEMO_REPO).create_issue("Retried", body=tag)
    assert sum(tag in (i.body or "") for i in server.state.issues(DEMO_REPO)) == 2


def test_500_before_write_creates_nothing(server: FakeGitHubServer) -> None:
    tag = marker()
    server.state.add_fault("500", "POST", "/repos/*/issues")
    with pytest.raises(GithubException) as failed:
        client(server).get_repo(DEMO_REPO).create_issue("Never", body=tag)
    assert failed.value.status == 500
    assert not [i for i in server.state.issues(DEMO_REPO) if tag in (i.body or "")]


def headers_of(error: GithubException) -> dict[str, str]:
    assert error.headers is not None
    return error.headers


def test_rate_limit_faults_carry_github_headers(server: FakeGitHubServer) -> None:
    repo = client(server).get_repo(DEMO_REPO)
    repo.full_name  # noqa: B018
    server.state.add_fault("rate_limit", "GET", "/repos/*/issues", seconds=30)
    with pytest.raises(RateLimitExceededException) as primary:
        list(repo.get_issues())
    assert headers_of(primary.value)["x-ratelimit-remaining"] == "0"
    assert int(headers_of(primary.value)["x-ratelimit-reset"]) >= time.time() + 25

    server.state.add_fault("secondary_rate_limit", "GET", "/repos/*/issues", seconds=7)
    with pytest.raises(RateLimitExceededException) as secondary:
        list(repo.get_issues())
    assert headers_of(secondary.value)["retry-after"] == "7"

    server.state.add_fault("429", "*", "/repos/*/issues", seconds=3)
    with pytest.raises(GithubException) as too_many:
        list(repo.get_issues())
    assert too_many.value.status == 429 and headers_of(too_many.value)["retry-after"] == "3"
    assert list(repo.get_issues(state="all"))  # the faults were used up


def test_admin_faults_over_http_and_delay(server: FakeGitHubServer) -> None:
    admin = f"{server.url}/_fake/faults"
    bad = httpx.post(admin, json={"kind": "explode"})
    assert bad.status_code == 422
    armed = httpx.post(
        admin, json={"kind": "delay", "method": "GET", "path": "/user", "seconds": 0.3}
    )
    assert armed.status_code == 201 and len(httpx.get(admin).json()) == 1
    started = time.perf_counter()
    assert client(server).get_user().login == MAINTAINER
    assert time.perf_counter() - started >= 0.3
    assert httpx.get(admin).json() == []
    delayed = [r for r in server.state.requests if r.fault == "delay"]
    assert delayed[-1].path == "/api/v3/user" and delayed[-1].status == 200


def test_request_log_and_admin_records(server: FakeGitHubServer) -> None:
    client(server, ACTIONS_TOKEN).get_repo(DEMO_REPO).full_name  # noqa: B018
    last = server.state.requests[-1]
    assert (last.method, last.path, last.login, last.status) == (
        "GET",
        f"/api/v3/repos/{DEMO_REPO}",
        ACTIONS_BOT,
        200,
    )
    summary = httpx.get(f"{server.url}/_fake").json()
    assert DEMO_REPO in summary["repos"] and USER_TOKEN in summary["tokens"]
    issues = httpx.get(f"{server.url}/_fake/repos/{DEMO_REPO}/issues").json()
    assert len(issues) == len(server.state.issues(DEMO_REPO))
    assert httpx.get(f"{server.url}/_fake/records/merges").status_code == 200
    assert httpx.get(f"{server.url}/_fake/records/nothing").status_code == 404
    job = {"name": "deploy", "conclusion": "failure", "log": "boom\n"}
    seeded = httpx.post(f"{server.url}/_fake/runs", json={"repo": DEMO_REPO, "jobs": [job]})
    assert seeded.status_code == 201
    repo = client(server).get_repo(DEMO_REPO)
    newest = repo.get_workflow_runs(event="push")[0]
    assert newest.id == seeded.json()["id"]
    assert [j.name for j in newest.jobs()] == ["deploy"]


def test_empty_server_seeded_from_python() -> None:
    state = FakeGitHub()
    add_default_tokens(state)
    state.add_repo("me/tool", default_branch="trunk", files={"a.py": "print(1)\n"})
    with serve(state=state) as running:
        repo = client(running).get_repo("me/tool")
        assert repo.default_branch == "trunk"
        assert repo.get_contents("a.py").decoded_content == b"print(1)\n"  # type: ignore[union-attr]
        with pytest.raises(UnknownObjectException):
            client(running).get_repo(DEMO_REPO).full_name  # noqa: B018
