"""Families that widen the weak labels: other test runners, checkers, package managers, build systems, hosts, crashes."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from datasets.generator._registry import all_families
from datasets.generator._types import ECOSYSTEMS, FORMATS, Failure, Family
from datasets.generator.families import builds_extra, checks_extra, crashes_extra, hosts_extra
from model.taxonomy import LABELS
from tests.families_support import (
    assert_clean_output_lines,
    assert_deterministic_and_varied,
    assert_renders_in_an_allowed_format,
)

MODULES = {
    "checks": checks_extra,
    "builds": builds_extra,
    "hosts": hosts_extra,
    "crashes": crashes_extra,
}
FAMILIES: list[Family] = [f for m in MODULES.values() for f in m.FAMILIES]
BY_ID = {f.id: f for f in FAMILIES}
SEEDS = range(6)


def _cases() -> list[tuple[str, str]]:
    return [(f.id, eco) for f in FAMILIES for eco in f.ecosystems]


@pytest.mark.parametrize("module", list(MODULES))
def test_each_module_has_distinct_families_of_several_labels(module: str) -> None:
    families = MODULES[module].FAMILIES
    assert len(families) >= 7
    assert len({f.label for f in families}) >= 2
    assert all(f.id.startswith(f"{f.label}/") for f in families)
    assert len({f.make for f in families}) == len(families), "two families share one builder"


def test_ids_unique_across_all_registered_families() -> None:
    counts = Counter(f.id for f in all_families())
    assert [i for i, n in counts.items() if n > 1] == []
    registered = {f.id for f in all_families()}
    assert set(BY_ID) <= registered, "a new family is not picked up by the registry"
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
        assert len(failure.lines) + len(failure.runner_errors) >= 2, "too little evidence"
        assert len(failure.lines) <= 120
        assert set(failure.formats) <= set(FORMATS), failure.formats
        # Only the existing unknown/successful-job family is allowed to exit 0.
        assert failure.exit_code != 0
        assert_clean_output_lines([*failure.lines, *failure.runner_errors])
        if failure.job_level:
            assert failure.exit_code is None


@pytest.mark.parametrize(("family_id", "eco"), _cases())
def test_family_is_deterministic_and_varies(family_id: str, eco: str) -> None:
    assert_deterministic_and_varied(BY_ID[family_id], eco, SEEDS)


@pytest.mark.parametrize("family_id", sorted(BY_ID))
def test_family_renders_in_a_format_it_allows(family_id: str) -> None:
    assert_renders_in_an_allowed_format(BY_ID[family_id])
