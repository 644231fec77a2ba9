"""The optional C extensions; everything else about the package is in pyproject.toml.

`model._speedups` computes the classifier's features and scores faster than the numpy code
it mirrors; `model._cclean`, `model._cformat`, `model._cnormalize`, `model._cshape` and
`model._credact` do what `clean_line`, `detect_format`, `normalize_text`, `shape_key` and
`redact_secrets` do with regular expressions (the text ones for ASCII text). Without a C
compiler the build skips them (``optional=True``) and the package uses the Python code, which
gives the same results.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
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
)
