"""Families of ``dependency_install``: a dependency cannot be resolved, fetched or installed, or a
third-party module is missing at import time. Inside ``docker build`` the label stays the same:
the root cause is the install, not the image build."""

from __future__ import annotations

import random

from datasets.generator._types import Failure, Family
from datasets.generator.families import _common_a as c

LABEL = "dependency_install"
_PY_INSTALL = (
    "pip install -r requirements.txt",
    "python -m pip install -r requirements-dev.txt",
    "pip install --no-cache-dir -r requirements.txt",
    "pip install -e .[test]",
)


def _pip_preamble(rng: random.Random, count: int) -> list[str]:
    out: list[str] = []
    new_style = rng.random() < 0.6
    for i, pkg in enumerate(rng.sample(c.PY_PACKAGES, count)):
        ver, size = c.version(rng, 4), rng.randint(12, 9000)
        if new_style:
            out.append(f"Collecting {pkg}=={ver} (from -r requirements.txt (line {i + 2}))")
            out.append(f"  Downloading {pkg}-{ver}-py3-none-any.whl.metadata ({size / 10:.1f} kB)")
        else:
            out.append(f"Collecting {pkg}=={ver}")
            out.append(f"  Downloading {pkg}-{ver}-py3-none-any.whl ({size} kB)")
    return out


def pip_no_matching_distribution(rng: random.Random, eco: str) -> Failure:
    pkg, lines = c.pick(rng, c.PY_PACKAGES), _pip_preamble(rng, rng.randint(1, 8))
    wanted = f"{pkg}=={rng.randint(5, 12)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}"
    if rng.random() < 0.3:
        wanted = f"{pkg}-{c.pick(rng, ('internal', 'core', 'sdk'))}>={c.version(rng)}"
    if rng.random() < 0.5:
        lines.append(f"Collecting {wanted}")
    if rng.random() < 0.4:
        lines.append(
            "ERROR: Ignored the following versions that require a different python version: "
            f"{c.version(rng)} Requires-Python >=3.{rng.randint(10, 13)}"
        )
    avail = ", ".join(c.versions_below(rng, rng.randint(0, 14))) or "none"
    lines += [
        f"ERROR: Could not find a version that satisfies the requirement {wanted} "
        f"(from versions: {avail})",
        f"ERROR: No matching distribution found for {wanted}",
    ]
    if rng.random() < 0.5:
        lines += [
            "",
            f"[notice] A new release of pip is available: 23.{rng.randint(0, 3)}.1 -> 24.0",
        ]
    step = c.pick(rng, ("Install dependencies", "Install requirements", "pip install"))
    return c.finish(rng, eco, LABEL, lines, step, c.pick(rng, _PY_INSTALL), stack="python")


_RESOLUTION = """\
INFO: pip is looking at multiple versions of {a} to determine which version is compatible with other requirements. This could take a while.
ERROR: Cannot install -r requirements.txt (line {line}) and {b}=={pinned} because these package versions have conflicting dependencies.

The conflict is caused by:
    The user requested {b}=={pinned}
    {a} {va} depends on {b}>={need}
{extra}
To fix this you could try to:
1. loosen the range of package versions you've specified
2. remove package versions to allow pip to attempt to solve the dependency conflict

ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts"""


def pip_resolution_impossible(rng: random.Random, eco: str) -> Failure:
    a, b = rng.sample(c.PY_PACKAGES, 2)
    pinned, need = c.version(rng, 3), f"{rng.randint(4, 8)}.0"
    extra = (
        f"    {a} {c.version(rng)} depends on {b}<{need},>={pinned}\n" if rng.random() < 0.5 else ""
    )
    lines = _pip_preamble(rng, rng.randint(2, 10)) + c.render(
        _RESOLUTION,
        a=a,
        b=b,
        pinned=pinned,
        need=need,
        va=c.version(rng),
        line=rng.randint(2, 30),
        extra=extra,
    )
    step = c.pick(rng, ("Install dependencies", "Set up environment", "Install"))
    return c.finish(rng, eco, LABEL, lines, step, c.pick(rng, _PY_INSTALL), stack="python")


_WHEEL_CAUSES = (
    "Error: pg_config executable not found.\n\npg_config is required to build psycopg2 from "
    "source.  Please add the directory\ncontaining pg_config to the $PATH or specify the full "
    "executable path",
    "{pkg}/_ext.c:12:10: fatal error: Python.h: No such file or directory\n   12 | #include "
    "<Python.h>\n      |          ^~~~~~~~~~\ncompilation terminated.\nerror: command "
    "'/usr/bin/gcc' failed with exit code 1",
    "error: can't find Rust compiler\n\nIf you are using an outdated pip version, it is possible "
    "a prebuilt wheel is available for this package but pip is not able to install from it.",
    "error: command 'gcc' failed: No such file or directory",
)
_WHEEL = """\
Building wheels for collected packages: {pkg}
  Building wheel for {pkg} ({how}) ... error
  error: subprocess-exited-with-error

  × {what} did not run successfully.
  │ exit code: 1
  ╰─> [{n} lines of output]
{body}
      [end of output]

  note: This error originates from a subprocess, and is likely not a problem with pip.
  ERROR: Failed building wheel for {pkg}
Failed to build {pkg}"""


