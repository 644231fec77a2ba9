"""More families of ``compilation``: other compilers, build wrappers and natural orders.

Same decisions as ``compilation``: the source fails to compile, transpile or link, also inside a
wrapper (Bazel, turbo, nx, xcodebuild, Gradle, a Docker build). Languages without their own runner
set-up are mapped onto the closest ecosystem: Swift onto ``cpp`` (a native toolchain on a macOS
runner), Scala, Dart/Flutter and Android onto ``java`` (they need setup-java), Elixir and Haskell
onto ``docker`` (their CI mostly builds in the language's official image)."""

from __future__ import annotations

import random

from datasets.generator._types import Failure, Family
from datasets.generator.families import _common_a as c
from datasets.generator.families import _common_a2 as c2

LABEL = "compilation"

_SWIFT_ERRORS = (
    "cannot find '{cm}' in scope",
    "value of type '{T}' has no member '{cm}'",
    "cannot convert value of type 'String' to expected argument type 'Int'",
    "missing argument for parameter '{v}' in call",
    "type '{T}' does not conform to protocol 'Decodable'",
    "expected '}}' in struct",
)


def swift_compile(rng: random.Random, eco: str) -> Failure:
    """swiftc errors under ``swift build`` or xcodebuild (Swift → cpp, macOS runner)."""
    wd, target = c2.mac_workdir(rng), c.pascal(rng, 1)
    errors: list[str] = []
    for _ in range(rng.randint(1, 3)):
        nm = c.names(rng)
        path = f"{wd}/Sources/{target}/{nm['T']}.swift"
        line, col = rng.randint(5, 400), rng.randint(5, 40)
        errors += [
            f"{path}:{line}:{col}: error: {c.pick(rng, _SWIFT_ERRORS).format(**nm)}",
            f"        let {nm['v']} = {nm['cm']}({nm['w']}: {nm['n']})",
            " " * (col + 7) + "^" + "~" * rng.randint(0, 8),
        ]
    if rng.random() < 0.5:
        lines = [
            "Building for debugging...",
            f"[{rng.randint(1, 40)}/{rng.randint(41, 300)}] Compiling {target} {c.pascal(rng, 1)}.swift",
            *errors,
            "error: emit-module command failed with exit code 1 (use -v to see invocation)",
        ]
        cmd = c.pick(rng, ("swift build", "swift build -c release", "swift test"))
    else:
        lines = [
            f"CompileSwift normal arm64 {wd}/Sources/{target}/{c.pascal(rng, 1)}.swift (in target '{target}' from project '{target}')",
            f"    cd {wd}",
            *errors,
            "",
            "** BUILD FAILED **",
            "",
            "",
            "The following build commands failed:",
            f"\tSwiftCompile normal arm64 Compiling\\ {c.pascal(rng, 1)}.swift (in target '{target}' from project '{target}')",
            f"({rng.randint(1, 3)} failure{'s' if rng.random() < 0.5 else ''})",
        ]
        cmd = f"xcodebuild -scheme {target} -destination 'platform=macOS' build"
    return Failure(
        LABEL,
        [ln.replace("\t", "    ") for ln in lines],
        "Build",
        cmd,
        1 if "swift " in cmd else 65,
    )


