"""``missing_file``: a file, directory, artifact or executable does not exist.

Labelling choices: a tool that is not on ``PATH`` (``command not found``) is a missing
executable; a shared library the loader cannot open is a missing file; a container whose
entrypoint does not exist is a missing file even though the daemon reports it as an OCI error.
A test command pointed at a path that does not exist is ``missing_file`` (the suite never ran).
A header missing during compilation is left to ``compilation``: the compiler is the one failing.
"""

from __future__ import annotations

import random

from .._types import ECOSYSTEMS, Failure, Family
from ._common_c import NOUNS, hexstr, ident, pick, progress, repo, semver, workdir

LABEL = "missing_file"
_DIRS = ("dist", "build", "out", "target/release", "coverage", "artifacts", "public", "bin")
_FILES = (
    "version.txt",
    "CHANGELOG.md",
    "manifest.json",
    "index.js",
    "app.tar.gz",
    "release-notes.md",
    "checksums.txt",
    "openapi.yaml",
    "settings.toml",
    "lcov.info",
    "report.xml",
    ".env.ci",
)


def _path(rng: random.Random) -> str:
    return f"{pick(rng, _DIRS)}/{pick(rng, _FILES)}"


def _temp_script(rng: random.Random) -> str:
    return f"/home/runner/work/_temp/{hexstr(rng, 8)}-{hexstr(rng, 4)}-{hexstr(rng, 12)}.sh"


def _shell_no_such_file(rng: random.Random, eco: str) -> Failure:
    path = _path(rng)
    lines = progress(rng, eco, 1, 6)
    choice = rng.randrange(5)
    exit_code = 1
    if choice == 0:
        lines.append(f"cat: {path}: No such file or directory")
        command = f'echo "VERSION=$(cat {path})" >> "$GITHUB_ENV"'
    elif choice == 1:
        lines.append(f"cp: cannot stat '{path.split('/')[0]}/*': No such file or directory")
        command = f"cp -r {path.split('/')[0]}/* release/"
    elif choice == 2:
        script = f"./scripts/{pick(rng, ('deploy', 'package', 'sign', 'bump-version'))}.sh"
        lines.append(
            f"{_temp_script(rng)}: line {rng.randint(1, 4)}: {script}: No such file or directory"
        )
        command, exit_code = script, 127
    elif choice == 3:
        lines += [
            f"tar: {path.split('/')[0]}: Cannot stat: No such file or directory",
            "tar: Exiting with failure status due to previous errors",
        ]
        command, exit_code = f"tar -czf release.tgz {path.split('/')[0]}", 2
    else:
        lines.append(f"sha256sum: {path}: No such file or directory")
        command = f"sha256sum {path} > checksums.txt"
    return Failure(
        LABEL,
        lines,
        pick(rng, ("Package", "Prepare release", "Collect outputs")),
        command,
        exit_code,
    )


_TOOLS = (
    "jq",
    "poetry",
    "yq",
    "cargo-nextest",
    "protoc",
    "helm",
    "terraform",
    "pnpm",
    "gh",
    "shellcheck",
    "buf",
    "golangci-lint",
    "bundle",
    "mvn",
    "xmllint",
    "wasm-pack",
    "kubectl",
    "ninja",
)


def _command_not_found(rng: random.Random, eco: str) -> Failure:
    tool = pick(rng, _TOOLS)
    lines = progress(rng, eco, 0, 5)
    choice = rng.randrange(4)
    if choice == 0:
        lines.append(f"{_temp_script(rng)}: line {rng.randint(1, 6)}: {tool}: command not found")
        command = f"{tool} --version"
    elif choice == 1:
        lines.append(f"bash: line 1: {tool}: command not found")
        command = f"{tool} {pick(rng, ('install', 'build', 'generate', 'lint'))}"
    elif choice == 2:
        target = pick(rng, ("release", "generate", "proto", "deploy", "check"))
        mk = rng.randint(8, 90)
        lines += [
            f"{tool} {pick(rng, ('-r .version package.json', 'generate', '--check'))}",
            f"make: {tool}: No such file or directory"
            if rng.random() < 0.5
            else f"make: {tool}: command not found",
            f"make: *** [Makefile:{mk}: {target}] Error 127",
        ]
        command = f"make {target}"
    else:
        lines.append(f"/usr/bin/env: '{tool}': No such file or directory")
        command = f"./scripts/{ident(rng)}"
    return Failure(
        LABEL, lines, pick(rng, ("Build", "Generate", "Release", "Install tools")), command, 127
    )


