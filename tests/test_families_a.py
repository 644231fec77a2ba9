"""The build-and-check families: contract, realism bounds, determinism and variety."""

from __future__ import annotations

import random
import re

import pytest

from datasets.generator._types import ECOSYSTEMS, Failure, Family
from datasets.generator.families import (
    compilation,
    dependency_install,
    lint_format,
    schema_validation,
    test_failure,
)
from model.taxonomy import LABELS

MODULES = {
    "dependency_install": dependency_install,
    "compilation": compilation,
    "test_failure": test_failure,
    "lint_format": lint_format,
    "schema_validation": schema_validation,
}
ALL: list[Family] = [f for m in MODULES.values() for f in m.FAMILIES]
CASES = [(f, eco) for f in ALL for eco in f.ecosystems]
SEEDS = range(6)
ANSI = re.compile(r"\x1b\[")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d")
RUNNER_MARKER = re.compile(r"^##\[|^::(error|warning|group)")


def _text(failure: Failure) -> str:
    return "\n".join(failure.lines)


@pytest.mark.parametrize("label", sorted(MODULES))
def test_each_label_has_enough_distinct_families(label: str) -> None:
    families = MODULES[label].FAMILIES
    assert len(families) >= 8
    assert all(f.label == label and f.id.startswith(f"{label}/") for f in families)
    assert len({f.make for f in families}) == len(families)


def test_ids_are_unique_and_labels_known() -> None:
    ids = [f.id for f in ALL]
    assert len(ids) == len(set(ids))
    assert {f.label for f in ALL} <= set(LABELS)


def test_ecosystems_are_known_and_all_are_covered() -> None:
    declared = {eco for f in ALL for eco in f.ecosystems}
    assert declared <= set(ECOSYSTEMS)
    assert declared == set(ECOSYSTEMS)


@pytest.mark.parametrize(("family", "eco"), CASES, ids=[f"{f.id}[{e}]" for f, e in CASES])
def test_failure_is_well_formed(family: Family, eco: str) -> None:
    for seed in SEEDS:
        failure = family.make(random.Random(seed), eco)
        assert isinstance(failure, Failure)
        assert failure.label == family.label
        assert failure.step.strip() and failure.command.strip()
        assert 1 <= len(failure.lines) <= 150
        assert any(line.strip() for line in failure.lines)
        for line in failure.lines:
            assert "\n" not in line and len(line) <= 500, line
            assert not ANSI.search(line), line
            assert not TIMESTAMP.search(line), line
            assert not RUNNER_MARKER.search(line), line


@pytest.mark.parametrize(("family", "eco"), CASES, ids=[f"{f.id}[{e}]" for f, e in CASES])
def test_same_seed_same_output(family: Family, eco: str) -> None:
    first = family.make(random.Random(42), eco)
    second = family.make(random.Random(42), eco)
    assert first == second


@pytest.mark.parametrize(("family", "eco"), CASES, ids=[f"{f.id}[{e}]" for f, e in CASES])
def test_seeds_vary_the_output(family: Family, eco: str) -> None:
    texts = {_text(family.make(random.Random(seed), eco)) for seed in range(8)}
    assert len(texts) >= 6


def test_most_outputs_have_some_context() -> None:
    sizes = [len(f.make(random.Random(s), eco).lines) for f, eco in CASES for s in SEEDS]
    assert sum(size >= 5 for size in sizes) >= 0.85 * len(sizes)


def test_docker_builds_keep_the_root_cause_label() -> None:
    # Linters of Dockerfiles or YAML also run in docker projects without building an image.
    built = [(f, f.make(random.Random(3), "docker")) for f in ALL if "docker" in f.ecosystems]
    builds = [(f, made) for f, made in built if made.command.startswith("docker ")]
    assert {f.label for f, _ in builds} >= {"dependency_install", "compilation", "test_failure"}
    assert len(builds) >= 10
    for family, failure in builds:
        text = _text(failure)
        assert "RUN " in text and ("failed to solve" in text or "returned a non-zero code" in text)
        assert failure.label == family.label


def test_missing_third_party_module_is_a_dependency_problem() -> None:
    family = next(
        f for f in dependency_install.FAMILIES if f.id.endswith("missing-third-party-module")
    )
    texts = [_text(family.make(random.Random(s), "python")) for s in range(20)]
    assert all("ModuleNotFoundError: No module named" in t for t in texts)


def test_project_import_error_in_tests_is_a_test_failure() -> None:
    family = next(f for f in test_failure.FAMILIES if f.id.endswith("collection-project-import"))
    text = _text(family.make(random.Random(1), "python"))
    assert "ImportError: cannot import name" in text
    assert family.label == "test_failure"


def test_tsc_is_compilation_in_a_build_and_lint_in_a_type_check() -> None:
    build = next(f for f in compilation.FAMILIES if f.id.endswith("tsc-build"))
    check = next(f for f in lint_format.FAMILIES if f.id.endswith("tsc-noemit-typecheck"))
    for seed in range(10):
        assert "--noEmit" not in build.make(random.Random(seed), "node").command
        made = check.make(random.Random(seed), "node")
        assert "--noEmit" in made.command or "typecheck" in made.command