def scala_sbt(rng: random.Random, eco: str) -> Failure:
    """scalac 2 (``type mismatch;``) or Scala 3 (``-- [E007] Type Mismatch Error``) under sbt."""
    wd, n = c.workdir(rng), rng.randint(1, 3)
    lines = [
        f"[info] compiling {rng.randint(3, 200)} Scala sources to {wd}/target/scala-{c.pick(rng, ('2.13', '3.3.3'))}/classes ..."
    ]
    for _ in range(n):
        nm = c.names(rng)
        path = f"{wd}/src/main/scala/com/acme/{nm['mod']}/{nm['T']}.scala"
        line, col = rng.randint(5, 400), rng.randint(5, 40)
        if rng.random() < 0.5:
            body = c.pick(
                rng,
                (
                    ["type mismatch;", " found   : String", " required: Int"],
                    [f"not found: value {nm['cm']}"],
                    [f"value {nm['cm']} is not a member of {nm['T']}"],
                ),
            )
            lines += [
                f"[error] {path}:{line}:{col}: {body[0]}",
                *[f"[error] {b}" for b in body[1:]],
            ]
            lines += [
                f"[error]     val {nm['v']} = {nm['cm']}({nm['n']})",
                f"[error] {' ' * (col + 4)}^",
            ]
        else:
            code, title, msg = c.pick(
                rng,
                (
                    ("E007", "Type Mismatch Error", "Found:    String\n[error]    |Required: Int"),
                    ("E006", "Not Found Error", f"Not found: {nm['cm']}"),
                    ("E008", "Not Found Error", f"value {nm['cm']} is not a member of {nm['T']}"),
                ),
            )
            lines += [
                f"[error] -- [{code}] {title}: {path}:{line}:{col} ",
                f"[error] {line} |    val {nm['v']} = {nm['cm']}({nm['n']})",
                f"[error]    |    {' ' * 4}^" + "^" * rng.randint(0, 6),
                *[f"[error]    |{m}" if i == 0 else m for i, m in enumerate(msg.split("\n"))],
            ]
    word = {1: "one error found", 2: "two errors found", 3: "three errors found"}[n]
    lines += [
        f"[error] {word}"
        if rng.random() < 0.5
        else f"[error] {n} error{'s' if n > 1 else ''} found",
        "[error] (Compile / compileIncremental) Compilation failed",
        f"[error] Total time: {rng.randint(5, 200)} s, completed Mar {rng.randint(1, 28)}, 2026, 10:{rng.randint(10, 59)}:{rng.randint(10, 59)} AM",
    ]
    cmd = c.pick(rng, ("sbt compile", "sbt -v test", "sbt +compile"))
    return Failure(LABEL, lines, c.pick(rng, ("Build", "Compile", "sbt")), cmd)


_MSVC = (
    ("C2065", "'{v}': undeclared identifier"),
    ("C2039", "'{cm}': is not a member of '{T}'"),
    ("C2664", "'void {T}::{cm}(int)': cannot convert argument 1 from 'std::string' to 'int'"),
    ("C2143", "syntax error: missing ';' before '}}'"),
    ("C3861", "'{cm}': identifier not found"),
)


def msvc_windows(rng: random.Random, eco: str) -> Failure:
    """MSVC ``cl`` or ``link`` errors re-reported by MSBuild on a Windows runner."""
    wd, formats = c2.win_workdir(rng)
    proj = c.pick(rng, ("core", "engine", "server", "app"))
    vcx = f"{wd}\\build\\{proj}.vcxproj"
    lines = [
        f"MSBuild version 17.{rng.randint(5, 11)}.{rng.randint(0, 9)}+{rng.getrandbits(32):08x} for .NET Framework",
        f"  {proj}.vcxproj -> checking",
    ]
    if rng.random() < 0.7:
        errs = []
        for _ in range(rng.randint(1, 4)):
            code, msg = c.pick(rng, _MSVC)
            nm = c.names(rng)
            src = f"{wd}\\src\\{nm['mod']}\\{nm['w']}.cpp"
            errs.append(
                f"{src}({rng.randint(5, 600)},{rng.randint(1, 50)}): error {code}: {msg.format(**nm)} [{vcx}]"
            )
        lines += [f"  {c.ident(rng, 1)}.cpp", *errs]
    else:
        nm = c.names(rng)
        sym = f'"public: void __cdecl {nm["T"]}::{nm["cm"]}(void)" (?{nm["cm"]}@{nm["T"]}@@QEAAXXZ)'
        errs = [
            f"{nm['mod']}.obj : error LNK2019: unresolved external symbol {sym} referenced in function main [{vcx}]",
            f"{wd}\\build\\Release\\{proj}.exe : fatal error LNK1120: 1 unresolved externals [{vcx}]",
        ]
        lines += errs
    lines += ["", "Build FAILED." if rng.random() < 0.5 else ""]
    cmd = c.pick(
        rng,
        (
            "cmake --build build --config Release",
            "msbuild build\\app.sln /p:Configuration=Release /m",
        ),
    )
    return c2.with_formats(
        Failure(LABEL, lines, "Build", cmd, 1, tags=("msvc", "windows")), formats
    )