def _node_enoent(rng: random.Random, eco: str) -> Failure:
    wd = workdir(rng)
    script = f"scripts/{pick(rng, ('build', 'copy-assets', 'postbuild', 'release', 'bundle'))}.js"
    target = f"{wd}/{_path(rng)}"
    lines = progress(rng, "node", 1, 5)
    choice = rng.randrange(3)
    if choice == 0:
        syscall, fn = pick(
            rng, (("open", "openSync"), ("scandir", "readdirSync"), ("stat", "statSync"))
        )
        lines += [
            "node:fs:" + str(rng.randint(400, 600)),
            f"  return binding.{syscall}(",
            "                 ^",
            "",
            f"Error: ENOENT: no such file or directory, {syscall} '{target}'",
            f"    at Object.{fn} (node:fs:{rng.randint(400, 600)}:{rng.randint(3, 40)})",
            f"    at {pick(rng, ('copyAssets', 'readManifest', 'main', 'loadConfig'))} ({wd}/{script}:{rng.randint(5, 80)}:{rng.randint(5, 30)})",
            f"    at Object.<anonymous> ({wd}/{script}:{rng.randint(80, 120)}:1)",
            "    at Module._compile (node:internal/modules/cjs/loader:1358:14) {",
            "  errno: -2,",
            "  code: 'ENOENT',",
            f"  syscall: '{syscall}',",
            f"  path: '{target}'",
            "}",
            "",
            f"Node.js v{pick(rng, ('18.20.4', '20.15.1', '22.4.1'))}",
        ]
    elif choice == 1:
        lines += [
            "node:internal/modules/cjs/loader:1148",
            "  throw err;",
            "  ^",
            "",
            f"Error: Cannot find module '{wd}/{script}'",
            "    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)",
            "    at Module._load (node:internal/modules/cjs/loader:986:27)",
            "    at node:internal/main/run_main_module:28:49 {",
            "  code: 'MODULE_NOT_FOUND',",
            "  requireStack: []",
            "}",
            "",
            "Node.js v20.15.1",
        ]
    else:
        lines += [
            f"[Error: ENOENT: no such file or directory, open '{target}'] {{",
            "  errno: -2,",
            "  code: 'ENOENT',",
            "  syscall: 'open',",
            f"  path: '{target}'",
            "}",
        ]
    return Failure(LABEL, lines, pick(rng, ("Build", "Bundle", "Post-build")), f"node {script}")


def _python_file_not_found(rng: random.Random, eco: str) -> Failure:
    wd = workdir(rng)
    lines = progress(rng, "python", 0, 4)
    if rng.random() < 0.35:
        script = f"scripts/{ident(rng)}.py"
        lines.append(
            f"python: can't open file '{wd}/{script}': [Errno 2] No such file or directory"
        )
        return Failure(LABEL, lines, "Generate", f"python {script}", 2)
    script = f"tools/{ident(rng)}.py"
    missing = pick(
        rng, ("config/settings.yaml", "data/seed.csv", _path(rng), "templates/base.html.j2")
    )
    func = ident(rng)
    lines += [
        "Traceback (most recent call last):",
        f'  File "{wd}/{script}", line {rng.randint(60, 200)}, in <module>',
        "    main()",
        f'  File "{wd}/{script}", line {rng.randint(20, 59)}, in {func}',
        f'    with open("{missing}", encoding="utf-8") as fh:',
        "         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
        f"FileNotFoundError: [Errno 2] No such file or directory: '{missing}'",
    ]
    return Failure(
        LABEL, lines, pick(rng, ("Build docs", "Generate", "Prepare data")), f"python {script}"
    )


