"""Checks of the timeout, resource, network, auth and rate-limit failure families."""

from __future__ import annotations

import random

import pytest

from datasets.generator._types import ECOSYSTEMS, Failure, Family
from datasets.generator.families import (
    auth_permission,
    network,
    rate_limit,
    resource_exhaustion,
    timeout,
)
from model.taxonomy import LABELS
from tests.families_support import ANY_TIMESTAMP, assert_clean_output_lines

MODULES = {
    "timeout": timeout,
    "resource_exhaustion": resource_exhaustion,
    "network": network,
    "auth_permission": auth_permission,
    "rate_limit": rate_limit,
}
ALL_FAMILIES: list[Family] = [f for m in MODULES.values() for f in m.FAMILIES]
CASES = [(f, eco) for f in ALL_FAMILIES for eco in f.ecosystems]
SEEDS = range(6)


def _case_id(case: tuple[Family, str]) -> str:
    return f"{case[0].id}[{case[1]}]"


@pytest.mark.parametrize("label", list(MODULES))
def test_each_label_has_eight_distinct_families(label: str) -> None:
    families = MODULES[label].FAMILIES
    assert len(families) >= 8
    assert all(f.label == label and f.id.startswith(f"{label}/") for f in families)
    # Distinct families, not one function registered twice.
    assert len({f.make for f in families}) == len(families)


def test_ids_unique_and_labels_known() -> None:
    ids = [f.id for f in ALL_FAMILIES]
    assert len(ids) == len(set(ids))
    assert {f.label for f in ALL_FAMILIES} <= set(LABELS)
    for family in ALL_FAMILIES:
        assert family.ecosystems, family.id
        assert set(family.ecosystems) <= set(ECOSYSTEMS), family.id


def test_every_ecosystem_is_covered_by_every_label() -> None:
    for label, module in MODULES.items():
        covered = {eco for f in module.FAMILIES for eco in f.ecosystems}
        assert covered == set(ECOSYSTEMS), (label, set(ECOSYSTEMS) - covered)


def _check_failure(failure: Failure, family: Family) -> None:
    assert isinstance(failure, Failure)
    assert failure.label == family.label
    assert 3 <= len(failure.lines) <= 120, len(failure.lines)
    assert any(line.strip() for line in failure.lines)
    assert failure.step.strip() and failure.command.strip()
    assert failure.exit_code is None or 0 < failure.exit_code < 256
    assert failure.exit_code is not None or failure.runner_errors
    assert failure.tags
    assert_clean_output_lines([*failure.lines, *failure.runner_errors], ANY_TIMESTAMP)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_family_output_is_well_formed_and_deterministic(case: tuple[Family, str]) -> None:
    family, eco = case
    outputs = []
    for seed in SEEDS:
        first = family.make(random.Random(seed), eco)
        again = family.make(random.Random(seed), eco)
        assert first == again, f"{family.id} is not deterministic for seed {seed}"
        _check_failure(first, family)
        outputs.append(tuple(first.lines))
    # Different seeds give different text in most cases.
    assert len(set(outputs)) >= len(SEEDS) - 1, family.id


def test_confusers_keep_their_label() -> None:
    # A test-level time limit, an OOM kill and a 403 quota refusal: the texts that look like
    # another label must still carry their own.
    texts: dict[str, list[str]] = {label: [] for label in MODULES}
    for family in ALL_FAMILIES:
        for seed in range(20):
            failure = family.make(random.Random(seed), family.ecosystems[0])
            texts[family.label].append("\n".join([*failure.lines, *failure.runner_errors]))
    assert any("ETIMEDOUT" in t for t in texts["network"])
    assert any("Timeout of" in t and "exceeded" in t for t in texts["timeout"])
    assert any("403" in t and "rate limit" in t for t in texts["rate_limit"])
    assert any("Killed" in t for t in texts["resource_exhaustion"])
    assert any("PASSED" in t for t in texts["timeout"])