def dart_flutter_compile(rng: random.Random, eco: str) -> Failure:
    """The Dart front end (``Error: The method ... isn't defined``) in a Flutter build (→ java)."""
    app = c.pick(rng, c.PROJECTS).replace("-", "_")
    errs = []
    for _ in range(rng.randint(1, 3)):
        nm = c.names(rng)
        line, col = rng.randint(3, 300), rng.randint(3, 40)
        path = f"lib/{c.pick(rng, ('src/', 'screens/', 'widgets/', ''))}{nm['f']}.dart"
        msg = c.pick(
            rng,
            (
                f"The method '{nm['cm']}' isn't defined for the class '{nm['T']}'.",
                f"The getter '{nm['cm']}' isn't defined for the class '{nm['T']}'.",
                "A value of type 'String?' can't be assigned to a variable of type 'String' because 'String?' is nullable and 'String' isn't.",
                f"Undefined name '{nm['cm']}'.",
                "Expected ';' after this.",
            ),
        )
        errs += [
            f"{path}:{line}:{col}: Error: {msg}",
            f"    final {nm['v']} = {nm['cm']}();",
            " " * (col + 3) + "^" * rng.randint(1, 8),
        ]
    if rng.random() < 0.5:
        lines = [
            "Running Gradle task 'assembleRelease'...",
            *errs,
            "Target kernel_snapshot failed: Exception",
            "",
            "FAILURE: Build failed with an exception.",
            "",
            "* What went wrong:",
            "Execution failed for task ':app:compileFlutterBuildRelease'.",
            "> Process 'command '/opt/hostedtoolcache/flutter/bin/flutter'' finished with non-zero exit value 1",
            "",
            f"BUILD FAILED in {rng.randint(20, 400)}s",
        ]
        cmd = c.pick(rng, ("flutter build apk --release", "flutter build appbundle"))
    else:
        lines = ["Compiling lib/main.dart for the Web...", *errs, "Error: Compilation failed."]
        cmd = (
            "flutter build web --release"
            if rng.random() < 0.5
            else f"dart compile exe bin/{app}.dart"
        )
    return Failure(LABEL, lines, c.pick(rng, ("Build app", "Build")), cmd)


def elixir_compile(rng: random.Random, eco: str) -> Failure:
    """``mix compile``: the 1.15+ diagnostics or the older ``== Compilation error`` block (→ docker)."""
    mod = c2.mod_name(rng)
    path = f"lib/{mod.lower().replace('.', '/')}.ex"
    fun, line = c.ident(rng, 2), rng.randint(5, 300)
    lines = [f"Compiling {rng.randint(1, 90)} files (.ex)"]
    if rng.random() < 0.5:
        var = c.ident(rng, 1)
        lines += [
            c.pick(
                rng,
                (
                    f'error: undefined variable "{var}"',
                    f"error: undefined function {fun}/{rng.randint(0, 3)} (expected {mod} to define such a function or for it to be imported, but none are available)",
                ),
            ),
            "    │",
            f"{line:>3} │     {fun}({var})",
            "    │     ^",
            "    │",
            f"    └─ {path}:{line}:{rng.randint(5, 20)}: {mod}.{c.ident(rng, 1)}/{rng.randint(0, 3)}",
            "",
            f"** (CompileError) {path}: cannot compile module {mod} (errors have been logged)",
        ]
    else:
        lines += [
            "",
            f"== Compilation error in file {path} ==",
            c.pick(
                rng,
                (
                    f"** (CompileError) {path}:{line}: undefined function {fun}/1 (expected {mod} to define such a function or for it to be imported, but none are available)",
                    f"** (CompileError) {path}:{line}: module {c2.mod_name(rng)} is not loaded and could not be found",
                    f"** (SyntaxError) {path}:{line}:{rng.randint(3, 30)}: syntax error before: '{c.pick(rng, ('end', 'do', ')'))}'",
                ),
            ),
            "    (elixir 1.14.5) lib/kernel/parallel_compiler.ex:340: anonymous fn/5 in Kernel.ParallelCompiler.spawn_workers/7",
        ]
    cmd = c.pick(
        rng, ("mix compile --warnings-as-errors", "MIX_ENV=test mix compile", "mix release")
    )
    return c2.finish_mapped(rng, eco, LABEL, lines, "Compile", cmd, stack="elixir")