def _test_path_missing(rng: random.Random, eco: str) -> Failure:
    wd = workdir(rng)
    area = pick(rng, ("integration", "e2e", "unit", "api", "smoke"))
    if eco == "python":
        target = pick(rng, (f"tests/{area}", f"tests/{area}/test_{pick(rng, NOUNS)}.py"))
        lines = [
            "============================= test session starts ==============================",
            f"platform linux -- Python 3.{rng.randint(9, 13)}.{rng.randint(0, 9)}, "
            f"pytest-8.{rng.randint(0, 3)}.{rng.randint(0, 4)}, pluggy-1.5.0",
            f"rootdir: {wd}",
            f"configfile: {pick(rng, ('pyproject.toml', 'pytest.ini', 'setup.cfg'))}",
            "collected 0 items",
            "",
            f"ERROR: file or directory not found: {target}",
            "",
            f"============================ no tests ran in {rng.uniform(0.01, 0.4):.2f}s ============================",
        ]
        return Failure(LABEL, lines, "Run tests", f"python -m pytest {target}", 4)
    if eco == "ruby":
        spec = f"spec/{area}/{pick(rng, NOUNS)}_spec.rb"
        lines = [
            f"An error occurred while loading ./{spec}.",
            "Failure/Error: __getobj__.load(path)",
            "",
            "LoadError:",
            f"  cannot load such file -- {wd}/{spec}",
            "No examples found.",
            "",
            "Finished in 0.0001 seconds (files took 0.1 seconds to load)",
            "0 examples, 0 failures, 1 error occurred outside of examples",
        ]
        return Failure(LABEL, lines, "Run specs", f"bundle exec rspec {spec}")
    if eco == "dotnet":
        app = repo(rng).title().replace("-", "")
        proj = f"tests/{app}.Tests/{app}.Tests.csproj"
        lines = ["MSBUILD : error MSB1009: Project file does not exist.", f"Switch: {proj}"]
        return Failure(LABEL, lines, "Test", f"dotnet test {proj}")
    if eco == "java":
        lines = [
            "[INFO] Scanning for projects...",
            "[ERROR] The goal you specified requires a project to execute but there is no POM in this "
            f"directory ({wd}/{area}). Please verify you invoked Maven from the correct directory. -> [Help 1]",
        ]
        return Failure(LABEL, lines, "Test", f"cd {area} && mvn -B test")
    if eco == "go":
        lines = [f"stat {wd}/internal/{area}: directory not found"]
        return Failure(LABEL, lines, "Test", f"go test ./internal/{area}/...")
    lines = ["No tests found, exiting with code 1", f"Pattern: test/{area} - 0 matches"]
    lines.insert(0, f"Error: Could not find '{wd}/test/{area}'")
    return Failure(LABEL, lines, "Test", f"npx jest test/{area}")


def _upload_artifact_empty(rng: random.Random, eco: str) -> Failure:
    path = pick(
        rng,
        ("coverage/", "dist/*.whl", "target/*.jar", "build/reports/", "out/**/*.zip", "artifacts/"),
    )
    name = pick(rng, ("coverage", "dist", "packages", "reports", "binaries", "site"))
    lines = [
        "Run actions/upload-artifact@v4",
        "  with:",
        f"    name: {name}",
        f"    path: {path}",
        "    if-no-files-found: error",
        f"    retention-days: {pick(rng, ('7', '14', '30', '90'))}",
        "    compression-level: 6",
        "    overwrite: false",
    ]
    error = f"No files were found with the provided path: {path}. No artifacts will be uploaded."
    return Failure(LABEL, lines, f"Upload {name}", "", 1, (error,))


def _download_artifact_missing(rng: random.Random, eco: str) -> Failure:
    name = pick(rng, ("dist", "build-output", "wheels", "site", "binaries", "docker-image"))
    lines = [
        "Run actions/download-artifact@v4",
        "  with:",
        f"    name: {name}",
        f"    path: {pick(rng, ('dist', '.', 'artifacts'))}",
    ]
    if rng.random() < 0.5:
        lines += [
            "    merge-multiple: false",
            "    repository: " + repo(rng),
            f"    run-id: {rng.randint(6, 11)}{rng.randint(10**8, 10**9 - 1)}",
        ]
        error = "Unable to find any artifacts for the associated workflow"
    else:
        lines.append("Downloading single artifact")
        error = f"Artifact not found for name: {name}"
        lines.append(
            "        Please ensure that your artifact is not expired and the artifact was uploaded using a compatible version of toolkit/upload-artifact."
        )
    return Failure(LABEL, lines, f"Download {name}", "", 1, (error,))


