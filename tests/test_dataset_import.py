"""`autoheal dataset import` against the GitHub stand-in over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from autoheal.cli import app
from datasets._import import ImportReport, import_failed_logs
from datasets._import._review import read_review_file
from datasets.records import DatasetError, read_jsonl
from model.classifier import Classifier
from service.fake_github import USER_TOKEN, FakeGitHubServer, JobSpec, add_default_tokens, serve
from service.fake_github._demo import log_for
from service.fake_github._state import FakeGitHub
from service.remediation._pygithub import make_github
from training.data import load_extra

REPO = "acme/widgets"
SECRET = "ghp_" + "Zq7" * 12  # a GitHub token shape, 40 characters
SINCE = "2025-06-01"


@dataclass
class Seeded:
    server: FakeGitHubServer
    dependency: int
    duplicate: int
    network: int
    secret: int
    old: int
    success: int
    binary: int
    huge: int
    mixed: int

    @property
    def state(self) -> FakeGitHub:
        return self.server.state


def _secret_log() -> str:
    stamp = "2025-07-01T10:00:0{}.0000000Z "
    lines = [
        "##[group]Run git push",
        f"git push https://x-access-token:{SECRET}@github.com/acme/widgets.git HEAD:main",
        f"remote: Invalid username or password. token={SECRET}",
        "fatal: Authentication failed for 'https://github.com/acme/widgets.git/'",
        "##[error]Process completed with exit code 128.",
    ]
    return "".join(stamp.format(i) + line + "\n" for i, line in enumerate(lines))


def _huge_log() -> str:
    filler = "".join(
        f"2025-07-01T10:00:00.0000000Z building module {i} of many, all fine so far\n"
        for i in range(40_000)
    )
    return filler + log_for("compilation/gcc-clang-compile", 4)


@pytest.fixture(scope="module")
def seeded() -> Iterator[Seeded]:
    state = FakeGitHub()
    add_default_tokens(state)
    state.add_repo(REPO)
    dependency_log = log_for("dependency_install/pip-no-matching-distribution", 1)

    def failed(*jobs: JobSpec) -> int:
        return state.add_run(REPO, jobs=list(jobs))

    old = failed(JobSpec("test", "failure", log_for("network/npm-network-error", 9)))
    with state.lock:  # a run from long before --since
        state.runs[old].created_at = datetime(2024, 1, 5, tzinfo=UTC)
    ids = Seeded(
        server=serve(demo=False, state=state),
        old=old,
        dependency=failed(JobSpec("install", "failure", dependency_log)),
        network=failed(JobSpec("build", "failure", log_for("network/npm-network-error", 2))),
        secret=failed(JobSpec("deploy", "failure", _secret_log())),
        duplicate=failed(JobSpec("install (again)", "failure", dependency_log)),
        success=state.add_run(
            REPO, conclusion="success", jobs=[JobSpec("test", "success", "all good\n")]
        ),
        binary=failed(JobSpec("package", "failure", "\x00\x01\x02PK\x00" * 5000)),
        huge=failed(JobSpec("compile", "failure", _huge_log())),
        mixed=failed(
            JobSpec("lint", "success", "ok\n"),
            JobSpec("test (3.12)", "failure", log_for("test_failure/pytest-assertion", 3)),
        ),
    )
    try:
        yield ids
    finally:
        ids.server.stop()


@pytest.fixture(scope="module")
def classifier(model_artifact: Path) -> Classifier:
    return Classifier.load(model_artifact)


def _import(seeded: Seeded, classifier: Classifier, out: Path, **options: Any) -> ImportReport:
    github = make_github(USER_TOKEN, seeded.server.base_url, throttle=False)
    return import_failed_logs(github, REPO, SINCE, classifier, out, **options)


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def imported(
    seeded: Seeded, classifier: Classifier, tmp_path_factory: pytest.TempPathFactory
) -> tuple[ImportReport, Path]:
    out = tmp_path_factory.mktemp("review") / "widgets.jsonl"
    # Small pages and a small log cap: pagination and truncation are exercised.
    report = _import(seeded, classifier, out, per_page=2, max_log_bytes=256 * 1024)
    return report, out


def test_rows_are_the_distinct_failures_least_confident_first(
    imported: tuple[ImportReport, Path], seeded: Seeded
) -> None:
    _, out = imported
    rows = _rows(out)
    runs = {row["run_id"] for row in rows} | {
        int(str(url).split("/runs/")[1].split("/")[0]) for row in rows for url in row["seen_in"]
    }
    # Every failed run since the date, once; not the old one, the successful one or the binary one.
    assert runs == {
        seeded.dependency,
        seeded.duplicate,
        seeded.network,
        seeded.secret,
        seeded.huge,
        seeded.mixed,
    }
    keys = [(row["confidence"], row["margin"]) for row in rows]
    assert keys == sorted(keys)
    for row in rows:
        assert row["label"] is None
        assert row["suggested"] and 0.0 <= float(row["confidence"]) <= 1.0
        assert row["repository"] == REPO and row["job_url"] and row["run_url"]
        assert str(row["log"]).strip()


def test_identical_failures_become_one_counted_row(imported: tuple[ImportReport, Path]) -> None:
    report, out = imported
    rows = _rows(out)
    fingerprints = [row["fingerprint"] for row in rows]
    assert len(fingerprints) == len(set(fingerprints))
    merged = [row for row in rows if row["occurrences"] == 2]
    assert len(merged) == 1
    assert merged[0]["job_name"] == "install (again)"  # the newest run is kept
    assert len(merged[0]["seen_in"]) == 1
    assert report.duplicates == 1


def test_since_successful_jobs_binary_and_huge_logs(
    imported: tuple[ImportReport, Path], seeded: Seeded
) -> None:
    report, out = imported
    rows = _rows(out)
    by_run = {row["run_id"]: row for row in rows}
    assert seeded.old not in by_run and seeded.success not in by_run
    assert by_run[seeded.mixed]["job_name"] == "test (3.12)"
    assert by_run[seeded.huge]["log_truncated"] is True
    assert "undeclared" in str(by_run[seeded.huge]["log"])  # the tail, where the failure is
    skipped = dict(report.skipped)
    assert len(skipped) == 1
    (where, reason), *_ = report.skipped
    assert str(seeded.binary) in where and "binary" in reason
    assert report.runs == 7 and report.written == len(rows)


def test_a_secret_in_a_log_appears_nowhere_in_the_output(
    imported: tuple[ImportReport, Path], seeded: Seeded
) -> None:
    _, out = imported
    text = out.read_text(encoding="utf-8")
    assert SECRET not in text and SECRET[4:20] not in text
    row = next(r for r in _rows(out) if r["run_id"] == seeded.secret)
    assert "[REDACTED]" in str(row["log"]) and "Authentication failed" in str(row["log"])


def test_limit_caps_the_runs_read(seeded: Seeded, classifier: Classifier, tmp_path: Path) -> None:
    report = _import(seeded, classifier, tmp_path / "two.jsonl", per_page=1, limit=2)
    assert report.runs == 2
    # Newest first: the two last seeded runs.
    ids = {row["run_id"] for row in _rows(tmp_path / "two.jsonl")}
    assert ids == {seeded.mixed, seeded.huge}


def test_unreviewed_rows_are_refused_and_reviewed_ones_train(
    imported: tuple[ImportReport, Path], tmp_path: Path
) -> None:
    _, out = imported
    with pytest.raises(DatasetError) as refused:
        load_extra([out])
    assert f"{out}:1:" in str(refused.value) and "not reviewed" in str(refused.value)

    reviewed = tmp_path / "reviewed.jsonl"
    rows = _rows(out)
    for row in rows:
        row["label"] = row["suggested"]
    rows[0]["label"] = "unknown"  # a maintainer may disagree with the suggestion
    reviewed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    records = list(read_jsonl(reviewed))
    assert len(records) == len(rows)
    assert records[0].label == "unknown" and records[0].kind == "excerpt"
    assert all(r.family and r.family.startswith("github:") for r in records)
    assert load_extra([reviewed]) == records


def test_the_command_writes_the_default_file_and_keeps_an_existing_one(
    seeded: Seeded,
    model_artifact: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", USER_TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", seeded.server.base_url)
    monkeypatch.setenv("AUTOHEAL_GITHUB_THROTTLE", "0")
    args = ["dataset", "import", "--repo", REPO, "--since", SINCE, "-m", str(model_artifact)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    out = tmp_path / "var/data/review/acme__widgets-2025-06-01.jsonl"
    assert out.is_file() and "skipped 1: binary" in result.output
    assert SECRET not in result.output and SECRET not in out.read_text(encoding="utf-8")
    before = out.read_bytes()
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 2 and "--overwrite" in again.output and "--update" in again.output
    assert out.read_bytes() == before
    both = CliRunner().invoke(app, [*args, "--overwrite", "--update"])
    assert both.exit_code == 2 and "exclude each other" in both.output
    updated = CliRunner().invoke(app, [*args, "--update"])
    said = " ".join(updated.output.split())  # the console wraps long lines
    assert updated.exit_code == 0 and "5 rows kept from the earlier file" in said, said
    assert len(_rows(out)) == len(before.decode().splitlines())  # the same runs: nothing new
    out.write_text('{"id": "x"}\n', encoding="utf-8")
    broken = CliRunner().invoke(app, [*args, "--update"])
    assert broken.exit_code == 2 and ":1: a review row needs its fingerprint" in broken.output
    assert CliRunner().invoke(app, [*args, "--overwrite"]).exit_code == 0


def test_update_keeps_reviews_counts_each_job_once_and_adds_new_failures(
    classifier: Classifier, tmp_path: Path
) -> None:
    state = FakeGitHub()
    add_default_tokens(state)
    state.add_repo(REPO)
    pip = log_for("dependency_install/pip-no-matching-distribution", 1)
    state.add_run(REPO, jobs=[JobSpec("install", "failure", pip)])
    state.add_run(REPO, jobs=[JobSpec("build", "failure", log_for("network/npm-network-error", 2))])
    server = serve(demo=False, state=state)
    try:
        github = make_github(USER_TOKEN, server.base_url, throttle=False)
        out = tmp_path / "review.jsonl"
        import_failed_logs(github, REPO, SINCE, classifier, out)
        first = {row["job_name"]: row for row in _rows(out)}
        assert set(first) == {"install", "build"}
        first["install"]["label"] = "dependency_install"
        first["install"]["note"] = "pinned in #12"  # a reviewer's own field stays too
        first["build"]["skip"] = True
        out.write_text("".join(json.dumps(r) + "\n" for r in first.values()), encoding="utf-8")

        # The same runs again, the same failure in a new run, and a new failure.
        again = state.add_run(REPO, jobs=[JobSpec("install (3.12)", "failure", pip)])
        compile_log = log_for("compilation/gcc-clang-compile", 4)
        state.add_run(REPO, jobs=[JobSpec("compile", "failure", compile_log)])
        earlier = read_review_file(out)
        report = import_failed_logs(github, REPO, SINCE, classifier, out, earlier=earlier)
    finally:
        server.stop()

    rows = _rows(out)
    by_job = {row["job_name"]: row for row in rows}
    # To review first; then the reviewed rows, in the earlier file's order.
    assert list(by_job) == ["compile", *first]
    assert by_job["compile"]["label"] is None and by_job["compile"]["skip"] is False
    install = by_job["install"]
    assert install["label"] == "dependency_install" and install["note"] == "pinned in #12"
    assert install["occurrences"] == 2 and len(install["seen_in"]) == 1
    assert f"/runs/{again}/" in install["seen_in"][0]
    assert by_job["build"]["skip"] is True and by_job["build"]["occurrences"] == 1
    assert (report.kept, report.already_counted, report.duplicates) == (2, 2, 1)
    # Training reads the reviewed row, leaves the skipped one out, refuses the new one.
    with pytest.raises(DatasetError, match='set "skip": true'):
        load_extra([out])
    out.write_text(
        "".join(json.dumps(r) + "\n" for r in rows if r["label"] or r["skip"]), encoding="utf-8"
    )
    (trained,) = load_extra([out])
    assert trained.label == "dependency_install"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--repo", "acme", "--since", SINCE], "OWNER/NAME"),
        (["--repo", REPO, "--since", "last tuesday"], "--since"),
    ],
)
def test_bad_arguments_are_refused(
    args: list[str], message: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", "x")
    result = CliRunner().invoke(app, ["dataset", "import", *args])
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "var").exists()


def test_the_created_filter_of_the_stand_in(seeded: Seeded) -> None:
    github = make_github(USER_TOKEN, seeded.server.base_url, throttle=False)
    repo = github.get_repo(REPO)

    def ids(created: str) -> set[int]:
        return {r.id for r in repo.get_workflow_runs(created=created)}

    assert seeded.old in ids("<2025-01-01") and seeded.dependency not in ids("<2025-01-01")
    assert seeded.old in ids("2024-01-05") and ids("2024-01-06") == set()
    assert seeded.old not in ids(f">={SINCE}") and seeded.mixed in ids(f">={SINCE}")
    assert ids("2024-01-01..2024-01-31") == {seeded.old}
