"""Recall of the error-region extraction on generated logs (a regression guard).

A few hundred logs are generated with a fixed seed; for each, the failure its family wrote is
drawn again from the record's seed path (see `datasets.audit_extraction`), so the lines the
failing step printed are known. The floors sit a few points under the shares measured when
they were set (seed 101, 300 logs: decisive in the step's own lines 89.7%, in its own lines or
the runner's errors 96.7%, evidence 99.3%, empty decisive 1.0%).
"""

from __future__ import annotations

import pytest

from datasets.audit_extraction import Audit, FailureOutput, failure_of, run_audit
from datasets.generator import Failure, all_families, generate
from model import extract_region
from model._logtext import clean_line

SEED = 101
N = 300


@pytest.fixture(scope="module")
def audit() -> Audit:
    return run_audit(generate(N, SEED))


def test_every_record_was_judged(audit: Audit) -> None:
    assert audit.overall.n == N
    assert set(audit.by["kind"]) == {"full", "excerpt"}


def test_failures_drawn_again_are_the_ones_in_the_logs() -> None:
    # The audit redraws each failure from the record's seed path: if the generator changed
    # that path, the redrawn lines would no longer be found in the logs.
    families = {f.id: f for f in all_families()}
    for record in generate(60, SEED):
        own = FailureOutput.of(failure_of(record, families)).own
        shown = {" ".join(clean_line(line).split()) for line in record.log.split("\n")}
        assert not own or own & shown, record.id


def test_decisive_line_is_rarely_empty(audit: Audit) -> None:
    assert audit.overall.share("empty") <= 0.04


def test_decisive_line_is_the_failures_own_output(audit: Audit) -> None:
    overall = audit.overall
    assert overall.share("decisive") >= 0.85, overall.examples
    assert overall.share("runner") >= 0.92, overall.examples


def test_evidence_shows_the_failures_output(audit: Audit) -> None:
    assert audit.overall.share("evidence") >= 0.95


def test_every_format_is_mostly_right(audit: Audit) -> None:
    weak = {name: t.share("runner") for name, t in audit.by["format"].items()}
    assert all(share >= 0.8 for share in weak.values()), weak


def test_failure_output_matching_is_exact_not_fuzzy() -> None:
    failure = Failure(
        label="network",
        lines=["\x1b[31merror\x1b[0m: connect ECONNREFUSED 127.0.0.1:5432", "  at x (y.js:1:2)"],
        step="Run tests",
        command="npm test",
        runner_errors=("The operation was canceled.",),
    )
    output = FailureOutput.of(failure)
    assert output.contains("error: connect ECONNREFUSED 127.0.0.1:5432")
    assert output.contains("  at x (y.js:1:2)")
    assert not output.contains("error: connect ECONNREFUSED")
    assert not output.contains("##[error]The operation was canceled.")
    assert output.contains("##[error]The operation was canceled.", runner=True)
    assert not output.contains("")


# ------------------------------------------------------- how tools and runners report failures
# Small hand-made logs, one per way of reporting, so a lost rule fails by name.


def _gha(lines: list[str]) -> str:
    stamp = "2026-02-03T04:05:{:02d}.{:07d}Z "
    return "\n".join(stamp.format(i % 60, i * 7) + line for i, line in enumerate(lines)) + "\n"


def _gha_step(name: str, output: list[str], tail: list[str]) -> list[str]:
    return [
        "##[group]Run actions/checkout@v4",
        "##[endgroup]",
        "Syncing repository: acme/widget",
        f"##[group]Run {name}",
        name,
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        *output,
        *tail,
        "Post job cleanup.",
        "Cleaning up orphan processes",
    ]


def test_weak_error_well_above_the_exit_line_is_found() -> None:
    filler = [f"step {i} of 10 done" for i in range(11)]
    lines = _gha_step(
        "./deploy.sh",
        ["Could not read deploy.yaml", *filler],
        ["##[error]Process completed with exit code 2."],
    )
    region = extract_region(_gha(lines))
    assert region.decisive == "Could not read deploy.yaml"
    assert region.exit_code == 2


def test_runner_annotation_without_tool_words_is_the_reason() -> None:
    lines = [
        "Requested labels: self-hosted, gpu",
        "Job defined at: acme/widget/.github/workflows/ci.yml@refs/heads/main",
        "##[error]No runner matching the specified labels was found: self-hosted, gpu",
    ]
    region = extract_region(_gha(lines))
    assert region.decisive == lines[-1]