def _docker_context_missing(rng: random.Random, eco: str) -> Failure:
    src = pick(
        rng,
        (
            "requirements.txt",
            "package.json",
            "go.sum",
            "Cargo.lock",
            "target/app.jar",
            "dist/",
            "Gemfile.lock",
            "publish/",
        ),
    )
    lines = progress(rng, "docker", 2, 7)
    step = rng.randint(3, 8)
    ref = f"{hexstr(rng, 25)}::{hexstr(rng, 25)}"
    if rng.random() < 0.6:
        lines += [
            f"#{step + 4} [{step}/9] COPY {src} ./",
            f'#{step + 4} ERROR: failed to calculate checksum of ref {ref}: "/{src.rstrip("/")}": not found',
            "------",
            f" > [{step}/9] COPY {src} ./:",
            "------",
            "Dockerfile:" + str(step + 2),
            "--------------------",
            f"  {step + 2} | >>> COPY {src} ./",
            "--------------------",
            f'ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref {ref}: "/{src.rstrip("/")}": not found',
        ]
    elif rng.random() < 0.5:
        lines += [
            f"Step {step}/9 : COPY {src} /app/",
            f"COPY failed: file not found in build context or excluded by .dockerignore: stat {src.rstrip('/')}: file does not exist",
        ]
    else:
        df = pick(rng, ("Dockerfile.prod", "docker/Dockerfile", "build/Dockerfile.ci"))
        lines = [
            '#0 building with "default" instance using docker driver',
            "",
            "#1 [internal] load build definition from " + df.split("/")[-1],
            "#1 transferring dockerfile: 2B done",
            "#1 DONE 0.0s",
            f"ERROR: failed to solve: failed to read dockerfile: open {df.split('/')[-1]}: no such file or directory",
        ]
    return Failure(LABEL, lines, "Build image", f"docker build -t {repo(rng)}:{hexstr(rng, 7)} .")


def _container_entrypoint_missing(rng: random.Random, eco: str) -> Failure:
    image = f"ghcr.io/{repo(rng)}:{hexstr(rng, 7)}"
    exe = pick(
        rng,
        (
            "/entrypoint.sh",
            "/usr/local/bin/docker-entrypoint.sh",
            "./run.sh",
            "/app/server",
            "/app/bin/start",
        ),
    )
    lines = [
        f"Unable to find image '{image}' locally" if rng.random() < 0.3 else f"Running {image}"
    ]
    choice = rng.randrange(3)
    if choice == 0:
        lines.append(f"exec {exe}: no such file or directory")
        code = 1
    elif choice == 1:
        lines.append(
            "docker: Error response from daemon: failed to create shim task: OCI runtime create failed: "
            "runc create failed: unable to start container process: exec: "
            f'"{exe}": stat {exe}: no such file or directory: unknown.'
        )
        code = 127
    else:
        cmd = pick(rng, ("pytest", "npm", "bundle", "dotnet", "java"))
        lines.append(
            "OCI runtime exec failed: exec failed: unable to start container process: exec: "
            f'"{cmd}": executable file not found in $PATH: unknown'
        )
        code = 126
    return Failure(LABEL, lines, "Smoke test image", f"docker run --rm {image}", code)


def _shared_library_missing(rng: random.Random, eco: str) -> Failure:
    lib = pick(
        rng,
        (
            "libssl.so.1.1",
            "libcrypto.so.3",
            "libpq.so.5",
            "libstdc++.so.6",
            "libicuuc.so.70",
            "libffi.so.7",
            "libgomp.so.1",
            "libz.so.1",
        ),
    )
    binary = pick(
        rng,
        (
            f"./build/{repo(rng)}",
            "./bin/server",
            "./target/release/cli",
            "./out/tool",
            "/usr/local/bin/protoc-gen-grpc",
        ),
    )
    lines = progress(rng, eco, 0, 4)
    lines.append(
        f"{binary}: error while loading shared libraries: {lib}: cannot open shared object file: No such file or directory"
    )
    return Failure(
        LABEL,
        lines,
        pick(rng, ("Smoke test", "Run binary", "Generate")),
        f"{binary} --version",
        127,
    )


