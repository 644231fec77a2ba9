"""More ``missing_file`` families: other languages, build systems, deploy tools and Windows.

Labelling choices, in line with ``missing_file``: what decides is that a path the step needs is
absent (a keystore or ``google-services.json`` never written from a secret, a directory the
deploy step syncs that the build did not produce, a ``vendor/autoload.php`` because dependencies
were never installed, a report file a publisher expects). A file a compiler includes stays with
``compilation``; an artifact the runner's own upload action cannot find is already covered by
``missing_file/upload-artifact-no-files``.
"""

from __future__ import annotations

import random

from .._types import Failure, Family
from ._common_c import NOUNS, hexstr, pick, progress, repo, workdir
from ._common_c2 import (
    ALL,
    ELIXIR_LIKE,
    FLUTTER_LIKE,
    NATIVE_LIKE,
    PHP_LIKE,
    WINDOWS_CI,
    pad,
    ps_error_record,
    win_workdir,
)

LABEL = "missing_file"
_OUT_DIRS = ("dist", "build", "public", "out", "site", "_site", "storybook-static", "target/doc")


def _powershell_path(rng: random.Random, eco: str) -> Failure:
    wd = win_workdir(rng)
    folder = pick(rng, ("publish", "artifacts", "out\\Release", "bin\\Release", "dist"))
    file = pick(rng, ("version.txt", "app.zip", "CHANGELOG.md", "manifest.json", "Setup.exe"))
    cases = (
        (
            "Get-Content",
            f"$version = Get-Content {file}",
            f"Get-Content {file}",
            f"Cannot find path '{wd}\\{file}' because it does not exist.",
        ),
        (
            "Copy-Item",
            f"Copy-Item -Path {folder}\\* -Destination staging -Recurse",
            f"-Path {folder}\\*",
            f"Cannot find path '{wd}\\{folder}' because it does not exist.",
        ),
        (
            "Compress-Archive",
            f"Compress-Archive -Path {folder} -DestinationPath {repo(rng)}.zip",
            f"Compress-Archive -Path {folder}",
            f"The path '{folder}' either does not exist or is not a valid file system path.",
        ),
        (
            "Import-Module",
            "Import-Module ./build/Tools.psm1",
            "Import-Module ./build/Tools.psm1",
            "The specified module './build/Tools.psm1' was not loaded because no valid module "
            "file was found in any module directory.",
        ),
    )
    category, source, underline, message = pick(rng, cases)
    lines = progress(rng, "dotnet", 0, 3) + ps_error_record(
        rng, category, source, underline, message
    )
    step = pick(rng, ("Package", "Read version", "Archive build", "Publish"))
    return Failure(
        LABEL, pad(rng, eco, lines), step, source, 1, tags=("powershell",), formats=WINDOWS_CI
    )


def _android_gradle_file(rng: random.Random, eco: str) -> Failure:
    wd = workdir(rng)
    module = pick(rng, ("app", "mobile", "android-app"))
    variant = pick(rng, ("Release", "ProdRelease", "StagingRelease"))
    if rng.random() < 0.5:
        keystore = pick(rng, ("release.keystore", "upload-keystore.jks", "keystore/ci.jks"))
        task = f"validateSigning{variant}"
        detail = [
            f"> Keystore file '{wd}/{module}/{keystore}' not found for signing config "
            f"'{variant[0].lower() + variant[1:]}'."
        ]
    else:
        task = f"process{variant}GoogleServices"
        flavor = variant.replace("Release", "").lower() or "release"
        detail = [
            "> File google-services.json is missing. The Google Services Plugin cannot function "
            "without it.",
            "   Searched Location: ",
            f"  {wd}/{module}/src/{flavor}/google-services.json",
            f"  {wd}/{module}/google-services.json",
        ]
    lines = [
        f"> Task :{module}:preBuild UP-TO-DATE",
        f"> Task :{module}:{task} FAILED",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        f"Execution failed for task ':{module}:{task}'.",
        *detail,
        "",
        "* Try:",
        "> Run with --stacktrace option to get the stack trace.",
        "",
        f"BUILD FAILED in {rng.randint(8, 200)}s",
    ]
    if rng.random() < 0.4:
        lines = lines[1:8] + detail[:1]
    command = f"./gradlew :{module}:assemble{variant} --no-daemon"
    return Failure(
        LABEL, pad(rng, eco, lines), pick(rng, ("Build APK", "Assemble release", "Build")), command
    )