def pip_wheel_build_failed(rng: random.Random, eco: str) -> Failure:
    """A source build of a dependency fails (the compiler output is the dependency's, not ours)."""
    pkg = c.pick(rng, ("psycopg2", "lxml", "cryptography", "grpcio", "mysqlclient", "pyyaml"))
    body = ["running bdist_wheel", "running build", "running build_ext"]
    body += c.pick(rng, _WHEEL_CAUSES).format(pkg=pkg).splitlines()
    how, what = c.pick(
        rng,
        (
            ("setup.py", "python setup.py bdist_wheel"),
            ("pyproject.toml", f"Building wheel for {pkg} (pyproject.toml)"),
        ),
    )
    lines = _pip_preamble(rng, rng.randint(1, 5)) + c.render(
        _WHEEL, pkg=pkg, how=how, what=what, n=len(body), body="\n".join("      " + b for b in body)
    )
    if rng.random() < 0.5:
        lines.append(
            f"ERROR: Could not build wheels for {pkg}, which is required to install "
            "pyproject.toml-based projects"
        )
    else:
        lines.append(
            "ERROR: ERROR: Failed to build installable wheels for some pyproject.toml "
            f"based projects ({pkg})"
        )
    cmd = c.pick(rng, _PY_INSTALL)
    return c.finish(rng, eco, LABEL, lines, "Install dependencies", cmd, stack="python")


_POETRY_SOLVE = """\
Updating dependencies
Resolving dependencies...

Because no versions of {a} match >{va},<{vn}
 and {a} ({va}) depends on {b} (>={vb}), {a} (>={va},<{vn}) requires {b} (>={vb}).
So, because {proj} depends on both {a} (^{va}) and {b} (<1.{low}), version solving failed."""


def python_lock_resolver(rng: random.Random, eco: str) -> Failure:
    """poetry, uv and pipenv: a solver or a lock-file check refuses the dependency set."""
    proj, (a, b) = c.pick(rng, c.PROJECTS), rng.sample(c.PY_PACKAGES, 2)
    tool = c.pick(rng, ("poetry-lock", "poetry-solve", "uv-solve", "uv-locked", "pipenv"))
    if tool == "poetry-lock":
        cmd = "poetry install --no-interaction --no-root"
        lines = [
            "Installing dependencies from lock file",
            "",
            "pyproject.toml changed significantly since poetry.lock was last generated. "
            "Run `poetry lock [--no-update]` to fix the lock file.",
        ]
    elif tool == "poetry-solve":
        major = rng.randint(2, 6)
        cmd, va = "poetry install --with dev", f"{major}.{rng.randint(0, 9)}"
        lines = c.render(
            _POETRY_SOLVE,
            a=a,
            b=b,
            va=va,
            vn=f"{major + 1}.0",
            proj=proj,
            vb=f"{rng.randint(2, 5)}.0",
            low=rng.randint(1, 9),
        )
    elif tool == "uv-solve":
        cmd = c.pick(rng, ("uv sync --frozen", "uv pip install -r requirements.txt", "uv sync"))
        lines = [
            f"Using CPython 3.{rng.randint(9, 13)}.{rng.randint(0, 9)} interpreter at: "
            "/opt/hostedtoolcache/Python/3.12.3/x64/bin/python3",
            "  × No solution found when resolving dependencies:",
            f"  ╰─▶ Because only {a}<={c.version(rng, 3)} is available and {proj} depends on "
            f"{a}>={rng.randint(4, 9)}.0, we can conclude that {proj}'s requirements are "
            "unsatisfiable.",
        ]
    elif tool == "uv-locked":
        cmd = "uv sync --locked"
        lines = [
            f"Resolved {rng.randint(20, 180)} packages in {rng.randint(3, 900)}ms",
            "error: The lockfile at `uv.lock` needs to be updated, but `--locked` was "
            "provided. To update the lockfile, run `uv lock`.",
        ]
    else:
        cmd, h1, h2 = (
            "pipenv install --deploy",
            f"{rng.getrandbits(24):06x}",
            f"{rng.getrandbits(24):06x}",
        )
        lines = [
            f"Installing dependencies from Pipfile.lock ({h1})...",
            f"Your Pipfile.lock ({h1}) is out of date. Expected: ({h2}).",
            "ERROR:: Aborting deploy",
        ]
    if tool.startswith("poetry"):
        lead = [
            f"Creating virtualenv {proj}-{rng.getrandbits(32):08x}-py3.11 in "
            "/home/runner/.cache/pypoetry/virtualenvs"
        ]
    elif tool.startswith("uv"):
        lead = [
            f"Using CPython 3.{rng.randint(10, 12)}.{rng.randint(0, 9)}",
            "Creating virtual environment at: .venv",
        ]
    else:
        lead = [
            "Creating a virtualenv for this project...",
            f"Pipfile: {c.workdir(rng)}/Pipfile",
            "Successfully created virtual environment!",
        ]
    lines = [*lead, *lines]
    return c.finish(
        rng, eco, LABEL, lines, "Install dependencies", cmd, stack="python", tags=(tool,)
    )


