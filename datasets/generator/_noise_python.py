"""Passing-step noise for Python jobs: setup-python, pip/uv/poetry, linters, pytest."""

from __future__ import annotations

import random

from datasets.generator._job import Step
from datasets.generator._noise import Ctx, Ecosystem, cache_action, scaled_count, test_names
from datasets.generator._vocab import WORDS, hexstr, ident, pick, seconds, size_kb, version

PY_PACKAGES = tuple(
    [
        "requests",
        "numpy",
        "pandas",
        "flask",
        "django",
        "fastapi",
        "pydantic",
        "sqlalchemy",
        "boto3",
        "celery",
        "redis",
        "httpx",
        "scipy",
        "pyyaml",
        "cryptography",
        "pillow",
        "lxml",
        "grpcio",
        "protobuf",
        "aiohttp",
        "jinja2",
        "click",
        "uvicorn",
        "orjson",
        "structlog",
        "alembic",
        "marshmallow",
        "attrs",
        "certifi",
        "idna",
        "urllib3",
        "charset-normalizer",
        "packaging",
        "pluggy",
        "iniconfig",
        "pytest",
        "pytest-cov",
        "coverage",
        "typing-extensions",
        "six",
        "python-dateutil",
        "pytz",
        "tzdata",
        "markupsafe",
        "itsdangerous",
        "werkzeug",
        "anyio",
        "sniffio",
        "h11",
        "httpcore",
        "rich",
        "pygments",
        "tenacity",
        "backoff",
        "freezegun",
        "faker",
        "hypothesis",
        "sortedcontainers",
    ]
)


def _py_setup(ctx: Ctx) -> list[Step]:
    rng = ctx.rng
    ver = f"3.{rng.randint(9, 13)}.{rng.randint(0, 12)}"
    if rng.random() < 0.6:
        lines = ["Installed versions", f"Successfully set up CPython ({ver})"]
    else:
        lines = [
            f"Version {ver[:4]} was not found in the local cache",
            f"Version {ver[:4]} is available for downloading",
            f'Download from "https://github.com/actions/python-versions/releases/download/'
            f'{ver}-{rng.randint(10**9, 10**10)}/python-{ver}-linux-24.04-x64.tar.gz"',
            "Extract downloaded archive",
            f"[command]/usr/bin/tar xz --warning=no-unknown-keyword --overwrite -C "
            f"/home/runner/work/_temp/{hexstr(rng, 8)}",
            "Execute installation script",
            "Check if Python hostedtoolcache folder exist...",
            f"Create Python {ver} folder",
            "Copy Python binaries to hostedtoolcache folder",
            "Create additional symlinks (Required for the UsePythonVersion Azure Pipelines task "
            "and the setup-python GitHub Action)",
            "Upgrading pip...",
            "Create complete file",
            f"Successfully set up CPython ({ver})",
        ]
    step = Step(
        "Set up Python",
        "",
        lines,
        kind="action",
        uses="actions/setup-python@v5",
        with_=[
            ("python-version", ver[:4]),
            ("check-latest", "false"),
            ("token", "***"),
            ("update-environment", "true"),
            ("allow-prereleases", "false"),
        ],
        env_after=[
            ("pythonLocation", f"/opt/hostedtoolcache/Python/{ver}/x64"),
            ("PKG_CONFIG_PATH", f"/opt/hostedtoolcache/Python/{ver}/x64/lib/pkgconfig"),
            ("Python3_ROOT_DIR", f"/opt/hostedtoolcache/Python/{ver}/x64"),
            ("LD_LIBRARY_PATH", f"/opt/hostedtoolcache/Python/{ver}/x64/lib"),
        ],
        seconds=rng.uniform(0.5, 12),
    )
    steps = [step]
    if rng.random() < 0.5:
        steps.append(cache_action(ctx, "Linux-pip", "~/.cache/pip"))
    return steps