def _dotnet_path_missing(rng: random.Random, eco: str) -> Failure:
    app = repo(rng).title().replace("-", "")
    if rng.random() < 0.4:
        lines = [
            *progress(rng, "dotnet", 0, 3),
            f"C:\\Program Files\\dotnet\\sdk\\8.0.{rng.randint(100, 400)}\\Sdks\\Microsoft.NET.Sdk\\targets\\Microsoft.PackageDependencyResolution.targets(266,5): "
            f"error NETSDK1004: Assets file 'D:\\a\\{app}\\{app}\\src\\{app}\\obj\\project.assets.json' not found. Run a NuGet package restore to generate this file. [D:\\a\\{app}\\{app}\\src\\{app}\\{app}.csproj]",
            "    0 Warning(s)",
            "    1 Error(s)",
        ]
        return Failure(LABEL, lines, "Build", "dotnet build --no-restore -c Release")
    folder = pick(rng, ("publish", "artifacts\\bin", "docs\\_site", "config"))
    if rng.random() < 0.5:
        lines = [
            f"Unhandled exception. System.IO.DirectoryNotFoundException: Could not find a part of the path 'D:\\a\\{app}\\{app}\\{folder}\\{pick(rng, _FILES)}'.",
            "   at Microsoft.Win32.SafeHandles.SafeFileHandle.CreateFile(String fullPath, FileMode mode, FileAccess access, FileShare share, FileOptions options)",
            "   at System.IO.File.ReadAllText(String path)",
            f"   at {app}.Tools.Program.Main(String[] args) in D:\\a\\{app}\\{app}\\tools\\Program.cs:line {rng.randint(10, 90)}",
        ]
        return Failure(LABEL, lines, "Package", "dotnet run --project tools", -532462766)
    lines = [
        f"copy {folder}\\*.nupkg out\\",
        "The system cannot find the path specified.",
        "        0 file(s) copied.",
    ]
    return Failure(LABEL, lines, "Collect packages", f"copy {folder}\\*.nupkg out\\")


def _build_file_missing(rng: random.Random, eco: str) -> Failure:
    wd = workdir(rng)
    if eco == "java":
        module = pick(rng, ("build-logic", "platform", "codegen", "api", "common"))
        choice = rng.randrange(4)
        if choice == 0:
            jdk = f"{pick(rng, ('17', '21'))}.0.{rng.randint(1, 12)}"
            build = f"{jdk}+{rng.randint(5, 13)}"
            lines = [
                f'openjdk version "{jdk}" 202{rng.randint(3, 5)}-0{rng.randint(1, 9)}-16 LTS',
                f"OpenJDK Runtime Environment Temurin-{build} (build {build}-LTS)",
                f"OpenJDK 64-Bit Server VM Temurin-{build} (build {build}-LTS, mixed mode, sharing)",
                "Error: Could not find or load main class org.gradle.wrapper.GradleWrapperMain",
                "Caused by: java.lang.ClassNotFoundException: org.gradle.wrapper.GradleWrapperMain",
            ]
            command = f"java -version && ./gradlew {pick(rng, ('build', 'check', 'assemble'))}"
        elif choice == 1:
            settings = pick(rng, ("settings-ci.xml", "ci-settings.xml", "maven-settings.xml"))
            lines = [
                "[ERROR] Error executing Maven.",
                f"[ERROR] The specified user settings file does not exist: {wd}/.mvn/{settings}",
            ]
            command = f"mvn -B -s .mvn/{settings} verify"
        elif choice == 2:
            lines = [
                "[INFO] Scanning for projects...",
                "[ERROR] [ERROR] Some problems were encountered while processing the POMs:",
                f"[ERROR] Child module {wd}/{module} of {wd}/pom.xml does not exist @ ",
                "[ERROR] The build could not read 1 project -> [Help 1]",
            ]
            command = "mvn -B verify"
        else:
            lines = [
                "FAILURE: Build failed with an exception.",
                "",
                "* What went wrong:",
                f"Included build '{wd}/{module}' does not exist.",
            ]
            command = "./gradlew build"
        return Failure(LABEL, lines, pick(rng, ("Build", "Compile", "Package")), command)
    target = f"{pick(rng, ('src', 'include', 'gen'))}/{pick(rng, ('config.h', 'version.h', 'schema.c', 'parser.c', 'assets.o'))}"
    if rng.random() < 0.5:
        needed = f"{pick(rng, ('obj', 'build'))}/{pick(rng, NOUNS)}.o"
        lines = [
            *progress(rng, "cpp", 0, 4),
            f"make: *** No rule to make target '{target}', needed by '{needed}'.  Stop.",
        ]
        return Failure(LABEL, lines, "Build", "make -j2", 2)
    sub = pick(rng, ("native", "cpp", "ext", "build"))
    lines = [
        f'CMake Error: The source directory "{wd}/{sub}" does not appear to contain CMakeLists.txt.',
        "Specify --help for usage, or press the help button on the CMake GUI.",
    ]
    return Failure(LABEL, lines, "Configure", f"cmake -S {sub} -B build -DCMAKE_BUILD_TYPE=Release")