_NODE_CJS = """\
node:internal/modules/cjs/loader:{at}
  throw err;
  ^

Error: Cannot find module '{pkg}'
Require stack:
- {wd}/{script}
    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)
    at Module._load (node:internal/modules/cjs/loader:986:27)
    at Module.require (node:internal/modules/cjs/loader:1233:19) {{
  code: 'MODULE_NOT_FOUND',
  requireStack: [ '{wd}/{script}' ]
}}"""
_NODE_ESM = """\
node:internal/errors:{at}
    ErrorCaptureStackTrace(err);
    ^

Error [ERR_MODULE_NOT_FOUND]: Cannot find package '{pkg}' imported from {wd}/{script}
    at packageResolve (node:internal/modules/esm/resolve:853:9)
    at moduleResolve (node:internal/modules/esm/resolve:910:20)
    at defaultResolve (node:internal/modules/esm/resolve:1130:11) {{
  code: 'ERR_MODULE_NOT_FOUND'
}}"""
_PYTEST_IMPORT = """\
{errors}
{sep} ERROR collecting {test} {sep}
ImportError while importing test module '{wd}/{test}'.
Hint: make sure your test modules/packages have valid Python names.
Traceback:
/opt/hostedtoolcache/Python/3.11.9/x64/lib/python3.11/importlib/__init__.py:126: in import_module
    return _bootstrap._gcd_import(name[level:], package, level)
{test}:{ln}: in <module>
    from {own} import {cls}
src/{own_path}.py:{ln2}: in <module>
    import {mod}
E   ModuleNotFoundError: No module named '{mod}'
{summary}
ERROR {test}
{interrupted}
{final}"""


def missing_third_party_module(rng: random.Random, eco: str) -> Failure:
    """A third-party module is not installed when the project imports it."""
    wd = c.workdir(rng)
    if eco == "node":
        pkg = c.pick(rng, ("dotenv", "express", "zod", "yargs", "pg", "chalk", "commander"))
        script = f"scripts/{c.pick(rng, c.WORDS)}.{c.pick(rng, ('js', 'mjs'))}"
        tpl = _NODE_ESM if script.endswith(".mjs") else _NODE_CJS
        lines = c.render(tpl, at=rng.randint(400, 1250), pkg=pkg, wd=wd, script=script)
        lines += ["", f"Node.js v{rng.randint(18, 22)}.{rng.randint(0, 12)}.{rng.randint(0, 3)}"]
        step = c.pick(rng, ("Seed database", "Generate client", "Run script"))
        return Failure(LABEL, lines, step, f"node {script}")
    pkg = c.pick(rng, c.PY_PACKAGES)
    mod, own = c.PY_IMPORT_NAMES.get(pkg, pkg), c.py_module(rng)
    if rng.random() < 0.6:
        test = f"tests/test_{c.ident(rng)}.py"
        lines = c.pytest_header(rng, wd, f"collected {rng.randint(0, 90)} items / 1 error")
        lines.append("")
        lines += c.render(
            _PYTEST_IMPORT,
            errors=c.banner("ERRORS"),
            sep="_" * 16,
            test=test,
            wd=wd,
            ln=rng.randint(1, 9),
            own=own,
            cls=c.pascal(rng),
            own_path=own.replace(".", "/"),
            ln2=rng.randint(1, 12),
            mod=mod,
            summary=c.banner("short test summary info"),
            interrupted=c.banner("Interrupted: 1 error during collection", "!"),
            final=c.banner(f"1 error in {c.seconds(rng, 0.1, 3)}s"),
        )
        return Failure(LABEL, lines, "Run tests", "python -m pytest", 2)
    script = f"scripts/{c.ident(rng)}.py"
    imp = c.pick(rng, (f"import {mod}", f"from {mod} import {c.pick(rng, ('Session', 'load'))}"))
    lines = [
        "Traceback (most recent call last):",
        f'  File "{wd}/{script}", line {rng.randint(1, 15)}, in <module>',
        f"    from {own} import {c.ident(rng)}",
        f'  File "{wd}/src/{own.replace(".", "/")}.py", line {rng.randint(1, 15)}, in <module>',
        f"    {imp}",
        f"ModuleNotFoundError: No module named '{mod}'",
    ]
    step = c.pick(rng, ("Build docs", "Generate report", "Migrate database"))
    return Failure(LABEL, lines, step, f"python {script}")


def _npm(rng: random.Random) -> str:
    # npm 10 prints "npm error", older releases "npm ERR!".
    return c.pick(rng, ("npm ERR!", "npm error"))


def _npm_tail(rng: random.Random, p: str) -> list[str]:
    day = f"{rng.randint(2023, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    clock = f"{rng.randint(0, 23):02d}_{rng.randint(0, 59):02d}_{rng.randint(0, 59):02d}"
    return [
        f"{p} A complete log of this run can be found in: /home/runner/.npm/_logs/"
        f"{day}T{clock}_{rng.randint(0, 999):03d}Z-debug-0.log"
    ]