def _pip_install(ctx: Ctx) -> Step:
    rng = ctx.rng
    n = scaled_count(ctx, 6, 40)
    pkgs = pick(rng, PY_PACKAGES, n)
    lines = [
        "Requirement already satisfied: pip in "
        "/opt/hostedtoolcache/Python/3.12.4/x64/lib/python3.12/site-packages (24.0)",
        "Collecting pip",
        "  Downloading pip-24.2-py3-none-any.whl.metadata (3.6 kB)",
    ]
    installed = []
    for i, pkg in enumerate(pkgs):
        ver = version(rng, (0, 4))
        src = f"-r requirements.txt (line {i + 1})" if i < 8 else rng.choice(pkgs[:8])
        lines.append(f"Collecting {pkg}{'>=' + ver if rng.random() < 0.4 else ''} (from {src})")
        if rng.random() < 0.06:
            # A read timeout that pip retries and then completes: not the failure.
            lines.append(
                f"WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, "
                f"status=None)) after connection broken by 'ReadTimeoutError(\"HTTPSConnectionPool"
                f"(host='files.pythonhosted.org', port=443): Read timed out. (read timeout=15)\")'"
                f": /packages/{hexstr(rng, 2)}/{hexstr(rng, 2)}/{pkg}-{ver}.tar.gz"
            )
        wheel = f"{pkg.replace('-', '_')}-{ver}-py3-none-any.whl"
        lines.append(f"  Downloading {wheel} ({size_kb(rng)})")
        if rng.random() < 0.3:
            lines.append(
                f"     ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ {size_kb(rng)} "
                f"{rng.randint(20, 140)}.{rng.randint(0, 9)} MB/s eta 0:00:00"
            )
        installed.append(f"{pkg}-{ver}")
    if rng.random() < 0.3:
        lines.append(
            "  DEPRECATION: Building 'legacy-pkg' using the legacy setup.py bdist_wheel "
            "mechanism, which will be removed in a future version."
        )
    lines.append(
        "Installing collected packages: " + ", ".join(p.rsplit("-", 1)[0] for p in installed)
    )
    lines.append("Successfully installed " + " ".join(installed))
    if rng.random() < 0.4:
        lines.append("[notice] A new release of pip is available: 24.0 -> 24.2")
        lines.append("[notice] To update, run: pip install --upgrade pip")
    cmd = rng.choice(
        (
            "python -m pip install --upgrade pip\npip install -r requirements.txt",
            "pip install -e '.[test]'",
            "python -m pip install -r requirements-dev.txt",
        )
    )
    return Step("Install dependencies", cmd, lines, seconds=rng.uniform(5, 90))


def _uv_install(ctx: Ctx) -> Step:
    rng = ctx.rng
    pkgs = pick(rng, PY_PACKAGES, scaled_count(ctx, 8, 45))
    lines = [
        f"Using CPython 3.{rng.randint(10, 13)}.{rng.randint(0, 9)} interpreter at: "
        "/opt/hostedtoolcache/Python/3.12.4/x64/bin/python3",
        "Creating virtual environment at: .venv",
        f"Resolved {len(pkgs) + 3} packages in {rng.randint(20, 900)}ms",
        f"Prepared {len(pkgs)} packages in {seconds(rng, 0.2, 4)}s",
        f"Installed {len(pkgs)} packages in {rng.randint(8, 300)}ms",
    ]
    lines += [f" + {p}=={version(rng, (0, 4))}" for p in sorted(pkgs)]
    return Step(
        "Install dependencies", "uv sync --all-extras --dev", lines, seconds=rng.uniform(2, 20)
    )


def _poetry_install(ctx: Ctx) -> Step:
    rng = ctx.rng
    pkgs = pick(rng, PY_PACKAGES, scaled_count(ctx, 8, 40))
    lines = [
        "Installing dependencies from lock file",
        "",
        f"Package operations: {len(pkgs)} installs, 0 updates, 0 removals",
        "",
    ]
    lines += [f"  - Installing {p} ({version(rng, (0, 4))})" for p in pkgs]
    lines += ["", f"Installing the current project: {ctx.package} ({version(rng)})"]
    return Step(
        "Install dependencies", "poetry install --no-interaction", lines, seconds=rng.uniform(5, 60)
    )


def _py_lint(ctx: Ctx) -> Step:
    rng = ctx.rng
    files = rng.randint(20, 400)
    tool = rng.randrange(3)
    if tool == 0:
        return Step(
            "Lint",
            "ruff check .\nruff format --check .",
            ["All checks passed!", f"{files} files already formatted"],
            seconds=0.8,
        )
    if tool == 1:
        return Step(
            "Type check",
            f"mypy src/{ctx.package}",
            [f"Success: no issues found in {files} source files"],
            seconds=rng.uniform(5, 60),
        )
    lines = (
        [f"would reformat nothing; {files} files would be left unchanged."]
        if rng.random() < 0.5
        else ["All done! ✨ 🍰 ✨", f"{files} files would be left unchanged."]
    )
    return Step("Check formatting", "black --check .", lines, seconds=2)