def _xcode_swift_file(rng: random.Random, eco: str) -> Failure:
    app = repo(rng).replace("-", " ").title().replace(" ", "")
    wd = f"/Users/runner/work/{app}/{app}"
    choice = rng.randrange(3)
    if choice == 0:
        file = pick(rng, ("GoogleService-Info.plist", "Secrets.xcconfig", "Config/Prod.plist"))
        lines = [
            f"error: Build input file cannot be found: '{wd}/{app}/{file}'. Did you forget to "
            "declare this file as an output of a script phase or custom build rule which "
            f"produces it? (in target '{app}' from project '{app}')",
            "",
            "** BUILD FAILED **",
            "",
            "The following build commands failed:",
            f"\tCopyPlistFile {wd}/build/{app}.app/{file.split('/')[-1]} {wd}/{app}/{file} "
            f"(in target '{app}' from project '{app}')",
            "(1 failure)",
        ]
        command = f"xcodebuild -scheme {app} -configuration Release build"
    elif choice == 1:
        kind = pick(rng, ("xcworkspace", "xcodeproj"))
        lines = [f"xcodebuild: error: '{app}.{kind}' does not exist."]
        command = f"xcodebuild -{'workspace' if kind == 'xcworkspace' else 'project'} {app}.{kind} -scheme {app} test"
    else:
        lines = [
            "error: Could not find Package.swift in this directory or any of its parent "
            "directories."
            if rng.random() < 0.5
            else f"error: root manifest not found at '{wd}/{pick(rng, ('Sources', 'Packages/Core'))}'"
        ]
        command = pick(rng, ("swift build -c release", "swift test --parallel"))
    return Failure(
        LABEL, pad(rng, eco, lines), pick(rng, ("Build", "Build iOS", "Swift build")), command, 1
    )


def _bazel_missing_input(rng: random.Random, eco: str) -> Failure:
    pkg = pick(rng, ("src", "services/api", "lib/core", "proto", "tools"))
    file = pick(rng, ("schema.json", "version.bzl", "data/seed.csv", "config.yaml", "BUILD.gen"))
    target = pick(rng, ("lib", "server", "bundle", "gen", repo(rng).replace("-", "_")))
    wd = workdir(rng)
    lines = [
        f"INFO: Analyzed target //{pkg}:{target} ({rng.randint(20, 400)} packages loaded, "
        f"{rng.randint(500, 9000)} targets configured).",
    ]
    if rng.random() < 0.5:
        lines += [
            f"ERROR: {wd}/{pkg}/BUILD.bazel:{rng.randint(3, 80)}:{rng.randint(3, 20)}: "
            f"//{pkg}:{target}: missing input file '//{pkg}:{file}'",
            f"ERROR: {wd}/{pkg}/BUILD.bazel:{rng.randint(3, 80)}:{rng.randint(3, 20)}: "
            f"{pick(rng, ('Genrule', 'Action', 'Executing genrule'))} //{pkg}:{target} failed: "
            "1 input file(s) do not exist",
        ]
    else:
        lines = [
            f"ERROR: {wd}/{pkg}/BUILD.bazel:{rng.randint(3, 80)}:{rng.randint(3, 20)}: no such "
            f"target '//{pkg}:{file}': target '{file}' not declared in package '{pkg}' defined "
            f"by {wd}/{pkg}/BUILD.bazel and referenced by '//{pkg}:{target}'",
        ]
    lines += [
        f"Target //{pkg}:{target} failed to build",
        f"INFO: Elapsed time: {rng.uniform(1, 90):.3f}s, Critical Path: {rng.uniform(0.1, 9):.2f}s",
        "ERROR: Build did NOT complete successfully",
    ]
    command = f"bazel build //{pkg}:{target}"
    return Failure(LABEL, pad(rng, eco, lines), pick(rng, ("Bazel build", "Build")), command, 1)


def _deploy_source_missing(rng: random.Random, eco: str) -> Failure:
    out = pick(rng, _OUT_DIRS)
    wd = workdir(rng)
    bucket = f"{repo(rng)}-{pick(rng, ('site', 'assets', 'static', 'releases'))}"
    choice = rng.randrange(4)
    if choice == 0:
        lines = [
            f'rsync: [sender] change_dir "{wd}/{out}" failed: No such file or directory (2)',
            "rsync error: some files/attrs were not transferred (see previous errors) (code 23) "
            f"at main.c(1338) [sender={pick(rng, ('3.2.7', '3.2.3', '3.1.3'))}]",
        ]
        command = f"rsync -avz --delete {out}/ deploy@{repo(rng)}.internal:/var/www/{repo(rng)}"
        code = 23
    elif choice == 1:
        lines = [f"The user-provided path {out} does not exist."]
        command = f"aws s3 sync {out} s3://{bucket} --delete"
        code = 255
    elif choice == 2:
        lines = [f"CommandException: No URLs matched: {out}/*"]
        command = f"gsutil -m cp -r {out}/* gs://{bucket}/"
        code = 1
    else:
        lines = [
            f"ERROR: No such file or directory: '{out}'"
            if rng.random() < 0.5
            else f"ERROR: [Errno 2] No such file or directory: '{wd}/{out}'",
        ]
        command = f"az storage blob upload-batch -s {out} -d '$web' --account-name {bucket.replace('-', '')[:20]}"
        code = 1
    return Failure(
        LABEL,
        pad(rng, eco, lines),
        pick(rng, ("Deploy site", "Deploy", "Sync assets")),
        command,
        code,
    )