_ERESOLVE = """\
{p} code ERESOLVE
{p} ERESOLVE {what}
{p}
{p} While resolving: {app}@{appv}
{p} Found: {host}@{have}
{p} node_modules/{host}
{p}   {host}@"^{have}" from the root project
{p}
{p} Could not resolve dependency:
{p} peer {host}@"^{peer}.0.0 || ^{peer2}.0.0" from {plugin}@{pv}
{p} node_modules/{plugin}
{p}   {plugin}@"^{pv}" from the root project
{p}
{p} Fix the upstream dependency conflict, or retry
{p} this command with --force or --legacy-peer-deps
{p} to accept an incorrect (and potentially broken) dependency resolution.
{p}"""


def npm_eresolve(rng: random.Random, eco: str) -> Failure:
    p, peer = _npm(rng), rng.randint(2, 16)
    host = c.pick(rng, ("react", "eslint", "typescript", "@angular/core", "webpack", "vue"))
    suffix = c.pick(rng, ("plugin", "kit", "ui", "loader"))
    plugin = f"{c.pick(rng, ('', '@acme/'))}{c.pick(rng, c.WORDS)}-{suffix}"
    lines = c.render(
        _ERESOLVE,
        p=p,
        what=c.pick(rng, ("unable to resolve dependency tree", "could not resolve")),
        app=c.pick(rng, c.PROJECTS),
        appv=c.version(rng, 2),
        host=host,
        plugin=plugin,
        have=f"{rng.randint(5, 19)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
        peer=peer,
        peer2=peer + 1,
        pv=c.version(rng),
    )
    lines += _npm_tail(rng, p)
    cmd = c.pick(rng, ("npm ci", "npm install", "npm install --no-audit"))
    return c.finish(rng, eco, LABEL, lines, "Install dependencies", cmd, stack="node")


def npm_etarget_e404(rng: random.Random, eco: str) -> Failure:
    p, pkg, lines = _npm(rng), c.pick(rng, c.NPM_PACKAGES), []
    if rng.random() < 0.5:
        lines.append(
            f"npm WARN deprecated {c.pick(rng, ('inflight', 'glob', 'rimraf'))}@"
            f"{c.version(rng)}: This module is not supported, and leaks memory."
        )
    if rng.random() < 0.5:
        want = f"{pkg}@^{rng.randint(20, 99)}.{rng.randint(0, 9)}.0"
        lines += [
            f"{p} code ETARGET",
            f"{p} notarget No matching version found for {want}.",
            f"{p} notarget In most cases you or one of your dependencies are requesting",
            f"{p} notarget a package version that doesn't exist.",
            p,
        ]
    else:
        name = f"{c.pick(rng, ('@acme/', ''))}{c.pick(rng, c.WORDS)}-{c.pick(rng, c.WORDS)}"
        url = f"https://registry.npmjs.org/{name.replace('/', '%2f')}"
        lines += [
            f"{p} code E404",
            f"{p} 404 Not Found - GET {url} - Not found",
            f"{p} 404",
            f"{p} 404  '{name}@^{c.version(rng)}' is not in this registry.",
            f"{p} 404",
            f"{p} 404 Note that you can also install from a",
            f"{p} 404 tarball, folder, http url, or git url.",
            p,
        ]
    lines += _npm_tail(rng, p)
    cmd = c.pick(rng, ("npm ci", "npm install"))
    return c.finish(rng, eco, LABEL, lines, "Install dependencies", cmd, stack="node")


_NPM_CI_SYNC = """\
{p} code EUSAGE
{p}
{p} `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing.
{p}
{p} Missing: {pkg}@{ver} from lock file
{invalid}{p}
{p} Clean install a project
{p}
{p} Usage:
{p} npm ci
{p}
{p} Options:
{p} [--install-strategy <hoisted|nested|shallow|linked>] [--legacy-bundling]
{p}"""
_BERRY = """\
➤ YN0000: ┌ Resolution step
➤ YN0028: │ -{pkg}@npm:^{ver}
➤ YN0028: │ +{pkg}@npm:^{ver2}
➤ YN0028: │ The lockfile would have been modified by this install, which is explicitly forbidden.
➤ YN0000: └ Completed in {s}s {ms}ms
➤ YN0000: · Failed with errors in {s}s {ms2}ms"""
_PNPM = """\
Scope: all {n} workspace projects
 ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with "frozen-lockfile" because pnpm-lock.yaml is not up to date with <ROOT>/package.json

Note that in CI environments this setting is true by default. If you still need to run install in such cases, use "pnpm install --no-frozen-lockfile"

    Failure reason:
    specifiers in the lockfile ({{"{pkg}":"^{ver}"}}) don't match specs in package.json ({{"{pkg}":"^{ver2}"}})"""


_YARN_WARNINGS = (
    "warning package.json: No license field",
    "warning ../package.json: No license field",
    "warning package-lock.json found. Your project contains lock files generated by tools other "
    "than Yarn. It is advised not to mix package managers in order to avoid resolution "
    "inconsistencies caused by unsynchronized lock files.",
    "warning workspace-aggregator: No license field",
)


