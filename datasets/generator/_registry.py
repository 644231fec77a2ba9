"""Find every failure family under ``datasets/generator/families/`` and check it."""

from __future__ import annotations

import importlib
import pkgutil

from datasets.generator import families as families_package
from datasets.generator._types import ECOSYSTEMS, Family
from model.taxonomy import LABELS


class FamilyError(ValueError):
    """A family module or family that breaks the contract in ``_types.py``."""


def check_families(found: list[Family]) -> list[Family]:
    """Validate ``found`` and return it sorted by id.

    Ids must be unique and start with ``"<label>/"``; labels must be taxonomy labels;
    ecosystems a non-empty subset of :data:`ECOSYSTEMS`.
    """
    seen: set[str] = set()
    for family in found:
        if not isinstance(family, Family):
            raise FamilyError(f"expected a Family, got {type(family).__name__}: {family!r}")
        if family.id in seen:
            raise FamilyError(f"duplicate family id {family.id!r}")
        seen.add(family.id)
        if family.label not in LABELS:
            raise FamilyError(f"family {family.id!r}: unknown label {family.label!r}")
        if not family.id.startswith(f"{family.label}/") or family.id == f"{family.label}/":
            raise FamilyError(f"family {family.id!r}: id must start with {family.label + '/'!r}")
        if not family.ecosystems:
            raise FamilyError(f"family {family.id!r}: no ecosystems")
        unknown = sorted(set(family.ecosystems) - set(ECOSYSTEMS))
        if unknown:
            raise FamilyError(f"family {family.id!r}: unknown ecosystems {unknown}")
        if not callable(family.make):
            raise FamilyError(f"family {family.id!r}: make is not callable")
    return sorted(found, key=lambda f: f.id)


def family_modules() -> list[str]:
    """Names of the public family modules (private helpers start with ``_``)."""
    return sorted(
        info.name
        for info in pkgutil.iter_modules(families_package.__path__)
        if not info.name.startswith("_")
    )


def all_families() -> list[Family]:
    """Import every family module, collect its ``FAMILIES`` and validate them all."""
    found: list[Family] = []
    for name in family_modules():
        module = importlib.import_module(f"{families_package.__name__}.{name}")
        declared = getattr(module, "FAMILIES", None)
        if not isinstance(declared, list | tuple):
            raise FamilyError(f"module {module.__name__} does not define FAMILIES as a list")
        found.extend(declared)
    return check_families(found)