def _git_pathspec(rng: random.Random, eco: str) -> Failure:
    ref = pick(
        rng,
        (
            f"release/{semver(rng)}",
            f"v{semver(rng)}",
            f"docs/{pick(rng, NOUNS)}.md",
            f"{pick(rng, _DIRS)}/{pick(rng, _FILES)}",
            f"feature/{pick(rng, NOUNS)}-{rng.randint(10, 999)}",
        ),
    )
    lines = [
        f"From https://github.com/{repo(rng)}",
        f" * branch            {hexstr(rng, 40)} -> FETCH_HEAD",
    ][: rng.randint(0, 2)]
    verb = pick(rng, ("checkout", "checkout", "add", "restore"))
    if verb == "checkout":
        lines.append(f"error: pathspec '{ref}' did not match any file(s) known to git")
    elif verb == "add":
        lines.append(f"fatal: pathspec '{ref}' did not match any files")
    else:
        lines.append(f"error: pathspec '{ref}' did not match any file(s) known to git")
    command = f"git {verb} {'--source origin/main -- ' if verb == 'restore' else ''}{ref}"
    step = pick(rng, ("Checkout release branch", "Prepare pages", "Restore file", "Commit outputs"))
    return Failure(LABEL, lines, step, command, 128 if verb == "add" else 1)


_ALL = tuple(ECOSYSTEMS)

FAMILIES: list[Family] = [
    Family(f"{LABEL}/shell-no-such-file", LABEL, _ALL, _shell_no_such_file),
    Family(f"{LABEL}/command-not-found", LABEL, _ALL, _command_not_found),
    Family(f"{LABEL}/node-enoent", LABEL, ("node",), _node_enoent),
    Family(f"{LABEL}/python-file-not-found", LABEL, ("python",), _python_file_not_found),
    Family(
        f"{LABEL}/test-path-not-found",
        LABEL,
        ("python", "ruby", "dotnet", "java", "go", "node"),
        _test_path_missing,
    ),
    Family(f"{LABEL}/upload-artifact-no-files", LABEL, _ALL, _upload_artifact_empty),
    Family(f"{LABEL}/download-artifact-not-found", LABEL, _ALL, _download_artifact_missing),
    Family(f"{LABEL}/docker-build-context-missing", LABEL, _ALL, _docker_context_missing),
    Family(
        f"{LABEL}/container-entrypoint-missing",
        LABEL,
        ("docker", "python", "node", "go", "java", "ruby", "dotnet"),
        _container_entrypoint_missing,
    ),
    Family(
        f"{LABEL}/shared-library-missing",
        LABEL,
        ("cpp", "rust", "go", "python", "docker"),
        _shared_library_missing,
    ),
    Family(f"{LABEL}/dotnet-path-not-found", LABEL, ("dotnet",), _dotnet_path_missing),
    Family(f"{LABEL}/build-file-missing", LABEL, ("java", "cpp"), _build_file_missing),
    Family(f"{LABEL}/git-pathspec-no-match", LABEL, _ALL, _git_pathspec),
]