def js_frozen_lockfile(rng: random.Random, eco: str) -> Failure:
    """npm ci, yarn and pnpm refuse to install because the lock file is out of date."""
    pkg, ver, ver2 = c.pick(rng, c.NPM_PACKAGES), c.version(rng), c.version(rng)
    tool = c.pick(rng, ("npm", "yarn1", "berry", "pnpm"))
    if tool == "npm":
        p, cmd = _npm(rng), "npm ci"
        invalid = "".join(
            f"{p} Invalid: lock file's {n}@{c.version(rng)} does not satisfy {n}@^{c.version(rng)}\n"
            for n in rng.sample(c.NPM_PACKAGES, rng.randint(0, 3))
        )
        lines = c.render(_NPM_CI_SYNC, p=p, pkg=pkg, ver=ver, invalid=invalid) + _npm_tail(rng, p)
    elif tool == "yarn1":
        cmd = "yarn install --frozen-lockfile"
        lines = [
            "yarn install v1.22.22",
            *rng.sample(_YARN_WARNINGS, rng.randint(1, 3)),
            "[1/4] Resolving packages...",
            "error Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`.",
            "info Visit https://yarnpkg.com/en/docs/cli/install for documentation about this "
            "command.",
        ]
    elif tool == "berry":
        cmd = "yarn install --immutable"
        lines = c.render(
            _BERRY,
            pkg=pkg,
            ver=ver,
            ver2=ver2,
            s=rng.randint(0, 9),
            ms=rng.randint(0, 999),
            ms2=rng.randint(0, 999),
        )
    else:
        cmd = "pnpm install --frozen-lockfile"
        lines = c.render(_PNPM, n=rng.randint(1, 12), pkg=pkg, ver=ver, ver2=ver2)
    return c.finish(rng, eco, LABEL, lines, "Install dependencies", cmd, stack="node", tags=(tool,))


_MAVEN = """\
[INFO] Scanning for projects...
[INFO]
[INFO] --------------------< com.acme:{proj} >--------------------
[INFO] Building {proj} {own}
[INFO]   from pom.xml
[INFO] --------------------------------[ jar ]---------------------------------
{pre}
[INFO] ------------------------------------------------------------------------
[INFO] BUILD FAILURE
[INFO] ------------------------------------------------------------------------
[INFO] Total time:  {secs} s
[INFO] ------------------------------------------------------------------------
[ERROR] Failed to execute goal on project {proj}: Could not resolve dependencies for project com.acme:{proj}:jar:{own}: {why} -> [Help 1]
[ERROR]
[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.
[ERROR] Re-run Maven using the -X switch to enable full debug logging.
[ERROR]
[ERROR] For more information about the errors and possible solutions, please read the following articles:
[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/DependencyResolutionException"""


def maven_unresolved(rng: random.Random, eco: str) -> Failure:
    (g, a), proj = c.pick(rng, c.MAVEN_ARTIFACTS), c.pick(rng, c.PROJECTS)
    ver = f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
    gav = f"{g}:{a}:jar:{ver}"
    if rng.random() < 0.5:
        pre = f"[WARNING] The POM for {gav} is missing, no dependency information available"
        why = f"Could not find artifact {gav} in central (https://repo.maven.apache.org/maven2)"
    else:
        path = f"{g.replace('.', '/')}/{a}/{ver}/{a}-{ver}.pom"
        pre = f"Downloading from central: https://repo.maven.apache.org/maven2/{path}"
        why = (
            f"The following artifacts could not be resolved: {gav} (absent): {gav} was not "
            "found in https://repo.maven.apache.org/maven2 during a previous attempt."
        )
    lines = c.render(
        _MAVEN,
        proj=proj,
        own=f"{rng.randint(0, 4)}.{rng.randint(0, 9)}.0-SNAPSHOT",
        pre=pre,
        why=why,
        secs=c.seconds(rng, 1, 40),
    )
    cmd = c.pick(rng, ("mvn -B verify", "mvn -B package -DskipTests", "./mvnw -B install"))
    return c.finish(rng, eco, LABEL, lines, "Build with Maven", cmd, stack="java")


_GRADLE = """\
> Task :{mod}:processResources NO-SOURCE
> Task :{mod}:{task} FAILED

FAILURE: Build failed with an exception.

* What went wrong:
Execution failed for task ':{mod}:{task}'.
> Could not resolve all files for configuration ':{mod}:{conf}'.
{detail}

* Try:
> Run with --stacktrace option to get the stack trace.
> Run with --info or --debug option to get more log output.
> Run with --scan to get full insights.
> Get more help at https://help.gradle.org.

BUILD FAILED in {secs}s
{n} actionable tasks: {m} executed"""


def gradle_unresolved(rng: random.Random, eco: str) -> Failure:
    (g, a), mod = c.pick(rng, c.MAVEN_ARTIFACTS), c.pick(rng, ("app", "core", "api", "server"))
    ver = f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
    if rng.random() < 0.6:
        url = f"https://repo.maven.apache.org/maven2/{g.replace('.', '/')}/{a}/{ver}/{a}-{ver}.pom"
        detail = (
            f"   > Could not find {g}:{a}:{ver}.\n     Searched in the following locations:\n"
            f"       - {url}\n     Required by:\n         project :{mod}"
        )
    else:
        detail = (
            f"   > Could not resolve {g}:{a}:{ver}.\n     Required by:\n         project "
            f":{mod}\n      > No matching version found for {g}:{a}:{ver}."
        )
    lines = c.render(
        _GRADLE,
        mod=mod,
        detail=detail,
        secs=rng.randint(3, 200),
        n=rng.randint(2, 30),
        m=rng.randint(1, 2),
        task=c.pick(
            rng, ("compileJava", "compileKotlin", "compileTestJava", "checkDebugAarMetadata")
        ),
        conf=c.pick(rng, ("compileClasspath", "runtimeClasspath", "testCompileClasspath")),
    )
    cmd = c.pick(rng, ("./gradlew build", "./gradlew assemble --no-daemon"))
    return c.finish(rng, eco, LABEL, lines, "Build", cmd, stack="java")


