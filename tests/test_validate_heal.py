"""`autoheal validate --heal` against the GitHub stand-in over real HTTP, with PyGithub.

A repository fixture with a broken data file: the failure goes through the same remediation path
as a failed workflow run (issue with diagnostics, branch, draft PR, Copilot hand-off), and running
the validation again finds that issue by its fingerprint marker instead of opening another.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autoheal.cli import app
from autoheal.validate import load_config, run_validation
from autoheal.validate._heal import diagnostic_log, validation_run
from model._extract import Evidence
from model.classifier import Classifier, Prediction
from service.fake_github import FakeGitHub, FakeGitHubServer, serve
from service.remediation import (
    Failure,
    HealOptions,
    JobInfo,
    LocalClassifier,
    MemoryCircuitBreaker,
    RemediationSettings,
    build_healer,
)
from service.remediation._markers import markers_in

REPO = "octo-org/data-shop"
BOT_TOKEN = "bot-token"
COPILOT_TOKEN = "copilot-user-token"
MAINTAINER = "octo-maintainer"
CONFIG = """
[validate]
[[validate.schemas]]
name = "records"
files = ["data/records.jsonl"]
schema = "schemas/record.json"

[[validate.datasets]]
name = "train"
files = ["data/train/*.jsonl"]
"""
SCHEMA = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}


def make_repo(root: Path) -> Path:
    (root / "data/train").mkdir(parents=True)
    (root / "schemas").mkdir()
    (root / "autoheal.toml").write_text(CONFIG)
    (root / "schemas/record.json").write_text(json.dumps(SCHEMA))
    (root / "data/records.jsonl").write_text('{"id": 1}\n{"id": 2}\n')
    (root / "data/train/a.jsonl").write_text('{"text": "a", "label": 1}\n')
    # The broken data file: the second record's label is a string.
    (root / "data/train/b.jsonl").write_text(
        '{"text": "b", "label": 2}\n{"text": "c", "label": "x"}\n'
    )
    return root


@pytest.fixture
def github() -> Iterator[FakeGitHubServer]:
    state = FakeGitHub()
    state.add_token(
        BOT_TOKEN,
        "github-actions[bot]",
        permissions=["actions", "contents", "issues", "pull_requests"],
    )
    state.add_token(COPILOT_TOKEN, MAINTAINER)
    state.add_repo(REPO, files={"README.md": "# data shop\n"})
    server = serve(state=state)
    yield server
    server.stop()


def _env(server: FakeGitHubServer, model: Path, tmp: Path, run_id: int) -> dict[str, str | None]:
    return {
        "GITHUB_TOKEN": BOT_TOKEN,
        "GITHUB_API_URL": server.base_url,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_RUN_ID": str(run_id),
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_WORKFLOW": "validate data",
        "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
        "GITHUB_REF_NAME": "main",
        "COPILOT_TOKEN": COPILOT_TOKEN,
        "AUTOHEAL_MODEL_URI": str(model),
        "AUTOHEAL_SERVICE_URL": None,
        "AUTOHEAL_AUDIT_PATH": str(tmp / "audit" / "remediation.jsonl"),
        "AUTOHEAL_GITHUB_THROTTLE": "0",
    }


def _validate(root: Path, out: Path, env: dict[str, str | None]) -> tuple[int, str]:
    args = ["validate", "--config", str(root / "autoheal.toml"), "--report-dir", str(out)]
    result = CliRunner().invoke(app, [*args, "--heal", "--quiet"], env=env)
    return result.exit_code, result.stdout + result.stderr


def test_broken_data_file_opens_one_issue_and_a_second_run_opens_none(
    github: FakeGitHubServer, model_artifact: Path, tmp_path: Path
) -> None:
    root = make_repo(tmp_path / "repo")
    out = tmp_path / "out"
    code, output = _validate(root, out, _env(github, model_artifact, tmp_path, 101))
    assert code == 1, output  # the check failed, whatever remediation did
    report = json.loads((out / "validate-report.json").read_text())
    assert report["failed"] == ["train"]
    ((outcome),) = report["heal"]["outcomes"]
    assert outcome["jobs"] == ["validate: train"] and outcome["error"] is None
    assert report["heal"]["errors"] == [] and report["heal"]["run_id"] == 101

    (issue,) = github.state.issues(REPO)
    body = issue.body or ""
    assert markers_in(body)["fingerprint"] == {outcome["fingerprint"]}
    assert markers_in(body)["run"] == {"101"}
    assert "autoheal" in issue.labels and issue.number == outcome["issue"]
    # The diagnostics name the file, the record and the column at fault.
    assert "data/train/b.jsonl line 2 column 'label'" in body
    assert "is a string here but a number on line 1" in body
    assert "/actions/runs/101" in body
    if outcome["action"] == "fix":  # confident: the same path as a failed run takes
        (pull,) = github.state.pulls(REPO)
        assert pull.pull is not None and pull.pull.draft
        assert (pull.body or "").startswith(f"Fixes #{issue.number}")
        (comment,) = github.state.comments(REPO, pull.number)
        assert comment.body.startswith("@copilot ") and comment.user == MAINTAINER
    else:
        assert outcome["action"] == "triage" and "needs-triage" in issue.labels
    markdown = (out / "validate-report.md").read_text()
    assert f"issue #{issue.number}" in markdown and "## Remediation" in markdown

    # The same failure in a later run: noted on the same issue, nothing new opened.
    code, output = _validate(root, out, _env(github, model_artifact, tmp_path, 102))
    assert code == 1, output
    again = json.loads((out / "validate-report.json").read_text())["heal"]["outcomes"]
    assert [(o["action"], o["issue"], o["fingerprint"]) for o in again] == [
        ("seen-again", issue.number, outcome["fingerprint"])
    ]
    assert len(github.state.issues(REPO)) == 1
    assert len(github.state.pulls(REPO)) == (1 if outcome["action"] == "fix" else 0)
    seen = [c for c in github.state.comments(REPO, issue.number) if "Seen again" in c.body]
    assert len(seen) == 1 and "/actions/runs/102" in seen[0].body

    # Re-running the very same run (a retried job) writes nothing at all.
    before = len([r for r in github.state.requests if r.method != "GET"])
    code, _ = _validate(root, out, _env(github, model_artifact, tmp_path, 102))
    assert code == 1 and len(github.state.issues(REPO)) == 1
    after = len([r for r in github.state.requests if r.method != "GET"])
    assert after == before


def test_dry_run_heal_writes_nothing(
    github: FakeGitHubServer, model_artifact: Path, tmp_path: Path
) -> None:
    root = make_repo(tmp_path / "repo")
    env = _env(github, model_artifact, tmp_path, 7)
    args = ["validate", "--config", str(root / "autoheal.toml"), "--report-dir", str(tmp_path)]
    result = CliRunner().invoke(app, [*args, "--heal", "--dry-run", "-q"], env=env)
    assert result.exit_code == 1
    assert "would open issue" in result.stdout
    assert github.state.issues(REPO) == []
    assert [r for r in github.state.requests if r.method != "GET"] == []


def test_the_diagnostic_is_stable_and_classified_as_a_data_failure(
    model_artifact: Path, tmp_path: Path
) -> None:
    """The fingerprint de-duplication rests on: same failure, same text, same fingerprint."""
    first = make_repo(tmp_path / "one")
    second = make_repo(tmp_path / "two")  # another checkout of the same content
    logs = [
        diagnostic_log(run_validation(load_config(root / "autoheal.toml")).failed[0])
        for root in (first, second, first)
    ]
    assert logs[0] == logs[1] == logs[2]
    assert str(tmp_path) not in logs[0]
    classifier = Classifier.load(model_artifact)
    prediction = classifier.classify(logs[0].encode())
    assert prediction.category == "schema_validation"


def test_heal_failures_leaves_a_transient_first_attempt_alone_then_opens_on_a_retry(
    github: FakeGitHubServer, model_artifact: Path, tmp_path: Path
) -> None:
    """`Healer.heal_failures` with an already-built failure: the run cannot re-run itself."""
    settings = RemediationSettings(
        github_token=BOT_TOKEN,
        api_url=github.base_url,
        audit_path=tmp_path / "audit.jsonl",
        throttle=False,
    )
    healer = build_healer(
        settings,
        REPO,
        HealOptions(),
        classifier=LocalClassifier(Classifier.load(model_artifact)),
        breaker=MemoryCircuitBreaker(),
        say=lambda _: None,
    )
    prediction = Prediction(
        category="network",
        confidence=0.97,
        probabilities={"network": 0.97, "unknown": 0.03},
        auto_fix=True,
        threshold=0.7,
        evidence=(Evidence(3, "curl: (6) Could not resolve host: data.example"),),
        fingerprint="00aa11bb22cc33dd",
        model_version="test",
        step="autoheal validate --check 'fetch'",
    )
    job = JobInfo(1, "validate: fetch", "failure", "fetch", "https://example.invalid/run")
    run = validation_run(REPO, tmp_path, {"GITHUB_RUN_ID": "5", "GITHUB_RUN_ATTEMPT": "1"})
    report = healer.heal_failures(run, [Failure(prediction, (job,))])
    assert [o.action for o in report.outcomes] == ["rerun"] and report.ok
    assert github.state.issues(REPO) == [] and github.state.reruns == []
    retry = validation_run(REPO, tmp_path, {"GITHUB_RUN_ID": "5", "GITHUB_RUN_ATTEMPT": "2"})
    report = healer.heal_failures(retry, [Failure(prediction, (job,))])
    assert [o.action for o in report.outcomes] == ["fix"] and report.ok
    (issue,) = github.state.issues(REPO)
    assert "autoheal:network" in issue.labels
    assert markers_in(issue.body)["fingerprint"] == {"00aa11bb22cc33dd"}
