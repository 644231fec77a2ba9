"""Families that widen the weak labels: other test runners, checkers, package managers, build systems, hosts, crashes."""

from __future__ import annotations

import pytest

from datasets.generator._types import Family
from datasets.generator.families import builds_extra, checks_extra, crashes_extra, hosts_extra
from tests.families_support import (
    assert_deterministic_and_varied,
    assert_registered_and_valid,
    assert_renders_in_an_allowed_format,
    assert_well_formed_failures,
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
    assert_registered_and_valid(FAMILIES)


@pytest.mark.parametrize(("family_id", "eco"), _cases())
def test_family_output_is_well_formed(family_id: str, eco: str) -> None:
    assert_well_formed_failures(BY_ID[family_id], eco, SEEDS)


@pytest.mark.parametrize(("family_id", "eco"), _cases())
def test_family_is_deterministic_and_varies(family_id: str, eco: str) -> None:
    assert_deterministic_and_varied(BY_ID[family_id], eco, SEEDS)


@pytest.mark.parametrize("family_id", sorted(BY_ID))
def test_family_renders_in_a_format_it_allows(family_id: str) -> None:
    assert_renders_in_an_allowed_format(BY_ID[family_id])