def cargo_select_version(rng: random.Random, eco: str) -> Failure:
    crate, proj, wd = c.pick(rng, c.CRATES), c.pick(rng, c.PROJECTS), c.workdir(rng)
    owner = f"required by package `{proj} v0.{rng.randint(1, 9)}.0 ({wd})`"
    kind = rng.randrange(3)
    if kind == 0:
        found = ", ".join(reversed(c.versions_below(rng, rng.randint(3, 8))))
        lines = [
            "    Updating crates.io index",
            f'error: failed to select a version for the requirement `{crate} = "^'
            f'{rng.randint(5, 9)}.{rng.randint(0, 9)}"`',
            f"candidate versions found which didn't match: {found}, ...",
            "location searched: crates.io index",
            owner,
            "perhaps a crate was updated and forgotten to be re-vendored?",
        ]
    elif kind == 1:
        typo = crate[:-1] + c.pick(rng, ("s", "x", "-rs"))
        lines = [
            "    Updating crates.io index",
            f"error: no matching package named `{typo}` found",
            "location searched: registry `crates-io`",
            owner,
        ]
    else:
        lines = [
            f"error: the lock file {wd}/Cargo.lock needs to be updated but --locked was "
            "passed to prevent this",
            "If you want to try to generate the lock file without accessing the network, "
            "remove the --locked flag and use --offline instead.",
        ]
    cmd = c.pick(rng, ("cargo build --locked", "cargo test --locked", "cargo fetch --locked"))
    return c.finish(rng, eco, LABEL, lines, "Build", cmd, stack="rust", code=101)


def go_module_resolve(rng: random.Random, eco: str) -> Failure:
    mod, own = c.pick(rng, c.GO_MODULES), f"github.com/acme/{c.pick(rng, c.PROJECTS)}"
    ver = f"v{rng.randint(0, 3)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
    lines = [
        f"go: downloading {m} v{c.version(rng, 2)}"
        for m in rng.sample(c.GO_MODULES, rng.randint(3, 9))
    ]
    kind = rng.randrange(4)
    if kind == 0:
        lines.append(
            f"go: {mod}@{ver}: reading {mod}/go.mod at revision {ver}: unknown revision {ver}"
        )
    elif kind == 1:
        src = c.pick(rng, ("main.go", "cmd/server/main.go", "internal/app/app.go"))
        lines += [
            f"{src}:{rng.randint(3, 12)}:2: missing go.sum entry for module providing "
            f"package {mod} (imported by {own}); to add:",
            f"\tgo get {own}",
        ]
    elif kind == 2:
        lines += ["go: updates to go.mod needed; to update it:", "\tgo mod tidy"]
    else:
        lines.append(
            f"go: {mod}@{ver}: invalid version: module contains a go.mod file, so module "
            f'path must match major version ("{mod}/v{rng.randint(2, 5)}")'
        )
    cmd = c.pick(rng, ("go build ./...", "go mod download", "go test ./..."))
    return c.finish(
        rng, eco, LABEL, lines, c.pick(rng, ("Build", "Download modules")), cmd, stack="go"
    )


_BUNDLER = (
    """\
Resolving dependencies...
Could not find compatible versions

Because {gem} >= {m}.1.0 depends on {other} = {m}.1.x
  and Gemfile depends on {other} ~> {low}.1,
  {gem} >= {m}.1.0 cannot be used.
So, because Gemfile depends on {gem} ~> {m}.1,
  version solving has failed.""",
    """\
Could not find gem '{gem} (~> {big}.0)' in rubygems repository https://rubygems.org/ or installed locally.

The source contains the following gems matching '{gem}':
  * {gem}-{v1}
  * {gem}-{v2}""",
    """\
Installing {gem} {v1} with native extensions
Gem::Ext::BuildError: ERROR: Failed to build gem native extension.

    current directory: /usr/local/bundle/gems/{gem}-{v1}/ext/{gem}
/usr/local/bin/ruby extconf.rb
checking for {header}... no
*** extconf.rb failed ***
Could not create Makefile due to some reason, probably lack of necessary
libraries and/or headers.  Check the mkmf.log file for more details.

An error occurred while installing {gem} ({v1}), and Bundler cannot continue.

In Gemfile:
  {gem}""",
    """\
You are trying to install in deployment mode after changing
your Gemfile. Run `bundle install` elsewhere and add the
updated Gemfile.lock to version control.

You have added to the Gemfile:
* {gem} (~> {v2})""",
)


