"""The second set of workflow_config, missing_file, runtime_error, infrastructure, unknown families."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from datasets.generator._assemble import render_family
from datasets.generator._registry import all_families
from datasets.generator._types import ECOSYSTEMS, FORMATS, Failure, Family
from datasets.generator.families import (
    infrastructure_more,
    missing_file_more,
    runtime_error_more,
    unknown_more,
    workflow_config_more,
)
from model.taxonomy import LABELS
from tests.families_support import assert_clean_output_lines

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
    family = BY_ID[family_id]
    outputs = []
    for seed in SEEDS:
        first = family.make(random.Random(seed), eco)
        again = family.make(random.Random(seed), eco)
        assert first == again
        outputs.append((tuple(first.lines), first.runner_errors, first.command))
    assert len(set(outputs)) >= len(outputs) - 1, "different seeds give the same output"


@pytest.mark.parametrize("family_id", sorted(BY_ID))
def test_family_renders_in_a_format_it_allows(family_id: str) -> None:
    family = BY_ID[family_id]
    failure = family.make(random.Random(0), family.ecosystems[0])
    fmt = failure.formats[0] if failure.formats else "github_actions"
    # render_family draws its own instance; try a few seeds for one that fits the format.
    texts = []
    for seed in range(12):
        try:
            texts.append(render_family(family, seed, fmt, ecosystem=family.ecosystems[0]))
        except ValueError as error:
            assert "writes only for" in str(error)
    assert texts, f"{family_id} never renders in {fmt}"
    assert all(len(text.splitlines()) >= 2 for text in texts)


def test_every_ecosystem_is_covered_by_each_label_overall() -> None:
    for label in MODULES:
        covered = {eco for f in all_families() if f.label == label for eco in f.ecosystems}
        assert covered == set(ECOSYSTEMS), (label, set(ECOSYSTEMS) - covered)