def _report_files_missing(rng: random.Random, eco: str) -> Failure:
    pattern = pick(
        rng,
        (
            "build/test-results/**/*.xml",
            "target/surefire-reports/*.xml",
            "reports/junit.xml",
            "build/libs/*.jar",
            "coverage/cobertura-coverage.xml",
            "dist/*.tar.gz",
        ),
    )
    if rng.random() < 0.6:
        # Jenkins reports a publisher's failure itself, after the post-build step's name.
        if pattern.endswith(".xml"):
            lines = [*progress(rng, eco, 1, 4), "Recording test results"]
            errors: tuple[str, ...] = (
                "Step ‘Publish JUnit test result report’ failed: No test report files were "
                "found. Configuration error?",
            )
        else:
            lines = [*progress(rng, eco, 1, 4), "Archiving artifacts"]
            errors = (
                f'No artifacts found that match the file pattern "{pattern}". Configuration error?',
                f"‘{pattern}’ doesn’t match anything",
            )
        return Failure(
            LABEL, pad(rng, eco, lines), "Post Actions", "", None, errors, formats=("jenkins",)
        )
    lines = [
        "Run dorny/test-reporter@v1",
        "  with:",
        f"    name: {pick(rng, ('Tests', 'JUnit', 'Unit tests'))}",
        f"    path: {pattern}",
        f"    reporter: {pick(rng, ('java-junit', 'jest-junit', 'dotnet-trx'))}",
        "    fail-on-empty: true",
        f"Check runs will be created with SHA={hexstr(rng, 40)}",
        "Listing all files tracked by git",
        f"Found {rng.randint(40, 900)} files tracked by GitHub",
        "Using test report parser '" + pick(rng, ("java-junit", "jest-junit", "dotnet-trx")) + "'",
        "Creating test report Tests",
    ]
    return Failure(
        LABEL, pad(rng, eco, lines), "Test report", "", 1, ("No test report files were found",)
    )


def _coreutils_terse(rng: random.Random, eco: str) -> Failure:
    out = pick(rng, _OUT_DIRS)
    name = pick(rng, ("app.zip", "release.tar.gz", ".env.ci", "gradlew", "run.sh", "build.sh"))
    cases = (
        ([f"ls: cannot access '{out}/': No such file or directory"], f"ls -la {out}/", 2),
        ([f"find: ‘{out}’: No such file or directory"], f"find {out} -name '*.map' -delete", 1),
        ([f"mv: cannot stat '{name}': No such file or directory"], f"mv {name} {out}/", 1),
        ([f"chmod: cannot access './{name}': No such file or directory"], f"chmod +x ./{name}", 1),
        (
            [
                f"unzip:  cannot find or open {name}, {name}.zip or {name}.ZIP.",
            ],
            f"unzip -q {name} -d {out}",
            9,
        ),
        ([f"bash: line 1: {name}: No such file or directory"], f"source {name}", 1),
        (
            [f"ln: failed to access '{out}/{name}': No such file or directory"],
            f"ln -s {out}/{name} current",
            1,
        ),
        (
            [f"stat: cannot statx '{out}/{name}': No such file or directory"],
            f"stat -c %s {out}/{name}",
            1,
        ),
    )
    lines, command, code = pick(rng, cases)
    lines = progress(rng, eco, 0, 3) + lines if rng.random() < 0.5 else list(lines)
    return Failure(
        LABEL,
        pad(rng, eco, lines),
        pick(rng, ("Package", "Prepare", "Deploy", "Collect")),
        command,
        code,
    )


def _php_autoload(rng: random.Random, eco: str) -> Failure:
    wd = workdir(rng)
    entry = pick(rng, ("bin/console", "artisan", "vendor/bin/phpunit", "bin/build.php"))
    if rng.random() < 0.5:
        lines = [
            f"PHP Warning:  require({wd}/vendor/autoload.php): Failed to open stream: No such "
            f"file or directory in {wd}/{entry} on line {rng.randint(3, 20)}",
            f"PHP Fatal error:  Uncaught Error: Failed opening required '{wd}/vendor/"
            f"autoload.php' (include_path='.:/usr/share/php') in {wd}/{entry}:{rng.randint(3, 20)}",
            "Stack trace:",
            "#0 {main}",
            f"  thrown in {wd}/{entry} on line {rng.randint(3, 20)}",
        ]
        command = f"php {entry} {pick(rng, ('cache:warmup', 'migrate --force', 'app:build'))}"
    else:
        script = pick(rng, ("vendor/bin/phpunit", "vendor/bin/phpstan", "vendor/bin/php-cs-fixer"))
        lines = [f"Could not open input file: {script}"]
        command = f"php {script}"
    code = 255 if len(lines) > 1 else 1
    step = pick(rng, ("Build", "Warm cache", "Run PHP tool"))
    return Failure(LABEL, pad(rng, eco, lines), step, command, code, tags=("php",))


