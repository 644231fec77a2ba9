"""The job-log generator: determinism, CI formats, excerpts, balance, registry."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest

from datasets.generator import (
    FORMATS,
    Failure,
    Family,
    FamilyError,
    all_families,
    build_job,
    check_families,
    generate,
    render,
)
from datasets.generator.__main__ import main as cli_main
from datasets.generator._assemble import EXCERPT_MAX_LINES, render_family
from datasets.generator._job import Job
from datasets.generator._noise import failing_stage
from datasets.generator._registry import family_modules
from datasets.records import parse_record, read_jsonl, write_jsonl
from model.taxonomy import LABELS

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
GITHUB_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z ")
TIMEOUT_ERRORS = (
    "The job running on runner GitHub Actions 7 has exceeded the maximum execution time of 60 "
    "minutes.",
    "The operation was canceled.",
)


def _pytest_failure(rng: random.Random, ecosystem: str) -> Failure:
    n = rng.randint(1, 9)
    return Failure(
        label="test_failure",
        lines=[
            f"FAILED tests/test_orders.py::test_total_{n} - assert {n} == {n + 1}",
            f"=========== 1 failed, {n * 10} passed in 3.21s ===========",
        ],
        step="Run tests",
        command="python -m pytest -q",
        exit_code=1,
    )


def _cancelled(rng: random.Random, ecosystem: str) -> Failure:
    return Failure(
        label="timeout",
        lines=[f"tests/test_slow.py::test_sync_{rng.randint(1, 99)} "],
        step="Run tests",
        command="pytest",
        exit_code=None,
        runner_errors=TIMEOUT_ERRORS,
    )


def _invalid_workflow(rng: random.Random, ecosystem: str) -> Failure:
    return Failure(
        label="workflow_config",
        lines=[f"Invalid workflow file: .github/workflows/ci.yml#L{rng.randint(2, 80)}"],
        step="Set up job",
        command="",
        exit_code=None,
        runner_errors=("The workflow is not valid. Unexpected value 'steps'",),
        job_level=True,
    )


def _long_output(rng: random.Random, ecosystem: str) -> Failure:
    lines = [f"fetch attempt {i}: connection reset by peer" for i in range(300)]
    return Failure("network", [*lines, "fatal: giving up"], "Fetch", "make fetch", exit_code=2)


def _multiline(rng: random.Random, ecosystem: str) -> Failure:
    return Failure("runtime_error", ["first line\nsecond line", "third"], "Run", "./run.sh")


PYTEST = Family("test_failure/fake-pytest", "test_failure", ("python", "docker"), _pytest_failure)
CANCELLED = Family("timeout/fake-cancel", "timeout", ("python", "go", "rust"), _cancelled)
INVALID = Family("workflow_config/fake-invalid", "workflow_config", ("node",), _invalid_workflow)
LONG = Family("network/fake-long", "network", ("java", "cpp", "dotnet", "ruby"), _long_output)
TEST_FAMILIES = [PYTEST, CANCELLED, INVALID]


def _job(family: Family, seed: int, ecosystem: str | None = None) -> Job:
    rng = random.Random(seed)
    eco = ecosystem or rng.choice(family.ecosystems)
    return build_job(family.make(rng, eco), eco, rng)


def _plain_lines(text: str) -> list[str]:
    return [ANSI.sub("", line) for line in text.split("\n")]


def _assert_in_order(haystack: list[str], needles: list[str]) -> None:
    """Each needle appears in some line, in order (lines may carry prefixes)."""
    position = 0
    for needle in needles:
        while position < len(haystack) and needle not in haystack[position]:
            position += 1
        assert position < len(haystack), f"{needle!r} missing or out of order"
        position += 1


# ------------------------------------------------------------------ determinism and records
def test_same_seed_gives_identical_records() -> None:
    first = list(generate(40, 7, families=TEST_FAMILIES))
    second = list(generate(40, 7, families=TEST_FAMILIES))
    assert first == second


def test_different_seed_gives_different_logs() -> None:
    first = [r.log for r in generate(20, 7, families=TEST_FAMILIES)]
    second = [r.log for r in generate(20, 8, families=TEST_FAMILIES)]
    assert sum(a != b for a, b in zip(first, second, strict=True)) >= 18


def test_records_validate_and_round_trip(tmp_path: Path) -> None:
    records = list(generate(30, 3, families=TEST_FAMILIES))
    for index, record in enumerate(records):
        assert parse_record(record.to_json(), "memory", index) == record
        assert record.id == f"gen-3-{index}"
        assert record.source == "generator"
        assert record.family in {f.id for f in TEST_FAMILIES}
        assert record.kind in ("full", "excerpt")
        assert record.format in FORMATS
    path = tmp_path / "gen.jsonl"
    assert write_jsonl(path, records) == 30
    assert list(read_jsonl(path)) == records


def test_labels_are_balanced() -> None:
    records = list(generate(3 * 50 + 2, 11, families=[*TEST_FAMILIES, LONG]))
    counts = Counter(r.label for r in records)
    assert set(counts) == {"test_failure", "timeout", "workflow_config", "network"}
    assert max(counts.values()) - min(counts.values()) <= 1


def test_format_and_kind_proportions() -> None:
    records = list(generate(1200, 5, families=[PYTEST, CANCELLED]))
    formats = Counter(r.format for r in records)
    kinds = Counter(r.kind for r in records)
    assert 0.53 < formats["github_actions"] / 1200 < 0.67
    assert 0.10 < formats["plain"] / 1200 < 0.20
    assert all(formats[name] > 30 for name in ("gitlab", "jenkins", "azure", "circleci"))
    assert 0.20 < kinds["excerpt"] / 1200 < 0.30


def test_failure_formats_restrict_the_format() -> None:
    def gitlab_only(rng: random.Random, ecosystem: str) -> Failure:
        return Failure(
            "infrastructure",
            ["ERROR: Preparation failed"],
            "prepare",
            "",
            None,
            ("no executor",),
            job_level=True,
            formats=("gitlab",),
        )

    family = Family("infrastructure/fake-gitlab", "infrastructure", ("go",), gitlab_only)
    assert {r.format for r in generate(40, 1, families=[family])} == {"gitlab"}
    with pytest.raises(ValueError, match="gitlab"):
        render_family(family, 0, "jenkins")


def test_family_returning_wrong_label_is_reported() -> None:
    wrong = Family("compilation/fake-wrong", "compilation", ("go",), _pytest_failure)
    with pytest.raises(ValueError, match="compilation/fake-wrong"):
        list(generate(1, 0, families=[wrong]))


def test_empty_family_list_is_an_error() -> None:
    with pytest.raises(ValueError, match="no failure families"):
        list(generate(1, 0, families=[]))


# ------------------------------------------------------------------ GitHub Actions
@pytest.mark.parametrize("seed", range(6))
def test_github_lines_carry_timestamps_and_bom(seed: int) -> None:
    for family in TEST_FAMILIES:
        lines = render(_job(family, seed), "github_actions").lines
        assert lines[0].startswith("\ufeff")
        stamps = []
        for line in [lines[0][1:], *lines[1:]]:
            assert GITHUB_STAMP.match(line), line
            stamps.append(line[:28])
        assert stamps == sorted(stamps)
        assert len(set(stamps)) == len(stamps)


@pytest.mark.parametrize("seed", range(6))
def test_github_step_failure(seed: int) -> None:
    job = _job(PYTEST, seed)
    text = render(job, "github_actions").text
    lines = [GITHUB_STAMP.sub("", line) for line in _plain_lines(text.lstrip("\ufeff"))]
    assert lines[0].startswith("Current runner version: '2.")
    _assert_in_order(
        lines,
        [
            "##[group]Runner Image",
            "GITHUB_TOKEN Permissions",
            "Prepare workflow directory",
            "Download action repository 'actions/checkout@",
            "##[group]Run actions/checkout@",
            "[command]/usr/bin/git",
            "##[group]Run python -m pytest -q",
            "shell: /usr/bin/bash",
            "##[endgroup]",
            *job.failure.lines,
            "##[error]Process completed with exit code 1.",
            "Post job cleanup.",
            "Cleaning up orphan processes",
        ],
    )


def test_github_runner_errors_and_job_level() -> None:
    lines = _plain_lines(render(_job(CANCELLED, 1), "github_actions").text)
    errors = [line for line in lines if "##[error]" in line]
    assert [e.split("##[error]")[1] for e in errors] == list(TIMEOUT_ERRORS)
    job_level = _plain_lines(render(_job(INVALID, 1), "github_actions").text)
    assert not any("Current runner version" in line or "##[group]Run" in line for line in job_level)
    assert job_level[-1].endswith("##[error]The workflow is not valid. Unexpected value 'steps'")


# ------------------------------------------------------------------ the other formats
@pytest.mark.parametrize("seed", range(4))
def test_gitlab(seed: int) -> None:
    job = _job(PYTEST, seed)
    raw = render(job, "gitlab").text
    assert raw.startswith("\x1b[0KRunning with gitlab-runner 17.")
    assert re.search(r"section_start:\d+:step_script\r\x1b\[0K", raw)
    assert re.search(r"section_end:\d+:step_script\r\x1b\[0K", raw)
    lines = _plain_lines(raw)
    _assert_in_order(
        lines, ["$ python -m pytest -q", *job.failure.lines, "ERROR: Job failed: exit code 1"]
    )
    cancelled = _plain_lines(render(_job(CANCELLED, seed), "gitlab").text)
    assert "ERROR: Job failed: The operation was canceled." in cancelled


@pytest.mark.parametrize("seed", range(4))
def test_jenkins(seed: int) -> None:
    job = _job(PYTEST, seed)
    lines = _plain_lines(render(job, "jenkins").text)
    _assert_in_order(
        lines,
        [
            "[Pipeline] Start of Pipeline",
            "[Pipeline] { (Run tests)",
            "[Pipeline] sh",
            "+ python -m pytest -q",
            *job.failure.lines,
            "[Pipeline] End of Pipeline",
            "ERROR: script returned exit code 1",
        ],
    )
    assert lines[-1].endswith("Finished: FAILURE")
    cancelled = _plain_lines(render(_job(CANCELLED, seed), "jenkins").text)
    assert cancelled[-1].endswith("Finished: ABORTED")
    assert not any("script returned exit code" in line for line in cancelled)


@pytest.mark.parametrize("seed", range(4))
def test_azure(seed: int) -> None:
    job = _job(PYTEST, seed)
    lines = [GITHUB_STAMP.sub("", line) for line in _plain_lines(render(job, "azure").text)]
    _assert_in_order(
        lines,
        [
            "##[section]Starting: Initialize job",
            "##[section]Starting: Checkout",
            "##[section]Starting: Run tests",
            "python -m pytest -q",
            *job.failure.lines,
            "##[error]Bash exited with code '1'.",
            "##[section]Finishing: Run tests",
            "##[section]Finishing: Job",
        ],
    )
    cancelled = _plain_lines(render(_job(CANCELLED, seed), "azure").text)
    assert not any("Bash exited" in line for line in cancelled)
    assert any(line.endswith("##[error]The operation was canceled.") for line in cancelled)


@pytest.mark.parametrize("seed", range(4))
def test_circleci(seed: int) -> None:
    job = _job(PYTEST, seed)
    lines = _plain_lines(render(job, "circleci").text)
    _assert_in_order(
        lines,
        [
            "Spin up environment",
            "Checkout code",
            "Run tests",
            "#!/bin/bash -eo pipefail",
            "python -m pytest -q",
            *job.failure.lines,
            "Exited with code exit status 1",
        ],
    )
    cancelled = _plain_lines(render(_job(CANCELLED, seed), "circleci").text)
    assert "The operation was canceled." in cancelled
    assert not any(line.startswith("Exited with code") for line in cancelled)


@pytest.mark.parametrize("seed", range(4))
def test_plain(seed: int) -> None:
    job = _job(PYTEST, seed)
    text = render(job, "plain").text
    lines = text.split("\n")
    _assert_in_order(lines, ["python -m pytest -q", *job.failure.lines])
    assert "##[" not in text and "\x1b" not in text and "[Pipeline]" not in text
    job_level = render(_job(INVALID, seed), "plain").text
    assert "Invalid workflow file" in job_level and "The workflow is not valid" in job_level


def test_multiline_failure_strings_are_split() -> None:
    family = Family("runtime_error/fake-multiline", "runtime_error", ("go",), _multiline)
    rendered = render(_job(family, 0), "github_actions")
    output = rendered.lines[rendered.fail_output : rendered.fail_output + 3]
    assert [ANSI.sub("", GITHUB_STAMP.sub("", x)) for x in output] == [
        "first line",
        "second line",
        "third",
    ]


# ------------------------------------------------------------------ excerpts and sizes
def test_excerpts_are_short_and_keep_the_failure() -> None:
    records = list(generate(400, 2, families=[PYTEST, CANCELLED, LONG]))
    excerpts = [r for r in records if r.kind == "excerpt"]
    full = [r for r in records if r.kind == "full"]
    assert len(excerpts) > 60
    for record in excerpts:
        lines = _plain_lines(record.log)
        assert len(lines) <= EXCERPT_MAX_LINES + 2
        assert "\ufeff" not in record.log
        if record.family == PYTEST.id:
            assert any("FAILED tests/test_orders.py::test_total_" in line for line in lines)
            exits = ("exit code 1", "exit status 1", "code '1'")
            assert record.format == "plain" or any(
                marker in line for line in lines for marker in exits
            )
        if record.family == LONG.id:
            assert "..." in lines and any("fatal: giving up" in line for line in lines)
    mean_excerpt = sum(len(r.log) for r in excerpts) / len(excerpts)
    mean_full = sum(len(r.log) for r in full) / len(full)
    assert mean_excerpt * 4 < mean_full


def test_full_log_sizes_vary() -> None:
    sizes = sorted(len(r.log) for r in generate(300, 4, families=[PYTEST]) if r.kind == "full")
    assert sizes[len(sizes) // 2] > 3000
    assert sizes[-1] > 4 * sizes[len(sizes) // 10]


@pytest.mark.parametrize(
    ("step", "command", "stage"),
    [
        ("Install dependencies", "pip install -r requirements.txt", "install"),
        ("Run tests", "pytest", "test"),
        ("Lint", "ruff check .", "lint"),
        ("Build", "cmake --build build", "build"),
        ("Deploy", "./scripts/release.sh", "after"),
    ],
)
def test_failing_stage(step: str, command: str, stage: str) -> None:
    assert failing_stage(step, command) == stage


# ------------------------------------------------------------------ registry and entry points
def test_check_families_rejects_broken_families() -> None:
    assert check_families([INVALID, PYTEST]) == [PYTEST, INVALID]
    with pytest.raises(FamilyError, match="duplicate"):
        check_families([PYTEST, PYTEST])
    with pytest.raises(FamilyError, match="must start with"):
        check_families([Family("tests/x", "test_failure", ("go",), _pytest_failure)])
    with pytest.raises(FamilyError, match="unknown label"):
        check_families([Family("flaky/x", "flaky", ("go",), _pytest_failure)])
    with pytest.raises(FamilyError, match="unknown ecosystems"):
        check_families([Family("test_failure/x", "test_failure", ("cobol",), _pytest_failure)])


def test_cli_writes_a_dataset(tmp_path: Path) -> None:
    if not family_modules():
        pytest.skip("no family modules yet")
    out = tmp_path / "gen.jsonl"
    assert cli_main(["--n", "25", "--seed", "3", "--out", str(out)]) == 0
    records = list(read_jsonl(out))
    assert len(records) == 25 and all(r.source == "generator" for r in records)
    assert cli_main(["--preview", "no_such/family"]) == 2


def test_every_registered_family_renders_in_every_format() -> None:
    modules = family_modules()
    if not modules:
        pytest.skip("no family modules yet")
    families = all_families()
    labels = {f.label for f in families}
    for module in modules:
        if module in LABELS:
            assert module in labels, f"module {module} registers no family"
    for index, family in enumerate(families):
        for fmt in FORMATS:
            job = _job(family, index)
            text = render(job, fmt).text
            assert text.strip(), (family.id, fmt)
        for ecosystem in family.ecosystems:
            rng = random.Random(index)
            failure = family.make(rng, ecosystem)
            assert failure.label == family.label, family.id
            assert all(isinstance(line, str) for line in failure.lines), family.id
            render(build_job(failure, ecosystem, rng), "github_actions")


def test_parallel_generation_writes_the_same_file(tmp_path: Path) -> None:
    from datasets.generator import write_dataset

    serial, parallel = tmp_path / "serial.jsonl", tmp_path / "parallel.jsonl"
    assert write_dataset(serial, 2100, 3) == 2100
    assert write_dataset(parallel, 2100, 3, n_jobs=2) == 2100
    assert serial.read_bytes() == parallel.read_bytes()
    assert not list(tmp_path.glob("*.part*"))


def test_wrapper_tails_are_added_to_labelled_failures_but_never_to_unknown() -> None:
    from datasets.generator._wrappers import maybe_wrap

    failure = _pytest_failure(random.Random(1), "python")
    wrapped = [
        maybe_wrap(failure, eco, random.Random(i)) for i in range(60) for eco in ("python", "node")
    ]
    changed = [w for w in wrapped if w != failure]
    # About a third get a wrapper verdict after the tool's own lines, which stay first.
    assert 20 <= len(changed) <= 60
    for w in changed:
        assert w.lines[: len(failure.lines)] == failure.lines
        assert len(w.lines) > len(failure.lines)
        assert "wrapped" in w.tags and w.command != failure.command
    unknown = Failure("unknown", ["step 3/4 done"], "Build", "make all", exit_code=2)
    assert all(maybe_wrap(unknown, "node", random.Random(i)) == unknown for i in range(40))
    cancelled = _cancelled(random.Random(0), "python")
    assert all(maybe_wrap(cancelled, "python", random.Random(i)) == cancelled for i in range(40))


def test_generated_wrapped_records_keep_their_cause_and_label() -> None:
    records = list(generate(300, 11))
    wrapped = [r for r in records if "wrapped" in (r.extra or {}).get("tags", [])]
    assert wrapped, "no record got a wrapper tail"
    assert all(r.label != "unknown" for r in wrapped)
    assert list(generate(300, 11)) == records
