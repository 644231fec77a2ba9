"""Which modules of the scanner run compiled by mypyc, and when their Python source runs instead.

`setup.py` compiles `COMPILED_MODULES` with mypyc into one library (`GROUP_NAME`), next to
their sources: the same code, with its annotations enforced, without the interpreter's overhead
on every operation. The compiled modules call each other directly, so they are used together
or not at all. They are used only when all of them are built and none is older than its source
(a source edited after the build runs as written); ``AUTOHEAL_PURE_PYTHON=1`` asks for the
sources. Otherwise `use_sources` makes the imports load the `.py` files.

This module imports nothing of the package: `setup.py` reads it before anything is installed.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Final

COMPILED_MODULES: Final[tuple[str, ...]] = (
    "model._fast_re2",
    "model._lines",
    "model._logtext",
    "model._scoring",
    "model._clusters",
    "model._scan",
    "model._select",
)
# mypyc's library holding the compiled code; each module's own extension only loads it.
GROUP_NAME: Final = "model._scanner"
_LIBRARY: Final = f"{GROUP_NAME}__mypyc"
# A source written this long after its compiled file is newer than the build (installers may
# write the files of one build in any order, a little apart).
_SLACK_SECONDS: Final = 2.0


def _extension_file(module: str, root: Path) -> Path | None:
    base = root.joinpath(*module.split("."))
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        candidate = base.with_name(base.name + suffix)
        if candidate.is_file():
            return candidate
    return None


def compiled_state(root: Path) -> str:
    """``"compiled"`` when the compiled modules under ``root`` can be used, else why not."""
    if os.environ.get("AUTOHEAL_PURE_PYTHON") == "1":
        return "AUTOHEAL_PURE_PYTHON=1"
    library = _extension_file(_LIBRARY, root)
    if library is None:
        return "not compiled"
    # The library holds the code; a module's own extension only loads it, and is not rebuilt
    # when the code changes.
    built = library.stat().st_mtime
    for module in COMPILED_MODULES:
        if _extension_file(module, root) is None:
            return f"{module} is not compiled"
        source = root.joinpath(*module.split(".")).with_suffix(".py")
        if source.is_file() and source.stat().st_mtime > built + _SLACK_SECONDS:
            return f"{module} changed since it was compiled"
    return "compiled"


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Finds the listed modules as their `.py` files, ahead of the compiled ones."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in COMPILED_MODULES:
            return None
        source = self.root.joinpath(*fullname.split(".")).with_suffix(".py")
        return importlib.util.spec_from_file_location(fullname, source)


def use_sources(root: Path) -> None:
    """Load `COMPILED_MODULES` from their sources from now on (once per process)."""
    if not any(isinstance(finder, _SourceFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SourceFinder(root))


def choose(root: Path) -> str:
    """Decide, before any of them is imported, whether the compiled modules run; return
    `compiled_state`."""
    state = compiled_state(root)
    if state != "compiled":
        use_sources(root)
    return state
