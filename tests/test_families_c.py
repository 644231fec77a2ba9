"""The workflow_config, missing_file, runtime_error, infrastructure and unknown families."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from datasets.generator._types import ECOSYSTEMS, Failure, Family
from datasets.generator.families import (
    infrastructure,
    missing_file,
    runtime_error,
    unknown,
    workflow_config,
)
from model.taxonomy import LABELS
from tests.families_support import assert_clean_output_lines, assert_deterministic_and_varied

MODULES = {
    "workflow_config": workflow_config,
    "missing_file": missing_file,
    "runtime_error": runtime_error,
    "infrastructure": infrastructure,
    "unknown": unknown,
}
FAMILIES: list[Family] = [f for m in MODULES.values() for f in m.FAMILIES]
SEEDS = range(6)


def _cases() -> list[tuple[str, str]]:
    return [(f.id, eco) for f in FAMILIES for eco in f.ecosystems]


BY_ID = {f.id: f for f in FAMILIES}


@pytest.mark.parametrize("label", list(MODULES))
def test_each_label_has_eight_distinct_families(label: str) -> None:
    families = MODULES[label].FAMILIES
    assert len(families) >= 8
    assert all(f.label == label and f.id.startswith(f"{label}/") for f in families)
    assert len({f.make for f in families}) == len(families), "two families share one builder"


def test_ids_unique_and_ecosystems_valid() -> None:
    counts = Counter(f.id for f in FAMILIES)
    assert [i for i, n in counts.items() if n > 1] == []
    for family in FAMILIES:
        assert family.label in LABELS
        assert family.ecosystems, family.id
        assert set(family.ecosystems) <= set(ECOSYSTEMS), family.id


@pytest.mark.parametrize(("family_id", "eco"), _cases())
def test_family_output_is_well_formed(family_id: str, eco: str) -> None:
    family = BY_ID[family_id]
    for seed in SEEDS:
        failure = family.make(random.Random(seed), eco)
        assert isinstance(failure, Failure)
        assert failure.label == family.label
        assert failure.step.strip(), family_id
        assert failure.lines or failure.runner_errors, "no evidence at all"
        assert len(failure.lines) <= 120
        assert_clean_output_lines([*failure.lines, *failure.runner_errors])
        if failure.job_level:
            assert failure.exit_code is None


@pytest.mark.parametrize(("family_id", "eco"), _cases())
def test_family_is_deterministic_and_varies(family_id: str, eco: str) -> None:
    assert_deterministic_and_varied(BY_ID[family_id], eco, SEEDS)


def test_only_the_successful_family_exits_zero() -> None:
    zero = {
        f.id
        for f in FAMILIES
        for eco in f.ecosystems
        for seed in SEEDS
        if f.make(random.Random(seed), eco).exit_code == 0
    }
    assert zero == {"unknown/successful-job"}


def test_every_ecosystem_is_covered_by_each_label() -> None:
    for label, module in MODULES.items():
        covered = {eco for f in module.FAMILIES for eco in f.ecosystems}
        assert covered == set(ECOSYSTEMS), (label, set(ECOSYSTEMS) - covered)
