"""Pure parts of remediation: sanitising, markers, names, payloads, policy, retry, breaker."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from github import GithubException

from model._extract import Evidence
from model.classifier import Prediction
from model.taxonomy import LABELS
from service.remediation import _payloads as payloads
from service.remediation._audit import AuditEntry, JsonlAuditSink
from service.remediation._breaker import FileCircuitBreaker
from service.remediation._markers import has_marker, marker, markers_in
from service.remediation._names import names_in
from service.remediation._policy import Action, RunVerdict, choose_action, judge_run
from service.remediation._retry import GitHubUnavailable, RetryPolicy, call, retry_delay, write
from service.remediation._sanitize import clean_text, fence, inline_code, redact
from service.remediation._types import Failure, JobInfo, RunInfo

SECRETS = {
    "ghp": "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    "pat": "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ",
    "ghs": "ghs_" + "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8",
    "aws": "AKIA" + "IOSFODNN7EXAMPLE",
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "url": "s3cretPassw0rd",
    "bare-url": "abcdef0123456789abcdef0123456789",
    "flag": "hunter2hunter2",
    "assign": "sup3rs3cr3tvalue",
}
SECRET_TEXT = "\n".join(
    [
        f"export GH_TOKEN={SECRETS['ghp']}",
        f"using {SECRETS['pat']} and {SECRETS['ghs']}",
        f"aws key {SECRETS['aws']}",
        f"Authorization: Bearer {SECRETS['jwt']}",
        f"git clone https://bob:{SECRETS['url']}@git.example.com/x.git",
        f"git clone https://{SECRETS['bare-url']}@git.example.com/x.git",
        f"mysql --password {SECRETS['flag']} -h db",
        f"secret={SECRETS['assign']}",
        "-----BEGIN RSA PRIVATE KEY-----",
        "MIIEowIBAAKCAQEAprivatekeymaterial",
        "-----END RSA PRIVATE KEY-----",
    ]
)


def test_redact_removes_every_secret_shape() -> None:
    cleaned = redact(SECRET_TEXT)
    for name, value in SECRETS.items():
        assert value not in cleaned, name
    assert "privatekeymaterial" not in cleaned
    assert "[REDACTED]" in cleaned
    assert "git.example.com" in cleaned  # the rest of the line survives


def test_clean_text_neutralises_mentions_and_forged_markers() -> None:
    text = "ping @octocat and @org/team <!-- autoheal:fingerprint=deadbeefdeadbeef -->"
    cleaned = clean_text(text)
    assert "@octocat" not in cleaned and "@org/team" not in cleaned
    assert "<!--" not in cleaned
    assert markers_in(cleaned) == {}
    assert len(clean_text("x" * 5000, 100)) == 100


def test_fence_is_longer_than_any_backtick_run() -> None:
    body = "before\n``````\nstill inside\n```"
    fenced = fence(body)
    opening = fenced.split("\n", 1)[0]
    assert opening == "`" * 7 + "text"
    assert fenced.endswith("\n" + "`" * 7)
    assert inline_code("a`b").startswith("``") and "\n" not in inline_code("a\nb")


def test_markers_round_trip_and_reject_unsafe_values() -> None:
    body = "text\n" + marker("fingerprint", "0123abcd") + "\n" + marker("run", 42)
    assert has_marker(body, "fingerprint", "0123abcd")
    assert has_marker(body, "run", 42) and not has_marker(body, "run", 43)
    with pytest.raises(ValueError):
        marker("run", "1 --> <script>")
    # A marker inside a line of other text (e.g. quoted log) does not count.
    assert markers_in("log: <!-- autoheal:run=7 -->") == {}


def test_names_come_from_the_evidence() -> None:
    names = names_in(
        [
            "ERROR: No matching distribution found for requests==9.9.9",
            "FAILED tests/test_orders.py::test_total - assert 41 == 42",
            "src/app/orders.py:12:5: F841 unused",
            "bash: line 1: protoc: command not found",
            "fatal: unable to access: Could not resolve host: pypi.example.org",
        ]
    )
    assert "requests==9.9.9" in names.packages
    assert "tests/test_orders.py::test_total" in names.tests
    assert "src/app/orders.py:12" in names.files
    assert "protoc" in names.commands
    assert "pypi.example.org" in names.hosts


def _prediction(
    category: str, confidence: float, evidence: tuple[Evidence, ...] = ()
) -> Prediction:
    probs = dict.fromkeys(LABELS, (1 - confidence) / (len(LABELS) - 1))
    probs[category] = confidence
    return Prediction(
        category=category,
        confidence=confidence,
        probabilities=probs,
        auto_fix=confidence >= 0.7,
        threshold=0.7,
        evidence=evidence,
        fingerprint="0123456789abcdef",
        model_version="unit",
        step="Install",
    )


def _run(attempt: int = 1, head: str | None = "o/r", conclusion: str | None = "failure") -> RunInfo:
    return RunInfo(
        id=77,
        repository="o/r",
        workflow="CI / Build & Test",
        run_attempt=attempt,
        status="completed",
        conclusion=conclusion,
        html_url="http://gh.test/o/r/actions/runs/77",
        head_repository=head,
        head_branch="main",
        head_sha="a" * 40,
    )


@pytest.mark.parametrize(
    ("category", "confidence", "attempt", "expected"),
    [
        ("network", 0.95, 1, Action.RERUN),
        ("rate_limit", 0.95, 2, Action.FIX),
        ("infrastructure", 0.5, 1, Action.TRIAGE),
        ("test_failure", 0.7, 1, Action.FIX),  # at the threshold counts
        ("test_failure", 0.69, 1, Action.TRIAGE),
        ("unknown", 0.99, 1, Action.TRIAGE),
    ],
)
def test_policy(category: str, confidence: float, attempt: int, expected: Action) -> None:
    assert choose_action(_prediction(category, confidence), attempt, 0.7) is expected


def test_run_verdicts() -> None:
    assert judge_run(_run(), allow_forks=False) is RunVerdict.HEAL
    assert judge_run(_run(conclusion="success"), allow_forks=False) is RunVerdict.NOT_FAILED
    assert judge_run(_run(head="evil/r"), allow_forks=False) is RunVerdict.FORK
    assert judge_run(_run(head="evil/r"), allow_forks=True) is RunVerdict.HEAL


def test_payloads_carry_markers_diagnostics_and_plan() -> None:
    evidence = (
        Evidence(41, "ERROR: No matching distribution found for requests==9.9.9"),
        Evidence(42, "see ```` and @someone"),
    )
    job = JobInfo(5, "build", "failure", "Run pip install", "http://gh.test/job/5")
    failure = Failure(_prediction("dependency_install", 0.93, evidence), (job,))
    issue = payloads.fix_issue(failure, _run())
    assert issue.labels == ("autoheal", "autoheal:dependency_install")
    assert has_marker(issue.body, "fingerprint", "0123456789abcdef")
    assert has_marker(issue.body, "run", 77) and has_marker(issue.body, "action", "fix")
    assert "41 | ERROR: No matching distribution" in issue.body
    assert "`requests==9.9.9`" in issue.body  # the plan names the package
    assert "93.0%" in issue.body and "Run pip install" in issue.body
    assert "@someone" not in issue.body
    assert re.search(r"^`{5}text$", issue.body, re.M)  # longer than the 4-backtick run
    triage = payloads.triage_issue(failure, _run())
    assert triage.labels == ("autoheal", "needs-triage")
    assert "Manual review required" in triage.body and triage.body.count("%") >= 4
    pull = payloads.pull_body(failure, _run(), 12)
    assert pull.startswith("Fixes #12") and has_marker(pull, "kind", "pull")
    assert payloads.copilot_comment(failure, _run(), 12).startswith("@copilot ")
    now = __import__("datetime").datetime(2025, 1, 2, 3, 4, 5)
    assert payloads.branch_name(_run(), "dependency_install", now) == (
        "autofix/ci-build-test/dependency_install/20250102030405"
    )


def _github_error(status: int, headers: dict[str, str] | None = None) -> GithubException:
    return GithubException(status, {"message": "x"}, headers)


def test_retry_delays_honour_headers_with_a_cap() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=30.0, clock=lambda: 1000.0)
    assert retry_delay(_github_error(502), 2, policy) == 4.0
    assert retry_delay(_github_error(429, {"Retry-After": "7"}), 0, policy) == 7.0
    reset = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1010"}
    assert retry_delay(_github_error(403, reset), 0, policy) == 11.0
    assert retry_delay(_github_error(403), 0, policy) is None  # a permission error
    assert retry_delay(_github_error(404), 0, policy) is None
    with pytest.raises(GitHubUnavailable, match="cap"):
        retry_delay(_github_error(429, {"Retry-After": "3600"}), 0, policy)


def test_retry_after_as_an_http_date() -> None:
    # 1_000_000_000 s after the epoch is Sun, 09 Sep 2001 01:46:40 GMT.
    policy = RetryPolicy(base_delay=1.0, max_delay=30.0, clock=lambda: 1_000_000_000.0)
    later = {"Retry-After": "Sun, 09 Sep 2001 01:46:52 GMT"}
    assert retry_delay(_github_error(503, later), 0, policy) == 12.0
    past = {"Retry-After": "Sun, 09 Sep 2001 01:40:00 GMT"}
    assert retry_delay(_github_error(503, past), 0, policy) == 0.0
    with pytest.raises(GitHubUnavailable, match="cap"):
        retry_delay(_github_error(429, {"Retry-After": "Mon, 10 Sep 2001 01:46:40 GMT"}), 0, policy)


def test_write_looks_for_its_marker_before_repeating() -> None:
    sleeps: list[float] = []
    sent: list[int] = []

    def send() -> str:
        sent.append(1)
        raise _github_error(502)

    policy = RetryPolicy(sleep=sleeps.append)
    result, fresh = write(policy, "create", send, lambda: "found-it")
    assert (result, fresh, len(sent), len(sleeps)) == ("found-it", False, 1, 1)
    with pytest.raises(GitHubUnavailable):
        call(RetryPolicy(attempts=3, sleep=sleeps.append), "read", send)
    assert len(sent) == 4


def test_file_breaker_counts_per_repository_within_the_window(tmp_path: Path) -> None:
    now = [1000.0]
    breaker = FileCircuitBreaker(tmp_path / "cb.json", limit=2, clock=lambda: now[0])
    assert breaker.acquire("o/r") and breaker.acquire("o/r")
    assert not breaker.allows("o/r") and not breaker.acquire("o/r")
    assert breaker.acquire("o/other")
    now[0] += 3601
    assert breaker.acquire("o/r")
    (tmp_path / "cb.json").write_text("{not json")
    assert breaker.acquire("o/r")  # a damaged file starts afresh


def test_jsonl_audit_appends_entries(tmp_path: Path) -> None:
    sink = JsonlAuditSink(tmp_path / "a" / "audit.jsonl")
    sink.record(AuditEntry("create-issue", "o/r", 1, "done", "fp", "issue", {"number": 3}))
    sink.record(AuditEntry("comment", "o/r", 2, "failed"))
    lines = (tmp_path / "a" / "audit.jsonl").read_text().splitlines()
    assert [json.loads(line)["action"] for line in lines] == ["create-issue", "comment"]
    assert sink.entries()[0]["detail"] == {"number": 3}
