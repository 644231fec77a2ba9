"""The scanner's modules compiled by mypyc (`model._compiled`): when they run, and that they give
what their Python source gives.

Without mypyc or a compiler at install time the modules run from source and the comparison is
skipped, saying why; with ``AUTOHEAL_REQUIRE_NATIVE=1``, as CI sets, their absence fails.
"""

from __future__ import annotations

import importlib.machinery
import json
import os
import pickle
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import model
from model import _compiled

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = os.environ.get("AUTOHEAL_REQUIRE_NATIVE") == "1"
COMPILED = model.COMPILED_SCANNER == "compiled"
needs_compiled = pytest.mark.skipif(
    not COMPILED, reason=f"the scanner runs from source: {model.COMPILED_SCANNER}"
)


def test_the_scanner_is_compiled_where_required() -> None:
    if not REQUIRED:
        pytest.skip("AUTOHEAL_REQUIRE_NATIVE is not set")
    assert model.COMPILED_SCANNER == "compiled"


@needs_compiled
def test_every_listed_module_is_the_compiled_one() -> None:
    for name in _compiled.COMPILED_MODULES:
        module = sys.modules.get(name) or __import__(name, fromlist=["_"])
        assert not str(module.__file__).endswith(".py"), name


def test_the_makefile_rebuilds_when_a_compiled_source_changes() -> None:
    """`make` reinstalls (and so recompiles) when one of the compiled sources changes: the
    Makefile lists exactly the modules `setup.py` compiles."""
    text = (ROOT / "Makefile").read_text()
    found = re.search(r"COMPILED_PY := \$\(addprefix model/,(.*?)\)\n", text, re.DOTALL)
    assert found is not None
    listed = set(found.group(1).replace("\\", " ").split())
    expected = {name.removeprefix("model.") + ".py" for name in _compiled.COMPILED_MODULES}
    assert listed == expected | {"_compiled.py"}


# -------------------------------------------------------------- when the compiled code runs
def _tree(tmp_path: Path, *, library: bool = True, skip: str | None = None) -> Path:
    """A fake package tree: each listed module's source and an (empty) compiled file."""
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    package = tmp_path / "model"
    package.mkdir(parents=True)
    files = [package / f"{name.removeprefix('model.')}.py" for name in _compiled.COMPILED_MODULES]
    files += [
        package / f"{name.removeprefix('model.')}{suffix}"
        for name in _compiled.COMPILED_MODULES
        if name != skip
    ]
    if library:
        files.append(package / f"{_compiled.GROUP_NAME.removeprefix('model.')}__mypyc{suffix}")
    old = time.time() - 100  # all written by one build, a while ago
    for path in files:
        path.write_bytes(b"")
        os.utime(path, (old, old))
    return tmp_path


def test_an_up_to_date_build_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUTOHEAL_PURE_PYTHON", raising=False)
    assert _compiled.compiled_state(_tree(tmp_path)) == "compiled"


def test_a_source_edited_after_the_build_runs_from_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AUTOHEAL_PURE_PYTHON", raising=False)
    root = _tree(tmp_path)
    (root / "model" / "_scan.py").write_text("# edited\n")  # now, well after the build
    assert _compiled.compiled_state(root) == "model._scan changed since it was compiled"
    # Rebuilt: the library is new again (a module's own extension is not rewritten).
    (root / "model" / f"_scanner__mypyc{importlib.machinery.EXTENSION_SUFFIXES[0]}").touch()
    assert _compiled.compiled_state(root) == "compiled"


def test_a_partial_or_missing_build_runs_from_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AUTOHEAL_PURE_PYTHON", raising=False)
    assert _compiled.compiled_state(_tree(tmp_path / "a", skip="model._select")) == (
        "model._select is not compiled"
    )
    assert _compiled.compiled_state(_tree(tmp_path / "b", library=False)) == "not compiled"


def test_the_environment_can_ask_for_the_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTOHEAL_PURE_PYTHON", "1")
    assert _compiled.compiled_state(_tree(tmp_path)) == "AUTOHEAL_PURE_PYTHON=1"


def test_the_sources_are_loaded_when_asked() -> None:
    """A new process told to use the sources imports every listed module from its `.py`."""
    code = (
        "import importlib, json, model\n"
        "from model import _compiled\n"
        "files = [importlib.import_module(n).__file__ for n in _compiled.COMPILED_MODULES]\n"
        "print(json.dumps([model.COMPILED_SCANNER, files]))\n"
    )
    env = {**os.environ, "AUTOHEAL_PURE_PYTHON": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    state, files = json.loads(out.stdout)
    assert state == "AUTOHEAL_PURE_PYTHON=1"
    assert all(str(f).endswith(".py") for f in files)


# --------------------------------------------------------- the same answers as the sources
_REGIONS = """
import pickle, sys
from pathlib import Path
import model
from datasets.generator import generate
from datasets.handwritten import load
from model import extract_region
logs = [r.log for r in generate(int(sys.argv[1]), seed=int(sys.argv[2]))]
logs += [r.log for r in load()]
real = Path("../shared/real-logs/logdx-dev")
logs += [p.read_bytes() for p in sorted(real.glob("*/raw.log"))] if real.is_dir() else []
# Bytes too: broken UTF-8, control characters, very long lines, no final newline.
logs += [b"\\xff\\xfe##[error]bad \\xc3(\\n" * 50, b"x" * 200_000 + b"\\nError: y", b"\\x00\\x01 FAILED"]
sys.stdout.buffer.write(pickle.dumps((model.COMPILED_SCANNER, [extract_region(l) for l in logs])))
"""


def regions_in_a_new_process(env: dict[str, str], count: int, seed: int) -> tuple[str, list[Any]]:
    """How the scanner runs and the regions of `_REGIONS`' logs, in a process with `env` set."""
    out = subprocess.run(
        [sys.executable, "-c", _REGIONS, str(count), str(seed)],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        check=True,
    )
    state, regions = pickle.loads(out.stdout)
    return state, regions


@needs_compiled
@pytest.mark.parametrize("seed", [5, 41])
def test_compiled_and_source_regions_are_identical(seed: int) -> None:
    """Every field of every region: generated logs of every label, the hand-written ones, the
    real ones when present, and odd bytes."""
    compiled_state, compiled = regions_in_a_new_process({"AUTOHEAL_PURE_PYTHON": "0"}, 1200, seed)
    source_state, source = regions_in_a_new_process({"AUTOHEAL_PURE_PYTHON": "1"}, 1200, seed)
    assert (compiled_state, source_state) == ("compiled", "AUTOHEAL_PURE_PYTHON=1")
    assert len(compiled) == len(source) > 1200
    assert compiled == source