def bundler_gems(rng: random.Random, eco: str) -> Failure:
    gem, other = rng.sample(c.GEMS, 2)
    m = rng.randint(5, 8)
    lines = ["Fetching gem metadata from https://rubygems.org/" + "." * rng.randint(3, 12)]
    lines += c.render(
        c.pick(rng, _BUNDLER),
        gem=gem,
        other=other,
        m=m,
        low=m - 1,
        big=rng.randint(10, 40),
        v1=c.version(rng, 3),
        v2=c.version(rng, 3),
        header=c.pick(rng, ("pg_config", "libpq-fe.h", "mysql.h", "libxml/parser.h")),
    )
    cmd = c.pick(rng, ("bundle install --jobs 4", "bundle install", "bundle install --deployment"))
    return c.finish(rng, eco, LABEL, lines, "Install gems", cmd, stack="ruby")


def nuget_restore(rng: random.Random, eco: str) -> Failure:
    pkg, app = c.pick(rng, c.NUGET_PACKAGES), c.pascal(rng, 1)
    proj = f"{c.workdir(rng)}/src/{app}.Api/{app}.Api.csproj"
    lines, kind = ["  Determining projects to restore..."], rng.randrange(4)
    others = ("Core", "Domain", "Infrastructure", "Contracts", "Tests")
    for other in rng.sample(others, rng.randint(2, 4)):
        lines.append(
            f"  Restored {c.workdir(rng)}/src/{app}.{other}/{app}.{other}.csproj "
            f"(in {rng.randint(90, 4000)} ms)."
        )
    if kind == 0:
        lines.append(
            f"{proj} : error NU1101: Unable to find package Acme.{c.pascal(rng, 1)}. "
            "No packages exist with this id in source(s): nuget.org"
        )
    elif kind == 1:
        lines += [
            f"{proj} : error NU1102: Unable to find package {pkg} with version "
            f"(>= {rng.randint(20, 99)}.0.0)",
            f"  - Found {rng.randint(5, 300)} version(s) in nuget.org [ Nearest version: "
            f"{c.version(rng)} ]",
        ]
    elif kind == 2:
        lines.append(
            f"{proj} : error NU1605: Warning As Error: Detected package downgrade: {pkg} "
            f"from 8.0.{rng.randint(1, 9)} to 7.0.{rng.randint(0, 9)}. Reference the "
            "package directly from the project to select a different version."
        )
    else:
        lines.append(
            f"{proj} : error NU1107: Version conflict detected for {pkg}. Install/"
            f"reference {pkg} {c.version(rng)} directly to project {app}.Api to resolve "
            "this issue."
        )
    lines.append(f"  Failed to restore {proj} (in {rng.uniform(0.3, 9):.2f} sec).")
    cmd = c.pick(rng, ("dotnet restore", "dotnet build -c Release", "dotnet restore --locked-mode"))
    return c.finish(rng, eco, LABEL, lines, "Restore dependencies", cmd, stack="dotnet")


_APT = (
    "E: Unable to locate package {pkg}",
    """\
Package {pkg} is not available, but is referred to by another package.
This may mean that the package is missing, has been obsoleted, or
is only available from another source

E: Package '{pkg}' has no installation candidate""",
    """\
Some packages could not be installed. This may mean that you have
requested an impossible situation or if you are using the unstable
distribution that some required packages have not yet been created
or been moved out of Incoming.
The following information may help to resolve the situation:

The following packages have unmet dependencies:
 {pkg} : Depends: {lib} (= {v1}-1ubuntu0.{n}) but {v2}-1 is to be installed
E: Unable to correct problems, you have held broken packages.""",
)


def system_package_missing(rng: random.Random, eco: str) -> Failure:
    """apt and apk cannot find or install a system package."""
    pkg = c.pick(rng, c.APT_PACKAGES)
    if eco == "docker" and rng.random() < 0.4:
        lines = [
            f"fetch https://dl-cdn.alpinelinux.org/alpine/v3.{rng.randint(15, 20)}/main/"
            "x86_64/APKINDEX.tar.gz",
            f"fetch https://dl-cdn.alpinelinux.org/alpine/v3.{rng.randint(15, 20)}/community/"
            "x86_64/APKINDEX.tar.gz",
            "ERROR: unable to select packages:",
            f"  {pkg} (no such package):",
            f"    required by: world[{pkg}]",
        ]
        cmd = f"apk add --no-cache {pkg} build-base"
        return c.finish(rng, eco, LABEL, lines, "Install system packages", cmd, stack="alpine")
    lines = [
        "Reading package lists...",
        "Building dependency tree...",
        "Reading state information...",
    ]
    lines += c.render(
        c.pick(rng, _APT),
        pkg=pkg,
        lib=f"{pkg.removesuffix('-dev')}3",
        v1=c.version(rng, 3),
        v2=c.version(rng, 3),
        n=rng.randint(1, 9),
    )
    cmd = f"sudo apt-get install -y {pkg} {c.pick(rng, c.APT_PACKAGES)}"
    if eco == "docker":
        cmd = f"apt-get update && apt-get install -y --no-install-recommends {pkg}"
    return c.finish(rng, eco, LABEL, lines, "Install system packages", cmd, stack=eco, code=100)


