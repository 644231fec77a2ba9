"""The second set of workflow_config, missing_file, runtime_error, infrastructure, unknown families."""

from __future__ import annotations

import pytest

from datasets.generator._registry import all_families
from datasets.generator._types import ECOSYSTEMS, Family
from datasets.generator.families import (
    infrastructure_more,
    missing_file_more,
    runtime_error_more,
    unknown_more,
    workflow_config_more,
)
from tests.families_support import (
    assert_deterministic_and_varied,
    assert_registered_and_valid,
    assert_renders_in_an_allowed_format,
    assert_well_formed_failures,
)

MODULES = {
    "workflow_config": workflow_config_more,
    "missing_file": missing_file_more,
    "runtime_error": runtime_error_more,
    "infrastructure": infrastructure_more,
    "unknown": unknown_more,
}
FAMILIES: list[Family] = [f for m in MODULES.values() for f in m.FAMILIES]
BY_ID = {f.id: f for f in FAMILIES}
SEEDS = range(6)


def _cases() -> list[tuple[str, str]]:
    return [(f.id, eco) for f in FAMILIES for eco in f.ecosystems]


@pytest.mark.parametrize("label", list(MODULES))
def test_each_label_has_seven_distinct_new_families(label: str) -> None:
    families = MODULES[label].FAMILIES
    assert len(families) >= 7
    assert all(f.label == label and f.id.startswith(f"{label}/") for f in families)
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


def test_every_ecosystem_is_covered_by_each_label_overall() -> None:
    for label in MODULES:
        covered = {eco for f in all_families() if f.label == label for eco in f.ecosystems}
        assert covered == set(ECOSYSTEMS), (label, set(ECOSYSTEMS) - covered)