def ghc_compile(rng: random.Random, eco: str) -> Failure:
    """GHC type errors under cabal or Stack (Haskell → docker)."""
    app = c.pick(rng, c.PROJECTS)
    mod = c2.mod_name(rng).split(".", 1)[1]
    path = f"src/{mod.replace('.', '/')}.hs"
    line, col = rng.randint(5, 300), rng.randint(3, 40)
    fn = c.camel(rng)
    err = c.pick(
        rng,
        (
            (
                "GHC-83865",
                [
                    "• Couldn't match expected type ‘Int’ with actual type ‘Text’",
                    f"• In the first argument of ‘{fn}’, namely ‘{c.camel(rng)}’",
                ],
            ),
            ("GHC-88464", [f"Variable not in scope: {fn} :: Int -> IO ()"]),
            (
                "GHC-39999",
                [f"• No instance for ‘ToJSON {c.pascal(rng, 1)}’ arising from a use of ‘encode’"],
            ),
        ),
    )
    lines = [
        f"Building library for {app}-0.1.0.0..",
        f"[{rng.randint(1, 9)} of {rng.randint(10, 40)}] Compiling {mod}",
        "",
        f"{path}:{line}:{col}: error: [{err[0]}]",
        *[f"    {e}" for e in err[1]],
        "   |",
        f"{line:<3}| {fn} x = {c.camel(rng)} x",
        f"   | {' ' * col}^^^^^^",
    ]
    if rng.random() < 0.5:
        lines += [
            "Error: [S-7282]",
            "       Stack failed to execute the build plan.",
            "",
            "       While executing the build plan, Stack encountered the error:",
            "       [S-7011]",
            f"       While building package {app}-0.1.0.0 (scroll up to its section to see the error) using: ...",
        ]
        cmd = "stack build --fast"
    else:
        lines += [f"Error: cabal: Failed to build {app}-0.1.0.0."]
        cmd = "cabal build all"
    return c2.finish_mapped(rng, eco, LABEL, lines, "Build", cmd, stack="haskell")


def android_build(rng: random.Random, eco: str) -> Failure:
    """Android Gradle: resource linking (AAPT), kapt/KSP or dex fails (→ java)."""
    variant = c.pick(rng, ("Debug", "Release"))
    kind = c.pick(rng, ("aapt", "kapt", "dex"))
    nm, before = c.names(rng), []
    if kind == "aapt":
        res = c.pick(
            rng, (f"string/{nm['f']}_title", f"drawable/ic_{nm['f']}", f"color/{nm['f']}_accent")
        )
        task = f":app:process{variant}Resources"
        detail = [
            "> A failure occurred while executing com.android.build.gradle.internal.res.LinkApplicationAndroidResourcesTask$TaskAction",
            "   > Android resource linking failed",
            f"     ERROR: {c.workdir(rng)}/app/src/main/res/layout/activity_{nm['f']}.xml:{rng.randint(5, 80)}: AAPT: error: resource {res} (aka com.acme.app:{res}) not found.",
        ]
    elif kind == "kapt":
        task = f":app:kapt{variant}Kotlin"
        detail = [
            "> A failure occurred while executing org.jetbrains.kotlin.gradle.internal.KaptWithoutKotincTask$KaptExecutionWorkAction",
            "   > java.lang.reflect.InvocationTargetException (no error message)",
        ]
        # kapt prints the processor's error before Gradle's failure report.
        before = [
            f"e: {c.workdir(rng)}/app/build/tmp/kapt3/stubs/{variant.lower()}/com/acme/app/{nm['T']}Dao.java:{rng.randint(5, 90)}: error: There is a problem with the query: [SQLITE_ERROR] SQL error or missing database (no such column: {nm['f']})",
        ]
    else:
        task = f":app:mergeDex{variant}"
        detail = [
            "> A failure occurred while executing com.android.build.gradle.internal.tasks.DexMergingTaskDelegate",
            "   > There was a failure while executing work items",
            "      > A failure occurred while executing com.android.build.gradle.internal.tasks.DexMergingWorkAction",
            "         > com.android.builder.dexing.DexArchiveMergerException: Error while merging dex archives: ",
            f"           Type com.acme.{nm['mod']}.{nm['T']} is defined multiple times",
        ]
    lines = [
        *before,
        f"> Task {task} FAILED",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        f"Execution failed for task '{task}'.",
        *detail,
        "",
        "* Try:",
        "> Run with --stacktrace option to get the stack trace.",
        "",
        f"BUILD FAILED in {rng.randint(1, 9)}m {rng.randint(1, 59)}s",
    ]
    cmd = f"./gradlew assemble{variant} --no-daemon"
    return Failure(LABEL, lines, c.pick(rng, ("Build APK", "Assemble")), cmd, tags=(kind,))


