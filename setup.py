"""The optional compiled modules; everything else about the package is in pyproject.toml.

`model._speedups` computes the classifier's features and scores faster than the numpy code
it mirrors; `model._cclean`, `model._cformat`, `model._cnormalize`, `model._cshape` and
`model._credact` do what `clean_line`, `detect_format`, `normalize_text`, `shape_key` and
`redact_secrets` do with regular expressions (the text ones for ASCII text). Without a C
compiler the build skips them (``optional=True``) and the package uses the Python code, which
gives the same results.

The log scanner's modules (`model._compiled.COMPILED_MODULES`) are also compiled, as they are,
by mypyc: the same code, with its type annotations enforced, runs without the interpreter's
per-operation overhead. When mypyc or a compiler is missing, or the build fails, the package
runs them from their Python source (see `model._compiled`).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


def _load_compiled_list() -> ModuleType:
    """`model._compiled`, read as a file: the package's dependencies are not installed yet."""
    path = Path(__file__).resolve().parent / "model" / "_compiled.py"
    spec = importlib.util.spec_from_file_location("_autoheal_compiled", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_COMPILED = _load_compiled_list()
COMPILED_MODULES: tuple[str, ...] = _COMPILED.COMPILED_MODULES
GROUP_NAME: str = _COMPILED.GROUP_NAME


def _c_extensions() -> list[Extension]:
    return [
        Extension(
            "model._speedups",
            sources=["model/_speedups.c"],
            # No fused multiply-add: the results must equal numpy's operation by operation.
            extra_compile_args=["-O2", "-ffp-contract=off"],
            optional=True,
        ),
        *(
            Extension(
                f"model.{name}",
                sources=[f"model/{name}.c"],
                extra_compile_args=["-O2"],
                optional=True,
            )
            for name in ("_cnormalize", "_cshape", "_credact", "_cclean", "_cformat")
        ),
    ]


def _mypyc_extensions() -> list[Extension]:
    """The scanner's modules compiled by mypyc, or none when that cannot be done here."""
    if os.environ.get("AUTOHEAL_PURE_PYTHON") == "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("note: mypyc is not installed; the scanner runs from its Python source")
        return []
    paths = [name.replace(".", "/") + ".py" for name in COMPILED_MODULES]
    try:
        extensions = mypycify(paths, group_name=GROUP_NAME, opt_level="3")
    except (Exception, SystemExit) as exc:  # mypyc reports type errors by exiting
        print(f"note: mypyc could not compile the scanner ({exc}); it runs from its source")
        return []
    for extension in extensions:
        extension.optional = True  # a failed compilation leaves the Python source in use
    return list(extensions)


class _BuildExt(build_ext):
    """Compiles every time, even where the generated C did not change: `model._compiled` uses a
    compiled module only when it is newer than its source, so a build must leave it newer."""

    def finalize_options(self) -> None:
        super().finalize_options()
        self.force = True


setup(
    ext_modules=[*_c_extensions(), *_mypyc_extensions()],
    cmdclass={"build_ext": _BuildExt},
)