def test_gitlab_blames_the_script_not_the_artifact_upload() -> None:
    lines = [
        "Running with gitlab-runner 17.1.0 (abc)",
        "section_start:1:step_script\r\x1b[0K\x1b[0KExecuting step_script",
        "$ xcodebuild -workspace App.xcworkspace -scheme App test",
        "xcodebuild: error: 'App.xcworkspace' does not exist.",
        "section_end:2:step_script\r\x1b[0K",
        "section_start:3:upload_artifacts_on_failure\r\x1b[0K\x1b[0KUploading artifacts",
        "WARNING: reports/junit.xml: no matching files",
        "ERROR: No files to upload",
        "section_end:4:upload_artifacts_on_failure\r\x1b[0K",
        "section_start:5:cleanup_file_variables\r\x1b[0K\x1b[0KCleaning up",
        "section_end:6:cleanup_file_variables\r\x1b[0K",
        "ERROR: Job failed: exit code 65",
    ]
    region = extract_region("\n".join(lines) + "\n")
    assert region.step == "step_script"
    assert region.decisive == "xcodebuild: error: 'App.xcworkspace' does not exist."


def test_gitlab_system_failure_states_its_reason() -> None:
    lines = [
        "Running with gitlab-runner 17.1.0 (abc)",
        "section_start:1:prepare_executor\r\x1b[0K\x1b[0KPreparing the docker executor",
        "Using Docker executor with image node:22 ...",
        "section_end:2:prepare_executor\r\x1b[0K",
        "ERROR: Job failed (system failure): prepare environment: pulling image: context deadline",
    ]
    region = extract_region("\n".join(lines) + "\n")
    assert "system failure" in region.decisive and "pulling image" in region.decisive


def test_jenkins_stage_without_error_words_is_blamed_not_the_skipped_stage() -> None:
    lines = [
        "Started by user admin",
        "[Pipeline] stage",
        "[Pipeline] { (Install)",
        "[Pipeline] sh",
        "+ poetry install",
        "Installing dependencies from lock file",
        "pyproject.toml changed since the lock file was written; lock it again",
        "[Pipeline] }",
        "[Pipeline] // stage",
        "[Pipeline] stage",
        "[Pipeline] { (Publish)",
        'Stage "Publish" skipped due to earlier failure(s)',
        "[Pipeline] }",
        "[Pipeline] End of Pipeline",
        "ERROR: script returned exit code 1",
        "Finished: FAILURE",
    ]
    region = extract_region("\n".join(lines) + "\n")
    assert region.step == "Install"
    assert region.decisive.startswith("pyproject.toml changed")


def test_excerpt_without_markers_ends_with_its_failure() -> None:
    lines = [
        "$ curl -fsSL https://downloads.example.invalid/tool.tgz -o tool.tgz",
        "  % Total    % Received % Xferd  Average Speed   Time",
        "curl: (7) Failed to connect to downloads.example.invalid port 443: Connection refused",
    ]
    region = extract_region("\n".join(lines))
    assert region.decisive == lines[-1]


def test_failed_step_without_any_error_word_shows_its_last_words() -> None:
    lines = _gha_step(
        "make release",
        ["packing 3 archives", "upload skipped for this branch", "+ exit 3"],
        ["##[error]Process completed with exit code 3."],
    )
    region = extract_region(_gha(lines))
    assert region.decisive == "upload skipped for this branch"


def test_gradle_what_went_wrong_is_read_with_its_message() -> None:
    output = [
        "> Task :app:compileJava FAILED",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        "Execution failed for task ':app:compileJava'.",
        "> Compilation failed; see the compiler output below.",
        "",
        "* Try:",
        "BUILD FAILED in 4s",
    ]
    region = extract_region(_gha(_gha_step("./gradlew build", output, [])))
    assert region.decisive.split("\n") == [
        "* What went wrong:",
        "Execution failed for task ':app:compileJava'.",
    ]


def test_status_code_below_a_generic_failure_joins_the_decisive_lines() -> None:
    output = [
        "[INFO] Downloading from central: https://repo.example.invalid/a/b/1/b-1.pom",
        "[ERROR] Could not transfer artifact a:b:pom:1 from/to central",
        "[ERROR]   status code: 429, reason phrase: Too Many Requests",
        "[ERROR] -> [Help 1]",
    ]
    tail = ["##[error]Process completed with exit code 1."]
    region = extract_region(_gha(_gha_step("mvn -B verify", output, tail)))
    assert region.decisive.split("\n") == output[1:3]


def test_linter_rule_codes_count_even_when_printed_as_warnings() -> None:
    output = [
        "Dockerfile:3 DL3008 warning: Pin versions in apt get install",
        "Dockerfile:7 DL3059 info: Multiple consecutive RUN instructions",
    ]
    tail = ["##[error]Process completed with exit code 1."]
    region = extract_region(_gha(_gha_step("hadolint Dockerfile", output, tail)))
    assert region.decisive == output[0]
