"""``POST /v1/webhooks/github`` over a real socket: signatures, routing, replays, bad requests.

Nothing here runs jobs (the worker is off): the tests look at what was stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from service import Settings, create_app
from service._webhook_routing import closing_references, dedupe_key, route
from service._webhook_signature import SignatureError, sign, verify
from service.storage import Database, Job, WebhookDelivery, list_jobs, upsert_failure, utcnow
from tests._service_support import live_server
from tests._webhook_support import SECRET, post_event, signed_headers

REPO = "octo-org/shop"
COPILOT = frozenset({"Copilot"})


# -- the signature -----------------------------------------------------------------------------
def test_signature_matches_githubs_published_test_vector() -> None:
    header = sign("It's a Secret to Everybody", b"Hello, World!")
    assert header == "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    verify("It's a Secret to Everybody", b"Hello, World!", header)
    verify("It's a Secret to Everybody", b"Hello, World!", header.upper().replace("SHA", "sha"))


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "missing_signature"),
        ("", "missing_signature"),
        ("sha1=" + "0" * 40, "invalid_signature"),
        ("sha256=" + "z" * 64, "invalid_signature"),
        ("sha256=" + "0" * 63, "invalid_signature"),
        (sign("another secret", b"Hello, World!"), "invalid_signature"),
        (sign("It's a Secret to Everybody", b"Hello, World?"), "invalid_signature"),
    ],
)
def test_a_forged_or_missing_signature_is_refused(header: str | None, code: str) -> None:
    with pytest.raises(SignatureError) as caught:
        verify("It's a Secret to Everybody", b"Hello, World!", header)
    assert caught.value.code == code


def test_while_rotating_both_secrets_are_accepted_and_no_other() -> None:
    body = b'{"zen": "Keep it logically awesome."}'
    for secret in ("new secret", "old secret"):
        verify(["new secret", "old secret"], body, sign(secret, body))
    with pytest.raises(SignatureError):
        verify(["new secret", "old secret"], body, sign("a third secret", body))
    with pytest.raises(SignatureError) as disabled:
        verify(["", b""], body, sign("", body))
    assert disabled.value.code == "webhooks_disabled"


def test_the_service_accepts_the_previous_secret_only_while_it_is_configured(
    tmp_path: Path,
) -> None:
    def service(**secrets: str) -> Settings:
        return Settings(
            model_uri=str(tmp_path / "no-model.joblib"),
            database_url=f"sqlite:///{tmp_path / 'autoheal.db'}",
            worker_enabled=False,
            access_log=False,
            **{name: SecretStr(value) for name, value in secrets.items()},  # type: ignore[arg-type]
        )

    rotating = service(webhook_secret="new secret", webhook_secret_previous=SECRET)
    assert rotating.webhook_secrets() == ["new secret", SECRET]
    with live_server(create_app(rotating)) as url:
        for secret, delivery in ((SECRET, "old"), ("new secret", "new")):
            answer = post_event(url, "ping", {"zen": "z"}, delivery=delivery, secret=secret)
            assert answer.status_code == 200 and answer.json()["outcome"] == "ignored", answer.text
        assert post_event(url, "ping", {}, delivery="x", secret="guess").status_code == 401
    done = service(webhook_secret="new secret")
    assert done.webhook_secrets() == ["new secret"]
    with live_server(create_app(done)) as url:
        assert post_event(url, "ping", {}, delivery="late", secret=SECRET).status_code == 401
    # The previous secret alone does not turn webhooks on.
    assert service(webhook_secret_previous=SECRET).webhook_secrets() == []


# -- the routing table -------------------------------------------------------------------------
def _run_event(conclusion: str, branch: str = "main", **run: Any) -> dict[str, Any]:
    return {
        "action": "completed",
        "repository": {"full_name": REPO, "default_branch": "main"},
        "workflow_run": {
            "id": 77,
            "run_attempt": 2,
            "name": "CI",
            "conclusion": conclusion,
            "head_branch": branch,
            "head_repository": {"full_name": REPO},
            "pull_requests": [{"number": 9}],
            **run,
        },
    }


def test_a_failed_run_becomes_a_heal_job_keyed_by_repository_run_and_attempt() -> None:
    routed = route("workflow_run", _run_event("failure"), copilot_logins=COPILOT)
    assert routed.job_kind == "heal"
    assert routed.dedupe_key == f"heal:{REPO}:77:2"
    assert routed.job_payload["run_id"] == 77 and routed.job_payload["workflow"] == "CI"


def test_a_failed_run_of_a_fix_branch_enters_the_fix_loop() -> None:
    routed = route("workflow_run", _run_event("failure", "autofix/ci/x/1"), copilot_logins=COPILOT)
    assert routed.job_kind == "fix_loop"
    assert routed.job_payload["pull_requests"] == [9]


@pytest.mark.parametrize(
    ("branch", "kind"), [("autofix/ci/x/1", "fix_passed"), ("main", "default_green")]
)
def test_green_runs_on_a_fix_branch_or_the_default_branch_are_outcomes(
    branch: str, kind: str
) -> None:
    routed = route("workflow_run", _run_event("success", branch), copilot_logins=COPILOT)
    assert routed.job_kind == "outcome" and routed.job_payload["kind"] == kind


def test_runs_from_forks_and_other_runs_are_ignored() -> None:
    fork = _run_event("failure", head_repository={"full_name": "stranger/shop"})
    assert route("workflow_run", fork, copilot_logins=COPILOT).job_kind is None
    allowed = route("workflow_run", fork, copilot_logins=COPILOT, allow_forks=True)
    assert allowed.job_kind == "heal"
    assert (
        route("workflow_run", _run_event("success", "feature"), copilot_logins=COPILOT).job_kind
        is None
    )
    assert route("workflow_run", _run_event("cancelled"), copilot_logins=COPILOT).job_kind is None
    requested = {**_run_event("failure"), "action": "requested"}
    assert route("workflow_run", requested, copilot_logins=COPILOT).job_kind is None


def test_only_the_copilot_agents_comments_and_reviews_count() -> None:
    def comment(login: str) -> dict[str, Any]:
        return {
            "action": "created",
            "repository": {"full_name": REPO},
            "issue": {"number": 5, "pull_request": {}},
            "comment": {"id": 901, "user": {"login": login}, "created_at": "2025-01-01T00:00:00Z"},
        }

    assert route("issue_comment", comment("Copilot"), copilot_logins=COPILOT).job_kind == "outcome"
    assert route("issue_comment", comment("maintainer"), copilot_logins=COPILOT).job_kind is None
    review = {
        "action": "submitted",
        "repository": {"full_name": REPO},
        "pull_request": {"number": 5},
        "review": {"id": 3, "user": {"login": "Copilot"}, "state": "commented"},
    }
    routed = route("pull_request_review", review, copilot_logins=COPILOT)
    assert routed.job_kind == "outcome" and routed.job_payload["number"] == 5


def test_a_closed_pull_request_is_an_outcome_merged_or_not() -> None:
    for merged in (True, False):
        payload = {
            "action": "closed",
            "repository": {"full_name": REPO},
            "pull_request": {
                "number": 4,
                "merged": merged,
                "body": "Fixes #3",
                "head": {"ref": "b"},
            },
        }
        routed = route("pull_request", payload, copilot_logins=COPILOT)
        assert routed.job_payload["merged"] is merged and routed.job_payload["closes"] == [3]
    opened = {**payload, "action": "opened"}
    assert route("pull_request", opened, copilot_logins=COPILOT).job_kind is None


def test_closing_references_and_long_dedupe_keys() -> None:
    assert closing_references("Fixes #12, closes #3 and resolves #12; see #4") == [12, 3]
    key = dedupe_key("heal", "o" * 300, 1)
    assert len(key) <= 200 and key.startswith("heal:sha256:")
    assert key == dedupe_key("heal", "o" * 300, 1) != dedupe_key("heal", "o" * 300, 2)


# -- the endpoint ------------------------------------------------------------------------------
@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'autoheal.db'}"


@pytest.fixture
def service(tmp_path: Path, database_url: str) -> Iterator[str]:
    settings = Settings(
        model_uri=str(tmp_path / "no-model.joblib"),
        database_url=database_url,
        webhook_secret=SecretStr(SECRET),
        webhook_max_body_bytes=64 * 1024,
        worker_enabled=False,
        access_log=False,
    )
    with live_server(create_app(settings)) as url:
        yield url


@pytest.fixture
def db(service: str, database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.upgrade()
    yield database
    database.dispose()


def _counts(db: Database) -> tuple[int, int]:
    with db.session() as session:
        deliveries = session.scalar(select(func.count()).select_from(WebhookDelivery)) or 0
        jobs = session.scalar(select(func.count()).select_from(Job)) or 0
    return deliveries, jobs


def test_a_signed_failure_is_stored_with_its_job_before_the_answer(
    service: str, db: Database
) -> None:
    response = post_event(service, "workflow_run", _run_event("failure"), delivery="d-1")
    assert response.status_code == 202, response.text
    answer = response.json()
    assert answer["outcome"] == "accepted" and answer["delivery"] == "d-1"
    (job,) = list_jobs(db)
    assert job.id == answer["job_id"] and job.kind == "heal" and job.status == "queued"
    assert job.payload["repository"] == REPO and job.payload["run_id"] == 77


def test_a_replayed_delivery_changes_nothing(service: str, db: Database) -> None:
    first = post_event(service, "workflow_run", _run_event("failure"), delivery="same")
    again = post_event(service, "workflow_run", _run_event("failure"), delivery="same")
    assert first.status_code == 202
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    assert _counts(db) == (1, 1)


def test_the_same_run_under_another_delivery_id_queues_no_second_job(
    service: str, db: Database
) -> None:
    post_event(service, "workflow_run", _run_event("failure"), delivery="a")
    other = post_event(service, "workflow_run", _run_event("failure"), delivery="b")
    assert other.status_code == 200 and other.json()["outcome"] == "duplicate"
    assert _counts(db) == (2, 1)


def test_other_events_are_acknowledged_and_ignored(service: str, db: Database) -> None:
    push = {"ref": "refs/heads/main", "repository": {"full_name": REPO}}
    response = post_event(service, "push", push)
    assert response.status_code == 200 and response.json()["outcome"] == "ignored"
    ping = post_event(service, "ping", {"zen": "Keep it simple.", "hook_id": 1})
    assert ping.status_code == 200
    green = post_event(service, "workflow_run", _run_event("success"))
    assert green.json()["outcome"] == "ignored"  # no merged fix awaits a green run
    assert _counts(db) == (3, 0)


def test_a_green_default_branch_run_after_a_merged_fix_is_recorded(
    service: str, db: Database
) -> None:
    upsert_failure(
        db, REPO, "f" * 16, category="test_failure", confidence=0.9, workflow="CI",
        merged_at=utcnow(),
    )  # fmt: skip
    response = post_event(service, "workflow_run", _run_event("success"))
    assert response.status_code == 202 and response.json()["outcome"] == "recorded"


def _raw(service: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(f"{service}/v1/webhooks/github", content=body, headers=headers, timeout=10)


def test_forged_and_unsigned_deliveries_get_401_and_store_nothing(
    service: str, db: Database
) -> None:
    body = json.dumps(_run_event("failure")).encode()
    forged = signed_headers(body, "workflow_run", secret="guessed")
    unsigned = {k: v for k, v in forged.items() if k != "X-Hub-Signature-256"}
    tampered = signed_headers(body, "workflow_run")
    for headers, content, code in (
        (forged, body, "invalid_signature"),
        (unsigned, body, "missing_signature"),
        (tampered, body.replace(b"77", b"78"), "invalid_signature"),
    ):
        response = _raw(service, content, headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == code
    assert _counts(db) == (0, 0)


@pytest.mark.parametrize(
    ("body", "drop", "status", "code"),
    [
        (b"{not json", None, 400, "invalid_json"),
        (b"\xff\xfe\x00garbage", None, 400, "invalid_json"),
        (b"[1, 2, 3]", None, 400, "invalid_json"),
        (b'{"action": "completed", "workflow_run": {"id": "x"}}', None, 422, "invalid_payload"),
        (b"{}", "X-GitHub-Event", 400, "invalid_event"),
        (b"{}", "X-GitHub-Delivery", 400, "invalid_delivery"),
    ],
)
def test_bad_requests_get_a_clear_json_error_and_store_nothing(
    service: str, db: Database, body: bytes, drop: str | None, status: int, code: str
) -> None:
    headers = signed_headers(body, "workflow_run")
    if drop:
        headers.pop(drop)
    response = _raw(service, body, headers)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert _counts(db) == (0, 0)


def test_an_id_beyond_64_bits_is_refused_before_anything_is_stored(
    service: str, db: Database
) -> None:
    payload = _run_event("failure")
    payload["workflow_run"] = {**payload["workflow_run"], "id": 2**64}
    response = post_event(service, "workflow_run", payload)
    assert response.status_code == 422, response.text
    assert "between 0 and" in response.json()["error"]["message"]
    assert _counts(db) == (0, 0)


def test_a_body_over_the_limit_is_refused_with_413(service: str, db: Database) -> None:
    payload = {**_run_event("failure"), "padding": "x" * (70 * 1024)}
    response = post_event(service, "workflow_run", payload)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert _counts(db) == (0, 0)


def test_a_form_encoded_delivery_is_read_like_githubs(service: str, db: Database) -> None:
    from urllib.parse import urlencode

    body = urlencode({"payload": json.dumps(_run_event("failure"))}).encode()
    headers = signed_headers(body, "workflow_run")
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    response = _raw(service, body, headers)
    assert response.status_code == 202, response.text
    assert _counts(db) == (1, 1)


def test_without_a_secret_webhooks_are_disabled(tmp_path: Path) -> None:
    settings = Settings(
        model_uri=str(tmp_path / "none.joblib"),
        database_url=f"sqlite:///{tmp_path / 'x.db'}",
        worker_enabled=False,
        access_log=False,
    )
    with live_server(create_app(settings)) as url:
        response = post_event(url, "workflow_run", _run_event("failure"))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "webhooks_disabled"
    assert not (tmp_path / "x.db").exists()  # nothing was opened, let alone stored


def test_an_unreachable_database_is_a_503_not_a_crash(tmp_path: Path) -> None:
    settings = Settings(
        model_uri=str(tmp_path / "none.joblib"),
        database_url="postgresql://nobody@127.0.0.1:1/none",
        webhook_secret=SecretStr(SECRET),
        worker_enabled=False,
        access_log=False,
    )
    with live_server(create_app(settings)) as url:
        response = post_event(url, "workflow_run", _run_event("failure"))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "storage_unavailable"
