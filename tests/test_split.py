"""The evaluation split: whole families, every label evaluated, stable as families are added."""

from __future__ import annotations

from collections import Counter, defaultdict

from datasets.generator._registry import all_families
from datasets.records import LabelledLog
from training.data import held_out_families, split_by_family


def _records(families: list[tuple[str, str]]) -> list[LabelledLog]:
    return [
        LabelledLog(id=f"{family}-{i}", log="x", label=label, source="generated", family=family)
        for label, family in families
        for i in range(2)
    ]


def _registry_pairs() -> list[tuple[str, str]]:
    return [(family.label, family.id) for family in all_families()]


def test_the_real_families_split_about_a_quarter_and_every_label_is_evaluated() -> None:
    pairs = _registry_pairs()
    held = held_out_families(_records(pairs), 0.25)
    per_label: dict[str, set[str]] = defaultdict(set)
    for label, family in pairs:
        per_label[label].add(family)
    for label, families in per_label.items():
        if len(families) >= 3:
            assert families & held, f"{label}: no family held out"
            assert families - held, f"{label}: every family held out"
    assert 0.15 < len(held) / len(pairs) < 0.35


def test_adding_families_moves_no_other_family() -> None:
    pairs = _registry_pairs()
    before = held_out_families(_records(pairs), 0.25)
    more = [(label, f"{label}/added-{i}") for label, _ in pairs[:40] for i in range(3)]
    after = held_out_families(_records(pairs + more), 0.25)
    original = {family for _, family in pairs}
    assert after & original == before


def test_no_family_is_on_both_sides() -> None:
    records = _records(_registry_pairs())
    split = split_by_family(records, [], 0.25)
    train = Counter(r.group for r in split.train)
    test = Counter(r.group for r in split.test)
    assert train and test and not set(train) & set(test)
    assert len(split.train) + len(split.test) == len(records)


def test_the_gate_warns_when_the_models_held_out_different_families() -> None:
    from types import SimpleNamespace
    from typing import Any

    from training.run import _families_hash, _split_caveat

    def model(families: list[str] | None) -> Any:
        data = (
            {}
            if families is None
            else {
                "heldout_families_hash": _families_hash(
                    _records([("timeout", f) for f in families])
                )
            }
        )
        return SimpleNamespace(provenance={"data": data})

    same = _split_caveat(model(["timeout/a", "timeout/b"]), model(["timeout/b", "timeout/a"]))
    assert same == ""
    assert "may have seen part" in _split_caveat(model(["timeout/a"]), model(["timeout/b"]))
    assert "may have seen part" in _split_caveat(model(None), model(["timeout/a"]))
