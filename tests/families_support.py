"""Checks shared by the failure-family tests: a family writes a tool's own output, nothing else."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable

from datasets.generator._assemble import render_family
from datasets.generator._registry import all_families
from datasets.generator._types import ECOSYSTEMS, FORMATS, Failure, Family
from model.taxonomy import LABELS

ANSI = re.compile(r"\x1b\[")
# The runner's own prefix (ISO with a T). A tool may print its own log timestamps.
RUNNER_TIMESTAMP = re.compile(r"^\ufeff?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
# Any leading date and time: for families whose tools never print one.
ANY_TIMESTAMP = re.compile(r"^\ufeff?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}")
RUNNER_MARKER = re.compile(r"^##\[(error|warning|notice|group|endgroup|command)\]")


def assert_clean_output_lines(
    lines: Iterable[str], timestamp: re.Pattern[str] = RUNNER_TIMESTAMP
) -> None:
    """One line each, at most 500 characters, no colours, timestamps or runner markers: the
    assembler adds those per CI format."""
    for line in lines:
        assert isinstance(line, str)
        assert "\n" not in line and "\r" not in line, repr(line)
        assert len(line) <= 500, repr(line)
        assert not ANSI.search(line), repr(line)
        assert not timestamp.match(line), repr(line)
        assert not RUNNER_MARKER.match(line), repr(line)


def assert_deterministic_and_varied(family: Family, eco: str, seeds: Iterable[int]) -> None:
    """The same seed gives the same failure; different seeds (all but one) give others."""
    outputs = []
    for seed in seeds:
        first = family.make(random.Random(seed), eco)
        assert first == family.make(random.Random(seed), eco)
        outputs.append((tuple(first.lines), first.runner_errors, first.command))
    assert len(set(outputs)) >= len(outputs) - 1, "different seeds give the same output"


def assert_renders_in_an_allowed_format(family: Family) -> None:
    """``render_family`` writes the family in the first CI format it allows, for some seed."""
    failure = family.make(random.Random(0), family.ecosystems[0])
    fmt = failure.formats[0] if failure.formats else "github_actions"
    # render_family draws its own instance; try a few seeds for one that fits the format.
    texts = []
    for seed in range(12):
        try:
            texts.append(render_family(family, seed, fmt, ecosystem=family.ecosystems[0]))
        except ValueError as error:
            assert "writes only for" in str(error)
    assert texts, f"{family.id} never renders in {fmt}"
    assert all(len(text.splitlines()) >= 2 for text in texts)


def assert_registered_and_valid(families: Iterable[Family]) -> None:
    """Ids are unique across the registry, these families are in it, and their labels and
    ecosystems exist."""
    counts = Counter(f.id for f in all_families())
    assert [i for i, n in counts.items() if n > 1] == []
    registered = set(counts)
    for family in families:
        assert family.id in registered, f"{family.id} is not picked up by the registry"
        assert family.label in LABELS
        assert family.ecosystems, family.id
        assert set(family.ecosystems) <= set(ECOSYSTEMS), family.id


def assert_well_formed_failures(family: Family, eco: str, seeds: Iterable[int]) -> None:
    """A step, at least two lines of evidence, allowed formats, a non-zero exit (a job-level
    failure has none) and clean output lines, for every seed."""
    for seed in seeds:
        failure = family.make(random.Random(seed), eco)
        assert isinstance(failure, Failure)
        assert failure.label == family.label
        assert failure.step.strip(), family.id
        assert len(failure.lines) + len(failure.runner_errors) >= 2, "too little evidence"
        assert len(failure.lines) <= 120
        assert set(failure.formats) <= set(FORMATS), failure.formats
        # Only the existing unknown/successful-job family is allowed to exit 0.
        assert failure.exit_code != 0
        assert_clean_output_lines([*failure.lines, *failure.runner_errors])
        if failure.job_level:
            assert failure.exit_code is None