_CMAKE = (
    """\
CMake Error at /usr/share/cmake-{cm}/Modules/FindPackageHandleStandardArgs.cmake:230 (message):
  Could NOT find {name} (missing: {miss})
Call Stack (most recent call first):
  /usr/share/cmake-{cm}/Modules/FindPackageHandleStandardArgs.cmake:600 (_FPHSA_FAILURE_MESSAGE)
  /usr/share/cmake-{cm}/Modules/Find{name}.cmake:{n} (find_package_handle_standard_args)
  CMakeLists.txt:{line} (find_package)
""",
    """\
CMake Error at CMakeLists.txt:{line} (find_package):
  By not providing "Find{cfg}.cmake" in CMAKE_MODULE_PATH this project has
  asked CMake to find a package configuration file provided by "{cfg}", but
  CMake did not find one.

  Could not find a package configuration file provided by "{cfg}" with any of
  the following names:

    {cfg}Config.cmake
    {cfg_lower}-config.cmake

  Add the installation prefix of "{cfg}" to CMAKE_PREFIX_PATH or set "{cfg}_DIR"
  to a directory containing one of the above files.  If "{cfg}" provides a
  separate development package or SDK, be sure it has been installed.
""",
    """\
-- Found PkgConfig: /usr/bin/pkg-config (found version "0.29.2")
-- Checking for module '{pc}'
--   Package '{pc}', required by 'virtual:world', not found
CMake Error at /usr/share/cmake-{cm}/Modules/FindPkgConfig.cmake:{n} (message):
  A required package was not found
Call Stack (most recent call first):
  /usr/share/cmake-{cm}/Modules/FindPkgConfig.cmake:{n2} (_pkg_check_modules_internal)
  CMakeLists.txt:{line} (pkg_check_modules)
""",
)


def cmake_find_package(rng: random.Random, eco: str) -> Failure:
    """CMake configure stops because a required library is not installed on the runner."""
    gnu = f"{rng.randint(9, 13)}.{rng.randint(1, 4)}.0"
    lines = [
        f"-- The C compiler identification is GNU {gnu}",
        f"-- The CXX compiler identification is GNU {gnu}",
        "-- Detecting C compiler ABI info",
        "-- Detecting C compiler ABI info - done",
        "-- Check for working C compiler: /usr/bin/cc - skipped",
        "-- Detecting CXX compiler ABI info - done",
    ]
    name, miss = c.pick(
        rng,
        (
            ("OpenSSL", "OPENSSL_CRYPTO_LIBRARY OPENSSL_INCLUDE_DIR"),
            ("Boost", "Boost_INCLUDE_DIR"),
            ("ZLIB", "ZLIB_LIBRARY ZLIB_INCLUDE_DIR"),
            ("CURL", "CURL_LIBRARY CURL_INCLUDE_DIR"),
        ),
    )
    cfg = c.pick(rng, ("fmt", "spdlog", "GTest", "Protobuf", "nlohmann_json", "absl"))
    lines += c.render(
        c.pick(rng, _CMAKE),
        cm=f"3.{rng.randint(16, 29)}",
        name=name,
        miss=miss,
        cfg=cfg,
        cfg_lower=cfg.lower(),
        pc=c.pick(rng, ("libzmq", "libsodium", "glib-2.0", "libuv")),
        n=rng.randint(400, 700),
        n2=rng.randint(700, 900),
        line=rng.randint(8, 60),
    )
    lines.append("-- Configuring incomplete, errors occurred!")
    cmd = c.pick(rng, ("cmake -S . -B build -DCMAKE_BUILD_TYPE=Release", "cmake -B build -G Ninja"))
    return c.finish(rng, eco, LABEL, lines, "Configure", cmd, stack="cpp")


def _family(slug: str, ecosystems: tuple[str, ...], make: c.Maker) -> Family:
    return Family(f"{LABEL}/{slug}", LABEL, ecosystems, make)


FAMILIES: list[Family] = [
    _family("pip-no-matching-distribution", ("python", "docker"), pip_no_matching_distribution),
    _family("pip-resolution-impossible", ("python", "docker"), pip_resolution_impossible),
    _family("pip-wheel-build-failed", ("python", "docker"), pip_wheel_build_failed),
    _family("python-lock-resolver", ("python",), python_lock_resolver),
    _family("missing-third-party-module", ("python", "node"), missing_third_party_module),
    _family("npm-eresolve", ("node", "docker"), npm_eresolve),
    _family("npm-etarget-e404", ("node", "docker"), npm_etarget_e404),
    _family("js-frozen-lockfile", ("node", "docker"), js_frozen_lockfile),
    _family("maven-unresolved", ("java",), maven_unresolved),
    _family("gradle-unresolved", ("java",), gradle_unresolved),
    _family("cargo-select-version", ("rust", "docker"), cargo_select_version),
    _family("go-module-resolve", ("go", "docker"), go_module_resolve),
    _family("bundler-gems", ("ruby", "docker"), bundler_gems),
    _family("nuget-restore", ("dotnet", "docker"), nuget_restore),
    _family("system-package-missing", ("cpp", "python", "ruby", "docker"), system_package_missing),
    _family("cmake-find-package", ("cpp",), cmake_find_package),
]