def bazel_compile(rng: random.Random, eco: str) -> Failure:
    """Bazel re-reports a compile action's failure (C++, Go or Java rules)."""
    wd = c.workdir(rng)
    pkg = f"{c.pick(rng, ('src', 'services', 'lib'))}/{c.pick(rng, c.WORDS)}"
    nm = c.names(rng)
    tool, mnemonic = {"go": ("builder", "GoCompilePkg"), "java": ("java", "Javac")}.get(
        eco, ("gcc", "CppCompile")
    )
    if eco == "go":
        target, action = f"//{pkg}:{nm['mod']}", f"GoCompilePkg {pkg}/{nm['mod']}.a"
        inner = [
            f"{pkg}/{nm['f']}.go:{rng.randint(3, 300)}:{rng.randint(2, 30)}: undefined: {nm['cm']}",
            "compilepkg: error running subcommand external/go_sdk/pkg/tool/linux_amd64/compile: exit status 1",
        ]
    elif eco == "java":
        target, action = (
            f"//{pkg}:{nm['mod']}",
            f"Building {pkg}/lib{nm['mod']}.jar ({rng.randint(2, 60)} source files)",
        )
        inner = [
            f"{pkg}/{nm['T']}.java:{rng.randint(3, 300)}: error: cannot find symbol",
            f"    return {nm['cm']}.{nm['m']}();",
            "           ^",
            f"  symbol:   variable {nm['cm']}",
        ]
    else:
        target, action = f"//{pkg}:{nm['mod']}", f"Compiling {pkg}/{nm['f']}.cc"
        inner = [
            f"{pkg}/{nm['f']}.cc:{rng.randint(3, 300)}:{rng.randint(2, 30)}: error: '{nm['cm']}' was not declared in this scope",
            *c.gcc_excerpt(rng.randint(3, 300), f"  return {nm['cm']}({nm['n']});", nm["cm"]),
        ]
    lines = [
        f"INFO: Analyzed target {target} ({rng.randint(1, 300)} packages loaded, {rng.randint(100, 9000)} targets configured).",
        f"ERROR: {wd}/{pkg}/BUILD.bazel:{rng.randint(3, 60)}:{rng.randint(3, 20)}: {action} failed: (Exit 1): {tool} failed: error executing {mnemonic} command (from target {target})",
        *inner,
        f"Target {target} failed to build",
        f"INFO: Elapsed time: {rng.uniform(2, 400):.3f}s, Critical Path: {rng.uniform(1, 200):.2f}s",
        f"INFO: {rng.randint(2, 900)} processes: {rng.randint(1, 90)} internal, {rng.randint(1, 800)} linux-sandbox.",
        "ERROR: Build did NOT complete successfully",
    ]
    if c2.terse(rng):
        lines = lines[1:-3] + lines[-1:]
    cmd = c.pick(
        rng, (f"bazel build {target}", "bazel build //...", "bazelisk test //... --config=ci")
    )
    return Failure(LABEL, lines, c.pick(rng, ("Build", "Bazel build")), cmd, 1, tags=("bazel",))