def _traceback_in_passing_test(rng: random.Random, pkg: str) -> list[str]:
    """A passing test whose captured log shows an expected exception (``pytest -rP``)."""
    mod = rng.choice(WORDS)
    return [
        f"________________________ test_{mod}_recovers_from_outage ________________________",
        "------------------------------ Captured log call -------------------------------",
        f"ERROR    {pkg}.{mod}:{mod}.py:{rng.randint(20, 300)} job {rng.randint(1, 999)} failed, "
        "will retry",
        "Traceback (most recent call last):",
        f'  File "/home/runner/work/{pkg}/{pkg}/src/{pkg}/{mod}.py", line {rng.randint(20, 300)}, '
        "in run",
        "    result = self._call()",
        "ConnectionError: simulated outage (injected by test)",
        f"INFO     {pkg}.{mod}:{mod}.py:{rng.randint(20, 300)} retry succeeded",
    ]


def _pytest(ctx: Ctx) -> Step:
    rng = ctx.rng
    pkg = ctx.package
    n_files = scaled_count(ctx, 4, 30)
    verbose = rng.random() < 0.35
    per_file = [rng.randint(1, 25) for _ in range(n_files)]
    total = sum(per_file)
    lines = [
        "============================= test session starts ==============================",
        f"platform linux -- Python 3.{rng.randint(9, 13)}.{rng.randint(0, 9)}, "
        f"pytest-8.{rng.randint(0, 3)}.{rng.randint(0, 4)}, pluggy-1.5.0",
        f"rootdir: {ctx.workdir}",
        "configfile: pyproject.toml",
        f"plugins: cov-5.0.0, xdist-3.{rng.randint(3, 6)}.0, timeout-2.3.1",
        f"collected {total} items",
        "",
    ]
    done = 0
    for count in per_file:
        path = f"tests/test_{ident(rng)}.py" if rng.random() > 0.1 else "tests/test_errors.py"
        if verbose:
            for name in test_names(rng, count, "py"):
                done += 1
                left = f"{path}::{name} PASSED"
                lines.append(f"{left}{' ' * max(1, 73 - len(left))}[{done * 100 // total:3d}%]")
        else:
            done += count
            marks = "".join("s" if rng.random() < 0.03 else "." for _ in range(count))
            left = f"{path} {marks}"
            lines.append(f"{left}{' ' * max(1, 73 - len(left))}[{done * 100 // total:3d}%]")
    lines.append("")
    warnings = 0
    if rng.random() < 0.5:
        warnings = rng.randint(1, 4)
        lines += [
            "=============================== warnings summary ===============================",
            f"tests/test_{rng.choice(WORDS)}.py::test_{ident(rng)}",
            f"  {ctx.workdir}/src/{pkg}/compat.py:{rng.randint(5, 90)}: DeprecationWarning: "
            "datetime.datetime.utcnow() is deprecated and scheduled for removal in a future "
            "version.",
            "",
            "-- Docs: https://docs.pytest.org/en/stable/how-to/capture-warnings.html",
        ]
    if rng.random() < 0.2:
        lines.append(
            "==================================== PASSES ===================================="
        )
        lines += _traceback_in_passing_test(rng, pkg)
    tail = f"{total} passed" + (f", {warnings} warnings" if warnings else "")
    tail += f" in {seconds(rng, 0.5, 120)}s"
    pad = max(1, (78 - len(tail)) // 2)
    lines.append(f"{'=' * pad} {tail} {'=' * pad}")
    cmd = rng.choice(("python -m pytest", "pytest -q --cov", "pytest -v", "python -m pytest -rP"))
    return Step("Run tests", cmd, lines, seconds=rng.uniform(3, 200), coloured=True)


PYTHON = Ecosystem(
    image=lambda rng: f"python:3.{rng.randint(9, 13)}{rng.choice(('', '-slim', '-bookworm'))}",
    setup=_py_setup,
    stages={
        "install": [_pip_install, _pip_install, _uv_install, _poetry_install],
        "lint": [_py_lint],
        "test": [_pytest],
    },
    env=lambda rng: [("PYTHONUNBUFFERED", "1")] if rng.random() < 0.5 else [],
)
