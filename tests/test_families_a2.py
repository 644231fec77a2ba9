"""The second set of build-and-check families: contract, realism bounds, determinism, variety."""

from __future__ import annotations

import random
import re
from types import ModuleType

import pytest

from datasets.generator._registry import all_families
from datasets.generator._types import ECOSYSTEMS, FORMATS, Failure, Family
from datasets.generator.families import (
    compilation,
    compilation_more,
    dependency_install,
    dependency_install_more,
    lint_format,
    lint_format_more,
    schema_validation,
    schema_validation_more,
    test_failure,
    test_failure_more,
)
from model.taxonomy import LABELS

MODULES: dict[str, tuple[ModuleType, ModuleType]] = {
    "dependency_install": (dependency_install_more, dependency_install),
    "compilation": (compilation_more, compilation),
    "test_failure": (test_failure_more, test_failure),
    "lint_format": (lint_format_more, lint_format),
    "schema_validation": (schema_validation_more, schema_validation),
}
ALL: list[Family] = [f for new, _ in MODULES.values() for f in new.FAMILIES]
CASES = [(f, eco) for f in ALL for eco in f.ecosystems]
CASE_IDS = [f"{f.id}[{e}]" for f, e in CASES]
SEEDS = range(6)
ANSI = re.compile(r"\x1b\[")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d")
RUNNER_MARKER = re.compile(r"^##\[|^::(error|warning|group)")
WINDOWS_PATH = re.compile(r"\b[A-Z]:\\a\\")


def _text(failure: Failure) -> str:
    return "\n".join(failure.lines)


@pytest.mark.parametrize("label", sorted(MODULES))
def test_each_label_gains_at_least_seven_new_families(label: str) -> None:
    new, old = MODULES[label]
    families = new.FAMILIES
    assert len(families) >= 7
    assert all(f.label == label and f.id.startswith(f"{label}/") for f in families)
    assert len({f.make for f in families}) == len(families)
    old_ids = {f.id for f in old.FAMILIES}
    assert not old_ids & {f.id for f in families}


def test_new_families_are_registered_with_unique_ids() -> None:
    registered = {f.id for f in all_families()}
    ids = [f.id for f in ALL]
    assert len(ids) == len(set(ids))
    assert set(ids) <= registered
    assert {f.label for f in ALL} <= set(LABELS)


def test_ecosystems_are_known_and_all_are_covered() -> None:
    declared = {eco for f in ALL for eco in f.ecosystems}
    assert declared <= set(ECOSYSTEMS)
    assert declared == set(ECOSYSTEMS)


@pytest.mark.parametrize(("family", "eco"), CASES, ids=CASE_IDS)
def test_failure_is_well_formed(family: Family, eco: str) -> None:
    for seed in SEEDS:
        failure = family.make(random.Random(seed), eco)
        assert isinstance(failure, Failure)
        assert failure.label == family.label
        assert failure.step.strip() and failure.command.strip()
        assert 2 <= len(failure.lines) <= 120
        assert any(line.strip() for line in failure.lines)
        assert set(failure.formats) <= set(FORMATS)
        for line in failure.lines:
            assert "\n" not in line and "\r" not in line and len(line) <= 500, line
            assert not ANSI.search(line), line
            assert not TIMESTAMP.search(line), line
            assert not RUNNER_MARKER.search(line), line


@pytest.mark.parametrize(("family", "eco"), CASES, ids=CASE_IDS)
def test_same_seed_same_output(family: Family, eco: str) -> None:
    first = family.make(random.Random(42), eco)
    second = family.make(random.Random(42), eco)
    assert first == second


@pytest.mark.parametrize(("family", "eco"), CASES, ids=CASE_IDS)
def test_seeds_vary_the_output(family: Family, eco: str) -> None:
    texts = {_text(family.make(random.Random(seed), eco)) for seed in range(8)}
    assert len(texts) >= 6


def test_windows_paths_are_rendered_only_where_windows_runners_write_them() -> None:
    seen = 0
    for family, eco in CASES:
        for seed in SEEDS:
            failure = family.make(random.Random(seed), eco)
            if WINDOWS_PATH.search(_text(failure)):
                seen += 1
                assert failure.formats, family.id
                assert set(failure.formats) <= {"github_actions", "azure"}
    assert seen >= 10


def test_terse_variants_exist_but_most_outputs_have_context() -> None:
    sizes = [len(f.make(random.Random(s), eco).lines) for f, eco in CASES for s in SEEDS]
    assert any(size <= 6 for size in sizes)
    assert sum(size >= 5 for size in sizes) >= 0.7 * len(sizes)


def test_new_phrasings_are_not_copies_of_the_first_set() -> None:
    # Shared boilerplate (a Gradle or CMake footer) is fine; a family whose lines mostly
    # appear word for word in the first set's output would not be a distinct phrasing.
    def lines_of(family: Family) -> set[str]:
        out: set[str] = set()
        for seed in range(4):
            for eco in family.ecosystems:
                made = family.make(random.Random(seed), eco)
                out.update(line.strip() for line in made.lines if len(line.strip()) > 20)
        return out

    for _label, (new, old) in MODULES.items():
        seen_before = set().union(*(lines_of(f) for f in old.FAMILIES))
        for family in new.FAMILIES:
            mine = lines_of(family)
            assert len(mine & seen_before) <= 0.2 * len(mine), family.id


def test_wrapper_re_reports_keep_the_root_cause() -> None:
    wrapped = next(
        f for f in dependency_install_more.FAMILIES if f.id.endswith("wrapped-env-install")
    )
    for seed in range(12):
        made = wrapped.make(random.Random(seed), "python")
        assert "No matching distribution found" in _text(made)
        assert made.label == "dependency_install"
