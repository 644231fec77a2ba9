"""The optional compiled modules; everything else about the package is in pyproject.toml.

`model._speedups` computes the classifier's features and scores faster than the numpy code
it mirrors; `model._cclean`, `model._cformat`, `model._cnormalize`, `model._cshape` and
`model._credact` do what `clean_line`, `detect_format`, `normalize_text`, `shape_key` and
`redact_secrets` do with regular expressions (the text ones for ASCII text). Without a C
compiler the build skips them (``optional=True``) and the package uses the Python code, which
gives the same results. `model._cre2` calls the system's RE2 library (Debian's ``libre2-dev``)
for the scanner's searches without google-re2's pybind11 layer; it is built only where the RE2
headers are found, and google-re2 answers the same searches where it is not.

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


def _re2_include_dir() -> str | None:
    """Where the system's RE2 headers are, if anywhere (``re2/re2.h`` and ``re2/set.h``)."""
    candidates = [
        *os.environ.get("CPATH", "").split(os.pathsep),
        "/usr/local/include",
        "/usr/include",
    ]
    for directory in filter(None, candidates):
        if all((Path(directory) / "re2" / name).is_file() for name in ("re2.h", "set.h")):
            return directory
    return None


def _re2_extensions() -> list[Extension]:
    include = _re2_include_dir()
    if include is None:
        print("note: the RE2 headers (libre2-dev) are missing; searches go through google-re2")
        return []
    return [
        Extension(
            "model._cre2",
            sources=["model/_cre2.cpp"],
            include_dirs=[include],
            libraries=["re2"],
            language="c++",
            extra_compile_args=["-O2", "-std=c++17"],
            optional=True,
        )
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
    ext_modules=[*_c_extensions(), *_re2_extensions(), *_mypyc_extensions()],
    cmdclass={"build_ext": _BuildExt},
)