def _elixir_mix_missing(rng: random.Random, eco: str) -> Failure:
    wd = workdir(rng)
    app = repo(rng).replace("-", "_")
    choice = rng.randrange(3)
    if choice == 0:
        lines = [
            f"==> {repo(rng).replace('-', '_')}",
            "** (Mix) Could not find a Mix.Project, please ensure you are running Mix in a "
            "directory with a mix.exs file",
        ]
    elif choice == 1:
        cfg = pick(rng, ("config/prod.secret.exs", "config/runtime.exs", "config/ci.exs"))
        lines = [
            f'** (File.Error) could not read file "{wd}/{cfg}": no such file or directory',
            "    (elixir 1.16.2) lib/file.ex:358: File.read!/1",
            "    (elixir 1.16.2) lib/config.ex:301: Config.__import__!/1",
            f"    {cfg}:{rng.randint(2, 30)}: (file)",
        ]
    else:
        asset = pick(
            rng, ("priv/static/cache_manifest.json", "priv/repo/seeds.exs", "priv/data.csv")
        )
        lines = [
            f"** (Code.LoadError) could not load {wd}/{asset}. Reason: enoent"
            if asset.endswith(".exs")
            else f'** (File.Error) could not read file "{asset}": no such file or directory',
            f"    (mix 1.16.2) lib/mix/tasks/run.ex:{rng.randint(80, 150)}: Mix.Tasks.Run.run/5",
        ]
    command = pick(
        rng,
        (
            "mix compile",
            "mix run priv/repo/seeds.exs",
            "MIX_ENV=prod mix release",
            f"mix {app}.setup",
        ),
    )
    return Failure(
        LABEL,
        pad(rng, eco, lines),
        pick(rng, ("Build", "Release", "Seed")),
        command,
        1,
        tags=("elixir",),
    )


def _flutter_missing(rng: random.Random, eco: str) -> Failure:
    choice = rng.randrange(3)
    if choice == 0:
        lines = [
            f'Running "flutter pub get" in {repo(rng)}...',
            "Error: No pubspec.yaml file found.",
            "This command should be run from the root of your Flutter project.",
        ]
        command = "flutter pub get"
    elif choice == 1:
        target = f"lib/main_{pick(rng, ('prod', 'staging', 'ci', 'dev'))}.dart"
        lines = [f'Target file "{target}" not found.']
        command = f"flutter build {pick(rng, ('apk', 'appbundle', 'web'))} -t {target}"
    else:
        asset = f"assets/{pick(rng, ('images', 'fonts', 'config'))}/{pick(rng, NOUNS)}.{pick(rng, ('png', 'ttf', 'json'))}"
        lines = [
            "Error detected in pubspec.yaml:",
            f"No file or variants found for asset: {asset}.",
        ]
        command = "flutter build apk --release"
    lines = progress(rng, "java", 0, 2) + lines if rng.random() < 0.3 else lines
    return Failure(
        LABEL,
        pad(rng, eco, lines),
        pick(rng, ("Build Flutter app", "Build", "flutter build")),
        command,
        1,
        tags=("flutter",),
    )


FAMILIES: list[Family] = [
    Family(f"{LABEL}/powershell-path-not-found", LABEL, ALL, _powershell_path),
    Family(f"{LABEL}/android-gradle-file-missing", LABEL, ("java",), _android_gradle_file),
    Family(f"{LABEL}/xcode-swiftpm-file-missing", LABEL, NATIVE_LIKE, _xcode_swift_file),
    Family(
        f"{LABEL}/bazel-missing-input", LABEL, ("cpp", "java", "go", "python"), _bazel_missing_input
    ),
    Family(f"{LABEL}/deploy-sync-source-missing", LABEL, ALL, _deploy_source_missing),
    Family(f"{LABEL}/ci-report-files-not-found", LABEL, ALL, _report_files_missing),
    Family(f"{LABEL}/coreutils-terse-no-such-file", LABEL, ALL, _coreutils_terse),
    Family(f"{LABEL}/php-autoload-missing", LABEL, PHP_LIKE, _php_autoload),
    Family(f"{LABEL}/elixir-mix-file-missing", LABEL, ELIXIR_LIKE, _elixir_mix_missing),
    Family(f"{LABEL}/flutter-file-not-found", LABEL, FLUTTER_LIKE, _flutter_missing),
]
