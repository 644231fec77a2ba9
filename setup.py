"""The optional C extension; everything else about the package is in pyproject.toml.

`model._speedups` computes the classifier's features and scores faster than the numpy code
it mirrors. Without a C compiler the build skips it (``optional=True``) and the package uses
the numpy code, which gives the same results.
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
        )
    ]
)
