"""Checks of the second set of timeout, resource, network, auth and rate-limit families."""

from __future__ import annotations

import random

import pytest

from datasets.generator import render_example
from datasets.generator._registry import all_families
from datasets.generator._types import ECOSYSTEMS, FORMATS, Failure, Family
from datasets.generator.families import (
    auth_permission,
    auth_permission_more,
    network,
    network_more,
    rate_limit,
    rate_limit_more,
    resource_exhaustion,
    resource_exhaustion_more,
    timeout,
    timeout_more,
)
from model.taxonomy import LABELS
from tests.families_support import ANY_TIMESTAMP, assert_clean_output_lines

MODULES = {
    "timeout": timeout_more,
    "resource_exhaustion": resource_exhaustion_more,
    "network": network_more,
    "auth_permission": auth_permission_more,
    "rate_limit": rate_limit_more,
}
FIRST_SET = {
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


def _text(failure: Failure) -> str:
    return "\n".join([*failure.lines, *failure.runner_errors])


@pytest.mark.parametrize("label", list(MODULES))
def test_each_label_has_seven_new_distinct_families(label: str) -> None:
    families = MODULES[label].FAMILIES
    assert len(families) >= 7
    assert all(f.label == label and f.id.startswith(f"{label}/") for f in families)
    # Distinct families, not one function registered twice, nor one of the first set again.
    makes = {f.make for f in families}
    assert len(makes) == len(families)
    assert not makes & {f.make for f in FIRST_SET[label].FAMILIES}


def test_ids_unique_across_both_sets_and_registered() -> None:
    first = [f.id for m in FIRST_SET.values() for f in m.FAMILIES]
    ids = [f.id for f in ALL_FAMILIES]
    assert len(ids) == len(set(ids))
    assert not set(ids) & set(first)
    assert set(ids) <= {f.id for f in all_families()}
    assert {f.label for f in ALL_FAMILIES} <= set(LABELS)
    for family in ALL_FAMILIES:
        assert family.ecosystems, family.id
        assert set(family.ecosystems) <= set(ECOSYSTEMS), family.id


def _check_failure(failure: Failure, family: Family) -> None:
    assert isinstance(failure, Failure)
    assert failure.label == family.label
    assert 2 <= len(failure.lines) <= 120, len(failure.lines)
    assert any(line.strip() for line in failure.lines)
    assert failure.step.strip() and failure.command.strip()
    assert failure.exit_code is None or 0 < failure.exit_code < 256
    assert failure.exit_code is not None or failure.runner_errors
    assert failure.tags
    assert set(failure.formats) <= set(FORMATS), failure.formats
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


@pytest.mark.parametrize("family", ALL_FAMILIES, ids=lambda f: f.id)
def test_family_renders_in_a_format_it_allows(family: Family) -> None:
    # The same generator state ``render_example`` draws the failure from.
    failure = family.make(random.Random("autoheal:example:0:family"), family.ecosystems[0])
    fmt = failure.formats[0] if failure.formats else "plain"
    log = render_example(family.id, seed=0, fmt=fmt, ecosystem=family.ecosystems[0])
    # The decisive wording of the failure reaches the rendered log.
    decisive = [line.strip() for line in failure.lines if len(line.strip()) > 20]
    assert decisive and any(line in log for line in decisive[-3:]), family.id


def _texts(label: str, seeds: int = 20) -> list[str]:
    out = []
    for family in MODULES[label].FAMILIES:
        for eco in family.ecosystems:
            for seed in range(seeds):
                out.append(_text(family.make(random.Random(seed), eco)))
    return out


def test_new_phrasings_are_present() -> None:
    # Wordings the first set lacks: each must come out of the new families.
    timeout_texts = _texts("timeout")
    assert any("execution took longer than" in t for t in timeout_texts)
    assert any("ExUnit.TimeoutError" in t for t in timeout_texts)
    assert any("Maximum execution time of" in t for t in timeout_texts)
    resource_texts = _texts("resource_exhaustion")
    assert any("Allowed memory size of" in t for t in resource_texts)
    assert any("OOMKilled" in t for t in resource_texts)
    network_texts = _texts("network")
    assert any("repo.packagist.org" in t for t in network_texts)
    assert any("UNREACHABLE!" in t for t in network_texts)
    auth_texts = _texts("auth_permission")
    assert any("AADSTS" in t for t in auth_texts)
    assert any("password authentication failed" in t for t in auth_texts)
    rate_texts = _texts("rate_limit")
    assert any("ratelimited" in t or "rate limited" in t for t in rate_texts)
    assert any("GitHub API limit" in t for t in rate_texts)


def test_windows_families_use_windows_paths() -> None:
    windows = [f for f in ALL_FAMILIES if "windows" in f.id or "powershell" in f.id]
    assert len(windows) >= 4
    for family in windows:
        texts = [_text(family.make(random.Random(s), family.ecosystems[0])) for s in range(10)]
        assert any("D:\\a\\" in t for t in texts), family.id


def test_terse_families_are_short() -> None:
    terse = [f for f in ALL_FAMILIES if "terse" in f.id]
    assert len(terse) >= 4
    for family in terse:
        sizes = [len(family.make(random.Random(s), family.ecosystems[0]).lines) for s in range(20)]
        assert min(sizes) <= 3 and max(sizes) <= 8, (family.id, sizes)
