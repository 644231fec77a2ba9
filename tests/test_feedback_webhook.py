"""Relabel comments end to end: a heal opens an issue on the GitHub stand-in, people comment
``/autoheal relabel <category>``, the signed delivery reaches the real app, the worker checks
the commenter's permission on the stand-in, stores the label and answers on the issue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from github import Auth, Github, UnknownObjectException

from model.taxonomy import LABELS, UNKNOWN
from service._webhook_routing import PayloadError, route
from service.remediation._markers import markers_in
from service.storage import effective_feedback, get_job, list_feedback
from tests._feedback_support import READER, READER_TOKEN, WRITER, WRITER_TOKEN, feedback_env
from tests._feedback_support import FeedbackEnv as Env
from tests._service_support import model_path
from tests._webhook_support import (
    BOT,
    BOT_TOKEN,
    REPO,
    issue_log,
    post_event,
    workflow_run_event,
)


@pytest.fixture(scope="module")
def model_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return model_path(request, tmp_path_factory)


@pytest.fixture(scope="module")
def log_text(model_file: Path) -> str:
    return issue_log(model_file)


@pytest.fixture
def env(tmp_path: Path, model_file: Path) -> Iterator[Env]:
    with feedback_env(tmp_path, model_file) as made:
        yield made


def _other(category: str, skip: tuple[str, ...] = ()) -> str:
    return next(label for label in LABELS if label not in (category, UNKNOWN, *skip))


def _replies(env: Env, number: int) -> list[str]:
    return [c.body for c in env.github.state.comments(REPO, number) if c.user == BOT]


def _relabel_replies(env: Env, number: int) -> list[str]:
    return [body for body in _replies(env, number) if "relabel" in markers_in(body).get("kind", ())]


def _labels(env: Env, number: int) -> list[str]:
    (issue,) = [i for i in env.github.state.issues(REPO) if i.number == number]
    return issue.labels


def test_a_writer_relabels_a_failure_and_is_answered_once(env: Env, log_text: str) -> None:
    env.heal(log_text)
    (issue,) = env.github.state.issues(REPO)
    failure = env.failure()
    assert failure.region and failure.region.count("\n") >= 2  # step, decisive lines, context
    model_said = failure.category
    other = _other(model_said)
    assert f"autoheal:{model_said}" in _labels(env, issue.number)

    event = env.comment_event(WRITER_TOKEN, issue.number, f"/autoheal relabel {other}\nthanks!")
    answer = post_event(env.url, "issue_comment", event)
    assert answer.status_code == 202 and answer.json()["outcome"] == "accepted", answer.text
    assert env.drain() == 1

    (row,) = list_feedback(env.db)
    assert (row.category, row.previous, row.source) == (other, model_said, "relabel_comment")
    assert (row.actor, row.repository, row.fingerprint) == (WRITER, REPO, failure.fingerprint)
    assert row.region == failure.region
    labels = _labels(env, issue.number)
    assert f"autoheal:{other}" in labels and f"autoheal:{model_said}" not in labels
    assert "autoheal" in labels
    (reply,) = _relabel_replies(env, issue.number)
    assert f"`{other}`" in reply and f"`{model_said}`" in reply and "recorded" in reply
    assert markers_in(reply)["comment"] == {str(event["comment"]["id"])}

    # The same comment delivered again: the work is already queued.
    again = post_event(env.url, "issue_comment", event)
    assert again.json()["outcome"] == "duplicate"
    # The job run again (a retry after a crash): nothing stored or written twice.
    job = get_job(env.db, answer.json()["job_id"])
    assert job is not None
    assert env.worker.handlers["feedback"](env.db, job) is None
    assert len(list_feedback(env.db)) == 1
    assert len(_relabel_replies(env, issue.number)) == 1


def test_a_user_without_write_access_is_refused(env: Env, log_text: str) -> None:
    env.heal(log_text)
    (issue,) = env.github.state.issues(REPO)
    before = _labels(env, issue.number)
    other = _other(env.failure().category)
    assert env.relabel(READER_TOKEN, issue.number, f"/autoheal relabel {other}").status_code == 202
    assert env.drain() == 1
    assert list_feedback(env.db) == []
    assert _labels(env, issue.number) == before
    (reply,) = _relabel_replies(env, issue.number)
    assert f"@{READER}" in reply and "write access" in reply and "`read`" in reply
    assert "nothing was recorded" in reply


def test_an_unknown_category_is_answered_with_the_valid_ones(env: Env, log_text: str) -> None:
    env.heal(log_text)
    (issue,) = env.github.state.issues(REPO)
    assert (
        env.relabel(WRITER_TOKEN, issue.number, "/autoheal relabel flaky-test").status_code == 202
    )
    assert env.relabel(WRITER_TOKEN, issue.number, "/autoheal relabel").status_code == 202
    assert env.drain() == 2
    assert list_feedback(env.db) == []
    unknown, empty = _relabel_replies(env, issue.number)
    assert "`flaky-test` is not a category" in unknown
    assert "no category is not a category" in empty
    for reply in (unknown, empty):
        assert all(f"`{label}`" in reply for label in LABELS)


def test_relabelling_twice_keeps_the_latest_label(env: Env, log_text: str) -> None:
    env.heal(log_text)
    (issue,) = env.github.state.issues(REPO)
    model_said = env.failure().category
    first = _other(model_said)
    second = _other(model_said, skip=(first,))
    for category in (first, second):
        assert (
            env.relabel(WRITER_TOKEN, issue.number, f"/autoheal relabel {category}").status_code
            == 202
        )
    assert env.drain() == 2
    assert [row.category for row in list_feedback(env.db)] == [second, first]  # newest first
    (effective,) = effective_feedback(env.db)
    assert (effective.category, effective.source) == (second, "relabel_comment")
    categories = [name for name in _labels(env, issue.number) if name.startswith("autoheal:")]
    assert categories == [f"autoheal:{second}"]
    assert len(_relabel_replies(env, issue.number)) == 2


def test_a_relabel_comment_on_an_issue_autoheal_did_not_open_is_ignored(env: Env) -> None:
    made = env.api(WRITER_TOKEN, "POST", f"/repos/{REPO}/issues", json={"title": "Flaky login"})
    number = made.json()["number"]
    answer = env.relabel(WRITER_TOKEN, number, "/autoheal relabel network")
    assert answer.status_code == 200 and answer.json()["outcome"] == "ignored", answer.text
    assert env.drain() == 0
    assert list_feedback(env.db) == [] and _replies(env, number) == []


def test_a_confirmed_fix_is_feedback_but_never_overrides_a_person(env: Env, log_text: str) -> None:
    env.heal(log_text)
    (issue,) = env.github.state.issues(REPO)
    (pull,) = env.github.state.pulls(REPO)
    failure = env.failure()
    other = _other(failure.category)
    assert env.relabel(WRITER_TOKEN, issue.number, f"/autoheal relabel {other}").status_code == 202
    assert env.drain() == 1
    base = {"repository": {"full_name": REPO, "default_branch": "main"}}
    merged = {
        **base,
        "action": "closed",
        "pull_request": {
            "number": pull.number, "merged": True, "body": f"Fixes #{issue.number}",
            "merged_at": "2099-01-01T12:00:00Z", "closed_at": "2099-01-01T12:00:00Z",
            "head": {"ref": failure.branch},
        },
    }  # fmt: skip
    assert post_event(env.url, "pull_request", merged).status_code == 202
    assert env.drain() == 1
    green = env.github.state.add_run(REPO, conclusion="success", head_branch="main")
    green_event = workflow_run_event(env.github, green)
    green_event["workflow_run"]["updated_at"] = "2099-01-01T13:00:00Z"
    assert post_event(env.url, "workflow_run", green_event).json()["outcome"] == "recorded"
    assert env.drain() == 1
    assert env.failure().resolved_at is not None
    confirmed, human = list_feedback(env.db)
    assert (confirmed.source, confirmed.category) == ("confirmed_fix", failure.category)
    assert confirmed.region == failure.region and human.category == other
    (effective,) = effective_feedback(env.db)
    assert (effective.category, effective.source) == (other, "relabel_comment")


# -- routing (a pure function) -----------------------------------------------------------------
def _payload(body: str, login: str = WRITER, issue_body: str | None = None) -> dict[str, object]:
    marked = "text\n<!-- autoheal:kind=issue -->\n<!-- autoheal:fingerprint=0123456789abcdef -->"
    return {
        "action": "created",
        "repository": {"full_name": REPO},
        "issue": {"number": 7, "body": marked if issue_body is None else issue_body},
        "comment": {
            "id": 99,
            "body": body,
            "user": {"login": login},
            "created_at": "2030-01-01T00:00:00Z",
        },
    }


def test_routing_of_relabel_comments() -> None:
    copilot = frozenset({"Copilot"})
    for spelling in ("Network please", "`network`.", "network!"):
        body = f"  /autoheal relabel {spelling}"
        routed = route("issue_comment", _payload(body), copilot_logins=copilot)
        assert routed.job_payload["category"] == "network"
    routed = route(
        "issue_comment", _payload("  /autoheal relabel Network please"), copilot_logins=copilot
    )
    assert routed.job_kind == "feedback" and routed.dedupe_key == f"feedback:{REPO}:99"
    assert routed.job_payload == {
        "repository": REPO, "number": 7, "comment_id": 99, "login": WRITER,
        "category": "network", "fingerprint": "0123456789abcdef", "at": "2030-01-01T00:00:00Z",
    }  # fmt: skip
    not_autoheal = route(
        "issue_comment",
        _payload("/autoheal relabel network", issue_body="hi"),
        copilot_logins=copilot,
    )
    assert not_autoheal.job_kind is None and "not on an autoheal issue" in not_autoheal.reason
    # Not at the start of the comment, or a longer word: not the command.
    for body in ("please /autoheal relabel network", "/autoheal relabelled network"):
        assert route("issue_comment", _payload(body), copilot_logins=copilot).job_kind is None
    # The Copilot agent's comments stay what they were: its activity.
    by_copilot = route(
        "issue_comment", _payload("/autoheal relabel network", "Copilot"), copilot_logins=copilot
    )
    assert by_copilot.job_payload["kind"] == "copilot_responded"
    broken = _payload("/autoheal relabel network")
    broken["comment"] = {"id": 99, "body": "/autoheal relabel network", "user": {}}
    with pytest.raises(PayloadError):
        route("issue_comment", broken, copilot_logins=copilot)


# -- the stand-in's permission endpoint ------------------------------------------------------
def test_the_stand_in_answers_collaborator_permissions(env: Env) -> None:
    state = env.github.state
    state.set_role(REPO, "octo-maintainer-2", "maintain")
    github = Github(
        auth=Auth.Token(BOT_TOKEN),
        base_url=env.github.base_url,
        seconds_between_requests=0,
        seconds_between_writes=0,
    )
    repo = github.get_repo(REPO)
    assert repo.get_collaborator_permission(WRITER) == "write"
    assert repo.get_collaborator_permission("octo-maintainer-2") == "write"
    assert repo.get_collaborator_role_name("octo-maintainer-2") == "maintain"
    assert repo.get_collaborator_permission(REPO.split("/")[0]) == "admin"
    assert repo.get_collaborator_permission(READER) == "read"  # public: anyone may read
    with pytest.raises(UnknownObjectException):
        repo.get_collaborator_permission("nobody-at-all")
    state.add_repo("octo-org/secret", private=True)
    assert github.get_repo("octo-org/secret").get_collaborator_permission(READER) == "none"
    with pytest.raises(ValueError, match="unknown role"):
        state.set_role(REPO, READER, "owner")