def monorepo_wrapped_build(rng: random.Random, eco: str) -> Failure:
    """turbo or nx run a package's build; tsc errors appear prefixed, the summary comes last."""
    pkg = f"@acme/{c.pick(rng, ('web', 'api', 'ui', 'shared', 'sdk'))}"
    where = f"{c.workdir(rng)}/packages/{pkg[6:]}"
    total = rng.randint(6, 12)
    errs = []
    for _ in range(rng.randint(1, 3)):
        nm = c.names(rng)
        code, msg = c.pick(
            rng,
            (
                ("TS2339", f"Property '{nm['cm']}' does not exist on type '{nm['T']}'."),
                (
                    "TS2345",
                    "Argument of type 'string' is not assignable to parameter of type 'number'.",
                ),
                (
                    "TS2307",
                    f"Cannot find module './{nm['cm']}' or its corresponding type declarations.",
                ),
            ),
        )
        errs.append(
            f"src/{nm['cm']}.ts({rng.randint(3, 300)},{rng.randint(3, 40)}): error {code}: {msg}"
        )
    inner = [f"> {pkg}@{c.version(rng, 3)} build", "> tsc -p tsconfig.build.json", "", *errs]
    if rng.random() < 0.5:
        lines = [
            f"• Packages in scope: {', '.join(rng.sample(('@acme/web', '@acme/api', '@acme/ui', '@acme/shared', '@acme/sdk'), 3))}",
            f"• Running build in {rng.randint(3, 12)} packages",
            f"{pkg}:build: cache miss, executing {rng.getrandbits(64):016x}",
            *c2.turbo_prefixed(pkg, "build", inner),
            *c2.turbo_prefixed(
                pkg,
                "build",
                c2.npm_script_failed(rng, "build", "tsc -p tsconfig.build.json", pkg, where),
            ),
            f"{pkg}:build: ERROR: command finished with error: command ({where}) npm run build exited (2)",
            f"{pkg}#build: command ({where}) npm run build exited (2)",
            "",
            f" Tasks:    {rng.randint(0, total - 1)} successful, {total} total",
            f"Cached:    {rng.randint(0, total - 1)} cached, {total} total",
            f"  Time:    {c.seconds(rng, 2, 90)}s ",
            "Failed:    " + f"{pkg}#build",
            "",
            " ERROR  run failed: command  exited (2)",
        ]
        cmd = "npx turbo run build"
    else:
        proj = pkg[6:]
        lines = [
            f"> nx run {proj}:build",
            *inner[3:],
            "",
            f" NX   Running target build for {rng.randint(3, 12)} projects failed",
            "",
            "Failed tasks:",
            "",
            f"- {proj}:build",
        ]
        if c2.terse(rng):
            lines = [*errs, f" NX   Running target build for {rng.randint(3, 12)} projects failed"]
        cmd = c.pick(rng, ("npx nx affected -t build", "npx nx run-many -t build"))
    return Failure(LABEL, [ln.rstrip() for ln in lines], "Build", cmd, tags=("monorepo",))


def _family(slug: str, ecosystems: tuple[str, ...], make: c.Maker) -> Family:
    return Family(f"{LABEL}/{slug}", LABEL, ecosystems, make)


FAMILIES: list[Family] = [
    _family("swift-compile", ("cpp",), swift_compile),
    _family("scala-sbt", ("java",), scala_sbt),
    _family("msvc-windows", ("cpp",), msvc_windows),
    _family("dart-flutter-compile", ("java",), dart_flutter_compile),
    _family("elixir-compile", ("docker",), elixir_compile),
    _family("ghc-compile", ("docker",), ghc_compile),
    _family("android-build", ("java",), android_build),
    _family("bazel-compile", ("cpp", "go", "java"), bazel_compile),
    _family("monorepo-wrapped-build", ("node",), monorepo_wrapped_build),
]
